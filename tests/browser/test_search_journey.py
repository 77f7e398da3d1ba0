"""A visitor searches the demo exchange the way people type, narrows with a facet, and finds a listing the
department approves a moment later (the index follows through the background applier, as in `make run`)."""
import re
import time

CAMERA = "Camera AI cảnh báo sớm cháy và khói cho xưởng sản xuất"


def _load_demo(app):
    from marketplace.demo.services import load_demo
    from marketplace.search.services import reindex

    with app.app_context():
        load_demo()
        reindex()


def _search_until(page, base, q, title, seconds=10):
    """Search again until `title` shows up (the index is updated after the commit, off the request)."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(base + "/search?q=" + q)
        if page.locator(".search-hit h2", has_text=title).count():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)


def test_visitor_searches_narrows_and_finds_a_newly_approved_listing(live_app, live_server, new_page):
    _load_demo(live_app)
    live_app.config["SEARCH_APPLY"] = "thread"  # the embedded default: web requests never open the index

    # From the home page, typed without diacritics.
    visitor = new_page()
    visitor.goto(live_server + "/")
    visitor.locator("main form[role=search] input[name=q]").fill("may cay lua")
    visitor.locator("main form[role=search] button[type=submit]").click()
    visitor.wait_for_load_state()
    first = visitor.locator(".search-hit").first
    assert re.search(r"máy cấy lúa", first.inner_text(), re.IGNORECASE)
    assert first.locator("mark").count() >= 3  # the typed words are marked in the accented title

    # A facet narrows the list to needs.
    visitor.locator('[data-facet="kind"] a', has_text="Nhu cầu công nghệ").click()
    visitor.wait_for_load_state()
    kinds = visitor.locator(".search-hit").evaluate_all("hits => hits.map(h => h.dataset.kind)")
    assert kinds and set(kinds) == {"need"}

    # English in the header box: the page says what else it looked for.
    visitor.locator("header input[name=q], nav input[name=q]").first.fill("drip irrigation")
    visitor.locator("header input[name=q], nav input[name=q]").first.press("Enter")
    visitor.wait_for_load_state()
    assert "tưới nhỏ giọt" in visitor.locator("#search-reading").inner_text()
    assert "tưới nhỏ giọt" in visitor.locator(".search-hit").first.inner_text().lower()

    # Not public yet: the camera awaits review.
    visitor.goto(live_server + "/search?q=camera canh bao chay")
    assert visitor.locator(".search-hit h2", has_text=CAMERA).count() == 0

    # The department approves it; the visitor finds it within seconds.
    department = new_page()
    department.goto(live_server + "/login")
    department.fill("#email", "sokhcn@demo.sangiaodich.local")
    department.fill("#password", "demo12345")
    department.locator("main form button[type=submit]").first.click()
    department.wait_for_load_state()
    department.goto(live_server + "/moderation")
    department.locator("tr", has_text=CAMERA).locator("a[href*='#moderation-panel']").click()
    department.wait_for_load_state()
    department.locator("#moderation-panel form").first.locator("button[type=submit]").click()
    department.wait_for_load_state()
    assert _search_until(visitor, live_server, "camera canh bao chay", CAMERA)
