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


def test_an_index_kept_up_to_date_finds_what_a_fresh_one_finds():
    kept = engine.Index(OFFERS[:2])
    kept.add(OFFERS[2])
    kept.add(OFFERS[3])
    kept.remove(OFFERS[1].id)
    kept.add(offer(4, "Lò sấy thóc vỉ ngang", "Sấy lúa sau thu hoạch, giữ màu hạt."))  # an edit
    fresh = engine.Index([OFFERS[0], OFFERS[2], offer(4, "Lò sấy thóc vỉ ngang", "Sấy lúa sau thu hoạch, giữ màu hạt.")])
    asked = need(60, "Cần lò sấy lúa giữ màu")
    assert [m for m, _ in kept.similar(asked)] == [m for m, _ in fresh.similar(asked)]
    assert 2 not in kept.profiles and kept.size == 3
