"""Listings pages: browse, detail, create/edit, lifecycle, attachments, my listings, moderation."""
import os
from datetime import date, timedelta

import pytest

from marketplace.core import clock
from marketplace.listings.models import Attachment, Listing

FAKE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def provider(make_org, make_user):
    """A member of a research institute (an organisation that lists offers)."""
    return make_user(org=make_org("institute"))


@pytest.fixture
def broker(make_org, make_user):
    """A member of a broker organisation the department has verified."""
    return make_user(role="broker", org=make_org("broker", verified=True))


@pytest.fixture
def staff(make_user):
    """A department moderator."""
    return make_user(role="department")


def page(response):
    """The response body as text."""
    return response.get_data(as_text=True)


def offer_form(**changes):
    """A complete offer form as the browser posts it."""
    data = {
        "title": "Máy sấy nông sản năng lượng mặt trời",
        "summary": "Sấy lúa, ngô bằng năng lượng mặt trời.",
        "detail": "Bản vẽ và quy trình chi tiết.",
        "sector_code": "202",
        "keywords": "máy sấy; nông sản",
        "trl": "7",
        "transfer_modes": ["license", "turnkey"],
        "price_type": "indicative",
        "price_vnd": "1.500.000",
        "locality_code": "phu-ly",
        "expires_at": "",
        "action": "save",
    }
    data.update(changes)
    return data


def listing_count(db):
    """How many listings the database holds."""
    return db.session.query(Listing).count()


# --- browse ---------------------------------------------------------------------------------------------

def test_browse_shows_published_listings_only(client, make_listing):
    make_listing("offer", title="Công nghệ xử lý nước thải")
    make_listing("need", title="Cần máy gặt đập")
    make_listing("offer", status="draft", title="Bản nháp bí mật")
    body = page(client.get("/browse"))
    assert "Công nghệ xử lý nước thải" in body
    assert "Cần máy gặt đập" in body
    assert "Bản nháp bí mật" not in body
    assert "2 listings found" in body


def test_browse_filters_by_kind_field_and_text(client, make_listing):
    make_listing("offer", title="Máy cấy lúa", sector_code="401")
    make_listing("offer", title="Phần mềm quản lý", sector_code="102")
    make_listing("need", title="Cần máy cấy", sector_code="401")
    body = page(client.get("/browse?kind=offer&sector_code=4"))
    assert "Máy cấy lúa" in body and "Phần mềm quản lý" not in body and "Cần máy cấy" not in body
    body = page(client.get("/browse?q=may cay"))  # no diacritics typed
    assert "Máy cấy lúa" in body and "Cần máy cấy" in body and "Phần mềm quản lý" not in body


def test_browse_kind_pages_are_preset(client, make_listing):
    make_listing("offer", title="Chào bán A")
    make_listing("need", title="Nhu cầu B")
    body = page(client.get("/needs"))
    assert "Nhu cầu B" in body and "Chào bán A" not in body


def test_active_filter_chip_removes_its_filter(client, make_listing):
    make_listing("offer", title="Chào bán A", locality_code="duy-tien")
    body = page(client.get("/browse?locality=duy-tien&kind=offer"))
    assert "Duy Tiên" in body.split('id="active-filters"')[1]  # the chip names the place
    assert 'filter-chip" href="/browse?kind=offer"' in body  # and its link drops only that filter


@pytest.mark.parametrize("query", [
    "trl_min=abc", "trl_max=99", "sector_code=999", "kind=robot", "sort=price", "locality=mars",
    "owner_kind=alien", "ip_type=x", "transfer_mode=gift", "page=-3&per_page=zzz",
])
def test_bad_filter_values_are_ignored_with_a_warning(client, make_listing, query):
    make_listing("offer", title="Vẫn hiện ra")
    response = client.get("/browse?" + query)
    assert response.status_code == 200
    assert "Vẫn hiện ra" in page(response)


def test_bad_filter_value_shows_a_warning(client):
    body = page(client.get("/browse?trl_min=abc"))
    assert 'id="filter-warnings"' in body


