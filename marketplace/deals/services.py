"""Rules for deals: opening, moving through the stages, the contract's facts, confirmation, cancellation,
notes and documents. Who may move which stage is the policy's table (core/policy.py, DEAL_STAGE_MOVERS);
every change is a DealEvent with its actor. Each use case commits once, except open_deal, which joins the
caller's transaction (an accepted proposal or interest and its deal are one change).
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.deals.models import ORIGINS, Deal, DealEvent
from marketplace.extensions import db
from marketplace.notifications.services import message, notify_org

message("deal_opened", _l("Deal %(deal_ref)s opened: %(title)s."))
message("deal_stage", _l("Deal %(deal_ref)s moved to the stage “%(stage)s”."))
message("deal_confirmed", _l("Deal %(deal_ref)s: %(org)s confirmed the transfer is complete."))
message("deal_completed", _l("Deal %(deal_ref)s is completed."))
message("deal_cancelled", _l("Deal %(deal_ref)s was cancelled."))
message("deal_note", _l("Deal %(deal_ref)s: a new note or document."))


def deal_url(deal):
    """The deal's page (a plain path: notifications are made outside requests too)."""
    return f"/deals/{deal.id}"


def _event(deal, actor, action, **fields):
    event = DealEvent(actor=actor, action=action, **fields)
    deal.events.append(event)
    return event


def _tell(deal, kind, actor, **params):
    """Notify the parties and the broker (not the person who acted) of a change to the deal."""
    params = {"deal_ref": deal.ref, "title": deal.title, **params}
    for org in (deal.buyer_org, deal.seller_org, deal.broker_org):
        notify_org(org, kind, params, deal_url(deal), exclude=actor)


def open_deal(*, buyer_org, seller_org, need=None, offer=None, broker_org=None, origin, actor):
    """Open a deal at the stage "contacted" with its "opened" event and notify both parties (and the broker).

    Adds to the session and flushes (the ref is made from the id) but does NOT commit: the caller commits once,
    with the proposal or interest that led to the deal. Raises ValidationError for an inconsistent request."""
    if origin not in ORIGINS:
        raise ValidationError(_("Unknown origin of the deal."))
    if buyer_org is None or seller_org is None:
        raise ValidationError(_("A deal needs a buyer and a seller."))
    if buyer_org.id == seller_org.id:
        raise ValidationError(_("The buyer and the seller must be different organisations."))
    if need is None and offer is None:
        raise ValidationError(_("A deal is about a need, an offer or both."))
    if need is not None and (need.kind != "need" or need.owner_org_id != buyer_org.id):
        raise ValidationError(_("The need must belong to the buyer."))
    if offer is not None and (offer.kind != "offer" or offer.owner_org_id != seller_org.id):
        raise ValidationError(_("The offer must belong to the seller."))
    if broker_org is not None and broker_org.kind != "broker":
        raise ValidationError(_("Only a broker organisation can run a deal as its broker."))
    same_need = Deal.need_id.is_(None) if need is None else Deal.need_id == need.id
    same_offer = Deal.offer_id.is_(None) if offer is None else Deal.offer_id == offer.id
    duplicate = db.session.scalar(db.select(Deal.ref).where(
        Deal.buyer_org_id == buyer_org.id, Deal.seller_org_id == seller_org.id, same_need, same_offer,
        Deal.stage.notin_(("completed", "cancelled"))).limit(1))
    if duplicate:
        raise ValidationError(_("These parties already have an open deal on this (%(ref)s).", ref=duplicate))
    deal = Deal(buyer_org=buyer_org, seller_org=seller_org, need=need, offer=offer, broker_org=broker_org,
                origin=origin, stage="contacted", stage_changed_at=utcnow(), created_by=actor)
    db.session.add(deal)
    _event(deal, actor, "opened", to_stage="contacted", data={"origin": origin})
    db.session.flush()
    deal.ref = make_ref(deal)
    _tell(deal, "deal_opened", actor)
    return deal


def make_ref(deal):
    """The deal's readable reference, e.g. GD-2026-0001 (its id must exist)."""
    year = (deal.created_at or utcnow()).year
    return f"GD-{year}-{deal.id:04d}"
