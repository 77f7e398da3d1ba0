"""The search backend contract, checked against every backend: Whoosh always, PostgreSQL full-text search when
the tests run on PostgreSQL (TEST_DATABASE=postgres, which `make test` does as its second run)."""
import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from marketplace.search.backends.base import BackendQuery, QueryGroup, QueryTerm, SearchUnavailable
from marketplace.search.documents import Document

BACKENDS = ("whoosh", "postgres")
START = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
MIGRATIONS = [Path(__file__).resolve().parents[2] / "migrations" / "versions" / name
              for name in ("0005_postgres_search.py", "0007_postgres_search_sample.py",
                           "0008_postgres_search_ts_covering.py")]

HOSTILE_WORDS = ["title:(", "*", "'", "&|!:", "\\", "a" * 1000, "ấ" * 1000, "", " ", "\x00", "máy'sấy", "(",
                 ")", "<->", "!", "-1", "OR", "AND NOT", "'':*", "\\'", "%", "_", "$1", "';DROP TABLE x;--",
                 "\u200b", "e\u0301", "ĐƯỜNG", "a:*", "!!!!", "|"]


def _on_postgres(db):
    return db.engine.dialect.name == "postgresql"


def _postgres_backend(db):
    """A fresh PostgreSQL backend; only a PostgreSQL test database has one. On SQLite the test is skipped because
    `make test` runs the same tests again on PostgreSQL (TEST_DATABASE=postgres), where it runs for real."""
    if not _on_postgres(db):
        pytest.skip("the postgres backend needs PostgreSQL: run with TEST_DATABASE=postgres (`make test` does)")
    from marketplace.search.backends.postgres import PostgresBackend

    backend = PostgresBackend(lock_timeout=5.0)
    backend.drop_schema()
    backend.ensure_schema()
    return backend


@pytest.fixture(params=BACKENDS)
def backend(request, app, db, tmp_path):
    """An empty, never-built backend of each kind (the postgres one only on a PostgreSQL test database)."""
    if request.param == "whoosh":
        from marketplace.search.backends.whoosh_backend import WhooshBackend

        backend = WhooshBackend(str(tmp_path / "search-index"), lock_timeout=5.0)
        yield backend
        backend.close()
        return
    backend = _postgres_backend(db)
    yield backend
    db.session.rollback()
    backend.drop_schema()


@pytest.fixture
def pg_backend(app, db):
    """The postgres backend alone, for tests of what only it has (not a Whoosh variant that would skip)."""
    backend = _postgres_backend(db)
    yield backend
    db.session.rollback()
    backend.drop_schema()


def doc(n, title, body="", keywords="", kind="offer", minutes=None, ref="", **facets):
    """A listing Document (an organisation when kind is "org") published `minutes` (default n) after START."""
    values = {"kind": kind, "sector_code": "202", "sector_group": "2", "trl_band": "4-6",
              "transfer_mode": ["license"], "locality_code": "phu-ly", "owner_kind": "institute", "ip_type": ""}
    if kind == "org":
        values.update(sector_code="", sector_group="", trl_band="", transfer_mode=[])
    values.update(facets)
    key = f"org:{n}" if kind == "org" else f"listing:{n}"
    return Document(key=key, kind=kind, id=n, title=title, body=body, keywords=keywords, ref=ref,
                    published_at=START + timedelta(minutes=n if minutes is None else minutes), facets=values)


def write(backend, db, upsert=(), delete=()):
    """Apply a batch the way the outbox does: in a session of its own, committed after the block."""
    with Session(db.engine) as session:
        with backend.batch(session) as batch:
            if upsert:
                batch.upsert(list(upsert))
            if delete:
                batch.delete(list(delete))
        session.commit()


def build(backend, docs):
    """Rebuild the index from docs."""
    docs = list(docs)
    return backend.rebuild(len(docs), iter(docs))


def query(*word_lists, weights=None, **options):
    """A BackendQuery of one group per word list ("máy sấy" or ["máy", "sấy"])."""
    groups = []
    for n, word_list in enumerate(word_lists):
        word_list = word_list.split() if isinstance(word_list, str) else word_list
        groups.append(QueryGroup([QueryTerm(w) for w in word_list], weight=(weights or {}).get(n, 1.0)))
    return BackendQuery(groups=groups, **options)


def keys_of(backend, *word_lists, **options):
    """The keys found, in order (first page of 50 unless told)."""
    options.setdefault("per_page", 50)
    return [hit.key for hit in backend.search(query(*word_lists, **options)).hits]