def test_absurd_search_text_is_harmless(client):
    for q in ("x" * 5000, "%_\\", "title:(", "*"):
        assert client.get("/browse", query_string={"q": q}).status_code == 200


def test_browse_sorts_and_paginates(client, make_listing):
    for title in ("Bê tông", "An toàn thực phẩm", "Cơ khí"):
        make_listing("offer", title=title)
    body = page(client.get("/browse?sort=title&per_page=2"))
    assert body.index("An toàn thực phẩm") < body.index("Bê tông")
    assert "Cơ khí" not in body
    assert "Cơ khí" in page(client.get("/browse?sort=title&per_page=2&page=2"))


def test_browse_empty_state(client):
    body = page(client.get("/browse?kind=ip"))
    assert "0 listings found" in body
    assert "No listings match these filters" in body


def test_browse_past_the_last_page_says_so_and_links_to_the_first(client, make_listing):
    for _ in range(3):
        make_listing("offer")

    body = page(client.get("/browse?per_page=2&page=999"))

    assert "3 listings found" in body
    assert "There are no results on page 999; the results end on page 2." in body
    assert 'href="/browse?per_page=2">Go to the first page</a>' in body
    assert "Nothing is published here yet." not in body


# --- detail ---------------------------------------------------------------------------------------------

def test_visitor_sees_summary_but_not_confidential_detail(client, make_listing):
    listing = make_listing("offer", summary="Tóm tắt cho mọi người", detail="Công thức pha chế bí mật")
    body = page(client.get(f"/listings/{listing.id}"))
    assert "Tóm tắt cho mọi người" in body
    assert "Công thức pha chế bí mật" not in body
    assert 'id="owner-panel"' not in body


def test_broker_sees_confidential_detail(client, make_listing, login, broker):
    listing = make_listing("offer", detail="Công thức pha chế bí mật")
    login(broker)
    body = page(client.get(f"/listings/{listing.id}"))
    assert "Công thức pha chế bí mật" in body
    assert 'id="confidential"' in body
    assert 'id="owner-panel"' not in body


def test_other_organisation_cannot_see_confidential_detail(client, make_listing, make_user, login):
    listing = make_listing("offer", detail="Công thức pha chế bí mật", summary="Máy sấy công khai")
    login(make_user())
    response = client.get(f"/listings/{listing.id}")
    assert response.status_code == 200 and "Máy sấy công khai" in page(response)  # the page itself shows
    assert "Công thức pha chế bí mật" not in page(response)


def test_owner_sees_status_actions_and_history(client, make_listing, provider, login, db):
    from marketplace.listings import services

    listing = services.create_listing("offer", provider.org, provider, offer_form(), submit=False)
    login(provider)
    body = page(client.get(f"/listings/{listing.id}"))
    assert 'data-status="draft"' in body
    assert f'/listings/{listing.id}/edit' in body
    assert f'/listings/{listing.id}/submit' in body
    assert f'/listings/{listing.id}/delete' in body
    assert f'/listings/{listing.id}/withdraw' not in body  # a draft cannot be withdrawn
    assert 'id="history"' in body and "Created" in body


def test_other_organisations_draft_is_404(client, make_listing, make_user, login):
    draft = make_listing("offer", status="draft")
    assert client.get(f"/listings/{draft.id}").status_code == 404
    login(make_user())
    assert client.get(f"/listings/{draft.id}").status_code == 404
    assert client.get(f"/listings/{draft.id}/edit").status_code == 404
    assert client.post(f"/listings/{draft.id}/submit").status_code == 404


def test_unknown_listing_is_404(client):
    assert client.get("/listings/999999").status_code == 404


def test_closed_and_expired_listings_show_a_banner(client, make_listing):
    closed = make_listing("offer", status="closed")
    expired = make_listing("need", status="expired", expires_at=clock.today() - timedelta(days=3))
    assert 'id="status-banner"' in page(client.get(f"/listings/{closed.id}"))
    assert "expired on" in page(client.get(f"/listings/{expired.id}"))


