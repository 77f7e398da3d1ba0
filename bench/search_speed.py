"""How fast search answers on a large exchange (issue 3): generate believable Vietnamese listings, load them in
bulk, rebuild the index, then time `search.search()` end to end (query reading, backend with every facet, loading
the hit rows, highlighting) over a mix of ~200 distinct queries. Prints the figures for each backend.

    .venv/bin/python bench/search_speed.py                                  # Whoosh at 20,000, PostgreSQL at 200,000
    .venv/bin/python bench/search_speed.py --backend whoosh --listings 2000
    .venv/bin/python bench/search_speed.py --backend postgres --keep        # keep the database bench_search_<pid>
    .venv/bin/python bench/search_speed.py --backend whoosh --profile       # plus a cProfile of the timed queries

Whoosh runs on a SQLite file and an index folder in a temporary folder; PostgreSQL on a fresh database created on
postgresql://postgres@127.0.0.1:5432 (--pg-server) and dropped at the end unless --keep. Rows go in with bulk Core
inserts (chunks of 5,000, never as ORM objects), the outbox is emptied, then `search.reindex()` is timed.

Targets (2 vCPUs): Whoosh p95 <= 50 ms at 20,000 listings; PostgreSQL p95 <= 50 ms at 200,000; reindex of 20,000
listings <= 60 s.
"""
import argparse
import cProfile
import csv
import importlib.util
import os
import pstats
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

CHUNK = 5_000
WARMUP = 20
TARGET_P95_MS = 50.0
TARGET_REINDEX_S = 60.0
DEFAULT_LISTINGS = {"whoosh": 20_000, "postgres": 200_000}
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"

# --- words the listings are made of (the ideas of import_speed.py, with a longer tail) ---------------------

TECHNIQUES = ["Công nghệ sấy lạnh", "Quy trình lên men", "Hệ thống giám sát IoT", "Thiết bị xử lý",
              "Phương pháp chiết xuất", "Dây chuyền sản xuất", "Chế phẩm sinh học", "Phần mềm quản lý",
              "Công nghệ nhân giống in vitro", "Vật liệu composite", "Hệ thống năng lượng mặt trời",
              "Quy trình tái chế", "Công nghệ màng lọc", "Robot tự động", "Cảm biến thông minh", "Máy sấy",
              "Hệ thống tưới nhỏ giọt", "Lò đốt", "Mô hình nuôi", "Giải pháp truy xuất nguồn gốc",
              "Quy trình canh tác", "Thiết bị đóng gói", "Công nghệ bảo quản", "Phân bón hữu cơ từ"]
OBJECTS = ["nông sản sau thu hoạch", "nước thải làng nghề", "phụ phẩm nông nghiệp", "gạo Nam Định",
           "chè Thái Nguyên", "dược liệu", "đồ gỗ mỹ nghệ", "gốm sứ Bát Tràng", "thủy sản nước ngọt",
           "chăn nuôi lợn", "rác thải sinh hoạt", "nhà xưởng công nghiệp", "giống lúa chất lượng cao", "rau an toàn",
           "nấm ăn", "tôm thẻ chân trắng", "cá rô phi", "hoa quả tươi", "rơm rạ", "chất thải y tế",
           "nước sạch nông thôn", "vật liệu xây dựng không nung", "thức ăn chăn nuôi", "sản phẩm OCOP", "vải thiều",
           "cây ăn quả có múi"]
PURPOSES = ["giảm 30% chi phí", "đạt tiêu chuẩn VietGAP", "cho hợp tác xã quy mô vừa", "tiết kiệm năng lượng",
            "không dùng hóa chất", "xuất khẩu sang EU", "quy mô hộ gia đình", "công suất 5 tấn/ngày",
            "giữ màu và vitamin", "cảnh báo qua điện thoại", "thân thiện môi trường", "vận hành tự động"]
BENEFITS = ["giảm tổn thất sau thu hoạch", "tăng năng suất 20%", "rút ngắn thời gian xử lý", "giảm mùi hôi",
            "kéo dài thời gian bảo quản", "giảm nhân công", "nâng cao chất lượng sản phẩm", "đạt quy chuẩn QCVN"]
AUDIENCES = ["hợp tác xã", "doanh nghiệp nhỏ và vừa", "trang trại", "làng nghề", "hộ nông dân", "nhà máy chế biến"]
ORG_PREFIXES = [("Viện", "institute"), ("Trường Đại học", "university"), ("Công ty TNHH", "enterprise"),
                ("Công ty Cổ phần", "enterprise"), ("Hợp tác xã", "enterprise"), ("Trung tâm", "other"),
                ("Văn phòng môi giới", "broker")]
