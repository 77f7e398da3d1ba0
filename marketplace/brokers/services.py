"""Rules for brokers: their profile, the directory, the queue of strong suggestions and match proposals.

A proposal puts a need (its owner is the buyer) and an offer (its owner is the seller) in front of both parties;
each accepts or declines with a typed reason, and the second acceptance opens a deal in the same transaction.

A broker introduces parties who are not already dealing on the pair: when the need's owner (as buyer) and the
offer's owner (as seller) have an open or a completed deal about that offer or about that need (standing_deal),
the queue leaves the pair out, and proposing it or accepting a proposal of it is refused. The message names the
deal's reference to those who may see that deal (its parties, its broker), and to anyone else only says that the
two already have a deal there. Deals themselves are one open deal per buyer, seller and offer (deals.open_deal).
"""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from marketplace.accounts.models import Organization
from marketplace.brokers.models import (
    DECLINE_REASONS,
    SERVICE_TYPES,
    BrokerProfile,
    BrokerSector,
    BrokerService,
    MatchProposal,
)
from marketplace.core.errors import ValidationError
from marketplace.core.models import lock_row, utcnow
from marketplace.core.policy import can
from marketplace.core.text import normalize_block
from marketplace.deals.models import OPEN_STAGES, STAGE_LABELS, Deal
from marketplace.deals.services import open_deal
from marketplace.extensions import db
from marketplace.listings.models import STATUS_LABELS, Listing
from marketplace.matching.models import MatchSuggestion
from marketplace.notifications.services import message, notify_org
from marketplace.reference.models import Sector

MAX_MESSAGE = 5000
MAX_SUMMARY = 5000
QUEUE_LIMIT = 50
DEFAULT_QUEUE_MIN_SCORE = 0.5  # BROKER_QUEUE_MIN_SCORE overrides: what counts as a "strong" suggestion

message("match_proposed", _l("%(broker)s proposes a match: %(need)s ↔ %(offer)s."))
# The answering party is named by its side, not its name: a listing may be anonymous until a deal opens.
message("proposal_accepted_buyer", _l("The buyer accepted the proposed match %(need)s ↔ %(offer)s."))
message("proposal_accepted_seller", _l("The seller accepted the proposed match %(need)s ↔ %(offer)s."))
message("proposal_declined_buyer", _l("The buyer declined the proposed match %(need)s ↔ %(offer)s."))
message("proposal_declined_seller", _l("The seller declined the proposed match %(need)s ↔ %(offer)s."))


def proposal_url(proposal):
    """The proposal's page (a plain path: notifications are made outside requests too)."""
    return f"/proposals/{proposal.id}"


# --- profiles and the directory ------------------------------------------------------------------------

def profile_of(org):
    """The broker organisation's profile, or an empty unsaved one."""
    return db.session.get(BrokerProfile, org.id) or BrokerProfile(org_id=org.id, summary="")


def update_profile(org, actor, data):
    """Save a broker organisation's summary, service types and sectors."""
    if org.kind != "broker":
        raise ValidationError(_("Only a broker organisation has a broker profile."))
    if not can(actor, "broker.profile_edit", org):
        raise ValidationError(_("Only an administrator of the organisation can change its profile."))
    errors = {}
    summary = normalize_block(data.get("summary"))
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = [_("At most %(n)s characters.", n=MAX_SUMMARY)]
    services = list(data.get("services") or [])
    if any(code not in SERVICE_TYPES for code in services):
        errors["services"] = [_("Choose service types from the list.")]
    sectors = list(data.get("sector_codes") or [])
    known = set(db.session.scalars(db.select(Sector.code).where(Sector.code.in_(sectors)))) if sectors else set()
    if any(code not in known for code in sectors):
        errors["sector_codes"] = [_("Choose sectors from the list.")]
    if errors:
        raise ValidationError(errors=errors)
    profile = profile_of(org)
    profile.summary = summary
    profile.services = services
    profile.sector_codes = sectors
    db.session.add(profile)
    db.session.commit()
    return profile


def directory(service=None, sector=None):
    """Verified broker organisations, by name, optionally offering `service` or serving `sector` (a sector
    code, or a field code such as "2" meaning any of its sectors)."""
    stmt = db.select(Organization).where(Organization.kind == "broker", Organization.verified.is_(True))
    if service:
        stmt = stmt.where(exists().where(BrokerService.org_id == Organization.id, BrokerService.code == service))
    if sector:
        codes = db.select(Sector.code).where(or_(Sector.code == sector, Sector.parent_code == sector))
        stmt = stmt.where(exists().where(BrokerSector.org_id == Organization.id,
                                         BrokerSector.sector_code.in_(codes)))
    return db.session.scalars(stmt.order_by(Organization.name, Organization.id)).all()


