"""Search quality on the demo exchange: nDCG@10 and P@5 of our search and of three baselines, per query category.

    .venv/bin/python bench/search_quality.py                # ours (Whoosh backend) and the baselines
    .venv/bin/python bench/search_quality.py --verbose      # also per-query scores and ours' top 5 when it is weak
    .venv/bin/python bench/search_quality.py --backend postgres --database-url postgresql+psycopg://.../scratch
    .venv/bin/python bench/search_quality.py --scale 20000              # the demo among 20,000 synthetic listings
    .venv/bin/python bench/search_quality.py --scale 20000 --no-common  # ... without the common-terms rule

The labelled queries are in bench/search_queries.json (labels written by reading marketplace/demo/data.py).
The demo is loaded into a throw-away SQLite database in a temporary folder (with --backend postgres: into the
named database, which must be empty or hold only the demo; nothing is dropped). Searchable documents are the
published listings and every organisation except the department.

Systems, all over the same documents (listing: title, summary, keywords, sector name; organisation: name,
description), top 10 kept:
  ours    marketplace.search.services: reindex() once, then search(q, per_page=10).
  whoosh  Whoosh (whoosh-reloaded 2.7.5) with its StandardAnalyzer (regex words, lower case, English stop words;
          no diacritic folding) on one TEXT field, in a RAM index; QueryParser with its default settings on that
          field, so every word must match (AND group) and hits are ranked by BM25F. A query that fails to parse
          counts as no results.
  fts5    SQLite FTS5, tokenize="unicode61 remove_diacritics 2" (folds tone marks and vowel hats, but not
          "đ"); each query word quoted, the words joined with OR, ranked by bm25().
  like    What the listing pages did before: every query word must occur (AND) as a substring of the text,
          both sides lower-cased and folded with core.text.fold() as Listing.search_text is; newest first.

Scores: nDCG@10 with gains 2/1 from the labels, a log2(rank + 1) discount and the ideal ranking taken from the
labels; P@5 counts grade >= 1 documents among the first five (out of 5). Category rows and the overall row are
means over queries. For exact_diacritics queries the item's "first" documents must all be in the top 10 and
above every unlabelled document; the count of queries where that holds is printed per system.

At scale (--scale N, Whoosh backend only): after the demo, N synthetic published listings and their
organisations (max(120, N / 40), as bench/search_speed.py makes them, with its generator and seed) are inserted
in bulk, then the index is rebuilt and the same labelled queries run. This is where the backends' common-terms
rule acts (a word in more than max(COMMON_MIN_DOCS, COMMON_SHARE x documents) documents only adds to the score
of what rarer words match); on the demo alone every word is rare. Synthetic documents are unlabelled and count
as grade 0, though some are in truth relevant ("máy sấy nông sản" among 20,000 listings about drying and
farm produce): figures at scale are a lower bound, and a fall from the demo figures is partly the labels' doing.
Ours and fts5 (the strongest baseline, ranked by bm25, cheap at this size) are scored; the whoosh baseline is
left out (~17 s more to index 20,000 documents, for a system that finds nothing in most categories) and so is
like (newest first: the demo is newer than most synthetic listings, so its order would favour the labels). --no-common switches the rule off for the run
(the Whoosh backend's COMMON_MIN_DOCS set beyond any exchange), so the two can be compared. At scale the
columns "ours-demo" and "fts5-demo" score the same system's first 100 results with the synthetic documents left
out (condensed lists): how the labelled exchange is ordered among the crowd, the synthetic documents' true
relevance aside; a relevant demo document missing there was not matched, or fell below the 100th place.
"""
import argparse
import json
import logging
import math
import os
import sqlite3
import sys
import tempfile
import time
from collections import OrderedDict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

QUERIES_PATH = os.path.join(ROOT, "bench", "search_queries.json")
SYSTEMS = ("ours", "whoosh", "fts5", "like")
TOP = 10


# --- scores ----------------------------------------------------------------------------------------------

