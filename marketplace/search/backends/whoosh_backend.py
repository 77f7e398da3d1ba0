"""The embedded default: a Whoosh index in a folder (SEARCH_INDEX_DIR, under the instance folder).

One writer at a time (a file lock beside the folder, taken with a timeout); one searcher per process, reopened
only when the index has changed rather than per request (opening costs ~0.4 s at 100k documents). A rebuild writes a fresh
index beside the old one and swaps the folders when done; a `build-id` file tells other processes to reopen.
"""
import os
import shutil
import threading
import uuid
from contextlib import contextmanager

from marketplace.core.text import fold
from marketplace.search.analysis import whoosh_analyzers
from marketplace.search.backends.base import BackendHit, BackendResult, SearchBackend, SearchUnavailable

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
                    entry = {"ix": ix, "searcher": ix.searcher(), "build_id": build_id}
                    _open[self.path] = entry
                elif entry["ix"].latest_generation() != entry["searcher"].reader().generation():
                    # A fresh searcher, not Searcher.refresh(): whoosh-reloaded 2.7.5 reuses segment readers
                    # whose deletions are stale and keeps merged-away segments, so deleted documents live on.
                    entry["searcher"].close()
                    entry["searcher"] = entry["ix"].searcher()
                yield entry["searcher"]
            except SearchUnavailable:
                raise
            except Exception as exc:  # a broken index must not become an error page
                _open.pop(self.path, None)
                raise SearchUnavailable(str(exc)) from exc

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
        """Run a BackendQuery."""
        from whoosh.sorting import Count, FieldFacet

        filt = _whoosh_filter(query.filters)
        with self._searcher() as searcher:
            single = [f for f in query.facets if f in SINGLE_FACETS]
            # Whoosh's grouping, not arrays of the facet columns: it fills the set of matching documents while
            # collecting, where results.docs() without it runs the query a second time (p95 477 vs 567 ms at 20k).
            kwargs = {"filter": filt, "groupedby": {name: FieldFacet(name, maptype=Count) for name in single} or None}
            if query.sort == "newest" or not query.groups:
                kwargs.update(sortedby="ts", reverse=True)
            wanted = max(query.page, 1) * query.per_page
            for q in _query_plans(query.groups, searcher):
                page = searcher.search_page(q, max(query.page, 1), pagelen=query.per_page, **kwargs)
                if len(page.results) >= wanted:
                    break  # enough for this page: the next, broader plan would only cost time
            results = page.results
            total = len(results)
            hits = [BackendHit(key=hit["key"], score=float(hit.score or 0.0)) for hit in page]
            if page.pagenum != max(query.page, 1):
                hits = []  # past the last page (Whoosh would quietly answer the last one again)
            facets = {name: {k: v for k, v in results.groups(name).items() if k} for name in single}
            facets.update(_count_multi_facets(searcher, results, [f for f in query.facets if f in MULTI_FACETS]))
        return BackendResult(total=total, hits=hits, facets=facets)

    def vocabulary(self):
        """{word: document frequency} over exact and folded title, keyword and body words."""
        vocab = {}
        with self._searcher() as searcher:
            reader = searcher.reader()
            for name in FIELD_WEIGHTS:
                for field in (name, name + "_f"):
                    for term, info in reader.iter_field(field):
                        word = term.decode("utf-8") if isinstance(term, bytes) else term
                        vocab[word] = max(vocab.get(word, 0), info.doc_frequency())
        return vocab

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


def _term_query(word, weight):
    """One word. Typed without diacritics, it matches the folded fields in full. Typed with them, the exact
    spelling counts in full and a folded look-alike only in part, so "sắt" ranks "sắt" above "giám sát"."""
    from whoosh import query as wq

    folded = fold(word)
    if folded == word:
        return [wq.Term(name + "_f", folded, boost=w * weight) for name, w in FIELD_WEIGHTS.items()]
    return ([wq.Term(name, word, boost=w * weight * (1 - FOLDED_SHARE)) for name, w in FIELD_WEIGHTS.items()]
            + [wq.Term(name + "_f", folded, boost=w * weight * FOLDED_SHARE) for name, w in FIELD_WEIGHTS.items()])


def _count_multi_facets(searcher, results, names):
    """{facet: {value: count}} for facets with several values per document (transfer forms)."""
    from whoosh import query as wq

    facets = {}
    if not names:
        return facets
    matched = results.docs()
    for name in names:
        facets[name] = {}
        for term in searcher.lexicon(name):
            value = term.decode("utf-8") if isinstance(term, bytes) else term
            n = sum(1 for d in searcher.docs_for_query(wq.Term(name, value)) if d in matched)
            if n:
                facets[name][value] = n
    return facets


def _pair_term(a, b, weight):
    """Two adjacent words, as a folded pair."""
    from whoosh import query as wq

    return wq.Term("pairs_f", fold(a) + "_" + fold(b), boost=PAIR_WEIGHT * weight)


def _document_frequency(searcher, word):
    """In about how many documents a word occurs (its most common field)."""
    folded = fold(word)
    return max(searcher.doc_frequency(name + "_f", folded) for name in FIELD_WEIGHTS)


def _query_plans(groups, searcher):
    """Queries to try in turn, narrowest first; each matches more documents than the one before.

    Any of the words may match (a long question need not match whole), but on a large exchange most syllables
    ("máy", "công", "nghệ") occur in thousands of listings and scoring them all is slow. As Elasticsearch's
    common-terms query does, rare words (in fewer than COMMON_SHARE of the documents, and never fewer than
    COMMON_MIN_DOCS) and rare pairs decide what matches, and common words only add to the score. When that
    finds less than the page asked for, every content word of the query must match; then, last, any word.
    On a small exchange every word is rare and the first plan is plain "any word"."""
    from whoosh import query as wq

    if not groups:
        return [wq.Every()]
    cutoff = max(COMMON_MIN_DOCS, COMMON_SHARE * searcher.doc_count())
    rare, common, required = [], [], []
    for group in groups:
        for term in group.terms:
            if _document_frequency(searcher, term.word) < cutoff:
                clause = wq.Or(_term_query(term.word, term.weight * group.weight))
                rare.append(clause)
            else:  # a common word only scores; its folded fields are enough for that, and half the work
                clause = wq.Or(_term_query(fold(term.word), term.weight * group.weight))
                common.append(clause)
            if group is groups[0] and term.weight >= 1:
                required.append(clause)
        for a, b in zip(group.terms, group.terms[1:]):
            pair = _pair_term(a.word, b.word, min(a.weight, b.weight) * group.weight)
            (rare if searcher.doc_frequency("pairs_f", pair.text) < cutoff else common).append(pair)
    everything = wq.Or(rare + common)
    plans = []
    if rare and common:
        plans.append(wq.AndMaybe(wq.Or(rare), wq.Or(common)))
    if common and len(required) > 1:
        plans.append(wq.AndMaybe(wq.Or([wq.And(required)] + rare), everything))
    plans.append(everything)
    return plans


def _whoosh_filter(filters):
    """An And of the filters, or None."""
    from whoosh import query as wq

    parts = []
    for name, value in (filters or {}).items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            parts.append(wq.Or([wq.Term(name, str(v)) for v in value]))
        else:
            parts.append(wq.Term(name, str(value)))
    return wq.And(parts) if parts else None
