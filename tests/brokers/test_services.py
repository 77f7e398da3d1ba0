"""Broker rules: profile, directory, queue of strong suggestions, proposals accepted or declined by both sides."""
import pytest
from flask_babel import force_locale

from marketplace.brokers import services
from marketplace.brokers.models import MatchProposal
from marketplace.core.errors import ValidationError
from marketplace.deals.models import Deal
from marketplace.matching.models import MatchSuggestion
from marketplace.notifications.models import Notification
from tests.brokers.conftest import suggest


@pytest.fixture(autouse=True)
def english(app):
    """The messages below are quoted from the English source strings."""
    with force_locale("en"):
        yield


def _count(db, model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def _propose(market):
    return services.propose_match(market.broker, market.need, market.offer, "Hai bên nên gặp nhau.")


# --- profiles and directory ----------------------------------------------------------------------------

def test_profile_keeps_services_and_sectors_and_refuses_unknown_codes(db, market):
    admin = market.broker
    services.update_profile(market.broker_org, admin, {"summary": "Môi giới nông nghiệp",
                                                      "services": ["valuation", "brokerage"],
                                                      "sector_codes": ["401", "202"]})
    profile = services.profile_of(market.broker_org)
    assert profile.services == ["brokerage", "valuation"]
    assert profile.sector_codes == ["202", "401"]
    with pytest.raises(ValidationError) as exc:
        services.update_profile(market.broker_org, admin, {"services": ["astrology"], "sector_codes": ["999"]})
    assert set(exc.value.errors) == {"services", "sector_codes"}
    db.session.expire_all()
    assert services.profile_of(market.broker_org).services == ["brokerage", "valuation"]


def test_only_the_broker_organisations_admin_edits_its_profile(db, market, make_user):
    member = make_user("broker", org=market.broker_org, org_role="member")
    with pytest.raises(ValidationError):
        services.update_profile(market.broker_org, member, {"summary": "x"})
    with pytest.raises(ValidationError):
        services.update_profile(market.buyer_org, market.buyer, {"summary": "x"})


def test_directory_lists_verified_brokers_filtered_by_service_and_sector(db, market, make_org, make_user):
    other = make_org("broker", name="Công ty Định giá Sông Đáy", verified=True)
    make_org("broker", name="Môi giới chưa xác minh", verified=False)
    services.update_profile(market.broker_org, market.broker, {"services": ["brokerage"], "sector_codes": ["401"]})
    services.update_profile(other, make_user("broker", org=other), {"services": ["valuation"],
                                                                    "sector_codes": ["202"]})
    names = lambda orgs: [o.name for o in orgs]  # noqa: E731
    assert names(services.directory()) == ["Công ty Định giá Sông Đáy", "Trung tâm Xúc tiến Nam Hà"]
    assert names(services.directory(service="valuation")) == ["Công ty Định giá Sông Đáy"]
    assert names(services.directory(sector="401")) == ["Trung tâm Xúc tiến Nam Hà"]
    assert names(services.directory(sector="2")) == ["Công ty Định giá Sông Đáy"]  # a field covers its sectors


# --- the queue -----------------------------------------------------------------------------------------

def test_queue_holds_strong_fitting_suggestions_best_first(db, market, make_listing):
    weak_offer = make_listing("offer", org=market.seller_org, title="Lò sấy than")
    broken_offer = make_listing("offer", org=market.seller_org, title="Máy sấy TRL thấp")
    better_need = make_listing("need", org=market.buyer_org, title="Cần sấy vải thiều")
    db.session.execute(db.delete(MatchSuggestion).where(MatchSuggestion.id != market.suggestion.id))
    suggest(db, market.need, weak_offer, 0.1)
    suggest(db, market.need, broken_offer, 0.95, fits=False)
    suggest(db, better_need, market.offer, 0.9)
    pairs = [(s.need.title, s.offer.title) for s in services.queue(market.broker_org)]
    assert pairs == [("Cần sấy vải thiều", "Máy sấy bơm nhiệt"), ("Cần máy sấy nông sản", "Máy sấy bơm nhiệt")]


def test_queue_drops_what_this_broker_proposed_and_can_keep_to_its_sectors(db, market, make_org, make_user):
    _propose(market)
    assert services.queue(market.broker_org) == []
    other = make_org("broker", verified=True)
    assert len(services.queue(other)) == 1  # another broker may still propose it
    services.update_profile(other, make_user("broker", org=other), {"sector_codes": ["101"]})
    assert services.queue(other, only_my_sectors=True) == []
    services.update_profile(other, other.members[0], {"sector_codes": ["202"]})
    assert len(services.queue(other, only_my_sectors=True)) == 1


def test_queue_skips_unpublished_listings(db, market):
    market.offer.status = "withdrawn"
    db.session.commit()
    assert services.queue(market.broker_org) == []


# --- proposals -----------------------------------------------------------------------------------------

def test_proposal_tells_both_parties(db, market):
    proposal = _propose(market)
    assert (proposal.buyer_org_id, proposal.seller_org_id, proposal.score) == (market.buyer_org.id,
                                                                              market.seller_org.id, 0.8)
    told = set(db.session.scalars(db.select(Notification.user_id).where(Notification.kind == "match_proposed")))
    assert told == {market.buyer.id, market.seller.id}


def test_proposing_needs_a_verified_broker_a_message_and_is_done_once(db, market, make_org, make_user):
    with pytest.raises(ValidationError):
        services.propose_match(market.buyer, market.need, market.offer, "Tôi tự giới thiệu")
    unverified = make_user("broker", org=make_org("broker", verified=False))
    with pytest.raises(ValidationError):
        services.propose_match(unverified, market.need, market.offer, "Xin chào")
    with pytest.raises(ValidationError) as exc:
        services.propose_match(market.broker, market.need, market.offer, "  ")
    assert "message" in exc.value.errors
    with pytest.raises(ValidationError):
        services.propose_match(market.broker, market.offer, market.need, "Ngược chiều")
    _propose(market)
    with pytest.raises(ValidationError) as exc:
        _propose(market)
    assert "already proposed" in str(exc.value)
    assert _count(db, MatchProposal) == 1


def test_both_acceptances_open_a_deal_with_the_broker(db, market):
    proposal = _propose(market)
    services.respond(proposal, market.seller, "accepted")
    assert proposal.status == "open" and _count(db, Deal) == 0
    services.respond(proposal, market.buyer, "accepted", text="Đồng ý gặp")
    assert proposal.status == "accepted"
    deal = proposal.deal
    assert (deal.buyer_org, deal.seller_org, deal.broker_org) == (market.buyer_org, market.seller_org,
                                                                 market.broker_org)
    assert (deal.need, deal.offer, deal.origin, deal.stage) == (market.need, market.offer, "proposal", "contacted")


def test_a_double_accept_is_refused_and_changes_nothing(db, market, make_user):
    proposal = _propose(market)
    services.respond(proposal, market.buyer, "accepted")
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.buyer, "accepted")
    assert "already accepted" in str(exc.value)
    colleague = make_user("member", org=market.buyer_org, org_role="member")
    with pytest.raises(ValidationError):  # another person of the buyer cannot turn the answer around
        services.respond(proposal, colleague, "declined", reason="price")
    db.session.expire_all()
    assert (proposal.buyer_decision, proposal.status, _count(db, Deal)) == ("accepted", "open", 0)


