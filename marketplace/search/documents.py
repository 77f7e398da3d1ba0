"""What the index holds for a listing or an organisation, built from the database (the source of truth)."""
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy.orm import selectinload

from marketplace.accounts.models import Organization
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.reference.models import Sector

SEARCH_KINDS = ("offer", "need", "ip", "org")
# Which listings search shows. Expired and closed ones stay readable by link but are not offered by search.
SEARCHABLE_STATUSES = ("published",)
TRL_BANDS = ("1-3", "4-6", "7-9")
FACETS = ("kind", "sector_group", "sector_code", "trl_band", "transfer_mode", "locality_code", "owner_kind",
          "ip_type")


def trl_band(trl):
    """The TRL band of a level: "1-3", "4-6", "7-9", or "" when unknown."""
    if not trl:
        return ""
    return TRL_BANDS[min(max((int(trl) - 1) // 3, 0), 2)]


@dataclass
class Document:
    """One searchable thing. `key` is "listing:<id>" or "org:<id>"; facets hold codes, lists for many values."""

    key: str
    kind: str
    id: int
    title: str
    body: str
    keywords: str = ""
    ref: str = ""
    published_at: datetime | None = None
    facets: dict = field(default_factory=dict)

    @property
    def timestamp(self):
        """Seconds since the epoch of publication, for newest-first sorting (0 when unknown)."""
        if self.published_at is None:
            return 0
        when = self.published_at
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return int(when.timestamp())


def doc_key(doc_type, doc_id):
    """The index key of a listing or organisation."""
    return f"{doc_type}:{doc_id}"


def parse_key(key):
    """("listing"|"org", id) of an index key."""
    doc_type, _, doc_id = key.partition(":")
    return doc_type, int(doc_id)


def _sector_names(session):
    """Sector code -> Vietnamese and English name, for sector words in listing text."""
    return {s.code: f"{s.name_vi} {s.name_en}" for s in session.scalars(db.select(Sector))}


def listing_document(listing, sector_names):
    """The Document of a published listing, or None when search must not show it."""
    if listing is None or listing.status not in SEARCHABLE_STATUSES or listing.kind not in SEARCH_KINDS:
        return None
    names = sector_names
    trl = listing.trl if listing.trl is not None else listing.min_trl
    # An anonymous listing keeps who owns it out of the index (the right holders are usually the owner, and the
    # owner's kind is a facet), else searching the owner's name or filtering by its kind would find it.
    anonymous = bool(listing.anonymous)
    body = "\n".join(p for p in (listing.summary, names.get(listing.sector_code or "", ""),
                                 "" if anonymous else listing.ip_owners or "", listing.ip_number or "") if p)
    return Document(
        key=doc_key("listing", listing.id), kind=listing.kind, id=listing.id, title=listing.title, body=body,
        keywords=(listing.keywords or "").replace(";", ","), ref=listing.ref or "", published_at=listing.published_at,
        facets={
            "kind": listing.kind,
            "sector_code": listing.sector_code or "",
            "sector_group": (listing.sector_code or "")[:1],
            "trl_band": trl_band(trl),
            "transfer_mode": list(listing.transfer_modes),
            "locality_code": listing.locality_code or "",
            "owner_kind": listing.owner.kind if listing.owner and not anonymous else "",
            "ip_type": listing.ip_type or "",
        },
    )


def org_document(org):
    """The Document of an organisation, or None for the department (it lists nothing of its own)."""
    if org is None or org.kind == "department":
        return None
    return Document(
        key=doc_key("org", org.id), kind="org", id=org.id, title=org.name, body=org.description or "",
        published_at=org.created_at,
        facets={"kind": "org", "locality_code": org.locality_code or "", "owner_kind": org.kind,
                "sector_code": "", "sector_group": "", "trl_band": "", "transfer_mode": [], "ip_type": ""},
    )


def load_documents(session, keys):
    """{key: Document or None} for index keys; None means "remove from the index"."""
    listing_ids = [i for t, i in map(parse_key, keys) if t == "listing"]
    org_ids = [i for t, i in map(parse_key, keys) if t == "org"]
    found = {key: None for key in keys}
    names = _sector_names(session)
    if listing_ids:
        stmt = db.select(Listing).where(Listing.id.in_(listing_ids)).options(selectinload(Listing.owner))
        for listing in session.scalars(stmt):
            found[doc_key("listing", listing.id)] = listing_document(listing, names)
    if org_ids:
        for org in session.scalars(db.select(Organization).where(Organization.id.in_(org_ids))):
            found[doc_key("org", org.id)] = org_document(org)
    return found


def all_documents(session, batch_size=500):
    """(about how many, an iterator of every searchable Document) for a rebuild.

    The iterator reads the database only when first advanced: a backend takes its writer lock before that, so
    the rebuild sees every change committed before it holds the lock (changes after it wait in the outbox)."""
    listings = db.select(Listing.id).where(Listing.status.in_(SEARCHABLE_STATUSES))
    orgs = db.select(Organization.id).where(Organization.kind != "department")
    count = sum(session.scalar(db.select(db.func.count()).select_from(s.subquery())) for s in (listings, orgs))
    session.commit()  # end the read; the documents are read afresh below

    def generate():
        names = _sector_names(session)
        listing_ids = session.scalars(listings.order_by(Listing.id)).all()
        org_ids = session.scalars(orgs.order_by(Organization.id)).all()
        for start in range(0, len(listing_ids), batch_size):
            chunk = listing_ids[start:start + batch_size]
            rows = session.scalars(db.select(Listing).where(Listing.id.in_(chunk)).order_by(Listing.id)
                                   .options(selectinload(Listing.owner))).all()
            for listing in rows:
                doc = listing_document(listing, names)
                if doc:
                    yield doc
        for start in range(0, len(org_ids), batch_size):
            chunk = org_ids[start:start + batch_size]
            for org in session.scalars(db.select(Organization).where(Organization.id.in_(chunk))):
                doc = org_document(org)
                if doc:
                    yield doc

    return count, generate()
