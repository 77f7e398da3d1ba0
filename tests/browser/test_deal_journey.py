"""A broker proposes a suggested match, the buyer and the seller accept, the deal opens, the parties carry it to
a signed contract, and the department's overview counts the contract and its value."""
from datetime import date, timedelta

PASSWORD = "mat-khau-hanh-trinh"
NEED = "Cần máy sấy vải thiều quy mô hợp tác xã"
OFFER = "Máy sấy bơm nhiệt cho trái cây và nông sản"
PEOPLE = {
    "buyer": ("htx@vaithieu-thanhha.vn", "member", "HTX Vải thiều Thanh Hà", "enterprise"),
    "seller": ("vien@codien-nn.vn", "member", "Viện Cơ điện Nông nghiệp", "institute"),
    "broker": ("trang@xuctien-namha.vn", "broker", "Trung tâm Xúc tiến Nam Hà", "broker"),
    "department": ("huy@so-khcn.example.vn", "department", "Sở Khoa học và Công nghệ", "department"),
}


def _seed(app):
    """Four organisations with a person each, a published need and offer, and a strong suggestion between them."""
    from marketplace.accounts.services import create_user
    from marketplace.core.models import utcnow
    from marketplace.extensions import db
    from marketplace.listings.models import Need, Offer
    from marketplace.listings.services import assign_ref
    from marketplace.matching.models import MatchSuggestion

    with app.app_context():
        users = {key: create_user(email, PASSWORD, role, org, kind) for key, (email, role, org, kind) in PEOPLE.items()}
        need = Need(owner=users["buyer"].org, title=NEED, status="published", published_at=utcnow(), sector_code="401",
                    summary="Sấy 2 tấn vải tươi mỗi mẻ, giữ màu đỏ, độ ẩm dưới 18%.", min_trl=6,
                    budget_vnd_max=900_000_000, locality_code="phu-ly")
        offer = Offer(owner=users["seller"].org, title=OFFER, status="published", published_at=utcnow(),
                      sector_code="401", summary="Máy sấy bơm nhiệt 2 tấn/mẻ, tiết kiệm 40% điện, giữ màu quả.",
                      trl=8, price_type="indicative", price_vnd=750_000_000, locality_code="phu-ly")
        for listing in (need, offer):
            listing.transfer_modes = ["equipment_with_technology"]
            listing.refresh_search_text()
            db.session.add(listing)
        db.session.flush()
        assign_ref(need)
        assign_ref(offer)
        db.session.commit()
        # the engine's own score for this pair may move as matching evolves; the journey needs a strong one
        db.session.execute(db.delete(MatchSuggestion).where(MatchSuggestion.need_id == need.id,
                                                            MatchSuggestion.offer_id == offer.id))
        db.session.add(MatchSuggestion(need_id=need.id, offer_id=offer.id, score=0.92, fits=True, reasons=[],
                                       violations=[]))
        db.session.commit()


def _sign_in(new_page, base, who):
    page = new_page()
    page.goto(base + "/login")
    page.fill("#email", PEOPLE[who][0])
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    return page


def _figures(page, base):
    page.goto(base + "/deals/overview")
    return (int(page.locator("#signed-count").get_attribute("data-value")),
            int(page.locator("#signed-value").get_attribute("data-value")))


def _advance(page, stage):
    """Press "Move to ..." and check the deal reached `stage`."""
    page.locator("#advance-button").click()
    page.wait_for_load_state()
    assert page.locator(".deal-stage").first.get_attribute("data-stage") == stage


def test_broker_proposal_to_signed_contract(live_app, live_server, new_page):
    _seed(live_app)
    department = _sign_in(new_page, live_server, "department")
    signed_before, value_before = _figures(department, live_server)

    # The broker opens the queue and proposes the suggested match.
    broker = _sign_in(new_page, live_server, "broker")
    broker.locator("#nav-broker-queue").click()
    broker.wait_for_load_state()
    item = broker.locator(".queue-item", has_text=NEED)
    assert OFFER in item.inner_text()
    item.locator(".propose-link").click()
    broker.wait_for_load_state()
    broker.fill("#message", "Máy sấy của Viện đáp ứng đúng công suất và ngân sách của HTX. Đề nghị hai bên gặp.")
    broker.locator("#propose-form button[type=submit]").click()
    broker.wait_for_load_state()
    assert broker.locator("#proposal-status").get_attribute("data-status") == "open"
    broker.goto(live_server + "/broker/queue")
    assert broker.locator(".queue-item", has_text=NEED).count() == 0  # proposed: gone from the queue

    # The buyer finds the proposal among those awaiting an answer and accepts.
    buyer = _sign_in(new_page, live_server, "buyer")
    buyer.locator("#nav-my-deals").click()
    buyer.wait_for_load_state()
    buyer.locator("#awaiting .proposal a").first.click()
    buyer.wait_for_load_state()
    buyer.locator("#accept-button").click()
    buyer.wait_for_load_state()
    assert buyer.locator(".answer[data-side=buyer]").get_attribute("data-decision") == "accepted"
    assert buyer.locator("#accept-button").count() == 0  # no second accept offered

    # The seller accepts too: the deal opens with the broker, at "contacted".
    seller = _sign_in(new_page, live_server, "seller")
    seller.locator("#nav-my-deals").click()
    seller.wait_for_load_state()
    seller.locator("#awaiting .proposal a").first.click()
    seller.wait_for_load_state()
    seller.locator("#accept-button").click()
    seller.wait_for_load_state()
    assert "/deals/" in seller.url
    ref = seller.locator("#deal-ref").inner_text().strip()
    assert ref.startswith("GD-")
    assert seller.locator(".deal-stage").first.get_attribute("data-stage") == "contacted"
    assert PEOPLE["broker"][2] in seller.locator("#deal-parties").inner_text()

    # The parties move it one stage at a time; the buyer finds the deal in My deals.
    buyer.locator("#nav-my-deals").click()
    buyer.wait_for_load_state()
    buyer.locator("#my-deals .deal a", has_text=OFFER).click()
    buyer.wait_for_load_state()
    _advance(buyer, "nda_signed")
    seller.reload()
    _advance(seller, "negotiating")
    buyer.reload()
    _advance(buyer, "mou")

    # The seller records the signed contract: value, transfer form and method, signing date.
    seller.reload()
    seller.fill("#advance-contract_value_vnd", "780.000.000")
    seller.select_option("#advance-transfer_form", "equipment_with_technology")
    seller.check("input[name=advance-transfer_methods][value=machinery]")
    seller.check("input[name=advance-transfer_methods][value=training]")
    seller.fill("#advance-signed_on", (date.today() - timedelta(days=3)).isoformat())
    _advance(seller, "contract_signed")
    assert "780.000.000" in seller.locator("#contract-value").inner_text()
    timeline = seller.locator("#timeline").inner_text()
    assert timeline.count(PEOPLE["seller"][0].split("@")[0]) >= 2  # the seller's moves carry their name

    # The department's overview counts the contract and its value.
    assert _figures(department, live_server) == (signed_before + 1, value_before + 780_000_000)
    department.goto(live_server + "/deals/overview")
    assert ref in department.content()
