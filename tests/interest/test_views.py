"""Interest and NDA pages, and anonymous listings wherever a listing's owner shows: page, cards, search, API."""
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_babel import force_locale

from marketplace.deals.models import Deal
from marketplace.interest import services
from marketplace.interest.models import Interest, NdaAcceptance

FAKE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def page(response):
    """The response body as text."""
    return response.get_data(as_text=True)


def sign_in(client, user, login):
    """Sign the client in as `user` (after signing out whoever was signed in)."""
    client.post("/logout")
    client.get("/lang/en")
    login(user)


def interests(db):
    """Every interest, oldest first."""
    return db.session.scalars(db.select(Interest).order_by(Interest.id)).all()


# --- expressing interest -------------------------------------------------------------------------------

def test_the_listing_page_invites_signed_in_organisations_to_express_interest(client, login, world, offer):
    assert "Sign in</a> to express" in page(client.get(f"/listings/{offer.id}"))
    login(world.buyer)
    body = page(client.get(f"/listings/{offer.id}"))
    assert 'id="express-interest"' in body and f'action="/listings/{offer.id}/interest"' in body


def test_expressing_interest_from_the_listing_page(client, login, db, world, offer):
    login(world.buyer)
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "Chúng tôi muốn mua bản quyền"})
    (interest,) = interests(db)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/interests/{interest.id}")
    body = page(client.get(response.headers["Location"]))
    assert "Your interest was sent to the owner" in body and "Chúng tôi muốn mua bản quyền" in body
    assert 'data-state="pending"' in body and 'id="withdraw"' in body
    # the listing page now says so instead of offering a second form
    body = page(client.get(f"/listings/{offer.id}"))
    assert 'id="interest-mine"' in body and 'id="express-interest"' not in body


def test_an_empty_message_is_refused_with_a_message(client, login, db, world, offer):
    login(world.buyer)
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "   "})
    assert response.status_code == 200
    assert "Write a message to the owner" in page(response)
    assert interests(db) == []


def test_a_too_long_message_is_refused(client, login, db, world, offer):
    login(world.buyer)
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "x" * 2001})
    assert response.status_code == 200 and "is-invalid" in page(response)
    assert interests(db) == []


def test_a_second_interest_gets_a_clear_message(client, login, db, world, offer):
    login(world.buyer)
    client.post(f"/listings/{offer.id}/interest", data={"message": "Lần đầu"})
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "Lần hai"}, follow_redirects=True)
    assert "already expressed interest" in page(response)
    assert len(interests(db)) == 1


def test_the_owner_cannot_express_interest_in_its_own_listing(client, login, db, world, offer):
    login(world.owner_colleague)
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "Tự quan tâm"}, follow_redirects=True)
    assert "your organisation&#39;s own listing" in page(response)
    assert interests(db) == []


