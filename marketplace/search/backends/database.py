"""The fallback when the index is missing or broken: a plain database query, newest first, no facets.

It matches listings whose folded text holds any of the query's words, then organisations by name; slower and
cruder than the index, but search keeps answering while `flask search reindex` repairs it.
"""
from sqlalchemy import func, or_

from marketplace.accounts.models import Organization
from marketplace.core.text import fold
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.listings.services import BrowseFilters, browse_query
from marketplace.search.backends.base import BackendHit, BackendResult
from marketplace.search.documents import SEARCHABLE_STATUSES, doc_key

MAX_WORDS = 8


def _like(column, words):
    """column LIKE any of the folded words."""
    clauses = []
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(column.like(f"%{escaped}%", escape="\\"))
    return or_(*clauses)


def _listing_select(filters, kinds, words):
    """The browse pages' query (listings.services.browse_query) for these facet filters, newest first, with
    any of the folded words."""
    browse = BrowseFilters(
        kinds=tuple(kinds), sector_code=filters.get("sector_code") or filters.get("sector_group") or "",
        transfer_mode=filters.get("transfer_mode") or "", locality=filters.get("locality_code") or "",
        owner_kind=filters.get("owner_kind") or "", ip_type=filters.get("ip_type") or "")
    if filters.get("trl_band"):
        browse.trl_min, browse.trl_max = (int(x) for x in filters["trl_band"].split("-"))
    stmt = browse_query(browse, statuses=SEARCHABLE_STATUSES)
    if words:
        stmt = stmt.where(_like(Listing.search_text, words))
    return stmt.with_only_columns(Listing.id)


def database_search(query):
    """A BackendResult from plain SQL, for when the index cannot answer."""
    words = []
    for group in query.groups[:1]:
        words = [fold(t.word) for t in group.terms if t.word][:MAX_WORDS]
    filters = query.filters or {}
    kinds = filters.get("kind") or ["offer", "need", "ip", "org"]
    kinds = kinds if isinstance(kinds, (list, tuple)) else [kinds]
    listing_kinds = [k for k in kinds if k != "org"]
    selects = []
    if listing_kinds:
        selects.append(("listing", _listing_select(filters, listing_kinds, words)))
    only_listing_facets = any(filters.get(k) for k in ("sector_group", "sector_code", "transfer_mode", "ip_type",
                                                       "trl_band"))
    if "org" in kinds and not only_listing_facets:
        stmt = db.select(Organization.id).where(Organization.kind != "department")
        if filters.get("owner_kind"):
            stmt = stmt.where(Organization.kind == filters["owner_kind"])
        if filters.get("locality_code"):
            stmt = stmt.where(Organization.locality_code == filters["locality_code"])
        if words:
            # Organisation names are few: fold them in Python (SQLite's lower() ignores "Đ").
            names = db.session.execute(db.select(Organization.id, Organization.name).where(
                Organization.id.in_(stmt))).all()
            ids = [i for i, name in names if any(w in fold(name) for w in words)]
            stmt = db.select(Organization.id).where(Organization.id.in_(ids))
        selects.append(("org", stmt.order_by(Organization.id.desc())))
    total = 0
    hits = []
    start = (max(query.page, 1) - 1) * query.per_page
    for doc_type, stmt in selects:
        count = db.session.scalar(db.select(func.count()).select_from(stmt.order_by(None).subquery()))
        if len(hits) < query.per_page and start < total + count:
            offset = max(start - total, 0)
            ids = db.session.scalars(stmt.limit(query.per_page - len(hits)).offset(offset)).all()
            hits += [BackendHit(key=doc_key(doc_type, i), score=0.0) for i in ids]
        total += count
    return BackendResult(total=total, hits=hits, facets={})
