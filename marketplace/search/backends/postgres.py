"""PostgreSQL full-text search (SEARCH_BACKEND=postgres): the index is three tables in the application database.

Words are cut in Python by marketplace.search.analysis (words(), fold(), pairs()), the same code the Whoosh
backend indexes with, and stored as tsvector literals: lexemes as given, with positions and weights (A title,
B keywords, C body). So both backends tokenise identically, and neither the database's locale nor a text search
configuration plays a part (the default parser's idea of a letter depends on LC_CTYPE). For the same reason no
unaccent dictionary is needed: folding is core.text.fold() on both sides. pg_trgm serves spelling suggestions.

- search_document: one row per document: facet columns, the publication time and three tsvectors. `folded`
  holds the folded words (A title, B keywords, C body) and folded syllable pairs (D; "_" keeps them apart from
  words), and has the GIN index every match uses, and a partial one over the sample (every SAMPLE-th doc_id)
  that counts matches; `exact` the words and pairs that carry diacritics; `head` the title and keyword words
  and pairs, kept in the row for choosing candidates cheaply. The big vectors live out of line
  (toast_tuple_target), so scanning the matches reads narrow rows. Two indexes in publication order, newest
  first: a narrow one, and one that also holds the key, the facets and `head` (a walk over the newest reads
  it alone; a rebuild writes its rows frozen, so the visibility map says so from the start).
- search_vocabulary: word -> number of documents holding it (exact and folded forms), kept exact on every
  write and rebuilt with the index; its trigram index answers suggest().
- search_document_state: one row once the index has been built (by a rebuild or a first write, as the Whoosh
  index is created by its first write); the document count for idf.

Writers hold a transaction-level advisory lock, taken in the session that applies the outbox, so the index rows
and the outbox rows they replace commit together. A rebuild fills fresh tables in its own transaction while the
old ones keep answering, then swaps them in.

Matching, as Elasticsearch's common-terms query (_Plan.matching): a word in more documents than
max(COMMON_MIN_DOCS, COMMON_SHARE of them), counted exactly in search_vocabulary, is common; a pair of common
words is common when the planner's statistics of `folded` list it (pairs are not in the vocabulary). Per
group (the query, then each glossary or abbreviation expansion): documents holding any rare word or rare pair;
with no rare word, those holding all the group's common words (fillers only when nothing else is left) or a
rare pair; if that finds nothing at all, any word or pair (the old OR), in a second statement. Common words
still count in the rank of what matches. On a small index (the demo) nothing is common and this is the OR.

Ranking follows the Whoosh backend: per query word, ts_rank over the folded words (field weights 3/2/1), plus
EXACT_BONUS of it over the exact words when the word carries diacritics, plus PAIR_WEIGHT for adjacent pairs;
each multiplied by the term's and group's weight and by an idf from search_vocabulary (ts_rank has none), and
the whole by the query's kind_boost for the document's kind.

Two shapes of statement, chosen by the number of matches (EXACT_LIMIT): reading a match costs a few
microseconds, so 100,000 of them cannot be read in 50 ms. On an index of SAMPLE_FROM documents or more the
matches are counted on the sample (a statement of its own, ~1 ms) and multiplied by SAMPLE, which sees how the
words go together, in phrases or scattered through the text; the vocabulary's word counts cannot (the planner's
statistics know a few common pairs only), and an estimate too low once read 130,000 matches for "KH&CN".
- Exact: the matches (GIN bitmap) with their facet columns and a cheap score from `head`; facet counts and the
  total over all of them in one grouping-sets pass; the exact rank for the best CANDIDATES by the cheap score.
  With fewer matches than CANDIDATES the order is exact; beyond, a match found only in bodies may be left out
  of the first pages (it still counts in the total and facets).
- Window: walking the covering ts index newest first over at most WINDOW_SCAN entries, the first WINDOW that
  pass the filters and hold the match in their title or keywords (`head`) are read; the hits are the
  best of them by the same two phases (newest first: the page of every match, the walk stopping at its end).
  The total is the estimate times the share of walked rows the filters let through, the facet counts are
  the window's scaled to it, and the result is flagged approximate ("about N"). A window that holds nothing
  is walked again over the newest BODY_SCAN documents testing all their words (their vectors fetched out of
  line, some microseconds each; only when enough of them should pass the filters), and if that holds nothing
  either, the exact statement answers. Searches without words (browsing with filters) use the window once the
  index holds more than EXACT_LIMIT documents.
"""
import math
import time
import unicodedata
import uuid
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.orm import Session

from marketplace.core.text import fold
from marketplace.extensions import db
from marketplace.search.analysis import pairs, words
from marketplace.search.backends.base import BackendHit, BackendResult, SearchBackend, SearchUnavailable
from marketplace.search.backends.whoosh_backend import EXACT_BONUS, FIELD_WEIGHTS, PAIR_WEIGHT

DOCUMENTS = "search_document"
VOCABULARY = "search_vocabulary"
STATE = "search_document_state"
FRESH = "_new"  # suffix of the tables a rebuild fills before the swap
# Facet columns (the schema: a change here needs a migration). One value each, and the transfer modes (many).
SINGLE_FACETS = ("kind", "sector_group", "sector_code", "trl_band", "locality_code", "owner_kind", "ip_type")
MULTI_FACETS = ("transfer_mode",)

# pg_advisory_xact_lock key held by every writer ("search" in ASCII).
LOCK_KEY = 0x736561726368

# tsvector limits: a lexeme is at most 2047 bytes, a position at most 16383, 256 positions per lexeme, and the
# lexemes of one vector at most 1 MB. Longer words are not indexed (and so cannot be searched for).
MAX_LEXEME_BYTES = 1000
MAX_POSITION = 16383
MAX_POSITIONS = 255
MAX_VECTOR_BYTES = 512 * 1024
# The head vector stays in the row (STORAGE PLAIN) and in the ts index (INCLUDE), whose entries must stay under
# 2,704 bytes (a B-tree's limit) with the facet columns (at most ~1 kB): titles and keywords are short (a few
# hundred bytes), but a bound keeps the entry in whatever is written.
MAX_HEAD_BYTES = 1500
MAX_TRANSFER_MODES = 20
# The cheap score that picks candidates tests this many of the heaviest terms.
PROXY_TERMS = 16
# A query's rank adds up one ts_rank per distinct term; the heaviest terms count, the rest still match.
MAX_RANKED_TERMS = 32
MAX_MATCH_TERMS = 512
# Exact ranking is computed for this many candidates at most, picked by a cheap score over titles and keywords.
CANDIDATES = 400
# Common-terms matching: a word in more documents than max(COMMON_MIN_DOCS, COMMON_SHARE of them) is common.
COMMON_SHARE = 0.02
COMMON_MIN_DOCS = 2000
# A search whose matches are estimated above EXACT_LIMIT reads a window instead of every match: the newest
# WINDOW documents (among the newest WINDOW_SCAN) holding the words in their title or keywords.
EXACT_LIMIT = 2000
WINDOW = 1000
WINDOW_SCAN = 6000
# A window that finds no match in titles or keywords walks this many of the newest documents again, testing all
# their words (their out-of-line vectors cost microseconds each).
BODY_SCAN = 1500
# Seconds the most common lexemes read from the planner's statistics (for pair frequencies) are reused.
STATS_TTL = 300.0
# Matches are counted on a sample, the documents whose doc_id is a multiple of SAMPLE (a partial GIN index holds
# only them), once the index holds SAMPLE_FROM documents; on a smaller one the vocabulary's counts estimate them.
SAMPLE = 64
SAMPLE_FROM = 20_000
# pair_frequency() counts up to this many documents, and estimates on the sample beyond; it keeps this many answers.
PAIR_COUNTED = 1000
MAX_PAIR_COUNTS = 10_000

