"""Rules for expressions of interest and click-through NDAs.

Who may do what is the policy's (core/policy.py, section "interest, NDA, anonymous listings"); the services
check the same facts again so that a stale page, a second click or a direct call gets a clear message and
changes nothing. State changes are conditional updates (`... WHERE state = 'pending'`): of two concurrent
answers only one finds the interest still pending, so only one deal opens. Each use case commits once, with
its notifications and, for an acceptance, the deal it opens.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import ValidationError
from marketplace.core.models import lock_row, utcnow
from marketplace.core.policy import LISTING_ORG_KINDS, PUBLIC_LISTING_STATUSES, can
from marketplace.core.templating import format_datetime
from marketplace.core.text import normalize_block
from marketplace.extensions import db
from marketplace.interest.models import (
    DECLINE_REASONS,
    MESSAGE_MAX,
    OPEN_STATES,
    STATE_LABELS,
    Interest,
    NdaAcceptance,
)
from marketplace.listings.models import Listing, ListingEvent
from marketplace.notifications.services import message, notify_org

# After the owner declines an organisation's interest, that organisation may express interest in the same listing
# again only this long after the decline, or sooner once the listing was edited (it may now fit): a decline is
# not answered by the same message the next minute, each one a notice to the owner.
DECLINE_WAIT = timedelta(days=30)

# Sentences of the notifications. The owner's side is never named to the sender's: the listing may be anonymous.
message("interest_received", _l("%(org)s expressed interest in your listing “%(title)s”."))
message("interest_sent", _l("%(person)s expressed your organisation's interest in “%(title)s”."))
message("interest_accepted", _l("Your organisation's interest in “%(title)s” was accepted: a deal is open."))
message("interest_declined", _l("Your organisation's interest in “%(title)s” was declined; open it to read why."))
message("interest_declined_by_us", _l("%(person)s declined the interest of %(org)s in “%(title)s”."))
message("interest_withdrawn", _l("%(org)s withdrew its interest in your listing “%(title)s”."))
message("interest_withdrawn_by_us", _l("%(person)s withdrew your organisation's interest in “%(title)s”."))
message("nda_accepted", _l("%(person)s (%(org)s) accepted version %(version)s of the NDA of “%(title)s”."))


def nda_digest(text):
    """SHA-256 (hex) of an NDA's text: what an acceptance keeps to prove which wording was accepted."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def interest_url(interest):
    """The interest's page (a plain path: notifications are made outside requests too)."""
    return f"/interests/{interest.id}"


def _listing_url(listing):
    return f"/listings/{listing.id}"


def _message(text, field_name, required):
    """A cleaned message, or ValidationError when it is missing (and required) or too long."""
    text = normalize_block(text)
    if required and not text:
        raise ValidationError(_("Write a message to the owner: who you are and what you would like to do."),
                              field=field_name)
    if len(text) > MESSAGE_MAX:
        raise ValidationError(_("The message is too long (%(n)s characters at most).", n=MESSAGE_MAX),
                              field=field_name)
    return text


# --- expressing interest -------------------------------------------------------------------------------

def open_interest(listing, org):
    """The organisation's pending or accepted interest in the listing, or None."""
    if org is None:
        return None
    return db.session.scalar(db.select(Interest).where(
        Interest.listing_id == listing.id, Interest.org_id == org.id, Interest.state.in_(OPEN_STATES)).limit(1))


def already_message(interest):
    """Why a second interest of the same organisation in the same listing is refused."""
    if interest.state == "accepted":
        return _("The owner already accepted your organisation's interest in this listing; carry on in the deal.")
    return _("Your organisation has already expressed interest in this listing and is waiting for the owner's "
             "answer.")


def express_refusal(listing, user):
    """Why `user` cannot express interest in `listing` now, as a sentence; None when they can.

    After a decline, the same organisation waits DECLINE_WAIT (30 days) from the decline, unless the listing was
    edited since; the sentence says from when."""
    org = getattr(user, "org", None)
    if org is None:
        return _("Join an organisation first: interest is expressed in the name of an organisation.")
    if org.id == listing.owner_org_id:
        return _("This is your organisation's own listing.")
    if org.kind not in LISTING_ORG_KINDS:
        return _("Only enterprises, universities, institutes and other organisations that trade technology can "
                 "express interest; brokers propose matches instead.")
    if listing.status != "published":
        return _("This listing is not open for interest any more.")
    declined = recent_decline(listing, org)
    if declined is not None:
        return _("The owner declined your organisation's interest in this listing on %(date)s. You can express "
                 "interest again from %(when)s, or as soon as the owner edits the listing.",
                 date=format_datetime(declined.decided_at), when=format_datetime(declined.decided_at + DECLINE_WAIT))
    return None