# --- matching and ranking ------------------------------------------------------------------------------

def test_folded_words_match_accented_text(backend, db):
    build(backend, [doc(1, "Máy cấy lúa tự động"), doc(2, "Đường giao thông nông thôn", body="Bê tông nhựa"),
                    doc(3, "Phân bón hữu cơ vi sinh")])
    assert keys_of(backend, "may cay")[0] == "listing:1"
    assert keys_of(backend, "duong") == ["listing:2"]
    assert keys_of(backend, "đường") == ["listing:2"]
    assert keys_of(backend, "be tong") == ["listing:2"]  # body words too
    assert keys_of(backend, "phan bon") == ["listing:3"]


@pytest.mark.parametrize("word, first", [("mát", "listing:1"), ("mặt", "listing:2"), ("mắt", "listing:3")])
def test_exact_diacritics_rank_above_folded(backend, db, word, first):
    build(backend, [doc(1, "Tấm mát cho nhà kính"), doc(2, "Tấm mặt cho nhà kính"), doc(3, "Tấm mắt cho nhà kính")])
    found = keys_of(backend, [word])
    assert sorted(found) == ["listing:1", "listing:2", "listing:3"]  # the folded word finds all three
    assert found[0] == first


def test_adjacent_pair_ranks_above_scattered_words(backend, db):
    # The scattered title is shorter (which alone would rank it first) and indexed first.
    build(backend, [doc(1, "Máy, lò sấy"), doc(2, "Máy sấy nông sản")])
    assert keys_of(backend, "máy sấy") == ["listing:2", "listing:1"]
    assert keys_of(backend, "may say") == ["listing:2", "listing:1"]


def test_title_ranks_above_body(backend, db):
    build(backend, [doc(1, "Công nghệ xử lý nước", body="Dùng cho biogas"), doc(2, "Hầm biogas composite")])
    assert keys_of(backend, "biogas") == ["listing:2", "listing:1"]


def test_any_word_may_match(backend, db):
    build(backend, [doc(1, "Máy sấy nông sản"), doc(2, "Phân bón hữu cơ")])
    found = keys_of(backend, "tôi cần tìm máy sấy cà phê năng lượng mặt trời giá rẻ xyzzy")
    assert found == ["listing:1"]
    assert keys_of(backend, "xyzzy qwertz") == []


def test_heavier_groups_count_more(backend, db):
    build(backend, [doc(1, "Chế phẩm sinh học"), doc(2, "Khử mùi chuồng trại")])
    found = keys_of(backend, ["sinh", "học"], ["khử", "mùi"], weights={0: 0.2, 1: 1.0})
    assert found == ["listing:2", "listing:1"]
    found = keys_of(backend, ["sinh", "học"], ["khử", "mùi"], weights={0: 1.0, 1: 0.2})
    assert found == ["listing:1", "listing:2"]


def test_pairs_reach_across_the_reference(backend, db):
    build(backend, [doc(1, "Giống lúa chịu mặn", ref="CN-2026-00017"), doc(2, "Giống lúa thơm", ref="CN-2026-00018")])
    assert keys_of(backend, "CN-2026-00017".replace("-", " ").lower())[0] == "listing:1"


# --- filters, facets, order, pages ---------------------------------------------------------------------

def _facet_corpus():
    return [
        doc(1, "Máy sấy lúa", kind="offer", sector_code="202", sector_group="2", trl_band="7-9",
            transfer_mode=["license", "sale"], locality_code="phu-ly", owner_kind="institute"),
        doc(2, "Máy sấy cà phê", kind="need", sector_code="203", sector_group="2", trl_band="4-6",
            transfer_mode=["sale"], locality_code="duy-tien", owner_kind="enterprise"),
        doc(3, "Sáng chế máy sấy", kind="ip", sector_code="501", sector_group="5", trl_band="1-3",
            transfer_mode=["license", "joint"], locality_code="phu-ly", owner_kind="university", ip_type="patent"),
        doc(4, "Viện máy sấy", kind="org", locality_code="kim-bang", owner_kind="institute"),
        doc(5, "Phân bón hữu cơ", kind="offer", sector_code="202", sector_group="2", trl_band="7-9",
            transfer_mode=["sale"], locality_code="phu-ly", owner_kind="enterprise"),
    ]


