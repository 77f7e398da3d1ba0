"""An enterprise registers and posts a need, the department approves it, a visitor finds it on the browse page."""
TITLE = "Cần công nghệ xử lý nước thải cho xưởng dệt nhuộm nhỏ"
DEPARTMENT_EMAIL = "chuyenvien@so-khcn.example.vn"
DEPARTMENT_PASSWORD = "mat-khau-so-khcn"


def _make_department_user(app):
    from marketplace.accounts.services import create_user

    with app.app_context():
        create_user(DEPARTMENT_EMAIL, DEPARTMENT_PASSWORD, "department", "Sở Khoa học và Công nghệ")


def _submit(page):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def test_enterprise_need_is_approved_and_found_by_a_visitor(live_app, live_server, new_page):
    _make_department_user(live_app)

    # An enterprise registers (with its organisation) and is signed in.
    enterprise = new_page()
    enterprise.goto(live_server + "/register")
    enterprise.fill("#full_name", "Nguyễn Thị Lan")
    enterprise.fill("#email", "lan@detnhuom-hoahau.vn")
    enterprise.fill("#password", "mat-khau-rat-dai")
    enterprise.fill("#password2", "mat-khau-rat-dai")
    enterprise.fill("#org_name", "Công ty TNHH Dệt nhuộm Hòa Hậu")
    enterprise.select_option("#org_kind", "enterprise")
    enterprise.fill("#tax_code", "0700123456")
    enterprise.select_option("#locality_code", "ly-nhan")
    _submit(enterprise)
    assert enterprise.url.endswith("/my/listings")

    # It posts a need and sends it for review.
    enterprise.goto(live_server + "/listings/new/need")
    enterprise.fill("#title", TITLE)
    enterprise.fill("#summary", "Xưởng nhuộm 5 m³ nước thải mỗi ngày, cần hệ thống xử lý đạt QCVN.")
    enterprise.fill("#detail", "Ngân sách có thể điều chỉnh; liên hệ giám đốc để khảo sát.")
    enterprise.select_option("#sector_code", "207")
    enterprise.select_option("#min_trl", "6")
    enterprise.fill("#budget_vnd_max", "800.000.000")
    enterprise.check("input[name=transfer_modes][value=turnkey]")
    enterprise.select_option("#locality_code", "ly-nhan")
    enterprise.locator("button[name=action][value=submit]").click()
    enterprise.wait_for_load_state()
    assert enterprise.locator("h1").inner_text().strip() == TITLE

    # Not public yet: a visitor does not see it.
    visitor = new_page()
    visitor.goto(live_server + "/needs")
    assert TITLE not in visitor.content()

    # The department finds it in the moderation queue and approves it.
    department = new_page()
    department.goto(live_server + "/login")
    department.fill("#email", DEPARTMENT_EMAIL)
    department.fill("#password", DEPARTMENT_PASSWORD)
    _submit(department)
    department.goto(live_server + "/moderation")
    department.get_by_role("link", name=TITLE).click()
    department.wait_for_load_state()
    department.locator("#moderation-panel form").first.locator("button[type=submit]").click()
    department.wait_for_load_state()
    assert department.locator("#moderation-panel").count() == 0  # reviewed: the panel is gone

    # A visitor now finds it on the browse page, typing without diacritics.
    visitor.goto(live_server + "/needs")
    assert visitor.get_by_role("link", name=TITLE).is_visible()
    visitor.fill("#f-q", "xu ly nuoc thai det nhuom")
    visitor.press("#f-q", "Enter")
    visitor.wait_for_load_state()
    visitor.get_by_role("link", name=TITLE).click()
    visitor.wait_for_load_state()
    assert visitor.locator("h1").inner_text().strip() == TITLE
    # The visitor sees the public summary, never the confidential detail.
    assert "QCVN" in visitor.content()
    assert "khảo sát" not in visitor.content()
