"""An enterprise expresses interest in an anonymous offer; the owner accepts; the enterprise now sees who owns it."""
OWNER_ORG = "Viện Công nghệ Sau thu hoạch Ẩn danh"
TITLE = "Công nghệ sấy chè bằng bơm nhiệt (ẩn danh)"
PASSWORD = "mat-khau-rat-dai-123"


def _world(app):
    """The owner institute with an anonymous published offer, and an enterprise; both with a person."""
    from marketplace.accounts.services import create_user
    from marketplace.core.models import utcnow
    from marketplace.extensions import db
    from marketplace.listings.models import Offer
    from marketplace.listings.services import assign_ref

    with app.app_context():
        owner = create_user("vien@saugthuhoach.example.vn", PASSWORD, "member", OWNER_ORG, "institute")
        create_user("lan@chetancuong.example.vn", PASSWORD, "member", "Công ty Chè Tân Cương", "enterprise")
        offer = Offer(owner=owner.org, created_by=owner, status="published", published_at=utcnow(), title=TITLE,
                      summary="Sấy chè búp giữ màu xanh, tiết kiệm 40% điện.", detail="Thông số máy nén R290",
                      sector_code="202", trl=7, price_type="negotiable", anonymous=True)
        db.session.add(offer)
        db.session.flush()
        assign_ref(offer)
        db.session.commit()
        return offer.id


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_interest_in_an_anonymous_offer_is_accepted_and_the_owner_is_revealed(live_app, live_server, new_page):
    listing_id = _world(live_app)
    listing_url = f"{live_server}/listings/{listing_id}"

    # The enterprise finds the offer: the owner is hidden. It expresses interest with a message.
    buyer = new_page()
    _sign_in(buyer, live_server, "lan@chetancuong.example.vn")
    buyer.goto(listing_url)
    assert buyer.locator("#listing-owner .anonymous-owner").count() == 1
    assert OWNER_ORG not in buyer.content()
    buyer.fill("#express-interest textarea[name=message]", "Chúng tôi có 3 xưởng chè ở Thái Nguyên, muốn thử.")
    buyer.locator("#express-interest button[type=submit]").click()
    buyer.wait_for_load_state()
    assert buyer.locator(".interest-state[data-state=pending]").count() == 1
    assert OWNER_ORG not in buyer.content()

    # The owner sees the interest in its list, opens it and accepts it with a word.
    owner = new_page()
    _sign_in(owner, live_server, "vien@saugthuhoach.example.vn")
    owner.goto(live_server + "/interests/received")
    owner.locator("#interest-list a.btn").first.click()
    owner.wait_for_load_state()
    assert "Chúng tôi có 3 xưởng chè" in owner.locator("#interest-message").inner_text()
    owner.fill("#accept-message", "Mời anh chị đến xem máy tại Viện.")
    owner.locator("#accept-form button[type=submit]").click()
    owner.wait_for_load_state()
    assert owner.locator(".interest-state[data-state=accepted]").count() == 1
    assert owner.locator("#deal-link").count() == 1

    # The enterprise now sees who owns the offer, on the offer's page and on its interest.
    buyer.goto(listing_url)
    assert OWNER_ORG in buyer.locator("#listing-owner").inner_text()
    assert buyer.locator("#listing-owner .anonymous-owner").count() == 0
    buyer.goto(live_server + "/interests/sent")
    assert buyer.locator(".interest-state[data-state=accepted]").count() == 1
    assert OWNER_ORG in buyer.locator("#interest-list").inner_text()