def test_detail_shows_price_ip_links_and_facts(client, make_listing):
    asset = make_listing("ip", title="Bằng sáng chế máy sấy", ip_number="1-2023-00077")
    offer = make_listing("offer", price_type="floor", price_vnd=250_000_000, keywords="máy sấy; nông sản")
    offer.ip_assets = [asset]
    from marketplace.extensions import db

    db.session.commit()
    body = page(client.get(f"/listings/{offer.id}"))
    assert "250.000.000 ₫" in body and "Floor price" in body
    assert "Bằng sáng chế máy sấy" in body
    assert "nông sản" in body
    body = page(client.get(f"/listings/{asset.id}"))
    assert "1-2023-00077" in body and "Patent" in body
    assert offer.title in body  # the offer using it


def test_linked_draft_ip_asset_stays_hidden_from_visitors(client, make_listing, db):
    asset = make_listing("ip", status="draft", title="Sáng chế chưa công bố")
    offer = make_listing("offer", org=asset.owner)
    public_asset = make_listing("ip", org=asset.owner, title="Sáng chế đã công bố")
    offer.ip_assets = [asset, public_asset]
    db.session.commit()
    body = page(client.get(f"/listings/{offer.id}"))
    assert "Sáng chế đã công bố" in body  # linked assets are listed…
    assert "Sáng chế chưa công bố" not in body  # …but not the owner's draft


# --- create and edit ------------------------------------------------------------------------------------

def test_create_offer_saves_a_draft_with_parsed_amount(client, provider, login, db):
    login(provider)
    assert client.get("/listings/new/offer").status_code == 200
    response = client.post("/listings/new/offer", data=offer_form())
    assert response.status_code == 302
    listing = db.session.scalars(db.select(Listing)).one()
    assert listing.status == "draft" and listing.kind == "offer"
    assert listing.price_vnd == 1_500_000
    assert listing.transfer_modes == ["license", "turnkey"]
    assert listing.keyword_list == ["máy sấy", "nông sản"]
    assert listing.owner_org_id == provider.org_id


def test_create_and_submit_in_one_step(client, provider, login, db):
    login(provider)
    client.post("/listings/new/offer", data=offer_form(action="submit", price_vnd="1500000"))
    listing = db.session.scalars(db.select(Listing)).one()
    assert listing.status == "submitted"
    assert listing.price_vnd == 1_500_000


def test_bad_form_input_shows_errors_next_to_fields_and_saves_nothing(client, provider, login, db):
    login(provider)
    response = client.post("/listings/new/offer", data=offer_form(trl="12", price_vnd="mười triệu",
                                                                   expires_at="31/02/2027"))
    assert response.status_code == 200
    body = page(response)
    assert "TRL must be a whole number from 1 to 9." in body
    assert "Enter an amount in VND" in body
    assert "Enter a date as YYYY-MM-DD" in body
    assert 'class="invalid-feedback"' in body
    assert 'value="Máy sấy nông sản năng lượng mặt trời"' in body  # what was typed stays
    assert 'value="mười triệu"' in body
    assert listing_count(db) == 0


def test_missing_title_and_past_expiry_are_refused(client, provider, login, db):
    login(provider)
    body = page(client.post("/listings/new/offer", data=offer_form(title="")))
    assert "This field is required." in body
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    body = page(client.post("/listings/new/offer", data=offer_form(expires_at=yesterday)))
    assert "The expiry date is in the past." in body
    assert listing_count(db) == 0


def test_create_need_labels_deadline_and_budget(client, make_user, login, db):
    login(make_user(org_kind="enterprise"))
    body = page(client.get("/listings/new/need"))
    assert "Deadline" in body and "Budget ceiling (VND)" in body and "Minimum TRL" in body
    client.post("/listings/new/need", data={
        "title": "Cần dây chuyền đóng gói", "summary": "Đóng gói gạo 5 kg.", "sector_code": "401",
        "min_trl": "6", "budget_vnd_max": "500.000.000", "transfer_modes": ["turnkey"], "action": "save"})
    need = db.session.scalars(db.select(Listing)).one()
    assert (need.kind, need.min_trl, need.budget_vnd_max) == ("need", 6, 500_000_000)