FIELD_LETTERS = {"title": "A", "keywords": "B", "body": "C"}
PAIR_LETTER = "D"
_TOP_WEIGHT = max(FIELD_WEIGHTS.values())
# ts_rank weights are given for {D, C, B, A}: body, keywords and title relative to the title; pairs are D.
_FIELD_RANK_WEIGHTS = "'{0, %g, %g, 1}'::float4[]" % (FIELD_WEIGHTS["body"] / _TOP_WEIGHT,
                                                     FIELD_WEIGHTS["keywords"] / _TOP_WEIGHT)
_PAIR_RANK_WEIGHTS = "'{1, 0, 0, 0}'::float4[]"

VECTORS = ("head", "folded", "exact")
# What the ts index holds besides its keys (INCLUDE): all that a walk over the newest documents reads.
_COVERED = ("key", "kind", "doc_id", "ts", *[f for f in SINGLE_FACETS if f != "kind"], *MULTI_FACETS, "head")
DOCUMENT_COLUMNS = ("key", "kind", "doc_id", *[f for f in SINGLE_FACETS if f != "kind"], "transfer_mode", "ts",
                    *VECTORS)


# --- schema --------------------------------------------------------------------------------------------

def _document_table(table):
    """CREATE TABLE for the documents table called `table`.

    `folded` holds every folded word (weights A/B/C by field) and folded syllable pair (D); `exact` the words and
    pairs that carry diacritics, as typed; `head` (no positions) the folded and accented words of the title and
    keywords and the folded pairs among them, for choosing candidates cheaply. toast_tuple_target keeps the big
    vectors out of line, so scanning the matches for facets and candidates reads narrow rows."""
    facets = "".join(f"    {name} text NOT NULL DEFAULT '',\n" for name in SINGLE_FACETS if name != "kind")
    return (f"CREATE TABLE IF NOT EXISTS {table} (\n"
            "    key text NOT NULL,\n"
            "    kind text NOT NULL,\n"
            "    doc_id integer NOT NULL,\n"
            f"{facets}"
            "    transfer_mode text[] NOT NULL DEFAULT '{}',\n"
            "    ts bigint NOT NULL DEFAULT 0,\n"
            "    head tsvector NOT NULL,\n"
            "    folded tsvector NOT NULL,\n"
            "    exact tsvector NOT NULL,\n"
            f"    CONSTRAINT pk_{table} PRIMARY KEY (key)\n"
            ") WITH (toast_tuple_target = 128)")


def _document_storage(table):
    """Keep what every matched row is read for (the head vector, the transfer modes) in the row, uncompressed:
    toast_tuple_target would otherwise move it out of line, and each test of it would fetch it again."""
    return [f"ALTER TABLE {table} ALTER COLUMN head SET STORAGE PLAIN, ALTER COLUMN transfer_mode SET STORAGE PLAIN"]


def _document_indexes(table):
    """{index name: CREATE INDEX} for the documents table called `table`."""
    return {
        f"ix_{table}_folded": f"CREATE INDEX IF NOT EXISTS ix_{table}_folded ON {table} USING gin (folded)",
        f"ix_{table}_folded_sample": f"CREATE INDEX IF NOT EXISTS ix_{table}_folded_sample ON {table} "
                                     f"USING gin (folded) WHERE doc_id % {SAMPLE} = 0",
        f"ix_{table}_transfer_mode":
            f"CREATE INDEX IF NOT EXISTS ix_{table}_transfer_mode ON {table} USING gin (transfer_mode)",
        f"ix_{table}_ts": f"CREATE INDEX IF NOT EXISTS ix_{table}_ts ON {table} (ts DESC, doc_id DESC)",
        # The same order, holding all that a walk over titles and keywords reads: it reads the index alone. The
        # narrow one stays for walks that read the rows (the planner prices the wide one too high for those,
        # and would read every match instead).
        f"ix_{table}_ts_covering": f"CREATE INDEX IF NOT EXISTS ix_{table}_ts_covering ON {table} "
                                   f"(ts DESC, doc_id DESC) "
                                   f"INCLUDE ({', '.join(c for c in _COVERED if c not in ('ts', 'doc_id'))})",
    }


def _vocabulary_table(table):
    """CREATE TABLE for the vocabulary table called `table`."""
    return (f"CREATE TABLE IF NOT EXISTS {table} (\n"
            "    word text NOT NULL,\n"
            "    doc_count integer NOT NULL,\n"
            f"    CONSTRAINT pk_{table} PRIMARY KEY (word)\n"
            ")")


def _vocabulary_indexes(table):
    """{index name: CREATE INDEX} for the vocabulary table called `table`."""
    return {f"ix_{table}_word_trgm":
            f"CREATE INDEX IF NOT EXISTS ix_{table}_word_trgm ON {table} USING gin (word gin_trgm_ops)"}


