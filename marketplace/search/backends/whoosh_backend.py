"""The embedded default: a Whoosh index in a folder (SEARCH_INDEX_DIR, under the instance folder).

One writer at a time (a file lock beside the folder, taken with a timeout); one searcher per process, reopened
only when the index has changed rather than per request (opening costs ~0.4 s at 100k documents). A rebuild writes a fresh
index beside the old one and swaps the folders when done; a `build-id` file tells other processes to reopen.

Whoosh stores the index and analyses the text; searches are answered by whoosh_engine (masks and BM25F over
posting lists kept per segment), which gives Whoosh's own scores at a fraction of its matcher tree's cost:
p95 481 ms -> 32 ms at 20,000 listings (bench/search_speed.py).
"""
import os
import shutil
import threading
import uuid
from contextlib import contextmanager

from marketplace.core.text import fold
from marketplace.search.analysis import whoosh_analyzers
from marketplace.search.backends.base import BackendHit, BackendResult, SearchBackend, SearchUnavailable
from marketplace.search.backends.whoosh_engine import Clause, Segments, best, members

BUILD_ID_FILE = "build-id"
SINGLE_FACETS = ("kind", "sector_group", "sector_code", "trl_band", "locality_code", "owner_kind", "ip_type")
MULTI_FACETS = ("transfer_mode",)

# How much each field counts. Exact spellings add to the folded score, so "mát" ranks a "mát" listing above a
# "mặt" one; pairs of adjacent syllables count more than the same syllables apart.
FIELD_WEIGHTS = {"title": 2.0, "keywords": 1.5, "body": 1.0}
FOLDED_SHARE = 0.3
EXACT_BONUS = 0.6
PAIR_WEIGHT = 6.0
# A word in more documents than this share (and COMMON_MIN_DOCS) only adds to the score of what rarer words match.
COMMON_SHARE = 0.05
COMMON_MIN_DOCS = 500
# Rebuild with one writer process per core (this machine has two).
REBUILD_PROCS = max(min(os.cpu_count() or 1, 4), 1)

_cache_lock = threading.Lock()
_open = {}  # index folder -> {"ix", "searcher", "build_id"} for this process


def _schema():
    """Fields: exact and folded text, syllable pairs, facet codes and the publication time."""
    from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema

    a = whoosh_analyzers()
    fields = {
        "key": ID(stored=True, unique=True),
        "ts": NUMERIC(bits=64, sortable=True),
        "transfer_mode": KEYWORD(commas=True),
        "pairs_f": TEXT(analyzer=a["pairs_folded"], phrase=False),
    }
    for name in FIELD_WEIGHTS:
        fields[name] = TEXT(analyzer=a["exact"], phrase=False)
        fields[name + "_f"] = TEXT(analyzer=a["folded"], phrase=False)
    for name in SINGLE_FACETS:
        fields[name] = ID(sortable=True)
    return Schema(**fields)


def _fields(doc):
    """The Whoosh fields of a Document."""
    text = {"title": doc.title, "keywords": ", ".join(v for v in (doc.ref, doc.keywords) if v), "body": doc.body}
    fields = {"key": doc.key, "ts": doc.timestamp, "transfer_mode": ",".join(doc.facets.get("transfer_mode") or [])}
    for name, value in text.items():
        fields[name] = value or ""
        fields[name + "_f"] = value or ""
    joined = "\n".join(v for v in (doc.ref, doc.title, doc.keywords, doc.body) if v)
    fields["pairs_f"] = joined
    for name in SINGLE_FACETS:
        fields[name] = str(doc.facets.get(name) or "")
    return fields


