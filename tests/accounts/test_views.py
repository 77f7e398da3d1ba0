"""Pages of accounts: registration, sign-in, password reset, profile, organisations, and their security."""
import email
import email.policy
import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from marketplace.accounts.models import Organization, User
from marketplace.extensions import db
from tests.conftest import PASSWORD

NEW_PASSWORD = "mat-khau-moi-456"


def registration(**changes):
    """Form data of a valid registration, with some fields changed."""
    data = {
        "full_name": "Nguyễn Văn An",
        "email": "an@cokhiphuly.vn",
        "phone": "0912 345 678",
        "password": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "org_name": "Công ty TNHH Cơ khí Phủ Lý",
        "org_kind": "enterprise",
        "tax_code": "0700123456",
        "locality_code": "phu-ly",
    }
    data.update(changes)
    return data


def count(model):
    """How many rows a table holds."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def signed_in(client):
    """True when the client's session belongs to a signed-in person."""
    return client.get("/profile").status_code == 200


def outbox_messages(app):
    """The e-mails written to the outbox, parsed."""
    folder = app.config["MAIL_OUTBOX"]
    if not os.path.isdir(folder):
        return []
    messages = []
    for name in sorted(os.listdir(folder)):
        assert name.endswith(".eml")
        with open(os.path.join(folder, name), "rb") as fh:
            messages.append(email.message_from_binary_file(fh, policy=email.policy.default))
    return messages


# --- registration --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["enterprise", "university", "institute", "broker", "other"])
def test_register_creates_the_organisation_and_its_admin_and_signs_in(client, kind):
    response = client.post("/register", data=registration(org_kind=kind))

    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "an@cokhiphuly.vn"))
    assert user.full_name == "Nguyễn Văn An"
    assert user.org.name == "Công ty TNHH Cơ khí Phủ Lý"
    assert user.org.kind == kind
    assert user.org.tax_code == "0700123456"
    assert user.org.locality_code == "phu-ly"
    assert user.org_role == "admin"
    assert user.role == ("broker" if kind == "broker" else "member")
    assert signed_in(client)


def test_register_form_shows_both_sections_and_the_tax_code_help(client):
    page = client.get("/register").get_data(as_text=True)

    for name in ("full_name", "email", "phone", "password", "password2", "org_name", "org_kind", "tax_code",
                 "locality_code"):
        assert f'name="{name}"' in page
    assert "10 digits, or 10 digits-3 digits for a branch." in page
    assert 'value="department"' not in page


@pytest.mark.parametrize("tax_code", ["0700123456", "0700123456-001", " 0700123456 "])
def test_register_accepts_a_tax_code_of_ten_digits_or_a_branch_code(client, tax_code):
    response = client.post("/register", data=registration(tax_code=tax_code))

    assert response.status_code == 302
    assert db.session.scalar(db.select(Organization.tax_code)) == tax_code.strip()


@pytest.mark.parametrize("tax_code", ["070012345", "07001234AB", "0700123456-01", "0700123456-0012"])
def test_register_refuses_a_bad_tax_code_next_to_the_field_and_keeps_the_input(client, field_errors, tax_code):
    response = client.post("/register", data=registration(tax_code=tax_code))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    errors = field_errors(page, "tax_code")
    assert errors and "A tax code is 10 digits" in errors[0]
    assert count(User) == 0 and count(Organization) == 0
    assert f'value="{tax_code}"' in page
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="Công ty TNHH Cơ khí Phủ Lý"' in page
    assert not signed_in(client)


def test_register_refuses_a_tax_code_already_registered(client, make_org, field_errors):
    make_org(tax_code="0700123456")

    response = client.post("/register", data=registration())

    assert "already registered" in " ".join(field_errors(response.get_data(as_text=True), "tax_code"))
    assert count(User) == 0


def test_register_refuses_an_email_already_registered(client, make_user, field_errors):
    make_user(email="an@cokhiphuly.vn")
    orgs_before = count(Organization)

    response = client.post("/register", data=registration(email="An@CoKhiPhuLy.vn"))

    assert response.status_code == 200
    assert "already registered" in " ".join(field_errors(response.get_data(as_text=True), "email"))
    assert count(User) == 1 and count(Organization) == orgs_before