def schema_statements():
    """The DDL of the search tables, idempotent (IF NOT EXISTS). migrations/versions/0005 holds a frozen copy;
    tests/search/test_backends.py checks that both build the same schema."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        _document_table(DOCUMENTS),
        *_document_storage(DOCUMENTS),
        *_document_indexes(DOCUMENTS).values(),
        _vocabulary_table(VOCABULARY),
        *_vocabulary_indexes(VOCABULARY).values(),
        f"CREATE TABLE IF NOT EXISTS {STATE} (\n"
        "    id integer NOT NULL,\n"
        "    documents integer NOT NULL DEFAULT 0,\n"
        "    build_id text NOT NULL,\n"
        "    built_at timestamp with time zone NOT NULL DEFAULT now(),\n"
        f"    CONSTRAINT pk_{STATE} PRIMARY KEY (id),\n"
        f"    CONSTRAINT ck_{STATE}_one_row CHECK (id = 1)\n"
        ")",
    ]


# --- documents as rows -----------------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def _fold_word(word):
    """fold() of one word, cached: a rebuild folds the same few thousand words millions of times."""
    return fold(word)


def _indexable(word):
    """Whether a word fits in a tsvector lexeme."""
    return word and "\x00" not in word and (len(word) * 4 <= MAX_LEXEME_BYTES
                                            or len(word.encode("utf-8")) <= MAX_LEXEME_BYTES)


def _quote(lexeme):
    """A lexeme as a quoted tsvector/tsquery operand: quotes and backslashes doubled."""
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return "'" + lexeme + "'"


def _vector(fields, positions=True, max_bytes=MAX_VECTOR_BYTES):
    """(tsvector literal, lexemes) of [(words, weight letter)]; positions run on across the fields."""
    entries = {}
    size = 0
    pos = 0
    for tokens, letter in fields:
        for token in tokens:
            pos = min(pos + 1, MAX_POSITION)
            entry = entries.get(token)
            if entry is None:
                if size + len(token) * 4 + 8 > max_bytes or not _indexable(token):
                    continue
                size += len(token.encode("utf-8")) + 8
                entries[token] = [(pos, letter)]
            elif positions and len(entry) < MAX_POSITIONS and entry[-1][0] != pos:
                entry.append((pos, letter))
    if positions:
        literal = " ".join(_quote(t) + ":" + ",".join(f"{p}{w}" for p, w in entry) for t, entry in entries.items())
    else:
        literal = " ".join(map(_quote, entries))
    return literal, entries.keys()


def _accented(pairs_of_words):
    """[(exact, folded)] -> the exact ones that differ from their folded form (the rest are in `folded`)."""
    return [exact for exact, folded in pairs_of_words if exact != folded]


def document_row(doc):
    """(row dict for search_document, set of vocabulary words) of a Document."""
    fields = [(words(getattr(doc, name)), FIELD_LETTERS[name]) for name in FIELD_WEIGHTS]
    folded_fields = [([_fold_word(w) for w in tokens], letter) for tokens, letter in fields]
    joined = words("\n".join(v for v in (doc.ref, doc.title, doc.keywords, doc.body) if v))
    joined_folded = [_fold_word(w) for w in joined]
    folded_pairs = pairs(joined_folded)
    folded, folded_words = _vector(folded_fields + [(folded_pairs, PAIR_LETTER)])
    exact, _ = _vector([(_accented(zip(tokens, f_tokens)), letter)
                        for (tokens, letter), (f_tokens, _) in zip(fields, folded_fields)]
                       + [(_accented(zip(pairs(joined), folded_pairs)), PAIR_LETTER)])
    head_words = fields[0][0] + fields[1][0]
    head_folded = folded_fields[0][0] + folded_fields[1][0]
    head, _ = _vector([(head_folded, ""), (_accented(zip(head_words, head_folded)), ""),
                       (pairs(head_folded), "")], positions=False, max_bytes=MAX_HEAD_BYTES)
    row = {"key": doc.key, "kind": doc.kind, "doc_id": doc.id, "ts": doc.timestamp,
           "transfer_mode": [str(m)[:40].replace(chr(31), "")
                             for m in (doc.facets.get("transfer_mode") or [])][:MAX_TRANSFER_MODES],
           "head": head, "folded": folded, "exact": exact}
    for name in SINGLE_FACETS:
        if name != "kind":
            row[name] = str(doc.facets.get(name) or "")
    vocabulary = {w for tokens, _ in fields for w in tokens if _indexable(w)}
    vocabulary.update(w for w in folded_words if "_" not in w)
    return row, vocabulary


_UPSERT = (f"INSERT INTO {DOCUMENTS} ({', '.join(DOCUMENT_COLUMNS)}) VALUES ("
           + ", ".join({"transfer_mode": "CAST(:transfer_mode AS text[])"}.get(
               c, f"CAST(:{c} AS tsvector)" if c in VECTORS else f":{c}")
               for c in DOCUMENT_COLUMNS)
           + ") ON CONFLICT (key) DO UPDATE SET "
           + ", ".join(f"{c} = EXCLUDED.{c}" for c in DOCUMENT_COLUMNS if c != "key"))


# --- the backend -----------------------------------------------------------------------------------------

class LockTimeout(RuntimeError):
    """Another writer (a rebuild, most likely) held the index longer than the timeout; the outbox rows stay."""


class PostgresBackend(SearchBackend):
    """Search backed by PostgreSQL full-text search in the application's database."""

    name = "postgres"

    def __init__(self, lock_timeout=None, statement_timeout=10.0):
        self._lock_timeout = lock_timeout
        self.statement_timeout = statement_timeout

    @property
    def lock_timeout(self):
        """Seconds a writer waits for the lock: the constructor's, else SEARCH_LOCK_TIMEOUT, else 10."""
        if self._lock_timeout is not None:
            return self._lock_timeout
        from flask import current_app

        return float(current_app.config.get("SEARCH_LOCK_TIMEOUT", 10.0))

    # --- schema and state ------------------------------------------------------------------------------

    @staticmethod
    def _require_postgres(conn):
        if conn.dialect.name != "postgresql":
            raise SearchUnavailable("the postgres search backend needs a PostgreSQL database")

    def ensure_schema(self, conn=None):
        """Create the extension, tables and indexes when missing (the migration does the same)."""
        if conn is None:
            with db.engine.begin() as own:
                return self.ensure_schema(own)
        self._require_postgres(conn)
        for statement in schema_statements():
            conn.execute(text(statement))
        return None

    def drop_schema(self):
        """Drop the search tables (tests; a fresh start). The extension stays: other things may use it."""
        with db.engine.begin() as conn:
            self._require_postgres(conn)
            conn.execute(text(f"DROP TABLE IF EXISTS {DOCUMENTS}, {VOCABULARY}, {STATE}, "
                              f"{DOCUMENTS}{FRESH}, {VOCABULARY}{FRESH}"))

    @staticmethod
    def _tables_present(conn):
        return conn.execute(text("SELECT to_regclass(:d) IS NOT NULL AND to_regclass(:v) IS NOT NULL "
                                 "AND to_regclass(:s) IS NOT NULL"),
                            {"d": DOCUMENTS, "v": VOCABULARY, "s": STATE}).scalar()

    def _state(self, conn):
        """The document count of a built index, or None when the tables are missing or were never filled."""
        if not self._tables_present(conn):
            return None
        return conn.execute(text(f"SELECT documents FROM {STATE} WHERE id = 1")).scalar()

    def exists(self):
        """True when the tables are there and the index was built (or written to)."""
        try:
            with db.engine.connect() as conn:
                if conn.dialect.name != "postgresql":
                    return False
                return self._state(conn) is not None
        except sa_exc.DBAPIError:
            return False

    def health(self):
        """"ok" with the document count, or "degraded" with why."""
        try:
            with db.engine.connect() as conn:
                self._require_postgres(conn)
                if not self._tables_present(conn):
                    return "degraded", "postgres search tables missing: run `flask db upgrade`, then " \
                                       "`flask search reindex`"
                if not conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar():
                    return "degraded", "postgres search: the pg_trgm extension is missing"
                documents = self._state(conn)
                if documents is None:
                    return "degraded", "postgres search index not built yet: run `flask search reindex`"
                return "ok", f"postgres, {documents} documents"
        except SearchUnavailable as exc:
            return "degraded", str(exc)
        except sa_exc.DBAPIError as exc:
            return "degraded", f"postgres search unavailable: {exc.orig or exc}"

    def close(self):
        """Nothing to release: connections belong to the app's engine."""

    # --- writing ---------------------------------------------------------------------------------------

    def _lock(self, conn, timeout):
        """Take the writers' transaction-level advisory lock, waiting at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        delay = 0.02
        while not conn.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": LOCK_KEY}).scalar():
            if time.monotonic() >= deadline:
                raise LockTimeout(f"the search index is busy (no lock within {timeout:g} s)")
            time.sleep(delay)
            delay = min(delay * 2, 0.25)

    @contextmanager
    def batch(self, session=None):
        """Hold the writer lock in `session`'s transaction and write there: the caller's commit commits the index
        with the outbox. Without a session the batch uses its own and commits when the block ends."""
        own = session is None
        if own:
            session = Session(db.engine)
        try:
            conn = session.connection()
            self._require_postgres(conn)
            self._lock(conn, self.lock_timeout)
            if self._state(conn) is None:  # first write: an empty index, as Whoosh creates one
                self.ensure_schema(conn)
                conn.execute(text(f"INSERT INTO {STATE} (id, documents, build_id) VALUES (1, 0, :b) "
                                  "ON CONFLICT (id) DO NOTHING"), {"b": uuid.uuid4().hex})
            yield _PostgresBatch(conn)
            _PAIR_COUNTS.clear()
            if own:
                session.commit()
        except BaseException:
            if own:
                session.rollback()
            raise
        finally:
            if own:
                session.close()

    def rebuild(self, count, documents, progress=None):
        """Fill fresh tables in one transaction, then swap them in; readers see the old index until the commit.
        Writers wait meanwhile (the lock is held throughout), so their changes stay in the outbox."""
        done = 0
        with db.engine.connect() as conn:
            self._require_postgres(conn)
            with conn.begin():
                self._lock(conn, max(self.lock_timeout, 60.0))
                if not self._tables_present(conn):  # (CREATE INDEX IF NOT EXISTS would lock the live table)
                    self.ensure_schema(conn)
                fresh_docs, fresh_vocab = DOCUMENTS + FRESH, VOCABULARY + FRESH
                conn.execute(text(f"DROP TABLE IF EXISTS {fresh_docs}, {fresh_vocab}"))
                conn.execute(text(_document_table(fresh_docs)))
                for statement in _document_storage(fresh_docs):
                    conn.execute(text(statement))
                conn.execute(text(_vocabulary_table(fresh_vocab)))
                vocabulary = Counter()
                raw = conn.connection.driver_connection
                # FREEZE (the tables are new in this transaction): the rows are visible to all from the start,
                # so the visibility map lets a walk of the ts index skip the table.
                copy_documents = f"COPY {fresh_docs} ({', '.join(DOCUMENT_COLUMNS)}) FROM STDIN WITH (FREEZE)"
                with raw.cursor() as cur:
                    with cur.copy(copy_documents) as copy:
                        for doc in documents:
                            row, vocab_words = document_row(doc)
                            copy.write_row([row[c] for c in DOCUMENT_COLUMNS])
                            vocabulary.update(vocab_words)
                            done += 1
                            if progress:
                                progress(done)
                    with cur.copy(f"COPY {fresh_vocab} (word, doc_count) FROM STDIN WITH (FREEZE)") as copy:
                        for item in vocabulary.items():
                            copy.write_row(item)
                conn.execute(text("SET LOCAL maintenance_work_mem = '128MB'"))
                for statement in (*_document_indexes(fresh_docs).values(), *_vocabulary_indexes(fresh_vocab).values()):
                    conn.execute(text(statement))
                conn.execute(text(f"ANALYZE {fresh_docs}"))
                conn.execute(text(f"ANALYZE {fresh_vocab}"))
                self._swap(conn)
                _PAIR_COUNTS.clear()
                conn.execute(text(f"INSERT INTO {STATE} (id, documents, build_id, built_at) VALUES (1, :n, :b, now()) "
                                  "ON CONFLICT (id) DO UPDATE SET documents = EXCLUDED.documents, "
                                  "build_id = EXCLUDED.build_id, built_at = EXCLUDED.built_at"),
                             {"n": done, "b": uuid.uuid4().hex})
        return done

    def _swap(self, conn, attempts=30):
        """Replace the live tables by the fresh ones. Waits for running searches in short tries, so that new
        searches queue behind the swap for two seconds at most each time."""
        for attempt in range(attempts):
            savepoint = conn.begin_nested()
            try:
                conn.execute(text("SET LOCAL lock_timeout = '2s'"))
                conn.execute(text(f"LOCK TABLE {DOCUMENTS}, {VOCABULARY} IN ACCESS EXCLUSIVE MODE"))
                conn.execute(text("SET LOCAL lock_timeout = 0"))
            except sa_exc.OperationalError:
                savepoint.rollback()
                if attempt == attempts - 1:
                    raise
                continue
            savepoint.commit()
            break
        conn.execute(text(f"DROP TABLE {DOCUMENTS}, {VOCABULARY}"))
        for table, indexes in ((DOCUMENTS, _document_indexes), (VOCABULARY, _vocabulary_indexes)):
            conn.execute(text(f"ALTER TABLE {table}{FRESH} RENAME TO {table}"))
            renames = {f"pk_{table}{FRESH}": f"pk_{table}"}
            renames.update(zip(indexes(table + FRESH), indexes(table)))
            for old, new in renames.items():
                conn.execute(text(f"ALTER INDEX {old} RENAME TO {new}"))

    # --- reading ---------------------------------------------------------------------------------------

    @contextmanager
    def _reading(self, **settings):
        """A short read-only connection (not the request's session, which would hold locks a rebuild's swap
        waits for), with a statement timeout and any other `settings` for its transaction (one round trip);
        database errors, a missing table among them, become SearchUnavailable."""
        params = {"statement_timeout": f"{int(self.statement_timeout * 1000)}ms", **settings}
        calls = ", ".join(f"set_config('{name}', :s{n}, true)" for n, name in enumerate(params))
        try:
            with db.engine.connect() as conn:
                self._require_postgres(conn)
                conn.execute(text(f"SELECT {calls}"), {f"s{n}": value for n, value in enumerate(params.values())})
                yield conn
        except SearchUnavailable:
            raise
        except sa_exc.DBAPIError as exc:
            raise SearchUnavailable(f"postgres search: {exc.orig or exc}") from exc

    def search(self, query):
        """Run a BackendQuery: one statement to count the match on the sample, one to answer (more when a
        window finds nothing or a conjunction of common words finds nothing).

        Matching (see _Plan.matching): documents holding any rare word or pair, or all the common words when
        the query has no rare one. Up to EXACT_LIMIT estimated matches every match is read: exact total and
        facets, and the exact rank of the best CANDIDATES by a cheap score. Above it a window of the newest
        documents holding the words in their title or keywords is read instead (or, when none does, in any
        field among fewer of the newest): the hits are the best of the window, and the total and facets are
        estimated and flagged approximate."""
        plan = _Plan(query.groups)
        single = [name for name in query.facets if name in SINGLE_FACETS]
        multi = [name for name in query.facets if name in MULTI_FACETS]
        # The GIN index answers a match without reading the (out-of-line) vectors; a sequential scan would read
        # them for every row. JIT compiling would cost more than any of these statements takes.
        settings = {"work_mem": "32MB", "jit": "off"}
        if not plan.empty:
            settings["enable_seqscan"] = "off"
        with self._reading(**settings) as conn:
            documents, build, frequencies = self._frequencies(conn, plan.vocabulary_words())
            if documents is None:
                raise SearchUnavailable("postgres search index not built")
            if not plan.matchable:
                return BackendResult(total=0, hits=[], facets={name: {} for name in single + multi})
            common = _common_lexemes(conn, build) if not plan.empty else {}
            match = plan.matching(frequencies, common, documents)
            page = max(int(query.page or 1), 1)
            per_page = max(int(query.per_page or 1), 1)
            relevance = query.sort != "newest" and not plan.empty
            terms = plan.terms(frequencies, documents)
            boost = query.kind_boost if relevance else {}
            for tsquery in match.queries:
                params = {"limit": per_page, "offset": (page - 1) * per_page}
                filters = _filter_sql(query.filters, params)
                estimate, passing = documents, documents
                if not plan.empty:
                    estimate, passing = match.estimate, match.estimate
                    if documents >= SAMPLE_FROM:
                        estimate, passing = self._sampled(conn, tsquery, filters, params)
                # A window that finds nothing (the words only in bodies, or only in older documents) is not the
                # answer: the newest documents are searched in every field then, and if that finds nothing
                # (or could not: too few of them pass the filters) every match is read, however many.
                shapes = ["exact"]
                if estimate > EXACT_LIMIT:
                    body = not plan.empty and passing * BODY_SCAN >= documents
                    shapes = ["head", "body", "exact"] if body else ["head", "exact"]
                for shape in shapes:
                    if shape == "exact":
                        where = " AND ".join(w for w in (_match_sql(tsquery, params), filters) if w)
                        sql = _search_sql(where or "TRUE", terms, params, relevance, single, multi, boost)
                    else:
                        sql = _window_sql(tsquery, filters, terms, params, relevance, single, multi, boost,
                                          body=shape == "body")
                    rows = conn.execute(text(sql), params).all()
                    found = any(r[0] == "facet" and r[1] is None and r[3] for r in rows)
                    if found:
                        break
                if found:
                    break
        return _result(rows, single, multi, estimate if shape != "exact" else None)

    @staticmethod
    def _sampled(conn, tsquery, filters, params):
        """(documents estimated to match `tsquery`, of which to pass `filters`): its matches among the sampled
        documents (every SAMPLE-th doc_id, with a partial GIN index of their own) times SAMPLE. Unlike the
        vocabulary's counts this sees how the words go together, in phrases or not."""
        row = conn.execute(text(f"SELECT count(*), count(*) FILTER (WHERE {filters or 'TRUE'}) FROM {DOCUMENTS} "
                                f"WHERE folded @@ CAST(:sampled AS tsquery) AND doc_id % {SAMPLE} = 0"),
                           {**params, "sampled": tsquery}).first()
        return row[0] * SAMPLE, row[1] * SAMPLE

    @staticmethod
    def _frequencies(conn, vocab_words):
        """(document count or None when not built, build id, {word: documents}) for the query's words, in one
        trip."""
        rows = conn.execute(text(f"SELECT s.documents, s.build_id, v.word, v.doc_count FROM {STATE} AS s "
                                 f"LEFT JOIN {VOCABULARY} AS v ON v.word = ANY(:words) WHERE s.id = 1"),
                            {"words": list(vocab_words)}).all()
        if not rows:
            return None, None, {}
        return rows[0][0], rows[0][1], {word: n for _, _, word, n in rows if word is not None}

    def vocabulary(self):
        """{word: number of documents} over exact and folded title, keyword and body words."""
        with self._reading() as conn:
            if self._state(conn) is None:
                raise SearchUnavailable("postgres search index not built")
            return dict(conn.execute(text(f"SELECT word, doc_count FROM {VOCABULARY}")).all())

    def suggest(self, word, limit=5):
        """Indexed words spelled like `word` or its folded form (trigram similarity), the most similar first, then
        the most documents; the word itself is left out. Accented and folded forms are both candidates."""
        word = _clean(word)
        folded = _fold_word(word) if word else ""
        if not (_indexable(word) and _indexable(folded)):
            return []
        with self._reading() as conn:
            if not self._tables_present(conn):
                raise SearchUnavailable("postgres search tables missing")
            rows = conn.execute(text(
                f"SELECT word FROM {VOCABULARY} WHERE (word % :w OR word % :f) AND word <> :w "
                "ORDER BY greatest(similarity(word, :w), similarity(word, :f)) DESC, doc_count DESC, word LIMIT :n"),
                {"w": word, "f": folded, "n": max(int(limit), 0)})
            return [r[0] for r in rows]

    def pair_frequency(self, first, second):
        """Documents where the folded words stand side by side (their pair is in the folded vector): counted up
        to PAIR_COUNTED, estimated on the sample above (counting every one of a common pair would read tens of
        thousands of rows, and search only asks whether the pair occurs). Answers are reused for STATS_TTL
        seconds, or until this process writes to the index: search asks again for every spelling correction of
        a query, and corrections come from a vocabulary it reuses as long."""
        pair = f"{_fold_word(_clean(first))}_{_fold_word(_clean(second))}" if first and second else ""
        if not _indexable(pair):
            return 0
        name = (db.engine.url.database, pair)
        read, count = _PAIR_COUNTS.get(name, (None, None))
        if read is not None and time.monotonic() - read < STATS_TTL:
            return count
        # The GIN index counts without reading the vectors.
        with self._reading(enable_seqscan="off", jit="off") as conn:
            counted, sampled = conn.execute(text(
                f"SELECT (SELECT count(*) FROM (SELECT FROM {DOCUMENTS} WHERE folded @@ CAST(:q AS tsquery) "
                "LIMIT :n) AS c), "
                f"(SELECT count(*) FROM {DOCUMENTS} WHERE folded @@ CAST(:q AS tsquery) AND doc_id % {SAMPLE} = 0)"),
                {"q": _quote(pair), "n": PAIR_COUNTED}).one()
        count = counted if counted < PAIR_COUNTED else max(counted, sampled * SAMPLE)
        if len(_PAIR_COUNTS) >= MAX_PAIR_COUNTS:
            _PAIR_COUNTS.clear()
        _PAIR_COUNTS[name] = (time.monotonic(), count)
        return count

    def keys(self):
        """Every key in the index."""
        with self._reading() as conn:
            if not self._tables_present(conn):
                raise SearchUnavailable("postgres search tables missing")
            return set(conn.execute(text(f"SELECT key FROM {DOCUMENTS}")).scalars())