class WhooshBackend(SearchBackend):
    """Search backed by a Whoosh index folder."""

    name = "whoosh"

    def __init__(self, path, lock_timeout=5.0):
        self.path = path
        self.lock_timeout = lock_timeout

    # --- opening ---------------------------------------------------------------------------------------

    def exists(self):
        """True when the folder holds an index."""
        from whoosh import index

        try:
            return os.path.isdir(self.path) and index.exists_in(self.path)
        except Exception:  # an unreadable folder is no index
            return False

    def _build_id(self):
        try:
            with open(os.path.join(self.path, BUILD_ID_FILE), encoding="ascii") as fh:
                return fh.read().strip()
        except OSError:
            return ""

    def _index(self):
        from whoosh import index

        return index.open_dir(self.path)

    def create_empty(self):
        """Create an empty index (for a fresh site with nothing to index)."""
        from whoosh import index

        os.makedirs(self.path, exist_ok=True)
        index.create_in(self.path, _schema())
        self._write_build_id(self.path)

    @staticmethod
    def _write_build_id(path):
        with open(os.path.join(path, BUILD_ID_FILE), "w", encoding="ascii") as fh:
            fh.write(uuid.uuid4().hex)

    @contextmanager
    def _searcher(self):
        """This process's searcher, reopened when the index changed; held under a lock (reopening closes the old)."""
        with _cache_lock:
            try:
                entry = _open.get(self.path)
                build_id = self._build_id()
                if entry is None or entry["build_id"] != build_id:
                    if not self.exists():
                        raise SearchUnavailable("no index")
                    ix = self._index()
                    entry = {"ix": ix, "searcher": ix.searcher(), "build_id": build_id, "segments": Segments(),
                             "view": None}
                    _open[self.path] = entry
                elif entry["ix"].latest_generation() != entry["searcher"].reader().generation():
                    # A fresh searcher, not Searcher.refresh(): whoosh-reloaded 2.7.5 reuses segment readers
                    # whose deletions are stale and keeps merged-away segments, so deleted documents live on.
                    entry["searcher"].close()
                    entry["searcher"] = entry["ix"].searcher()
                    entry["view"] = None
                yield entry["searcher"]
            except SearchUnavailable:
                raise
            except Exception as exc:  # a broken index must not become an error page
                _open.pop(self.path, None)
                raise SearchUnavailable(str(exc)) from exc

    def _view(self, searcher):
        """The engine's view of this process's searcher (called under the searcher lock)."""
        entry = _open[self.path]
        if entry["view"] is None or entry["view"].searcher is not searcher:
            entry["view"] = entry["segments"].view(searcher)
        return entry["view"]

    def close(self):
        """Forget this process's searcher."""
        with _cache_lock:
            entry = _open.pop(self.path, None)
        if entry:
            try:
                entry["searcher"].close()
            except Exception:  # closing a broken searcher is best effort
                pass

    # --- writing ---------------------------------------------------------------------------------------

    @contextmanager
    def _write_lock(self, timeout):
        """The lock every writer of this index holds: a file beside the folder, so that it outlives a swap."""
        from whoosh.index import LockError
        from whoosh.util.filelock import FcntlLock, try_for

        os.makedirs(os.path.dirname(os.path.abspath(self.path)) or ".", exist_ok=True)
        lock = FcntlLock(self.path + ".lock")
        if not try_for(lock.acquire, timeout=timeout, delay=0.05):
            raise LockError(f"the search index {self.path} is locked by another writer")
        try:
            yield
        finally:
            lock.release()

    @contextmanager
    def batch(self, session=None):
        """Hold the index's writer; commit on success, cancel on error. Raises whoosh LockError on timeout."""
        with self._write_lock(self.lock_timeout):
            if not self.exists():
                self.create_empty()
            writer = self._index().writer(timeout=self.lock_timeout, delay=0.05)
            ops = _WhooshBatch(writer)
            try:
                yield ops
            except BaseException:
                writer.cancel()
                raise
            if ops.changed:
                writer.commit()
            else:
                writer.cancel()

    def rebuild(self, count, documents, progress=None):
        """Write a fresh index beside the old one, then swap folders. The writers' lock is held meanwhile, so
        no change is written to an index about to be replaced: such changes stay in the outbox."""
        with self._write_lock(max(self.lock_timeout, 120.0)):
            return self._rebuild(documents, progress)

    def _rebuild(self, documents, progress):
        from whoosh import index

        fresh = self.path + ".new-" + uuid.uuid4().hex[:8]
        try:
            os.makedirs(fresh)
            ix = index.create_in(fresh, _schema())
            writer = ix.writer(limitmb=128, procs=REBUILD_PROCS, multisegment=REBUILD_PROCS > 1)
            done = 0
            for doc in documents:
                writer.add_document(**_fields(doc))
                done += 1
                if progress:
                    progress(done)
            writer.commit()
            self._write_build_id(fresh)
            retired = None
            if os.path.exists(self.path):
                retired = self.path + ".old-" + uuid.uuid4().hex[:8]
                os.rename(self.path, retired)
            os.rename(fresh, self.path)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        if retired:
            shutil.rmtree(retired, ignore_errors=True)
        return done

    # --- reading ---------------------------------------------------------------------------------------

    def search(self, query):
        """Run a BackendQuery (whoosh_engine: masks for matching and counting, BM25F over the matches only)."""
        with self._searcher() as searcher:
            view = self._view(searcher)
            allowed = view.live & _filter_mask(view, query.filters)
            page, per_page = max(query.page, 1), query.per_page
            wanted = page * per_page
            plans = _query_plans(query.groups, searcher, view)
            for match, scoring in plans:
                match &= allowed
                if match.bit_count() >= per_page:
                    # Enough for a first page: the next, broader plan would only cost time. Chosen by the first
                    # page, not this one, so that every page of a search shows the same total and counts.
                    break
            total = match.bit_count()
            if query.sort == "newest" or not scoring:
                ranked = [(doc, 0.0) for doc in _newest_first(view, match, wanted)]
            else:
                scores = {}
                for clauses, condition in scoring:
                    docs = view.split(match if condition is None else match & condition)
                    for clause in clauses:
                        view.add_scores(scores, clause, docs)
                if query.kind_boost:
                    kinds = view.values("kind")
                    for doc, score in scores.items():
                        scores[doc] = score * query.kind_boost.get(kinds[doc], 1.0)
                ranked = best(scores, wanted)
            hits = [BackendHit(key=searcher.stored_fields(doc)["key"], score=float(score))
                    for doc, score in ranked[(page - 1) * per_page:wanted]]
            facets = _facet_counts(view, match, query.facets)
            _open[self.path]["segments"].trim()
        return BackendResult(total=total, hits=hits, facets=facets)

    def vocabulary(self):
        """{word: document frequency} over exact and folded title, keyword and body words."""
        with self._searcher() as searcher:
            names = [field for name in FIELD_WEIGHTS for field in (name, name + "_f")]
            return self._view(searcher).vocabulary(names)

    def pair_frequency(self, first, second):
        """Documents where the folded words stand side by side."""
        with self._searcher() as searcher:
            return searcher.doc_frequency("pairs_f", f"{first}_{second}")

    def keys(self):
        """Every key in the index."""
        with self._searcher() as searcher:
            return {fields["key"] for fields in searcher.all_stored_fields()}

    def health(self):
        """"ok" with the document count, or "degraded" with why."""
        try:
            with self._searcher() as searcher:
                return "ok", f"whoosh, {searcher.doc_count()} documents"
        except SearchUnavailable as exc:
            return "degraded", f"whoosh index unavailable: {exc}"


