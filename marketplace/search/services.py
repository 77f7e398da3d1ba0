"""Search: read the query, ask the backend, load and highlight the hits; rebuild and health.

The backend is chosen by SEARCH_BACKEND (whoosh, the embedded default, or postgres). When it cannot answer
(index missing or broken) the search falls back to a plain database query and says so; it never fails.
"""
import logging
import os
import time
from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_babel import gettext as _

from marketplace.accounts.models import ORG_KINDS, Organization
from marketplace.core.errors import ValidationError
from marketplace.core.params import check_params
from marketplace.core.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from marketplace.core.text import fold, normalize
from marketplace.extensions import db
from marketplace.listings.models import IP_TYPES, TRANSFER_MODES, Listing
from marketplace.reference.models import Locality, Sector
from marketplace.search import glossary, understanding
from marketplace.search.analysis import is_filler, is_question
from marketplace.search.backends.base import BackendQuery, QueryGroup, QueryTerm, SearchUnavailable
from marketplace.search.backends.database import database_search
from marketplace.search.documents import FACETS, SEARCH_KINDS, SEARCHABLE_STATUSES, TRL_BANDS, parse_key
from marketplace.search.highlight import highlight

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
MAX_PAGE = 500
SORTS = ("relevance", "newest")
FILLER_WEIGHT = 0.25
EXPANSION_WEIGHT = 0.5
# A question ("làm sao giảm mùi hôi ở trại gà?") asks for a solution: offers and IP assets count this much more
# than needs and organisations (a need that echoes the question word for word would otherwise come first).
SOLUTION_BOOST = {"offer": 1.3, "ip": 1.3}
SNIPPET_CHARS = 240
SEARCH_PARAMS = ("q", "kind", "sector_code", "trl_band", "transfer_mode", "locality", "owner_kind", "ip_type",
                 "sort", "page", "per_page")


# --- the backend ---------------------------------------------------------------------------------------

def get_backend(app=None):
    """This app's search backend (one per process, reused across requests)."""
    app = app or current_app._get_current_object()
    backend = app.extensions.get("search_backend")
    if backend is None:
        name = app.config.get("SEARCH_BACKEND", "whoosh")
        if name == "postgres":
            from marketplace.search.backends.postgres import PostgresBackend

            backend = PostgresBackend()
        elif name == "whoosh":
            from marketplace.search.backends.whoosh_backend import WhooshBackend

            path = app.config.get("SEARCH_INDEX_DIR") or os.path.join(app.instance_path, "search-index")
            backend = WhooshBackend(path, lock_timeout=app.config.get("SEARCH_LOCK_TIMEOUT", 10.0))
        else:
            raise RuntimeError(f"Unknown SEARCH_BACKEND {name!r}: use whoosh or postgres")
        app.extensions["search_backend"] = backend
    return backend


def reindex(progress=None):
    """Rebuild the index from the database into a fresh one that replaces the old; returns the count.

    Changes committed meanwhile stay in the outbox and are applied right after the swap."""
    from marketplace.search.outbox import apply_pending, rebuild

    backend = get_backend()
    done = rebuild(backend, progress)
    apply_pending(backend)
    _forget_vocabulary()
    return done


def health():
    """("ok" | "degraded", detail) of the index and its outbox."""
    from marketplace.search.outbox import pending_count

    status, detail = get_backend().health()
    waiting = pending_count()
    if waiting:
        detail += f"; {waiting} changes waiting to be indexed"
    return status, detail


# --- what the search understands -----------------------------------------------------------------------

def vocabulary():
    """{word: document count} of the index, cached for SEARCH_VOCABULARY_TTL seconds per process."""
    cache = current_app.extensions.get("search_vocabulary")
    if cache and time.monotonic() - cache[0] < current_app.config.get("SEARCH_VOCABULARY_TTL", 300):
        return cache[1]
    try:
        vocab = understanding.Vocabulary(get_backend().vocabulary())
    except SearchUnavailable:
        vocab = understanding.Vocabulary({})
    current_app.extensions["search_vocabulary"] = (time.monotonic(), vocab)
    return vocab


