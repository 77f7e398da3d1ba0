"""Rules for offers, needs and IP assets: validation, lifecycle, moderation, expiry, browsing.

Every write commits once at the end; e-mail goes out after the commit as a job.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_

from marketplace.accounts.models import Organization
from marketplace.core import clock
from marketplace.core.daily import daily_task
from marketplace.core.errors import ValidationError
from marketplace.core.models import lock_row, utcnow
from marketplace.core.text import fold, normalize, normalize_block, split_list
from marketplace.extensions import db
from marketplace.listings.models import (
    IP_STATUSES,
    IP_TYPES,
    KINDS,
    MODELS_BY_KIND,
    PRICE_TYPES,
    REJECTION_REASONS,
    TRANSFER_MODES,
    IpAsset,
    Listing,
    ListingEvent,
    ListingTransferMode,
)
from marketplace.reference.models import Sector

MAX_EXPIRY_DAYS = 5 * 366
MAX_VND = 10**15  # one quadrillion đồng: far above any technology contract
NDA_TEXT_MAX = 20000
TEXT_FIELDS = ("title", "summary", "detail", "ip_number", "ip_grant_number", "ip_owners")
REF_PREFIX = {"offer": "CB", "need": "NC", "ip": "TS"}
# A withdrawn listing can be corrected and sent for review again, so withdrawing is never a dead end.
SUBMITTABLE = ("draft", "rejected", "withdrawn")


# --- validation ----------------------------------------------------------------------------------------

_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*")


def _parse_whole_number(text):
    """'1500000', '1.500.000', '1,500,000' or '1 500 000 đ' -> 1500000; '1.5' is refused, not read as 15."""
    text = re.sub(r"(?i)\s*(₫|đ|vnd|vnđ|đồng)$", "", text.strip()).replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"[.,]", "", text))
    raise ValueError(text)


def _int_or_none(value, name, low, high, errors, message):
    if value in (None, ""):
        return None
    try:
        number = _parse_whole_number(value) if isinstance(value, str) else int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        errors.setdefault(name, []).append(message)
        return None
    if isinstance(value, float) and value != int(value):
        errors.setdefault(name, []).append(message)
        return None
    if number < low or number > high:
        errors.setdefault(name, []).append(message)
        return None
    return number


def _date_or_none(value, name, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.setdefault(name, []).append(_("Enter a date as YYYY-MM-DD or DD/MM/YYYY."))
    return None


def clean_listing_data(kind, data, sector_codes, locality_codes, partial=False):
    """Check and normalise listing fields; returns a clean dict or raises ValidationError (field -> messages).

    `sector_codes`/`locality_codes` are the known codes (passed in so bulk imports look them up once).
    With `partial`, only the keys present in `data` are checked (title still may not be blanked).
    """
    if kind not in KINDS:
        raise ValidationError(_("Unknown listing kind."), field="kind")
    errors = {}
    out = {}

    def present(key):
        return not partial or key in data

    for key in TEXT_FIELDS:
        if present(key):
            out[key] = normalize(data.get(key)) if key != "detail" and key != "summary" else normalize_block(
                data.get(key))
    if present("title"):
        if not out.get("title"):
            errors.setdefault("title", []).append(_("A title is required."))
        elif len(out["title"]) > 300:
            errors.setdefault("title", []).append(_("The title is too long (300 characters at most)."))
    if present("summary") and kind != "ip" and not partial and not out.get("summary"):
        errors.setdefault("summary", []).append(_("A public summary is required."))
    for key, limit in (("ip_number", 60), ("ip_grant_number", 60), ("ip_owners", 500)):
        if out.get(key) and len(out[key]) > limit:
            errors.setdefault(key, []).append(_("Too long (%(n)s characters at most).", n=limit))

    if present("sector_code"):
        code = normalize(data.get("sector_code"))
        if not code:
            if kind != "ip":
                errors.setdefault("sector_code", []).append(_("Choose a sector."))
            out["sector_code"] = None
        elif code not in sector_codes:
            errors.setdefault("sector_code", []).append(_("Unknown sector code %(code)s.", code=code))
        else:
            out["sector_code"] = code

    if present("locality_code"):
        code = normalize(data.get("locality_code"))
        if code and code not in locality_codes:
            errors.setdefault("locality_code", []).append(_("Unknown locality %(code)s.", code=code))
        out["locality_code"] = code or None

    if present("keywords"):
        words = split_list(data.get("keywords"))
        out["keywords"] = "; ".join(words)
        if len(out["keywords"]) > 1000:
            errors.setdefault("keywords", []).append(_("Too many keywords."))

    trl_message = _("TRL must be a whole number from 1 to 9.")
    if kind == "offer" and present("trl"):
        out["trl"] = _int_or_none(data.get("trl"), "trl", 1, 9, errors, trl_message)
        if out["trl"] is None and "trl" not in errors and not partial:
            errors.setdefault("trl", []).append(_("Give the technology readiness level (1–9)."))
    if kind == "need" and present("min_trl"):
        out["min_trl"] = _int_or_none(data.get("min_trl"), "min_trl", 1, 9, errors, trl_message)
    if kind == "ip" and present("trl"):
        out["trl"] = _int_or_none(data.get("trl"), "trl", 1, 9, errors, trl_message)

    if present("transfer_modes"):
        modes = split_list(data.get("transfer_modes"))
        unknown = [m for m in modes if m not in TRANSFER_MODES]
        if unknown:
            errors.setdefault("transfer_modes", []).append(
                _("Unknown transfer form: %(codes)s.", codes=", ".join(unknown)))
        out["transfer_modes"] = [m for m in modes if m in TRANSFER_MODES]

    money_message = _("Enter an amount in VND: a whole number, not negative.")
    if kind in ("offer", "ip"):
        if present("price_type"):
            price_type = normalize(data.get("price_type")) or None
            if price_type and price_type not in PRICE_TYPES:
                errors.setdefault("price_type", []).append(_("Unknown price type."))
            out["price_type"] = price_type
        if present("price_vnd"):
            out["price_vnd"] = _int_or_none(data.get("price_vnd"), "price_vnd", 0, MAX_VND, errors, money_message)
        if "price_type" in out or "price_vnd" in out:
            price_type = out.get("price_type") or ("indicative" if out.get("price_vnd") else "negotiable")
            if price_type != "negotiable" and out.get("price_vnd") is None and "price_vnd" not in errors:
                errors.setdefault("price_vnd", []).append(_("Give the price, or choose 'negotiable'."))
            if out.get("price_type") == "negotiable" and out.get("price_vnd"):
                # a typed amount must not vanish silently: ask which kind of price it is
                errors.setdefault("price_type", []).append(
                    _("You entered an amount: choose indicative, floor or firm price, or clear the amount."))
            if price_type == "negotiable":
                out["price_vnd"] = None
            out["price_type"] = price_type
    if kind == "need" and present("budget_vnd_max"):
        out["budget_vnd_max"] = _int_or_none(
            data.get("budget_vnd_max"), "budget_vnd_max", 0, MAX_VND, errors, money_message)

    if present("expires_at"):
        out["expires_at"] = _date_or_none(data.get("expires_at"), "expires_at", errors)
        if out["expires_at"] and out["expires_at"] > clock.today() + timedelta(days=MAX_EXPIRY_DAYS):
            errors.setdefault("expires_at", []).append(
                _("The expiry date can be at most %(years)s years ahead; renew the listing later.", years=5))

    if present("ip_type"):
        ip_type = normalize(data.get("ip_type")) or None
        if ip_type and ip_type not in IP_TYPES:
            errors.setdefault("ip_type", []).append(_("Unknown IP type %(code)s.", code=ip_type))
        if kind == "ip" and not ip_type and not partial:
            errors.setdefault("ip_type", []).append(_("Choose the type of IP asset."))
        out["ip_type"] = ip_type
    if kind == "ip":
        if present("ip_status"):
            ip_status = normalize(data.get("ip_status")) or None
            if ip_status and ip_status not in IP_STATUSES:
                errors.setdefault("ip_status", []).append(_("Unknown IP status."))
            out["ip_status"] = ip_status or "pending"
        for key in ("ip_filing_date", "ip_grant_date"):
            if present(key):
                out[key] = _date_or_none(data.get(key), key, errors)
        if out.get("ip_filing_date") and out.get("ip_grant_date") and out["ip_grant_date"] < out["ip_filing_date"]:
            errors.setdefault("ip_grant_date", []).append(_("The grant date cannot be before the filing date."))
        for key in ("ip_filing_date", "ip_grant_date"):
            if out.get(key) and out[key] > clock.today():
                errors.setdefault(key, []).append(_("This date is in the future."))

    # anonymity and the NDA only when given: an import that does not name them leaves them as they are
    for key in ("anonymous", "nda_required"):
        if key in data:
            out[key] = _flag(data.get(key))
    if "nda_text" in data:
        out["nda_text"] = normalize_block(data.get("nda_text"))
        if len(out["nda_text"]) > NDA_TEXT_MAX:
            errors.setdefault("nda_text", []).append(_("Too long (%(n)s characters at most).", n=NDA_TEXT_MAX))
        elif out.get("nda_required") and not out["nda_text"]:
            out["nda_text"] = default_nda_text()

    if errors:
        raise ValidationError(errors=errors)
    return out


def _flag(value):
    """A checkbox or API value as a boolean: true for True, 1, "1", "y", "yes", "on", "true"."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "y", "yes", "on", "true")
    return bool(value)


