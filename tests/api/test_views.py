"""The read-only JSON API: what an open-data client gets, and what it never gets."""
from datetime import datetime

import pytest

from marketplace.listings.models import Attachment

SECRET = "Bí quyết pha chế độc quyền XK-771"


def get_json(client, url, status=200):
    """GET url, check the status and that the answer is JSON; returns the decoded body."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.is_json
    return response.get_json()


def ids(body):
    """The ids of a list answer's items."""
    return {item["id"] for item in body["items"]}


# --- shape ---------------------------------------------------------------------------------------------

def test_offer_list_has_items_total_and_paging(client, make_listing, make_org):
    owner = make_org("university", name="Trường Đại học Nông Lâm")
    offer = make_listing("offer", org=owner, title="Máy sấy nông sản", keywords="máy sấy; nông sản", trl=7,
                         price_type="indicative", price_vnd=350_000_000, transfer_modes=("license", "turnkey"))

    body = get_json(client, "/api/v1/offers")

    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    item = body["items"][0]
    assert item["id"] == offer.id
    assert item["ref"] == offer.ref and item["ref"].startswith("CB-")
    assert item["kind"] == "offer"
    assert item["title"] == "Máy sấy nông sản"
    assert item["summary"] == "Tóm tắt công khai"
    assert item["sector_code"] == "202"
    assert item["trl"] == 7 and "min_trl" not in item
    assert item["transfer_modes"] == ["license", "turnkey"]
    assert item["price_vnd"] == 350_000_000 and item["price_type"] == "indicative"
    assert item["status"] == "published"
    assert item["locality"] == "phu-ly"
    assert item["keywords"] == ["máy sấy", "nông sản"]
    assert item["owner"]["id"] == owner.id
    assert item["owner"]["name"] == "Trường Đại học Nông Lâm"
    assert item["owner"]["kind"] == "university"
    assert item["url"] == f"http://localhost/listings/{offer.id}"
    assert item["api_url"] == f"http://localhost/api/v1/offers/{offer.id}"
    for key in ("created_at", "updated_at", "published_at"):
        assert datetime.fromisoformat(item[key]).tzinfo is not None, key
    assert item["expires_at"] is None or len(item["expires_at"]) == 10


def test_need_items_carry_min_trl_and_budget(client, make_listing):
    need = make_listing("need", min_trl=4, budget_vnd_max=800_000_000)

    item = get_json(client, "/api/v1/needs")["items"][0]

    assert item["id"] == need.id and item["kind"] == "need"
    assert item["min_trl"] == 4 and "trl" not in item
    assert item["budget_vnd_max"] == 800_000_000
    assert "price_vnd" not in item
    assert item["ref"].startswith("NC-")


def test_lists_hold_only_their_own_kind(client, make_listing):
    offer = make_listing("offer")
    need = make_listing("need")
    asset = make_listing("ip")

    assert ids(get_json(client, "/api/v1/offers")) == {offer.id}
    assert ids(get_json(client, "/api/v1/needs")) == {need.id}
    assert ids(get_json(client, "/api/v1/ip")) == {asset.id}


def test_offer_detail_spells_out_sector_locality_and_public_files(client, db, make_listing):
    asset = make_listing("ip", title="Bằng độc quyền sáng chế máy sấy")
    hidden_asset = make_listing("ip", status="draft", title="Sáng chế chưa công bố")
    offer = make_listing("offer", title="Máy sấy nông sản")
    offer.ip_assets = [asset, hidden_asset]
    brochure = Attachment(listing=offer, original_name="brochure.pdf", stored_name="a1",
                          content_type="application/pdf", size=1234, is_public=True)
    db.session.add_all([
        brochure,
        Attachment(listing=offer, original_name="ban-ve-mat.pdf", stored_name="a2",
                   content_type="application/pdf", size=99, is_public=False),
    ])
    db.session.commit()

    body = get_json(client, f"/api/v1/offers/{offer.id}")

    assert body["id"] == offer.id and body["title"] == "Máy sấy nông sản"
    assert body["sector"]["code"] == "202" and body["sector"]["name_vi"] and body["sector"]["name_en"]
    assert body["locality"] == "phu-ly"
    assert body["locality_info"] == {"code": "phu-ly", "name_vi": "Phủ Lý"}
    assert [a["id"] for a in body["ip_assets"]] == [asset.id]
    assert [a["name"] for a in body["attachments"]] == ["brochure.pdf"]
    attachment = body["attachments"][0]
    assert attachment["size"] == 1234 and attachment["content_type"] == "application/pdf"
    assert attachment["url"] == f"http://localhost/attachments/{brochure.id}"
    text = client.get(f"/api/v1/offers/{offer.id}").get_data(as_text=True)
    assert "ban-ve-mat.pdf" not in text
    assert "Sáng chế chưa công bố" not in text


