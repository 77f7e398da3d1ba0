"""Suggestions as users meet them: computed when listings are published, gone when they leave, rebuilt on demand,
and shown (page and API) only to the listing's owner, brokers and the department."""
import numpy as np
import pytest

from marketplace.matching import services


@pytest.fixture
def exchange(make_listing, make_org):
    """A farm's need and three offers: the one that answers it, a look-alike below its TRL, and an unrelated one."""
    farm = make_org("enterprise", name="Trang trại Gà Thanh Liêm")
    institute = make_org("institute", name="Viện Sinh học Nông nghiệp")
    need = make_listing("need", org=farm, title="Giảm mùi hôi ở trại gà 20.000 con",
                        summary="Chuồng gà bốc mùi, bà con phàn nàn.", sector_code="402", min_trl=6,
                        budget_vnd_max=150_000_000, transfer_modes=("license", "technical_service"))
    good = make_listing("offer", org=institute, title="Chế phẩm vi sinh khử mùi chuồng trại chăn nuôi",
                        summary="Giảm mùi hôi trại gà, trại lợn sau 7 ngày.", sector_code="402", trl=8,
                        transfer_modes=("license",))
    early = make_listing("offer", org=institute, title="Chế phẩm vi sinh khử mùi chuồng trại gà",
                         summary="Giảm mùi hôi trại gà, đang thử nghiệm.", sector_code="402", trl=4,
                         transfer_modes=("license",))
    other = make_listing("offer", org=institute, title="Phần mềm kế toán cho hợp tác xã", sector_code="102",
                         trl=9)
    return {"need": need, "good": good, "early": early, "other": other, "farm": farm, "institute": institute}


def test_publishing_suggests_the_offer_that_answers_the_need(exchange):
    found = services.suggestions(exchange["need"])
    assert [s.offer_id for s in found][:2] == [exchange["good"].id, exchange["early"].id]
    assert exchange["other"].id not in [s.offer_id for s in found]
    best = found[0]
    assert best.fits and {r["code"] for r in best.reasons} >= {"phrases", "sector", "trl"}
    early = found[1]
    assert not early.fits and [v["code"] for v in early.violations] == ["trl_below"]
    assert services.reason_text(early.violations[0]) == "TRL 4 thấp hơn mức tối thiểu 6"  # Vietnamese by default
    offers_side = services.suggestions(exchange["good"])
    assert [s.need_id for s in offers_side] == [exchange["need"].id]


def test_a_withdrawn_offer_leaves_the_suggestions(exchange, db):
    exchange["good"].status = "withdrawn"
    db.session.commit()
    assert exchange["good"].id not in [s.offer_id for s in services.suggestions(exchange["need"])]
    from marketplace.matching.models import MatchSuggestion

    assert db.session.scalar(db.select(db.func.count()).where(MatchSuggestion.offer_id == exchange["good"].id)) == 0


def test_an_edit_is_matched_again(exchange, db):
    other = exchange["other"]
    other.title = "Đệm lót sinh học khử mùi trại gà"
    other.sector_code = "402"
    db.session.commit()
    assert other.id in [s.offer_id for s in services.suggestions(exchange["need"])]


def test_rebuild_recomputes_everything(exchange, db, app):
    from marketplace.matching.models import MatchSuggestion

    db.session.execute(db.delete(MatchSuggestion))
    db.session.commit()
    assert services.suggestions(exchange["need"]) == []
    seen = []
    kept = services.rebuild(progress=lambda done, total: seen.append((done, total)))
    assert kept >= 2 and seen[-1] == (4, 4)
    assert services.suggestions(exchange["need"])[0].offer_id == exchange["good"].id
    result = app.test_cli_runner().invoke(args=["matching", "rebuild"])
    assert result.exit_code == 0 and f"{kept} suggestions kept." in result.output


# --- the API ---------------------------------------------------------------------------------------------

def test_the_owner_reads_the_needs_matches(exchange, client, make_user, login):
    login(make_user(org=exchange["farm"]))
    response = client.get(f"/api/v1/needs/{exchange['need'].id}/matches?limit=2")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    items = response.get_json()["items"]
    assert len(items) == 2
    assert items[0]["offer"]["id"] == exchange["good"].id and 0 < items[0]["score"] <= 1
    assert items[0]["violations"] == []
    assert any(r["code"] == "phrases" and r["text"].startswith("Khớp: ") for r in items[0]["reasons"])
    assert items[1]["violations"][0]["code"] == "trl_below"