def _forget_vocabulary():
    current_app.extensions.pop("search_vocabulary", None)


def read(text):
    """How search reads a query (an understanding.Reading), keeping only the spelling corrections it trusts."""
    pairs, abbreviations = glossary.for_reading()
    reading = understanding.read_query(text, vocabulary(), glossary=pairs, abbreviations=abbreviations)
    if reading.corrections:
        _drop_doubtful_corrections(reading)
    return reading


def _drop_doubtful_corrections(reading):
    """A word that spells a Vietnamese syllable ("vết", "cháy", "chay") is taken as meant, even when no listing
    uses it, unless its correction stands beside a neighbouring word somewhere in the index ("nông sảm" ->
    "nông sản"): on a small exchange most unknown words are real words, not typos. Other corrections stay
    ("trichodema" -> "trichoderma", "sâý" -> "sấy")."""
    try:
        backend = get_backend()
        words = reading.words
        for i, word in enumerate(words):
            correction = reading.corrections.get(word)
            if correction is None:
                continue
            if not (understanding.is_syllable(word) if fold(word) != word else understanding.could_be_syllable(word)):
                continue
            fitting = (i > 0 and backend.pair_frequency(fold(words[i - 1]), fold(correction)))
            fitting = fitting or (i + 1 < len(words) and backend.pair_frequency(fold(correction), fold(words[i + 1])))
            if not fitting:
                del reading.corrections[word]
                reading.notes = [n for n in reading.notes if not (n.kind == "spelling" and n.source == word)]
    except SearchUnavailable:
        reading.corrections.clear()


def query_groups(reading):
    """The weighted word groups a backend searches for: the query as read (corrections in place of typos,
    fillers light), then each expansion (glossary, abbreviations) a little lighter."""
    terms = []
    for word in reading.words:
        word = reading.corrections.get(word, word)
        weight = FILLER_WEIGHT if is_filler(word) else 1.0
        terms.append(QueryTerm(word, weight))
    if terms and all(t.weight < 1 for t in terms):  # a query of fillers only: they are what was asked
        terms = [QueryTerm(t.word, 1.0) for t in terms]
    groups = [QueryGroup(terms)] if terms else []
    for phrase in reading.expansions:
        if phrase:
            groups.append(QueryGroup([QueryTerm(w, 1.0) for w in phrase], weight=EXPANSION_WEIGHT))
    return groups


# --- arguments -----------------------------------------------------------------------------------------

@dataclass
class SearchArgs:
    """A search request: the text, the filters, the order and the page."""

    q: str = ""
    kind: str = ""
    sector_code: str = ""
    trl_band: str = ""
    transfer_mode: str = ""
    locality: str = ""
    owner_kind: str = ""
    ip_type: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    errors: dict = field(default_factory=dict)

    def backend_filters(self):
        """Facet filters as the backend names them."""
        filters = {}
        if self.kind:
            filters["kind"] = self.kind
        if self.sector_code:
            filters["sector_group" if len(self.sector_code) == 1 else "sector_code"] = self.sector_code
        for name, key in (("trl_band", "trl_band"), ("transfer_mode", "transfer_mode"),
                          ("locality", "locality_code"), ("owner_kind", "owner_kind"), ("ip_type", "ip_type")):
            if getattr(self, name):
                filters[key] = getattr(self, name)
        return filters

    def as_args(self, **changes):
        """Query-string arguments for a link to this search with some changes (page reset unless given)."""
        values = {k: getattr(self, k) for k in SEARCH_PARAMS if k not in ("page", "per_page")}
        values.update(changes)
        args = {k: v for k, v in values.items() if v not in ("", None) and not (k == "sort" and v == "relevance")}
        if changes.get("page", 1) not in (1, None):
            args["page"] = changes["page"]
        return args