ORG_NAMES = ["Nông nghiệp Hà Nam", "Cơ điện Phủ Lý", "Công nghệ sinh học Duy Tiên", "Thực phẩm Kim Bảng",
             "Môi trường Thanh Liêm", "Dệt may Lý Nhân", "Vật liệu mới Bình Lục", "Tự động hóa Ninh Bình",
             "Dược liệu Tam Điệp", "Năng lượng xanh", "Kỹ thuật số Việt", "Chế biến nông sản Nam Hà",
             "Cơ khí chính xác", "Thủy sản Vân Long", "Gốm sứ Hoa Lư", "Nấm sạch Gia Viễn", "Hóa chất Hà Nam",
             "Phần mềm Tràng An", "Giống cây trồng Yên Mô", "Xây dựng Kim Sơn"]
ORG_SUFFIXES = ["", "Miền Bắc", "Việt Nam", "Sông Đáy", "Sông Châu", "An Phát", "Hưng Thịnh", "Minh Long",
                "Thành Công", "Đồng Tiến", "Phú Cường", "Tân Việt"]
KEYWORDS = ["sấy lạnh", "IoT", "vi sinh", "nước thải", "tiết kiệm năng lượng", "chuyển đổi số", "hữu cơ",
            "nông nghiệp công nghệ cao", "tái chế", "bảo quản", "tự động hóa", "dược liệu", "năng lượng mặt trời"]
MODES = ["license", "assignment", "joint_venture", "capital_contribution", "technical_service", "turnkey",
         "franchise", "equipment_with_technology"]
IP_TYPES = ["patent", "utility_solution", "industrial_design", "trademark", "plant_variety", "software",
            "trade_secret"]
ENGLISH_TERMS = ["IoT", "drip irrigation", "heat pump", "biogas", "hydroponics", "smart farming", "cold storage",
                 "blockchain", "AI", "solar dryer", "tissue culture", "wastewater treatment"]
ABBREVIATIONS = ["ATTP", "XLNT", "NLMT", "HTX", "BVTV", "NTTS", "VSATTP", "CGCN", "TKNL", "PBHC", "OCOP", "CĐS"]
DETAIL = ("Thông số kỹ thuật, quy trình vận hành và định mức chi phí chi tiết; chỉ cung cấp cho bên đã ký thỏa "
          "thuận bảo mật.")


