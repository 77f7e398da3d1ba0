"""Fixtures for interest and NDA: an owner organisation with people, an interested one, and others."""
from types import SimpleNamespace

import pytest


@pytest.fixture
def client(app):
    """A test client reading the pages in English, so tests can quote the source strings."""
    client = app.test_client()
    client.get("/lang/en")
    return client


@pytest.fixture
def world(make_org, make_user):
    """The owner organisation (an institute: two people), an interested enterprise (two people), another
    enterprise, a verified broker and a department moderator."""
    owner_org = make_org("institute", name="Viện Nghiên cứu Zylarix")
    buyer_org = make_org("enterprise", name="Công ty Chè Tân Cương")
    other_org = make_org("enterprise", name="Công ty Khác")
    return SimpleNamespace(
        owner_org=owner_org, buyer_org=buyer_org, other_org=other_org,
        owner=make_user(org=owner_org), owner_colleague=make_user(org=owner_org, org_role="member"),
        buyer=make_user(org=buyer_org), buyer_colleague=make_user(org=buyer_org, org_role="member"),
        other=make_user(org=other_org),
        broker=make_user(role="broker"),
        staff=make_user(role="department"),
    )


@pytest.fixture
def offer(world, make_listing):
    """A published offer of the owner organisation."""
    return make_listing("offer", org=world.owner_org, title="Máy sấy chè bơm nhiệt",
                        detail="Bản vẽ buồng sấy và thông số bơm nhiệt")


def kinds_for(db, user):
    """The kinds of the notifications a person has, oldest first."""
    from marketplace.notifications.models import Notification

    return [n.kind for n in db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                                               .order_by(Notification.id))]