def test_ip_asset_detail_has_its_ip_fields(client, make_listing):
    asset = make_listing("ip", ip_type="utility_solution", ip_number="2-2023-00123", ip_status="granted",
                         ip_owners="Viện Cơ điện nông nghiệp")

    body = get_json(client, f"/api/v1/ip/{asset.id}")

    assert body["kind"] == "ip"
    assert body["ip"]["ip_type"] == "utility_solution"
    assert body["ip"]["ip_number"] == "2-2023-00123"
    assert body["ip"]["ip_status"] == "granted"
    assert body["ip"]["ip_owners"] == "Viện Cơ điện nông nghiệp"


def test_vietnamese_text_is_sent_as_utf8_not_escapes(client, make_listing):
    make_listing("offer", title="Máy sấy nông sản")

    response = client.get("/api/v1/offers")

    assert "Máy sấy nông sản" in response.get_data(as_text=True)
    assert response.mimetype == "application/json"


def test_responses_are_open_to_other_sites_and_lists_are_cacheable(client, make_listing):
    offer = make_listing("offer")

    listing = client.get("/api/v1/offers")
    detail = client.get(f"/api/v1/offers/{offer.id}")
    missing = client.get("/api/v1/offers/999999")

    for response in (listing, detail, missing):
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert listing.headers["Cache-Control"] == "public, max-age=60"
    assert "public" not in missing.headers.get("Cache-Control", "")


# --- filters -------------------------------------------------------------------------------------------

def test_q_finds_words_without_their_diacritics(client, make_listing):
    dryer = make_listing("offer", title="Máy sấy nông sản")
    make_listing("offer", title="Phần mềm quản lý kho")

    assert ids(get_json(client, "/api/v1/offers?q=may+say")) == {dryer.id}
    assert ids(get_json(client, "/api/v1/offers?q=M%C3%A1y+s%E1%BA%A5y")) == {dryer.id}
    assert get_json(client, "/api/v1/offers?q=xyzzy")["total"] == 0


def test_sector_filter_takes_a_sector_or_a_whole_field(client, make_listing):
    electrical = make_listing("offer", sector_code="202")
    computing = make_listing("offer", sector_code="102")

    assert ids(get_json(client, "/api/v1/offers?sector_code=202")) == {electrical.id}
    assert ids(get_json(client, "/api/v1/offers?sector_code=1")) == {computing.id}


def test_trl_range_filters_offers_by_trl_and_needs_by_min_trl(client, make_listing):
    low = make_listing("offer", trl=3)
    mid = make_listing("offer", trl=6)
    high = make_listing("offer", trl=9)
    need = make_listing("need", min_trl=7)

    assert ids(get_json(client, "/api/v1/offers?trl_min=5&trl_max=8")) == {mid.id}
    assert ids(get_json(client, "/api/v1/offers?trl_min=6")) == {mid.id, high.id}
    assert ids(get_json(client, "/api/v1/offers?trl_max=3")) == {low.id}
    assert ids(get_json(client, "/api/v1/needs?trl_min=7")) == {need.id}
    assert get_json(client, "/api/v1/needs?trl_max=6")["total"] == 0


def test_transfer_mode_locality_and_owner_kind_filters(client, make_listing, make_org):
    franchise = make_listing("offer", transfer_modes=("franchise", "license"), locality_code="duy-tien",
                             org=make_org("enterprise"))
    licence = make_listing("offer", transfer_modes=("license",), org=make_org("university"))

    assert ids(get_json(client, "/api/v1/offers?transfer_mode=franchise")) == {franchise.id}
    assert ids(get_json(client, "/api/v1/offers?transfer_mode=license")) == {franchise.id, licence.id}
    assert ids(get_json(client, "/api/v1/offers?locality=duy-tien")) == {franchise.id}
    assert ids(get_json(client, "/api/v1/offers?owner_kind=university")) == {licence.id}
    assert ids(get_json(client, "/api/v1/offers?owner_kind=university&locality=duy-tien")) == set()


def test_ip_type_filter(client, make_listing):
    patent = make_listing("ip", ip_type="patent")
    make_listing("ip", ip_type="trademark")

    assert ids(get_json(client, "/api/v1/ip?ip_type=patent")) == {patent.id}