def default_nda_text():
    """The NDA a listing gets when its owner asks for one without writing their own (in the owner's language)."""
    return _(
        "NON-DISCLOSURE AGREEMENT\n\n"
        "1. The confidential information is the technical detail and the confidential files of this listing.\n"
        "2. By accepting, I undertake, for myself and my organisation, to use it only to evaluate a possible "
        "technology transfer with the owner, not to disclose it to any third party without the owner's written "
        "consent, and not to file any application for intellectual property rights based on it.\n"
        "3. This undertaking does not cover information that is public or that we already held lawfully.\n"
        "4. It lasts three years from acceptance. Vietnamese law applies.")


def _set_nda_text(listing, text):
    """A changed NDA text is a new version: acceptances of the earlier text no longer unlock the detail.

    Writing the first text (over an empty one) keeps the version: nobody can accept an empty NDA, and clearing a
    text already made a new version."""
    if text == (listing.nda_text or ""):
        return
    if listing.id is not None and listing.nda_text:
        listing.nda_version = (listing.nda_version or 1) + 1
    listing.nda_text = text


def _known_codes():
    from marketplace.reference.services import locality_codes, sector_codes

    return sector_codes(), locality_codes()


def apply_listing_data(listing, clean):
    """Copy cleaned fields onto a listing."""
    for key, value in clean.items():
        if key == "transfer_modes":
            listing.transfer_modes = value
        elif key == "price_type" and value is None:
            listing.price_type = "negotiable"
        elif key == "nda_text":
            _set_nda_text(listing, value)
        else:
            setattr(listing, key, value)
    if listing.nda_required and not listing.nda_text:
        _set_nda_text(listing, default_nda_text())
    listing.refresh_search_text()