def test_a_third_party_cannot_answer(db, market, make_user):
    proposal = _propose(market)
    for outsider in (make_user("member"), market.broker, make_user("department")):
        with pytest.raises(ValidationError) as exc:
            services.respond(proposal, outsider, "accepted")
        assert "Only the buyer and the seller" in str(exc.value)
    db.session.expire_all()
    assert (proposal.buyer_decision, proposal.seller_decision) == (None, None)


def test_declining_needs_a_typed_reason_and_closes_the_proposal(db, market):
    proposal = _propose(market)
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.seller, "declined", reason="bored")
    assert "reason" in exc.value.errors
    services.respond(proposal, market.seller, "declined", reason="too_early", text="Chưa sẵn sàng")
    assert (proposal.status, proposal.seller_reason) == ("declined", "too_early")
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.buyer, "accepted")
    assert "declined" in str(exc.value)
    assert _count(db, Deal) == 0
    told = set(db.session.scalars(db.select(Notification.user_id)
                                  .where(Notification.kind == "proposal_declined_seller")))
    assert told == {market.buyer.id, market.broker.id}


def test_a_withdrawn_listing_cannot_be_accepted_any_more(db, market):
    proposal = _propose(market)
    market.offer.status = "withdrawn"
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.buyer, "accepted")
    assert "withdrawn" in str(exc.value)
    services.respond(proposal, market.buyer, "declined", reason="other")  # declining is still possible
    assert proposal.status == "declined"


