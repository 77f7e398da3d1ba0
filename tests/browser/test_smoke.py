"""The home page renders in a real browser, in Vietnamese, and English is one click away."""


def test_home_in_vietnamese_then_english(live_server, new_page):
    page = new_page()
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
