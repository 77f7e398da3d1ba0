"""Matching as pure computation: a farmer's words meet an expert's offer, the facts that matter decide between
near-duplicate offers, and an offer breaking a hard constraint ranks below those that fit and says why."""
from marketplace.matching import engine


def offer(id, title, summary="", trl=7, price=None, modes=("license",), sector="203", **facts):
    return engine.make_profile(id, "offer", title=title, summary=summary, sector_code=sector, trl=trl,
                               price_vnd=price, modes=frozenset(modes), **facts)


def need(id, title, summary="", min_trl=6, budget=None, modes=("license",), sector="203", expansions=(), **facts):
    return engine.make_profile(id, "need", title=title, summary=summary, sector_code=sector, trl=min_trl,
                               price_vnd=budget, modes=frozenset(modes), expansions=expansions, **facts)


OFFERS = [
    offer(1, "Máy sấy nông sản bằng năng lượng mặt trời", "Sấy chuối, gừng, dược liệu giữ màu."),
    offer(2, "Máy cấy lúa mạ khay cỡ nhỏ", "Cho ruộng nhỏ, manh mún.", sector="401"),
    offer(3, "Chế phẩm vi sinh khử mùi chuồng trại", "Giảm mùi hôi trại gà, trại lợn.", sector="402"),
    offer(4, "Lò sấy thóc vỉ ngang", "Sấy lúa sau thu hoạch."),
]


def test_best_offers_share_words_and_say_which():
    found = engine.best_offers(need(10, "Cần máy sấy chuối giữ màu"), engine.Index(OFFERS), 3)
    assert found[0].offer_id == 1
    phrases = next(r for r in found[0].reasons if r.code == "phrases").values["phrases"]
    assert "máy sấy" in phrases[0] or "giữ màu" in phrases
    assert 0 < found[0].score <= 1


def test_diacritics_do_not_matter_and_expansions_bridge_plain_words():
    index = engine.Index(OFFERS)
    assert engine.best_offers(need(11, "can may say chuoi"), index, 1)[0].offer_id == 1
    # "mùi hôi" read through the glossary also means "khử mùi"
    farmer = need(12, "Trại gà bốc mùi quá", expansions=[["khử", "mùi"]], sector="402")
    assert engine.best_offers(farmer, index, 1)[0].offer_id == 3


def test_an_offer_breaking_a_hard_constraint_ranks_below_those_that_fit_and_says_why():
    twins = [offer(20, "Máy sấy chuối giữ màu", "Sấy chuối giữ màu.", trl=4),
             offer(21, "Máy sấy chuối", "Sấy chuối.", trl=8),
             offer(22, "Máy sấy chuối giữ màu", "Sấy chuối giữ màu.", trl=8, modes=("assignment",)),
             offer(23, "Máy sấy chuối giữ màu", "Sấy chuối giữ màu.", trl=8, price=900_000_000)]
    found = engine.best_offers(need(30, "Máy sấy chuối giữ màu", min_trl=6, budget=300_000_000), engine.Index(twins), 4)
    assert [m.offer_id for m in found][0] == 21  # the only one that fits, though less alike in words
    broken = {m.offer_id: [v.code for v in m.violations] for m in found[1:]}
    assert broken == {20: ["trl_below"], 22: ["no_common_form"], 23: ["price_over"]}


def test_facts_count_only_when_the_words_agree():
    """A same-sector offer about something else does not outrank one that answers the need."""
    index = engine.Index([offer(40, "Máy cấy lúa mạ khay", sector="401"),
                          offer(41, "Giống lúa ngắn ngày cứng cây chống đổ", sector="203")])
    found = engine.best_offers(need(42, "Giống lúa ngắn ngày chống đổ", sector="401"), index, 2)
    assert found[0].offer_id == 41


def test_best_needs_of_an_offer():
    needs = engine.Index([need(50, "Cần lò sấy thóc cho vùng lúa"), need(51, "Cần phần mềm kế toán", sector="102")])
    found = engine.best_needs(OFFERS[3], needs, 5)
    assert [m.need_id for m in found] == [50]  # nothing shared with the accounting software need


