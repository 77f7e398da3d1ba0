"""Search as a user meets it: Vietnamese with or without diacritics, exact spellings first, adjacent syllables,
plain-language questions, English terms, abbreviations, Telex, run-together words, facets and pages."""
import pytest

from marketplace.search import services


@pytest.fixture
def catalogue(make_listing, make_org):
    """A few published listings that differ in the ways search must tell apart, from two organisations."""
    institute = make_org("institute", name="Viện Cơ điện Nông nghiệp", description="Máy nông nghiệp, máy sấy, máy cấy.")
    firm = make_org("enterprise", name="Công ty Rau sạch Kim Bảng")
    make_listing("offer", org=institute, title="Máy sấy nông sản bằng năng lượng mặt trời", summary="Sấy chuối, gừng, dược liệu.",
                 sector_code="401", trl=7, transfer_modes=("license", "turnkey"))
    make_listing("offer", org=institute, title="Máy bơm nước cho ruộng", summary="Bơm tưới; có thể sấy khô động cơ sau mùa mưa.",
                 sector_code="202", trl=4)
    make_listing("offer", org=institute, title="Hệ thống tưới nhỏ giọt điều khiển qua điện thoại", summary="Tiết kiệm nước tưới.",
                 sector_code="401", trl=8)
    make_listing("need", org=firm, title="Cần dây chuyền đóng gói rau đạt chuẩn an toàn thực phẩm",
                 summary="Rau cắt sẵn cho siêu thị.", sector_code="404", min_trl=6)
    make_listing("offer", org=institute, title="Xử lý mùi hôi chuồng trại bằng đệm lót sinh học",
                 summary="Giảm mùi hôi ở trại gà, trại lợn.", sector_code="402", trl=8)
    make_listing("offer", org=institute, title="Vải mát cho áo bảo hộ lao động", summary="Sợi làm mát.", sector_code="205", trl=6)
    make_listing("offer", org=institute, title="Kính chắn mặt cho thợ hàn", summary="Bảo vệ mặt và mắt.", sector_code="205", trl=9)
    make_listing("offer", org=institute, title="Làm đường giao thông nông thôn bằng xi măng đất", summary="Đường bê tông rẻ.",
                 sector_code="201", trl=7)
    make_listing("ip", org=institute, title="Bằng độc quyền: máy cấy lúa mạ khay", summary="Cơ cấu cấy.", sector_code="401",
                 ip_type="patent")
    make_listing("offer", org=institute, title="Bản nháp chưa gửi: máy sấy bí mật", status="draft")
    make_listing("offer", org=institute, title="Máy sấy đang chờ duyệt", status="submitted")


@pytest.mark.parametrize("q", ["may say", "máy sấy", "MÁY SẤY", "  Máy   Sấy "])
def test_diacritics_and_case_do_not_matter(catalogue, find, q):
    assert find(q)[0] == "Máy sấy nông sản bằng năng lượng mặt trời"


def test_duong_finds_duong_with_d_bar(catalogue, find):
    assert "Làm đường giao thông nông thôn bằng xi măng đất" in find("duong")


def test_exact_diacritics_rank_above_folded_lookalikes(catalogue, find):
    found = find("mát")
    assert found.index("Vải mát cho áo bảo hộ lao động") < found.index("Kính chắn mặt cho thợ hàn")
    found = find("mặt")
    assert found.index("Kính chắn mặt cho thợ hàn") < found.index("Vải mát cho áo bảo hộ lao động")


def test_adjacent_syllables_rank_above_scattered_ones(catalogue, find):
    found = find("máy sấy")
    assert found.index("Máy sấy nông sản bằng năng lượng mặt trời") < found.index("Máy bơm nước cho ruộng")


def test_a_long_question_finds_listings_without_every_word(catalogue, find):
    assert find("làm sao giảm mùi hôi ở trại gà?")[0] == "Xử lý mùi hôi chuồng trại bằng đệm lót sinh học"


def test_drafts_and_submissions_are_never_found(catalogue, find):
    found = find("máy sấy")
    assert "Bản nháp chưa gửi: máy sấy bí mật" not in found
    assert "Máy sấy đang chờ duyệt" not in found


def test_organisations_are_found_by_name(catalogue, results):
    hits = results("vien co dien").hits
    assert (hits[0].kind, hits[0].title) == ("org", "Viện Cơ điện Nông nghiệp")


def test_english_terms_find_vietnamese_listings_and_say_so(catalogue, results):
    found = results("drip irrigation")
    assert found.hits[0].title == "Hệ thống tưới nhỏ giọt điều khiển qua điện thoại"
    assert any(n.kind == "glossary" and "tưới nhỏ giọt" in n.target for n in found.reading.notes)


def test_abbreviations_are_expanded(catalogue, results):
    found = results("ATTP")
    assert found.hits[0].title == "Cần dây chuyền đóng gói rau đạt chuẩn an toàn thực phẩm"
    assert any(n.kind == "abbreviation" for n in found.reading.notes)


def test_telex_typed_without_the_input_method_is_decoded(catalogue, results):
    found = results("mays saays")  # "máy sấy" typed with the Telex input method off
    assert found.hits and found.hits[0].title == "Máy sấy nông sản bằng năng lượng mặt trời"
    assert any(n.kind == "telex" for n in found.reading.notes)


def test_run_together_words_are_split(catalogue, results):
    found = results("maysay")
    assert found.hits[0].title == "Máy sấy nông sản bằng năng lượng mặt trời"
    assert any(n.kind == "split" for n in found.reading.notes)


