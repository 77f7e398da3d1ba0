"""How fast `flask listings import` takes a large file: generate believable Vietnamese listings, import them into
a fresh SQLite database, then import the same file again (every row an update). Prints the figures.

    .venv/bin/python bench/import_speed.py                  # 10,000 rows, CSV
    .venv/bin/python bench/import_speed.py --rows 50000 --formats csv,xlsx,json
"""
import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

COLUMNS = ("kind", "ref", "title", "summary", "description", "sector_code", "trl", "min_trl", "transfer_modes",
           "price_vnd", "budget_vnd_max", "keywords", "ip_type", "ip_number", "owner_org", "owner_kind",
           "locality", "status")

TECHNIQUES = ["Công nghệ sấy lạnh", "Quy trình lên men", "Hệ thống giám sát IoT", "Thiết bị xử lý",
              "Phương pháp chiết xuất", "Dây chuyền sản xuất", "Chế phẩm sinh học", "Phần mềm quản lý",
              "Công nghệ nhân giống in vitro", "Vật liệu composite", "Hệ thống năng lượng mặt trời",
              "Quy trình tái chế", "Công nghệ màng lọc", "Robot tự động", "Cảm biến thông minh"]
OBJECTS = ["nông sản sau thu hoạch", "nước thải làng nghề", "phụ phẩm nông nghiệp", "gạo Nam Định", "chè Thái Nguyên",
           "dược liệu", "đồ gỗ mỹ nghệ", "gốm sứ Bát Tràng", "thủy sản nước ngọt", "chăn nuôi lợn",
           "rác thải sinh hoạt", "nhà xưởng công nghiệp", "giống lúa chất lượng cao", "rau an toàn", "nấm ăn"]
PURPOSES = ["giảm 30% chi phí", "đạt tiêu chuẩn VietGAP", "cho hợp tác xã quy mô vừa", "tiết kiệm năng lượng",
            "không dùng hóa chất", "xuất khẩu sang EU", "quy mô hộ gia đình", "công suất 5 tấn/ngày"]
ORG_PREFIXES = [("Viện", "institute"), ("Trường Đại học", "university"), ("Công ty TNHH", "enterprise"),
                ("Công ty Cổ phần", "enterprise"), ("Hợp tác xã", "enterprise"), ("Trung tâm", "other")]
ORG_NAMES = ["Nông nghiệp Hà Nam", "Cơ điện Phủ Lý", "Công nghệ sinh học Duy Tiên", "Thực phẩm Kim Bảng",
             "Môi trường Thanh Liêm", "Dệt may Lý Nhân", "Vật liệu mới Bình Lục", "Tự động hóa Ninh Bình",
             "Dược liệu Tam Điệp", "Năng lượng xanh", "Kỹ thuật số Việt", "Chế biến nông sản Nam Hà",
             "Cơ khí chính xác", "Thủy sản Vân Long", "Gốm sứ Hoa Lư", "Nấm sạch Gia Viễn", "Hóa chất Hà Nam",
             "Phần mềm Tràng An", "Giống cây trồng Yên Mô", "Xây dựng Kim Sơn"]
KEYWORDS = ["sấy lạnh", "IoT", "vi sinh", "nước thải", "tiết kiệm năng lượng", "chuyển đổi số", "hữu cơ",
            "nông nghiệp công nghệ cao", "tái chế", "bảo quản", "tự động hóa", "dược liệu", "năng lượng mặt trời"]
MODES = ["license", "assignment", "joint_venture", "capital_contribution", "technical_service", "turnkey",
         "franchise", "equipment_with_technology"]
IP_TYPES = ["patent", "utility_solution", "industrial_design", "trademark", "plant_variety", "software",
            "trade_secret"]