def phrases_of(match):
    return next((r.values["phrases"] for r in match.reasons if r.code == "phrases"), [])


def written_in(phrase, text):
    """True when `phrase` is a run of words side by side in `text` (within one stretch between punctuation)."""
    return any(f" {phrase} " in f" {' '.join(part)} " for part in engine._chunks(text))


def test_a_shared_phrase_is_a_run_of_words_as_written_never_words_glued_across_a_gap():
    """Pairs are also made across words left out of the text score (fillers such as "và", numbers), but a phrase
    quoted as shared stands word for word in both listings: not "hơi nước" for "lò hơi và nước xả", nor "hơi tấn"
    for "nồi hơi 2 tấn"; and "hồi", "hơi" are words of their own, not the filler "hỏi" folded."""
    offers = [offer(1, "Hệ thống thu hồi nhiệt từ khói lò hơi và nước xả nóng", "Nồi hơi 2 tấn hơi/giờ."),
              offer(2, "Bộ thu nhiệt mặt trời cho khói lò sấy", "Tấm thu nhiệt."),
              offer(3, "Máy sấy nông sản")]
    index = engine.Index(offers)
    dyeing = need(10, "Cần thu hồi nhiệt từ khói lò hơi và nước xả nóng", "Nhà máy dệt nhuộm có nồi hơi 4 tấn.")
    panel = need(11, "Tấm thu hồi nhiệt cho khói lò sấy")
    found = {(m.need_id, m.offer_id): phrases_of(m) for asked in (dyeing, panel)
             for m in engine.best_offers(asked, index, 3)}
    assert found[10, 1] == ["thu hồi nhiệt từ khói lò hơi", "nước xả nóng", "nồi hơi"]
    assert found[10, 2] == ["khói lò"]
    assert found[11, 2] == ["khói lò sấy", "tấm thu"]
    texts = {p.id: p.text for p in offers + [dyeing, panel]}
    for (need_id, offer_id), phrases in found.items():
        for phrase in phrases:
            assert written_in(phrase, texts[offer_id]) and written_in(phrase, texts[need_id]), phrase
    # The other way round (an offer's needs, the need's words quoted) and a whole side at once, the same rule.
    needs = engine.Index([dyeing, panel])
    assert phrases_of(engine.best_needs(offers[0], needs, 2)[0]) == ["thu hồi nhiệt từ khói lò hơi", "nước xả nóng",
                                                                   "nồi hơi"]
    every = dict(engine.best_all(needs, index, 3))
    assert {(m.need_id, m.offer_id): phrases_of(m) for ms in every.values() for m in ms} == found


def test_an_index_kept_up_to_date_finds_what_a_fresh_one_finds():
    kept = engine.Index(OFFERS[:2])
    kept.add(OFFERS[2])
    kept.add(OFFERS[3])
    kept.remove(OFFERS[1].id)
    kept.add(offer(4, "Lò sấy thóc vỉ ngang", "Sấy lúa sau thu hoạch, giữ màu hạt."))  # an edit
    fresh = engine.Index([OFFERS[0], OFFERS[2], offer(4, "Lò sấy thóc vỉ ngang", "Sấy lúa sau thu hoạch, giữ màu hạt.")])
    asked = need(60, "Cần lò sấy lúa giữ màu")
    assert [m for m, _ in kept.similar(asked)] == [m for m, _ in fresh.similar(asked)]
    assert 2 not in kept and kept.size == 3 and sorted(kept.ids) == [1, 3, 4]
    assert "giữ màu hạt" in kept.profile(4).text  # the edit is what is held


# --- the sparse engine against the reference computation -------------------------------------------------

