"""The search page, the search API and the department's glossary page."""
import re

import pytest


def _text(response):
    """The page's text without tags (highlights split titles into <mark> pieces)."""
    return re.sub(r"<[^>]+>", "", response.get_data(as_text=True))


@pytest.fixture
def listings(make_listing, make_org):
    """Published listings to search."""
    org = make_org("institute", name="Viện Cơ điện")
    make_listing("offer", org=org, title="Máy cấy lúa mạ khay", summary="Cấy lúa cho ruộng nhỏ.", sector_code="401")
    make_listing("need", org=make_org("enterprise", name="HTX Đồng Xanh"), title="Cần máy cấy lúa cho HTX",
                 summary="Ruộng manh mún.", sector_code="401")
    make_listing("offer", org=org, title="Hệ thống tưới nhỏ giọt", summary="Tiết kiệm nước.", sector_code="401")


def test_header_search_box_leads_to_the_search_page(client):
    page = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in page


def test_search_page_shows_highlighted_hits_facets_and_sorting(client, listings):
    response = client.get("/search?q=may+cay+lua")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>Máy</mark> <mark>cấy</mark> <mark>lúa</mark> mạ khay" in page
    assert 'data-facet="kind"' in page and "Technology need" in page
    assert "Newest" in page and "Most relevant" in page


def test_a_facet_link_narrows_the_results(client, listings):
    page = _text(client.get("/search?q=may+cay+lua&kind=need"))
    assert "Cần máy cấy lúa cho HTX" in page and "mạ khay" not in page


def test_search_page_says_how_it_read_the_query(client, listings):
    page = client.get("/search?q=drip+irrigation").get_data(as_text=True)
    assert "Also searching for:" in page and "tưới nhỏ giọt" in page
    assert "Hệ thống <mark>tưới</mark> <mark>nhỏ</mark> <mark>giọt</mark>" in page


def test_a_question_is_said_to_rank_solutions_first(client, listings):
    page = client.get("/search?q=có máy nào cấy lúa không").get_data(as_text=True)
    assert 'id="search-question"' in page and "technologies on offer and IP assets come first" in page
    assert 'id="search-question"' not in client.get("/search?q=máy cấy lúa").get_data(as_text=True)
    asked = client.get("/api/v1/search?q=có máy nào cấy lúa không").get_json()
    assert asked["solutions_first"] is True and asked["items"][0]["kind"] == "offer"
    assert client.get("/api/v1/search?q=máy cấy lúa").get_json()["solutions_first"] is False


def test_empty_results_help_the_user(client, listings):
    page = client.get("/search?q=zzzqqq").get_data(as_text=True)
    assert "Nothing matches your search." in page


@pytest.mark.parametrize("q", ["title:(", "*", "!!!", "a" * 10_000, "%00", "<script>alert(1)</script>"])
def test_absurd_queries_never_fail_the_page(client, listings, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_bad_filters_are_explained_not_fatal(client, listings):
    response = client.get("/search?q=lua&kind=spaceship&page=-3&sector_code=999")
    assert response.status_code == 200
    assert 'id="search-warnings"' in response.get_data(as_text=True)
    assert "Cần máy cấy lúa cho HTX" in _text(response)


# --- the API ---------------------------------------------------------------------------------------------

def test_api_answers_the_documented_shape(client, listings):
    body = client.get("/api/v1/search?q=máy cấy lúa&per_page=5").get_json()
    assert set(body) >= {"total", "items", "facets", "suggestion", "approximate"}
    assert body["approximate"] is False  # counts are exact on a small exchange
    assert body["total"] >= 2
    first = body["items"][0]
    assert set(first) == {"kind", "id", "ref", "title", "score", "highlight", "url"}
    assert first["url"].startswith("http://localhost/listings/")
    assert body["facets"]["kind"]["offer"] >= 1


def test_api_filters_by_kind_and_finds_organisations(client, listings):
    body = client.get("/api/v1/search?q=vien co dien&kind=org").get_json()
    assert [item["title"] for item in body["items"]] == ["Viện Cơ điện"]
    assert body["items"][0]["url"].startswith("http://localhost/orgs/")


@pytest.mark.parametrize("args", ["q=" + "a" * 10_000, "kind=spaceship", "page=0", "per_page=1000", "colour=red",
                                  "q=a&q=b", "sector_code=999"])
def test_api_rejects_bad_requests_with_400_json(client, listings, args):
    response = client.get("/api/v1/search?" + args)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]


