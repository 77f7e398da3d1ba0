"""Deal pages: who sees a deal (404 for everyone else), the timeline, private notes, moving through the stages
with bad input refused (400, nothing changed), the department's overview."""
import re

import pytest

from marketplace.deals import services
from marketplace.deals.models import Deal
from tests.deals.test_services import SIGNED_ON

EN = {"Accept-Language": "en"}
PASSWORD = "mat-khau-dai-123"


def _client(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.get("/lang/en")  # read the pages in English
    return client


@pytest.fixture
def people(app, parties, make_user):
    """Signed-in clients for everyone in some relation to the deal."""
    return {
        "buyer": _client(app, parties.buyer),
        "seller": _client(app, parties.seller),
        "broker": _client(app, parties.broker),
        "other_broker": _client(app, make_user("broker")),
        "other_org": _client(app, make_user("member")),
        "department": _client(app, make_user("department")),
        "visitor": app.test_client(),
    }


def test_only_parties_broker_and_department_see_a_deal(people, deal):
    for name, client in people.items():
        response = client.get(f"/deals/{deal.id}")
        if name in ("buyer", "seller", "broker", "department"):
            assert response.status_code == 200, name
            assert deal.ref in response.get_data(as_text=True), name
        else:
            assert response.status_code == 404, name
            assert deal.ref not in response.get_data(as_text=True), name


def test_outsiders_cannot_post_to_a_deal(people, deal, db):
    for name in ("other_broker", "other_org", "visitor"):
        client = people[name]
        for path, data in (("advance", {"advance-to_stage": "nda_signed"}), ("notes", {"note-text": "xin chào"}),
                           ("cancel", {"cancel-reason": "other", "cancel-message": "x"}), ("confirm", {})):
            response = client.post(f"/deals/{deal.id}/{path}", data=data)
            assert response.status_code in (404, 302), (name, path)  # visitors are sent to sign in
            if name != "visitor":
                assert response.status_code == 404, (name, path)
    db.session.expire_all()
    assert deal.stage == "contacted" and [e.action for e in deal.events] == ["opened"]


def test_department_watches_but_does_not_move_a_deal(people, deal, db):
    response = people["department"].post(f"/deals/{deal.id}/advance", data={"advance-to_stage": "nda_signed"})
    assert response.status_code == 403
    page = people["department"].get(f"/deals/{deal.id}").get_data(as_text=True)
    assert 'id="advance-form"' not in page and 'id="note-form"' not in page
    db.session.expire_all()
    assert deal.stage == "contacted"


def test_moving_a_stage_shows_on_the_timeline(people, deal, parties):
    response = people["seller"].post(f"/deals/{deal.id}/advance", data={"advance-to_stage": "nda_signed"})
    assert response.status_code == 302
    page = people["buyer"].get(f"/deals/{deal.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"'):]
    assert "Moved to “NDA signed”" in timeline and parties.seller.display_name in timeline
    assert "Deal opened" in timeline


def test_a_skipped_stage_gets_a_message_and_changes_nothing(people, deal, db):
    response = people["buyer"].post(f"/deals/{deal.id}/advance", data={"advance-to_stage": "mou"})
    assert response.status_code == 400
    assert "one stage at a time" in response.get_data(as_text=True)
    db.session.expire_all()
    assert deal.stage == "contacted"


def _sign_contract(client, deal, parties, **fields):
    """Walk the deal to the MoU, then send the page's "contract signed" form as `client`: a valid contract, with
    `fields` (without the "advance-" prefix) in place of its values."""
    for stage in ("nda_signed", "negotiating", "mou"):
        services.advance_deal(deal, parties.buyer, stage)
    data = {"to_stage": "contract_signed", "contract_value_vnd": "850.000.000", "transfer_form": "license",
            "transfer_methods": ["documents"], "signed_on": SIGNED_ON.strftime("%d/%m/%Y"), **fields}
    return client.post(f"/deals/{deal.id}/advance", data={"advance-" + key: value for key, value in data.items()})


def test_a_negative_contract_value_is_refused_next_to_the_field(people, deal, parties, db):
    response = _sign_contract(people["buyer"], deal, parties, contract_value_vnd="-1000000",
                              signed_on="2026-01-10")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must be more than zero" in page
    assert re.search(r'name="advance-contract_value_vnd"[^>]*is-invalid|is-invalid[^>]*name="advance-contract_value_vnd"',
                     page)
    db.session.expire_all()
    assert deal.stage == "mou" and deal.contract_value_vnd is None


def test_contract_signed_through_the_page(people, deal, parties, db):
    response = _sign_contract(people["broker"], deal, parties, transfer_methods=["documents", "experts"])
    assert response.status_code == 302
    page = people["seller"].get(f"/deals/{deal.id}").get_data(as_text=True)
    assert "850.000.000 ₫" in page and "Sending experts" in page and SIGNED_ON.strftime("%d/%m/%Y") in page


def test_notes_are_private_to_the_deal(people, deal, make_listing, parties):
    response = people["seller"].post(f"/deals/{deal.id}/notes", data={"note-text": "Giá sàn 700 triệu, bí mật"})
    assert response.status_code == 302
    for name, client in people.items():
        shown = "Giá sàn 700 triệu" in client.get(f"/deals/{deal.id}").get_data(as_text=True)
        assert shown is (name in ("buyer", "seller", "broker", "department")), name
    # nor does the note leak through the listings' pages
    for name in ("other_org", "visitor"):
        assert "Giá sàn 700 triệu" not in people[name].get(f"/listings/{parties.offer.id}").get_data(as_text=True)


def test_an_empty_note_is_refused(people, deal, db):
    response = people["buyer"].post(f"/deals/{deal.id}/notes", data={"note-text": "   "})
    assert response.status_code == 400
    db.session.expire_all()
    assert [e.action for e in deal.events] == ["opened"]


def test_documents_download_for_the_deal_only(people, deal, parties):
    from io import BytesIO

    response = people["buyer"].post(f"/deals/{deal.id}/documents", content_type="multipart/form-data",
                                    data={"document-file": (BytesIO(b"%PDF-1.4 du thao"), "du-thao.pdf")})
    assert response.status_code == 302
    document = deal.documents[0]
    for name, client in people.items():
        response = client.get(f"/deals/documents/{document.id}")
        if name in ("buyer", "seller", "broker", "department"):
            assert response.status_code == 200 and response.data == b"%PDF-1.4 du thao", name
            assert "no-store" in response.headers["Cache-Control"]
        else:
            assert response.status_code in (404, 302), name


def test_completion_through_the_page_needs_both(people, deal, parties, db):
    from tests.deals.test_services import CONTRACT

    for stage in ("nda_signed", "negotiating", "mou", "contract_signed", "in_transfer"):
        services.advance_deal(deal, parties.buyer, stage, CONTRACT if stage == "contract_signed" else None)
    by_broker = people["broker"].post(f"/deals/{deal.id}/confirm")
    assert by_broker.status_code == 400 and "Only the buyer and the seller" in by_broker.get_data(as_text=True)
    assert people["buyer"].post(f"/deals/{deal.id}/confirm").status_code == 302
    again = people["buyer"].post(f"/deals/{deal.id}/confirm")
    assert again.status_code == 400 and "already confirmed" in again.get_data(as_text=True)
    db.session.expire_all()
    assert deal.stage == "in_transfer"
    assert people["seller"].post(f"/deals/{deal.id}/confirm").status_code == 302
    db.session.expire_all()
    assert deal.stage == "completed"


def test_registration_notice_follows_the_flags(people, deal, parties):
    assert 'id="registration-notice"' not in people["buyer"].get(f"/deals/{deal.id}").get_data(as_text=True)
    response = people["broker"].post(f"/deals/{deal.id}/edit", data={"facts-cross_border": "y"})
    assert response.status_code == 302
    page = people["buyer"].get(f"/deals/{deal.id}").get_data(as_text=True)
    assert 'id="registration-notice"' in page and "must be registered with the authority" in page


def test_my_deals_lists_the_organisations_deals(people, deal):
    for name in ("buyer", "seller", "broker"):
        assert deal.ref in people[name].get("/deals/").get_data(as_text=True), name
    assert deal.ref not in people["other_org"].get("/deals/").get_data(as_text=True)
    assert people["visitor"].get("/deals/").status_code == 302


def test_overview_is_the_departments_and_moves_with_contracts(people, deal, parties):
    from tests.deals.test_services import CONTRACT

    for name in ("buyer", "broker", "other_org"):
        assert people[name].get("/deals/overview").status_code == 403, name
    page = people["department"].get("/deals/overview").get_data(as_text=True)
    assert 'id="signed-count" data-value="0"' in page
    for stage in ("nda_signed", "negotiating", "mou", "contract_signed"):
        services.advance_deal(deal, parties.buyer, stage, CONTRACT if stage == "contract_signed" else None)
    page = people["department"].get("/deals/overview").get_data(as_text=True)
    assert 'id="signed-count" data-value="1"' in page
    assert 'id="signed-value" data-value="1500000000"' in page and "1.500.000.000 ₫" in page
    assert Deal.query.count() == 1


def test_dates_on_the_deal_page_are_vietnam_dates(people, deal, db):
    from datetime import datetime, timezone

    deal.created_at = datetime(2026, 3, 1, 20, 30, tzinfo=timezone.utc)  # 03:30 on 2 March in Viet Nam
    deal.events[0].created_at = deal.created_at
    db.session.commit()
    page = people["buyer"].get(f"/deals/{deal.id}").get_data(as_text=True)
    parties_box = page[page.index('id="deal-parties"'):page.index('id="contract-title"')]
    assert "02/03/2026" in parties_box and "01/03/2026" not in parties_box
    timeline = page[page.index('id="timeline"'):]
    assert "3/2/26" in timeline or "02/03/2026" in timeline  # the timeline's Babel short format, same day


def test_a_signing_date_in_year_one_is_refused_next_to_the_field(people, deal, parties, db):
    response = _sign_contract(people["buyer"], deal, parties, signed_on="01/01/0001")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The signing date cannot be before 01/01/" in page
    assert re.search(r'name="advance-signed_on"[^>]*is-invalid|is-invalid[^>]*name="advance-signed_on"', page)
    db.session.expire_all()
    assert deal.stage == "mou" and deal.signed_on is None


def test_a_broker_fee_above_the_contract_value_is_refused_next_to_the_field(people, deal, parties, db):
    response = people["broker"].post(f"/deals/{deal.id}/edit", data={
        "facts-contract_value_vnd": "100.000.000", "facts-broker_fee_vnd": "150.000.000"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "cannot be more than the contract value (100.000.000 ₫)" in page
    assert re.search(r'name="facts-broker_fee_vnd"[^>]*is-invalid|is-invalid[^>]*name="facts-broker_fee_vnd"', page)
    db.session.expire_all()
    assert deal.broker_fee_vnd is None and deal.contract_value_vnd is None


def test_the_stage_filter_works_without_inline_script(people, deal):
    """The Content-Security-Policy blocks inline handlers: the filter is a plain form with its own button."""
    page = people["buyer"].get("/deals/").get_data(as_text=True)
    assert "onchange=" not in page and 'id="stage-filter-button"' in page
    assert "<noscript>" not in page[page.index('id="stage-filter"'):page.index('id="stage-filter"') + 2000]
    assert deal.ref not in people["buyer"].get("/deals/?stage=completed").get_data(as_text=True)
    assert deal.ref in people["buyer"].get("/deals/?stage=contacted").get_data(as_text=True)


def test_a_document_over_the_request_limit_gets_the_deal_page_with_the_message(people, deal, app, db):
    from io import BytesIO

    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = people["buyer"].post(f"/deals/{deal.id}/documents", content_type="multipart/form-data",
                                    data={"document-file": (BytesIO(b"%PDF-1.4 " + b"0" * 8192), "lon.pdf")})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert deal.ref in page and 'id="document-form"' in page  # the deal's page, not the bare error page
    assert "The file is too large (10 MB at most)." in page
    assert re.search(r'name="document-file"[^>]*is-invalid|is-invalid[^>]*name="document-file"', page)
    db.session.expire_all()
    assert deal.documents == [] and [e.action for e in deal.events] == ["opened"]


def test_a_document_upload_still_needs_the_csrf_token(people, deal, app, db):
    from io import BytesIO

    app.config["WTF_CSRF_ENABLED"] = True
    client = people["buyer"]
    refused = client.post(f"/deals/{deal.id}/documents", content_type="multipart/form-data",
                          data={"document-file": (BytesIO(b"%PDF-1.4 du thao"), "du-thao.pdf")})
    assert refused.status_code == 400
    db.session.expire_all()
    assert deal.documents == []
    page = client.get(f"/deals/{deal.id}").get_data(as_text=True)
    token = re.search(r'name="document-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sent = client.post(f"/deals/{deal.id}/documents", content_type="multipart/form-data",
                       data={"document-csrf_token": token,
                             "document-file": (BytesIO(b"%PDF-1.4 du thao"), "du-thao.pdf")})
    assert sent.status_code == 302
    db.session.expire_all()
    assert len(deal.documents) == 1
