"""The contract every search backend keeps; the contract tests in tests/search/test_backends.py check it."""
from dataclasses import dataclass, field


@dataclass
class QueryTerm:
    """A word to look for and how much it counts (1 for a query word, less for fillers and expansions)."""

    word: str
    weight: float = 1.0


@dataclass
class QueryGroup:
    """Words read together: adjacent words also count as a pair ("máy sấy")."""

    terms: list
    weight: float = 1.0


@dataclass
class BackendQuery:
    """What a backend is asked: any document matching any term (not every word has to match), ranked by
    relevance (exact spelling above folded, adjacent pairs above scattered words) or newest first.

    No groups means "everything that passes the filters". `filters` maps a facet name to the wanted value
    ("kind" may be a list: any of them). `kind_boost` multiplies the relevance of documents of a kind
    ({"offer": 1.3}: a question asks for solutions)."""

    groups: list = field(default_factory=list)
    filters: dict = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: tuple = ()
    kind_boost: dict = field(default_factory=dict)


@dataclass
class BackendHit:
    """A matching document: its key ("listing:12", "org:3") and score (higher is better)."""

    key: str
    score: float


@dataclass
class BackendResult:
    """One page of hits, the total and the facet counts ({facet: {value: count}}). `approximate` is True when
    the total and the counts were estimated from part of a very large match (show "about N")."""

    total: int
    hits: list
    facets: dict = field(default_factory=dict)
    approximate: bool = False


class SearchUnavailable(Exception):
    """The index is missing or broken; search falls back to the database."""


class SearchBackend:
    """Index, delete, search, rebuild, health. Writers take the backend's lock through `batch()`."""

    name = "base"

    def batch(self, session):
        """A context manager that holds the writer lock and yields an object with `upsert(documents)` and
        `delete(keys)`; changes are committed when the block ends without error. `session` is the database
        session that reads the outbox (a database-backed index writes in its transaction)."""
        raise NotImplementedError

    def search(self, query):
        """A BackendResult for a BackendQuery; raises SearchUnavailable when the index cannot answer."""
        raise NotImplementedError

    def rebuild(self, count, documents, progress=None):
        """Build a fresh index from `documents` (an iterable of `count` Documents) and replace the old one
        when done; `progress(n)` is called as documents are added."""
        raise NotImplementedError

    def exists(self):
        """True when the index has been built."""
        raise NotImplementedError

    def health(self):
        """("ok" | "degraded", a short detail)."""
        raise NotImplementedError

    def vocabulary(self):
        """{word: number of documents} for every indexed word, exact and folded (for reading queries)."""
        raise NotImplementedError

    def pair_frequency(self, first, second):
        """In how many documents the folded words stand side by side ("nong", "san"); 0 when unknown.
        Search uses it to accept a spelling correction that fits its neighbours."""
        return 0

    def keys(self):
        """Every key in the index (to check it equals the database)."""
        raise NotImplementedError

    def close(self):
        """Release files and connections."""