class _PostgresBatch:
    """The writes of one batch, in the batch's transaction; the vocabulary counts follow each change."""

    def __init__(self, conn):
        self.conn = conn

    def _old_words(self, keys):
        """{key: set of vocabulary words} of the indexed documents among keys."""
        rows = self.conn.execute(text(f"SELECT key, tsvector_to_array(exact || folded) FROM {DOCUMENTS} "
                                      "WHERE key = ANY(:keys)"), {"keys": list(keys)})
        return {key: {w for w in lexemes if "_" not in w} for key, lexemes in rows}  # pairs are not words

    def _count(self, deltas, new_documents):
        """Add the word count changes and the change in the number of documents."""
        deltas = {w: d for w, d in deltas.items() if d}
        if deltas:
            self.conn.execute(text(
                f"INSERT INTO {VOCABULARY} (word, doc_count) "
                "SELECT * FROM unnest(CAST(:words AS text[]), CAST(:deltas AS integer[])) "
                f"ON CONFLICT (word) DO UPDATE SET doc_count = {VOCABULARY}.doc_count + EXCLUDED.doc_count"),
                {"words": list(deltas), "deltas": list(deltas.values())})
            gone = [w for w, d in deltas.items() if d < 0]
            if gone:
                self.conn.execute(text(f"DELETE FROM {VOCABULARY} WHERE word = ANY(:words) AND doc_count <= 0"),
                                  {"words": gone})
        if new_documents:
            self.conn.execute(text(f"UPDATE {STATE} SET documents = documents + :n WHERE id = 1"),
                              {"n": new_documents})

    def upsert(self, documents):
        """Add or replace documents."""
        rows = {}
        for doc in documents:
            rows[doc.key] = document_row(doc)
        if not rows:
            return
        old = self._old_words(rows)
        deltas = Counter()
        for key, (_, new_words) in rows.items():
            before = old.get(key, set())
            deltas.update(new_words - before)
            deltas.subtract(before - new_words)
        self.conn.execute(text(_UPSERT), [row for row, _ in rows.values()])
        self._count(deltas, len(rows) - len(old))

    def delete(self, keys):
        """Remove documents by key (unknown keys are ignored)."""
        keys = list(dict.fromkeys(keys))
        if not keys:
            return
        old = self._old_words(keys)
        if not old:
            return
        deltas = Counter()
        for before in old.values():
            deltas.subtract(before)
        self.conn.execute(text(f"DELETE FROM {DOCUMENTS} WHERE key = ANY(:keys)"), {"keys": list(old)})
        self._count(deltas, -len(old))