def test_a_visitor_is_sent_to_sign_in_and_a_hidden_listing_answers_404(client, db, world, make_listing):
    draft = make_listing("offer", org=world.owner_org, status="draft")
    published = make_listing("offer", org=world.owner_org)
    response = client.post(f"/listings/{published.id}/interest", data={"message": "Xin chào"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(f"/listings/{draft.id}/interest", data={"message": "Xin chào"}).status_code == 404
    assert interests(db) == []


def test_after_a_decline_the_page_says_from_when_the_organisation_may_try_again(client, login, db, world, offer):
    """Within 30 days of a decline the listing page shows the date instead of the form, and a POST (a stale
    page, a second tab) is refused with the same sentence and sends nothing."""
    interest = services.express_interest(offer, world.buyer, "Lần đầu")
    services.decline_interest(interest, world.owner, "too_early")
    login(world.buyer)
    body = page(client.get(f"/listings/{offer.id}"))
    assert 'id="express-interest"' not in body and 'id="express-refused"' in body
    assert "You can express interest again from" in body
    response = client.post(f"/listings/{offer.id}/interest", data={"message": "Lần hai"}, follow_redirects=True)
    assert "You can express interest again from" in page(response)
    assert [i.state for i in interests(db)] == ["declined"]


# --- answering -----------------------------------------------------------------------------------------

@pytest.fixture
def pending(db, world, offer):
    """The buyer organisation's pending interest in the offer."""
    return services.express_interest(offer, world.buyer, "Chúng tôi muốn mua bản quyền")


def test_the_owner_sees_interests_on_the_listing_and_in_its_list(client, login, world, offer, pending):
    login(world.owner_colleague)
    body = page(client.get(f"/listings/{offer.id}"))
    assert 'id="interests"' in body and "Công ty Chè Tân Cương" in body and f"/interests/{pending.id}" in body
    body = page(client.get("/interests/received"))
    assert f'data-interest="{pending.id}"' in body and "Công ty Chè Tân Cương" in body
    assert f'data-interest="{pending.id}"' not in page(client.get("/interests/sent"))


def test_the_sender_sees_its_interests_with_their_state(client, login, world, offer, pending):
    services.decline_interest(pending, world.owner, "too_early", "Năm sau nhé")
    login(world.buyer_colleague)
    body = page(client.get("/interests/sent"))
    assert f'data-interest="{pending.id}"' in body and 'data-state="declined"' in body and "Too early" in body
    body = page(client.get(f"/interests/{pending.id}"))
    assert 'data-reason="too_early"' in body and "Năm sau nhé" in body


def test_accepting_opens_a_deal(client, login, db, world, pending):
    login(world.owner)
    response = client.post(f"/interests/{pending.id}/accept", data={"accept-message": "Mời trao đổi"},
                           follow_redirects=True)
    assert "Interest accepted: a deal is open" in page(response)
    (deal,) = db.session.scalars(db.select(Deal)).all()
    assert 'id="deal-link"' in page(response) and deal.ref in page(response)
    # a second click on the stale page says why and opens nothing
    response = client.post(f"/interests/{pending.id}/accept", follow_redirects=True)
    assert "not possible any more" in page(response)
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 1


def test_the_sender_cannot_accept_its_own_interest(client, login, db, world, pending):
    login(world.buyer)
    response = client.post(f"/interests/{pending.id}/accept", follow_redirects=True)
    assert "Only the organisation that owns the listing" in page(response)
    db.session.expire_all()
    assert pending.state == "pending" and db.session.scalars(db.select(Deal)).all() == []


@pytest.mark.parametrize("who", ["other", "broker"])
def test_a_third_party_gets_404_and_nothing_changes(client, login, db, world, pending, who):
    login(getattr(world, who))
    for action in ("", "/accept", "/decline", "/withdraw"):
        method = client.get if not action else client.post
        assert method(f"/interests/{pending.id}{action}").status_code == 404
    db.session.expire_all()
    assert pending.state == "pending"


def test_declining_with_a_reason(client, login, db, world, pending):
    login(world.owner)
    response = client.post(f"/interests/{pending.id}/decline",
                           data={"decline-reason": "not_fit", "decline-message": "Không phù hợp dây chuyền"},
                           follow_redirects=True)
    assert "Interest declined" in page(response)
    db.session.expire_all()
    assert (pending.state, pending.reason) == ("declined", "not_fit")


@pytest.mark.parametrize("reason", ["", "cheap"])
def test_declining_without_a_known_reason_changes_nothing(client, login, db, world, pending, reason):
    login(world.owner)
    response = client.post(f"/interests/{pending.id}/decline", data={"decline-reason": reason})
    assert response.status_code == 400
    assert "Choose a reason" in page(response)
    db.session.expire_all()
    assert pending.state == "pending" and pending.reason is None


def test_the_sender_withdraws_and_the_owner_can_no_longer_answer(client, login, db, world, pending):
    login(world.buyer)
    assert "Your interest is withdrawn" in page(client.post(f"/interests/{pending.id}/withdraw",
                                                             follow_redirects=True))
    sign_in(client, world.owner, login)
    response = client.post(f"/interests/{pending.id}/accept", follow_redirects=True)
    assert "not possible any more" in page(response)
    assert db.session.scalars(db.select(Deal)).all() == []


# --- anonymous listings --------------------------------------------------------------------------------

OWNER_NAME = "Viện Nghiên cứu Zylarix"
ANONYMOUS = '<span class="anonymous-owner">Anonymous owner</span>'


@pytest.fixture
def secret(world, make_listing):
    """A published anonymous offer of the owner organisation."""
    return make_listing("offer", org=world.owner_org, title="Máy sấy chè giấu tên", anonymous=True,
                        summary="Sấy chè búp bằng bơm nhiệt")


def test_an_anonymous_listing_page_hides_its_owner(client, login, world, secret, make_listing):
    plain = make_listing("offer", org=world.owner_org, title="Máy sấy có tên")
    assert OWNER_NAME in page(client.get(f"/listings/{plain.id}"))  # the check below can fail
    for user in (None, world.buyer, world.broker):
        if user is not None:
            sign_in(client, user, login)
        body = page(client.get(f"/listings/{secret.id}"))
        assert ANONYMOUS in body
        assert OWNER_NAME not in body and f"/orgs/{world.owner_org.id}" not in body
    for user in (world.owner_colleague, world.staff):
        sign_in(client, user, login)
        body = page(client.get(f"/listings/{secret.id}"))
        assert OWNER_NAME in body and ANONYMOUS not in body


def test_the_owner_name_shows_after_the_owner_accepts_the_interest(client, login, db, world, secret):
    interest = services.express_interest(secret, world.buyer, "Mua")
    login(world.buyer)
    assert OWNER_NAME not in page(client.get(f"/interests/{interest.id}"))
    services.accept_interest(interest, world.owner)
    body = page(client.get(f"/listings/{secret.id}"))
    assert OWNER_NAME in body and ANONYMOUS not in body
    assert OWNER_NAME in page(client.get(f"/interests/{interest.id}"))


def test_a_declined_sender_still_does_not_see_the_anonymous_owner(client, login, db, world, secret):
    interest = services.express_interest(secret, world.buyer, "Mua")
    services.decline_interest(interest, world.owner, "price")
    login(world.buyer)
    assert OWNER_NAME not in page(client.get(f"/interests/{interest.id}"))
    assert OWNER_NAME not in page(client.get("/interests/sent"))
    assert world.owner.display_name not in page(client.get(f"/interests/{interest.id}"))


def test_browse_cards_search_results_and_the_organisation_page_hide_an_anonymous_owner(
        client, login, world, secret, make_listing):
    make_listing("offer", org=world.owner_org, title="Bộ nghiền có tên")
    body = page(client.get("/offers"))
    assert "Máy sấy chè giấu tên" in body and ANONYMOUS in body
    assert body.count(OWNER_NAME) == 1  # the named listing's card only
    body = page(client.get("/search", query_string={"q": "máy sấy chè"}))
    assert f"/listings/{secret.id}" in body and ANONYMOUS in body and OWNER_NAME not in body
    body = page(client.get(f"/orgs/{world.owner_org.id}"))
    assert "Bộ nghiền có tên" in body and "Máy sấy chè giấu tên" not in body
    login(world.owner)
    assert "Máy sấy chè giấu tên" in page(client.get(f"/orgs/{world.owner_org.id}"))


def test_filtering_by_the_kind_of_owner_does_not_reveal_an_anonymous_listing(client, world, secret):
    assert "Máy sấy chè giấu tên" not in page(client.get("/offers", query_string={"owner_kind": "institute"}))
    assert "Máy sấy chè giấu tên" in page(client.get("/offers"))


def test_searching_the_owner_name_does_not_find_an_anonymous_listing(client, world, make_listing):
    named = make_listing("ip", org=world.owner_org, title="Sáng chế buồng sấy có tên", ip_owners=OWNER_NAME)
    hidden = make_listing("ip", org=world.owner_org, title="Sáng chế buồng sấy giấu tên", ip_owners=OWNER_NAME,
                          anonymous=True)
    body = page(client.get("/search", query_string={"q": "Zylarix"}))
    assert f"/listings/{named.id}" in body
    assert f"/listings/{hidden.id}" not in body
    found = client.get("/api/v1/search", query_string={"q": "Zylarix"}).get_json()
    ids = {item["id"] for item in found["items"] if item["kind"] == "ip"}
    assert named.id in ids and hidden.id not in ids


def test_the_api_hides_an_anonymous_owner_and_its_right_holders(client, world, make_listing):
    hidden = make_listing("ip", org=world.owner_org, title="Sáng chế giấu tên", ip_owners=OWNER_NAME, anonymous=True)
    named = make_listing("ip", org=world.owner_org, title="Sáng chế có tên", ip_owners=OWNER_NAME)
    item = client.get(f"/api/v1/ip/{hidden.id}").get_json()
    assert item["owner"] == {"id": None, "name": "Anonymous owner", "kind": None, "url": None, "anonymous": True} \
        or item["owner"]["anonymous"] is True and item["owner"]["id"] is None
    assert item["ip"]["ip_owners"] is None
    assert OWNER_NAME not in str(item)
    named_item = client.get(f"/api/v1/ip/{named.id}").get_json()
    assert named_item["owner"]["name"] == OWNER_NAME and named_item["owner"]["anonymous"] is False
    listed = {i["id"]: i for i in client.get("/api/v1/ip").get_json()["items"]}
    assert listed[hidden.id]["owner"]["anonymous"] is True and OWNER_NAME not in str(listed[hidden.id])


def test_a_link_between_a_named_ip_asset_and_an_anonymous_offer_is_not_shown(client, login, db, world, secret,
                                                                              make_listing):
    asset = make_listing("ip", org=world.owner_org, title="Sáng chế buồng sấy có tên")
    named_offer = make_listing("offer", org=world.owner_org, title="Máy sấy có tên")
    secret.ip_assets = [asset]
    named_offer.ip_assets = [asset]
    db.session.commit()
    body = page(client.get(f"/listings/{asset.id}"))
    assert f"/listings/{named_offer.id}" in body and f"/listings/{secret.id}" not in body
    assert f"/listings/{asset.id}\"" not in page(client.get(f"/listings/{secret.id}"))
    offers = client.get(f"/api/v1/ip/{asset.id}").get_json()["offers"]
    assert [o["id"] for o in offers] == [named_offer.id]
    assert client.get(f"/api/v1/offers/{secret.id}").get_json()["ip_assets"] == []
    login(world.owner)
    assert f"/listings/{secret.id}" in page(client.get(f"/listings/{asset.id}"))


def test_suggested_matches_hide_an_anonymous_owner(app, world, secret, make_listing, make_user):
    need = make_listing("need", org=world.buyer_org, title="Cần máy sấy chè")
    suggestion = SimpleNamespace(offer=secret, need=need, fits=True, score=0.8, reasons=[], violations=[])
    with app.test_request_context("/"), force_locale("en"):
        from flask_login import login_user

        login_user(world.buyer)
        body = render_template("matching/_suggestions.html", l=need, matches=[suggestion])
    assert "Máy sấy chè giấu tên" in body and ANONYMOUS in body and OWNER_NAME not in body
    with app.test_request_context("/"):
        from flask_login import login_user

        login_user(world.owner)
        assert OWNER_NAME in render_template("matching/_suggestions.html", l=need, matches=[suggestion])


def test_the_owner_makes_a_listing_anonymous_and_back_in_the_form(client, login, db, world, offer):
    login(world.owner)
    form = page(client.get(f"/listings/{offer.id}/edit"))
    assert 'name="anonymous"' in form and 'name="nda_required"' in form and 'name="nda_text"' in form
    data = {"title": offer.title, "summary": offer.summary, "detail": offer.detail, "sector_code": "202",
            "trl": "6", "transfer_modes": ["license"], "price_type": "negotiable", "locality_code": "phu-ly",
            "anonymous": "y", "action": "save"}
    assert client.post(f"/listings/{offer.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert offer.anonymous
    sign_in(client, world.buyer, login)
    assert OWNER_NAME not in page(client.get(f"/listings/{offer.id}"))
    sign_in(client, world.owner, login)
    data.pop("anonymous")
    client.post(f"/listings/{offer.id}/edit", data=data)
    db.session.expire_all()
    assert not offer.anonymous


# --- NDA -----------------------------------------------------------------------------------------------

@pytest.fixture
def nda_offer(db, world, make_listing):
    """A published offer whose confidential detail and file need the NDA."""
    from marketplace.listings.attachments import add_attachment

    listing = make_listing("offer", org=world.owner_org, title="Bơm nhiệt bảo mật", nda_required=True,
                           nda_text="Bên nhận cam kết giữ bí mật thông số.", detail="Thông số máy nén R290")
    add_attachment(listing, world.owner, "ban-ve.pdf", FAKE_PDF, is_public=False)
    return listing


def test_a_signed_in_person_reads_the_nda_accepts_it_and_then_sees_the_detail(client, login, db, world, nda_offer):
    file_id = nda_offer.attachments[0].id
    body = page(client.get(f"/listings/{nda_offer.id}"))
    assert "Sign in to read the NDA" in body and "Thông số máy nén" not in body
    login(world.buyer)
    body = page(client.get(f"/listings/{nda_offer.id}"))
    assert "Bên nhận cam kết giữ bí mật thông số." in body and 'id="nda-form"' in body
    assert "Thông số máy nén" not in body
    assert client.get(f"/attachments/{file_id}").status_code == 404
    response = client.post(f"/listings/{nda_offer.id}/nda", data={"version": "1"}, follow_redirects=True)
    body = page(response)
    assert "You accepted version 1 of the NDA" in body and "Thông số máy nén R290" in body
    assert 'id="nda-form"' not in body
    assert client.get(f"/attachments/{file_id}").status_code == 200
    # the colleague reads it too; another organisation does not
    sign_in(client, world.buyer_colleague, login)
    assert "Thông số máy nén R290" in page(client.get(f"/listings/{nda_offer.id}"))
    sign_in(client, world.other, login)
    assert "Thông số máy nén R290" not in page(client.get(f"/listings/{nda_offer.id}"))
    assert client.get(f"/attachments/{file_id}").status_code == 404


def test_a_new_nda_version_hides_the_detail_until_accepted_again(client, login, db, world, nda_offer):
    from marketplace.listings.services import update_listing

    services.accept_nda(nda_offer, world.buyer, 1)
    update_listing(nda_offer, world.owner, {"nda_required": True, "nda_text": "Cam kết mới: giữ bí mật 5 năm."})
    login(world.buyer)
    body = page(client.get(f"/listings/{nda_offer.id}"))
    assert "Thông số máy nén" not in body and 'id="nda-changed"' in body and "Cam kết mới" in body
    # a click on a page drawn before the change does not accept the new text
    response = client.post(f"/listings/{nda_offer.id}/nda", data={"version": "1"}, follow_redirects=True)
    assert "The NDA changed since you opened the page" in page(response)
    assert "Thông số máy nén" not in page(response)
    response = client.post(f"/listings/{nda_offer.id}/nda", data={"version": "2"}, follow_redirects=True)
    assert "Thông số máy nén R290" in page(response)


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999"])
def test_a_bad_version_gets_a_message_and_records_nothing(client, login, db, world, nda_offer, version):
    login(world.buyer)
    response = client.post(f"/listings/{nda_offer.id}/nda", data={"version": version}, follow_redirects=True)
    assert response.status_code == 200 and "The NDA changed" in page(response)
    assert db.session.scalars(db.select(NdaAcceptance)).all() == []


def test_the_owner_sees_who_accepted_which_version_when(client, login, db, world, nda_offer):
    services.accept_nda(nda_offer, world.buyer, 1)
    login(world.owner_colleague)
    body = page(client.get(f"/listings/{nda_offer.id}"))
    assert 'id="nda-acceptances"' in body and world.buyer.display_name in body and 'data-version="1"' in body
    assert "Công ty Chè Tân Cương" in body
    sign_in(client, world.buyer, login)
    assert 'id="nda-acceptances"' not in page(client.get(f"/listings/{nda_offer.id}"))


def test_accepting_an_nda_needs_a_sign_in_and_a_listing_that_asks_for_one(client, login, db, world, nda_offer,
                                                                          offer):
    response = client.post(f"/listings/{nda_offer.id}/nda", data={"version": "1"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(world.buyer)
    response = client.post(f"/listings/{offer.id}/nda", data={"version": "1"}, follow_redirects=True)
    assert "asks for no NDA" in page(response)
    assert db.session.scalars(db.select(NdaAcceptance)).all() == []


def test_the_owner_sets_the_nda_in_the_listing_form(client, login, db, world, offer):
    login(world.owner)
    data = {"title": offer.title, "summary": offer.summary, "detail": offer.detail, "sector_code": "202",
            "trl": "6", "transfer_modes": ["license"], "price_type": "negotiable", "locality_code": "phu-ly",
            "nda_required": "y", "nda_text": "", "action": "save"}
    assert client.post(f"/listings/{offer.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert offer.nda_required and offer.nda_version == 1 and "NON-DISCLOSURE AGREEMENT" in offer.nda_text
    data["nda_text"] = "Văn bản NDA riêng của chúng tôi."
    client.post(f"/listings/{offer.id}/edit", data=data)
    db.session.expire_all()
    assert offer.nda_version == 2 and offer.nda_text == "Văn bản NDA riêng của chúng tôi."
    assert "Current NDA version: 2" in page(client.get(f"/listings/{offer.id}/edit"))