@pytest.mark.parametrize("q", ["title:(", "*", "...", "", "AND", "\\"])
def test_api_answers_odd_but_valid_queries_with_200(client, listings, q):
    response = client.get("/api/v1/search", query_string={"q": q})
    assert response.status_code == 200
    assert response.get_json()["total"] >= 0


# --- the glossary ----------------------------------------------------------------------------------------

def test_the_department_extends_the_glossary_and_search_uses_it(client, listings, make_user, login):
    login(make_user(role="department"))
    assert "drip irrigation" in client.get("/search/glossary?q=drip").get_data(as_text=True)
    response = client.post("/search/glossary", data={"kind": "glossary", "term": "rice planting robot",
                                                      "expansion": "máy cấy lúa"})
    assert response.status_code == 302
    body = client.get("/api/v1/search?q=rice planting robot").get_json()
    assert body["items"] and "cấy" in body["items"][0]["title"]


def test_glossary_rejects_duplicates_and_blanks(client, make_user, login):
    login(make_user(role="department"))
    client.post("/search/glossary", data={"kind": "abbreviation", "term": "HTXNN", "expansion": "hợp tác xã nông nghiệp"})
    again = client.post("/search/glossary", data={"kind": "abbreviation", "term": "htxnn",
                                                  "expansion": "Hợp tác xã nông nghiệp"})
    assert "This entry exists already." in again.get_data(as_text=True)
    blank = client.post("/search/glossary", data={"kind": "glossary", "term": "  ", "expansion": "x"})
    assert blank.status_code == 200 and "This field is required." in blank.get_data(as_text=True)


def test_glossary_entries_can_be_removed(client, make_user, login):
    from marketplace.search import glossary

    login(make_user(role="department"))
    client.post("/search/glossary", data={"kind": "glossary", "term": "solar kiln", "expansion": "lò sấy mặt trời"})
    entry = next(e for e in glossary.entries("solar kiln"))
    assert client.post(f"/search/glossary/{entry.id}/delete").status_code == 302
    assert glossary.entries("solar kiln") == []


def test_only_the_department_manages_the_glossary(client, make_user, login):
    assert client.get("/search/glossary").status_code == 302  # visitor: sign in first
    login(make_user(role="member"))
    assert client.get("/search/glossary").status_code == 403
    assert client.post("/search/glossary/1/delete").status_code == 403


def test_a_page_past_the_end_is_empty_not_the_last_page_again(client, listings):
    body = client.get("/api/v1/search?q=lua&per_page=1&page=50").get_json()
    assert body["total"] >= 2 and body["items"] == []


def test_api_facets_are_keyed_by_the_parameters_that_select_them(client, listings):
    facets = client.get("/api/v1/search?q=lua").get_json()["facets"]
    assert {"locality_code", "sector_group"}.isdisjoint(facets)
    assert facets["sector_code"]["4"] >= 1 and facets["sector_code"]["401"] >= 1  # a field and a sector
    code = next(iter(facets["locality"]))
    assert client.get(f"/api/v1/search?q=lua&locality={code}").status_code == 200


def test_a_listing_is_found_by_its_reference(client, listings):
    from marketplace.listings.models import Listing
    from marketplace.search.services import reindex

    ref = Listing.query.filter_by(title="Hệ thống tưới nhỏ giọt").one().ref
    reindex()
    assert client.get(f"/api/v1/search?q={ref}").get_json()["items"][0]["title"] == "Hệ thống tưới nhỏ giọt"


def test_filler_words_are_not_highlighted(client, listings):
    page = client.get("/search?q=máy cho ruộng").get_data(as_text=True)
    assert "<mark>ruộng</mark>" in page and "<mark>cho</mark>" not in page


def test_active_filters_show_as_removable_chips(client, listings):
    page = client.get("/search?q=lua&kind=need").get_data(as_text=True)
    assert 'class="badge rounded-pill text-bg-secondary text-decoration-none filter-chip"' in page
    assert 'href="/search?q=lua"' in page  # the chip removes the filter