def test_register_refuses_a_short_password(client, field_errors):
    response = client.post("/register", data=registration(password="ngan123", password2="ngan123"))

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "password") == [
        "The password must have at least 8 characters."]
    assert count(User) == 0


def test_register_refuses_different_passwords(client, field_errors):
    response = client.post("/register", data=registration(password2="mat-khau-khac-789"))

    assert field_errors(response.get_data(as_text=True), "password2") == ["The two passwords differ."]
    assert count(User) == 0


def test_register_cannot_choose_the_department_kind(client, field_errors):
    response = client.post("/register", data=registration(org_kind="department"))

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "org_kind")
    assert count(User) == 0 and count(Organization) == 0


def test_register_lists_every_error_at_once(client, field_errors):
    response = client.post("/register", data=registration(full_name="", tax_code="123", password="x",
                                                          password2="x"))

    page = response.get_data(as_text=True)
    assert field_errors(page, "full_name")
    assert field_errors(page, "tax_code")
    assert field_errors(page, "password")


# --- sign-in and sign-out ------------------------------------------------------------------------------

def test_login_page_has_email_password_and_links(client):
    page = client.get("/login").get_data(as_text=True)

    assert 'name="email"' in page and 'name="password"' in page and 'name="remember"' in page
    assert 'href="/register"' in page
    assert 'href="/password/forgot"' in page


def test_login_with_the_right_password_signs_in(client, make_user):
    user = make_user()

    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client)
    assert db.session.get(User, user.id).last_login_at is not None


def test_login_goes_back_to_the_page_asked_for_but_not_off_site(client, make_user):
    user = make_user()

    assert client.post("/login?next=/profile", data={"email": user.email, "password": PASSWORD}).location == "/profile"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert "evil.example" not in response.location


def test_a_visitor_posting_to_a_post_only_address_comes_back_to_the_page_after_signing_in(client, make_user,
                                                                                          make_listing):
    """The NDA's "I accept" (POST only) asks a visitor or an expired session to sign in; after signing in they
    land on the listing page they clicked on, not on a 405 page of the POST-only address."""
    user = make_user()
    listing = make_listing("offer")
    page = f"http://localhost/listings/{listing.id}?tab=nda"
    response = client.post(f"/listings/{listing.id}/nda", data={"version": "1"}, headers={"Referer": page})
    assert response.status_code == 302
    login_page = response.location
    assert parse_qs(urlsplit(login_page).query)["next"] == [f"/listings/{listing.id}?tab=nda"]
    response = client.post(login_page, data={"email": user.email, "password": PASSWORD})
    assert response.location == f"/listings/{listing.id}?tab=nda"
    assert client.get(response.location).status_code == 200


@pytest.mark.parametrize("referer", [None, "https://evil.example/listings/1", "http://localhost.evil.example/x"])
def test_without_a_page_of_this_site_to_go_back_to_a_post_sends_to_the_home_page_after_signing_in(
        client, make_user, make_listing, referer):
    user = make_user()
    listing = make_listing("offer")
    headers = {"Referer": referer} if referer else {}
    login_page = client.post(f"/listings/{listing.id}/interest", data={"message": "Xin chào"}, headers=headers).location
    assert "evil" not in login_page
    assert client.post(login_page, data={"email": user.email, "password": PASSWORD}).location == "/"


def test_a_visitor_asking_for_a_page_comes_back_to_it_after_signing_in(client, make_user):
    user = make_user()
    login_page = client.get("/notifications?page=2").location
    assert client.post(login_page, data={"email": user.email, "password": PASSWORD}).location == "/notifications?page=2"