@pytest.mark.parametrize("filters, expected", [
    ({"kind": "offer"}, {"listing:1"}),
    ({"kind": ["offer", "ip"]}, {"listing:1", "listing:3"}),
    ({"kind": ["org"]}, {"org:4"}),
    ({"sector_code": "203"}, {"listing:2"}),
    ({"sector_group": "2"}, {"listing:1", "listing:2"}),
    ({"trl_band": "1-3"}, {"listing:3"}),
    ({"transfer_mode": "license"}, {"listing:1", "listing:3"}),
    ({"transfer_mode": "joint"}, {"listing:3"}),
    ({"locality_code": "phu-ly"}, {"listing:1", "listing:3"}),
    ({"owner_kind": "institute"}, {"listing:1", "org:4"}),
    ({"ip_type": "patent"}, {"listing:3"}),
    ({"kind": "offer", "transfer_mode": "sale", "locality_code": "phu-ly"}, {"listing:1"}),
    ({"kind": "offer", "trl_band": "1-3"}, set()),
    ({"kind": "", "sector_code": None, "ip_type": []}, {"listing:1", "listing:2", "listing:3", "org:4"}),
])
def test_filters(backend, db, filters, expected):
    build(backend, _facet_corpus())
    result = backend.search(query("máy sấy", filters=filters, per_page=50))
    assert {hit.key for hit in result.hits} == expected
    assert result.total == len(expected)


def test_filters_without_words_list_everything_that_passes(backend, db):
    build(backend, _facet_corpus())
    result = backend.search(BackendQuery(filters={"sector_group": "2"}, per_page=50))
    assert [hit.key for hit in result.hits] == ["listing:5", "listing:2", "listing:1"]  # newest first
    assert result.total == 3


def test_facet_counts(backend, db):
    build(backend, _facet_corpus())
    names = ("kind", "sector_group", "sector_code", "trl_band", "transfer_mode", "locality_code", "owner_kind",
             "ip_type")
    result = backend.search(query("máy sấy", facets=names))
    assert result.total == 4
    assert result.facets["kind"] == {"offer": 1, "need": 1, "ip": 1, "org": 1}
    assert result.facets["sector_group"] == {"2": 2, "5": 1}
    assert result.facets["sector_code"] == {"202": 1, "203": 1, "501": 1}
    assert result.facets["trl_band"] == {"7-9": 1, "4-6": 1, "1-3": 1}
    assert result.facets["transfer_mode"] == {"license": 2, "sale": 2, "joint": 1}
    assert result.facets["locality_code"] == {"phu-ly": 2, "duy-tien": 1, "kim-bang": 1}
    assert result.facets["owner_kind"] == {"institute": 2, "enterprise": 1, "university": 1}
    assert result.facets["ip_type"] == {"patent": 1}
    filtered = backend.search(query("máy sấy", filters={"transfer_mode": "license"}, facets=names))
    assert filtered.facets["transfer_mode"] == {"license": 2, "sale": 1, "joint": 1}
    assert filtered.facets["kind"] == {"offer": 1, "ip": 1}
    everything = backend.search(BackendQuery(facets=("kind", "transfer_mode")))
    assert everything.total == 5
    assert everything.facets["kind"] == {"offer": 2, "need": 1, "ip": 1, "org": 1}
    assert everything.facets["transfer_mode"] == {"license": 2, "sale": 3, "joint": 1}
    assert backend.search(query("máy sấy", facets=())).facets == {}


def test_newest_first(backend, db):
    build(backend, [doc(1, "Máy sấy lúa", minutes=30), doc(2, "Máy sấy", minutes=10), doc(3, "Lò sấy", minutes=20)])
    assert keys_of(backend, "máy sấy", sort="newest") == ["listing:1", "listing:3", "listing:2"]
    assert keys_of(backend, "máy sấy")[2] == "listing:3"  # relevance: both words before one


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_pages_and_total(backend, db, sort):
    build(backend, [doc(n, f"Máy sấy mẫu {n}" if n % 2 else f"Máy cày mẫu {n}") for n in range(1, 26)])
    seen = []
    for page in (1, 2, 3):
        result = backend.search(query("máy sấy", sort=sort, page=page, per_page=10))
        assert result.total == 25
        assert len(result.hits) == (10 if page < 3 else 5)
        seen += [hit.key for hit in result.hits]
    assert sorted(seen) == sorted(f"listing:{n}" for n in range(1, 26))  # no repeats, none missed
    if sort == "relevance":
        assert all(int(key.split(":")[1]) % 2 for key in seen[:13])  # the 13 "máy sấy" titles first
    else:
        assert seen == [f"listing:{n}" for n in range(25, 0, -1)]


# --- writing -------------------------------------------------------------------------------------------

