"""Layout in a real browser: the navbar at phone and desktop widths, a long file name on a narrow screen."""
import pytest

DEPARTMENT_EMAIL = "bo-cuc@so-khcn.example.vn"
MEMBER_EMAIL = "bo-cuc@vien-co-dien.example.vn"
PASSWORD = "mat-khau-bo-cuc-dai"
LONG_NAME = "bao-cao-ket-qua-nghien-cuu-" + "x" * 170 + ".pdf"
FAKE_PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def _navbar_shape(page):
    """Heights of the visible navbar links, the search box's width and the page's scroll width."""
    return page.evaluate("""() => {
      const nav = document.querySelector('nav.navbar');
      const links = [...nav.querySelectorAll('.nav-link')].filter(a => a.offsetParent);
      const search = nav.querySelector('input[type=search]');
      return {heights: links.map(a => [a.textContent.trim(), a.getBoundingClientRect().height]),
              search: search.getBoundingClientRect().width, scroll: document.documentElement.scrollWidth};
    }""")


@pytest.fixture
def department(live_app):
    """A department account (it sees the most links in the navbar)."""
    from marketplace.accounts.services import create_user

    with live_app.app_context():
        create_user(DEPARTMENT_EMAIL, PASSWORD, "department", "Sở Khoa học và Công nghệ")
    return DEPARTMENT_EMAIL


@pytest.mark.parametrize("width", [1280, 1440])
def test_desktop_navbar_links_stay_on_one_line(live_server, new_page, department, width):
    page = new_page()
    _sign_in(page, live_server, department)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/browse")

    shape = _navbar_shape(page)
    assert all(height < 45 for _, height in shape["heights"]), shape["heights"]  # one line is 40 px
    assert shape["search"] >= 180
    assert shape["scroll"] == width
    assert page.get_by_role("link", name="English").is_visible()
    page.locator("#staff-menu").click()  # the department's pages are grouped in one menu
    for href in ("/moderation", "/import", "/reference"):
        assert page.locator(f"nav a[href^='{href}']").first.is_visible(), href


@pytest.mark.parametrize("width", [390, 1024])
def test_narrow_screens_get_the_whole_menu_behind_the_toggler(live_server, new_page, department, width):
    page = new_page()
    _sign_in(page, live_server, department)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server + "/browse")
    assert not page.locator("a[href='/my/listings']").is_visible()

    page.locator(".navbar-toggler").click()
    page.locator("#staff-menu").click()

    for href in ("/my/listings", "/moderation", "/import", "/reference"):
        assert page.locator(f"nav a[href^='{href}']").first.is_visible(), href
    assert page.get_by_role("link", name="English").is_visible()
    assert _navbar_shape(page)["scroll"] == width


def test_a_long_file_name_does_not_widen_the_edit_page(live_app, live_server, new_page):
    from marketplace.accounts.services import create_user
    from marketplace.listings.services import create_listing

    with live_app.app_context():
        user = create_user(MEMBER_EMAIL, PASSWORD, "member", "Viện Cơ điện", org_kind="institute")
        listing = create_listing("offer", user.org, user, {
            "title": "Máy sấy nông sản", "summary": "Sấy lúa bằng năng lượng mặt trời.", "sector_code": "202",
            "trl": "6", "transfer_modes": ["license"], "price_type": "negotiable", "locality_code": "phu-ly"})
        listing_id = listing.id
    page = new_page()
    _sign_in(page, live_server, MEMBER_EMAIL)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server}/listings/{listing_id}/edit")

    page.set_input_files("#file", files=[{"name": LONG_NAME, "mimeType": "application/pdf", "buffer": FAKE_PDF}])
    page.locator("#attachments form button[type=submit]").click()
    page.wait_for_load_state()

    stored_name = LONG_NAME[:-len(".pdf")][:120] + ".pdf"  # names are kept to 120 characters
    assert page.get_by_role("link", name=stored_name).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 390


LONG_URL = "https://example.vn/" + "duongdan" * 25


@pytest.fixture
def listing_with_long_words(live_app, department):
    """A published offer whose title, summary and keyword are unbroken 200-character runs, then edited by its owner
    (so it waits in the moderation queue), with an event of an action no label knows in its history."""
    from marketplace.accounts.models import User
    from marketplace.accounts.services import create_user
    from marketplace.extensions import db
    from marketplace.listings.models import ListingEvent
    from marketplace.listings.services import approve_listing, create_listing, update_listing

    with live_app.app_context():
        user = create_user(MEMBER_EMAIL, PASSWORD, "member", "Viện Cơ điện", org_kind="institute")
        listing = create_listing("offer", user.org, user, {
            "title": "Máy sấy " + "nongsan" * 28, "summary": "Xem " + LONG_URL, "detail": "Chi tiết " + LONG_URL,
            "keywords": "máy sấy; " + "tukhoa" * 30, "sector_code": "202", "trl": "6", "transfer_modes": ["license"],
            "price_type": "negotiable", "locality_code": "phu-ly"}, submit=True)
        approve_listing(listing, db.session.scalar(db.select(User).where(User.email == department)))
        update_listing(listing, user, {"summary": "Xem lại " + LONG_URL})
        listing.events.append(ListingEvent(actor=user, action="merged"))  # a code no label knows (yet)
        db.session.commit()
        return listing.id


def test_long_words_wrap_instead_of_widening_pages_on_a_phone(live_server, new_page, listing_with_long_words):
    page = new_page()
    _sign_in(page, live_server, MEMBER_EMAIL)
    page.set_viewport_size({"width": 390, "height": 800})
    for path in (f"/listings/{listing_with_long_words}", f"/listings/{listing_with_long_words}/edit", "/my/listings"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") == 390, path

    page.goto(f"{live_server}/listings/{listing_with_long_words}")
    history = page.locator("#history").inner_text()
    assert "edited_after_publication" not in history and "merged" not in history  # no raw action codes
    assert page.locator("#history [data-action=edited_after_publication]").inner_text().strip()
    assert page.locator("#history [data-action=merged]").inner_text() == "Thay đổi khác"  # "Other change"


def test_the_moderation_queue_reads_on_a_phone(live_server, new_page, department, listing_with_long_words):
    page = new_page()
    _sign_in(page, live_server, department)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + "/moderation")

    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert page.evaluate("document.querySelector('.table-responsive').scrollWidth") <= 390  # no sideways scrolling
    row = page.locator("#queue tbody tr").first
    assert row.locator("td").first.bounding_box()["width"] > 200  # not one word per line
    facts = row.locator(".queue-facts")
    assert facts.is_visible() and "Viện Cơ điện" in facts.inner_text()
    assert row.get_by_role("link", name="Duyệt").is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    assert not facts.is_visible()  # the owner and date have their own columns again
    assert page.locator("#queue th", has_text="Ngày gửi").is_visible()