def corpus(n_offers=400, n_needs=40, seed=7):
    """Offers and needs written from a small vocabulary of farm and factory phrases, with random facts, so that
    many share words, some share nothing, and every hard constraint is broken somewhere."""
    import random

    rng = random.Random(seed)
    phrases = ["máy sấy", "nông sản", "xử lý nước thải", "chế phẩm vi sinh", "khử mùi", "trại gà", "lúa gạo",
               "phần mềm quản lý", "hợp tác xã", "giữ màu", "tiết kiệm năng lượng", "lò hơi", "dệt nhuộm",
               "giống lúa", "chống đổ", "cơ khí chính xác", "cảm biến IoT", "nuôi tôm", "thức ăn chăn nuôi",
               "bảo quản lạnh", "chuối", "gừng", "dược liệu", "tuần hoàn", "phân bón hữu cơ", "mạ khay"]
    sectors = ["203", "204", "401", "402", "102", "207"]
    modes = ["license", "assignment", "technical_service", "joint_venture"]

    def text(k):
        return ", ".join(" ".join(rng.sample(phrases, rng.randint(1, 3))) for _ in range(k))

    offers = [offer(i, text(1), text(3), trl=rng.choice([None, 3, 5, 7, 9]),
                    price=rng.choice([None, 100_000_000, 400_000_000, 900_000_000]),
                    modes=rng.sample(modes, rng.randint(0, 2)), sector=rng.choice(sectors),
                    locality_code=rng.choice(["", "phu-ly", "duy-tien"]))
              for i in range(1, n_offers + 1)]
    needs = [need(10_000 + i, text(1), text(2), min_trl=rng.choice([None, 4, 6, 8]),
                  budget=rng.choice([None, 150_000_000, 500_000_000]), modes=rng.sample(modes, rng.randint(0, 2)),
                  sector=rng.choice(sectors), locality_code=rng.choice(["", "phu-ly"]),
                  expansions=[["khử", "mùi"]] if rng.random() < 0.2 else ())
             for i in range(1, n_needs + 1)]
    return offers, needs


def seen(matches):
    """What a user is shown of a list of matches: who, in which order, the score, and every reason."""
    return [(m.need_id, m.offer_id, m.score, m.text, m.fits, [(r.code, r.values) for r in m.reasons],
             [(v.code, v.values) for v in m.violations]) for m in matches]


def test_the_sparse_engine_gives_the_reference_results_scores_and_reasons():
    """Over a corpus where common words are left out of the text score, every need's and offer's list (order,
    scores, shared phrases, violations) is what the plain-Python computation gives."""
    from tests.matching.reference import ReferenceIndex, best

    offers, needs = corpus()
    offer_index, need_index = engine.Index(offers), engine.Index(needs)
    assert offer_index._common().any()  # the corpus exercises the common-terms rule
    reference_offers, reference_needs = ReferenceIndex(offers), ReferenceIndex(needs)
    for asked in needs:
        assert seen(engine.best_offers(asked, offer_index, 10)) == seen(best(asked, reference_offers, 10))
    for offered in offers[:60]:
        assert seen(engine.best_needs(offered, need_index, 10)) == seen(best(offered, reference_needs, 10))
    assert any(m.violations for asked in needs for m in engine.best_offers(asked, offer_index, 10))


def test_best_all_in_blocks_gives_what_one_listing_at_a_time_gives():
    offers, needs = corpus(n_offers=300, n_needs=30)
    offer_index, need_index = engine.Index(offers), engine.Index(needs)
    every = dict(engine.best_all(need_index, offer_index, 10, block=7))
    assert sorted(every) == [n.id for n in needs]
    for asked in needs:
        assert seen(every[asked.id]) == seen(engine.best_offers(asked, offer_index, 10))
    reverse = dict(engine.best_all(offer_index, need_index, 5, block=64))
    for offered in offers[:50]:
        assert seen(reverse[offered.id]) == seen(engine.best_needs(offered, need_index, 5))