class _WhooshBatch:
    """The writes of one batch."""

    def __init__(self, writer):
        self.writer = writer
        self.changed = False

    def upsert(self, documents):
        """Add or replace documents."""
        for doc in documents:
            self.writer.update_document(**_fields(doc))
            self.changed = True

    def delete(self, keys):
        """Remove documents by key (unknown keys are ignored)."""
        for key in keys:
            self.writer.delete_by_term("key", key)
            self.changed = True


def _word_terms(word, weight):
    """One word's (field, text, boost) terms. Typed without diacritics, it matches the folded fields in full.
    Typed with them, the exact spelling counts in full and a folded look-alike only in part, so "sắt" ranks
    "sắt" above "giám sát"."""
    folded = fold(word)
    if folded == word:
        return [(name + "_f", folded, w * weight) for name, w in FIELD_WEIGHTS.items()]
    return ([(name, word, w * weight * (1 - FOLDED_SHARE)) for name, w in FIELD_WEIGHTS.items()]
            + [(name + "_f", folded, w * weight * FOLDED_SHARE) for name, w in FIELD_WEIGHTS.items()])


def _document_frequency(searcher, word):
    """In about how many documents a word occurs (its most common field)."""
    folded = fold(word)
    return max(searcher.doc_frequency(name + "_f", folded) for name in FIELD_WEIGHTS)


