"""Deal rules: opening, stages one step at a time, the contract's facts, confirmation, cancellation."""
import pytest

from marketplace.core.errors import ValidationError
from marketplace.deals import services
from marketplace.deals.models import Deal
from marketplace.notifications.models import Notification


def test_open_deal_makes_a_ref_an_opened_event_and_tells_both_parties(db, parties):
    deal = services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                              offer=parties.offer, origin="interest", actor=parties.buyer)
    db.session.commit()
    assert deal.stage == "contacted"
    assert deal.ref == f"GD-{deal.created_at.year}-{deal.id:04d}"
    assert [e.action for e in deal.events] == ["opened"]
    assert deal.events[0].actor == parties.buyer
    told = {n.user_id for n in db.session.scalars(db.select(Notification).where(Notification.kind == "deal_opened"))}
    assert told == {parties.seller.id}  # the buyer opened it: only the other side needs telling


def test_open_deal_does_not_commit(db, parties):
    services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, offer=parties.offer,
                       origin="interest", actor=parties.buyer)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 0


@pytest.mark.parametrize("change", [
    {"seller_org": "buyer_org"},     # same organisation on both sides
    {"need": "offer"},               # an offer passed as the need
    {"offer": "need"},               # the buyer's need passed as the offer
    {"origin": "gift"},
    {"broker_org": "buyer_org"},     # an enterprise cannot be the broker
])
def test_open_deal_refuses_inconsistent_requests(db, parties, change):
    args = dict(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need, offer=parties.offer,
                origin="proposal", actor=parties.broker)
    for key, value in change.items():
        args[key] = getattr(parties, value) if value in ("buyer_org", "offer", "need") else value
    with pytest.raises(ValidationError):
        services.open_deal(**args)
    assert db.session.scalar(db.select(db.func.count(Deal.id))) == 0


def test_a_second_open_deal_on_the_same_listings_is_refused(db, parties, deal):
    with pytest.raises(ValidationError) as exc:
        services.open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                           offer=parties.offer, origin="direct", actor=parties.buyer)
    assert deal.ref in str(exc.value)
