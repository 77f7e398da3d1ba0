"""Load the demo exchange (marketplace.demo.data) into an empty database; list its sign-in accounts.

Rows are inserted through the models in one transaction, but every listing goes through the same checks and
helpers as the listing services (clean_listing_data, apply_listing_data, owner-only IP links) and gets the
events and timestamps the real lifecycle would have left.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func

from marketplace.accounts.models import Organization, User
from marketplace.accounts.services import build_org
from marketplace.core import clock
from marketplace.core.models import utcnow
from marketplace.demo import data
from marketplace.demo.deals import add_brokers_and_deals
from marketplace.extensions import db
from marketplace.listings.models import MODELS_BY_KIND, Listing, ListingEvent
from marketplace.listings.services import apply_listing_data, clean_listing_data
from marketplace.reference.services import ensure_reference_data, locality_codes, sector_codes

LISTING_FIELDS = (
    "title", "summary", "detail", "sector_code", "keywords", "trl", "min_trl", "transfer_modes", "price_type",
    "price_vnd", "budget_vnd_max", "locality_code", "ip_type", "ip_number", "ip_grant_number", "ip_filing_date",
    "ip_grant_date", "ip_status", "ip_owners",
)
LISTING_DAYS = 365  # demo listings expire a year after publication unless they say otherwise
# No scrypt hash has this form, so check_password always fails: contacts sign in only after a password reset.
UNUSABLE_PASSWORD = "!demo-contact"


class DatabaseNotEmpty(Exception):
    """The database already holds organisations or listings; demo data goes only into an empty one."""


@dataclass
class DemoAccount:
    """A demo account as `flask demo accounts` shows it."""

    key: str
    label: str
    role: str
    email: str
    full_name: str
    org_name: str
    org_kind: str
    password_works: bool


def is_empty():
    """True when there is no organisation, no listing and no account with a demo e-mail address."""
    emails = [a["email"] for a in data.DEMO_ACCOUNTS] + [c["email"] for c in data.CONTACTS]
    return not (
        db.session.scalar(db.select(func.count(Organization.id)))
        or db.session.scalar(db.select(func.count(Listing.id)))
        or db.session.scalar(db.select(func.count(User.id)).where(User.email.in_(emails)))
    )


def listing_data(entry, today=None):
    """A demo entry's listing fields as clean_listing_data takes them, with its expiry made a date."""
    today = today or clock.today()
    fields = {key: entry[key] for key in LISTING_FIELDS if key in entry}
    expires_in = entry.get("expires_in", LISTING_DAYS - entry.get("days_ago", 0))
    fields["expires_at"] = today + timedelta(days=expires_in)
    return fields


def entries_by_kind():
    """(kind, entries) for every kind of demo listing, IP assets first (offers link to them)."""
    return [("ip", data.IP_ASSETS), ("offer", data.OFFERS), ("need", data.NEEDS)]


