"""Interest and NDA services: expressing, answering and withdrawing interest, deals opened, NDA versions."""
import hashlib
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.core.templating import format_datetime
from marketplace.core.policy import can
from marketplace.deals.models import Deal
from marketplace.interest import services
from marketplace.interest.models import MESSAGE_MAX, Interest, NdaAcceptance
from tests.interest.conftest import kinds_for

pytestmark = pytest.mark.usefixtures("english")  # the messages below are quoted in English


@pytest.fixture(autouse=True)
def english(app):
    """The messages below are quoted from the English source strings."""
    with force_locale("en"):
        yield


def interests(db):
    """Every interest, oldest first."""
    return db.session.scalars(db.select(Interest).order_by(Interest.id)).all()


def deals(db):
    """Every deal."""
    return db.session.scalars(db.select(Deal).order_by(Deal.id)).all()


# --- expressing interest -------------------------------------------------------------------------------

def test_an_organisation_expresses_interest_and_the_owner_is_told(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "  Chúng tôi muốn mua bản quyền.  ")
    assert (interest.state, interest.org_id, interest.user_id) == ("pending", world.buyer_org.id, world.buyer.id)
    assert interest.message == "Chúng tôi muốn mua bản quyền."
    assert kinds_for(db, world.owner) == ["interest_received"]
    assert kinds_for(db, world.owner_colleague) == ["interest_received"]
    # the sender's colleagues learn what was sent in their name; the sender needs no notice of their own act
    assert kinds_for(db, world.buyer_colleague) == ["interest_sent"]
    assert kinds_for(db, world.buyer) == []


@pytest.mark.parametrize("text", ["", "   \n  ", None])
def test_a_message_is_required(db, world, offer, text):
    with pytest.raises(ValidationError) as error:
        services.express_interest(offer, world.buyer, text)
    assert "message" in error.value.errors
    assert interests(db) == [] and kinds_for(db, world.owner) == []


def test_a_message_has_a_length_limit(db, world, offer):
    with pytest.raises(ValidationError, match="too long"):
        services.express_interest(offer, world.buyer, "x" * (MESSAGE_MAX + 1))
    assert interests(db) == []
    assert services.express_interest(offer, world.buyer, "x" * MESSAGE_MAX).message == "x" * MESSAGE_MAX


def test_one_open_interest_per_organisation_and_listing(db, world, offer):
    services.express_interest(offer, world.buyer, "Lần đầu")
    with pytest.raises(ValidationError, match="already expressed interest"):
        services.express_interest(offer, world.buyer_colleague, "Lần hai, người khác cùng tổ chức")
    assert len(interests(db)) == 1
    assert kinds_for(db, world.owner) == ["interest_received"]
    # another organisation is not held back
    services.express_interest(offer, world.other, "Chúng tôi cũng quan tâm")
    assert len(interests(db)) == 2