# --- queries ---------------------------------------------------------------------------------------------

def _result(rows, single, multi, estimate=None):
    """A BackendResult from the statement's rows. With an `estimate` (a windowed search) the rows counted a
    window: the total is the estimate narrowed by the share of the window's scan the filters let through, and
    the facet counts are scaled to it; both are flagged approximate."""
    hits = sorted((r for r in rows if r[0] == "hit"), key=lambda r: r[4])
    total = 0
    counts = {name: {} for name in single + multi}
    scanned = passed = 0
    for part, name, value, count, extra in rows:
        if part == "scan":
            scanned, passed = int(count or 0), int(extra or 0)
        if part != "facet":
            continue
        if name is None:
            total = int(count)
        elif name in MULTI_FACETS:
            for item in filter(None, (value or "").split(chr(31))):
                counts[name][item] = counts[name].get(item, 0) + int(count)
        elif value:
            counts[name][value] = int(count)
    hits = [BackendHit(key=r[1], score=float(r[3] or 0.0)) for r in hits]
    if estimate is None:
        return BackendResult(total=total, hits=hits, facets=counts)
    if scanned and total:
        estimate = max(int(round(estimate * passed / scanned)), total)
    elif not total:
        estimate = 0
    estimate = max(estimate, total)
    scale = estimate / total if total else 0.0
    facets = {name: {value: max(int(round(n * scale)), 1) for value, n in values.items()}
              for name, values in counts.items()}
    return BackendResult(total=estimate, hits=hits, facets=facets, approximate=estimate > total)