def recent_decline(listing, org):
    """The organisation's interest in the listing that the owner declined less than DECLINE_WAIT ago, when the
    listing was not edited since; else None."""
    declined = db.session.scalar(
        db.select(Interest).where(Interest.listing_id == listing.id, Interest.org_id == org.id,
                                  Interest.state == "declined", Interest.decided_at > utcnow() - DECLINE_WAIT)
        .order_by(Interest.decided_at.desc()).limit(1))
    if declined is None:
        return None
    edited = db.session.scalar(db.select(ListingEvent.id).where(
        ListingEvent.listing_id == listing.id, ListingEvent.action == "updated",
        ListingEvent.created_at > declined.decided_at).limit(1))
    return None if edited is not None else declined


def express_interest(listing, user, text):
    """Record the interest of the user's organisation in someone else's published listing and tell the owner.
    Refused (express_refusal) within DECLINE_WAIT, 30 days, of the owner declining the same organisation's
    interest in the listing, unless the listing was edited since."""
    refusal = express_refusal(listing, user)
    if refusal:
        raise ValidationError(refusal)
    org = user.org
    text = _message(text, "message", required=True)
    existing = open_interest(listing, org)
    if existing is not None:
        raise ValidationError(already_message(existing))
    interest = Interest(listing=listing, org=org, user=user, message=text, state="pending")
    db.session.add(interest)
    try:
        db.session.flush()
    except IntegrityError:  # another request of the same organisation got there first
        db.session.rollback()
        existing = open_interest(listing, org)
        raise ValidationError(already_message(existing) if existing else _("Please try again.")) from None
    params = {"org": org.name, "title": listing.title, "person": user.display_name}
    notify_org(listing.owner, "interest_received", params, interest_url(interest))
    notify_org(org, "interest_sent", params, interest_url(interest), exclude=user)
    db.session.commit()
    return interest


# --- answering and withdrawing -------------------------------------------------------------------------

def _not_pending_message(interest):
    return _("That is not possible any more: this interest is now “%(state)s”.",
             state=STATE_LABELS.get(interest.state, interest.state))


