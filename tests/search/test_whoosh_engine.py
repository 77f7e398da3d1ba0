"""The Whoosh backend answers from its own evaluation (whoosh_engine: posting lists kept per segment, bit masks,
BM25F over the matches). These tests hold it to what Whoosh's own search gave: the same documents in the same
order with the same scores, counts that follow edits and deletions across segments, and the common-words rule."""
import random

import pytest

from marketplace.search.backends import whoosh_backend, whoosh_engine
from marketplace.search.backends.base import BackendQuery
from marketplace.search.backends.whoosh_backend import WhooshBackend
from tests.search.test_backends import build, doc, keys_of, query, write

WORDS = ("máy sấy nông sản lúa gạo cà phê chè tưới nhỏ giọt phân bón hữu cơ vi sinh xử lý nước thải "
         "chăn nuôi gà lợn bò cá tôm mùi hôi khử đệm lót sinh học cảm biến độ ẩm đất năng lượng mặt trời").split()


@pytest.fixture
def backend(app, tmp_path):
    backend = WhooshBackend(str(tmp_path / "search-index"), lock_timeout=5.0)
    yield backend
    backend.close()


def _random_docs(rng, start, count):
    """Listings of random words from WORDS: titles of 3–8 words, bodies of 10–60, in four sectors."""
    docs = []
    for n in range(start, start + count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 60)))
        docs.append(doc(n, title.capitalize(), body=body, sector_code=str(200 + n % 4),
                        transfer_mode=["license"] if n % 3 else ["license", "sale"]))
    return docs


def _whoosh_ranking(backend, groups, limit):
    """What Whoosh's own search gives for the plan's clauses as one Or of boosted terms: [(key, score)]."""
    from whoosh import query as wq

    with backend._searcher() as searcher:
        plans = whoosh_backend._query_plans(groups, searcher, backend._view(searcher))
        clauses = plans[-1][1][0][0]
        terms = [wq.Term(name, text, boost=boost) for clause in clauses for name, text, boost in clause.terms]
        return [(hit["key"], hit.score) for hit in searcher.search(wq.Or(terms), limit=limit)]


def test_scores_and_order_are_whoosh_bm25f_across_segments_and_deletions(backend, db):
    """Three batches (three segments) and deletions: every query ranks as Whoosh's BM25F search does."""
    rng = random.Random(5)
    docs = _random_docs(rng, 1, 60)
    build(backend, docs[:30])
    write(backend, db, upsert=docs[30:45])
    write(backend, db, upsert=docs[45:], delete=["listing:3", "listing:33", "listing:50"])
    write(backend, db, upsert=[doc(7, "Máy sấy cà phê", body="sấy lạnh")])  # an edit: delete plus add
    for words in ("máy sấy", "may say", "cà phê", "xử lý nước thải", "mùi hôi chăn nuôi gà", "năng lượng"):
        result = backend.search(query(words, per_page=40))
        expected = _whoosh_ranking(backend, query(words).groups, 40)
        assert [h.key for h in result.hits] == [key for key, _ in expected], words
        assert [h.score for h in result.hits] == pytest.approx([score for _, score in expected], rel=1e-5)
        assert result.total >= len(result.hits)
    assert "listing:3" not in keys_of(backend, WORDS[:20], per_page=100)


def test_counts_after_edits_equal_a_fresh_rebuild(backend, db, tmp_path):
    """Totals, pages and facet counts of an index grown by batches equal those of one built in one go."""
    rng = random.Random(9)
    docs = _random_docs(rng, 1, 80)
    build(backend, docs[:40])
    write(backend, db, upsert=docs[40:])
    write(backend, db, delete=[f"listing:{n}" for n in range(1, 80, 7)])
    kept = [d for d in docs if (d.id - 1) % 7]
    fresh = WhooshBackend(str(tmp_path / "fresh-index"))
    build(fresh, kept)
    facets = ("kind", "sector_code", "transfer_mode")
    try:
        for q in (query("máy sấy", facets=facets), query("tôm cá", facets=facets, filters={"sector_code": "201"}),
                  BackendQuery(facets=facets, per_page=100),
                  BackendQuery(facets=facets, filters={"transfer_mode": "sale"}, per_page=100)):
            grown, built = backend.search(q), fresh.search(q)
            assert (grown.total, grown.facets) == (built.total, built.facets)
            if not q.groups:  # newest first: the very same pages
                assert [h.key for h in grown.hits] == [h.key for h in built.hits]
        assert sum(backend.search(BackendQuery(facets=facets)).facets["sector_code"].values()) == len(kept)
    finally:
        fresh.close()