def test_sort_by_title(client, make_listing):
    make_listing("offer", title="Bơm nhiệt")
    make_listing("offer", title="Ấp trứng tự động")
    make_listing("offer", title="Cảm biến độ ẩm")

    titles = [item["title"] for item in get_json(client, "/api/v1/offers?sort=title")["items"]]

    assert titles == sorted(titles)


def test_pages_split_the_results_and_keep_the_total(client, make_listing):
    made = {make_listing("offer").id for _ in range(25)}

    first = get_json(client, "/api/v1/offers?per_page=10")
    third = get_json(client, "/api/v1/offers?per_page=10&page=3")
    beyond = get_json(client, "/api/v1/offers?per_page=10&page=4")
    everything = get_json(client, "/api/v1/offers?per_page=100")

    assert (first["total"], len(first["items"]), first["page"], first["per_page"]) == (25, 10, 1, 10)
    assert (third["total"], len(third["items"]), third["page"]) == (25, 5, 3)
    assert beyond["items"] == [] and beyond["total"] == 25
    assert ids(everything) == made
    assert ids(first).isdisjoint(ids(third))


# --- what never comes out ------------------------------------------------------------------------------

HIDDEN_STATUSES = ("draft", "submitted", "rejected", "withdrawn")


@pytest.mark.parametrize("kind,path", [("offer", "offers"), ("need", "needs"), ("ip", "ip")])
def test_unpublished_listings_are_not_listed_and_answer_404(client, make_listing, kind, path):
    shown = make_listing(kind)
    hidden = [make_listing(kind, status=status) for status in HIDDEN_STATUSES]

    assert ids(get_json(client, f"/api/v1/{path}?per_page=100")) == {shown.id}
    for listing in hidden:
        body = get_json(client, f"/api/v1/{path}/{listing.id}", status=404)
        assert body["error"]["code"] == 404


def test_own_draft_stays_hidden_from_the_api_even_when_signed_in(client, make_user, make_listing, login):
    owner = make_user()
    draft = make_listing("need", org=owner.org, status="draft")
    login(owner)

    assert get_json(client, "/api/v1/needs")["total"] == 0
    get_json(client, f"/api/v1/needs/{draft.id}", status=404)


def test_closed_and_expired_listings_open_by_id_but_are_not_listed(client, make_listing):
    closed = make_listing("offer", status="closed")
    expired = make_listing("offer", status="expired")

    assert get_json(client, "/api/v1/offers")["total"] == 0
    assert get_json(client, f"/api/v1/offers/{closed.id}")["status"] == "closed"
    assert get_json(client, f"/api/v1/offers/{expired.id}")["status"] == "expired"


@pytest.mark.parametrize("role", [None, "member", "broker", "department", "admin"])
def test_confidential_detail_never_appears(client, make_listing, make_user, login, role):
    listings = [make_listing(kind, detail=SECRET) for kind in ("offer", "need", "ip")]
    if role:
        login(make_user(role=role))
    urls = ["/api/v1/offers", "/api/v1/needs", "/api/v1/ip", "/api/v1/offers?q=XK-771"]
    urls += [f"/api/v1/{path}/{listing.id}" for path, listing in zip(("offers", "needs", "ip"), listings)]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert SECRET not in text and "XK-771" not in text, url
        assert '"detail"' not in text, url


def test_q_does_not_search_the_confidential_detail(client, make_listing):
    make_listing("offer", detail=SECRET)
    assert get_json(client, "/api/v1/offers?q=XK-771")["total"] == 0

    public = make_listing("offer", summary="Công thức XK-771 đã công bố")  # the same words, in a public field
    assert ids(get_json(client, "/api/v1/offers?q=XK-771")) == {public.id}


# --- bad requests --------------------------------------------------------------------------------------

def test_unknown_parameter_answers_400_naming_it(client):
    body = get_json(client, "/api/v1/offers?colour=red&trl_min=3", status=400)

    assert body["error"]["code"] == 400
    assert "colour" in body["error"]["message"]
    assert list(body["error"]["fields"]) == ["colour"]


@pytest.mark.parametrize("url", [
    "/api/v1/sectors?lang=en",
    "/api/v1/localities?page=1",
    "/api/v1/?x=1",
])
def test_endpoints_without_parameters_refuse_any(client, url):
    body = get_json(client, url, status=400)

    assert body["error"]["fields"]