# --- one deal per buyer, seller and offer ---------------------------------------------------------------

def _interest_deal(db, market):
    """An accepted interest of the buyer in the offer: a deal about the offer alone, without the broker."""
    from marketplace.deals.services import open_deal

    deal = open_deal(buyer_org=market.buyer_org, seller_org=market.seller_org, offer=market.offer,
                     origin="interest", actor=market.seller)
    db.session.commit()
    return deal


def _all_accept(db, market):
    proposal = _propose(market)
    services.respond(proposal, market.buyer, "accepted")
    services.respond(proposal, market.seller, "accepted")
    return proposal.deal


def test_a_proposal_accepted_after_an_interest_deal_opens_no_second_deal(db, market):
    from marketplace.deals.services import overview

    proposal = _propose(market)
    services.respond(proposal, market.buyer, "accepted")
    deal = _interest_deal(db, market)  # meanwhile the buyer's interest in the offer was accepted
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.seller, "accepted")
    assert deal.ref in str(exc.value) and "cannot be accepted" in str(exc.value)  # the seller may see the deal
    db.session.expire_all()
    assert (proposal.status, proposal.seller_decision, _count(db, Deal)) == ("open", None, 1)
    assert sum(overview()["by_stage"].values()) == 1  # the department counts one deal


def test_a_pair_whose_parties_have_an_open_deal_on_the_offer_is_not_proposed(db, market):
    deal = _interest_deal(db, market)
    assert services.queue(market.broker_org) == []
    with pytest.raises(ValidationError) as exc:
        _propose(market)
    message = str(exc.value)
    assert "already have a deal on this need or offer" in message
    assert deal.ref not in message  # the broker is not in that deal: it learns no reference
    assert _count(db, MatchProposal) == 0 and _count(db, Deal) == 1


def test_a_pair_whose_parties_completed_a_deal_is_not_proposed_again(db, market, make_org):
    from marketplace.deals import services as deals
    from tests.deals.test_services import CONTRACT

    deal = _all_accept(db, market)
    while deal.stage != "in_transfer":
        nxt = deal.next_stage
        deals.advance_deal(deal, market.buyer, nxt, CONTRACT if nxt == "contract_signed" else None)
    deals.confirm_completion(deal, market.buyer)
    deals.confirm_completion(deal, market.seller)
    other = make_org("broker", verified=True)
    assert services.queue(other) == []  # no broker is offered it
    db.session.delete(db.session.scalar(db.select(MatchProposal)))  # as if the broker had never proposed it
    db.session.commit()
    assert services.queue(market.broker_org) == []
    with pytest.raises(ValidationError) as exc:
        _propose(market)
    assert deal.ref in str(exc.value) and "completed" in str(exc.value)  # its own deal: named
    assert _count(db, Deal) == 1


def test_a_cancelled_deal_frees_the_pair_again(db, market, make_org):
    from marketplace.deals import services as deals

    deal = _interest_deal(db, market)
    deals.cancel_deal(deal, market.buyer, "price", "Giá cao")
    assert [(s.need_id, s.offer_id) for s in services.queue(market.broker_org)] == [(market.need.id, market.offer.id)]
    assert _all_accept(db, market).stage == "contacted"
    assert _count(db, Deal) == 2


def test_a_closed_need_cannot_be_accepted_but_an_expired_one_can(db, market):
    proposal = _propose(market)
    market.need.status = "closed"
    db.session.commit()
    with pytest.raises(ValidationError) as exc:
        services.respond(proposal, market.seller, "accepted")
    assert "The buyer's need is no longer on the exchange (closed)" in str(exc.value)
    market.need.status = "expired"  # its owner may still renew it
    db.session.commit()
    services.respond(proposal, market.seller, "accepted")
    assert proposal.seller_decision == "accepted"