def test_the_database_refuses_a_second_open_interest_when_two_requests_race(db, world, offer):
    from sqlalchemy.exc import IntegrityError

    services.express_interest(offer, world.buyer, "Lần đầu")
    db.session.add(Interest(listing=offer, org=world.buyer_org, user=world.buyer_colleague, message="Song song"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert len(interests(db)) == 1


def declined_days_ago(db, interest, days):
    """Move the decline of `interest` back by `days` days (as if it had been declined then)."""
    db.session.execute(update(Interest).where(Interest.id == interest.id)
                       .values(decided_at=utcnow() - timedelta(days=days)))
    db.session.commit()
    db.session.expire_all()


def test_after_a_decline_or_a_withdrawal_the_organisation_may_try_again(db, world, offer):
    first = services.express_interest(offer, world.buyer, "Lần đầu")
    services.decline_interest(first, world.owner, "too_early")
    declined_days_ago(db, first, 365)
    second = services.express_interest(offer, world.buyer, "Một năm sau")
    services.withdraw_interest(second, world.buyer)
    third = services.express_interest(offer, world.buyer, "Lần ba")
    assert [i.state for i in interests(db)] == ["declined", "withdrawn", "pending"]
    assert third.state == "pending"


def test_after_a_decline_the_same_organisation_waits_30_days_and_is_told_until_when(db, world, offer, make_listing):
    """No new interest (and no new notice to the owner) right after a decline: the refusal says from when."""
    first = services.express_interest(offer, world.buyer, "Lần đầu")
    services.decline_interest(first, world.owner, "not_fit")
    told = kinds_for(db, world.owner_colleague)
    declined_days_ago(db, first, 29)
    until = format_datetime(db.session.get(Interest, first.id).decided_at + timedelta(days=30))
    for person in (world.buyer, world.buyer_colleague):  # the organisation, not only the person who sent it
        with pytest.raises(ValidationError) as error:
            services.express_interest(offer, person, "Xin xem lại")
        assert f"again from {until}" in str(error.value)
        assert services.express_refusal(offer, person) == str(error.value)
    assert [i.state for i in interests(db)] == ["declined"]
    assert kinds_for(db, world.owner_colleague) == told
    # another organisation, and the same organisation on another listing of the owner, are not held back
    assert services.express_interest(offer, world.other, "Chúng tôi cũng quan tâm").state == "pending"
    other_offer = make_listing("offer", org=world.owner_org)
    assert services.express_interest(other_offer, world.buyer, "Còn cái này?").state == "pending"
    # 30 days after the decline, it may try again
    declined_days_ago(db, first, 30)
    assert services.express_refusal(offer, world.buyer) is None
    assert services.express_interest(offer, world.buyer, "Một tháng sau").state == "pending"
    assert kinds_for(db, world.owner_colleague).count("interest_received") == told.count("interest_received") + 3


def test_after_a_decline_an_edit_of_the_listing_lets_the_organisation_try_again_at_once(db, world, offer):
    from marketplace.listings.services import update_listing

    update_listing(offer, world.owner, {"summary": "Sửa trước khi từ chối"})  # an edit before the decline
    first = services.express_interest(offer, world.buyer, "Lần đầu")
    services.decline_interest(first, world.owner, "price")
    with pytest.raises(ValidationError):
        services.express_interest(offer, world.buyer, "Lần hai")
    update_listing(offer, world.owner, {"summary": "Giá mới, có chuyển giao từng phần"})
    assert services.express_refusal(offer, world.buyer) is None
    assert services.express_interest(offer, world.buyer, "Giá mới thì được").state == "pending"


def test_a_second_decline_counts_from_its_own_date(db, world, offer):
    first = services.express_interest(offer, world.buyer, "Lần đầu")
    services.decline_interest(first, world.owner, "too_early")
    declined_days_ago(db, first, 40)
    second = services.express_interest(offer, world.buyer, "Lần hai")
    services.decline_interest(second, world.owner, "too_early")
    with pytest.raises(ValidationError):
        services.express_interest(offer, world.buyer, "Lần ba")
    assert len(interests(db)) == 2


def test_after_an_acceptance_a_second_interest_is_refused(db, world, offer):
    services.accept_interest(services.express_interest(offer, world.buyer, "Lần đầu"), world.owner)
    with pytest.raises(ValidationError, match="already accepted"):
        services.express_interest(offer, world.buyer, "Lần hai")


def test_who_cannot_express_interest(db, world, offer, make_user, make_listing):
    cases = [
        (world.owner_colleague, offer, "own listing"),
        (world.broker, offer, "brokers propose matches"),
        (world.staff, offer, "brokers propose matches"),
        (world.buyer, make_listing("offer", org=world.owner_org, status="draft"), "not open for interest"),
        (world.buyer, make_listing("offer", org=world.owner_org, status="closed"), "not open for interest"),
    ]
    loner = make_user()
    loner.org = None
    db.session.commit()
    cases.append((loner, offer, "Join an organisation"))
    for user, listing, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.express_interest(listing, user, "Xin chào")
    assert interests(db) == []


# --- accepting: a deal opens ---------------------------------------------------------------------------

def test_accepting_interest_in_an_offer_opens_a_deal_with_the_interested_organisation_as_buyer(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua bản quyền")
    services.accept_interest(interest, world.owner, "Mời anh chị trao đổi")
    assert (interest.state, interest.decided_by_id, interest.response) == ("accepted", world.owner.id,
                                                                           "Mời anh chị trao đổi")
    (deal,) = deals(db)
    assert (deal.buyer_org_id, deal.seller_org_id, deal.offer_id, deal.need_id) == (
        world.buyer_org.id, world.owner_org.id, offer.id, None)
    assert deal.origin == "interest" and deal.stage == "contacted"
    assert interest.deal_id == deal.id
    assert "interest_accepted" in kinds_for(db, world.buyer)
    assert "deal_opened" in kinds_for(db, world.owner_colleague)


def test_accepting_interest_in_a_need_makes_its_owner_the_buyer(db, world, make_listing):
    need = make_listing("need", org=world.buyer_org, title="Cần công nghệ sấy chè")
    interest = services.express_interest(need, world.owner, "Chúng tôi có công nghệ này")
    services.accept_interest(interest, world.buyer)
    (deal,) = deals(db)
    assert (deal.buyer_org_id, deal.seller_org_id, deal.need_id, deal.offer_id) == (
        world.buyer_org.id, world.owner_org.id, need.id, None)


def test_accepting_interest_in_an_ip_asset_makes_its_owner_the_seller(db, world, make_listing):
    """The IP asset goes into the deal as its offer (the seller's listing). Needs deals.services.open_deal to take
    an IP asset as `offer=` (today it refuses any kind but "offer": "The offer must belong to the seller.")."""
    asset = make_listing("ip", org=world.owner_org, title="Sáng chế buồng sấy")
    services.accept_interest(services.express_interest(asset, world.buyer, "Xin li-xăng"), world.owner)
    (deal,) = deals(db)
    assert (deal.buyer_org_id, deal.seller_org_id, deal.offer_id) == (world.buyer_org.id, world.owner_org.id,
                                                                      asset.id)


def test_a_double_accept_opens_one_deal(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    services.accept_interest(interest, world.owner)
    with pytest.raises(ValidationError, match="not possible any more"):
        services.accept_interest(interest, world.owner_colleague)
    assert len(deals(db)) == 1 and interest.decided_by_id == world.owner.id


def test_two_concurrent_accepts_cannot_both_open_a_deal(db, world, offer):
    """The second request read the interest while it was pending; its conditional update finds it answered."""
    interest = services.express_interest(offer, world.buyer, "Mua")
    services.accept_interest(interest, world.owner)
    set_committed_value(interest, "state", "pending")  # what the slower request still believes
    with pytest.raises(ValidationError, match="not possible any more"):
        services.accept_interest(interest, world.owner_colleague)
    assert len(deals(db)) == 1
    assert interest.state == "accepted"


def test_an_accept_after_a_concurrent_withdrawal_changes_nothing(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    db.session.execute(update(Interest).where(Interest.id == interest.id).values(state="withdrawn")
                       .execution_options(synchronize_session=False))
    db.session.commit()
    set_committed_value(interest, "state", "pending")
    with pytest.raises(ValidationError, match="not possible any more"):
        services.accept_interest(interest, world.owner)
    assert deals(db) == [] and interest.state == "withdrawn"


@pytest.mark.parametrize("first", ["withdraw", "decline"])
def test_an_interest_that_was_withdrawn_or_declined_cannot_be_accepted(db, world, offer, first):
    interest = services.express_interest(offer, world.buyer, "Mua")
    if first == "withdraw":
        services.withdraw_interest(interest, world.buyer)
    else:
        services.decline_interest(interest, world.owner, "price")
    state = interest.state
    with pytest.raises(ValidationError, match="not possible any more"):
        services.accept_interest(interest, world.owner)
    db.session.expire_all()
    assert interest.state == state and deals(db) == []


@pytest.mark.parametrize("who", ["buyer", "other", "broker", "staff"])
def test_only_the_owner_side_answers(db, world, offer, who):
    interest = services.express_interest(offer, world.buyer, "Mua")
    for answer in (lambda u: services.accept_interest(interest, u),
                   lambda u: services.decline_interest(interest, u, "not_fit")):
        with pytest.raises(ValidationError, match="Only the organisation that owns the listing"):
            answer(getattr(world, who))
    db.session.expire_all()
    assert interest.state == "pending" and deals(db) == []


def test_an_accept_the_deal_refuses_leaves_the_interest_pending(db, world, offer):
    from marketplace.deals.services import open_deal

    open_deal(buyer_org=world.buyer_org, seller_org=world.owner_org, offer=offer, origin="direct", actor=world.owner)
    db.session.commit()
    interest = services.express_interest(offer, world.buyer, "Mua")
    with pytest.raises(ValidationError, match="already have an open deal"):
        services.accept_interest(interest, world.owner)
    db.session.expire_all()
    assert interest.state == "pending" and len(deals(db)) == 1
    assert "interest_accepted" not in kinds_for(db, world.buyer)


# --- declining and withdrawing -------------------------------------------------------------------------

def test_declining_keeps_the_reason_and_tells_the_sender(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    services.decline_interest(interest, world.owner, "price", "Giá đề nghị thấp quá")
    assert (interest.state, interest.reason, interest.response) == ("declined", "price", "Giá đề nghị thấp quá")
    assert "interest_declined" in kinds_for(db, world.buyer)
    assert "interest_declined_by_us" in kinds_for(db, world.owner_colleague)
    assert deals(db) == []


@pytest.mark.parametrize("reason", ["", None, "cheap", "TOO_EARLY"])
def test_an_unknown_decline_reason_changes_nothing(db, world, offer, reason):
    interest = services.express_interest(offer, world.buyer, "Mua")
    with pytest.raises(ValidationError) as error:
        services.decline_interest(interest, world.owner, reason)
    assert "reason" in error.value.errors
    db.session.expire_all()
    assert interest.state == "pending" and interest.reason is None


def test_an_answer_message_has_a_length_limit(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    with pytest.raises(ValidationError, match="too long"):
        services.accept_interest(interest, world.owner, "x" * (MESSAGE_MAX + 1))
    db.session.expire_all()
    assert interest.state == "pending" and deals(db) == []


def test_the_sender_withdraws_while_pending_and_the_owner_is_told(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    services.withdraw_interest(interest, world.buyer_colleague)
    assert interest.state == "withdrawn" and interest.withdrawn_at is not None
    assert kinds_for(db, world.owner)[-1] == "interest_withdrawn"
    with pytest.raises(ValidationError, match="not possible any more"):
        services.withdraw_interest(interest, world.buyer)


def test_an_accepted_interest_cannot_be_withdrawn_and_only_the_sender_may_withdraw(db, world, offer):
    interest = services.express_interest(offer, world.buyer, "Mua")
    with pytest.raises(ValidationError, match="Only the organisation that expressed"):
        services.withdraw_interest(interest, world.owner)
    services.accept_interest(interest, world.owner)
    with pytest.raises(ValidationError, match="not possible any more"):
        services.withdraw_interest(interest, world.buyer)
    assert interest.state == "accepted"


def test_lists_of_received_and_sent_interests(db, world, offer, make_listing):
    other_offer = make_listing("offer", org=world.other_org)
    mine = services.express_interest(offer, world.buyer, "Mua")
    theirs = services.express_interest(other_offer, world.buyer, "Cũng mua")
    services.decline_interest(theirs, world.other, "not_fit")
    assert db.session.scalars(services.received_interests(world.owner_org)).all() == [mine]
    assert db.session.scalars(services.sent_interests(world.buyer_org)).all() == [theirs, mine]
    assert db.session.scalars(services.sent_interests(world.buyer_org, "declined")).all() == [theirs]
    assert services.pending_count(world.owner_org) == 1


# --- anonymous listings --------------------------------------------------------------------------------

def test_an_anonymous_owner_shows_to_an_organisation_once_its_interest_is_accepted(db, world, make_listing):
    listing = make_listing("offer", org=world.owner_org, anonymous=True)
    interest = services.express_interest(listing, world.buyer, "Mua")
    assert not can(world.buyer, "listing.view_owner", listing)
    services.accept_interest(interest, world.owner)
    assert can(world.buyer, "listing.view_owner", listing)
    assert can(world.buyer_colleague, "listing.view_owner", listing)
    assert not can(world.other, "listing.view_owner", listing)


# --- NDA -----------------------------------------------------------------------------------------------

@pytest.fixture
def nda_offer(world, make_listing):
    """A published offer whose detail needs the NDA."""
    return make_listing("offer", org=world.owner_org, nda_required=True, nda_text="Bên nhận cam kết giữ bí mật.",
                        detail="Thông số bơm nhiệt")


def test_accepting_the_nda_records_who_which_version_and_the_text_then_shows_the_detail(db, world, nda_offer):
    assert not can(world.buyer, "listing.view_detail", nda_offer)
    row, created = services.accept_nda(nda_offer, world.buyer, 1)
    assert created
    assert (row.user_id, row.org_id, row.version) == (world.buyer.id, world.buyer_org.id, 1)
    assert row.text_digest == hashlib.sha256("Bên nhận cam kết giữ bí mật.".encode()).hexdigest()
    assert row.accepted_at is not None
    assert can(world.buyer, "listing.view_detail", nda_offer)
    assert can(world.buyer_colleague, "listing.view_detail", nda_offer)  # for their organisation
    assert not can(world.other, "listing.view_detail", nda_offer)
    assert kinds_for(db, world.owner) == ["nda_accepted"]


def test_accepting_the_same_version_twice_records_it_once(db, world, nda_offer):
    services.accept_nda(nda_offer, world.buyer, 1)
    row, created = services.accept_nda(nda_offer, world.buyer, "1")
    assert not created
    assert db.session.scalar(db.select(db.func.count(NdaAcceptance.id))) == 1


def _edit(listing, user, **changes):
    from marketplace.listings.services import update_listing

    return update_listing(listing, user, changes)


def test_a_new_nda_text_is_a_new_version_and_old_acceptances_stop_unlocking(db, world, nda_offer):
    services.accept_nda(nda_offer, world.buyer, 1)
    _edit(nda_offer, world.owner, nda_required=True, nda_text="Bên nhận cam kết giữ bí mật.")  # same text
    assert nda_offer.nda_version == 1 and can(world.buyer, "listing.view_detail", nda_offer)
    _edit(nda_offer, world.owner, nda_required=True, nda_text="Bên nhận cam kết giữ bí mật trong 5 năm.")
    assert nda_offer.nda_version == 2
    assert not can(world.buyer, "listing.view_detail", nda_offer)
    assert not can(world.buyer_colleague, "listing.view_detail", nda_offer)
    # a page drawn before the change carries version 1: accepting it does not accept the new text
    with pytest.raises(ValidationError, match="NDA changed"):
        services.accept_nda(nda_offer, world.buyer, 1)
    assert not can(world.buyer, "listing.view_detail", nda_offer)
    row, created = services.accept_nda(nda_offer, world.buyer, 2)
    assert created and row.text_digest == services.nda_digest("Bên nhận cam kết giữ bí mật trong 5 năm.")
    assert can(world.buyer, "listing.view_detail", nda_offer)
    versions = [(a.user_id, a.version) for a in services.nda_acceptances(nda_offer)]
    assert sorted(versions) == [(world.buyer.id, 1), (world.buyer.id, 2)]


def test_asking_for_an_nda_without_a_text_uses_the_standard_one(db, world, offer):
    _edit(offer, world.owner, nda_required=True, nda_text="  ")
    assert offer.nda_required and "NON-DISCLOSURE AGREEMENT" in offer.nda_text


def test_an_nda_text_has_a_length_limit(db, world, offer):
    with pytest.raises(ValidationError) as error:
        _edit(offer, world.owner, nda_required=True, nda_text="x" * 20001)
    assert "nda_text" in error.value.errors
    db.session.expire_all()
    assert not offer.nda_required


@pytest.mark.parametrize("version", [None, "", "abc", "99", 10**30])
def test_a_bad_or_stale_version_is_refused(db, world, nda_offer, version):
    with pytest.raises(ValidationError, match="NDA changed"):
        services.accept_nda(nda_offer, world.buyer, version)
    assert services.nda_acceptances(nda_offer) == []


def test_who_cannot_accept_an_nda(db, world, offer, nda_offer):
    with pytest.raises(ValidationError, match="asks for no NDA"):
        services.accept_nda(offer, world.buyer, 1)
    with pytest.raises(ValidationError, match="own listing"):
        services.accept_nda(nda_offer, world.owner_colleague, 1)
    with pytest.raises(ValidationError, match="without an NDA"):
        services.accept_nda(nda_offer, world.broker, 1)
    assert db.session.scalar(db.select(db.func.count(NdaAcceptance.id))) == 0