def test_login_never_goes_on_to_an_address_that_answers_only_posts(client, make_user, make_listing):
    """A sign-in link made before (or by hand) naming a POST-only address lands on the home page."""
    user = make_user()
    listing = make_listing("offer")
    response = client.post(f"/login?next=/listings/{listing.id}/nda", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/"


def test_login_with_a_wrong_password_shows_a_message_and_no_session(client, make_user, field_errors):
    user = make_user()

    response = client.post("/login", data={"email": user.email, "password": "sai-mat-khau"})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "E-mail or password is not right." in field_errors(page, "password")
    assert f'value="{user.email}"' in page
    assert not signed_in(client)


def test_login_with_an_unknown_email_gives_the_same_message(client, field_errors):
    response = client.post("/login", data={"email": "nobody@example.vn", "password": PASSWORD})

    assert "E-mail or password is not right." in field_errors(response.get_data(as_text=True), "password")


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user()
    user.active = False
    db.session.commit()

    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert not signed_in(client)


def test_logout_is_a_post(client, make_user, login):
    login(make_user())

    assert client.get("/logout").status_code == 405
    assert signed_in(client)
    response = client.post("/logout")
    assert response.status_code == 302
    assert not signed_in(client)


def test_login_is_rate_limited(other_app, make_user):
    with other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute") as app:
        client = app.test_client()
        attempts = [client.post("/login", data={"email": "a@b.vn", "password": "sai-mat-khau"}).status_code
                    for _ in range(4)]

        assert attempts == [200, 200, 200, 429]
        assert client.get("/login").status_code == 200  # only sign-in attempts are counted


# --- password reset ------------------------------------------------------------------------------------

def test_password_reset_by_emailed_link(app, client, make_user):
    user = make_user()

    response = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True)

    assert "a reset link is on its way" in response.get_data(as_text=True)
    [message] = outbox_messages(app)
    assert message["To"] == user.email
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", message.get_body().get_content()).group(1)
    assert client.get(link).status_code == 200

    response = client.post(link, data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302 and response.location == "/login"
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert not signed_in(client)
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    used = client.get(link, follow_redirects=True)
    assert used.request.path == "/password/forgot"
    assert "This reset link is not valid any more" in used.get_data(as_text=True)


def test_password_reset_refuses_a_short_password_and_keeps_the_link_working(app, client, make_user, field_errors):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    [message] = outbox_messages(app)
    link = re.search(r"(/password/reset/\S+)", message.get_body().get_content()).group(1)

    response = client.post(link, data={"password": "ngan", "password2": "ngan"})

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "password")
    assert client.get(link).status_code == 200


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(app, client):
    response = client.post("/password/forgot", data={"email": "nobody@example.vn"}, follow_redirects=True)

    assert "a reset link is on its way" in response.get_data(as_text=True)
    assert outbox_messages(app) == []


@pytest.mark.parametrize("token", ["garbage", "eyJ1aWQiOjF9.abc.def", "a" * 300])
def test_a_garbage_reset_token_redirects_with_a_message(client, token):
    response = client.get(f"/password/reset/{token}", follow_redirects=True)

    assert response.status_code == 200
    assert response.request.path == "/password/forgot"
    assert "This reset link is not valid any more" in response.get_data(as_text=True)


# --- profile -------------------------------------------------------------------------------------------

def test_profile_needs_sign_in(client):
    response = client.get("/profile")

    assert response.status_code == 302 and response.location.startswith("/login")


def test_profile_shows_the_organisation_and_role(client, make_user, login):
    user = login(make_user(role="broker", org_role="admin"))

    page = client.get("/profile").get_data(as_text=True)

    assert user.org.name in page
    assert "Intermediary (broker)" in page
    assert "Broker" in page
    assert "Organisation admin" in page


def test_profile_edit_saves_the_details(client, make_user, login):
    user = login(make_user())

    response = client.post("/profile", data={"p-full_name": "Trần Thị Bình", "p-phone": "0226 3852 111",
                                             "p-locale": "en"})

    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert (user.full_name, user.phone, user.locale) == ("Trần Thị Bình", "0226 3852 111", "en")
    assert "Trần Thị Bình" in client.get("/profile").get_data(as_text=True)


def test_profile_edit_needs_a_name(client, make_user, login, field_errors):
    user = login(make_user())
    name = user.full_name

    response = client.post("/profile", data={"p-full_name": "", "p-phone": "", "p-locale": "vi"})

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "p-full_name")
    assert db.session.get(User, user.id).full_name == name