def test_batch_writes_are_searchable(backend, db):
    assert not backend.exists()
    write(backend, db, upsert=[doc(1, "Máy sấy lúa"), doc(2, "Phân bón hữu cơ")])
    assert backend.exists()
    assert backend.keys() == {"listing:1", "listing:2"}
    assert keys_of(backend, "máy sấy") == ["listing:1"]
    write(backend, db, upsert=[doc(3, "Máy cày"), doc(3, "Máy cày đa năng")])  # the same key twice: the last
    assert keys_of(backend, "năng") == ["listing:3"]
    assert backend.keys() == {"listing:1", "listing:2", "listing:3"}


def test_batch_delete(backend, db):
    write(backend, db, upsert=[doc(1, "Máy sấy lúa"), doc(2, "Phân bón hữu cơ")])
    assert keys_of(backend, "máy") == ["listing:1"]  # this process now holds a searcher
    write(backend, db, delete=["listing:1", "listing:99"])
    assert keys_of(backend, "máy sấy") == []
    assert backend.keys() == {"listing:2"}
    write(backend, db, upsert=[doc(1, "Máy sấy lúa")])
    assert keys_of(backend, "máy sấy") == ["listing:1"]


def test_batch_upsert_replaces_the_old_version(backend, db):
    write(backend, db, upsert=[doc(1, "Máy sấy lúa"), doc(2, "Phân bón hữu cơ")])
    assert keys_of(backend, "máy") == ["listing:1"]
    write(backend, db, upsert=[doc(1, "Máy cày đa năng")])
    assert keys_of(backend, "máy") == ["listing:1"]  # once
    assert keys_of(backend, "sấy") == []  # the old title is gone
    assert keys_of(backend, "cày") == ["listing:1"]


def test_rebuild_replaces_everything(backend, db):
    write(backend, db, upsert=[doc(1, "Máy sấy lúa"), doc(2, "Phân bón hữu cơ")])
    assert keys_of(backend, "máy") == ["listing:1"]
    assert build(backend, [doc(3, "Giống lúa chịu mặn"), doc(4, "Nhà màng", kind="org")]) == 2
    assert backend.keys() == {"listing:3", "org:4"}
    assert keys_of(backend, "máy sấy phân bón") == []
    assert keys_of(backend, "lúa") == ["listing:3"]
    done = []
    assert backend.rebuild(1, iter([doc(5, "Máy sấy")]), progress=done.append) == 1
    assert done == [1]
    assert backend.keys() == {"listing:5"}
    assert keys_of(backend, "máy sấy") == ["listing:5"]


def test_an_empty_index_answers(backend, db):
    build(backend, [doc(1, "Máy sấy")])
    assert keys_of(backend, "máy") == ["listing:1"]
    assert build(backend, []) == 0
    assert backend.exists()
    assert backend.keys() == set()
    result = backend.search(BackendQuery(facets=("kind", "transfer_mode")))
    assert (result.total, result.hits) == (0, [])
    assert backend.search(query("máy")).total == 0
    assert backend.health() == ("ok", f"{backend.name}, 0 documents")


def test_searches_see_the_old_index_while_a_rebuild_runs(backend, db):
    build(backend, [doc(1, "Máy sấy lúa")])
    seen = []

    def progress(done):
        seen.append((done, keys_of(backend, "máy sấy lúa")))

    backend.rebuild(2, iter([doc(2, "Máy sấy cà phê"), doc(3, "Lúa giống")]), progress=progress)
    assert seen == [(1, ["listing:1"]), (2, ["listing:1"])]
    assert sorted(keys_of(backend, "máy sấy lúa")) == ["listing:2", "listing:3"]


def test_vocabulary_has_exact_and_folded_words(backend, db):
    build(backend, [doc(1, "Máy sấy lúa", keywords="nông sản"), doc(2, "Máy cày", body="Đường nông thôn")])
    vocabulary = backend.vocabulary()
    assert vocabulary["máy"] == 2
    assert vocabulary["may"] == 2
    assert vocabulary["sấy"] == 1 and vocabulary["say"] == 1
    assert vocabulary["đường"] == 1 and vocabulary["duong"] == 1
    assert vocabulary["sản"] == 1 and vocabulary["thôn"] == 1  # keywords and body words
    assert vocabulary["nông"] >= 1  # Whoosh counts the field where it is most frequent (here 1 of 2 documents)
    assert "máy_sấy" not in vocabulary and "may_say" not in vocabulary  # pairs are not words