def profiles_by_org(orgs):
    """{org_id: BrokerProfile} for the given organisations (those that have one)."""
    ids = [o.id for o in orgs]
    if not ids:
        return {}
    return {p.org_id: p for p in db.session.scalars(db.select(BrokerProfile).where(BrokerProfile.org_id.in_(ids)))}


# --- the queue -----------------------------------------------------------------------------------------

def queue_min_score():
    """The score from which a suggestion is strong enough for the brokers' queue."""
    return float(current_app.config.get("BROKER_QUEUE_MIN_SCORE", DEFAULT_QUEUE_MIN_SCORE))


def queue(broker_org, only_my_sectors=False, limit=QUEUE_LIMIT):
    """Strong suggestions for a broker, best first: fitting matches above the threshold between published
    listings of two different organisations, that this broker has not proposed yet and whose owners have no
    standing deal on the need or the offer (see the module's docstring); with `only_my_sectors`, where the need
    or the offer is in a sector the broker serves."""
    need, offer = aliased(Listing), aliased(Listing)
    proposed = exists().where(MatchProposal.broker_org_id == broker_org.id,
                              MatchProposal.need_id == MatchSuggestion.need_id,
                              MatchProposal.offer_id == MatchSuggestion.offer_id)
    dealing = exists().where(*_standing_deal_terms(need.owner_org_id, offer.owner_org_id, need.id, offer.id))
    stmt = (db.select(MatchSuggestion)
            .join(need, need.id == MatchSuggestion.need_id)
            .join(offer, offer.id == MatchSuggestion.offer_id)
            .where(MatchSuggestion.fits.is_(True), MatchSuggestion.score >= queue_min_score(),
                   need.status == "published", offer.status == "published",
                   need.owner_org_id != offer.owner_org_id, ~proposed, ~dealing))
    if only_my_sectors:
        mine = db.select(BrokerSector.sector_code).where(BrokerSector.org_id == broker_org.id)
        stmt = stmt.where(or_(need.sector_code.in_(mine), offer.sector_code.in_(mine)))
    stmt = stmt.order_by(MatchSuggestion.score.desc(), MatchSuggestion.id).limit(limit)
    return db.session.scalars(stmt.options(db.joinedload(MatchSuggestion.need), db.joinedload(MatchSuggestion.offer))
                              ).all()


def suggestion_for(need_id, offer_id):
    """The current suggestion of this pair, or None (suggestions are derived and may have been rebuilt)."""
    return db.session.scalar(db.select(MatchSuggestion).where(MatchSuggestion.need_id == need_id,
                                                              MatchSuggestion.offer_id == offer_id))


# --- proposals -----------------------------------------------------------------------------------------

STANDING_STAGES = OPEN_STAGES + ("completed",)  # a cancelled deal leaves the pair free to be proposed again


def _standing_deal_terms(buyer_org_id, seller_org_id, need_id, offer_id):
    return (Deal.buyer_org_id == buyer_org_id, Deal.seller_org_id == seller_org_id,
            Deal.stage.in_(STANDING_STAGES), or_(Deal.offer_id == offer_id, Deal.need_id == need_id))


def standing_deal(buyer_org_id, seller_org_id, need_id, offer_id):
    """The open or completed deal of this buyer and seller about this offer or this need (the newest), or None."""
    return db.session.scalar(db.select(Deal).where(
        *_standing_deal_terms(buyer_org_id, seller_org_id, need_id, offer_id)).order_by(Deal.id.desc()).limit(1))


def _standing_deal_message(deal, actor, accepting=False):
    """Why a pair cannot be proposed or accepted: the two already have `deal` (named only to who may see it)."""
    if can(actor, "deal.view", deal):
        if accepting:
            return _("Your organisations already have a deal on this need or offer (%(ref)s, %(stage)s): this "
                     "proposal cannot be accepted.", ref=deal.ref, stage=str(STAGE_LABELS[deal.stage]).lower())
        return _("The buyer and the seller already have a deal on this need or offer (%(ref)s, %(stage)s): "
                 "there is nothing to propose.", ref=deal.ref, stage=str(STAGE_LABELS[deal.stage]).lower())
    return _("The buyer and the seller already have a deal on this need or offer: there is nothing to propose.")


