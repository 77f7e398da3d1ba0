"""Rules for deals: opening, moving through the stages, the contract's facts, confirmation, cancellation,
notes and documents. Who may move which stage is the policy's table (core/policy.py, DEAL_STAGE_MOVERS), asked
here through can(); every change is a DealEvent with its actor. Each use case commits once, except open_deal,
which joins the caller's transaction (an accepted proposal or interest and its deal are one change).
"""
import os
import re
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_

from marketplace.core.clock import local, today
from marketplace.core.errors import ValidationError
from marketplace.core.models import lock_row, utcnow
from marketplace.core.policy import can, deal_roles
from marketplace.core.templating import format_date, format_vnd
from marketplace.core.text import normalize, normalize_block
from marketplace.deals.models import (
    CANCEL_REASONS,
    OPEN_STAGES,
    ORIGINS,
    SIGNED_STAGES,
    STAGE_LABELS,
    STAGES,
    TRANSFER_METHODS,
    Deal,
    DealDocument,
    DealEvent,
)
from marketplace.deals.signals import deal_stage_changed
from marketplace.extensions import db
from marketplace.listings.models import TRANSFER_MODES
from marketplace.notifications.services import message, notify_org

MAX_VND = 10**15  # one quadrillion đồng: far above any technology contract
MAX_NOTE = 5000
MAX_DOCUMENTS = 50
FEE_CAP_PERCENT = 10  # broker's fee on state-funded results: at most 10% of the profit
CONTRACT_FIELDS = ("contract_value_vnd", "transfer_form", "transfer_methods", "signed_on")
EDITABLE_FIELDS = CONTRACT_FIELDS + ("state_funded", "cross_border", "declared_profit_vnd", "broker_fee_vnd")

message("deal_opened", _l("Deal %(deal_ref)s opened: %(title)s."))
message("deal_stage_nda_signed", _l("Deal %(deal_ref)s: the NDA is signed."))
message("deal_stage_negotiating", _l("Deal %(deal_ref)s: negotiation has started."))
message("deal_stage_mou", _l("Deal %(deal_ref)s: the MoU is signed."))
message("deal_stage_contract_signed", _l("Deal %(deal_ref)s: the contract is signed."))
message("deal_stage_in_transfer", _l("Deal %(deal_ref)s: the transfer has started."))
message("deal_confirmed", _l("Deal %(deal_ref)s: %(org)s confirmed that the transfer is complete."))
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


def open_deal_between(buyer_org_id, seller_org_id, *, need_id=None, offer_id=None):
    """The open deal of this buyer and seller that a new deal about `need_id` and/or `offer_id` would repeat, or
    None. The rule (open_deal's): see there."""
    about = []
    if offer_id is not None:
        about.append(Deal.offer_id == offer_id)
    if need_id is not None:
        about.append(Deal.need_id == need_id if offer_id is None
                     else and_(Deal.need_id == need_id, Deal.offer_id.is_(None)))
    if not about:
        return None
    return db.session.scalar(db.select(Deal).where(
        Deal.buyer_org_id == buyer_org_id, Deal.seller_org_id == seller_org_id, Deal.stage.in_(OPEN_STAGES),
        or_(*about)).order_by(Deal.id).limit(1))