def _query_plans(groups, searcher, view):
    """[(match mask, scoring)] to try in turn, narrowest first; each matches more documents than the one before.
    `scoring` is [(clauses, mask or None)]: each clause adds its score to the matches (within the mask).

    Any of the words may match (a long question need not match whole), but on a large exchange most syllables
    ("máy", "công", "nghệ") occur in thousands of listings. As Elasticsearch's common-terms query does, rare
    words (in fewer than COMMON_SHARE of the documents, and never fewer than COMMON_MIN_DOCS) and rare pairs
    decide what matches, and common words only add to the score. When that finds less than a page, every
    content word of the query must match; then, last, any word. On a small exchange every word is rare and the
    first plan is plain "any word". The scores are those Whoosh gave the same plans as queries
    (AndMaybe(Or(rare), Or(common)); AndMaybe(Or([And(required)] + rare), Or(everything)); Or(everything)).

    An expansion (glossary, abbreviation) stands for a query word, so a document holding its whole phrase (every
    adjacent pair) decides a match too, however common the phrase's words: "XLNT" is rare as written, but the
    listings that spell out "xử lý nước thải" are the ones wanted (bench/search_quality.py --scale 20000)."""
    if not groups:
        return [(view.live, [])]
    cutoff = max(COMMON_MIN_DOCS, COMMON_SHARE * searcher.doc_count())
    rare, common, required = [], [], []
    phrases = 0
    for group in groups:
        if group is not groups[0] and len(group.terms) > 1:
            whole = view.live
            for a, b in zip(group.terms, group.terms[1:]):
                whole &= view.term_mask("pairs_f", fold(a.word) + "_" + fold(b.word))
            phrases |= whole
        for term in group.terms:
            if _document_frequency(searcher, term.word) < cutoff:
                clause = Clause(_word_terms(term.word, term.weight * group.weight))
                rare.append(clause)
            else:  # a common word only scores; its folded fields are enough for that, and half the work
                clause = Clause(_word_terms(fold(term.word), term.weight * group.weight))
                common.append(clause)
            if group is groups[0] and term.weight >= 1:
                required.append(clause)
        for a, b in zip(group.terms, group.terms[1:]):
            text = fold(a.word) + "_" + fold(b.word)
            pair = Clause([("pairs_f", text, PAIR_WEIGHT * min(a.weight, b.weight) * group.weight)])
            (rare if searcher.doc_frequency("pairs_f", text) < cutoff else common).append(pair)
    everything = rare + common

    def any_of(clauses):
        mask = 0
        for clause in clauses:
            mask |= view.clause_mask(clause)
        return mask

    plans = []
    deciders = any_of(rare) | phrases
    if deciders and common:
        plans.append((deciders, [(everything, None)]))
    if common and len(required) > 1:
        all_required = view.live
        for clause in required:
            all_required &= view.clause_mask(clause)
        plans.append((all_required | deciders, [(required, all_required), (rare, None), (everything, None)]))
    plans.append((any_of(everything), [(everything, None)]))
    return plans


def _filter_mask(view, filters):
    """The documents passing the filters (a list of values: any of them); every document without filters."""
    mask = -1
    for name, value in (filters or {}).items():
        if value in (None, "", [], ()):
            continue
        values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        part = 0
        for v in values:
            if name in SINGLE_FACETS:
                part |= view.value_masks(name).get(v, 0)
            else:
                part |= view.term_mask(name, v)
        mask &= part
    return mask


def _newest_first(view, match, count):
    """The first `count` matching document numbers, newest first."""
    import heapq

    if not count or not match:
        return []
    rank = view.newest_rank()
    return heapq.nsmallest(count, members(match), key=rank.__getitem__)


def _facet_counts(view, match, names):
    """{facet: {value: count}} of the matches, for the facets asked for (empty values left out)."""
    facets = {}
    for name in names:
        if name in SINGLE_FACETS:
            masks = view.value_masks(name).items()
        elif name in MULTI_FACETS:
            masks = ((value, view.term_mask(name, value)) for value in view.keyword_values(name))
        else:
            continue
        counts = {}
        for value, mask in masks:
            if value:
                n = (match & mask).bit_count()
                if n:
                    counts[value] = n
        facets[name] = counts
    return facets