def load_demo():
    """Fill an empty database with the demo exchange in one transaction; returns counts by kind.

    Raises DatabaseNotEmpty (and writes nothing) when any organisation or listing exists.
    """
    ensure_reference_data()
    if not is_empty():
        raise DatabaseNotEmpty()
    now = utcnow()
    today = clock.today()
    try:
        orgs = _add_organizations(now)
        authors, moderator = _add_people(orgs, now)
        codes = (sector_codes(), locality_codes())
        by_ref = {}
        counts = {"org": len(orgs), "account": len(data.DEMO_ACCOUNTS), "person": len(data.CONTACTS)}
        for kind, entries in entries_by_kind():
            for index, entry in enumerate(entries):
                listing = _add_listing(kind, entry, index, orgs, authors, moderator, codes, by_ref, now, today)
                by_ref[entry["ref"]] = listing
            counts[kind] = len(entries)
        counts["deal"] = add_brokers_and_deals(orgs, authors, by_ref, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts


def _add_organizations(now):
    orgs = {}
    for index, spec in enumerate(data.ORGANIZATIONS):
        extra = {key: spec[key] for key in ("address", "phone", "description", "verified") if key in spec}
        extra["email"] = spec.get("email") or f"lienhe.{spec['key']}@{data.DEMO_EMAIL_DOMAIN}"
        org = build_org(spec["name"], spec["kind"], spec.get("tax_code"), spec.get("locality_code"), **extra)
        # registered over the past year and a half, in list order
        org.created_at = org.updated_at = now - timedelta(days=540 - 10 * index)
        db.session.add(org)
        db.session.flush()  # so the next unique_slug() and tax-code check see it
        orgs[spec["key"]] = org
    return orgs


def _role_for(org):
    """The platform role a person gets from their organisation's kind (as accounts.add_member does)."""
    from marketplace.accounts.services import role_for_org_kind

    return role_for_org_kind(org.kind)


def _add_people(orgs, now):
    """Demo accounts and contacts; returns ({org key: author of its listings}, the department moderator)."""
    authors = {}
    moderator = None
    people = [(spec, True) for spec in data.DEMO_ACCOUNTS] + [(spec, False) for spec in data.CONTACTS]
    # one scrypt hash shared by the demo accounts: they share a published password anyway, and hashing is slow
    hasher = User()
    hasher.set_password(data.DEMO_PASSWORD)
    for spec, can_sign_in in people:
        org = orgs[spec["org"]]
        user = User(email=spec["email"], full_name=spec["full_name"], phone=spec.get("phone", ""), org=org,
                    role=spec.get("role") or _role_for(org), org_role=spec.get("org_role", "admin"), locale="vi")
        user.password_hash = hasher.password_hash if can_sign_in else UNUSABLE_PASSWORD
        user.created_at = user.updated_at = org.created_at
        db.session.add(user)
        authors.setdefault(spec["org"], user)
        if user.role == "department" and moderator is None:
            moderator = user
    return authors, moderator


def _add_listing(kind, entry, index, orgs, authors, moderator, codes, by_ref, now, today):
    """One demo listing, checked like a real one, with the events its status implies."""
    org = orgs[entry["owner"]]
    author = authors.get(entry["owner"])
    clean = clean_listing_data(kind, listing_data(entry, today), *codes)
    if clean["expires_at"] <= today:
        raise ValueError(f"{entry['ref']}: demo listings must expire in the future")
    listing = MODELS_BY_KIND[kind](owner=org, created_by=author, ref=entry["ref"])
    apply_listing_data(listing, clean)
    if kind == "offer":
        assets = [by_ref[ref] for ref in entry.get("ip_assets", ())]
        if any(asset.owner is not org for asset in assets):
            raise ValueError(f"{entry['ref']}: an offer may only link its own organisation's IP assets")
        listing.ip_assets = assets
    status = entry.get("status", "published")
    # a different hour for each listing, so "newest first" is a strict order
    moment = now - timedelta(days=entry.get("days_ago", 0), hours=1 + (index * 5) % 11)
    timeline = _timeline(status, moment, entry)
    listing.status = status
    listing.created_at = timeline[0][1]
    listing.updated_at = timeline[-1][1]
    for action, at in timeline:
        actor = moderator if action in ("approved", "rejected") else author
        event = ListingEvent(actor=actor, action=action, created_at=at)
        if action == "submitted":
            listing.submitted_at = at
        elif action == "approved":
            listing.published_at = at
        elif action == "rejected":
            event.reason = listing.rejection_reason = entry["rejection"]["reason"]
            event.message = listing.rejection_message = entry["rejection"]["message"]
        listing.events.append(event)
    db.session.add(listing)
    return listing


def _timeline(status, moment, entry):
    """[(action, time)] leading to `status`; `moment` is when the last step before it happened."""
    day = timedelta(days=1)
    if status == "draft":
        return [("created", moment)]
    if status == "submitted":
        return [("created", moment - day), ("submitted", moment)]
    if status == "rejected":
        return [("created", moment - 2 * day), ("submitted", moment - day), ("rejected", moment)]
    steps = [("created", moment - 3 * day), ("submitted", moment - 2 * day), ("approved", moment)]
    if status == "closed":
        steps.append(("closed", moment + timedelta(days=entry.get("days_ago", 0) * 3 // 4)))
    return steps


def demo_accounts():
    """The demo accounts found in the database, with whether the demo password still opens each."""
    rows = []
    for spec in data.DEMO_ACCOUNTS:
        user = db.session.scalar(db.select(User).where(User.email == spec["email"]))
        if user is None:
            continue
        rows.append(DemoAccount(
            key=spec["key"], label=spec["label"], role=user.role, email=user.email, full_name=user.full_name,
            org_name=user.org.name if user.org else "", org_kind=user.org.kind if user.org else "",
            password_works=user.check_password(data.DEMO_PASSWORD),
        ))
    return rows