def _event(listing, actor, action, reason=None, message=None):
    listing.events.append(ListingEvent(actor=actor, action=action, reason=reason, message=message))


def site_ref(listing):
    """The readable reference a listing made on the site gets, e.g. CB-2026-00042 (its id must exist); the year
    is the app's timezone's."""
    year = clock.local(listing.created_at or utcnow()).year
    return f"{REF_PREFIX[listing.kind]}-{year}-{listing.id:05d}"


def assign_ref(listing):
    """Give a listing made on the site a readable reference such as CB-2026-00042 (after its id exists)."""
    if listing.ref:
        return
    ref = base = site_ref(listing)
    n = 1
    # an imported listing may already carry this ref (refs are the source's own): never collide with it
    while db.session.scalar(db.select(Listing.id).where(Listing.kind == listing.kind, Listing.ref == ref,
                                                        Listing.id != listing.id)) is not None:
        n += 1
        ref = f"{base}-{n}"
    listing.ref = ref


# --- lifecycle ---------------------------------------------------------------------------------------

def create_listing(kind, org, user, data, submit=False):
    """Create a draft offer, need or IP asset for `org`; with `submit`, send it to moderation at once."""
    clean = clean_listing_data(kind, data, *_known_codes())
    listing = MODELS_BY_KIND[kind](owner=org, created_by=user, status="draft")
    apply_listing_data(listing, clean)
    if listing.expires_at is None:
        listing.expires_at = default_expiry()
    _check_expiry(listing)
    if kind == "offer" and "ip_asset_ids" in data:
        _link_ip_assets(listing, org, data.get("ip_asset_ids"))
    _event(listing, user, "created")
    if submit:
        _submit(listing, user)
    db.session.add(listing)
    db.session.flush()
    assign_ref(listing)
    db.session.commit()
    return listing