def _reference(name):
    with open(os.path.join(ROOT, "marketplace", "data", name), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def generate_rows(count, seed=2026):
    """`count` believable listings as dicts (60% offers, 30% needs, 10% IP assets)."""
    rng = random.Random(seed)
    sectors = [r["code"] for r in _reference("sectors.csv") if r["parent"]]
    localities = _reference("localities.csv")
    orgs = [(f"{prefix} {name}", kind) for prefix, kind in ORG_PREFIXES for name in ORG_NAMES]
    rows = []
    for n in range(1, count + 1):
        kind = rng.choices(["offer", "need", "ip"], weights=[6, 3, 1])[0]
        org, org_kind = rng.choice(orgs)
        locality = rng.choice(localities)
        title = f"{rng.choice(TECHNIQUES)} {rng.choice(OBJECTS)} {rng.choice(PURPOSES)}"
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            kind=kind, ref=f"SKHCN-{kind.upper()}-{n:06d}", title=title,
            summary=f"{title}. Đã ứng dụng thử nghiệm tại {locality['name_vi']}, hiệu quả được hội đồng "
                    f"khoa học cấp tỉnh đánh giá.",
            description="Thông số kỹ thuật, quy trình vận hành và định mức chi phí chi tiết; chỉ cung cấp cho "
                        "bên đã ký thỏa thuận bảo mật.",
            sector_code=rng.choice(sectors),
            transfer_modes=";".join(rng.sample(MODES, rng.randint(1, 3))),
            keywords=";".join(rng.sample(KEYWORDS, rng.randint(2, 4))),
            owner_org=org, owner_kind=org_kind,
            # half the rows name the locality by its Vietnamese name, half by its code
            locality=locality["name_vi"] if n % 2 else locality["code"],
            status=rng.choices(["published", "draft", "submitted"], weights=[8, 1, 1])[0],
        )
        if kind == "need":
            row.update(min_trl=str(rng.randint(4, 8)), budget_vnd_max=str(rng.randrange(100, 5000) * 1_000_000))
        else:
            row.update(trl=str(rng.randint(3, 9)), price_vnd=str(rng.choice([0, rng.randrange(50, 3000) * 1_000_000])))
        if kind == "ip" or rng.random() < 0.2:
            row.update(ip_type=rng.choice(IP_TYPES),
                       ip_number=f"1-{rng.randint(2015, 2025)}-{rng.randint(1, 99999):05d}")
        rows.append(row)
    return rows


def write_files(rows, folder, formats):
    """Write the rows as listings.csv / .xlsx / .json in `folder`; returns {format: path}."""
    paths = {}
    if "csv" in formats:
        paths["csv"] = os.path.join(folder, "listings.csv")
        with open(paths["csv"], "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    if "xlsx" in formats:
        from openpyxl import Workbook

        paths["xlsx"] = os.path.join(folder, "listings.xlsx")
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Listings")
        sheet.append(list(COLUMNS))
        for row in rows:
            # numbers as numbers, the way Excel keeps them
            sheet.append([int(row[c]) if c in ("trl", "min_trl", "price_vnd", "budget_vnd_max") and row[c]
                          else row[c] for c in COLUMNS])
        workbook.save(paths["xlsx"])
    if "json" in formats:
        paths["json"] = os.path.join(folder, "listings.json")
        with open(paths["json"], "w", encoding="utf-8") as fh:
            json.dump({"items": rows}, fh, ensure_ascii=False)
    return paths


def run(rows_count, formats):
    """Generate, import, re-import; print the figures for each format, each into its own fresh database."""
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.imports.services import import_listings
    from marketplace.listings.models import Listing
    from marketplace.reference.services import ensure_reference_data

    rows = generate_rows(rows_count)
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        paths = write_files(rows, tmp, formats)
        print(f"{rows_count} generated rows; files: "
              + ", ".join(f"{fmt} {os.path.getsize(p) / 1e6:.1f} MB" for fmt, p in paths.items()))
        for fmt, path in paths.items():
            instance = os.path.join(tmp, f"instance-{fmt}")
            app = create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1:5000",
                              "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance, "b.db")})
            with app.app_context():
                db.create_all()
                ensure_reference_data()
                for label in ("import", "re-import"):
                    db.session.remove()  # each import in its own session, as two runs of the command would be
                    start = time.perf_counter()
                    report = import_listings(path)
                    seconds = time.perf_counter() - start
                    if not report.ok:
                        print(f"{fmt} {label}: FAILED", *report.errors[:10], sep="\n  ")
                        return 1
                    print(f"{fmt} {label}: {report.rows} rows in {seconds:.2f} s = {report.rows / seconds:,.0f} "
                          f"rows/s (created {report.created}, updated {report.updated}, "
                          f"organisations created {report.orgs_created})")
                total = db.session.scalar(db.select(db.func.count(Listing.id)))
                print(f"{fmt}: {total} listings in the database after both imports")
                db.session.remove()
                db.engine.dispose()
    return 0


def main():
    """Command line: --rows N, --formats csv,xlsx,json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--formats", default="csv", help="comma-separated: csv, xlsx, json")
    args = parser.parse_args()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    return run(args.rows, formats)


if __name__ == "__main__":
    sys.exit(main())