def open_deal(*, buyer_org, seller_org, need=None, offer=None, broker_org=None, origin, actor):
    """Open a deal at the stage "contacted" with its "opened" event and notify both parties (and the broker).
    `need` is the buyer's need, `offer` the seller's offer or IP asset.

    One open deal per buyer, seller and offer: while the same two organisations (as buyer and seller) have an
    open deal about this offer, whatever its need and however it was opened (an accepted interest, a broker's
    proposal), no second one opens. A deal about a need alone (an accepted interest in a need) stands for any
    offer of that seller on that need: it and a deal of the same two on that need, with or without an offer,
    are one deal too. Completed and cancelled deals do not count: the same parties may deal again. So the
    department's figures count each negotiation once.

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
    # the seller's listing: a technology offer, or an IP asset (licensed or assigned as it is)
    if offer is not None and (offer.kind not in ("offer", "ip") or offer.owner_org_id != seller_org.id):
        raise ValidationError(_("The offer must belong to the seller."))
    if broker_org is not None and broker_org.kind != "broker":
        raise ValidationError(_("Only a broker organisation can run a deal as its broker."))
    # Two deals on the same listings opened at the same moment (an interest accepted while a proposal is): the
    # listings' rows are locked first (in id order), so the second waits for the first commit and finds its deal.
    for listing in sorted((x for x in (need, offer) if x is not None), key=lambda x: x.id):
        lock_row(listing)
    duplicate = open_deal_between(buyer_org.id, seller_org.id, need_id=need.id if need is not None else None,
                                  offer_id=offer.id if offer is not None else None)
    if duplicate is not None:
        raise ValidationError(_("These parties already have an open deal on this (%(ref)s).", ref=duplicate.ref))
    deal = Deal(buyer_org=buyer_org, seller_org=seller_org, need=need, offer=offer, broker_org=broker_org,
                origin=origin, stage="contacted", stage_changed_at=utcnow(), created_by=actor)
    db.session.add(deal)
    _event(deal, actor, "opened", to_stage="contacted", data={"origin": origin})
    db.session.flush()
    deal.ref = make_ref(deal)
    _tell(deal, "deal_opened", actor)
    return deal


def make_ref(deal):
    """The deal's readable reference, e.g. GD-2026-0001 (its id must exist): the year it opened in the app's
    timezone (a deal opened at 06:00 on 1 January in Vietnam is of the new year, though UTC is still in the old)."""
    year = local(deal.created_at or utcnow()).year
    return f"GD-{year}-{deal.id:04d}"


# --- validation ----------------------------------------------------------------------------------------

_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*")


def _whole_vnd(value):
    """'1500000', '1.500.000', '1,500,000', '1 500 000 đ' or an int -> int; anything else ValueError."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or value != int(value):
            raise ValueError(value)
        return int(value)
    text = re.sub(r"(?i)\s*(₫|đ|vnd|vnđ|đồng)$", "", str(value).strip())
    text = text.replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    raise ValueError(value)