def ndcg_at(ranked, labels, k=TOP):
    """nDCG@k of a ranked list of keys against {key: grade}; gains are the grades, discount log2(rank + 1)."""
    dcg = sum(labels.get(key, 0) / math.log2(rank + 2) for rank, key in enumerate(ranked[:k]))
    ideal = sorted(labels.values(), reverse=True)[:k]
    idcg = sum(grade / math.log2(rank + 2) for rank, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision_at(ranked, labels, k=5):
    """Share of the first k places held by a document graded 1 or 2 (empty places count as misses)."""
    return sum(1 for key in ranked[:k] if labels.get(key, 0) >= 1) / k


def keeps_order(ranked, labels, first):
    """True when every `first` document is in the ranked list, above every unlabelled document."""
    positions = {key: n for n, key in enumerate(ranked)}
    if any(key not in positions for key in first):
        return False
    unlabelled = [n for n, key in enumerate(ranked) if key not in labels]
    return not unlabelled or max(positions[key] for key in first) < min(unlabelled)


# --- the demo database and its documents -----------------------------------------------------------------

def make_app(args, tmp):
    """The app on a fresh SQLite file in `tmp` (or the PostgreSQL database given), search index in `tmp`."""
    from marketplace import create_app

    if args.backend == "postgres":
        url = args.database_url
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix):]
    else:
        url = "sqlite:///" + os.path.join(tmp, "bench.db")
    return create_app({
        "INSTANCE_PATH": os.path.join(tmp, "instance"), "SECRET_KEY": "bench", "PUBLIC_URL": "http://127.0.0.1:5000",
        "SQLALCHEMY_DATABASE_URI": url, "SEARCH_BACKEND": args.backend,
        "SEARCH_INDEX_DIR": os.path.join(tmp, "search-index"),
        "SEARCH_APPLY": "worker",  # nothing applied behind the bench's back: reindex() builds the index whole
    })


def load_demo_data():
    """Create the tables and load reference and demo data; a database already holding the demo is reused."""
    from marketplace.demo import services as demo
    from marketplace.extensions import db
    from marketplace.reference.services import ensure_reference_data

    db.create_all()
    ensure_reference_data()
    if demo.is_empty():
        counts = demo.load_demo()
        return "loaded " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    return "reused the demo already in the database"