def test_password_change(client, make_user, login):
    user = login(make_user())

    response = client.post("/profile", data={"pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
                                             "pw-new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_password_change_with_a_wrong_current_password_shows_an_error_next_to_it(client, make_user, login,
                                                                                 field_errors):
    user = login(make_user())
    old_hash = user.password_hash

    response = client.post("/profile", data={"pw-current_password": "sai-mat-khau", "pw-new_password": NEW_PASSWORD,
                                             "pw-new_password2": NEW_PASSWORD})

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "pw-current_password") == [
        "The current password is not right."]
    assert db.session.get(User, user.id).password_hash == old_hash


def test_password_change_refuses_a_short_new_password(client, make_user, login, field_errors):
    login(make_user())

    response = client.post("/profile", data={"pw-current_password": PASSWORD, "pw-new_password": "ngan",
                                             "pw-new_password2": "ngan"})

    assert field_errors(response.get_data(as_text=True), "pw-new_password")


# --- organisation pages --------------------------------------------------------------------------------

def test_org_directory_filters_by_kind_and_finds_names_without_diacritics(client, make_org):
    make_org("university", name="Trường Đại học Hà Nam", verified=True, locality_code="phu-ly")
    make_org("enterprise", name="Công ty Cơ khí Kim Bảng")

    page = client.get("/orgs").get_data(as_text=True)
    assert "Trường Đại học Hà Nam" in page and "Công ty Cơ khí Kim Bảng" in page
    assert "Verified" in page and "Phủ Lý" in page

    page = client.get("/orgs?kind=university").get_data(as_text=True)
    assert "Trường Đại học Hà Nam" in page and "Công ty Cơ khí Kim Bảng" not in page

    page = client.get("/orgs?q=dai hoc").get_data(as_text=True)
    assert "Trường Đại học Hà Nam" in page and "Công ty Cơ khí Kim Bảng" not in page

    assert client.get("/orgs?kind=nonsense&q=" + "x" * 500).status_code == 200


def test_org_page_is_public_and_shows_only_published_listings(client, make_org, make_listing):
    org = make_org("institute", name="Viện Công nghệ Sinh học", tax_code="0700999888", address="Số 5 Lê Lợi",
                   email="lienhe@vien.vn", website="https://vien.vn", description="Nghiên cứu giống lúa.")
    make_listing(org=org, title="Máy sấy lúa năng lượng mặt trời")
    make_listing(org=org, status="draft", title="Bản nháp bí mật")

    response = client.get(f"/orgs/{org.id}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in ("Viện Công nghệ Sinh học", "Research institute", "0700999888", "Số 5 Lê Lợi", "lienhe@vien.vn",
                 "https://vien.vn", "Nghiên cứu giống lúa.", "Máy sấy lúa năng lượng mặt trời"):
        assert text in page
    assert "Bản nháp bí mật" not in page
    assert f"/orgs/{org.id}/edit" not in page


def test_org_page_shows_members_every_listing_with_its_status(client, make_user, make_listing, login):
    user = login(make_user(org_kind="institute"))
    make_listing(org=user.org, status="draft", title="Bản nháp của viện")

    page = client.get(f"/orgs/{user.org.id}").get_data(as_text=True)

    assert "Bản nháp của viện" in page
    assert 'data-status="draft"' in page and "Draft" in page
    assert f"/orgs/{user.org.id}/edit" in page and f"/orgs/{user.org.id}/members" in page


def test_unknown_org_is_404(client):
    assert client.get("/orgs/9999").status_code == 404


def test_org_admin_edits_the_profile(client, make_user, login, field_errors):
    user = login(make_user())
    org_id = user.org.id
    data = {"name": "Công ty Mới", "tax_code": "0700123456-002", "locality_code": "duy-tien", "address": "KCN Đồng Văn",
            "email": "info@moi.vn", "phone": "0226 111", "website": "https://moi.vn", "description": "Cơ khí."}

    bad = client.post(f"/orgs/{org_id}/edit", data={**data, "tax_code": "12-3", "website": "moi.vn"})
    assert bad.status_code == 200
    assert field_errors(bad.get_data(as_text=True), "tax_code")
    assert field_errors(bad.get_data(as_text=True), "website")
    assert db.session.get(Organization, org_id).name != "Công ty Mới"

    response = client.post(f"/orgs/{org_id}/edit", data=data)

    assert response.status_code == 302
    org = db.session.get(Organization, org_id)
    assert (org.name, org.tax_code, org.locality_code, org.website) == (
        "Công ty Mới", "0700123456-002", "duy-tien", "https://moi.vn")