def test_newest_first_pages_follow_publication_time(backend, db):
    build(backend, [doc(n, f"Máy sấy số {n}", minutes=100 - n) for n in range(1, 8)])
    write(backend, db, upsert=[doc(8, "Máy sấy mới nhất", minutes=500)])
    assert keys_of(backend, "máy sấy", sort="newest", per_page=3) == ["listing:8", "listing:1", "listing:2"]
    assert keys_of(backend, "máy sấy", sort="newest", per_page=3, page=3) == ["listing:6", "listing:7"]
    assert keys_of(backend, "máy sấy", sort="newest", per_page=3, page=4) == []


@pytest.fixture
def common_words(backend, monkeypatch):
    """A small index where "máy" and "sấy" are common words (a word in over 30% of the documents is)."""
    monkeypatch.setattr(whoosh_backend, "COMMON_MIN_DOCS", 0)
    monkeypatch.setattr(whoosh_backend, "COMMON_SHARE", 0.3)
    build(backend, [doc(n, "Máy sấy nông sản") for n in range(1, 5)]
          + [doc(n, "Máy cày tay") for n in range(5, 9)]
          + [doc(9, "Lò sấy gạch"), doc(10, "Lò sấy gỗ"), doc(11, "Chuối sấy dẻo")])
    return backend


def test_a_rare_word_decides_the_match_and_common_words_rank(common_words):
    assert keys_of(common_words, "máy sấy chuối", per_page=1) == ["listing:11"]
    assert common_words.search(query("máy sấy chuối", per_page=1)).total == 1


def test_common_words_alone_must_all_match_while_that_fills_the_page(common_words):
    result = common_words.search(query("máy sấy", per_page=3))
    assert result.total == 4
    assert {h.key for h in result.hits} <= {f"listing:{n}" for n in range(1, 5)}
    broad = common_words.search(query("máy sấy", per_page=20))  # too few for the page: any word, best first
    assert broad.total == 11
    assert {h.key for h in broad.hits[:4]} == {f"listing:{n}" for n in range(1, 5)}


def test_every_page_of_a_search_shows_the_same_total(common_words):
    """The plan is chosen by the first page: page 2 of "máy sấy" does not widen to any word."""
    first = common_words.search(query("máy sấy", per_page=3))
    second = common_words.search(query("máy sấy", per_page=3, page=2))
    assert first.total == second.total == 4
    assert len(second.hits) == 1 and second.hits[0].key not in {h.key for h in first.hits}


def test_an_expansion_phrase_decides_a_match_however_common_its_words(common_words):
    """"MSNS" as written is in no listing; its expansion "máy sấy" is two common words, and the listings that
    hold the phrase whole are the match (not every listing with "máy" or "sấy")."""
    result = common_words.search(query("msns", "máy sấy", weights={1: 0.5}, per_page=2))
    assert result.total == 4
    assert {h.key for h in result.hits} <= {f"listing:{n}" for n in range(1, 5)}


def test_the_posting_cache_keeps_to_its_budget(backend, db, monkeypatch):
    """Posting lists beyond the budget are forgotten, least recently used first, and read again when needed."""
    monkeypatch.setattr(whoosh_engine, "POSTINGS_BUDGET", 50)
    build(backend, _random_docs(random.Random(3), 1, 40))
    first = keys_of(backend, "máy sấy nông sản")
    for words in WORDS:
        keys_of(backend, words)
    segments = whoosh_backend._open[backend.path]["segments"]
    assert sum(data.size for data in segments.by_id.values()) <= 50 + max(d.doccount for d in segments.by_id.values())
    assert keys_of(backend, "máy sấy nông sản") == first


def test_the_vocabulary_follows_edits(backend, db):
    """Words of a listing added by a later batch (a new segment) are known to the reader of queries."""
    build(backend, [doc(1, "Máy sấy nông sản"), doc(2, "Máy cày tay")])
    assert backend.vocabulary()["máy"] == 2
    write(backend, db, upsert=[doc(3, "Máy ép viên rơm rạ")])
    vocab = backend.vocabulary()
    assert (vocab["máy"], vocab["may"], vocab["rơm"], vocab["rom"]) == (3, 3, 1, 1)