def test_create_ip_asset_and_link_it_to_an_offer(client, provider, login, db, make_listing):
    login(provider)
    client.post("/listings/new/ip", data={
        "title": "Giống lúa HN-6", "summary": "", "ip_type": "plant_variety", "ip_number": "2024-0088",
        "ip_filing_date": "2024-03-01", "ip_status": "pending", "ip_owners": "Viện A", "price_type": "negotiable",
        "action": "save"})
    asset = db.session.scalars(db.select(Listing).where(Listing.kind == "ip")).one()
    assert asset.ip_type == "plant_variety" and asset.ip_filing_date == date(2024, 3, 1)
    foreign = make_listing("ip")  # another organisation's asset may not be linked
    assert "Giống lúa HN-6" in page(client.get("/listings/new/offer"))
    client.post("/listings/new/offer", data=offer_form(ip_asset_ids=[str(asset.id), str(foreign.id)]))
    offer = db.session.scalars(db.select(Listing).where(Listing.kind == "offer")).one()
    assert [a.id for a in offer.ip_assets] == [asset.id]


def test_only_listing_organisations_may_create(client, login, broker):
    assert client.get("/listings/new/offer").status_code == 302  # visitor: to the login page
    login(broker)
    assert client.get("/listings/new/offer").status_code == 403


def test_unknown_kind_is_404(client, provider, login):
    login(provider)
    assert client.get("/listings/new/robot").status_code == 404


def test_owner_edits_a_listing(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org, title="Tên cũ")
    login(provider)
    body = page(client.get(f"/listings/{listing.id}/edit"))
    assert 'value="Tên cũ"' in body
    response = client.post(f"/listings/{listing.id}/edit", data=offer_form(title="Tên mới", price_vnd="2.000.000"))
    assert response.status_code == 302
    db.session.refresh(listing)
    # changed content of a published listing stays public and waits for the department's second look
    assert listing.title == "Tên mới" and listing.price_vnd == 2_000_000 and listing.status == "published"
    assert listing.edit_pending_review


def test_edit_cannot_blank_required_fields(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org, summary="Tóm tắt cũ")
    login(provider)
    body = page(client.post(f"/listings/{listing.id}/edit", data=offer_form(summary=" ", trl="", title="Đổi")))
    assert "This field is required." in body
    db.session.refresh(listing)
    assert listing.summary == "Tóm tắt cũ" and listing.trl == 6 and listing.title != "Đổi"


def test_other_organisation_cannot_edit_a_published_listing(client, make_listing, make_user, login):
    listing = make_listing("offer")
    login(make_user())
    assert client.get(f"/listings/{listing.id}/edit").status_code == 403
    assert client.post(f"/listings/{listing.id}/edit", data=offer_form()).status_code == 403


# --- lifecycle ------------------------------------------------------------------------------------------

def test_submit_withdraw_close_renew_delete(client, provider, login, make_listing, db):
    login(provider)
    draft = make_listing("offer", org=provider.org, status="draft")
    client.post(f"/listings/{draft.id}/submit")
    assert db.session.get(Listing, draft.id).status == "submitted"

    published = make_listing("offer", org=provider.org)
    client.post(f"/listings/{published.id}/close")
    assert db.session.get(Listing, published.id).status == "closed"

    other = make_listing("need", org=provider.org)
    client.post(f"/listings/{other.id}/withdraw")
    assert db.session.get(Listing, other.id).status == "withdrawn"
    client.post("/logout")
    assert client.get(f"/listings/{other.id}").status_code == 404  # gone from the exchange
    login(provider)

    expired = make_listing("offer", org=provider.org, status="expired", expires_at=clock.today() - timedelta(days=1))
    response = client.post(f"/listings/{expired.id}/renew", follow_redirects=True)
    assert "Renewed: the listing runs until" in page(response)
    renewed = db.session.get(Listing, expired.id)
    assert renewed.status == "published" and renewed.expires_at > clock.today()

    doomed = make_listing("offer", org=provider.org, status="draft")
    assert client.post(f"/listings/{doomed.id}/delete").headers["Location"].endswith("/my/listings")
    assert db.session.get(Listing, doomed.id) is None