def _move(interest, new_state, **values):
    """Move a pending interest to `new_state` in one conditional UPDATE; False when it was not pending any more
    (another answer, a withdrawal, a second click), and then nothing was written."""
    now = utcnow()
    result = db.session.execute(
        update(Interest).where(Interest.id == interest.id, Interest.state == "pending")
        .values(state=new_state, updated_at=now, **values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(interest)
        return False
    db.session.refresh(interest)
    return True


def check_answer(interest, user):
    """Raise ValidationError unless `user` may accept or decline the interest now (owner side, still pending)."""
    if user is None or getattr(user, "org_id", None) is None or user.org_id != interest.listing.owner_org_id:
        raise ValidationError(_("Only the organisation that owns the listing can answer this interest."))
    if interest.state != "pending":
        raise ValidationError(_not_pending_message(interest))


def check_withdraw(interest, user):
    """Raise ValidationError unless `user` may withdraw the interest now (sender side, still pending)."""
    if user is None or getattr(user, "org_id", None) is None or user.org_id != interest.org_id:
        raise ValidationError(_("Only the organisation that expressed this interest can withdraw it."))
    if interest.state != "pending":
        raise ValidationError(_not_pending_message(interest))


def _parties(interest):
    """(buyer_org, seller_org, need, offer) of the deal an accepted interest opens: the owner of a need buys,
    the owner of an offer or IP asset sells; the interested organisation is the other side."""
    listing = interest.listing
    if listing.kind == "need":
        return listing.owner, interest.org, listing, None
    return interest.org, listing.owner, None, listing


def accept_interest(interest, user, text=""):
    """The owner accepts a pending interest: a deal opens between the two organisations and both are told."""
    from marketplace.deals.services import open_deal

    check_answer(interest, user)
    text = _message(text, "message", required=False)
    if not _move(interest, "accepted", decided_by_id=user.id, decided_at=utcnow(), response=text or None):
        raise ValidationError(_not_pending_message(interest))
    buyer, seller, need, offer = _parties(interest)
    try:
        deal = open_deal(buyer_org=buyer, seller_org=seller, need=need, offer=offer, origin="interest", actor=user)
    except ValidationError:
        db.session.rollback()  # the interest stays pending
        db.session.refresh(interest)
        raise
    interest.deal = deal
    # the sender's side learns nothing of who answered: the listing may be anonymous
    notify_org(interest.org, "interest_accepted", {"title": interest.listing.title}, interest_url(interest))
    db.session.commit()
    return interest


def decline_interest(interest, user, reason, text=""):
    """The owner declines a pending interest with a typed reason and an optional message; the sender is told."""
    check_answer(interest, user)
    if reason not in DECLINE_REASONS:
        raise ValidationError(_("Choose a reason: too early, price, not a fit or other."), field="reason")
    text = _message(text, "message", required=False)
    if not _move(interest, "declined", reason=reason, decided_by_id=user.id, decided_at=utcnow(),
                 response=text or None):
        raise ValidationError(_not_pending_message(interest))
    params = {"org": interest.org.name, "title": interest.listing.title, "person": user.display_name}
    notify_org(interest.org, "interest_declined", {"title": interest.listing.title}, interest_url(interest))
    notify_org(interest.listing.owner, "interest_declined_by_us", params, interest_url(interest), exclude=user)
    db.session.commit()
    return interest


def withdraw_interest(interest, user):
    """The sender takes back a pending interest; the owner is told."""
    check_withdraw(interest, user)
    if not _move(interest, "withdrawn", withdrawn_at=utcnow()):
        raise ValidationError(_not_pending_message(interest))
    params = {"org": interest.org.name, "title": interest.listing.title, "person": user.display_name}
    notify_org(interest.listing.owner, "interest_withdrawn", params, interest_url(interest))
    notify_org(interest.org, "interest_withdrawn_by_us", params, interest_url(interest), exclude=user)
    db.session.commit()
    return interest


# --- lists ---------------------------------------------------------------------------------------------

def received_interests(org, state=None):
    """A select of the interests in the organisation's listings, newest first (optionally of one state)."""
    stmt = db.select(Interest).join(Listing, Interest.listing_id == Listing.id).where(Listing.owner_org_id == org.id)
    if state:
        stmt = stmt.where(Interest.state == state)
    return stmt.order_by(Interest.created_at.desc(), Interest.id.desc())


def sent_interests(org, state=None):
    """A select of the organisation's own interests in others' listings, newest first."""
    stmt = db.select(Interest).where(Interest.org_id == org.id)
    if state:
        stmt = stmt.where(Interest.state == state)
    return stmt.order_by(Interest.created_at.desc(), Interest.id.desc())


def pending_count(org):
    """How many interests in the organisation's listings wait for an answer."""
    if org is None:
        return 0
    return db.session.scalar(db.select(db.func.count(Interest.id)).join(Listing, Interest.listing_id == Listing.id)
                             .where(Listing.owner_org_id == org.id, Interest.state == "pending"))


def listing_interests(listing):
    """Every interest in a listing, pending ones first, then newest first."""
    pending_first = db.case((Interest.state == "pending", 0), else_=1)
    return db.session.scalars(db.select(Interest).where(Interest.listing_id == listing.id)
                              .order_by(pending_first, Interest.created_at.desc(), Interest.id.desc())).all()


# --- NDA -----------------------------------------------------------------------------------------------

def nda_refusal(listing, user):
    """Why `user` cannot accept the listing's NDA, as a sentence; None when they can."""
    if not listing.nda_required:
        return _("This listing asks for no NDA.")
    if user is None or not getattr(user, "is_authenticated", False):
        return _("Sign in to accept the NDA.")
    if user.org_id is not None and user.org_id == listing.owner_org_id:
        return _("This is your organisation's own listing.")
    if listing.status not in PUBLIC_LISTING_STATUSES:
        return _("This listing is not on the exchange any more.")
    if not can(user, "nda.accept", listing):
        return _("You read the confidential detail without an NDA.")
    return None


def accept_nda(listing, user, version):
    """Record that `user` (for their organisation) accepts version `version` of the listing's NDA, the version
    they were shown. Returns (acceptance, created); accepting the same version twice changes nothing."""
    refusal = nda_refusal(listing, user)
    if refusal:
        raise ValidationError(refusal)
    try:
        version = int(version)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(_("The NDA changed since you opened the page: read the new text and accept it."),
                              field="version") from None
    # read the version and text under a row lock: an owner's edit waits, or comes first and bumps the version
    lock_row(listing)
    if version != listing.nda_version:
        db.session.rollback()
        raise ValidationError(_("The NDA changed since you opened the page: read the new text and accept it."),
                              field="version")
    existing = user_acceptance(listing, user, version)
    if existing is not None:
        db.session.rollback()
        return existing, False
    row = NdaAcceptance(listing=listing, user=user, org_id=user.org_id, version=version,
                        text_digest=nda_digest(listing.nda_text), accepted_at=utcnow())
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # a double click that raced
        db.session.rollback()
        return user_acceptance(listing, user, version), False
    org_name = user.org.name if user.org is not None else "—"
    notify_org(listing.owner, "nda_accepted", {"person": user.display_name, "org": org_name,
                                               "version": version, "title": listing.title}, _listing_url(listing))
    db.session.commit()
    return row, True


def user_acceptance(listing, user, version=None):
    """The user's acceptance of the listing's NDA (of `version`, else their latest), or None."""
    stmt = db.select(NdaAcceptance).where(NdaAcceptance.listing_id == listing.id, NdaAcceptance.user_id == user.id)
    if version is not None:
        stmt = stmt.where(NdaAcceptance.version == version)
    return db.session.scalar(stmt.order_by(NdaAcceptance.version.desc()).limit(1))


def org_or_user_acceptance(listing, user):
    """The latest acceptance of the listing's NDA by the user or their organisation, or None."""
    who = NdaAcceptance.user_id == user.id
    if user.org_id is not None:
        who = or_(who, NdaAcceptance.org_id == user.org_id)
    return db.session.scalar(db.select(NdaAcceptance).where(NdaAcceptance.listing_id == listing.id, who)
                             .order_by(NdaAcceptance.version.desc(), NdaAcceptance.accepted_at.desc()).limit(1))


def nda_acceptances(listing):
    """Who accepted which version of the listing's NDA when, newest first."""
    return db.session.scalars(db.select(NdaAcceptance).where(NdaAcceptance.listing_id == listing.id)
                              .order_by(NdaAcceptance.accepted_at.desc(), NdaAcceptance.id.desc())).all()


# --- the listing page ----------------------------------------------------------------------------------

@dataclass
class ListingPanel:
    """What the listing page shows about interest and the NDA to one viewer."""

    can_express: bool = False
    mine: Interest | None = None          # the viewer's organisation's open interest
    refusal: str | None = None            # why it cannot express interest now all the same (a recent decline)
    received: list = field(default_factory=list)   # for the owner (and the department)
    nda_offer: bool = False               # show the NDA text and the "I accept" button
    earlier_acceptance: NdaAcceptance | None = None  # the viewer accepted an older version
    acceptances: list | None = None       # for the owner and the department


def listing_panel(listing, user):
    """The interest and NDA facts of a listing's page for `user` (signed in or not)."""
    panel = ListingPanel()
    signed_in = bool(getattr(user, "is_authenticated", False))
    if signed_in and can(user, "interest.express", listing):
        panel.can_express = True
        panel.mine = open_interest(listing, user.org)
        if panel.mine is None:
            panel.refusal = express_refusal(listing, user)
    if signed_in and can(user, "listing.view_interests", listing):
        panel.received = listing_interests(listing)
    if signed_in and can(user, "nda.view_acceptances", listing):
        panel.acceptances = nda_acceptances(listing)
    if signed_in and can(user, "nda.accept", listing) and not can(user, "listing.view_detail", listing):
        panel.nda_offer = True
        latest = org_or_user_acceptance(listing, user)
        if latest is not None and latest.version < listing.nda_version:
            panel.earlier_acceptance = latest
    return panel