def _data_rows(name):
    """Rows of a shipped data file under marketplace/data (header row as keys)."""
    with open(os.path.join(ROOT, "marketplace", "data", name), encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class Zipf:
    """Picks from a list with weights 1/rank, so a few phrases are everywhere and most are rare, as in real text."""

    def __init__(self, items, rng):
        self.items = list(items)
        self.rng = rng
        rng.shuffle(self.items)
        total = 0.0
        self.cum = []
        for rank in range(1, len(self.items) + 1):
            total += 1.0 / rank
            self.cum.append(total)

    def pick(self, k=1):
        """k phrases (repeats possible)."""
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


class Generator:
    """Organisation and listing rows as plain dicts, made chunk by chunk (nothing is kept between chunks)."""

    def __init__(self, sectors, localities, seed=2026):
        self.rng = random.Random(seed)
        self.sectors = sectors  # [(code, name_vi)] of level-2 sectors
        self.localities = localities  # [(code, name_vi)]
        glossary_vi = sorted({r["expansion"] for r in _data_rows("glossary.csv")})
        self.phrases = Zipf(glossary_vi + KEYWORDS + OBJECTS, self.rng)
        self.heads = Zipf(TECHNIQUES + [p[:1].upper() + p[1:] for p in glossary_vi[::4]], self.rng)
        self.objects = Zipf(OBJECTS + glossary_vi[1::5], self.rng)
        self.now = datetime.now(timezone.utc).replace(microsecond=0)

    def organizations(self, count):
        """`count` organisation rows with ids 1..count; id 1 is the department (search leaves it out)."""
        rng = self.rng
        names = [f"{p} {n} {s}".strip() for s in ORG_SUFFIXES for p, _k in ORG_PREFIXES for n in ORG_NAMES]
        kinds = {p: k for p, k in ORG_PREFIXES}
        rows = []
        for n in range(1, count + 1):
            if n == 1:
                name, kind = "Sở Khoa học và Công nghệ", "department"
            else:
                name = names[(n - 2) % len(names)]
                if n - 2 >= len(names):
                    name += f" {(n - 2) // len(names) + 1}"  # "Công ty TNHH Cơ khí chính xác 2"
                kind = next(k for p, k in kinds.items() if name.startswith(p))
            locality_code, locality_name = rng.choice(self.localities)
            sector = rng.choice(self.sectors)[1].lower()
            created = self.now - timedelta(days=rng.randint(400, 2000))
            rows.append({
                "id": n, "name": name, "slug": f"org-{n}", "kind": kind, "tax_code": None,
                "locality_code": locality_code, "address": f"Số {rng.randint(1, 300)}, {locality_name}",
                "email": f"lienhe{n}@example.vn", "phone": f"0226 3{rng.randint(100000, 999999)}", "website": "",
                "description": f"{name} hoạt động trong lĩnh vực {sector}, chuyên về "
                               f"{', '.join(self.phrases.pick(2))} tại {locality_name}.",
                "verified": rng.random() < 0.7, "created_at": created, "updated_at": created,
            })
        return rows

    def listings(self, start, count, org_count):
        """(listing rows, transfer-mode rows) for ids start..start+count-1, all published."""
        rng = self.rng
        listings, modes = [], []
        for n in range(start, start + count):
            kind = rng.choices(["offer", "need", "ip"], weights=[6, 3, 1])[0]
            locality_code, locality_name = rng.choice(self.localities)
            sector_code, sector_name = rng.choice(self.sectors)
            head, obj = self.heads.pick()[0], self.objects.pick()[0]
            title = f"{head} {obj} {rng.choice(PURPOSES)}"
            a, b = self.phrases.pick(2)
            sentences = [
                f"{title}.",
                f"Giải pháp kết hợp {a} và {b} giúp {rng.choice(BENEFITS)}, phù hợp với {rng.choice(AUDIENCES)}.",
                f"Đã ứng dụng thử nghiệm tại {locality_name}, hiệu quả được hội đồng khoa học cấp tỉnh đánh giá.",
            ]
            if rng.random() < 0.12:
                sentences.append(f"Đáp ứng yêu cầu {rng.choice(ABBREVIATIONS)} của địa phương.")
            if rng.random() < 0.5:
                sentences.append(f"Lĩnh vực: {sector_name.lower()}; có thể mở rộng cho {self.objects.pick()[0]}.")
            keywords = list(dict.fromkeys(self.phrases.pick(rng.randint(2, 4))))
            if rng.random() < 0.1:
                keywords.append(rng.choice(ENGLISH_TERMS))
            published = self.now - timedelta(minutes=rng.randint(1, 3 * 365 * 24 * 60))
            ip = kind == "ip" or rng.random() < 0.2
            trl = rng.randint(3, 9) if kind != "need" else None
            price = rng.choice([None, rng.randrange(50, 3000) * 1_000_000]) if kind != "need" else None
            ref = f"SKHCN-{kind.upper()}-{n:07d}"
            summary = " ".join(sentences)
            listings.append({
                "id": n, "kind": kind, "ref": ref, "title": title, "summary": summary, "detail": DETAIL,
                "sector_code": sector_code, "keywords": ";".join(keywords), "trl": trl,
                "min_trl": rng.randint(4, 8) if kind == "need" else None,
                "price_type": "indicative" if price else "negotiable", "price_vnd": price,
                "budget_vnd_max": rng.randrange(100, 5000) * 1_000_000 if kind == "need" else None,
                "locality_code": locality_code, "expires_at": (published + timedelta(days=365)).date(),
                "status": "published", "owner_org_id": rng.randint(2, org_count), "created_by_id": None,
                "submitted_at": published - timedelta(days=2), "published_at": published,
                "reminder_sent_at": None, "edit_pending_review": False, "rejection_reason": None,
                "rejection_message": None,
                "ip_type": rng.choice(IP_TYPES) if ip else None,
                "ip_number": f"1-{rng.randint(2015, 2025)}-{rng.randint(1, 99999):05d}" if ip else None,
                "ip_grant_number": None, "ip_filing_date": None, "ip_grant_date": None,
                "ip_status": rng.choice(["pending", "granted"]) if ip else None,
                "ip_owners": rng.choice(ORG_NAMES) if ip else None,
                "search_text": "",  # filled below, as Listing.refresh_search_text() would
                "created_at": published - timedelta(days=3), "updated_at": published,
            })
            listings[-1]["search_text"] = _folded(ref, title, summary, listings[-1]["keywords"],
                                                  listings[-1]["ip_number"])
            modes.extend({"listing_id": n, "code": c} for c in rng.sample(MODES, rng.randint(1, 3)))
        return listings, modes


def _folded(*parts):
    """Listing.search_text for these parts."""
    from marketplace.core.text import fold

    return fold(" ".join(p for p in parts if p))


# --- queries ---------------------------------------------------------------------------------------------

SHORT = ["máy sấy", "sấy lạnh", "nước thải", "chế phẩm sinh học", "phân bón hữu cơ", "nuôi cấy mô", "giống lúa",
         "tưới nhỏ giọt", "cảm biến", "năng lượng mặt trời", "chè", "dược liệu", "gốm sứ", "nấm ăn", "thủy sản",
         "chăn nuôi lợn", "rác thải", "vật liệu composite", "robot", "phần mềm quản lý", "màng lọc",
         "bảo quản nông sản", "lên men", "chiết xuất", "đồ gỗ", "rau an toàn", "tái chế", "khử mùi", "nhà kính",
         "thức ăn chăn nuôi", "máy sấy nông sản", "xử lý nước thải làng nghề", "IoT nông nghiệp", "giám sát",
         "tiết kiệm năng lượng", "tôm thẻ", "vải thiều", "truy xuất nguồn gốc", "lò đốt rác", "Phủ Lý"]
LONG = [
    "làm thế nào để xử lý nước thải chăn nuôi lợn mà không tốn nhiều chi phí",
    "tôi cần công nghệ sấy nông sản sau thu hoạch cho hợp tác xã quy mô vừa",
    "có giải pháp nào giúp bảo quản rau an toàn lâu hơn không dùng hóa chất",
    "tìm đơn vị chuyển giao quy trình nhân giống in vitro cây dược liệu quý",
    "công nghệ nào tiết kiệm năng lượng cho nhà xưởng sản xuất gốm sứ Bát Tràng",
    "cần mua dây chuyền chế biến chè xanh đạt tiêu chuẩn xuất khẩu sang EU",
    "hệ thống tưới nhỏ giọt tự động bằng cảm biến độ ẩm đất cho vườn rau",
    "chế phẩm vi sinh xử lý phụ phẩm nông nghiệp thành phân bón hữu cơ cho cây",
    "lam the nao de giam mui hoi trang trai chan nuoi lon quy mo ho gia dinh",
    "muốn tìm phần mềm quản lý truy xuất nguồn gốc cho sản phẩm OCOP của hợp tác xã",
    "giải pháp năng lượng mặt trời áp mái cho doanh nghiệp nhỏ và vừa ở khu công nghiệp",
    "thiết bị lọc nước sạch cho vùng nông thôn bị nhiễm asen và sắt",
    "ai có công nghệ nuôi trồng nấm ăn trên phụ phẩm rơm rạ quy mô lớn",
    "robot tự động hóa khâu đóng gói sản phẩm trong nhà máy thực phẩm",
    "cách tái chế rác thải sinh hoạt thành vật liệu xây dựng không nung",
    "can cong nghe say lanh hoa qua giu mau va vitamin de xuat khau",
    "quy trình lên men tạo men vi sinh cho thức ăn thủy sản nước ngọt",
    "làm sao để đạt tiêu chuẩn VietGAP cho vùng trồng rau an toàn của xã",
    "đơn vị nào nhận chuyển giao công nghệ xử lý rác thải y tế bằng lò đốt",
    "hệ thống giám sát IoT cho ao nuôi tôm cá cảnh báo thiếu oxy qua điện thoại",
]
TYPOS = ["máy sáy", "nuoc thia", "ché phẩm sinh học", "phan bon huu c", "năng lương mặt trời", "cam bien do am",
         "bảo quan nong san", "sấy lạng", "nuôi cây mô", "tuoi nho giot", "dươc liệu", "thuy sna",
         "vât liệu composite", "xu ly nuoc thai langnghe", "maysay", "coong ngheej", "nuwowcs thair",
         "tieets kieemj nawng luowngj", "robbot tu dong", "phaan mem quan ly"]
ENGLISH = ["drip irrigation", "heat pump dryer", "solar dryer", "wastewater treatment", "IoT sensor", "greenhouse",
           "tissue culture", "organic fertilizer", "biogas", "cold storage", "rice transplanter", "hydroponics",
           "fish feed", "smart farming", "food safety"]
ABBREVIATION_QUERIES = ["ATTP", "XLNT", "NLMT", "CNTT", "HTX", "BVTV", "NTTS", "VSATTP", "CGCN", "TKNL", "PBHC",
                        "HTXLNT", "KH&CN", "OCOP", "CĐS"]
BROAD = ["công nghệ", "cong nghe", "hệ thống", "quy trình", "sản xuất", "nông nghiệp", "thiết bị",
         "giải pháp công nghệ"]


def build_queries(sectors, localities, seed=7):
    """[(category, search keyword arguments)]: ~200 distinct searches of every kind a visitor makes."""
    from marketplace.core.text import fold

    rng = random.Random(seed)
    out = [("short", {"q": q}) for q in SHORT]
    out += [("no_diacritics", {"q": fold(q)}) for q in SHORT[:25]]
    out += [("long_question", {"q": q}) for q in LONG]
    out += [("typo", {"q": q}) for q in TYPOS]
    out += [("english", {"q": q}) for q in ENGLISH]
    out += [("abbreviation", {"q": q}) for q in ABBREVIATION_QUERIES]
    out += [("broad", {"q": q}) for q in BROAD]
    sector_codes = [c for c, _n in sectors]
    filters = [
        lambda: {"kind": rng.choice(["offer", "need", "ip", "org"])},
        lambda: {"sector_code": rng.choice("123456")},
        lambda: {"sector_code": rng.choice(sector_codes)},
        lambda: {"trl_band": rng.choice(["1-3", "4-6", "7-9"])},
        lambda: {"transfer_mode": rng.choice(MODES)},
        lambda: {"locality": rng.choice(localities)[0]},
        lambda: {"owner_kind": rng.choice(["enterprise", "university", "institute"])},
        lambda: {"kind": "ip", "ip_type": rng.choice(IP_TYPES)},
        lambda: {"kind": "offer", "sector_code": rng.choice("123456"), "trl_band": "7-9"},
    ]
    for n in range(36):
        params = {"q": rng.choice(SHORT + BROAD)}
        params.update(filters[n % len(filters)]())
        out.append(("filtered", params))
    for q in rng.sample(SHORT, 14):
        out.append(("newest", {"q": q, "sort": "newest"}))
    for n, q in enumerate(rng.sample(SHORT + BROAD, 15)):
        out.append(("page_2_5", {"q": q, "page": 2 + n % 4}))
    for n in range(8):  # the search page with filters and no words: everything that passes, newest first
        params = filters[n % len(filters)]()
        params["page"] = 1 + n % 3
        out.append(("browse", params))
    for _category, params in out:
        params.setdefault("per_page", 20)
    return out


# --- measuring -------------------------------------------------------------------------------------------

def percentile(values, p):
    """The p-th percentile (0..100) of values, linearly interpolated."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def peak_rss_mb():
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(path):
    """Total size of the files under a folder, in MB."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in files)
    return total / 1e6


class StageTimer:
    """Times the stages of services.search() by wrapping the functions it calls (the app's code is unchanged):
    reading the query, the backend, loading hit rows (hit loading minus highlighting and URLs), highlighting."""

    STAGES = ("read", "backend", "load_rows", "highlight", "url_for", "other")

    def __init__(self, services, backend, engine):
        self.services = services
        self.backend = backend
        self.engine = engine
        self.current = defaultdict(float)
        self.sql = [0, 0.0]
        self.saved = []

    def _wrap(self, owner, name, stage):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.current[stage] += time.perf_counter() - start

        self.saved.append((owner, name, original, name in vars(owner)))
        setattr(owner, name, timed)

    def install(self):
        """Wrap the stage functions and listen to SQL statements."""
        from sqlalchemy import event

        self._wrap(self.services, "read", "read")
        self._wrap(self.backend, "search", "backend")
        self._wrap(self.services, "_load_hits", "load_hits")
        self._wrap(self.services, "highlight", "highlight")
        self._wrap(self.services, "url_for", "url_for")
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)

    def uninstall(self):
        """Put the original functions back."""
        from sqlalchemy import event

        for owner, name, original, own in reversed(self.saved):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)  # an instance attribute hid the class's method
        self.saved = []
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_start"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        self.sql[0] += 1
        self.sql[1] += time.perf_counter() - conn.info.pop("bench_start", time.perf_counter())

    def start(self):
        """Reset for one search."""
        self.current = defaultdict(float)
        self.sql = [0, 0.0]

    def split(self, total):
        """{stage: seconds} of the search just timed, and (statements, seconds) of SQL."""
        c = self.current
        load = c["load_hits"] - c["highlight"] - c["url_for"]
        stages = {"read": c["read"], "backend": c["backend"], "load_rows": load, "highlight": c["highlight"],
                  "url_for": c["url_for"]}
        stages["other"] = max(total - c["read"] - c["backend"] - c["load_hits"], 0.0)
        return stages, tuple(self.sql)