def test_best_all_skips_pairs_already_written_without_giving_their_place_away():
    offers, needs = corpus(n_offers=120, n_needs=20)
    offer_index, need_index = engine.Index(offers), engine.Index(needs)
    offered = next(o for o in offers if len(engine.best_needs(o, need_index, 5)) == 5)
    full = engine.best_needs(offered, need_index, 5)
    skip = {(full[0].need_id, offered.id)}
    got = dict(engine.best_all(offer_index, need_index, 5, skip=skip))[offered.id]
    assert seen(got) == seen(full[1:])


def test_changes_go_to_a_delta_and_a_compaction_gives_a_fresh_index():
    """Published, edited and withdrawn listings are searched at once (delta and tombstones); after compact()
    the index answers exactly as one built from the listings held."""
    offers, needs = corpus(n_offers=200, n_needs=15)
    index = engine.Index(offers[:150])
    for profile in offers[150:]:
        index.add(profile)  # published
    edited = offer(7, "Máy sấy chuối giữ màu bằng năng lượng mặt trời", "Sấy chuối, gừng, dược liệu.", trl=8)
    index.add(edited)
    for pid in (3, 160):
        index.remove(pid)  # withdrawn, from the main block and from the delta
    assert index.compactions == 0 and len(index._delta) == 50 and index._dead == 2  # 7 edited, 3 withdrawn
    asked = need(99_999, "Cần máy sấy chuối giữ màu")
    found = engine.best_offers(asked, index, 10)
    assert found[0].offer_id == 7 and {3, 160}.isdisjoint(m.offer_id for m in found)
    held = [edited if p.id == 7 else p for p in offers if p.id not in (3, 160)]
    index.compact()
    fresh = engine.Index(held)
    assert index.compactions == 1 and not index._delta and index.size == fresh.size == 198
    for asked in needs + [asked]:
        assert seen(engine.best_offers(asked, index, 10)) == seen(engine.best_offers(asked, fresh, 10))


def test_the_delta_is_merged_when_it_grows(monkeypatch):
    monkeypatch.setattr(engine, "DELTA_MIN", 10)
    offers, _ = corpus(n_offers=60, n_needs=1)
    index = engine.Index(offers[:40])
    for profile in offers[40:52]:
        index.add(profile)
    assert index.compactions == 1 and len(index._delta) < 10 and index.size == 52


def test_an_index_saved_and_loaded_answers_the_same(tmp_path):
    offers, needs = corpus(n_offers=150, n_needs=10)
    index = engine.Index(offers[:140])
    for profile in offers[140:]:
        index.add(profile)
    index.remove(5)
    path = str(tmp_path / "offers.npz")
    index.save(path, "glossary-1")
    assert engine.Index.load(path, "glossary-2") is None  # read with another glossary: read again
    loaded = engine.Index.load(path, "glossary-1")
    assert loaded.size == 149 and loaded.versions == index.versions and 5 not in loaded
    for asked in needs:
        assert seen(engine.best_offers(asked, loaded, 10)) == seen(engine.best_offers(asked, index, 10))
    (tmp_path / "broken.npz").write_bytes(b"not a file of ours")
    assert engine.Index.load(str(tmp_path / "broken.npz"), "glossary-1") is None


def test_a_word_with_diacritics_is_not_taken_for_a_filler_that_folds_to_the_same_letters():
    """"nén khí" folds to the fillers "nên khi", "cân" to "cần", "trồng" to "trong": they are what the need is
    about, and an offer sharing them outranks one sharing only "tiết kiệm điện"."""
    index = engine.Index([offer(60, "Máy sấy tiết kiệm điện", "Sấy nông sản, tiết kiệm điện."),
                          offer(61, "Máy nén khí trục vít biến tần", "Nén khí cho xưởng gỗ, tiết kiệm điện."),
                          offer(62, "Máy đóng gói có cân định lượng", "Cân và đóng túi gạo tự động.")])
    assert engine.best_offers(need(63, "Máy nén khí tiết kiệm điện"), index, 1)[0].offer_id == 61
    assert engine.best_offers(need(64, "Máy cân gạo vào túi"), index, 1)[0].offer_id == 62