def update_listing(listing, user, data, submit=False):
    """Save changes to a listing. With `submit`, a draft or returned listing goes to moderation in the same step.

    When the content of a published listing changes (anything but its expiry date), it stays public, so shared
    links keep working, and waits in the department's queue for a second look (post-review); returning it then
    takes it off the exchange. Renewing (a new expiry) needs no review."""
    errors = {}
    try:
        clean = clean_listing_data(listing.kind, data, *_known_codes(), partial=True)
    except ValidationError as exc:
        errors = exc.errors
    for key, message in _blanked(listing.kind, data).items():
        errors.setdefault(key, [message])
    if errors:
        raise ValidationError(errors=errors)
    try:
        before = _reviewed_content(listing)
        apply_listing_data(listing, clean)
        _check_expiry(listing, allow_past=listing.status in ("expired",))
        if listing.kind == "offer" and "ip_asset_ids" in data:
            _link_ip_assets(listing, listing.owner, data.get("ip_asset_ids"))
        _event(listing, user, "updated")
        if submit:
            _require(listing, SUBMITTABLE, _("Only a draft, returned or withdrawn listing can be submitted."))
            _submit(listing, user)
        elif _reviewed_content(listing) != before:
            queue_second_look(listing, user)
    except ValidationError:
        # half-applied changes must not reach the database through a later autoflush
        db.session.rollback()
        raise
    db.session.commit()
    return listing


def queue_second_look(listing, user, message=None):
    """A public listing whose content changed (an edit, a new file) stays public and waits in the
    department's queue; other statuses are reviewed anyway when submitted. Does not commit."""
    if listing.status in ("published", "expired"):
        listing.edit_pending_review = True
        listing.submitted_at = utcnow()
        _event(listing, user, "edited_after_publication", message=message)


def _reviewed_content(listing):
    """What moderation approves: every public or confidential field except the expiry date."""
    fields = ("title", "summary", "detail", "sector_code", "keywords", "trl", "min_trl", "price_type", "price_vnd",
              "budget_vnd_max", "locality_code", "ip_type", "ip_number", "ip_grant_number", "ip_filing_date",
              "ip_grant_date", "ip_status", "ip_owners", "nda_required", "nda_text")
    ip_ids = tuple(sorted(a.id for a in listing.ip_assets)) if listing.kind == "offer" else ()
    return tuple(getattr(listing, f) for f in fields) + (tuple(listing.transfer_modes), ip_ids)


def _blanked(kind, data):
    """Fields a partial update empties although every listing of the kind must have them (field -> message)."""
    required = {"summary": _("A public summary is required.")} if kind != "ip" else {}
    if kind == "offer":
        required["trl"] = _("Give the technology readiness level (1–9).")
    if kind == "ip":
        required["ip_type"] = _("Choose the type of IP asset.")
    return {key: message for key, message in required.items() if key in data and not normalize(data.get(key))}


def _check_expiry(listing, allow_past=False):
    if listing.expires_at and listing.expires_at < clock.today() and not allow_past:
        raise ValidationError(_("The expiry date is in the past."), field="expires_at")