def test_brokers_and_the_department_read_them_others_get_404(exchange, client, make_user, login, make_org):
    url = f"/api/v1/offers/{exchange['good'].id}/matches"
    assert client.get(url).status_code == 404  # a visitor
    login(make_user(org=make_org("enterprise")))
    assert client.get(url).status_code == 404  # another organisation
    client.post("/logout")
    login(make_user(role="broker"))
    body = client.get(url).get_json()
    assert body["items"][0]["need"]["id"] == exchange["need"].id


@pytest.mark.parametrize("query", ["limit=0", "limit=51", "limit=abc", "page=2", "limit=1&limit=2"])
def test_bad_match_requests_answer_400(exchange, client, make_user, login, query):
    login(make_user(org=exchange["farm"]))
    response = client.get(f"/api/v1/needs/{exchange['need'].id}/matches?{query}")
    assert response.status_code == 400 and response.get_json()["error"]


def test_matches_of_a_listing_off_the_exchange_answer_404(exchange, client, make_user, login, db):
    login(make_user(org=exchange["farm"]))
    exchange["need"].status = "withdrawn"
    db.session.commit()
    assert client.get(f"/api/v1/needs/{exchange['need'].id}/matches").status_code == 404
    assert client.get(f"/api/v1/offers/{exchange['need'].id}/matches").status_code == 404  # not an offer


def test_the_need_page_shows_its_owner_the_suggestions_with_reasons(exchange, client, make_user, login):
    url = f"/listings/{exchange['need'].id}"
    assert 'id="matches"' not in client.get(url).get_data(as_text=True)  # a visitor sees none
    login(make_user(org=exchange["farm"]))
    page = client.get(url).get_data(as_text=True)
    assert 'id="matches"' in page and f'data-match="{exchange["good"].id}"' in page
    assert "Khớp: " in page and "TRL 4 thấp hơn mức tối thiểu 6" in page


def test_the_department_sees_an_offers_suggestions(exchange, client, make_user, login):
    login(make_user(role="department"))
    page = client.get(f"/listings/{exchange['good'].id}").get_data(as_text=True)
    assert f'data-match="{exchange["need"].id}"' in page


def test_a_large_exchange_leaves_refreshing_to_the_rebuild(exchange, app, db):
    """Past MATCHING_REFRESH_LIMIT published offers and needs an edit does not refresh (the rebuild does)."""
    app.config["MATCHING_REFRESH_LIMIT"] = 3  # the exchange holds four
    try:
        other = exchange["other"]
        other.title = "Đệm lót sinh học khử mùi trại gà"
        other.sector_code = "402"
        db.session.commit()
        assert other.id not in [s.offer_id for s in services.suggestions(exchange["need"])]
        services.rebuild()
        assert other.id in [s.offer_id for s in services.suggestions(exchange["need"])]
    finally:
        app.config.pop("MATCHING_REFRESH_LIMIT")


def test_an_edit_and_a_withdrawal_reach_both_sides(exchange, db):
    """The edited offer now lists the need among its own suggestions, and a withdrawn need leaves every offer's."""
    other = exchange["other"]
    assert services.suggestions(other) == []  # accounting software serves no chicken farm
    other.title = "Đệm lót sinh học khử mùi trại gà"
    other.sector_code = "402"
    db.session.commit()
    assert [s.need_id for s in services.suggestions(other)] == [exchange["need"].id]
    assert other.id in [s.offer_id for s in services.suggestions(exchange["need"])]
    exchange["need"].status = "withdrawn"
    db.session.commit()
    for offer in (exchange["good"], exchange["early"], other):
        assert services.suggestions(offer) == []