_COMMON_LEXEMES = {}  # (database name, build id) -> (time read, {lexeme: share of documents})
_PAIR_COUNTS = {}  # (database name, pair) -> (time read, pair_frequency()); emptied when this process writes


def _common_lexemes(conn, build=None):
    """{lexeme: share of documents} of the folded vectors' most common lexemes, from the planner's statistics
    (ANALYZE keeps about a thousand, down to ~1-2% of documents), re-read every STATS_TTL seconds. The
    vocabulary counts words exactly but not pairs; this tells which pairs are common. Empty before ANALYZE."""
    name = (conn.engine.url.database, build)
    read, lexemes = _COMMON_LEXEMES.get(name, (None, None))
    if read is not None and time.monotonic() - read < STATS_TTL:
        return lexemes
    row = conn.execute(text("SELECT CAST(most_common_elems AS text), most_common_elem_freqs FROM pg_stats "
                            "WHERE schemaname = current_schema() AND tablename = :t AND attname = 'folded'"),
                       {"t": DOCUMENTS}).first()
    lexemes = {}
    if row and row[0] and row[1]:
        # The elements come back as a text[] literal ({a,"b c"}); the tsvector parser reads the same quoting.
        elements = conn.execute(text("SELECT unnest(CAST(:a AS text[]))"), {"a": row[0]}).scalars().all()
        lexemes = dict(zip(elements, row[1]))
        lexemes[""] = min(row[1][:len(elements)])  # the rarest listed share: unlisted lexemes are below it
    if len(_COMMON_LEXEMES) > 20:  # old builds
        _COMMON_LEXEMES.clear()
    _COMMON_LEXEMES[name] = (time.monotonic(), lexemes)
    return lexemes


def _idf(documents, frequency):
    """Whoosh's idf: log(N / (df + 1)) + 1, kept above a floor so common words still count a little."""
    return max(math.log(max(documents, 1) / (frequency + 1)) + 1.0, 0.1)