def test_lifecycle_actions_need_the_right_person_and_state(client, make_listing, make_user, login, db):
    listing = make_listing("offer")
    assert client.post(f"/listings/{listing.id}/withdraw").status_code == 302  # visitor: to login
    login(make_user())
    assert client.post(f"/listings/{listing.id}/withdraw").status_code == 403
    assert client.post(f"/listings/{listing.id}/delete").status_code == 403
    assert db.session.get(Listing, listing.id).status == "published"


def test_lifecycle_action_in_the_wrong_state_is_refused_without_error(client, provider, login, make_listing, db):
    login(provider)
    listing = make_listing("offer", org=provider.org)
    response = client.post(f"/listings/{listing.id}/submit", follow_redirects=True)  # already published
    assert response.status_code == 200 and "not possible any more" in page(response)
    assert db.session.get(Listing, listing.id).status == "published"


# --- attachments ----------------------------------------------------------------------------------------

def upload(client, listing, data, name, public=True, back=None):
    """Post a file to a listing's attachment form."""
    import io

    form = {"file": (io.BytesIO(data), name)}
    if public:
        form["public"] = "y"
    if back:
        form["back"] = back
    return client.post(f"/listings/{listing.id}/attachments", data=form, content_type="multipart/form-data",
                       follow_redirects=True)