def run_queries(app, queries, runs, profile):
    """Warm up, then time `runs` searches cycling through `queries`; returns the per-search records."""
    from marketplace.extensions import db
    from marketplace.search import services as search

    rng = random.Random(11)
    order = list(queries)
    rng.shuffle(order)
    records = []
    seen = set()
    profiler = cProfile.Profile() if profile else None
    with app.test_request_context():
        timer = StageTimer(search, search.get_backend(), db.engine)
        start = time.perf_counter()
        search.search(q="máy sấy nông sản", per_page=20)  # opens the searcher, reads vocabulary and glossary
        cold = time.perf_counter() - start
        db.session.remove()
        for _category, params in order[:WARMUP]:
            search.search(**params)
            db.session.remove()
        timer.install()
        try:
            for n in range(runs):
                category, params = order[n % len(order)]
                timer.start()
                if profiler:
                    profiler.enable()
                start = time.perf_counter()
                results = search.search(**params)
                seconds = time.perf_counter() - start
                if profiler:
                    profiler.disable()
                stages, sql = timer.split(seconds)
                key = repr(sorted(params.items()))
                records.append({"category": category, "seconds": seconds, "stages": stages, "sql": sql,
                                "total": results.total, "hits": len(results.hits), "repeat": key in seen,
                                "degraded": results.degraded, "params": params})
                seen.add(key)
                db.session.remove()  # a fresh session per search, as a request has
        finally:
            timer.uninstall()
    return cold, records, profiler