def test_another_orgs_admin_cannot_edit(client, make_user, make_org, login):
    org = make_org(name="Tổ chức khác")
    login(make_user())

    assert client.get(f"/orgs/{org.id}/edit").status_code == 403
    assert client.post(f"/orgs/{org.id}/edit", data={"name": "Đã bị sửa"}).status_code == 403
    assert db.session.get(Organization, org.id).name == "Tổ chức khác"


def test_a_visitor_is_sent_to_sign_in_to_edit(client, make_org):
    org = make_org()

    response = client.get(f"/orgs/{org.id}/edit")

    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_plain_member_cannot_manage_members(client, make_user, login):
    admin = make_user()
    member = login(make_user(org=admin.org, org_role="member"))

    assert client.get(f"/orgs/{admin.org.id}/members").status_code == 403
    assert client.post(f"/orgs/{admin.org.id}/members/{admin.id}", data={"action": "remove"}).status_code == 403
    assert client.get(f"/orgs/{admin.org.id}/edit").status_code == 403
    assert db.session.get(User, admin.id).org_id == admin.org.id
    assert f"/orgs/{member.org.id}/members" not in client.get(f"/orgs/{member.org.id}").get_data(as_text=True)


def test_members_page_lists_members_with_their_role(client, make_user, login):
    admin = login(make_user())
    member = make_user(org=admin.org, org_role="member")

    page = client.get(f"/orgs/{admin.org.id}/members").get_data(as_text=True)

    assert admin.email in page and member.email in page
    assert f'action="/orgs/{admin.org.id}/members/{member.id}"' in page
    assert 'name="csrf_token"' in page


def test_the_only_admin_is_offered_no_buttons_that_would_be_refused(client, make_user, login):
    admin = login(make_user())
    member = make_user(org=admin.org, org_role="member")
    members_page = f"/orgs/{admin.org.id}/members"

    page = client.get(members_page).get_data(as_text=True)
    assert f'action="{members_page}/{admin.id}"' not in page  # no "Make member", no "Remove" on the last admin
    assert f'action="{members_page}/{member.id}"' in page

    client.post(f"{members_page}/{member.id}", data={"action": "admin"})
    page = client.get(members_page).get_data(as_text=True)
    assert f'action="{members_page}/{admin.id}"' in page and "Make member" in page


def test_admin_adds_a_member_who_can_then_sign_in(app, client, make_user, login):
    admin = login(make_user())

    response = client.post(f"/orgs/{admin.org.id}/members", data={
        "full_name": "Lê Văn Cường", "email": "cuong@congty.vn", "password": NEW_PASSWORD, "org_role": "member"})

    assert response.status_code == 302
    assert "cuong@congty.vn" in client.get(f"/orgs/{admin.org.id}/members").get_data(as_text=True)
    other = app.test_client()
    assert other.post("/login", data={"email": "cuong@congty.vn", "password": NEW_PASSWORD}).status_code == 302
    member = db.session.scalar(db.select(User).where(User.email == "cuong@congty.vn"))
    assert member.org_id == admin.org.id and member.org_role == "member"


def test_adding_a_member_with_a_taken_email_shows_the_error(client, make_user, login, field_errors):
    admin = login(make_user())
    taken = make_user()

    response = client.post(f"/orgs/{admin.org.id}/members", data={
        "full_name": "Ai đó", "email": taken.email, "password": NEW_PASSWORD, "org_role": "member"})

    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "email")
    assert db.session.get(User, taken.id).org_id != admin.org.id