def stored_files(app):
    """Names of the files in the upload folder."""
    folder = app.config["UPLOAD_FOLDER"]
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_upload_and_download_a_pdf(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    body = page(upload(client, listing, FAKE_PDF, "Hồ sơ kỹ thuật.pdf"))
    assert "File attached." in body
    item = db.session.scalars(db.select(Attachment)).one()
    assert item.original_name == "Hồ sơ kỹ thuật.pdf" and item.content_type == "application/pdf"
    assert "Hồ sơ kỹ thuật.pdf" in body

    client.post("/logout")
    response = client.get(f"/attachments/{item.id}")
    assert response.status_code == 200
    assert response.data == FAKE_PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


def test_executable_renamed_pdf_is_refused(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    response = upload(client, listing, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "baocao.pdf", back="edit")
    assert response.status_code == 200
    assert "Only PDF, images" in page(response)
    assert db.session.scalars(db.select(Attachment)).all() == []
    assert stored_files(client.application) == []


def test_empty_upload_is_refused(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    response = client.post(f"/listings/{listing.id}/attachments", data={}, follow_redirects=True)
    assert "The file is empty." in page(response)


def test_confidential_file_is_for_those_who_see_the_detail(client, provider, login, make_listing, db, broker):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    upload(client, listing, FAKE_PDF, "ban-ve.pdf", public=False)
    item = db.session.scalars(db.select(Attachment)).one()
    assert not item.is_public
    client.post("/logout")
    assert client.get(f"/attachments/{item.id}").status_code == 404
    assert "ban-ve.pdf" not in page(client.get(f"/listings/{listing.id}"))
    login(broker)
    response = client.get(f"/attachments/{item.id}")
    assert response.status_code == 200 and response.data == FAKE_PDF
    assert "no-store" in response.headers["Cache-Control"]


def test_others_cannot_attach_or_delete(client, provider, login, make_listing, make_user, db):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    upload(client, listing, FAKE_PDF, "a.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    client.post("/logout")
    login(make_user())
    assert client.post(f"/attachments/{item.id}/delete").status_code == 403
    assert upload(client, listing, FAKE_PDF, "b.pdf").status_code == 403
    assert db.session.scalars(db.select(Attachment)).all() != []


def test_owner_deletes_an_attachment(client, provider, login, make_listing, db):
    listing = make_listing("offer", org=provider.org)
    login(provider)
    upload(client, listing, FAKE_PDF, "a.pdf")
    item = db.session.scalars(db.select(Attachment)).one()
    response = client.post(f"/attachments/{item.id}/delete", data={"back": "edit"})
    assert response.headers["Location"].endswith(f"/listings/{listing.id}/edit")
    assert db.session.scalars(db.select(Attachment)).all() == []
    assert stored_files(client.application) == []
    assert client.get(f"/attachments/{item.id}").status_code == 404


def test_upload_over_the_size_limit_gets_the_413_page(client, provider, login, make_listing):
    listing = make_listing("offer", org=provider.org)
    client.application.config["MAX_CONTENT_LENGTH"] = 1024
    login(provider)
    response = upload(client, listing, FAKE_PDF + b"0" * 4096, "big.pdf")
    assert response.status_code == 413


# --- my listings ----------------------------------------------------------------------------------------

def test_my_listings_shows_every_status_of_my_organisation(client, provider, login, make_listing):
    make_listing("offer", org=provider.org, status="draft", title="Bản nháp của tôi")
    make_listing("need", org=provider.org, status="rejected", title="Bị trả lại", rejection_reason="duplicate",
                 rejection_message="Trùng với CB-2026-00001")
    make_listing("offer", org=provider.org, title="Sắp hết hạn", expires_at=clock.today() + timedelta(days=3))
    make_listing("offer", title="Của người khác")
    login(provider)
    body = page(client.get("/my/listings"))
    assert "Bản nháp của tôi" in body and "Bị trả lại" in body and "Sắp hết hạn" in body
    assert "Của người khác" not in body
    assert "Duplicate" in body and "Trùng với CB-2026-00001" in body
    assert "Expires soon" in body and "/renew" in body
    assert 'id="create-buttons"' in body


def test_my_listings_for_a_person_without_organisation(client, make_user, login, db):
    user = make_user()
    user.org = None
    db.session.commit()
    login(user)
    body = page(client.get("/my/listings"))
    assert "does not belong to an organisation" in body
    assert 'id="create-buttons"' not in body


def test_my_listings_needs_sign_in(client):
    assert client.get("/my/listings").status_code == 302


# --- moderation -----------------------------------------------------------------------------------------

def test_moderation_queue_is_for_the_department(client, make_listing, staff, make_user, login):
    make_listing("offer", status="submitted", title="Chờ duyệt")
    assert client.get("/moderation").status_code == 302
    login(make_user())
    assert client.get("/moderation").status_code == 403
    client.post("/logout")
    login(staff)
    body = page(client.get("/moderation"))
    assert "Chờ duyệt" in body and "1 listing waits" in body


def test_approve_publishes_and_mails_the_owner(client, make_listing, staff, make_user, login, db, app):
    listing = make_listing("offer", status="submitted", title="Chờ duyệt")
    make_user(org=listing.owner)
    login(staff)
    body = page(client.get(f"/listings/{listing.id}"))
    assert 'id="moderation-panel"' in body
    response = client.post(f"/moderation/{listing.id}/approve", data={"approve-message": "Tốt"})
    assert response.headers["Location"].endswith("/moderation")
    assert db.session.get(Listing, listing.id).status == "published"
    assert os.listdir(app.config["MAIL_OUTBOX"])
    client.post("/logout")
    assert "Chờ duyệt" in page(client.get("/browse"))


def test_reject_needs_reason_and_message(client, make_listing, staff, login, db):
    listing = make_listing("offer", status="submitted")
    login(staff)
    response = client.post(f"/moderation/{listing.id}/reject", data={"reject-reason": "", "reject-message": " "})
    assert response.status_code == 200
    body = page(response)
    assert "Choose a reason." in body and "Tell the owner what to change." in body
    response = client.post(f"/moderation/{listing.id}/reject", data={"reject-reason": "nonsense", "reject-message": "Sửa đi"})
    assert "Choose a reason." in page(response)
    assert 'Sửa đi' in page(response)  # the typed message is kept
    assert db.session.get(Listing, listing.id).status == "submitted"


def test_rejected_owner_sees_reason_then_resubmits(client, make_listing, staff, make_user, login, db):
    listing = make_listing("need", status="submitted")
    owner = make_user(org=listing.owner)
    login(staff)
    client.post(f"/moderation/{listing.id}/reject",
                data={"reject-reason": "incomplete", "reject-message": "Thiếu ngân sách dự kiến."})
    assert db.session.get(Listing, listing.id).status == "rejected"
    client.post("/logout")
    login(owner)
    body = page(client.get(f"/listings/{listing.id}"))
    assert 'id="rejection"' in body and "Incomplete" in body and "Thiếu ngân sách dự kiến." in body
    response = client.post(f"/listings/{listing.id}/edit", data={
        "title": listing.title, "summary": "Đã bổ sung ngân sách.", "sector_code": "202", "min_trl": "5",
        "budget_vnd_max": "300000000", "action": "submit"})
    assert response.status_code == 302
    listing = db.session.get(Listing, listing.id)
    assert listing.status == "submitted" and listing.budget_vnd_max == 300_000_000


def test_members_and_brokers_cannot_moderate(client, make_listing, make_user, login, db, broker):
    listing = make_listing("offer", status="submitted")
    login(broker)
    assert client.post(f"/moderation/{listing.id}/approve").status_code == 404  # not public yet
    client.post("/logout")
    login(make_user(org=listing.owner))
    assert client.post(f"/moderation/{listing.id}/reject",
                       data={"reject-reason": "other", "reject-message": "x"}).status_code == 403
    assert db.session.get(Listing, listing.id).status == "submitted"


def test_approving_twice_from_a_stale_page_says_so(client, login, make_user, make_listing):
    listing = make_listing("need", status="submitted")
    login(make_user(role="department"))
    assert client.post(f"/moderation/{listing.id}/approve", data={"approve-message": ""}).status_code == 302
    response = client.post(f"/moderation/{listing.id}/approve", data={"approve-message": ""}, follow_redirects=True)
    assert response.status_code == 200
    client.get("/lang/en")
    response = client.post(f"/moderation/{listing.id}/approve", follow_redirects=True)
    assert "not awaiting review any more" in response.get_data(as_text=True)


def test_withdrawing_twice_from_a_stale_page_says_so(client, provider, login, make_listing):
    listing = make_listing("offer", org=provider.org, status="published")
    login(provider)
    assert client.post(f"/listings/{listing.id}/withdraw").status_code == 302
    response = client.post(f"/listings/{listing.id}/withdraw", follow_redirects=True)
    assert response.status_code == 200
    assert "not possible any more" in page(response)


def test_renewing_says_until_when(client, provider, login, make_listing):
    from datetime import timedelta

    listing = make_listing("offer", org=provider.org, status="published", expires_at=clock.today() + timedelta(days=3))
    login(provider)
    response = client.post(f"/listings/{listing.id}/renew", follow_redirects=True)
    assert "runs until" in page(response)


def test_approval_of_content_changed_since_the_page_was_opened_is_refused(app, client, provider, make_user,
                                                                          make_listing, db):
    import re

    from marketplace.listings import services

    listing = make_listing("offer", org=provider.org, status="submitted")
    department = make_user(role="department")
    client.post("/login", data={"email": department.email, "password": "mat-khau-dai-123"})
    seen = re.search(r'name="approve-seen"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="approve-seen"',
                     page(client.get(f"/listings/{listing.id}")))
    seen = seen.group(1) or seen.group(2)
    services.update_listing(listing, provider, {"summary": "Nội dung đổi sau khi Sở mở trang"})
    response = client.post(f"/moderation/{listing.id}/approve", data={"approve-seen": seen}, follow_redirects=True)
    assert "changed this listing after you opened it" in page(response)
    assert db.session.get(Listing, listing.id).status == "submitted"