def _link_ip_assets(offer, org, ids):
    wanted = set()
    for value in ids or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**63:  # larger numbers cannot be ids, and the database would refuse them
            wanted.add(number)
    assets = db.session.scalars(
        db.select(IpAsset).where(IpAsset.id.in_(wanted), IpAsset.owner_org_id == org.id)
    ).all() if wanted else []
    offer.ip_assets = list(assets)


def default_expiry():
    """The expiry a new listing gets: LISTING_DEFAULT_DAYS from today."""
    return clock.today() + timedelta(days=current_app.config.get("LISTING_DEFAULT_DAYS", 365))


def _require(listing, allowed, message):
    if listing.status not in allowed:
        raise ValidationError(message)


def _submit(listing, user):
    if not listing.summary and listing.kind != "ip":
        raise ValidationError(_("A public summary is required."), field="summary")
    listing.status = "submitted"
    listing.submitted_at = utcnow()
    _event(listing, user, "submitted")


def submit_listing(listing, user):
    """Send a draft or returned listing to the department's moderation queue."""
    _require(listing, SUBMITTABLE, _("Only a draft, returned or withdrawn listing can be submitted."))
    _submit(listing, user)
    db.session.commit()
    return listing


def _lock(listing):
    """Re-read the listing under its row's write lock, so two moderators cannot both decide on it."""
    lock_row(listing)


def last_event_id(listing):
    """The id of the listing's latest event: what a moderator saw when they opened it."""
    return max((e.id or 0 for e in listing.events), default=0)


def approve_listing(listing, moderator, message=None, seen_event_id=None):
    """Publish a submitted listing (or accept the edit of a public one) and tell its owner.

    With `seen_event_id` (the latest event when the moderator opened the page), approval is refused if the
    owner changed the listing since: nobody may approve content they have not seen."""
    _lock(listing)
    if not listing.awaits_review:
        raise ValidationError(_("This listing is not awaiting review any more."))
    if seen_event_id is not None and last_event_id(listing) != seen_event_id:
        raise ValidationError(_("The owner changed this listing after you opened it. Look at it again."))
    if listing.status == "submitted":
        listing.published_at = utcnow()
        listing.status = "published"
        if listing.expires_at is None or listing.expires_at < clock.today():
            listing.expires_at = default_expiry()
    # an edited published, expired or closed listing keeps its status and its expiry
    listing.edit_pending_review = False
    listing.rejection_reason = None
    listing.rejection_message = None
    _event(listing, moderator, "approved", message=normalize(message) or None)
    db.session.commit()
    notify_owner(listing, "approved")
    return listing


def reject_listing(listing, moderator, reason, message):
    """Return a submitted (or edited published) listing to its owner with a typed reason and a message."""
    _lock(listing)
    if not listing.awaits_review:
        raise ValidationError(_("This listing is not awaiting review any more."))
    errors = {}
    if reason not in REJECTION_REASONS:
        errors["reason"] = [_("Choose a reason.")]
    message = normalize_block(message)
    if not message:
        errors["message"] = [_("Tell the owner what to change.")]
    if errors:
        raise ValidationError(errors=errors)
    listing.status = "rejected"
    listing.edit_pending_review = False
    listing.rejection_reason = reason
    listing.rejection_message = message
    _event(listing, moderator, "rejected", reason=reason, message=message)
    db.session.commit()
    notify_owner(listing, "rejected")
    return listing


def withdraw_listing(listing, user):
    """Take a listing off the exchange at the owner's wish."""
    _require(listing, ("submitted", "published", "expired"), _("This listing cannot be withdrawn now."))
    listing.status = "withdrawn"
    _event(listing, user, "withdrawn")
    db.session.commit()
    return listing


def close_listing(listing, user):
    """Mark a published listing as closed (done, sold or found)."""
    _require(listing, ("published",), _("Only a published listing can be closed."))
    listing.status = "closed"
    _event(listing, user, "closed")
    db.session.commit()
    return listing