def test_a_new_process_loads_the_sides_from_their_files_and_reads_only_what_changed(
        exchange, db, app, tmp_path, monkeypatch, make_listing):
    """After a restart the first refresh does not read every listing's text again: the sides come from the files
    a rebuild wrote, and only the listings changed since are read."""
    from marketplace.matching import profiles

    app.config["MATCHING_CACHE_DIR"] = str(tmp_path / "matching")
    try:
        services.rebuild()
        assert sorted(p.name.split("-")[0] for p in (tmp_path / "matching").iterdir()) == ["need", "offer"]
        services._indexes.clear()  # a new process
        read = []
        real = profiles.published_profiles

        def counting(session, kind, aids, ids=None):
            for profile in real(session, kind, aids, ids):
                read.append(profile.id)
                yield profile

        monkeypatch.setattr(services, "published_profiles", counting)
        fresh = make_listing("offer", org=exchange["institute"], title="Máy lọc không khí khử mùi trại gà",
                             summary="Giảm mùi hôi chuồng trại.", sector_code="402", trl=7)
        assert read == [fresh.id]  # the new offer only, not the three others nor the need
        assert fresh.id in [s.offer_id for s in services.suggestions(exchange["need"])]
        assert [s.need_id for s in services.suggestions(fresh)] == [exchange["need"].id]
    finally:
        app.config.pop("MATCHING_CACHE_DIR")
        services._indexes.clear()


def test_a_file_that_cannot_be_read_is_rebuilt_from_the_database(exchange, db, app, tmp_path):
    app.config["MATCHING_CACHE_DIR"] = str(tmp_path / "matching")
    try:
        services.rebuild()
        for path in (tmp_path / "matching").iterdir():
            path.write_bytes(b"broken")
        services._indexes.clear()
        other = exchange["other"]
        other.title = "Đệm lót sinh học khử mùi trại gà"
        other.sector_code = "402"
        db.session.commit()
        refreshed = {s.offer_id for s in services.suggestions(exchange["need"])}
        assert other.id in refreshed
        services.rebuild()  # (scores may differ: a refresh reads the pair from the edited offer's side)
        assert refreshed == {s.offer_id for s in services.suggestions(exchange["need"])}
    finally:
        app.config.pop("MATCHING_CACHE_DIR")
        services._indexes.clear()


def test_a_farmers_symptom_finds_the_offer_that_names_its_cause(make_listing, make_org, make_user, login, client):
    """The farmer writes about rats and snails (without diacritics, as typed on a phone); the institutes write
    "gặm nhấm" and "Pomacea". The shipped symptom glossary bridges them, above offers sharing only "lúa"."""
    farm = make_org("enterprise", name="HTX Nông nghiệp Yên Bằng")
    institute = make_org("institute", name="Viện Bảo vệ thực vật")
    rats = make_listing("need", org=farm, title="Chuot pha lua nang qua",
                        summary="Ruong lua moi cay bi chuot can trui tung khoang, dem nao cung pha.", sector_code="203")
    snails = make_listing("need", org=farm, title="Ốc bươu vàng cắn phá lúa",
                          summary="Sáng ra thấy ốc bám đầy gốc, mạ bị cắn đứt từng khoảng.", sector_code="203")
    rodents = make_listing("offer", org=institute, title="Quản lý tổng hợp loài gặm nhấm bằng hệ thống bẫy TBS",
                           summary="Rào chắn nilon kết hợp bẫy hom, giảm 80% thiệt hại.", sector_code="203", trl=8)
    pomacea = make_listing("offer", org=institute, title="Kiểm soát nhuyễn thể Pomacea canaliculata đầu vụ",
                           summary="Bẫy dẫn dụ, rãnh thu gom và thả vịt đầu vụ.", sector_code="203", trl=8)
    seed = make_listing("offer", org=institute, title="Giống lúa ngắn ngày chịu phèn",
                        summary="Lúa cứng cây, năng suất 7 tấn/ha.", sector_code="203", trl=8)
    for title in ("Máy cấy lúa mạ khay", "Lò sấy lúa vỉ ngang", "Phân bón lá cho lúa trổ bông"):  # as on a real
        make_listing("offer", org=institute, title=title, sector_code="203", trl=8)  # exchange: "lúa" is common
    assert services.suggestions(rats)[0].offer_id == rodents.id
    assert services.suggestions(snails)[0].offer_id == pomacea.id
    assert seed.id in [s.offer_id for s in services.suggestions(rats)]  # still suggested, below
    # and each says how it read the farmer's words, on the page and in the API
    assert {"code": "read_as", "pairs": [["Chuot pha lua", "gặm nhấm"]]} in services.match_reasons(
        services.suggestions(rats)[0])  # "chuot" read as "gặm nhấm" too: a meaning is shown once
    assert "phrases" not in [r["code"] for r in services.match_reasons(services.suggestions(rats)[0])]
    login(make_user(org=farm))
    assert "Hiểu là: Ốc bươu vàng → Pomacea" in client.get(f"/listings/{snails.id}").get_data(as_text=True)
    items = client.get(f"/api/v1/needs/{snails.id}/matches?limit=3").get_json()["items"]
    assert {"code": "read_as", "text": "Hiểu là: Ốc bươu vàng → Pomacea"} in items[0]["reasons"]
    assert "read_as" not in [r["code"] for r in items[-1]["reasons"]]  # the rice seed offer writes no Pomacea