def test_pair_frequency(backend, db):
    build(backend, [doc(1, "Máy sấy nông sản"), doc(2, "Nông sản sạch", body="Máy, sấy"), doc(3, "Sấy máy")])
    assert backend.pair_frequency("nong", "san") == 2
    assert backend.pair_frequency("may", "say") == 2  # "Máy, sấy" counts too: punctuation is no word
    assert backend.pair_frequency("say", "may") == 1
    assert backend.pair_frequency("may", "nong") == 0
    for word in HOSTILE_WORDS:
        assert backend.pair_frequency(word, "san") == 0


def test_health(backend, db):
    status, detail = backend.health()
    assert status == "degraded" and detail
    build(backend, [doc(1, "Máy sấy"), doc(2, "Máy cày")])
    assert backend.health() == ("ok", f"{backend.name}, 2 documents")


def test_missing_index_raises_search_unavailable(backend, db):
    if backend.name == "postgres":
        backend.drop_schema()
    assert not backend.exists()
    for q in (query("máy sấy"), BackendQuery()):
        with pytest.raises(SearchUnavailable):
            backend.search(q)
    with pytest.raises(SearchUnavailable):
        backend.keys()
    with pytest.raises(SearchUnavailable):
        backend.vocabulary()
    assert backend.health()[0] == "degraded"


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_hostile_words_never_raise(backend, db, sort):
    build(backend, [doc(1, "Máy sấy lúa", body="Giá 'rẻ' & tốt | (mới) a\\b"), doc(2, "Đường nông thôn")])
    for word in HOSTILE_WORDS:
        backend.search(query([word], sort=sort, facets=("kind", "transfer_mode")))
        assert "listing:1" in keys_of(backend, ["máy", word, "sấy"], sort=sort)
    assert "listing:1" in keys_of(backend, HOSTILE_WORDS + ["máy"], sort=sort)
    backend.search(query(HOSTILE_WORDS, sort=sort))
    backend.search(query("máy", filters={"kind": "'; DROP TABLE search_document; --",
                                         "transfer_mode": ["'", "\\", "{a,b}"], "sector_code": "\x00"}))
    assert backend.keys() == {"listing:1", "listing:2"}


# --- the PostgreSQL backend alone ----------------------------------------------------------------------

def test_postgres_batch_commits_with_the_callers_transaction(pg_backend, db):
    write(pg_backend, db, upsert=[doc(1, "Máy sấy")])
    with Session(db.engine) as session:
        with pg_backend.batch(session) as batch:
            batch.upsert([doc(2, "Máy cày")])
            batch.delete(["listing:1"])
        session.rollback()  # the outbox rows were not deleted either: the change is replayed later
    assert pg_backend.keys() == {"listing:1"}


def test_postgres_writers_wait_for_each_other(pg_backend, db):
    from marketplace.search.backends.postgres import LockTimeout, PostgresBackend

    impatient = PostgresBackend(lock_timeout=0.3)
    with Session(db.engine) as first:
        with pg_backend.batch(first) as batch:
            batch.upsert([doc(1, "Máy sấy")])
            with pytest.raises(LockTimeout):
                write(impatient, db, upsert=[doc(2, "Máy cày")])
            with pytest.raises(LockTimeout):
                impatient.rebuild(0, iter([]))
        first.commit()
    write(impatient, db, upsert=[doc(2, "Máy cày")])
    assert pg_backend.keys() == {"listing:1", "listing:2"}


def test_postgres_vocabulary_counts_follow_writes(pg_backend, db):
    write(pg_backend, db, upsert=[doc(1, "Máy sấy lúa"), doc(2, "Máy cày")])
    assert pg_backend.vocabulary()["máy"] == 2
    write(pg_backend, db, upsert=[doc(1, "Lò sấy lúa")])
    vocabulary = pg_backend.vocabulary()
    assert vocabulary["máy"] == 1 and vocabulary["lò"] == 1 and vocabulary["sấy"] == 1
    write(pg_backend, db, delete=["listing:2"])
    vocabulary = pg_backend.vocabulary()
    assert "máy" not in vocabulary and "cày" not in vocabulary and "cay" not in vocabulary
    assert vocabulary == pg_backend.vocabulary()
    build(pg_backend, [doc(1, "Lò sấy lúa")])
    assert pg_backend.vocabulary() == vocabulary  # a rebuild counts the same
    assert pg_backend.health() == ("ok", "postgres, 1 documents")