def refresh_costs(app):
    """Seconds of the per-process caches search rebuilds on a timer: the vocabulary (every 300 s: read from the
    index, then its spelling index on the first correction) and the glossary (every 60 s: rows, then compiled)."""
    from marketplace.extensions import db
    from marketplace.search import glossary, services, understanding

    out = {}
    with app.test_request_context():
        backend = services.get_backend()
        start = time.perf_counter()
        frequencies = backend.vocabulary()
        out["vocabulary read from the index"] = time.perf_counter() - start
        vocab = understanding.Vocabulary(frequencies)
        start = time.perf_counter()
        vocab.correction("thia")
        out["spelling index (first correction)"] = time.perf_counter() - start
        out["vocabulary words"] = len(frequencies)
        glossary.forget()
        start = time.perf_counter()
        pairs, abbreviations = glossary.for_reading()
        out["glossary rows read"] = time.perf_counter() - start
        start = time.perf_counter()
        understanding.read_query("x", vocab, glossary=list(pairs), abbreviations=dict(abbreviations))
        out["glossary compiled"] = time.perf_counter() - start
        db.session.remove()
        out.update(_after_an_edit(services))
    return out


def _after_an_edit(services):
    """Seconds of the first search after a listing is edited (the index changes; the searcher reopens), then
    of the same search again."""
    from marketplace.extensions import db
    from marketplace.listings.models import Listing

    out = {}
    listing = db.session.scalars(db.select(Listing).where(Listing.status == "published").limit(1)).one()
    listing.title = listing.title + " (sửa)"
    start = time.perf_counter()
    db.session.commit()  # SEARCH_APPLY=sync: the outbox is applied here
    out["edit applied to the index"] = time.perf_counter() - start
    for label in ("first search after the edit", "the same search again"):
        start = time.perf_counter()
        services.search(q="máy sấy nông sản", per_page=20)
        out[label] = time.perf_counter() - start
        db.session.remove()
    return out