def _names(proposal):
    return {"need": proposal.need.title, "offer": proposal.offer.title, "broker": proposal.broker_org.name}


def _listing_gone(listing, kind):
    """Why `listing` cannot be proposed as the `kind` ("need" or "offer") of a match, or None."""
    if listing is None or listing.kind != kind:
        return _("The need is not on the exchange.") if kind == "need" else _("The offer is not on the exchange.")
    if listing.status == "published":
        return None
    status = str(STATUS_LABELS.get(listing.status, listing.status)).lower()
    if kind == "need":
        return _("The need is no longer on the exchange (%(status)s): it cannot be proposed.", status=status)
    return _("The offer is no longer on the exchange (%(status)s): it cannot be proposed.", status=status)


def why_not_proposable(actor, need, offer):
    """Why this broker cannot propose this need and offer now, or None: both must be published listings of two
    organisations that have no standing deal on them (see the module's docstring), not yet proposed by the
    broker's organisation. Asked before the form is shown, and again when it is sent."""
    if not can(actor, "broker.propose"):
        return _("Only a verified broker can propose matches.")
    problem = _listing_gone(need, "need") or _listing_gone(offer, "offer")
    if problem:
        return problem
    if need.owner_org_id == offer.owner_org_id:
        return _("The need and the offer belong to the same organisation.")
    deal = standing_deal(need.owner_org_id, offer.owner_org_id, need.id, offer.id)
    if deal is not None:
        return _standing_deal_message(deal, actor)
    if db.session.scalar(db.select(MatchProposal.id).where(
            MatchProposal.broker_org_id == actor.org_id, MatchProposal.need_id == need.id,
            MatchProposal.offer_id == offer.id).limit(1)) is not None:
        return _("Your organisation already proposed this match.")
    return None


def propose_match(actor, need, offer, text):
    """A broker proposes to the need's owner (buyer) and the offer's owner (seller) that they meet."""
    problem = why_not_proposable(actor, need, offer)
    if problem:
        raise ValidationError(problem)
    text = normalize_block(text)
    if not text:
        raise ValidationError(_("Tell both parties why they should meet."), field="message")
    if len(text) > MAX_MESSAGE:
        raise ValidationError(_("At most %(n)s characters.", n=MAX_MESSAGE), field="message")
    broker_org = actor.org
    suggestion = suggestion_for(need.id, offer.id)
    proposal = MatchProposal(broker_org=broker_org, proposed_by=actor, need=need, offer=offer,
                             buyer_org_id=need.owner_org_id, seller_org_id=offer.owner_org_id, message=text,
                             score=suggestion.score if suggestion else None, status="open")
    db.session.add(proposal)
    try:
        db.session.flush()
    except IntegrityError:  # the same broker proposed it a moment ago in another request
        db.session.rollback()
        raise ValidationError(_("Your organisation already proposed this match.")) from None
    for org_id in (proposal.buyer_org_id, proposal.seller_org_id):
        notify_org(db.session.get(Organization, org_id), "match_proposed", _names(proposal),
                   proposal_url(proposal))
    db.session.commit()
    return proposal


def side_of(actor, proposal):
    """'buyer' or 'seller' when the person belongs to that party's organisation, else None."""
    org_id = getattr(actor, "org_id", None)
    if org_id is None:
        return None
    if org_id == proposal.buyer_org_id:
        return "buyer"
    if org_id == proposal.seller_org_id:
        return "seller"
    return None


ACCEPTABLE_LISTING_STATUSES = ("published", "expired")  # an expired listing can be renewed


def why_not_acceptable(proposal, actor):
    """Why the proposal can no longer be accepted, or None: its need or offer is off the exchange (withdrawn,
    closed), or the two parties have a deal on it by now. Such a proposal stays open and can still be declined;
    it is not closed by itself, since a withdrawn listing may be published again."""
    for listing in (proposal.need, proposal.offer):
        if listing.status in ACCEPTABLE_LISTING_STATUSES:
            continue
        status = str(STATUS_LABELS.get(listing.status, listing.status)).lower()
        if listing is proposal.need:
            return _("The buyer's need is no longer on the exchange (%(status)s): this proposal can no longer be "
                     "accepted, only declined.", status=status)
        return _("The seller's offer is no longer on the exchange (%(status)s): this proposal can no longer be "
                 "accepted, only declined.", status=status)
    deal = standing_deal(proposal.buyer_org_id, proposal.seller_org_id, proposal.need_id, proposal.offer_id)
    if deal is not None and deal.id != proposal.deal_id:
        return _standing_deal_message(deal, actor, accepting=True)
    return None