def test_listings_read_through_the_glossary_keep_their_weights_compact(make_listing, make_org):
    """Expansions weigh in halves, so every weight of a side stays a whole number of twentieths and the index
    keeps them as 16-bit integers (a quarter of the memory of floats: 100,000 offers in ~200 MB, not ~330)."""
    from marketplace.matching import engine
    from marketplace.matching.profiles import profile_of

    org = make_org("institute")
    texts = ("Nước giếng nhiễm phèn, có mùi tanh", "Lợn nái mất sữa sau đẻ", "Ốc bươu vàng cắn lúa, XLNT, ATTP",
             "Kho lạnh bị đóng tuyết, tốn điện giờ cao điểm")
    offers = [make_listing("offer", org=org, title=title, summary="Cần giải pháp phù hợp.") for title in texts]
    profiles = [profile_of(o) for o in offers]
    assert any(w % 1 for p in profiles for w in p.terms.values())  # expansions and folded forms are there
    assert engine.Index(profiles)._main.tf.data.dtype == np.uint16


def test_an_offer_in_technical_words_also_reads_as_the_farmers_words_for_them(make_listing, make_org):
    """The glossary reads both ways in matching: an offer on "ruồi đục quả" also says what farmers write of it
    ("quả có dòi"), so a need that names it in words of its own, matching no glossary term whole, still meets
    it above look-alikes sharing the fruit."""
    farm = make_org("enterprise", name="Hộ trồng ổi Tân Lập")
    institute = make_org("institute", name="Viện Cây ăn quả")
    need = make_listing("need", org=farm, title="Ổi chín tới đâu có dòi tới đó",
                        summary="Bổ ra toàn dòi trắng, quả rụng đầy gốc.", sector_code="203")
    answer = make_listing("offer", org=institute, title="Quản lý ruồi đục quả Bactrocera bằng bẫy methyl eugenol",
                          summary="Bả protein thủy phân, vệ sinh đồng ruộng.", sector_code="203", trl=8)
    make_listing("offer", org=institute, title="Giống ổi không hạt năng suất cao", sector_code="203", trl=8)
    for title in ("Ổi lê Đài Loan ghép", "Nước ép ổi đóng chai"):  # "ổi" is common on an exchange of a fruit
        make_listing("offer", org=institute, title=title, sector_code="203", trl=8)  # province
    assert services.suggestions(need)[0].offer_id == answer.id


def test_a_reading_is_shown_only_where_the_offer_writes_its_meaning_as_written(make_listing, make_org):
    """"Cây trà" reads as "chè": an offer on "chế phẩm" does not write "chè", though the two fold alike; one on
    "chè" does."""
    from types import SimpleNamespace

    farm, institute = make_org("enterprise"), make_org("institute")
    need = make_listing("need", org=farm, title="Cây trà bị rầy xanh hại búp", sector_code="203")
    spray = make_listing("offer", org=institute, title="Chế phẩm sinh học trừ rầy xanh", sector_code="203")
    tea = make_listing("offer", org=institute, title="Quản lý rầy xanh hại chè bằng bẫy màu", sector_code="203")
    assert services.read_as(SimpleNamespace(need=need, offer=spray)) == []
    assert services.read_as(SimpleNamespace(need=need, offer=tea)) == [("Cây trà", "chè")]


def test_a_reading_backwards_is_not_shown_as_what_the_words_mean(make_listing, make_org):
    """Matching reads "xử lý nước thải" backwards too (it meets offers written in a complaint's words), but the
    reason shown says what the need's words mean, never that "xử lý nước thải" means "nước thải nhuộm"."""
    from types import SimpleNamespace

    firm, institute = make_org("enterprise"), make_org("institute")
    need = make_listing("need", org=firm, title="Cần công nghệ xử lý nước thải cho xưởng", sector_code="203")
    offer = make_listing("offer", org=institute, title="Keo tụ điện hóa cho nước thải nhuộm", sector_code="203")
    assert services.read_as(SimpleNamespace(need=need, offer=offer)) == []