def print_report(records, cold, refresh):
    """The latency figures: overall, by query type, first run against repeats, and by stage."""
    ms = [r["seconds"] * 1000 for r in records]
    print(f"  first search after reindex (cold): {cold * 1000:.0f} ms")
    print(f"  {len(records)} timed searches ({len({repr(sorted(r['params'].items())) for r in records})} distinct, "
          f"after {WARMUP} warm-up), per_page 20, every facet, highlights on:")
    print(f"    p50 {percentile(ms, 50):.1f} ms   p95 {percentile(ms, 95):.1f} ms   p99 {percentile(ms, 99):.1f} ms   "
          f"max {max(ms):.1f} ms   mean {sum(ms) / len(ms):.1f} ms")
    degraded = sum(1 for r in records if r["degraded"])
    if degraded:
        print(f"    WARNING: {degraded} searches answered from the database (index unavailable)")
    print(f"    {'type':<15}{'runs':>6}{'p50':>9}{'p95':>9}{'max':>9}{'mean':>9}{'mean total':>12}")
    by_type = defaultdict(list)
    for r in records:
        by_type[r["category"]].append(r)
    for category, rows in sorted(by_type.items(), key=lambda kv: -percentile([r["seconds"] for r in kv[1]], 95)):
        values = [r["seconds"] * 1000 for r in rows]
        print(f"    {category:<15}{len(rows):>6}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
              f"{max(values):>9.1f}{sum(values) / len(values):>9.1f}"
              f"{sum(r['total'] for r in rows) / len(rows):>12,.0f}")
    for label, rows in (("first run of a query", [r for r in records if not r["repeat"]]),
                        ("repeats", [r for r in records if r["repeat"]])):
        if rows:
            values = [r["seconds"] * 1000 for r in rows]
            print(f"    {label:<22} {len(rows):>4} runs: p50 {percentile(values, 50):.1f} ms, "
                  f"p95 {percentile(values, 95):.1f} ms")
    print("    where the time goes (ms per search):")
    print(f"    {'stage':<12}{'mean':>8}{'p50':>8}{'p95':>8}{'share':>8}")
    total = sum(r["seconds"] for r in records)
    for stage in StageTimer.STAGES:
        values = [r["stages"][stage] * 1000 for r in records]
        share = sum(values) / 1000 / total * 100 if total else 0
        print(f"    {stage:<12}{sum(values) / len(values):>8.2f}{percentile(values, 50):>8.2f}"
              f"{percentile(values, 95):>8.2f}{share:>7.0f}%")
    statements = sum(r["sql"][0] for r in records) / len(records)
    sql_ms = sum(r["sql"][1] for r in records) * 1000 / len(records)
    print(f"    SQL: {statements:.1f} statements, {sql_ms:.2f} ms per search (inside the stages above)")
    print("  caches rebuilt on a timer (a search that finds them stale pays this), and an edit:")
    for name, value in refresh.items():
        print(f"    {name}: " + (f"{value:,}" if isinstance(value, int) else f"{value * 1000:.0f} ms"))