def renew_listing(listing, user, days=None):
    """Extend a published or expired listing's expiry; an expired listing returns to published."""
    _require(listing, ("published", "expired"), _("Only a published or expired listing can be renewed."))
    days = days or current_app.config.get("LISTING_DEFAULT_DAYS", 365)
    # a year from today, not a year more per click: pressing Renew twice changes nothing
    listing.expires_at = max(listing.expires_at or clock.today(), clock.today() + timedelta(days=days))
    listing.reminder_sent_at = None
    if listing.status == "expired":
        listing.status = "published"
    _event(listing, user, "renewed")
    db.session.commit()
    return listing


def delete_listing(listing, user):
    """Delete a draft or returned listing that was never published."""
    _require(listing, ("draft", "rejected"), _("Only drafts can be deleted; withdraw a published listing."))
    if listing.published_at is not None:
        raise ValidationError(_("A listing that was once published keeps its history; withdraw it instead."))
    from marketplace.listings.attachments import file_path, remove_paths

    paths = [file_path(a) for a in listing.attachments]
    db.session.delete(listing)
    db.session.commit()
    remove_paths(paths)  # after the commit: a failed commit must not leave rows pointing at deleted files


@daily_task
def expire_and_remind(today=None):
    """Expire published listings past their date and remind owners of those expiring soon.

    Returns (expired_count, reminded_count). Run daily (`flask listings expire`).
    """
    today = today or clock.today()
    soon = today + timedelta(days=current_app.config.get("EXPIRY_REMINDER_DAYS", 14))
    expired = db.session.scalars(
        db.select(Listing).where(Listing.status == "published", Listing.expires_at < today)
    ).all()
    for listing in expired:
        listing.status = "expired"
        _event(listing, None, "expired")
    due = db.session.scalars(
        db.select(Listing).where(
            Listing.status == "published",
            Listing.expires_at >= today,
            Listing.expires_at <= soon,
            Listing.reminder_sent_at.is_(None),
        )
    ).all()
    for listing in due:
        listing.reminder_sent_at = utcnow()
        _event(listing, None, "reminded")
    db.session.commit()
    for listing in due:
        notify_owner(listing, "expiring")
    for listing in expired:
        notify_owner(listing, "expired")
    return len(expired), len(due)


def notify_owner(listing, what):
    """E-mail the owner organisation's members about a listing (after the commit, as a job)."""
    from marketplace.core.jobs import enqueue

    enqueue(_send_owner_mail, listing.id, what)


def listing_url(listing_id):
    """A listing's absolute address for e-mail (PUBLIC_URL based, also outside a request)."""
    from marketplace.core.mail import public_url

    return public_url("listings.detail", listing_id=listing_id)


def _send_owner_mail(listing_id, what):
    from flask_babel import force_locale

    from marketplace.core.mail import send_mail
    from marketplace.listings.models import REJECTION_REASON_LABELS

    listing = db.session.get(Listing, listing_id)
    if listing is None:
        return
    for member in listing.owner.members:
        if not member.active:
            continue
        with force_locale(member.locale or "vi"):
            link = listing_url(listing.id)
            subjects = {
                "approved": _("Your listing was published: %(title)s", title=listing.title),
                "rejected": _("Your listing needs changes: %(title)s", title=listing.title),
                "expiring": _("Your listing expires on %(date)s: %(title)s",
                              date=listing.expires_at.strftime("%d/%m/%Y") if listing.expires_at else "",
                              title=listing.title),
                "expired": _("Your listing has expired: %(title)s", title=listing.title),
            }
            lines = [subjects[what], "", link]
            if what == "rejected":
                lines += ["", _("Reason: %(reason)s", reason=REJECTION_REASON_LABELS.get(
                    listing.rejection_reason, listing.rejection_reason)), listing.rejection_message or ""]
            if what == "approved":
                note = next((e.message for e in reversed(listing.events) if e.action == "approved"), None)
                if note:
                    lines += ["", _("Note from the department: %(note)s", note=note)]
            if what in ("expiring", "expired"):
                lines += ["", _("Open the listing and choose 'Renew' to keep it on the exchange.")]
            send_mail(member.email, subjects[what], "\n".join(lines))


