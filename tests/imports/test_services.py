"""Bulk import: formats, updates by ref, all-or-nothing, organisations, columns, limits."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from marketplace.accounts.models import Organization
from marketplace.core import clock
from marketplace.imports.services import import_listings, template_csv
from marketplace.listings.models import Listing, ListingEvent

from .conftest import HEADER, csv_bytes, json_bytes, need_row, offer_row, xlsx_bytes


def listings(db):
    return db.session.scalars(db.select(Listing).order_by(Listing.id)).all()


def org_named(db, name):
    return db.session.scalar(db.select(Organization).where(Organization.name == name))


def test_csv_import_creates_listings_with_every_column_mapped(db, write_file, make_user):
    actor = make_user(role="department")
    path = write_file("tin.csv", csv_bytes([offer_row(ip_type="patent", ip_number="1-2023-00042"), need_row()]))

    report = import_listings(path, actor=actor)

    assert report.ok and (report.created, report.updated, report.rows) == (2, 0, 2)
    offer, need = listings(db)
    assert (offer.kind, offer.ref, offer.status) == ("offer", "SKHCN-CB-001", "published")
    assert offer.published_at is not None and offer.expires_at > clock.today()
    assert offer.detail == "Thông số buồng sấy, bí mật."  # description is the confidential detail
    assert (offer.sector_code, offer.trl, offer.locality_code) == ("401", 7, "phu-ly")
    assert offer.transfer_modes == ["license", "technical_service"]
    assert (offer.price_type, offer.price_vnd) == ("indicative", 250_000_000)
    assert offer.keyword_list == ["sấy lạnh", "nông sản"]
    assert (offer.ip_type, offer.ip_number) == ("patent", "1-2023-00042")
    assert offer.created_by_id == actor.id
    assert (need.kind, need.min_trl, need.budget_vnd_max, need.locality_code) == ("need", 6, 1_200_000_000,
                                                                                  "duy-tien")
    assert need.status == "published"  # no status cell: published by default
    events = db.session.scalars(db.select(ListingEvent).where(ListingEvent.listing_id == offer.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [("imported", actor.id)]


def test_semicolon_csv_with_bom_and_loose_headers(db):
    header = [" Kind", "REF", "Title ", "summary", "sector code", "trl", "owner_org"]
    row = ["offer", "A-1", "Máy gặt mini", "Cho ruộng bậc thang", "203", "5", "Công ty Cơ khí Hòa Bình"]
    data = ("\ufeff" + ";".join(header) + "\r\n" + ";".join(row) + "\r\n").encode("utf-8")

    report = import_listings(data, "may.csv")

    assert report.ok, report.errors
    (offer,) = listings(db)
    assert (offer.title, offer.sector_code, offer.trl, offer.price_type) == ("Máy gặt mini", "203", 5, "negotiable")


def test_xlsx_import_accepts_numbers_stored_as_floats(db, write_file):
    rows = [HEADER,
            ["offer", 1001, "Chế phẩm vi sinh xử lý rơm rạ", "Phân hủy rơm trong 20 ngày.", "", 401, 6.0, None,
             "license", 150000000.0, None, "vi sinh", None, None, "Viện Nông nghiệp Hà Nam", "institute",
             "Kim Bảng", "published"]]
    report = import_listings(write_file("tin.xlsx", xlsx_bytes(rows)))

    assert report.ok, report.errors
    (offer,) = listings(db)
    assert (offer.ref, offer.sector_code, offer.trl, offer.price_vnd, offer.locality_code) == (
        "1001", "401", 6, 150_000_000, "kim-bang")


def test_xlsx_errors_name_the_spreadsheet_row(db, write_file):
    good = ["offer", "X-1", "Máy sấy", "Tóm tắt", "", "203", 6, None, "license", 0, None, "", None, None,
            "Viện A", "", "", ""]
    bad = list(good)
    bad[1], bad[6] = "X-2", 6.5
    rows = [HEADER, good, [None] * len(HEADER), bad]  # an empty row 3 is skipped but still counted

    report = import_listings(write_file("tin.xlsx", xlsx_bytes(rows)))

    assert not report.ok
    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(4, 'trl "6.5"')]
    assert listings(db) == []


def test_json_keys_are_case_insensitive_and_missing_keys_keep_values(db):
    import_listings(json_bytes([offer_row()]), "v1.json")
    report = import_listings(json_bytes([{"Kind": "offer", "REF": "SKHCN-CB-001", "title": "Tên mới",
                                          "owner_org": "Viện Cơ điện Nông nghiệp"},
                                         {"kind": "need", "Title": "Nhu cầu mới", "summary": "Cần máy",
                                          "sector_code": "203", "owner_org": "HTX Yên Mô"}]), "v2.json")

    assert report.ok and (report.created, report.updated) == (1, 1), report.errors
    offer, need = listings(db)
    assert (offer.title, offer.trl, offer.summary) == ("Tên mới", 7, "Sấy lạnh giữ màu và dinh dưỡng của rau quả.")
    assert need.title == "Nhu cầu mới"


@pytest.mark.parametrize("wrap", [False, True])
def test_json_import_takes_a_list_or_items(db, wrap):
    item = offer_row(transfer_modes=["license", "franchise"], trl=8, price_vnd=0)
    report = import_listings(json_bytes([item, need_row()], wrap=wrap), "tin.json")

    assert report.ok, report.errors
    offer, need = listings(db)
    assert offer.transfer_modes == ["license", "franchise"] and offer.trl == 8
    assert offer.price_type == "negotiable" and offer.price_vnd is None
    assert need.kind == "need"


def test_json_errors_count_items_from_one(db):
    report = import_listings(json_bytes([offer_row(), "not an object", need_row(min_trl=0)]), "tin.json")

    assert [(row, message.split(":")[0]) for row, message in report.errors][1:] == [(3, 'min_trl "0"')]
    assert report.errors[0][0] == 2
    assert listings(db) == []


def test_reimporting_the_same_ref_updates_instead_of_duplicating(db, write_file):
    first = write_file("v1.csv", csv_bytes([offer_row(), need_row()]))
    assert import_listings(first).created == 2

    second = write_file("v2.csv", csv_bytes([offer_row(title="Công nghệ sấy lạnh thế hệ 2", trl="8",
                                                       price_vnd="", transfer_modes="assignment"),
                                             need_row()]))
    report = import_listings(second)

    assert report.ok and (report.created, report.updated) == (0, 2)
    offer, need = listings(db)
    assert len(listings(db)) == 2
    assert (offer.title, offer.trl, offer.price_type, offer.price_vnd) == (
        "Công nghệ sấy lạnh thế hệ 2", 8, "negotiable", None)
    assert offer.transfer_modes == ["assignment"]
    actions = db.session.scalars(db.select(ListingEvent.action).where(ListingEvent.listing_id == offer.id)).all()
    assert actions == ["imported", "imported"]


def test_columns_left_out_of_a_reimport_keep_their_values(db):
    import_listings(csv_bytes([offer_row()]), "v1.csv")
    header = ("kind", "ref", "title", "owner_org")
    report = import_listings(csv_bytes([{"kind": "offer", "ref": "SKHCN-CB-001", "title": "Tên mới",
                                         "owner_org": "Viện Cơ điện Nông nghiệp"}], header=header), "v2.csv")

    assert report.ok and report.updated == 1, report.errors
    (offer,) = listings(db)
    assert offer.title == "Tên mới"
    assert (offer.summary, offer.trl, offer.price_vnd, offer.detail) == (
        "Sấy lạnh giữ màu và dinh dưỡng của rau quả.", 7, 250_000_000, "Thông số buồng sấy, bí mật.")


def test_the_same_ref_twice_in_one_file_is_refused(db):
    report = import_listings(csv_bytes([offer_row(), offer_row(title="Bản sao")]), "tin.csv")

    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(3, "ref")]
    assert "2" in report.errors[0][1]
    assert listings(db) == []


@pytest.mark.parametrize("change, column", [
    ({"sector_code": "999"}, "sector_code"),
    ({"trl": "12"}, 'trl "12"'),
    ({"transfer_modes": "license;teleport"}, "transfer_modes"),
    ({"price_vnd": "hai trăm triệu"}, 'price_vnd "hai trăm triệu"'),
    ({"price_vnd": "-5"}, 'price_vnd "-5"'),
    ({"locality": "Hà Nội"}, "locality"),
    ({"status": "approved"}, "status"),
    ({"kind": "offers"}, "kind"),
    ({"title": ""}, "title"),
    ({"owner_org": ""}, "owner_org"),
    ({"owner_kind": "hội"}, "owner_kind"),
    ({"min_trl": "5"}, "min_trl"),  # a need's column on an offer
])
def test_one_bad_row_writes_nothing_and_names_row_and_reason(db, change, column):
    rows = [need_row(), offer_row(**change), need_row(ref="SKHCN-NC-002")]
    orgs_before = db.session.scalar(db.select(db.func.count(Organization.id)))

    report = import_listings(csv_bytes(rows), "tin.csv")

    assert not report.ok
    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(3, column)]
    assert (report.created, report.updated) == (0, 0)
    assert listings(db) == []
    assert db.session.scalar(db.select(db.func.count(Organization.id))) == orgs_before


def test_every_bad_row_is_reported_at_once(db):
    rows = [offer_row(ref="A", trl="12", sector_code="999"), need_row(), offer_row(ref="B", transfer_modes="x")]

    report = import_listings(csv_bytes(rows), "tin.csv")

    assert sorted({row for row, _ in report.errors}) == [2, 4]
    assert report.bad_rows == 2 and len(report.errors) == 3
    assert "999" in " ".join(m for _, m in report.errors)


def test_a_bad_update_leaves_the_listing_as_it_was(db):
    import_listings(csv_bytes([offer_row(), need_row()]), "v1.csv")
    report = import_listings(csv_bytes([offer_row(title="Đổi tên"), need_row(min_trl="42")]), "v2.csv")

    assert not report.ok
    db.session.expire_all()
    assert listings(db)[0].title == "Công nghệ sấy lạnh nông sản"


def test_missing_organisations_are_created_once_and_matched_ignoring_case(db, make_org):
    existing = make_org("university", name="Trường Đại học Hoa Lư")
    rows = [offer_row(ref="1", owner_org="TRƯỜNG ĐẠI HỌC HOA LƯ", owner_kind="other"),
            offer_row(ref="2", owner_org="Công ty TNHH Nấm sạch Gia Viễn", owner_kind="doanh nghiệp"),
            need_row(ref="3", owner_org="công ty tnhh nấm sạch gia viễn", owner_kind=""),
            need_row(ref="4", owner_org="Trung tâm Ứng dụng tiến bộ KH&CN", owner_kind="")]

    report = import_listings(csv_bytes(rows), "tin.csv")

    assert report.ok and report.orgs_created == 2, report.errors
    first, second, third, fourth = listings(db)
    assert first.owner_org_id == existing.id and existing.kind == "university"  # an import never re-kinds
    assert second.owner_org_id == third.owner_org_id
    assert (second.owner.name, second.owner.kind) == ("Công ty TNHH Nấm sạch Gia Viễn", "enterprise")
    assert fourth.owner.kind == "other"
    assert org_named(db, "công ty tnhh nấm sạch gia viễn") is None


def test_unknown_columns_refuse_the_file_and_name_them(db):
    header = HEADER + ("sector", "ghi_chu")
    report = import_listings(csv_bytes([offer_row(sector="401", ghi_chu="x")], header=header), "tin.csv")

    assert not report.ok and len(report.errors) == 1
    row, message = report.errors[0]
    assert row is None and "sector," in message and "ghi_chu" in message
    assert listings(db) == []


def test_missing_required_columns_refuse_the_file(db):
    header = ("ref", "summary", "owner_org")
    report = import_listings(csv_bytes([{"ref": "1", "summary": "x", "owner_org": "y"}], header=header), "a.csv")

    assert report.errors and report.errors[0][0] is None
    assert "kind" in report.errors[0][1] and "title" in report.errors[0][1]


def test_dry_run_reports_but_writes_nothing(db):
    report = import_listings(csv_bytes([offer_row(), need_row()]), "tin.csv", dry_run=True)

    assert report.ok and report.dry_run and (report.created, report.orgs_created) == (2, 2)
    assert listings(db) == []
    assert org_named(db, "Hợp tác xã Dệt Nha Xá") is None


def test_statuses_and_ip_assets(db):
    rows = [offer_row(ref="d", status="draft"), offer_row(ref="s", status="Submitted"),
            offer_row(kind="ip", ref="ip-1", ip_type="plant_variety", ip_number="GCN-2024-17", trl="",
                      summary="", sector_code="", transfer_modes="assignment")]
    report = import_listings(csv_bytes(rows), "tin.csv")

    assert report.ok, report.errors
    draft, submitted, asset = listings(db)
    assert (draft.status, draft.published_at) == ("draft", None)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    assert (asset.kind, asset.ip_type, asset.ip_number, asset.status) == ("ip", "plant_variety", "GCN-2024-17",
                                                                           "published")


def test_past_expiry_is_refused_for_a_published_row(db):
    header = HEADER + ("expires_at",)
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    report = import_listings(csv_bytes([offer_row(expires_at=yesterday)], header=header), "tin.csv")
    assert [row for row, _ in report.errors] == [2]

    report = import_listings(csv_bytes([offer_row(expires_at=yesterday, status="expired")], header=header), "b.csv")
    assert report.ok and listings(db)[0].expires_at == clock.today() - timedelta(days=1)


def test_rows_without_ref_get_a_readable_one(db):
    report = import_listings(csv_bytes([offer_row(ref=""), offer_row(ref="")]), "tin.csv")

    assert report.created == 2
    assert all(l.ref.startswith("CB-") for l in listings(db))


def test_empty_rows_are_skipped_and_numbering_kept(db):
    text = csv_bytes([offer_row()]).decode() + ",,,,,,,,,,,,,,,,,\r\n\r\n" + csv_bytes(
        [offer_row(ref="B", trl="0")]).decode().split("\r\n", 1)[1]

    report = import_listings(text.encode(), "tin.csv")

    assert report.rows == 2
    assert [row for row, _ in report.errors] == [5]


@pytest.mark.parametrize("name, data, words", [
    ("tin.xlsx", b"this is not a workbook", "xlsx"),
    ("tin.xlsx", b"PK\x03\x04broken zip", "xlsx"),
    ("tin.json", b'{"items": [', "JSON"),
    ("tin.json", b'{"offers": []}', "items"),
    ("tin.csv", "kind,title\n".encode("utf-16-le"), "CSV"),
    ("tin.csv", "kind,title,owner_org\noffer,Máy cày,Công ty\n".encode("cp1258"), "UTF-8"),
    ("tin.xls", b"\xd0\xcf\x11\xe0", "xlsx"),
    ("tin.pdf", b"%PDF-1.4", "CSV, XLSX"),
    ("tin.csv", b"   \n", "empty"),
])
def test_files_that_are_not_what_they_say_get_a_clear_message(db, name, data, words):
    with force_locale("en"):  # the words are quoted from the English source strings
        report = import_listings(data, name)

    assert not report.ok and report.errors[0][0] is None
    assert words in report.errors[0][1]


def test_size_and_row_limits(app, db):
    app.config.update(IMPORT_MAX_BYTES=2000, IMPORT_MAX_ROWS=3)
    big = csv_bytes([offer_row(ref=str(n), summary="x" * 500) for n in range(5)])
    report = import_listings(big, "big.csv")
    assert "MB" in report.errors[0][1]

    many = csv_bytes([offer_row(ref=str(n)) for n in range(4)])
    report = import_listings(many, "many.csv")
    assert report.errors[0][0] is None and "3" in report.errors[0][1]
    assert listings(db) == []


def test_template_lists_every_column_and_imports_cleanly(db):
    data = template_csv()

    assert data.startswith("\ufeff".encode())
    report = import_listings(data, "template.csv")
    assert report.ok and report.created == 2, report.errors


# --- hostile or unusual values: row and file errors, never an exception --------------------------------

def json_with(literal, column="trl", row=None):
    """A one-item JSON file whose `column` holds `literal` as written (Infinity, NaN, 1e400 are not JSON
    that json.dumps would write for us)."""
    return json_bytes([row or offer_row(**{column: "@@"})]).replace(b'"@@"', literal)


@pytest.mark.parametrize("literal", [b"Infinity", b"-Infinity", b"NaN", b"1e400"])
@pytest.mark.parametrize("column", ["trl", "price_vnd", "title"])
def test_non_finite_numbers_in_json_are_a_row_error(db, literal, column):
    with force_locale("en"):
        report = import_listings(json_with(literal, column), "tin.json")

    assert report.errors == [(1, f"{column}: Infinity, NaN and numbers too large to store are not accepted.")]
    assert listings(db) == []


def test_non_finite_number_in_an_update_leaves_the_listing_as_it_was(db):
    import_listings(csv_bytes([offer_row()]), "v1.csv")

    report = import_listings(json_with(b"NaN", "price_vnd"), "v2.json")

    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(1, "price_vnd")]
    db.session.expire_all()
    assert listings(db)[0].price_vnd == 250_000_000


def test_deeply_nested_json_is_a_file_error(db):
    with force_locale("en"):
        report = import_listings(b"[" * 100_000 + b"]" * 100_000, "tin.json")

    assert len(report.errors) == 1 and report.errors[0][0] is None
    assert "nested too deeply" in report.errors[0][1]


def test_a_nested_list_in_a_cell_is_a_row_error(db):
    row = {"keywords": "@@", **{k: v for k, v in offer_row().items() if k != "keywords"}}  # looked at first
    report = import_listings(json_with(b"[" * 900 + b"]" * 900, row=row), "tin.json")

    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(1, "keywords")]
    assert listings(db) == []


def test_an_unforeseen_failure_while_checking_is_reported_for_its_row(db, monkeypatch):
    from marketplace.imports import services

    real = services.clean_listing_data

    def fragile(kind, data, *args):
        if data.get("title") == "Hỏng":
            raise ArithmeticError("a case the checks did not foresee")
        return real(kind, data, *args)

    monkeypatch.setattr(services, "clean_listing_data", fragile)
    with force_locale("en"):
        report = import_listings(csv_bytes([offer_row(), need_row(title="Hỏng")]), "tin.csv")

    assert len(report.errors) == 1 and report.errors[0][0] == 3
    assert report.errors[0][1].startswith("Could not read this row")
    assert listings(db) == []


def test_an_unforeseen_failure_while_writing_saves_nothing(db, monkeypatch):
    from marketplace.imports import services

    real = services.apply_listing_data

    def fragile(listing, clean):
        if listing.kind == "need":
            raise ArithmeticError("a case the checks did not foresee")
        return real(listing, clean)

    monkeypatch.setattr(services, "apply_listing_data", fragile)
    report = import_listings(csv_bytes([offer_row(), need_row()]), "tin.csv")

    assert [row for row, _message in report.errors] == [3] and report.created == 0
    db.session.expire_all()
    assert listings(db) == []
    assert org_named(db, "Viện Cơ điện Nông nghiệp") is None


# --- refs and owners -------------------------------------------------------------------------------------

def test_a_ref_of_another_organisation_is_refused_and_the_listing_kept(db, make_org, make_listing):
    owner = make_org("institute", name="Viện Sinh học Nông nghiệp")
    make_org("enterprise", name="Công ty Cơ khí Phủ Lý")
    listing = make_listing("offer", org=owner, title="Tên gốc")
    rows = [offer_row(ref=listing.ref, title="Tên bị ghi đè", owner_org="Công ty Cơ khí Phủ Lý"), need_row()]

    with force_locale("en"):
        report = import_listings(csv_bytes(rows), "tin.csv")

    assert report.errors == [(2, f"ref: {listing.ref} belongs to a listing of another organisation (Viện Sinh học "
                                 "Nông nghiệp); an import cannot change a listing's owner.")]
    db.session.expire_all()
    assert (listing.title, listing.owner_org_id) == ("Tên gốc", owner.id)
    assert len(listings(db)) == 1


def test_a_ref_of_another_organisation_is_refused_for_a_new_organisation_too(db, make_listing):
    listing = make_listing("need", title="Tên gốc")

    report = import_listings(csv_bytes([need_row(ref=listing.ref, owner_org="Tổ chức chưa có")]), "tin.csv")

    assert [(row, message.split(":")[0]) for row, message in report.errors] == [(2, "ref")]
    assert listing.owner.name in report.errors[0][1]
    assert org_named(db, "Tổ chức chưa có") is None
    db.session.expire_all()
    assert listing.title == "Tên gốc"


def test_a_site_ref_reused_by_its_own_organisation_updates_the_listing(db, make_org, make_listing):
    owner = make_org("institute", name="Viện Sinh học Nông nghiệp")
    listing = make_listing("offer", org=owner, title="Tên gốc")
    assert listing.ref.startswith("CB-")  # the site's own reference

    report = import_listings(csv_bytes([offer_row(ref=listing.ref, title="Tên mới",
                                                  owner_org="VIỆN SINH HỌC NÔNG NGHIỆP")]), "tin.csv")

    assert report.ok and (report.created, report.updated, report.orgs_created) == (0, 1, 0), report.errors
    db.session.expire_all()
    assert (listing.title, listing.owner_org_id) == ("Tên mới", owner.id)


def site_ref(listing_id):
    """The reference the site gives a new offer with that id this year."""
    from marketplace.core.models import utcnow

    return f"CB-{utcnow().year}-{listing_id:05d}"


def test_a_generated_ref_never_takes_a_ref_of_the_same_file(db):
    explicit = [site_ref(n) for n in (1, 2, 3)]
    rows = [offer_row(ref="", title="Không có mã")] + [offer_row(ref=ref, title=ref) for ref in explicit]

    report = import_listings(csv_bytes(rows), "tin.csv")

    assert report.ok and report.created == 4, report.errors
    generated = next(listing for listing in listings(db) if listing.title == "Không có mã")
    assert site_ref(generated.id) in explicit  # the clash this test is about did arise
    assert generated.ref == site_ref(generated.id) + "-2"
    assert sorted(listing.ref for listing in listings(db) if listing is not generated) == explicit


def test_a_generated_ref_never_takes_a_ref_already_on_the_exchange(db):
    import_listings(csv_bytes([offer_row(ref=site_ref(2), title="Mã lấy từ nguồn")]), "v1.csv")

    report = import_listings(csv_bytes([offer_row(ref="", title="Không có mã")]), "v2.csv")

    assert report.ok and report.created == 1, report.errors
    first, second = listings(db)
    assert first.ref == site_ref(second.id)  # the clash this test is about did arise
    assert second.ref == site_ref(second.id) + "-2"


def test_a_generated_ref_has_the_form_the_site_gives(db):
    from marketplace.listings.models import Need
    from marketplace.listings.services import assign_ref

    import_listings(csv_bytes([need_row(ref="")]), "tin.csv")

    (need,) = listings(db)
    probe = Need(id=need.id, created_at=need.created_at)  # never added to the session
    assign_ref(probe)
    assert need.ref == probe.ref and need.ref.startswith("NC-")