def parse_search_args(args, strict=False):
    """SearchArgs from query arguments. Bad values are dropped and noted in `.errors`; with `strict` (the API)
    unknown parameters and bad values raise ValidationError instead."""
    out = SearchArgs()
    errors = {}
    if strict:
        errors.update(check_params(args, SEARCH_PARAMS))

    def fail(name, message):
        errors.setdefault(name, []).append(message)

    q = normalize(args.get("q", ""))
    if len(q) > MAX_QUERY_CHARS:
        fail("q", _("The search text is too long: %(max)s characters at most.", max=MAX_QUERY_CHARS))
        q = q[:MAX_QUERY_CHARS]
    out.q = q
    known = {
        "kind": SEARCH_KINDS,
        "trl_band": TRL_BANDS,
        "transfer_mode": TRANSFER_MODES,
        "owner_kind": [k for k in ORG_KINDS if k != "department"],
        "ip_type": IP_TYPES,
        "sort": SORTS,
    }
    for name, values in known.items():
        value = normalize(args.get(name, ""))
        if value and value not in values:
            fail(name, _("Unknown value %(value)s; use one of: %(values)s.", value=value[:40],
                         values=", ".join(values)))
        elif value:
            setattr(out, name, value)
    # codes of reference tables: (argument, model, longest code, message for an unknown one)
    coded = (("sector_code", Sector, 10, lambda v: _("Unknown sector code %(value)s.", value=v)),
             ("locality", Locality, 40, lambda v: _("Unknown locality %(value)s.", value=v)))
    for name, model, longest, message in coded:
        value = normalize(args.get(name, ""))
        if value and (len(value) > longest or db.session.get(model, value) is None):
            fail(name, message(value[:40]))
        elif value:
            setattr(out, name, value)
    for name, default, high in (("page", 1, MAX_PAGE), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        value = (args.get(name) or "").strip()
        if not value:
            setattr(out, name, default)
        elif value.isascii() and value.isdigit() and 1 <= int(value) <= high:
            setattr(out, name, int(value))
        else:
            fail(name, _("%(name)s must be a whole number from 1 to %(max)s.", name=name, max=high))
    if errors and strict:
        raise ValidationError(errors=errors)
    out.errors = errors
    return out


# --- searching -----------------------------------------------------------------------------------------

@dataclass
class SearchHit:
    """One result, ready to show: what it is, where it lives, why it matched."""

    kind: str
    id: int
    ref: str | None
    title: str
    score: float
    title_html: object
    highlight: object
    url: str
    obj: object = None


@dataclass
class SearchResults:
    """A page of results, with the facet counts, how the query was read and what to suggest."""

    args: SearchArgs
    total: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    reading: object = None
    degraded: bool = False
    nothing_to_search: bool = False
    approximate: bool = False  # a very broad search on a large exchange: total and facet counts are estimates
    solutions_first: bool = False  # the query read as a question: offers and IP ranked up

    @property
    def suggestion(self):
        """A corrected query for "Did you mean …", or None."""
        return self.reading.suggestion if self.reading else None

    @property
    def pages(self):
        """Number of pages."""
        return max((self.total + self.args.per_page - 1) // self.args.per_page, 1)


def search(args=None, **kwargs):
    """Search published listings and organisations. Takes SearchArgs, or the words and keyword arguments of
    SearchArgs (`search("máy sấy", per_page=10)`). Never fails: without an index it answers from the database."""
    if args is None or isinstance(args, str):
        args = SearchArgs(q=normalize(args or kwargs.pop("q", "")), **kwargs)
    results = SearchResults(args=args)
    groups = []
    if args.q:
        results.reading = read(args.q)
        groups = query_groups(results.reading)
        if not groups:
            results.nothing_to_search = True
            return results
    if groups and args.sort == "relevance" and is_question(args.q, results.reading.words):
        results.solutions_first = True
    query = BackendQuery(groups=groups, filters=args.backend_filters(), sort=args.sort, page=args.page,
                         per_page=args.per_page, facets=FACETS,
                         kind_boost=SOLUTION_BOOST if results.solutions_first else {})
    try:
        found = get_backend().search(query)
    except SearchUnavailable as exc:
        log.warning("search: index unavailable (%s); answering from the database", exc)
        found = database_search(query)
        results.degraded = True
    results.total = found.total
    results.facets = found.facets
    results.approximate = found.approximate
    terms = {fold(t.word) for g in groups for t in g.terms if t.weight >= 1}  # fillers ("cho", "có") unmarked
    results.hits = _load_hits(found.hits, terms)
    return results


def _load_hits(backend_hits, terms):
    """SearchHits for backend hits, in order; hits whose row is no longer public are left out (index lag)."""
    listing_ids = [i for t, i in (parse_key(h.key) for h in backend_hits) if t == "listing"]
    org_ids = [i for t, i in (parse_key(h.key) for h in backend_hits) if t == "org"]
    listings = {x.id: x for x in db.session.scalars(db.select(Listing).where(Listing.id.in_(listing_ids)))} \
        if listing_ids else {}
    orgs = {x.id: x for x in db.session.scalars(db.select(Organization).where(Organization.id.in_(org_ids)))} \
        if org_ids else {}
    hits = []
    for h in backend_hits:
        doc_type, doc_id = parse_key(h.key)
        if doc_type == "listing":
            obj = listings.get(doc_id)
            if obj is None or obj.status not in SEARCHABLE_STATUSES:
                continue
            hits.append(SearchHit(
                kind=obj.kind, id=obj.id, ref=obj.ref, title=obj.title, score=round(h.score, 4),
                title_html=highlight(obj.title, terms), highlight=highlight(obj.summary, terms, SNIPPET_CHARS),
                url=url_for("listings.detail", listing_id=obj.id), obj=obj))
        else:
            obj = orgs.get(doc_id)
            if obj is None or obj.kind == "department":
                continue
            hits.append(SearchHit(
                kind="org", id=obj.id, ref=None, title=obj.name, score=round(h.score, 4),
                title_html=highlight(obj.name, terms),
                highlight=highlight(obj.description, terms, SNIPPET_CHARS),
                url=url_for("accounts.org_detail", org_id=obj.id), obj=obj))
    return hits


# --- facets for the page -------------------------------------------------------------------------------

FACET_ARGS = {"kind": "kind", "sector_group": "sector_code", "sector_code": "sector_code", "trl_band": "trl_band",
              "transfer_mode": "transfer_mode", "locality_code": "locality", "owner_kind": "owner_kind",
              "ip_type": "ip_type"}


def facet_panels(results):
    """[(facet, title, [(value, label, count, active)])] for the page: values with results, most first."""
    from flask_babel import lazy_gettext as _l

    from marketplace.accounts.labels import ORG_KIND_LABELS
    from marketplace.listings.models import IP_TYPE_LABELS, KIND_LABELS, TRANSFER_MODE_LABELS

    sectors = {s.code: s.name for s in db.session.scalars(db.select(Sector))}
    localities = {loc.code: loc.name_vi for loc in db.session.scalars(db.select(Locality))}
    kind_labels = {**KIND_LABELS, "org": _l("Organisation")}
    panels = (
        ("kind", _l("Kind"), kind_labels),
        ("sector_group", _l("Field of science"), sectors),
        ("sector_code", _l("Sector"), sectors),
        ("trl_band", _l("Readiness (TRL)"), {b: "TRL " + b for b in TRL_BANDS}),
        ("transfer_mode", _l("Transfer form"), TRANSFER_MODE_LABELS),
        ("locality_code", _l("Locality"), localities),
        ("owner_kind", _l("Owner"), ORG_KIND_LABELS),
        ("ip_type", _l("IP type"), IP_TYPE_LABELS),
    )
    out = []
    for name, title, labels in panels:
        counts = results.facets.get(name) or {}
        arg = FACET_ARGS[name]
        current = getattr(results.args, arg)
        if name == "sector_code" and len(current) == 1:
            current = ""
        if name == "sector_group" and len(current) > 1:
            continue
        values = [(value, labels.get(value, value), count, value == current)
                  for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]
        if values or current:
            out.append((arg, title, values))
    return out