def add_synthetic_listings(count):
    """Bulk-insert `count` published listings and their organisations from bench/search_speed.py's generator,
    with ids and slugs after the demo's; returns the number of organisations added."""
    from marketplace.accounts.models import Organization
    from marketplace.extensions import db
    from marketplace.listings.models import Listing, ListingTransferMode
    from marketplace.reference.models import Locality, Sector

    from bench.search_speed import CHUNK, Generator

    sectors = [(s.code, s.name_vi) for s in db.session.scalars(
        db.select(Sector).where(Sector.parent_code.isnot(None)).order_by(Sector.code))]
    localities = [(loc.code, loc.name_vi) for loc in db.session.scalars(db.select(Locality).order_by(Locality.code))]
    org_base = db.session.scalar(db.select(db.func.max(Organization.id))) or 0
    listing_base = db.session.scalar(db.select(db.func.max(Listing.id))) or 0
    db.session.remove()
    generator = Generator(sectors, localities)
    org_count = max(120, count // 40)
    orgs = generator.organizations(org_count)[1:]  # the generator's first is a department: the demo has one
    for row in orgs:
        row["slug"] = f"bench-{row['slug']}"
        row["id"] += org_base
    with db.engine.begin() as conn:
        conn.execute(Organization.__table__.insert(), orgs)
    for first in range(1, count + 1, CHUNK):
        rows, modes = generator.listings(listing_base + first, min(CHUNK, count - first + 1), org_count)
        for row in rows:
            row["owner_org_id"] += org_base
        with db.engine.begin() as conn:
            conn.execute(Listing.__table__.insert(), rows)
            conn.execute(ListingTransferMode.__table__.insert(), modes)
    return len(orgs)


def disable_common_terms():
    """Switch the Whoosh backend's common-terms rule off: no word is ever in enough documents to be common."""
    from marketplace.search.backends import whoosh_backend

    whoosh_backend.COMMON_MIN_DOCS = 10 ** 12


def common_cutoff(documents):
    """In more than how many documents a word is common for the Whoosh backend, for an index of `documents`."""
    from marketplace.search.backends import whoosh_backend

    return max(whoosh_backend.COMMON_MIN_DOCS, whoosh_backend.COMMON_SHARE * documents)


def searchable_documents():
    """{key: (text, timestamp)} for published listings and non-department organisations, from the database."""
    from marketplace.accounts.models import Organization
    from marketplace.extensions import db
    from marketplace.listings.models import Listing

    docs = {}
    for listing in db.session.scalars(db.select(Listing).where(Listing.status == "published")):
        sector = listing.sector.name_vi if listing.sector else ""
        text = "\n".join(p for p in (listing.title, listing.summary, listing.keywords, sector) if p)
        docs[f"{listing.kind}:{listing.ref}"] = (text, _seconds(listing.published_at))
    for org in db.session.scalars(db.select(Organization).where(Organization.kind != "department")):
        docs[f"org:{org.name}"] = ("\n".join(p for p in (org.name, org.description) if p), _seconds(org.created_at))
    return docs


def _seconds(moment):
    """A datetime as a sortable number (0 when missing)."""
    return moment.timestamp() if moment else 0.0


# --- the systems -----------------------------------------------------------------------------------------

class Ours:
    """Our search through marketplace.search.services; `error` says why it is not available."""

    name = "ours"

    def __init__(self):
        self.error = None
        self.failures = []
        try:
            from marketplace.search import services
        except ImportError as exc:
            self.error = f"not available (ImportError: {exc})"
            return
        self.services = services
        try:
            start = time.perf_counter()
            services.reindex()
            self.reindex_seconds = time.perf_counter() - start
        except Exception as exc:  # the search package is written alongside; report, keep the baselines going
            self.error = f"reindex failed ({type(exc).__name__}: {exc})"

    def search(self, q, limit=TOP):
        """Keys of the first `limit` results (at most 100, a page), mapped to the labels' form."""
        try:
            result = self.services.search(q, per_page=limit)
        except Exception as exc:  # one broken query should not hide the other figures
            self.failures.append(f"{q!r}: {type(exc).__name__}: {exc}")
            return []
        keys = []
        for hit in result.hits:
            key = f"org:{hit.title}" if hit.kind == "org" else f"{hit.kind}:{hit.ref}"
            if key not in keys:
                keys.append(key)
        return keys


class WhooshBaseline:
    """Whoosh out of the box: StandardAnalyzer, one TEXT field, QueryParser defaults, BM25F."""

    name = "whoosh"

    def __init__(self, docs):
        from whoosh.analysis import StandardAnalyzer
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.filedb.filestore import RamStorage
        from whoosh.qparser import QueryParser

        schema = Schema(key=ID(stored=True, unique=True), text=TEXT(analyzer=StandardAnalyzer()))
        self.index = RamStorage().create_index(schema)
        writer = self.index.writer()
        for key, (text, _) in docs.items():
            writer.add_document(key=key, text=text)
        writer.commit()
        self.parser = QueryParser("text", schema)
        self.error = None

    def search(self, q):
        """The first results' keys; a query that fails to parse finds nothing."""
        try:
            query = self.parser.parse(q)
        except Exception:
            return []
        with self.index.searcher() as searcher:
            return [hit["key"] for hit in searcher.search(query, limit=TOP)]


class Fts5Baseline:
    """SQLite FTS5 with unicode61 remove_diacritics 2, words OR-ed, bm25() ranking."""

    name = "fts5"

    def __init__(self, docs):
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute('CREATE VIRTUAL TABLE doc USING fts5(key UNINDEXED, text, '
                          'tokenize="unicode61 remove_diacritics 2")')
        self.conn.executemany("INSERT INTO doc (key, text) VALUES (?, ?)",
                              [(key, text) for key, (text, _) in docs.items()])
        self.error = None

    def search(self, q, limit=TOP):
        """The first results' keys; each word quoted so that FTS5 syntax in a query cannot break it."""
        words = [w for w in q.split() if any(ch.isalnum() for ch in w)]
        if not words:
            return []
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
        try:
            rows = self.conn.execute("SELECT key FROM doc WHERE doc MATCH ? ORDER BY bm25(doc) LIMIT ?",
                                     (match, limit)).fetchall()
        except sqlite3.OperationalError:
            return []
        return [key for (key,) in rows]


class LikeBaseline:
    """Every folded query word as a substring of the folded text (AND), newest first: the old listing filter."""

    name = "like"

    def __init__(self, docs):
        from marketplace.core.text import fold

        self.fold = fold
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute("CREATE TABLE doc (key TEXT, text TEXT, at REAL)")
        self.conn.executemany("INSERT INTO doc VALUES (?, ?, ?)",
                              [(key, fold(text), at) for key, (text, at) in docs.items()])
        self.error = None

    def search(self, q):
        """The newest documents holding every query word."""
        words = self.fold(q).split()
        if not words:
            return []
        where = " AND ".join("text LIKE ? ESCAPE '\\'" for _ in words)
        patterns = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
        rows = self.conn.execute(f"SELECT key FROM doc WHERE {where} ORDER BY at DESC LIMIT ?",
                                 (*patterns, TOP)).fetchall()
        return [key for (key,) in rows]


class DemoOnly:
    """A system's first 100 results with the synthetic documents left out (a condensed list, scored as usual):
    how it orders the labelled exchange among the rest, whether or not synthetic documents are relevant."""

    depth = 100

    def __init__(self, system, demo_keys):
        self.system = system
        self.demo_keys = demo_keys
        self.name = system.name + "-demo"
        self.error = system.error

    def search(self, q):
        """The demo documents among the system's first `depth` results, in its order."""
        return [key for key in self.system.search(q, limit=self.depth) if key in self.demo_keys][:TOP]


# --- running and printing --------------------------------------------------------------------------------

def load_queries(path):
    """The labelled queries from the JSON file."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["queries"]


def check_labels(queries, docs):
    """Warnings for labels naming documents that are not searchable, and for queries with no grade-2 document."""
    warnings = []
    for item in queries:
        unknown = [k for k in list(item["relevant"]) + item.get("first", []) if k not in docs]
        if unknown:
            warnings.append(f"{item['q']!r}: not searchable: {', '.join(unknown)}")
        if 2 not in item["relevant"].values():
            warnings.append(f"{item['q']!r}: no grade-2 document")
    return warnings


def run_systems(systems, queries):
    """{system: [ranked keys per query]} and {system: seconds spent searching}."""
    ranked, seconds = {}, {}
    for system in systems:
        start = time.perf_counter()
        ranked[system.name] = [system.search(item["q"]) for item in queries]
        seconds[system.name] = time.perf_counter() - start
    return ranked, seconds


def score(queries, ranked):
    """{system: [(ndcg, p5) per query]}."""
    return {name: [(ndcg_at(keys, item["relevant"]), precision_at(keys, item["relevant"]))
                   for item, keys in zip(queries, lists)]
            for name, lists in ranked.items()}


def print_table(queries, scores, names):
    """One row per category (in the file's order) and an overall row: mean nDCG@10 and P@5 per system."""
    categories = OrderedDict()
    for n, item in enumerate(queries):
        categories.setdefault(item["category"], []).append(n)
    width = max(len(c) for c in categories) + 5
    header = f"{'category (queries)':<{width}}" + "".join(f"| {name:<13}" for name in names)
    print(header)
    print(f"{'':<{width}}" + "".join("| nDCG    P@5  " for _ in names))
    print("-" * len(header))

    def row(label, indexes):
        """Print the means of the queries at `indexes`."""
        cells = []
        for name in names:
            ndcg = sum(scores[name][i][0] for i in indexes) / len(indexes)
            p5 = sum(scores[name][i][1] for i in indexes) / len(indexes)
            cells.append(f"| {ndcg:.3f}  {p5:.2f} ")
        print(f"{label:<{width}}" + "".join(cells))

    for category, indexes in categories.items():
        row(f"{category} ({len(indexes)})", indexes)
    print("-" * len(header))
    row(f"overall ({len(queries)})", list(range(len(queries))))


def print_order_checks(queries, ranked, names):
    """How many exact_diacritics queries keep their "first" documents above every unlabelled one."""
    items = [(n, item) for n, item in enumerate(queries) if item.get("first")]
    if not items:
        return
    counts = [f"{name} {sum(keeps_order(ranked[name][n], item['relevant'], item['first']) for n, item in items)}"
              f"/{len(items)}" for name in names]
    print("exact spelling ranked above unlabelled look-alikes: " + ", ".join(counts))


def print_details(queries, scores, ranked, names, docs, below=0.8):
    """Per-query nDCG@10 for each system; ours' top 5 with grades when ours scores below `below`."""
    print("\nper query (nDCG@10: " + " / ".join(names) + ")")
    for n, item in enumerate(queries):
        figures = " / ".join(f"{scores[name][n][0]:.2f}" for name in names)
        print(f"  [{item['category']}] {item['q']!r}: {figures}")
        if "ours" in names and scores["ours"][n][0] < below:
            for rank, key in enumerate(ranked["ours"][n][:5], 1):
                grade = item["relevant"].get(key, 0)
                title = docs[key][0].split("\n", 1)[0] if key in docs else "(not a searchable document)"
                print(f"      {rank}. [{grade}] {key}  {title[:70]}")
            missing = [k for k, g in item["relevant"].items() if g == 2 and k not in ranked["ours"][n][:5]]
            if missing:
                print(f"      grade 2 not in ours' top 5: {', '.join(missing)}")


def main():
    """Command line: --backend whoosh|postgres, --database-url, --queries, --verbose, --scale N, --no-common."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh",
                        help="our search backend to score (the baselines are always the same)")
    parser.add_argument("--database-url", help="with --backend postgres: an empty scratch database (or the demo)")
    parser.add_argument("--queries", default=QUERIES_PATH, help="the labelled queries (JSON)")
    parser.add_argument("--verbose", action="store_true", help="per-query scores; ours' top 5 where it is weak")
    parser.add_argument("--weak", type=float, default=0.8, help="with --verbose: show ours' top 5 below this nDCG")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="also insert N synthetic published listings (unlabelled) before indexing; "
                             "scores ours and fts5 only")
    parser.add_argument("--no-common", action="store_true",
                        help="switch the Whoosh backend's common-terms rule off for this run")
    args = parser.parse_args()
    if args.backend == "postgres" and not args.database_url:
        parser.error("--backend postgres needs --database-url")
    if args.backend == "postgres" and (args.scale or args.no_common):
        parser.error("--scale and --no-common are for the Whoosh backend")
    if args.scale < 0:
        parser.error("--scale must be 0 or more")
    if args.no_common:
        disable_common_terms()

    logging.disable(logging.INFO)  # the app's start-up notes are not figures
    queries = load_queries(args.queries)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        app = make_app(args, tmp)
        with app.test_request_context():  # hits carry URLs, built as in a request
            from marketplace.extensions import db

            print(f"demo data: {load_demo_data()}")
            demo_keys = set(searchable_documents())
            if args.scale:
                start = time.perf_counter()
                orgs = add_synthetic_listings(args.scale)
                print(f"synthetic data: {args.scale:,} published listings and {orgs:,} organisations "
                      f"(unlabelled: grade 0) inserted in {time.perf_counter() - start:.1f} s")
            docs = searchable_documents()
            kinds = OrderedDict((k, 0) for k in ("offer", "need", "ip", "org"))
            for key in docs:
                kinds[key.split(":", 1)[0]] += 1
            print("searchable documents: " + ", ".join(f"{n} {k}" for k, n in kinds.items()))
            for warning in check_labels(queries, docs):
                print("label warning: " + warning)
            print(f"{len(queries)} labelled queries from {os.path.relpath(args.queries, ROOT)}\n")

            ours = Ours()
            if args.backend == "whoosh":
                print("common-terms rule: " + ("off (--no-common)" if args.no_common else
                      f"a word in more than {common_cutoff(len(docs)):,.0f} documents only adds to the score"))
            if args.scale:
                fts5 = Fts5Baseline(docs)
                systems = [fts5, DemoOnly(fts5, demo_keys)]
                if not ours.error:
                    systems.insert(1, DemoOnly(ours, demo_keys))
            else:
                systems = [WhooshBaseline(docs), Fts5Baseline(docs), LikeBaseline(docs)]
            if ours.error:
                print(f"ours ({args.backend}): {ours.error}")
            else:
                systems.insert(0, ours)
            ranked, seconds = run_systems(systems, queries)
            names = [s.name for s in systems]
            scores = score(queries, ranked)
            print_table(queries, scores, names)
            print_order_checks(queries, ranked, names)
            print("search time for all queries: " + ", ".join(f"{n} {seconds[n]:.2f} s" for n in names)
                  + (f" (ours' reindex {ours.reindex_seconds:.2f} s)" if not ours.error else ""))
            if not ours.error and ours.failures:
                print(f"ours: {len(ours.failures)} queries raised an error (counted as no results):")
                for failure in ours.failures[:10]:
                    print("  " + failure)
            if args.verbose:
                print_details(queries, scores, ranked, names, docs, below=args.weak)
            db.session.remove()
            db.engine.dispose()
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