# --- browsing ----------------------------------------------------------------------------------------

SORTS = ("newest", "oldest", "title", "trl")
FILTER_KEYS = ("q", "kind", "sector_code", "trl_min", "trl_max", "transfer_mode", "locality", "owner_kind",
               "ip_type", "sort")


@dataclass
class BrowseFilters:
    """Filters of the browse pages and the read API."""

    q: str = ""
    kinds: tuple = KINDS
    sector_code: str = ""
    trl_min: int | None = None
    trl_max: int | None = None
    transfer_mode: str = ""
    locality: str = ""
    owner_kind: str = ""
    ip_type: str = ""
    sort: str = "newest"
    errors: dict = field(default_factory=dict)

    def as_args(self):
        """The filters as query-string arguments (empty ones left out)."""
        args = {}
        for key in ("q", "sector_code", "transfer_mode", "locality", "owner_kind", "ip_type"):
            if getattr(self, key):
                args[key] = getattr(self, key)
        for key in ("trl_min", "trl_max"):
            if getattr(self, key) is not None:
                args[key] = getattr(self, key)
        if self.sort != "newest":
            args["sort"] = self.sort
        return args


def parse_filters(args, kinds=KINDS, strict=False):
    """Read browse filters from query arguments. Bad values are dropped and noted in `.errors`;
    with `strict` (the API) they raise ValidationError instead."""
    from marketplace.accounts.models import ORG_KINDS
    from marketplace.reference.services import locality_codes

    f = BrowseFilters(kinds=tuple(kinds))
    errors = {}
    f.q = normalize(args.get("q", ""))[:200]
    kind = args.get("kind", "")
    if kind:
        if kind in kinds:
            f.kinds = (kind,)
        else:
            errors["kind"] = _("Unknown listing kind %(value)s.", value=kind)
    sector = normalize(args.get("sector_code", ""))
    if sector:
        if db.session.get(Sector, sector) is None:
            errors["sector_code"] = _("Unknown sector code %(value)s.", value=sector)
        else:
            f.sector_code = sector
    for key in ("trl_min", "trl_max"):
        value = args.get(key, "")
        if value not in ("", None):
            try:
                number = int(value)
                if not 1 <= number <= 9:
                    raise ValueError
                setattr(f, key, number)
            except (TypeError, ValueError):
                errors[key] = _("TRL must be a whole number from 1 to 9.")
    # filters that take one code out of a known set: (argument, known codes, message for an unknown one)
    coded = (
        ("transfer_mode", TRANSFER_MODES, lambda v: _("Unknown transfer form %(value)s.", value=v)),
        ("locality", locality_codes(), lambda v: _("Unknown locality %(value)s.", value=v)),
        ("owner_kind", ORG_KINDS, lambda v: _("Unknown organisation kind %(value)s.", value=v)),
        ("ip_type", IP_TYPES, lambda v: _("Unknown IP type %(value)s.", value=v)),
    )
    for key, known, message in coded:
        value = args.get(key, "")
        if value and value in known:
            setattr(f, key, value)
        elif value:
            errors[key] = message(value)
    sort = args.get("sort", "") or "newest"
    if sort in SORTS:
        f.sort = sort
    else:
        errors["sort"] = _("Unknown sort order %(value)s.", value=sort)
    if errors and strict:
        raise ValidationError(errors={k: [v] for k, v in errors.items()})
    f.errors = errors
    return f


