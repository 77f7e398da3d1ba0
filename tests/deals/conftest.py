"""Deal fixtures: a buyer with a need, a seller with an offer, a verified broker, and a deal between them."""
import pytest


@pytest.fixture
def parties(make_org, make_user, make_listing):
    """Buyer and seller organisations with a person each, the need and the offer, and a broker with a person."""
    from types import SimpleNamespace

    buyer_org = make_org("enterprise", name="Công ty Mua")
    seller_org = make_org("institute", name="Viện Bán")
    broker_org = make_org("broker", name="Trung tâm Môi giới", verified=True)
    return SimpleNamespace(
        buyer_org=buyer_org, seller_org=seller_org, broker_org=broker_org,
        buyer=make_user("member", org=buyer_org), seller=make_user("member", org=seller_org),
        broker=make_user("broker", org=broker_org),
        need=make_listing("need", org=buyer_org, title="Máy sấy nông sản"),
        offer=make_listing("offer", org=seller_org, title="Công nghệ sấy bơm nhiệt"),
    )


@pytest.fixture
def deal(db, parties):
    """An open deal at "contacted", brokered, about the need and the offer."""
    from marketplace.deals.services import open_deal

    deal = open_deal(buyer_org=parties.buyer_org, seller_org=parties.seller_org, need=parties.need,
                     offer=parties.offer, broker_org=parties.broker_org, origin="proposal", actor=parties.broker)
    db.session.commit()
    return deal