def test_a_typo_is_corrected_and_suggested(catalogue, results):
    found = results("máy sâý nông sảm")
    assert found.hits[0].title == "Máy sấy nông sản bằng năng lượng mặt trời"
    assert found.suggestion and "sản" in found.suggestion


def test_facets_count_and_filters_narrow(catalogue, results):
    everything = results("máy")
    assert everything.facets["kind"]["offer"] >= 2 and everything.facets["kind"]["ip"] == 1
    assert everything.facets["kind"]["org"] == 1
    only_ip = results("máy", kind="ip")
    assert [h.kind for h in only_ip.hits] == ["ip"] and only_ip.total == 1
    field_4 = results("máy", sector_code="4")
    assert field_4.total and all(h.obj.sector_code.startswith("4") for h in field_4.hits)
    turnkey = results("", transfer_mode="turnkey")
    assert [h.title for h in turnkey.hits] == ["Máy sấy nông sản bằng năng lượng mặt trời"]
    assert results("", trl_band="7-9").facets["trl_band"] == {"7-9": results("", trl_band="7-9").total}


def test_newest_first_and_pages(catalogue, results):
    newest = results("", sort="newest", per_page=3)
    assert newest.total == 11  # 9 published listings and two organisations
    assert len(newest.hits) == 3 and newest.pages == 4
    page_4 = results("", sort="newest", per_page=3, page=4)
    assert len(page_4.hits) == 2
    seen = {h.title for p in range(1, 5) for h in results("", sort="newest", per_page=3, page=p).hits}
    assert len(seen) == 11


def test_highlights_mark_the_accented_original(catalogue, results):
    hit = results("may say").hits[0]
    assert "<mark>Máy</mark> <mark>sấy</mark>" in str(hit.title_html)


@pytest.mark.parametrize("q", ["title:(", "*", "?!…", "a" * 10_000, "\x00\u200b", "' OR 1=1 --", "AND OR NOT",
                               "máy " * 3000, "🙂🙂", "\\", "%_%"])
def test_absurd_queries_answer_without_failing(catalogue, results, q):
    found = results(q)
    assert found.total >= 0


def _lose_the_index(app):
    """Take the index away: the Whoosh folder, or the PostgreSQL search tables."""
    import shutil

    backend = services.get_backend()
    backend.close()
    if backend.name == "whoosh":
        shutil.rmtree(app.config["SEARCH_INDEX_DIR"])
    else:
        backend.drop_schema()


def _break_the_index(app):
    """Damage the index: garbage in the Whoosh files, or a PostgreSQL search table gone."""
    import glob
    import os

    from sqlalchemy import text

    backend = services.get_backend()
    backend.close()
    if backend.name == "whoosh":
        for path in glob.glob(os.path.join(app.config["SEARCH_INDEX_DIR"], "*")):
            if not path.endswith("build-id"):
                with open(path, "wb") as fh:
                    fh.write(b"garbage")
        with open(os.path.join(app.config["SEARCH_INDEX_DIR"], "build-id"), "w") as fh:
            fh.write("changed")
    else:
        with services.db.engine.begin() as conn:
            conn.execute(text("DROP TABLE search_vocabulary"))


def test_without_an_index_search_answers_from_the_database(catalogue, results, app):
    _lose_the_index(app)
    found = results("máy sấy")
    assert found.degraded
    assert "Máy sấy nông sản bằng năng lượng mặt trời" in [h.title for h in found.hits]
    assert services.health()[0] == "degraded"
    services.reindex()
    assert not results("máy sấy").degraded and services.health()[0] == "ok"


def test_a_broken_index_falls_back_too(catalogue, results, app):
    _break_the_index(app)
    found = results("máy sấy")
    assert found.degraded and found.hits
    assert services.health()[0] == "degraded"


def test_a_question_ranks_solutions_above_a_need_that_echoes_it(catalogue, make_listing, make_org, results):
    """The same words with a question mark: the offer, a little less alike in words, comes before the need."""
    farm = make_org("enterprise", name="Hợp tác xã Rau Thanh Liêm")
    make_listing("offer", org=farm, title="Máy đóng gói rau củ", summary="Lắp vào dây chuyền sơ chế.",
                 sector_code="404", trl=7)
    need, offer = "Cần dây chuyền đóng gói rau đạt chuẩn an toàn thực phẩm", "Máy đóng gói rau củ"
    stated = results("dây chuyền đóng gói rau")
    asked = results("dây chuyền đóng gói rau?")
    assert (stated.solutions_first, asked.solutions_first) == (False, True)

    def offer_over_need(found):
        scores = {h.title: h.score for h in found.hits}
        return scores[offer] / scores[need]

    # The offer gains 1.3 times on the need, on either backend; on Whoosh's scores that puts it first.
    assert offer_over_need(asked) == pytest.approx(1.3 * offer_over_need(stated), rel=0.02)
    if offer_over_need(stated) > 1 / 1.3:
        assert [h.title for h in stated.hits][:2] == [need, offer]
        assert [h.title for h in asked.hits][:2] == [offer, need]
    assert not results("dây chuyền đóng gói rau?", sort="newest").solutions_first


@pytest.mark.parametrize("q, asks", [
    ("làm sao giảm mùi hôi", True), ("có máy nào cấy lúa cho ruộng nhỏ không", True),
    ("hợp tác xã dùng phần mềm gì", True), ("phan mem gi", True), ("co may say lua khong", True),
    ("máy sấy ở đâu?", True), ("máy sấy nông sản", False), ("gạch không nung", False),
    ("chong gi cho thep", False), ("cong nghe nao", True),
])
def test_what_reads_as_a_question(q, asks):
    from marketplace.search.analysis import is_question, words

    assert is_question(q, words(q)) is asks