def _amount(value, field, errors, label, allow_zero=False):
    """A sum in VND: a whole number above zero (or zero when allowed); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = _whole_vnd(value)
    except (TypeError, ValueError, OverflowError):
        errors.setdefault(field, []).append(_("%(label)s must be a whole number of đồng.", label=label))
        return None
    if number < 0 or (number == 0 and not allow_zero):
        errors.setdefault(field, []).append(_("%(label)s must be more than zero.", label=label))
        return None
    if number > MAX_VND:
        errors.setdefault(field, []).append(_("%(label)s is too large.", label=label))
        return None
    return number


def _date(value, field, errors):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", text):  # how people write dates here: 15/01/2026
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        errors.setdefault(field, []).append(_("Give the date as DD/MM/YYYY."))
        return None


def _flag(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def earliest_signing_date(deal=None):
    """The earliest signing date a deal's contract may have: 1 January of the year before the deal was opened
    (its opening date in the app's timezone; today for a deal not yet opened).

    Parties often sign before they record the deal on the exchange, so the date may come before the opening;
    but a contract is part of the deal it is recorded on, and a date years earlier is a typing mistake
    (01/01/1900, 01/01/0001), which would also put the contract in the wrong year of the department's report."""
    opened = local(deal.created_at).date() if deal is not None and deal.created_at is not None else today()
    return date(opened.year - 1, 1, 1)


def clean_deal_data(data, deal=None):
    """Check the editable facts of a deal given in `data` (only the keys present); returns field -> value.
    The signing date lies between earliest_signing_date(deal) and today, in the app's timezone.

    Raises ValidationError naming every field that is wrong."""
    errors, clean = {}, {}
    if "contract_value_vnd" in data:
        clean["contract_value_vnd"] = _amount(data["contract_value_vnd"], "contract_value_vnd", errors,
                                              _("The contract value"))
    if "declared_profit_vnd" in data:
        clean["declared_profit_vnd"] = _amount(data["declared_profit_vnd"], "declared_profit_vnd", errors,
                                               _("The declared profit"))
    if "broker_fee_vnd" in data:
        clean["broker_fee_vnd"] = _amount(data["broker_fee_vnd"], "broker_fee_vnd", errors, _("The broker's fee"),
                                          allow_zero=True)
    if "transfer_form" in data:
        form = normalize(data["transfer_form"]) or None
        if form is not None and form not in TRANSFER_MODES:
            errors.setdefault("transfer_form", []).append(_("Choose a transfer form from the list."))
        clean["transfer_form"] = form
    if "transfer_methods" in data:
        methods = data["transfer_methods"] or []
        if isinstance(methods, str):
            methods = [m for m in re.split(r"[,;\s]+", methods) if m]
        if not isinstance(methods, (list, tuple)) or any(m not in TRANSFER_METHODS for m in methods):
            errors.setdefault("transfer_methods", []).append(_("Choose transfer methods from the list."))
            methods = []
        clean["transfer_methods"] = [m for m in TRANSFER_METHODS if m in set(methods)]
    if "signed_on" in data:
        signed = _date(data["signed_on"], "signed_on", errors)
        if signed is not None and signed > today():  # today where the exchange is, not on the server
            errors.setdefault("signed_on", []).append(_("The signing date cannot be in the future."))
        elif signed is not None and signed < earliest_signing_date(deal):
            errors.setdefault("signed_on", []).append(
                _("The signing date cannot be before %(date)s (1 January of the year before the deal was opened).",
                  date=format_date(earliest_signing_date(deal))))
        clean["signed_on"] = signed
    for flag in ("state_funded", "cross_border"):
        if flag in data:
            clean[flag] = _flag(data[flag])
    if errors:
        raise ValidationError(errors=errors)
    return clean


def _check_contract(deal):
    """The facts a signed contract must have: value, transfer form, transfer method(s), signing date."""
    errors = {}
    if not deal.contract_value_vnd:
        errors["contract_value_vnd"] = [_("Give the contract value in đồng (more than zero).")]
    if not deal.transfer_form:
        errors["transfer_form"] = [_("Choose the transfer form of the contract.")]
    if not deal.transfer_methods:
        errors["transfer_methods"] = [_("Choose at least one transfer method.")]
    if deal.signed_on is None:
        errors["signed_on"] = [_("Give the date the contract was signed.")]
    return errors


def _check_fee(deal):
    """A fee needs a broker on the deal; it is never more than the contract value (once that is known); on
    state-funded results it is capped at 10% of the declared profit."""
    errors = {}
    if deal.broker_fee_vnd is not None and deal.broker_org_id is None:
        errors["broker_fee_vnd"] = [_("This deal has no broker, so it has no broker's fee.")]
    elif deal.broker_fee_vnd and deal.contract_value_vnd and deal.broker_fee_vnd > deal.contract_value_vnd:
        errors["broker_fee_vnd"] = [_("The broker's fee cannot be more than the contract value (%(value)s).",
                                      value=format_vnd(deal.contract_value_vnd))]
    elif deal.state_funded and deal.broker_fee_vnd:
        if not deal.declared_profit_vnd:
            errors["declared_profit_vnd"] = [
                _("Declare the profit: on state-funded results the broker's fee is capped at %(percent)s%% of it.",
                  percent=FEE_CAP_PERCENT)]
        elif deal.broker_fee_vnd * 100 > deal.declared_profit_vnd * FEE_CAP_PERCENT:
            errors["broker_fee_vnd"] = [
                _("On state-funded results the broker's fee may be at most 10%% of the declared profit "
                  "(%(cap)s here).", cap=format_vnd(deal.declared_profit_vnd * FEE_CAP_PERCENT // 100))]
    return errors


# --- use cases -----------------------------------------------------------------------------------------

def _lock(deal):
    """Re-read the deal under its row's write lock, so two people cannot move it at the same moment."""
    lock_row(deal)


def _apply(deal, clean):
    """Set the cleaned fields; returns {field: [old, new]} for those that changed (as text for the timeline)."""
    changes = {}
    for key, value in clean.items():
        old = getattr(deal, key)
        if old != value:
            setattr(deal, key, value)
            changes[key] = [_plain(old), _plain(value)]
    return changes


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(value)
    return value


def _closed_message(deal):
    return _("This deal is %(stage)s: it cannot change any more.", stage=str(STAGE_LABELS[deal.stage]).lower())


def advance_deal(deal, actor, to_stage, data=None):
    """Move a deal one stage forward, to `to_stage` (the stage the person saw as next). Reaching
    "contract_signed" needs the contract's value, transfer form, method(s) and signing date, in `data` or already
    recorded. Completion is not a step: both parties confirm (confirm_completion)."""
    _lock(deal)
    if deal.stage in ("completed", "cancelled"):
        raise ValidationError(_closed_message(deal))
    if to_stage not in STAGES:
        raise ValidationError(_("Unknown stage."))
    if to_stage == "completed":
        raise ValidationError(_("A deal is completed when both the buyer and the seller confirm the transfer."))
    if to_stage != deal.next_stage:
        if to_stage in STAGES and STAGES.index(to_stage) <= STAGES.index(deal.stage):
            raise ValidationError(_("This deal is already at “%(stage)s”.", stage=STAGE_LABELS[deal.stage]))
        raise ValidationError(_("A deal moves one stage at a time: after “%(stage)s” comes “%(next)s”.",
                                stage=STAGE_LABELS[deal.stage], next=STAGE_LABELS[deal.next_stage]))
    if not can(actor, "deal.advance", deal):
        raise ValidationError(_("Only the parties and the deal's broker can move this deal."))
    clean = clean_deal_data(data or {}, deal)
    try:
        changes = _apply(deal, clean)
        if to_stage == "contract_signed":
            errors = _check_contract(deal)
            errors.update(_check_fee(deal))
            if errors:
                raise ValidationError(errors=errors)
    except ValidationError:
        db.session.rollback()
        raise
    from_stage = deal.stage
    deal.stage = to_stage
    deal.stage_changed_at = utcnow()
    _event(deal, actor, "stage", from_stage=from_stage, to_stage=to_stage, data=changes)
    _tell(deal, f"deal_stage_{to_stage}", actor)
    db.session.commit()
    deal_stage_changed.send(deal, from_stage=from_stage, to_stage=to_stage, actor=actor)
    return deal


def update_deal(deal, actor, data):
    """Change a deal's facts (contract value, form, methods, signing date, flags, profit, fee). Once the contract
    is signed its facts stay filled in. Records a "fields" event of what changed."""
    _lock(deal)
    if deal.stage in ("completed", "cancelled"):
        raise ValidationError(_closed_message(deal))
    if not can(actor, "deal.edit", deal):
        raise ValidationError(_("Only the parties and the deal's broker can change this deal."))
    clean = clean_deal_data({k: v for k, v in data.items() if k in EDITABLE_FIELDS}, deal)
    try:
        changes = _apply(deal, clean)
        errors = _check_fee(deal)
        if deal.stage in SIGNED_STAGES:
            errors.update(_check_contract(deal))
        if errors:
            raise ValidationError(errors=errors)
    except ValidationError:
        db.session.rollback()
        raise
    if changes:
        _event(deal, actor, "fields", data=changes)
        db.session.commit()
    return deal


def _side(actor, deal):
    roles = deal_roles(actor, deal)
    return "buyer" if "buyer" in roles else "seller" if "seller" in roles else None


def confirm_completion(deal, actor):
    """The buyer's or the seller's confirmation that the transfer is done; the second one completes the deal."""
    _lock(deal)
    if deal.stage in ("completed", "cancelled"):
        raise ValidationError(_closed_message(deal))
    side = _side(actor, deal)
    if side is None:
        raise ValidationError(_("Only the buyer and the seller confirm that a transfer is complete."))
    if deal.stage != "in_transfer":
        raise ValidationError(_("The transfer can be confirmed once the deal is “%(stage)s”.",
                                stage=STAGE_LABELS["in_transfer"]))
    if getattr(deal, f"{side}_confirmed_at") is not None:
        raise ValidationError(_("Your organisation has already confirmed; the deal completes when the other "
                                "party confirms too."))
    now = utcnow()
    setattr(deal, f"{side}_confirmed_at", now)
    setattr(deal, f"{side}_confirmed_by", actor)
    _event(deal, actor, "confirmed", data={"side": side})
    if deal.buyer_confirmed_at is not None and deal.seller_confirmed_at is not None:
        deal.stage = "completed"
        deal.stage_changed_at = now
        deal.completed_at = now
        _event(deal, actor, "stage", from_stage="in_transfer", to_stage="completed")
        _tell(deal, "deal_completed", None)
    else:
        org = deal.buyer_org if side == "buyer" else deal.seller_org
        _tell(deal, "deal_confirmed", actor, org=org.name)
    db.session.commit()
    if deal.stage == "completed":
        deal_stage_changed.send(deal, from_stage="in_transfer", to_stage="completed", actor=actor)
    return deal


def cancel_deal(deal, actor, reason, message_text):
    """End a deal before completion with a typed reason and a message."""
    _lock(deal)
    if deal.stage in ("completed", "cancelled"):
        raise ValidationError(_closed_message(deal))
    if not can(actor, "deal.cancel", deal):
        raise ValidationError(_("Only the parties and the deal's broker can cancel this deal."))
    errors = {}
    if reason not in CANCEL_REASONS:
        errors["reason"] = [_("Choose a reason.")]
    text = normalize_block(message_text)
    if not text:
        errors["message"] = [_("Say in a few words why the deal ends.")]
    elif len(text) > MAX_NOTE:
        errors["message"] = [_("At most %(n)s characters.", n=MAX_NOTE)]
    if errors:
        raise ValidationError(errors=errors)
    from_stage = deal.stage
    deal.stage = "cancelled"
    deal.stage_changed_at = utcnow()
    deal.cancelled_from = from_stage
    deal.cancel_reason = reason
    deal.cancel_message = text
    _event(deal, actor, "cancelled", from_stage=from_stage, to_stage="cancelled", reason=reason, message=text)
    _tell(deal, "deal_cancelled", actor)
    db.session.commit()
    deal_stage_changed.send(deal, from_stage=from_stage, to_stage="cancelled", actor=actor)
    return deal


def add_note(deal, actor, text):
    """A note on the deal's timeline, seen by the parties, the broker and the department only."""
    if not can(actor, "deal.note", deal):
        raise ValidationError(_("Only the parties and the deal's broker can add notes."))
    text = normalize_block(text)
    if not text:
        raise ValidationError(_("Write the note first."), field="text")
    if len(text) > MAX_NOTE:
        raise ValidationError(_("At most %(n)s characters.", n=MAX_NOTE), field="text")
    event = _event(deal, actor, "note", message=text)
    _tell(deal, "deal_note", actor)
    db.session.commit()
    return event


def _document_folder():
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "deals")
    os.makedirs(folder, exist_ok=True)
    return folder


def document_path(document):
    """Where a deal document's bytes live on disk."""
    return os.path.join(_document_folder(), document.stored_name)


def add_document(deal, actor, filename, data):
    """Check and store a file on the deal (type by content, random stored name) with its timeline event."""
    from marketplace.listings.attachments import check_upload, store_upload

    if not can(actor, "deal.document_upload", deal):
        raise ValidationError(_("Only the parties and the deal's broker can add documents."), field="file")
    content_type, extension = check_upload(data)
    if len(deal.documents) >= MAX_DOCUMENTS:
        raise ValidationError(_("A deal can have at most %(n)s files.", n=MAX_DOCUMENTS), field="file")
    original_name, stored, path = store_upload(filename, data, _document_folder(), extension)
    document = DealDocument(deal=deal, original_name=original_name, stored_name=stored,
                            content_type=content_type, size=len(data), uploaded_by=actor)
    db.session.add(document)
    try:
        db.session.flush()
        _event(deal, actor, "document", message=document.original_name, data={"document_id": document.id})
        _tell(deal, "deal_note", actor)
        db.session.commit()
    except Exception:
        db.session.rollback()
        os.remove(path)
        raise
    return document


# --- reading -------------------------------------------------------------------------------------------

def get_deal(deal_id):
    """The deal with this id, or None."""
    return db.session.get(Deal, deal_id)


def deals_of_org(org_id, stage=None):
    """Deals an organisation takes part in (as buyer, seller or broker), newest change first."""
    stmt = db.select(Deal).where((Deal.buyer_org_id == org_id) | (Deal.seller_org_id == org_id)
                                 | (Deal.broker_org_id == org_id))
    if stage:
        stmt = stmt.where(Deal.stage == stage)
    return db.session.scalars(stmt.order_by(Deal.stage_changed_at.desc(), Deal.id.desc())).all()


def stage_counts(*where):
    """{stage: number of deals} over every stage (zeros included), for deals matching `where`."""
    rows = db.session.execute(db.select(Deal.stage, func.count(Deal.id)).where(*where).group_by(Deal.stage)).all()
    counts = {stage: 0 for stage in STAGES + ("cancelled",)}
    counts.update({stage: n for stage, n in rows})
    return counts


def signed_totals(*where):
    """(number of signed contracts, their total value in VND) for deals matching `where`: a contract counts
    from "contract_signed" on, and stays counted through transfer and completion."""
    count, total = db.session.execute(
        db.select(func.count(Deal.id), func.coalesce(func.sum(Deal.contract_value_vnd), 0))
        .where(Deal.stage.in_(SIGNED_STAGES), *where)).one()
    return int(count), int(total or 0)


def overview():
    """The department's figures: deals by stage, signed contracts, their total value, open and registrable."""
    count, total = signed_totals()
    registrable = db.session.scalar(db.select(func.count(Deal.id)).where(
        Deal.stage.in_(SIGNED_STAGES), (Deal.state_funded.is_(True)) | (Deal.cross_border.is_(True))))
    return {
        "by_stage": stage_counts(),
        "signed_count": count,
        "signed_value": total,
        "registration_required": int(registrable or 0),
    }


def recent_deals(limit=20):
    """The latest deals to change, for the department's overview."""
    return db.session.scalars(db.select(Deal).order_by(Deal.stage_changed_at.desc(), Deal.id.desc())
                              .limit(limit)).all()


def broker_record(org_id):
    """A broker organisation's public record: deals by stage, completed deals, total signed value."""
    count, total = signed_totals(Deal.broker_org_id == org_id)
    by_stage = stage_counts(Deal.broker_org_id == org_id)
    return {"by_stage": by_stage, "total": sum(by_stage.values()), "completed": by_stage["completed"],
            "signed_count": count, "signed_value": total}