class _Plan:
    """The terms of a query, deduplicated with their summed weights, as Whoosh's query tree weighs them."""

    def __init__(self, groups):
        self.folded = Counter()  # folded word -> weight
        self.exact = Counter()  # word with diacritics -> weight (already times EXACT_BONUS)
        self.pairs_folded = Counter()  # "a_b" -> weight
        self.pairs = Counter()
        self.pair_parts = {}  # pair -> its two words (for idf)
        self.groups = []  # per group: ({folded word: term weight}, [folded pairs]) for matching
        self.empty = True
        for group in groups or ():
            terms = [t for t in (group.terms or ()) if t is not None]
            if terms:
                self.empty = False
                self.groups.append(({}, []))
            for term in terms:
                word = _clean(term.word)
                folded = _fold_word(word) if word else ""
                weight = group.weight * term.weight
                if _indexable(folded):
                    self.folded[folded] += weight
                    self.groups[-1][0][folded] = max(self.groups[-1][0].get(folded, 0.0), term.weight)
                if folded != word and _indexable(word):
                    self.exact[word] += weight * EXACT_BONUS
            for a, b in zip(terms, terms[1:]):
                wa, wb = _clean(a.word), _clean(b.word)
                fa, fb = _fold_word(wa) if wa else "", _fold_word(wb) if wb else ""
                weight = group.weight * PAIR_WEIGHT * min(a.weight, b.weight)
                if wa and wb and _indexable(fa + "_" + fb):
                    self.pairs_folded[fa + "_" + fb] += weight
                    self.groups[-1][1].append(fa + "_" + fb)
                    self.pair_parts[fa + "_" + fb] = (fa, fb)
                    if (fa != wa or fb != wb) and _indexable(wa + "_" + wb):
                        self.pairs[wa + "_" + wb] += weight * EXACT_BONUS
                        self.pair_parts[wa + "_" + wb] = (wa, wb)

    @property
    def matchable(self):
        """False when the query has words but none that could be in the index: nothing matches."""
        return self.empty or bool(self.folded or self.pairs_folded)

    def vocabulary_words(self):
        """Words whose document frequency the ranking needs."""
        return set(self.folded) | set(self.exact) | {w for parts in self.pair_parts.values() for w in parts}

    def matching(self, frequencies, common, documents):
        """_Match: what a document must hold, as in Elasticsearch's common-terms query. A word in more than
        max(COMMON_MIN_DOCS, COMMON_SHARE) of the documents is common; a pair is common when the planner's
        statistics (`common`: {lexeme: share}) say so. Per group: any of its rare words and pairs; with none,
        all its common words (fillers too when the group has nothing else), and if that conjunction finds
        nothing anywhere the search runs again with any word or pair (the old OR). Words found nowhere are
        left out of both. Common words still count in the rank of what matches."""
        documents = max(documents or 0, 1)
        cutoff = max(COMMON_MIN_DOCS, COMMON_SHARE * documents)
        floor = common.get("", 0.0) * documents  # unlisted pairs are rarer than the rarest listed lexeme

        def pair_count(pair):
            # An unlisted pair is taken at half the rarest listed share, as the planner takes it.
            a, b = self.pair_parts[pair]
            return min(common.get(pair, 0.0) * documents or floor / 2 or cutoff, frequencies.get(a, 0),
                       frequencies.get(b, 0))

        clauses, estimate, relaxed = [], 0.0, False
        for weights, pair_list in self.groups:
            present = {w: n for w in weights if (n := frequencies.get(w, 0)) > 0}
            rare = [w for w, n in present.items() if n <= cutoff]
            # A pair holding a rare word adds no match (the word has them all); pairs of common words may be rare.
            rare_pairs = [p for p in dict.fromkeys(pair_list)
                          if not set(self.pair_parts[p]) & set(rare) and 0 < pair_count(p) <= cutoff]
            clauses.extend(map(_quote, rare + rare_pairs))
            estimate += sum(present[w] for w in rare) + sum(pair_count(p) for p in rare_pairs)
            if rare:
                continue
            # No rare word: all the common words, or a rare pair of them (a pair's count is an estimate).
            wanted = [w for w in present if weights[w] >= 1] or list(present)
            if not wanted:
                continue
            clauses.append("(" + " & ".join(map(_quote, wanted)) + ")" if len(wanted) > 1 else _quote(wanted[0]))
            relaxed = relaxed or len(present) > 1
            estimate += self._conjunction(wanted, frequencies, common, documents)
        everything = [_quote(t) for t in list(self.folded) + list(self.pairs_folded)]
        queries = [_or(clauses)] if clauses else []
        if relaxed or not clauses:
            queries.append(_or(everything))
        return _Match(queries=[q for q in dict.fromkeys(queries) if q], estimate=min(int(estimate), documents))

    def _conjunction(self, wanted, frequencies, common, documents):
        """Documents estimated to hold all of `wanted` (in query order): each word's share, except that a word
        following its neighbour takes the share of their pair among the neighbour's documents when the
        statistics know the pair (words of a phrase go together; independence would underestimate)."""
        share = frequencies.get(wanted[0], 0) / documents
        for before, word in zip(wanted, wanted[1:]):
            known = common.get(f"{before}_{word}")
            before_share = frequencies.get(before, 0) / documents
            if known and before_share:
                share *= min(known / before_share, 1.0)
            else:
                share *= frequencies.get(word, 0) / documents
        return share * documents

    def terms(self, frequencies, documents):
        """[(vector, rank weights, lexeme, coefficient, in head)], the heaviest MAX_RANKED_TERMS: each term's
        weight times its group's, times an idf (pairs take their rarer word's)."""
        documents = documents or 0
        terms = []
        for column, counter in (("folded", self.folded), ("exact", self.exact)):
            for word, weight in counter.items():
                terms.append((column, _FIELD_RANK_WEIGHTS, word,
                              _TOP_WEIGHT * weight * _idf(documents, frequencies.get(word, 0)), True))
        for column, counter in (("folded", self.pairs_folded), ("exact", self.pairs)):
            for pair, weight in counter.items():
                idf = max(_idf(documents, frequencies.get(w, 0)) for w in self.pair_parts[pair])
                terms.append((column, _PAIR_RANK_WEIGHTS, pair, weight * idf, column == "folded"))
        terms.sort(key=lambda t: -t[3])
        return terms[:MAX_RANKED_TERMS]


class _Match:
    """The tsqueries to try in turn (the second only when the first finds nothing) and the estimated number
    of documents the first matches."""

    def __init__(self, queries, estimate):
        self.queries = queries or [""]
        self.estimate = estimate


def _or(clauses):
    """A tsquery OR-ing quoted lexemes and parenthesised conjunctions, at most MAX_MATCH_TERMS of them."""
    return " | ".join(clauses[:MAX_MATCH_TERMS])


def _match_sql(tsquery, params):
    """The WHERE clause matching the folded vector against `tsquery`, or "" for none (no words)."""
    if not tsquery:
        return ""
    params["match"] = tsquery
    return "folded @@ CAST(:match AS tsquery)"


def _rank_sql(terms, params, boost=None):
    """(exact rank expression over the vectors `folded` and `exact`, the vectors it reads, cheap score expression
    over `head`), both multiplied by the `boost` of the document's kind ({kind: factor})."""
    rank, proxy = [], []
    for n, (column, weights, lexeme, coefficient, in_head) in enumerate(terms):
        params[f"q{n}"] = _quote(lexeme)
        params[f"c{n}"] = coefficient
        rank.append(f"CAST(:c{n} AS float8) * ts_rank({weights}, {column}, CAST(:q{n} AS tsquery))")
        if in_head and len(proxy) < PROXY_TERMS:
            proxy.append(f"CAST(:c{n} AS float8) * (head @@ CAST(:q{n} AS tsquery))::int")
    rank, proxy = " + ".join(rank) or "0.0", " + ".join(proxy) or "0.0"
    factors = []
    for n, (kind, factor) in enumerate((boost or {}).items()):
        params[f"k{n}"], params[f"b{n}"] = str(kind), float(factor)
        factors.append(f"WHEN :k{n} THEN CAST(:b{n} AS float8)")
    if factors:
        case = f"CASE kind {' '.join(factors)} ELSE 1.0 END"
        rank, proxy = f"({rank}) * {case}", f"({proxy}) * {case}"
    return rank, {t[0] for t in terms}, proxy


def _facets_sql(single, multi):
    """Rows ("facet", name, value, count, NULL) over the relation m: a grouping set per facet, the many-valued
    ones grouped by their whole array (few distinct combinations; Python adds them up per value), and () for
    the total (name NULL). Facet names come from the fixed SINGLE_FACETS/MULTI_FACETS, never the request."""
    grouped = single + multi
    named = " ".join(f"WHEN GROUPING({name}) = 0 THEN '{name}'" for name in grouped)
    values = ", ".join([*single, *(f"array_to_string({name}, chr(31))" for name in multi)])
    sets = "".join(f"({name}), " for name in grouped)
    return (f"SELECT 'facet', {f'CASE {named} END' if grouped else 'NULL'}, "
            f"{f'COALESCE({values})' if grouped else 'NULL'}, count(*)::float8, NULL::bigint "
            f"FROM m GROUP BY GROUPING SETS ({sets}())")