def browse_query(filters, statuses=("published",)):
    """A select of listings matching the filters, sorted; owners are joined for the owner-kind filter."""
    stmt = db.select(Listing).join(Organization, Listing.owner_org_id == Organization.id)
    stmt = stmt.where(Listing.status.in_(statuses), Listing.kind.in_(filters.kinds))
    if filters.q:
        for word in fold(filters.q).split()[:12]:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(Listing.search_text.like(pattern, escape="\\"))
    if filters.sector_code:
        if len(filters.sector_code) == 1:  # a field: include its sectors
            stmt = stmt.join(Sector, Listing.sector_code == Sector.code).where(
                or_(Sector.parent_code == filters.sector_code, Sector.code == filters.sector_code))
        else:
            stmt = stmt.where(Listing.sector_code == filters.sector_code)
    trl_column = func.coalesce(Listing.trl, Listing.min_trl)
    if filters.trl_min is not None:
        stmt = stmt.where(trl_column >= filters.trl_min)
    if filters.trl_max is not None:
        stmt = stmt.where(trl_column <= filters.trl_max)
    if filters.transfer_mode:
        stmt = stmt.where(Listing.id.in_(
            db.select(ListingTransferMode.listing_id).where(ListingTransferMode.code == filters.transfer_mode)))
    if filters.locality:
        stmt = stmt.where(Listing.locality_code == filters.locality)
    if filters.owner_kind:
        # an anonymous listing's owner is not told, not even its kind
        stmt = stmt.where(Organization.kind == filters.owner_kind, Listing.anonymous.is_(False))
    if filters.ip_type:
        stmt = stmt.where(Listing.ip_type == filters.ip_type)
    order = {
        "newest": (Listing.published_at.desc(), Listing.id.desc()),
        "oldest": (Listing.published_at.asc(), Listing.id.asc()),
        "title": (Listing.title.asc(), Listing.id.asc()),
        "trl": (trl_column.desc(), Listing.id.desc()),
    }[filters.sort]
    return stmt.order_by(*order)


def paginate(stmt, page, per_page):
    """(items, total) for one page of a select."""
    total = db.session.scalar(db.select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return items, total


def public_counts():
    """Published offers, needs, IP assets and organisations, for the home page."""
    rows = db.session.execute(
        db.select(Listing.kind, func.count()).where(Listing.status == "published").group_by(Listing.kind)
    ).all()
    counts = {kind: 0 for kind in KINDS}
    counts.update({kind: n for kind, n in rows})
    counts["org"] = db.session.scalar(db.select(func.count(Organization.id)).where(Organization.kind != "department"))
    return counts


def latest(kind, limit=6):
    """The newest published listings of a kind."""
    return db.session.scalars(
        db.select(Listing).where(Listing.kind == kind, Listing.status == "published")
        .order_by(Listing.published_at.desc(), Listing.id.desc()).limit(limit)
    ).all()


def moderation_queue():
    """Listings awaiting review, oldest first."""
    return db.session.scalars(
        db.select(Listing)
        .where(or_(Listing.status == "submitted",
                   and_(Listing.status.in_(("published", "expired", "closed")),
                        Listing.edit_pending_review.is_(True))))
        .order_by(Listing.submitted_at.asc(), Listing.id)
    ).all()


def org_listings(org, include_private=False):
    """An organisation's listings: public ones, or all of them for its members and staff."""
    stmt = db.select(Listing).where(Listing.owner_org_id == org.id)
    if not include_private:
        # an anonymous listing on its owner's public page would name the owner
        stmt = stmt.where(Listing.status == "published", Listing.anonymous.is_(False))
    return db.session.scalars(stmt.order_by(Listing.updated_at.desc(), Listing.id.desc())).all()


def expires_soon(listing, today=None):
    """True when a published listing's expiry falls within the reminder window (time to renew)."""
    if listing.status != "published" or listing.expires_at is None:
        return False
    today = today or clock.today()
    return listing.expires_at <= today + timedelta(days=current_app.config.get("EXPIRY_REMINDER_DAYS", 14))


def org_ip_assets(org):
    """An organisation's IP assets an offer may rest on (all but withdrawn ones), by title."""
    return db.session.scalars(
        db.select(IpAsset).where(IpAsset.owner_org_id == org.id, IpAsset.status != "withdrawn")
        .order_by(IpAsset.title, IpAsset.id)
    ).all()


def get_listing(listing_id, kind=None):
    """A listing by id (and kind), or None."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or (kind and listing.kind != kind):
        return None
    return listing