@pytest.mark.parametrize("action", ["member", "remove"])
def test_the_last_admin_cannot_be_demoted_or_removed(client, make_user, login, action):
    admin = login(make_user())

    response = client.post(f"/orgs/{admin.org.id}/members/{admin.id}", data={"action": action},
                           follow_redirects=True)

    assert "An organisation needs at least one admin." in response.get_data(as_text=True)
    admin = db.session.get(User, admin.id)
    assert admin.org_role == "admin" and admin.org_id is not None


def test_admin_promotes_demotes_and_removes_members(client, make_user, login):
    admin = login(make_user())
    org_id = admin.org.id
    member = make_user(org=admin.org, org_role="member")

    client.post(f"/orgs/{org_id}/members/{member.id}", data={"action": "admin"})
    assert db.session.get(User, member.id).org_role == "admin"
    response = client.post(f"/orgs/{org_id}/members/{admin.id}", data={"action": "member"})
    assert db.session.get(User, admin.id).org_role == "member"
    assert response.location == f"/orgs/{org_id}"  # not the members page they may no longer see
    assert client.get(f"/orgs/{org_id}/members").status_code == 403


def test_admin_removes_a_member(client, make_user, login):
    admin = login(make_user())
    member = make_user(org=admin.org, org_role="member")

    response = client.post(f"/orgs/{admin.org.id}/members/{member.id}", data={"action": "remove"})

    assert response.status_code == 302
    assert db.session.get(User, member.id).org_id is None


def test_member_update_refuses_people_of_other_orgs_and_unknown_actions(client, make_user, login):
    admin = login(make_user())
    stranger = make_user()
    member = make_user(org=admin.org, org_role="member")

    assert client.post(f"/orgs/{admin.org.id}/members/{stranger.id}", data={"action": "remove"}).status_code == 404
    assert client.post(f"/orgs/{admin.org.id}/members/{member.id}", data={"action": "owner"}).status_code == 400
    assert db.session.get(User, stranger.id).org_id is not None


# --- security ------------------------------------------------------------------------------------------

def test_passwords_are_stored_as_scrypt_hashes(client):
    client.post("/register", data=registration())

    user = db.session.scalar(db.select(User))
    assert user.password_hash.startswith("scrypt:")
    assert NEW_PASSWORD not in user.password_hash


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    user = make_user()

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_login_without_a_csrf_token_is_refused(other_app):
    with other_app(WTF_CSRF_ENABLED=True) as app:
        user = User(email="a@b.vn", full_name="A")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()

        response = client.post("/login", data={"email": "a@b.vn", "password": PASSWORD})

        assert response.status_code == 400
        assert client.get("/profile").status_code == 302
        assert db.session.get(User, user.id).last_login_at is None


def test_login_with_the_csrf_token_of_the_page_works(other_app):
    with other_app(WTF_CSRF_ENABLED=True) as app:
        user = User(email="a@b.vn", full_name="A")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

        response = client.post("/login", data={"email": "a@b.vn", "password": PASSWORD, "csrf_token": token})

        assert response.status_code == 302
        assert client.get("/profile").status_code == 200


def test_a_failed_password_change_keeps_the_profile_form_filled(client, make_user, login):
    user = login(make_user())
    user.phone = "0226 3852 111"
    db.session.commit()

    response = client.post("/profile", data={"pw-current_password": "sai-mat-khau", "pw-new_password": NEW_PASSWORD,
                                             "pw-new_password2": NEW_PASSWORD})

    page = response.get_data(as_text=True)
    assert f'value="{user.full_name}"' in page
    assert 'value="0226 3852 111"' in page
    assert re.search(r'<option selected value="vi">', page)


def test_changing_the_password_signs_out_other_sessions(app, make_user):
    from tests.conftest import PASSWORD

    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    for c in (phone, laptop):
        assert c.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    response = laptop.post("/profile", data={"pw-current_password": PASSWORD, "pw-new_password": "mat-khau-moi-456",
                                             "pw-new_password2": "mat-khau-moi-456"})
    assert response.status_code == 302
    assert laptop.get("/profile").status_code == 200  # the session that changed it goes on
    assert phone.get("/profile").status_code == 302  # the other one must sign in again