def _ranked_sql(rank, vectors, candidates, order, page, address="tid"):
    """The hit rows of the candidates (a query giving their row addresses, `tid`, or their `key`s): the vectors
    the rank reads fetched once, exact rank, place."""
    # The candidates' vectors, fetched and decompressed once (each ts_rank would do it again); only those the
    # rank reads: each is a few kB out of line, and fetching one for every candidate takes milliseconds.
    fetched = "".join(f", {name} || ''::tsvector AS {name}" for name in VECTORS if name in vectors)
    return (f"c AS ({candidates}), "
            # By row address when m read the rows: no index lookup per candidate.
            f"v AS MATERIALIZED (SELECT key, kind, ts, doc_id{fetched} FROM {DOCUMENTS} "
            f"WHERE {'ctid' if address == 'tid' else 'key'} = ANY(ARRAY(SELECT {address} FROM c))), "
            f"h AS (SELECT key, ts, doc_id, {rank} AS score FROM v), "
            f"p AS (SELECT key, score, row_number() OVER (ORDER BY {order}) AS place FROM h) "
            f"SELECT 'hit' AS part, key AS name, NULL AS value, score, place FROM p {page} ")


_NEWEST = "ts DESC, doc_id DESC, key DESC"


def _search_sql(where, terms, params, relevance, single, multi, boost=None):
    """The exact search statement, over every match. Rows: ("hit", key, None, score, place) and ("facet",
    name, value, count, None), the total being the facet row whose name is NULL."""
    rank, vectors, proxy = _rank_sql(terms, params, boost)
    columns = ", ".join(["ctid AS tid", "key", "doc_id", "ts", *single, *multi])
    if relevance:
        params["candidates"] = max(CANDIDATES, params["offset"] + params["limit"])
        candidates = f"SELECT tid FROM m ORDER BY proxy DESC, {_NEWEST} LIMIT :candidates"
        columns += f", {proxy} AS proxy"
        order = f"score DESC, {_NEWEST}"
        page = "WHERE place > :offset AND place <= :offset + :limit"
    else:
        candidates = f"SELECT tid FROM m ORDER BY {_NEWEST} LIMIT :limit OFFSET :offset"
        order = _NEWEST
        page = ""
    return (f"WITH m AS MATERIALIZED (SELECT {columns} FROM {DOCUMENTS} WHERE {where}), "
            + _ranked_sql(rank, vectors, candidates, order, page) + f"UNION ALL {_facets_sql(single, multi)}")


def _window_sql(tsquery, filters, terms, params, relevance, single, multi, boost=None, body=False):
    """The windowed search statement, for matches too many to read: walking the documents newest first (the
    ts index; narrow rows), at most WINDOW_SCAN of them, it keeps the first WINDOW (or the page's end) that
    pass the filters and hold the words in their title or keywords (`head`, in the row; `folded` is out of
    line). With `body` it walks only BODY_SCAN documents and tests their whole folded vector (fetched out of
    line for each), for words found only in bodies. Hits: the best of those by the cheap score, ranked
    exactly, or for newest first the page of every match (the index walk stops at the page's end). Facets
    are counted over the window, and a row ("scan", NULL, NULL, rows walked, rows that passed the filters)
    tells the filters' share."""
    rank, vectors, proxy = _rank_sql(terms, params, boost)
    params["window"] = max(WINDOW, params["offset"] + params["limit"])
    params["scan"] = max(BODY_SCAN if body else WINDOW_SCAN, params["window"])
    # The ts index holds every column the walk over titles and keywords reads: it walks the index alone (no
    # table page per row). The walk over bodies reads the rows (and their vectors) anyway.
    address = "tid" if body else "key"
    columns = ", ".join([*(["tid"] if body else []), "key", "doc_id", "ts", *single, *multi])
    vector = "folded" if body else "head"
    passes = filters or "TRUE"
    holds = "TRUE"
    if tsquery:
        params["match"] = tsquery
        holds = f"{vector} @@ CAST(:match AS tsquery)"
    read = ["ctid AS tid", "folded"] if body else []
    newest = (f"(SELECT {', '.join([*read, *_COVERED])} FROM {DOCUMENTS} ORDER BY ts DESC, doc_id DESC "
              "LIMIT :scan) AS newest")
    read = "head, folded" if body else "head"
    if filters:
        walk = (f"SELECT {columns}, {read}, {passes} AS passes, "
                f"row_number() OVER (ORDER BY ts DESC, doc_id DESC) AS walked, "
                f"count(*) FILTER (WHERE {passes}) OVER (ORDER BY ts DESC, doc_id DESC ROWS UNBOUNDED PRECEDING) "
                f"AS passed FROM {newest}")
    else:  # every row passes: the shares are 1 (walked and passed stay NULL)
        walk = (f"SELECT {columns}, {read}, TRUE AS passes, NULL::bigint AS walked, NULL::bigint AS passed "
                f"FROM {newest}")
    window = (f"m AS MATERIALIZED (SELECT {columns}, walked, passed, {proxy} AS proxy FROM ({walk}) AS w "
              f"WHERE passes AND {holds} LIMIT :window), ")
    if relevance:
        params["candidates"] = max(CANDIDATES, params["offset"] + params["limit"])
        candidates = f"SELECT {address} FROM m ORDER BY proxy DESC, {_NEWEST} LIMIT :candidates"
        order = f"score DESC, {_NEWEST}"
        page = "WHERE place > :offset AND place <= :offset + :limit"
    else:
        where = " AND ".join(w for w in (_match_sql(tsquery, params), filters) if w) or "TRUE"
        candidates = f"SELECT key FROM {DOCUMENTS} WHERE {where} ORDER BY {_NEWEST} LIMIT :limit OFFSET :offset"
        order = _NEWEST
        page = ""
        address = "key"
    return ("WITH " + window + _ranked_sql(rank, vectors, candidates, order, page, address)
            + f"UNION ALL {_facets_sql(single, multi)} "
            "UNION ALL SELECT 'scan', NULL, NULL, max(walked)::float8, max(passed) FROM m")


def _clean(word):
    """A query word as the index spells words: NFC lower case (the exact fields are lower-cased)."""
    return unicodedata.normalize("NFC", str(word or "")).lower()


def _filter_sql(filters, params):
    """An AND of the filters (a list means any of its values); an unknown facet matches nothing."""
    clauses = []
    for n, (name, value) in enumerate((filters or {}).items()):
        if value in (None, "", [], ()):
            continue
        values = [str(v) for v in value] if isinstance(value, (list, tuple, set)) else [str(value)]
        values = [v for v in values if "\x00" not in v]  # no stored value holds NUL (nor can PostgreSQL text)
        if not values:
            clauses.append("FALSE")
            continue
        params[f"f{n}"] = values
        if name in SINGLE_FACETS:
            clauses.append(f"{name} = ANY(CAST(:f{n} AS text[]))")  # name is one of the fixed facet columns
        elif name in MULTI_FACETS:
            clauses.append(f"{name} && CAST(:f{n} AS text[])")
        else:
            clauses.append("FALSE")
    return " AND ".join(clauses)