def test_postgres_suggests_spellings(pg_backend, db):
    build(pg_backend, [doc(1, "Máy sấy nông sản"), doc(2, "Nông nghiệp công nghệ cao"), doc(3, "Nông trại")])
    assert pg_backend.suggest("nongg")[0] == "nong"  # the most similar, then the most documents
    assert pg_backend.suggest("nghiêp")[:2] == ["nghiep", "nghiệp"]  # folded: as similar to the folded form
    assert "nông" not in pg_backend.suggest("nông")  # not the word itself
    assert len(pg_backend.suggest("nôngg", limit=1)) == 1
    assert pg_backend.suggest("zzzzzz") == []
    for word in HOSTILE_WORDS:
        pg_backend.suggest(word)


def test_postgres_candidates_keep_exact_spellings_and_pairs(pg_backend, db, monkeypatch):
    """With more matches than CANDIDATES, the exact rank is computed for the best candidates by title and
    keyword words (accented ones and pairs included): an old exact or adjacent match still comes first."""
    from marketplace.search.backends import postgres

    monkeypatch.setattr(postgres, "CANDIDATES", 3)
    build(pg_backend, [doc(1, "Tấm mát cho nhà kính"), doc(2, "Máy sấy nông sản", body="Tấm mặt")]
          + [doc(n, "Tấm mặt cho nhà kính", body="Máy, lò sấy") for n in range(10, 20)])
    result = pg_backend.search(query(["mát"], per_page=2, facets=("kind",)))
    assert (result.total, result.hits[0].key) == (12, "listing:1")
    assert result.facets == {"kind": {"offer": 12}}
    assert keys_of(pg_backend, "máy sấy", per_page=2)[0] == "listing:2"
    assert len(keys_of(pg_backend, "mặt", page=4, per_page=3)) == 3  # pages past the candidates still fill
    assert keys_of(pg_backend, "mặt", page=5, per_page=3) == []


def test_postgres_kind_boost_ranks_a_kind_up(pg_backend, db):
    """kind_boost multiplies the relevance of a kind: an offer as alike as a newer need comes first."""
    build(pg_backend, [doc(1, "Máy sấy nông sản"), doc(2, "Máy sấy nông sản", kind="need")])
    assert keys_of(pg_backend, "máy sấy") == ["listing:2", "listing:1"]
    assert keys_of(pg_backend, "máy sấy", kind_boost={"offer": 1.3}) == ["listing:1", "listing:2"]
    assert keys_of(pg_backend, "máy sấy", kind_boost={"offer": 1.3}, sort="newest") == ["listing:2", "listing:1"]


def _common_words_setup(pg_backend, monkeypatch, stats=None):
    """A small index where "máy" and "sấy" are common words (a word in over 30% of the documents is)."""
    from marketplace.search.backends import postgres

    monkeypatch.setattr(postgres, "COMMON_MIN_DOCS", 0)
    monkeypatch.setattr(postgres, "COMMON_SHARE", 0.3)
    monkeypatch.setattr(postgres, "_common_lexemes", lambda conn, build=None: dict(stats or {}))
    build(pg_backend, [doc(n, "Máy sấy nông sản") for n in range(1, 5)]
          + [doc(n, "Máy cày tay") for n in range(5, 9)]
          + [doc(9, "Lò sấy gạch"), doc(10, "Lò sấy gỗ"), doc(11, "Chuối sấy dẻo")])


def test_postgres_common_words_must_all_match(pg_backend, db, monkeypatch):
    """Without a rare word, a document must hold every common word of the query (not just "máy")."""
    _common_words_setup(pg_backend, monkeypatch)
    result = pg_backend.search(query(["sấy", "máy"], per_page=50))
    assert sorted(h.key for h in result.hits) == [f"listing:{n}" for n in range(1, 5)]
    assert (result.total, result.approximate) == (4, False)


def test_postgres_a_rare_word_decides_the_match(pg_backend, db, monkeypatch):
    """With a rare word ("chuối") a document must hold it; the common words only rank what it finds."""
    _common_words_setup(pg_backend, monkeypatch, stats={"may_say": 0.5, "": 0.5})
    assert keys_of(pg_backend, "máy sấy chuối") == ["listing:11"]


def test_postgres_common_words_fall_back_to_any_word(pg_backend, db, monkeypatch):
    """Common words no document holds together: every document with any of them is found, as before."""
    _common_words_setup(pg_backend, monkeypatch)
    result = pg_backend.search(query(["cày", "sấy"], per_page=50))
    assert result.total == 11


