"""Broker fixtures: a buyer's need and a seller's offer with a strong suggestion between them, and a broker."""
from types import SimpleNamespace

import pytest


@pytest.fixture
def market(db, make_org, make_user, make_listing):
    """Buyer, seller and broker (people and organisations), a need, an offer and their suggestion (score 0.8)."""
    from marketplace.matching.models import MatchSuggestion

    buyer_org = make_org("enterprise", name="HTX Nông sản Bình Lục")
    seller_org = make_org("institute", name="Viện Cơ điện Nông nghiệp")
    broker_org = make_org("broker", name="Trung tâm Xúc tiến Nam Hà", verified=True)
    world = SimpleNamespace(
        buyer_org=buyer_org, seller_org=seller_org, broker_org=broker_org,
        buyer=make_user("member", org=buyer_org), seller=make_user("member", org=seller_org),
        broker=make_user("broker", org=broker_org),
        need=make_listing("need", org=buyer_org, title="Cần máy sấy nông sản", sector_code="401"),
        offer=make_listing("offer", org=seller_org, title="Máy sấy bơm nhiệt", sector_code="202"),
    )
    # suggestions are derived data: the tests set the ones they reason about, whatever the engine found
    db.session.execute(db.delete(MatchSuggestion))
    world.suggestion = suggest(db, world.need, world.offer, 0.8)
    return world


def suggest(db, need, offer, score, fits=True):
    """Put the suggestion of this pair in place (replacing the engine's), committed."""
    from marketplace.matching.models import MatchSuggestion

    db.session.execute(db.delete(MatchSuggestion).where(MatchSuggestion.need_id == need.id,
                                                        MatchSuggestion.offer_id == offer.id))
    row = MatchSuggestion(need_id=need.id, offer_id=offer.id, score=score, fits=fits, reasons=[], violations=[])
    db.session.add(row)
    db.session.commit()
    return row