def test_detail_refuses_parameters(client, make_listing):
    offer = make_listing("offer")

    get_json(client, f"/api/v1/offers/{offer.id}?fields=detail", status=400)


@pytest.mark.parametrize("query,field", [
    ("page=abc", "page"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=1.5", "page"),
    ("page=99999999999999999999", "page"),
    ("per_page=1000", "per_page"),
    ("per_page=0", "per_page"),
    ("trl_min=12", "trl_min"),
    ("trl_max=0", "trl_max"),
    ("trl_min=abc", "trl_min"),
    ("sector_code=XYZ", "sector_code"),
    ("transfer_mode=gift", "transfer_mode"),
    ("locality=atlantis", "locality"),
    ("owner_kind=government", "owner_kind"),
    ("ip_type=recipe", "ip_type"),
    ("sort=random", "sort"),
    ("kind=need", "kind"),
    ("page=1&page=2", "page"),
    ("q=m%00y", "q"),
])
def test_bad_values_answer_400_with_the_field(client, query, field):
    body = get_json(client, f"/api/v1/offers?{query}", status=400)

    assert field in body["error"]["fields"]
    assert body["error"]["fields"][field]


def test_every_bad_parameter_is_reported_at_once(client):
    body = get_json(client, "/api/v1/needs?page=0&per_page=500&sector_code=XYZ&nonsense=1", status=400)

    assert set(body["error"]["fields"]) == {"page", "per_page", "sector_code", "nonsense"}


def test_matching_kind_parameter_is_accepted(client, make_listing):
    offer = make_listing("offer")

    assert ids(get_json(client, "/api/v1/offers?kind=offer")) == {offer.id}


@pytest.mark.parametrize("url", [
    "/api/v1/offers/999999",
    "/api/v1/needs/999999",
    "/api/v1/ip/999999",
    "/api/v1/offers/99999999999999999999999999",
    "/api/v1/offers/abc",
    "/api/v1/nope",
    "/api/v1/offers/1/detail",
])
def test_unknown_things_answer_404_json(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_a_listing_asked_for_under_another_kind_answers_404(client, make_listing):
    need = make_listing("need")
    offer = make_listing("offer")

    get_json(client, f"/api/v1/offers/{need.id}", status=404)
    get_json(client, f"/api/v1/ip/{offer.id}", status=404)
    get_json(client, f"/api/v1/needs/{offer.id}", status=404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(app, client, make_listing, method):
    offer = make_listing("offer")
    app.config["WTF_CSRF_ENABLED"] = True  # as in production: the answer is still 405, not a CSRF error

    for url in ("/api/v1/offers", f"/api/v1/offers/{offer.id}", "/api/v1/sectors"):
        response = getattr(client, method)(url, json={"title": "x"})
        assert response.status_code == 405, url
        assert response.is_json and response.get_json()["error"]["code"] == 405
        assert "GET" in response.headers["Allow"]
    assert get_json(client, f"/api/v1/offers/{offer.id}")["title"] == offer.title


# --- reference data and index --------------------------------------------------------------------------

def test_sectors_list_fields_and_sectors(client):
    body = get_json(client, "/api/v1/sectors")

    assert body["total"] == len(body["items"]) > 6
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["2"]["level"] == 1 and by_code["2"]["parent"] is None
    assert by_code["202"]["level"] == 2 and by_code["202"]["parent"] == "2"
    assert set(by_code["202"]) == {"code", "parent", "name_vi", "name_en", "level"}
    assert by_code["202"]["name_vi"] and by_code["202"]["name_en"]


def test_localities_list(client):
    body = get_json(client, "/api/v1/localities")

    assert body["total"] == len(body["items"]) > 0
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["phu-ly"]["name_vi"] == "Phủ Lý"
    assert set(by_code["phu-ly"]) == {"code", "name_vi", "kind"}


def test_index_names_the_endpoints_and_filters(client):
    body = get_json(client, "/api/v1/")

    assert body["endpoints"]["offers"] == "http://localhost/api/v1/offers"
    assert body["endpoints"]["sectors"] == "http://localhost/api/v1/sectors"
    assert "license" in body["list_parameters"]["transfer_mode"]
    assert {"q", "sector_code", "trl_min", "trl_max", "locality", "owner_kind", "page",
            "per_page"} <= set(body["list_parameters"])


def test_footer_links_to_the_api(client):
    page = client.get("/").get_data(as_text=True)

    assert 'href="/api/v1/"' in page