def test_postgres_huge_matches_are_counted_on_a_window(pg_backend, db, monkeypatch):
    """Past EXACT_LIMIT estimated matches, the hits come from the newest matching documents and the total and
    facets are estimated from them, flagged approximate; below it, everything is exact."""
    from marketplace.search.backends import postgres

    build(pg_backend, [doc(n, f"Máy sấy {n}") for n in range(1, 11)])
    exact = pg_backend.search(query(["sấy"], per_page=2, facets=("kind",)))
    assert (exact.total, exact.approximate, exact.facets) == (10, False, {"kind": {"offer": 10}})
    monkeypatch.setattr(postgres, "EXACT_LIMIT", 2)
    monkeypatch.setattr(postgres, "WINDOW", 3)
    windowed = pg_backend.search(query(["sấy"], per_page=2, facets=("kind",)))
    assert windowed.approximate
    assert windowed.total == 10 and windowed.facets == {"kind": {"offer": 10}}
    assert [h.key for h in windowed.hits] == ["listing:10", "listing:9"]
    newest = pg_backend.search(query(["sấy"], per_page=2, page=2, sort="newest", facets=("kind",)))
    assert [h.key for h in newest.hits] == ["listing:8", "listing:7"]
    browse = pg_backend.search(BackendQuery(per_page=2, facets=("kind",), filters={"kind": "offer"}))
    assert (browse.total, browse.approximate) == (10, True)


def test_postgres_large_index_counts_matches_on_the_sample(pg_backend, db, monkeypatch):
    """On a large index the matches are counted among every SAMPLE-th document (by doc_id), as many as stand in
    the vocabulary on a small one: 3 sampled matches stand for 3 x 64, past EXACT_LIMIT."""
    from marketplace.search.backends import postgres

    build(pg_backend, [doc(n, "Máy sấy nông sản") for n in (64, 128, 192)] + [doc(n, "Máy cày") for n in range(1, 6)])
    monkeypatch.setattr(postgres, "EXACT_LIMIT", 100)
    small = pg_backend.search(query("sấy"))
    assert (small.total, small.approximate) == (3, False)
    monkeypatch.setattr(postgres, "SAMPLE_FROM", 0)
    large = pg_backend.search(query("sấy"))
    assert (large.total, large.approximate) == (192, True)
    assert sorted(h.key for h in large.hits) == ["listing:128", "listing:192", "listing:64"]


def test_postgres_window_reads_bodies_when_no_title_holds_the_words(pg_backend, db, monkeypatch):
    """Words found in no title or keyword of the newest documents: the window is taken from their bodies
    rather than reading every match."""
    from marketplace.search.backends import postgres

    build(pg_backend, [doc(n, "Thiết bị", body="Máy sấy nông sản") for n in (64, 128, 192)]
          + [doc(n, "Máy cày") for n in range(1, 6)])
    monkeypatch.setattr(postgres, "EXACT_LIMIT", 100)
    monkeypatch.setattr(postgres, "SAMPLE_FROM", 0)
    result = pg_backend.search(query("sấy", per_page=2))
    assert (result.total, result.approximate) == (192, True)
    assert [h.key for h in result.hits] == ["listing:192", "listing:128"]
    assert pg_backend.search(query("sấy", filters={"kind": "need"})).total == 0


def test_postgres_pair_frequency_estimates_common_pairs(pg_backend, db, monkeypatch):
    """Pairs are counted up to PAIR_COUNTED documents and estimated on the sample beyond."""
    from marketplace.search.backends import postgres

    monkeypatch.setattr(postgres, "PAIR_COUNTED", 3)
    build(pg_backend, [doc(n, "Nông sản") for n in (1, 2, 64)] + [doc(n, "Sản nông") for n in (3, 4)])
    assert pg_backend.pair_frequency("san", "nong") == 2
    assert pg_backend.pair_frequency("nong", "san") == 64  # 3 counted: one sampled document, times 64


def test_postgres_pair_frequency_follows_writes(pg_backend, db):
    """Answers are reused, but not past a write or a rebuild by the same process."""
    build(pg_backend, [doc(1, "Nông sản")])
    assert pg_backend.pair_frequency("nong", "san") == 1
    write(pg_backend, db, upsert=[doc(2, "Nông sản sạch")])
    assert pg_backend.pair_frequency("nong", "san") == 2
    build(pg_backend, [doc(3, "Sản nông")])
    assert pg_backend.pair_frequency("nong", "san") == 0