# --- the database ------------------------------------------------------------------------------------------

def load_data(app, count, dialect):
    """Bulk-insert organisations and `count` published listings in chunks; returns (organisations, seconds,
    sectors, localities) with the [(code, name)] the rows were drawn from."""
    from marketplace.accounts.models import Organization
    from marketplace.extensions import db
    from marketplace.listings.models import Listing, ListingTransferMode
    from marketplace.reference.models import Locality, Sector
    from marketplace.search.models import SearchOutbox

    start = time.perf_counter()
    sectors = [(s.code, s.name_vi) for s in db.session.scalars(db.select(Sector).where(Sector.parent_code.isnot(None))
                                                                 .order_by(Sector.code))]
    localities = [(loc.code, loc.name_vi) for loc in db.session.scalars(db.select(Locality).order_by(Locality.code))]
    db.session.remove()
    generator = Generator(sectors, localities)
    org_count = max(120, count // 40)
    with db.engine.begin() as conn:
        conn.execute(Organization.__table__.insert(), generator.organizations(org_count))
    for first in range(1, count + 1, CHUNK):
        rows, modes = generator.listings(first, min(CHUNK, count - first + 1), org_count)
        with db.engine.begin() as conn:
            conn.execute(Listing.__table__.insert(), rows)
            conn.execute(ListingTransferMode.__table__.insert(), modes)
    with db.engine.begin() as conn:
        if dialect == "postgresql":  # explicit ids: move the sequences past them
            for table in ("organization", "listing"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        conn.execute(db.delete(SearchOutbox))
    if dialect == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return org_count, time.perf_counter() - start, sectors, localities


def pg_search_sizes(engine):
    """[(relation, MB)] of the search tables (name starting "search") and of every GIN/GiST index, and the
    listing table's size for comparison."""
    sql = """
        SELECT c.relname, pg_total_relation_size(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm') AND c.relname LIKE 'search%%'
        UNION ALL
        SELECT c.relname || ' (' || am.amname || ' index)', pg_relation_size(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam
        WHERE n.nspname = current_schema() AND c.relkind = 'i' AND am.amname IN ('gin', 'gist')
          AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                          WHERE i.indexrelid = c.oid AND t.relname LIKE 'search%%')
        ORDER BY 2 DESC"""
    with engine.connect() as conn:
        rows = [(name, size / 1e6) for name, size in conn.exec_driver_sql(sql)]
        listing = conn.exec_driver_sql("SELECT pg_total_relation_size('listing')").scalar() / 1e6
    return rows, listing


def postgres_backend_ready():
    """True when marketplace/search/backends/postgres.py has a PostgresBackend with ensure_schema()."""
    if importlib.util.find_spec("marketplace.search.backends.postgres") is None:
        return False
    try:
        from marketplace.search.backends.postgres import PostgresBackend
    except Exception as exc:  # a module half-written by a colleague
        print(f"postgres backend does not import: {exc!r}")
        return False
    return hasattr(PostgresBackend, "ensure_schema")


def create_pg_database(server, name):
    """CREATE DATABASE name (UTF-8, C.UTF-8 collation) on the server; returns its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0 '
                     f"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    return "postgresql+psycopg://" + server.split("://", 1)[1] + "/" + name


def drop_pg_database(server, name):
    """DROP DATABASE name."""
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- one backend -----------------------------------------------------------------------------------------

def bench_backend(name, count, runs, keep, profile, pg_server):
    """Build, load, reindex and query one backend; prints its figures. Returns True when the targets are met."""
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.reference.services import ensure_reference_data
    from marketplace.search import glossary
    from marketplace.search import services as search

    print(f"\n=== {name}: {count:,} listings ===")
    tmp = tempfile.mkdtemp(prefix=f"search-bench-{name}-")
    pg_name = None
    config = {"INSTANCE_PATH": os.path.join(tmp, "instance"), "SECRET_KEY": "bench",
              "PUBLIC_URL": "http://127.0.0.1:5000", "SEARCH_BACKEND": name, "SEARCH_APPLY": "sync",
              "SEARCH_INDEX_DIR": os.path.join(tmp, "search-index"), "DAILY_JOBS_INLINE": False,
              "RATELIMIT_ENABLED": False}
    if name == "postgres":
        pg_name = f"bench_search_{os.getpid()}"
        config["SQLALCHEMY_DATABASE_URI"] = create_pg_database(pg_server, pg_name)
    else:
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(tmp, "bench.db")
    app = create_app(config)
    ok = True
    try:
        with app.app_context():
            db.create_all()
            ensure_reference_data()
            glossary.load_shipped()
            if name == "postgres":
                search.get_backend().ensure_schema()
            orgs, seconds, sectors, localities = load_data(app, count, db.engine.dialect.name)
            print(f"data: {orgs:,} organisations and {count:,} published listings generated and inserted in "
                  f"{seconds:.1f} s ({count / seconds:,.0f} listings/s); peak RSS {peak_rss_mb():.0f} MB")
            start = time.perf_counter()
            indexed = search.reindex()
            reindex_s = time.perf_counter() - start
            print(f"reindex: {indexed:,} documents in {reindex_s:.1f} s ({indexed / reindex_s:,.0f} docs/s); "
                  f"peak RSS {peak_rss_mb():.0f} MB")
            if name == "whoosh":
                print(f"index size: {folder_mb(config['SEARCH_INDEX_DIR']):.1f} MB on disk "
                      f"(SQLite database {os.path.getsize(os.path.join(tmp, 'bench.db')) / 1e6:.1f} MB)")
            else:
                sizes, listing_mb = pg_search_sizes(db.engine)
                print(f"index size: {sum(mb for _n, mb in sizes):.1f} MB in search tables and text indexes ("
                      + ", ".join(f"{n} {mb:.1f} MB" for n, mb in sizes) + f"); listing table {listing_mb:.1f} MB")
            db.session.remove()
        queries = build_queries(sectors, localities)
        cold, records, profiler = run_queries(app, queries, runs, profile)
        with app.app_context():
            refresh = refresh_costs(app)
        print(f"queries: {len(queries)} distinct; peak RSS {peak_rss_mb():.0f} MB")
        print_report(records, cold, refresh)
        p95 = percentile([r["seconds"] * 1000 for r in records], 95)
        targets = [(DEFAULT_LISTINGS[name], f"p95 {p95:.1f} ms <= {TARGET_P95_MS:.0f} ms", p95 <= TARGET_P95_MS),
                   (20_000, f"reindex {reindex_s:.1f} s <= {TARGET_REINDEX_S:.0f} s", reindex_s <= TARGET_REINDEX_S)]
        for at, label, met in targets:
            if count == at:
                print(f"  target: {label}: {'met' if met else 'NOT MET'}")
                ok = ok and met
            else:
                print(f"  target: {label} is set at {at:,} listings (not judged at {count:,})")
        if profiler:
            print("\n  cProfile of the timed searches (top 30 by cumulative time):")
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)
    finally:
        with app.app_context():
            search.get_backend().close()
            db.session.remove()
            db.engine.dispose()
        if keep:
            print(f"kept: {tmp}" + (f" and database {pg_name}" if pg_name else ""))
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            if pg_name:
                drop_pg_database(pg_server, pg_name)
    return ok


def main():
    """Command line: --backend whoosh|postgres|both, --listings N, --queries N, --keep, --profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("whoosh", "postgres", "both"), default="both")
    parser.add_argument("--listings", type=int, default=None,
                        help="listings to generate (default: 20,000 for whoosh, 200,000 for postgres)")
    parser.add_argument("--queries", type=int, default=600, help="timed searches after the warm-up (default 600)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the PostgreSQL database")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed searches")
    parser.add_argument("--pg-server", default=PG_SERVER, help=f"PostgreSQL server (default {PG_SERVER})")
    args = parser.parse_args()
    backends = ["whoosh", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and not postgres_backend_ready():
        print("postgres backend not available yet")
        backends.remove("postgres")
        if not backends:
            backends = ["whoosh"]
    ok = True
    for name in backends:
        count = args.listings or DEFAULT_LISTINGS[name]
        ok = bench_backend(name, count, args.queries, args.keep, args.profile, args.pg_server) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
