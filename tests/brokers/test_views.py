"""Broker pages: directory and public profile (no private detail), the queue and proposing, answering a proposal
(a third party gets 404, a double accept a message and no change)."""
import re

import pytest

from marketplace.brokers import services
from marketplace.brokers.models import MatchProposal
from marketplace.deals.models import Deal

PASSWORD = "mat-khau-dai-123"


def _client(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    client.get("/lang/en")
    return client


@pytest.fixture
def clients(app, market, make_user):
    return {
        "buyer": _client(app, market.buyer),
        "seller": _client(app, market.seller),
        "broker": _client(app, market.broker),
        "other_org": _client(app, make_user("member")),
        "department": _client(app, make_user("department")),
        "visitor": app.test_client(),
    }


def test_directory_shows_verified_brokers_with_their_services(clients, market, make_org, db):
    make_org("broker", name="Môi giới chưa xác minh", verified=False)
    services.update_profile(market.broker_org, market.broker, {"services": ["valuation"], "sector_codes": ["202"]})
    page = clients["visitor"].get("/brokers").get_data(as_text=True)
    assert market.broker_org.name in page and "Môi giới chưa xác minh" not in page
    assert 'data-service="valuation"' in page
    assert market.broker_org.name not in clients["visitor"].get("/brokers?service=consulting").get_data(as_text=True)
    assert market.broker_org.name in clients["visitor"].get("/brokers?sector=202").get_data(as_text=True)
    assert clients["visitor"].get("/brokers?service=%00&sector=" + "9" * 50).status_code == 200  # junk ignored


def test_profile_shows_the_record_but_no_private_detail(clients, market, db):
    from marketplace.deals import services as deals
    from tests.deals.test_services import CONTRACT

    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    services.respond(proposal, market.buyer, "accepted")
    services.respond(proposal, market.seller, "accepted")
    deal = proposal.deal
    deals.add_note(deal, market.buyer, "Ghi chú riêng của bên mua")
    for stage in ("nda_signed", "negotiating", "mou", "contract_signed"):
        deals.advance_deal(deal, market.buyer, stage, CONTRACT if stage == "contract_signed" else None)
    page = clients["visitor"].get(f"/brokers/{market.broker_org.id}").get_data(as_text=True)
    assert '<dd class="col-4 text-end" id="record-signed">1</dd>' in page
    assert "1.500.000.000 ₫" in page
    assert "Ghi chú riêng" not in page and deal.ref not in page and market.buyer_org.name not in page


def test_unverified_or_non_broker_profiles_answer_404(clients, market, make_org):
    unverified = make_org("broker", verified=False)
    assert clients["visitor"].get(f"/brokers/{unverified.id}").status_code == 404
    assert clients["department"].get(f"/brokers/{unverified.id}").status_code == 200
    assert clients["visitor"].get(f"/brokers/{market.buyer_org.id}").status_code == 404


def test_the_broker_edits_its_profile_and_bad_codes_get_400(clients, market, db):
    response = clients["broker"].post(f"/brokers/{market.broker_org.id}/edit", data={
        "summary": "Môi giới máy nông nghiệp", "services": ["brokerage", "inspection"], "sector_codes": ["401"]})
    assert response.status_code == 302
    assert services.profile_of(market.broker_org).services == ["brokerage", "inspection"]
    response = clients["broker"].post(f"/brokers/{market.broker_org.id}/edit", data={"sector_codes": ["999"]})
    assert response.status_code == 400 and "Choose sectors from the list" in response.get_data(as_text=True)
    assert clients["buyer"].post(f"/brokers/{market.broker_org.id}/edit", data={"summary": "x"}).status_code == 403


def test_queue_and_propose_for_brokers_only(clients, market, db):
    page = clients["broker"].get("/broker/queue").get_data(as_text=True)
    assert f'data-need="{market.need.id}" data-offer="{market.offer.id}"' in page
    for name in ("buyer", "department"):
        assert clients[name].get("/broker/queue").status_code == 403, name
    assert clients["buyer"].post("/broker/propose", data={"need_id": market.need.id, "offer_id": market.offer.id,
                                                          "message": "x"}).status_code == 403
    form = clients["broker"].get(f"/broker/propose?need={market.need.id}&offer={market.offer.id}")
    assert form.status_code == 200 and market.need.title in form.get_data(as_text=True)
    empty = clients["broker"].post("/broker/propose", data={"need_id": market.need.id, "offer_id": market.offer.id,
                                                            "message": ""})
    assert empty.status_code == 400 and db.session.query(MatchProposal).count() == 0
    sent = clients["broker"].post("/broker/propose", data={"need_id": market.need.id, "offer_id": market.offer.id,
                                                           "message": "Hai bên nên gặp"})
    assert sent.status_code == 302
    assert f'data-need="{market.need.id}"' not in clients["broker"].get("/broker/queue").get_data(as_text=True)
    again = clients["broker"].post("/broker/propose", data={"need_id": market.need.id,
                                                            "offer_id": market.offer.id, "message": "Lần nữa"})
    assert again.status_code == 400 and "already proposed" in again.get_data(as_text=True)
    assert clients["broker"].get("/broker/propose?need=abc&offer=99999999999999999999").status_code == 404


def test_both_accept_on_the_page_and_the_deal_opens(clients, market, db):
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    assert clients["other_org"].get(f"/proposals/{proposal.id}").status_code == 404
    third = clients["other_org"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    assert third.status_code == 404
    first = clients["seller"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    assert first.status_code == 302
    double = clients["seller"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    assert double.status_code == 400 and "already accepted" in double.get_data(as_text=True)
    assert db.session.query(Deal).count() == 0
    second = clients["buyer"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    assert second.status_code == 302 and "/deals/" in second.headers["Location"]
    deal = db.session.query(Deal).one()
    assert deal.broker_org_id == market.broker_org.id
    assert deal.ref in clients["broker"].get("/deals/").get_data(as_text=True)


def test_declining_without_a_reason_is_refused(clients, market, db):
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    response = clients["buyer"].post(f"/proposals/{proposal.id}/respond", data={"decision": "declined"})
    assert response.status_code == 400 and "Choose why you decline" in response.get_data(as_text=True)
    db.session.expire_all()
    assert proposal.status == "open" and proposal.buyer_decision is None
    response = clients["buyer"].post(f"/proposals/{proposal.id}/respond",
                                     data={"decision": "declined", "reason": "price", "message": "Đắt quá"})
    assert response.status_code == 302
    page = clients["broker"].get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Declined: Price" in page and "Đắt quá" in page


def test_parties_see_proposals_awaiting_their_answer(clients, market):
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    page = clients["buyer"].get("/deals/").get_data(as_text=True)
    assert 'id="awaiting"' in page and f'data-proposal="{proposal.id}"' in page
    assert f'data-proposal="{proposal.id}"' not in clients["other_org"].get("/deals/").get_data(as_text=True)


def test_an_anonymous_owner_stays_hidden_until_the_deal_opens(clients, market, db):
    market.offer.anonymous = True
    db.session.commit()
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    for name in ("buyer", "broker"):
        for path in (f"/proposals/{proposal.id}", "/deals/", "/broker/queue"):
            page = clients[name].get(path).get_data(as_text=True)
            assert market.seller_org.name not in page, (name, path)
    assert market.seller_org.name in clients["seller"].get(f"/proposals/{proposal.id}").get_data(as_text=True)
    clients["seller"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    from marketplace.notifications.models import Notification

    told = db.session.scalars(db.select(Notification).where(Notification.user_id == market.buyer.id)).all()
    assert told and all(market.seller_org.name not in str(n.params) for n in told)
    clients["buyer"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"})
    assert market.seller_org.name in clients["buyer"].get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_an_unknown_decision_says_so_and_keeps_the_typed_message(clients, market, db):
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    response = clients["buyer"].post(f"/proposals/{proposal.id}/respond", data={
        "decision": "maybe", "reason": "too_early", "message": "Chúng tôi cần thêm thời gian"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Accept or decline the proposal." in page
    assert "Chúng tôi cần thêm thời gian</textarea>" in page
    assert re.search(r'<option[^>]*selected[^>]*value="too_early"|<option[^>]*value="too_early"[^>]*selected', page)
    db.session.expire_all()
    assert proposal.status == "open" and proposal.buyer_decision is None


def test_a_proposal_whose_offer_was_withdrawn_offers_only_declining(clients, market, db):
    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    accepted = clients["buyer"].post(f"/proposals/{proposal.id}/respond", data={"decision": "accepted"},
                                     follow_redirects=True)  # the flash is read here, not on the page below
    assert "Accepted." in accepted.get_data(as_text=True)
    market.offer.status = "withdrawn"
    db.session.commit()
    for name in ("seller", "buyer", "broker"):
        page = clients[name].get(f"/proposals/{proposal.id}").get_data(as_text=True)
        assert 'id="proposal-blocked"' in page, name
        assert "offer is no longer on the exchange (withdrawn)" in page, name
        assert "Awaiting answers" not in page and "accepts too" not in page, name
        assert 'id="accept-form"' not in page, name
    page = clients["seller"].get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'id="decline-form"' in page
    response = clients["seller"].post(f"/proposals/{proposal.id}/respond",
                                      data={"decision": "declined", "reason": "other"})
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.status == "declined" and db.session.query(Deal).count() == 0


def test_propose_refuses_up_front_a_closed_offer_with_the_reason(clients, market, db):
    market.offer.status = "closed"
    db.session.commit()
    response = clients["broker"].get(f"/broker/propose?need={market.need.id}&offer={market.offer.id}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The offer is no longer on the exchange (closed)" in page
    assert 'id="propose-form"' not in page and 'id="propose-blocked"' in page
    sent = clients["broker"].post("/broker/propose", data={"need_id": market.need.id, "offer_id": market.offer.id,
                                                           "message": "Hai bên nên gặp"})
    assert sent.status_code == 400 and "(closed)" in sent.get_data(as_text=True)
    assert db.session.query(MatchProposal).count() == 0


def test_propose_refuses_up_front_a_pair_already_proposed_or_dealt(clients, market, db):
    from marketplace.deals.services import open_deal

    services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    page = clients["broker"].get(f"/broker/propose?need={market.need.id}&offer={market.offer.id}")
    assert page.status_code == 400 and "already proposed" in page.get_data(as_text=True)
    db.session.query(MatchProposal).delete()
    deal = open_deal(buyer_org=market.buyer_org, seller_org=market.seller_org, offer=market.offer,
                     origin="interest", actor=market.seller)
    db.session.commit()
    page = clients["broker"].get(f"/broker/propose?need={market.need.id}&offer={market.offer.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "already have a deal on this need or offer" in text
    assert deal.ref not in text and 'id="propose-form"' not in text


def test_an_unverified_brokers_person_is_told_to_get_verified(app, market, make_org, make_user):
    org = make_org("broker", name="Công ty Thẩm định Sông Đáy", verified=False)
    client = _client(app, make_user("broker", org=org))
    for response in (client.get("/broker/queue"),
                     client.get(f"/broker/propose?need={market.need.id}&offer={market.offer.id}")):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert 'id="broker-unverified"' in page and "is not verified yet" in page and org.name in page
        assert "ask the department to verify it" in page
        assert f'href="/orgs/{org.id}"' in page
        assert market.need.title not in page
    other = _client(app, make_user("member"))  # not a broker at all: the plain refusal
    assert 'id="broker-unverified"' not in other.get("/broker/queue").get_data(as_text=True)