def test_postgres_long_titles_and_keywords_fit_the_ts_index(pg_backend, db):
    """The ts index holds each document's title and keyword words (its entries have a size limit): the longest
    title and keywords a listing may have, with every facet at its longest, are written and found."""
    words = " ".join(f"nghiên{n} cứu{n}" for n in range(200))
    longest = doc(1, words[:300], keywords=words[:1000], locality_code="x" * 40, sector_code="9" * 10,
                  ip_type="y" * 30, transfer_mode=[f"{n:02d}" + "z" * 38 for n in range(30)])
    build(pg_backend, [longest])
    write(pg_backend, db, upsert=[longest, doc(2, words[:300])])
    assert sorted(keys_of(pg_backend, "nghiên0 cứu0")) == ["listing:1", "listing:2"]


def test_postgres_unavailable_on_a_broken_table(pg_backend, db):
    build(pg_backend, [doc(1, "Máy sấy")])
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE search_document DROP COLUMN folded"))
    with pytest.raises(SearchUnavailable):
        pg_backend.search(query("máy"))


def _schema_snapshot(conn):
    """Columns, constraints and indexes of the search tables, as the catalogue describes them."""
    columns = conn.execute(text(
        "SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_name LIKE 'search\\_document%' OR table_name LIKE "
        "'search\\_vocabulary%' ORDER BY 1, 2")).all()
    indexes = conn.execute(text(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename IN "
        "('search_document', 'search_vocabulary', 'search_document_state') ORDER BY 1, 2")).all()
    constraints = conn.execute(text(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid::regclass::text IN ('search_document', 'search_vocabulary', 'search_document_state') "
        "ORDER BY 1, 2")).all()
    storage = conn.execute(text(
        "SELECT c.relname, c.reloptions, a.attname, a.attstorage FROM pg_class c JOIN pg_attribute a "
        "ON a.attrelid = c.oid WHERE c.relname IN ('search_document', 'search_vocabulary', 'search_document_state') "
        "AND a.attnum > 0 ORDER BY 1, 3")).all()
    return columns, indexes, constraints, storage


def test_postgres_migration_builds_the_schema_ensure_schema_builds(pg_backend, db):
    migrations = []
    for n, path in enumerate(MIGRATIONS):
        spec = importlib.util.spec_from_file_location(f"postgres_search_migration_{n}", path)
        migrations.append(importlib.util.module_from_spec(spec))
        spec.loader.exec_module(migrations[-1])
    assert [m.down_revision for m in migrations] == ["0004", "0006", "0007"]  # (0006 is not the search's)
    pg_backend.drop_schema()
    with db.engine.begin() as conn:
        for migration in migrations:
            for statement in migration.STATEMENTS:
                conn.execute(text(statement))
        migrated = _schema_snapshot(conn)
    pg_backend.drop_schema()
    pg_backend.ensure_schema()
    pg_backend.ensure_schema()  # idempotent
    with db.engine.connect() as conn:
        ensured = _schema_snapshot(conn)
    assert migrated == ensured
    assert len(migrated[1]) == 9  # 3 primary keys; GIN on words, the sample's words, transfer modes; 2 ts; trigrams
    assert ("search_document", ["toast_tuple_target=128"], "head", "p") in migrated[3]
    build(pg_backend, [doc(1, "Máy sấy")])  # the swap keeps the names
    with db.engine.connect() as conn:
        assert _schema_snapshot(conn) == ensured


def test_postgres_migration_0008_cuts_heads_the_ts_index_cannot_hold(pg_backend, db):
    """A head written before 0008 (up to 3,000 bytes) is cut under 1,500 before the ts index includes it."""
    paths = {path.name[:4]: path for path in MIGRATIONS}
    migrations = {}
    for revision in ("0005", "0007", "0008"):
        spec = importlib.util.spec_from_file_location(f"postgres_search_migration_{revision}", paths[revision])
        migrations[revision] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migrations[revision])
    pg_backend.drop_schema()
    head = " ".join(f"tu{n:04d}" for n in range(300))  # 300 words, 3,008 bytes as a tsvector
    with db.engine.begin() as conn:
        for statement in migrations["0005"].STATEMENTS + migrations["0007"].STATEMENTS:
            conn.execute(text(statement))
        conn.execute(text("INSERT INTO search_document (key, kind, doc_id, head, folded, exact) "
                          "VALUES ('listing:1', 'offer', 1, CAST(:h AS tsvector), '', '')"), {"h": head})
        for statement in migrations["0008"].STATEMENTS:
            conn.execute(text(statement))
        size, first = conn.execute(text("SELECT pg_column_size(head), head @@ 'tu0000' FROM search_document")).one()
    assert 1000 < size <= 1500 and first