def respond(proposal, actor, decision, reason=None, text=None):
    """The buyer's or the seller's answer to a proposal. Declining needs a typed reason and closes the proposal;
    the second acceptance opens the deal (origin "proposal", with the broker) in the same commit."""
    lock_row(proposal)  # two answers at the same moment: one after the other
    side = side_of(actor, proposal)
    if side is None or not getattr(actor, "is_active", True):
        raise ValidationError(_("Only the buyer and the seller can answer this proposal."))
    own = proposal.decision_of(side)
    if own == "accepted":
        raise ValidationError(_("Your organisation has already accepted this proposal."))
    if own == "declined":
        raise ValidationError(_("Your organisation has already declined this proposal."))
    if proposal.status == "declined":
        raise ValidationError(_("The other party declined this proposal; it is closed."))
    if proposal.status != "open":
        raise ValidationError(_("This proposal is already closed."))
    errors = {}
    if decision not in ("accepted", "declined"):
        errors["decision"] = [_("Accept or decline the proposal.")]
    text = normalize_block(text)
    if len(text) > MAX_MESSAGE:
        errors["message"] = [_("At most %(n)s characters.", n=MAX_MESSAGE)]
    if decision == "declined" and reason not in DECLINE_REASONS:
        errors["reason"] = [_("Choose why you decline.")]
    if decision == "accepted":
        blocked = why_not_acceptable(proposal, actor)
        if blocked:
            errors[None] = [blocked]
    if errors:
        raise ValidationError(errors=errors)
    setattr(proposal, f"{side}_decision", decision)
    setattr(proposal, f"{side}_reason", reason if decision == "declined" else None)
    setattr(proposal, f"{side}_message", text or None)
    setattr(proposal, f"{side}_decided_by", actor)
    setattr(proposal, f"{side}_decided_at", utcnow())
    names = _names(proposal)
    tell = [proposal.broker_org, proposal.seller_org if side == "buyer" else proposal.buyer_org]
    if decision == "declined":
        proposal.status = "declined"
        for org in tell:
            notify_org(org, f"proposal_declined_{side}", names, proposal_url(proposal), exclude=actor)
    elif proposal.buyer_decision == "accepted" and proposal.seller_decision == "accepted":
        try:
            proposal.deal = open_deal(buyer_org=proposal.buyer_org, seller_org=proposal.seller_org,
                                      need=proposal.need, offer=proposal.offer, broker_org=proposal.broker_org,
                                      origin="proposal", actor=actor)
        except ValidationError:
            db.session.rollback()
            raise
        proposal.status = "accepted"
    else:
        for org in tell:
            notify_org(org, f"proposal_accepted_{side}", names, proposal_url(proposal), exclude=actor)
    db.session.commit()
    return proposal


def proposals_for_org(org_id):
    """Proposals put to an organisation (as buyer or seller) or made by it (as broker): open ones first."""
    stmt = db.select(MatchProposal).where(or_(MatchProposal.buyer_org_id == org_id,
                                              MatchProposal.seller_org_id == org_id,
                                              MatchProposal.broker_org_id == org_id))
    order = (MatchProposal.status != "open", MatchProposal.created_at.desc(), MatchProposal.id.desc())
    return db.session.scalars(stmt.order_by(*order)).all()


def awaiting_answer(org_id):
    """Open proposals the organisation has not answered yet."""
    return db.session.scalars(db.select(MatchProposal).where(
        MatchProposal.status == "open",
        or_(and_(MatchProposal.buyer_org_id == org_id, MatchProposal.buyer_decision.is_(None)),
            and_(MatchProposal.seller_org_id == org_id, MatchProposal.seller_decision.is_(None))))
        .order_by(MatchProposal.created_at.desc())).all()


def get_listing(listing_id):
    """A listing by id, or None (ids out of range too)."""
    try:
        number = int(listing_id)
    except (TypeError, ValueError):
        return None
    if not 0 < number < 2**63:
        return None
    return db.session.get(Listing, number)
