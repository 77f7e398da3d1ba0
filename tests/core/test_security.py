"""Security from the start: cookie flags, CSRF, error pages that never leak a 500, safe redirects."""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from marketplace import create_app
from marketplace.accounts.models import Organization, User
from marketplace.extensions import db

PASSWORD = "mat-khau-bao-mat-123"  # set per user here, so the file needs nothing imported from conftest
EVIL_TARGETS = [
    "//evil.example",
    "//evil.example/login",
    "https://evil.example",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
]


def _cookie(response, name):
    """The Set-Cookie header that sets `name`, or ''."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return header
    return ""


def _sign_in(client, user, **extra):
    """Post the login form; returns the response."""
    return client.post("/login", data={"email": user.email, "password": PASSWORD, **extra})


# --- cookies -------------------------------------------------------------------------------------------

def test_session_and_remember_cookies_are_httponly_and_samesite_lax(client, make_user):
    user = make_user(password=PASSWORD)
    response = _sign_in(client, user, remember="y")
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        cookie = _cookie(response, name)
        assert cookie, f"no {name} cookie set"
        assert "HttpOnly" in cookie, cookie
        assert "SameSite=Lax" in cookie, cookie


def test_remember_cookie_lasts_two_weeks_not_a_year(client, make_user):
    response = _sign_in(client, make_user(password=PASSWORD), remember="y")
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", _cookie(response, "remember_token")).group(1))
    assert expires - datetime.now(timezone.utc) <= timedelta(days=14, minutes=1)


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    """An app configured as in production (APP_ENV=production), on an empty in-memory database."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-test-secret")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path / "prod")})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()


def test_cookies_are_secure_in_production(production_app):
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True
    response = production_app.test_client().get("/lang/en?next=/")
    cookie = _cookie(response, "session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie


def test_cookies_are_not_secure_in_development(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path / "dev")})
    # http://127.0.0.1 in development would drop a Secure cookie and nobody could sign in
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_csrf_is_on_by_default_outside_tests(production_app):
    """A production form post without the token is refused and signs nobody in."""
    response = production_app.test_client().post("/login", data={"email": "a@b.vn", "password": "x" * 10})
    assert response.status_code == 400


# --- CSRF ----------------------------------------------------------------------------------------------

REGISTRATION = {
    "full_name": "Nguyễn Thị Lan",
    "email": "lan@htx-lua.vn",
    "password": "mat-khau-dang-ky-123",
    "password2": "mat-khau-dang-ky-123",
    "org_name": "Hợp tác xã Lúa Vàng",
    "org_kind": "enterprise",
    "tax_code": "",
    "locality_code": "",
}


@pytest.fixture
def csrf_app(app):
    """The test app with CSRF checks on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _token(client, path):
    """The CSRF token of the form on the page at `path`."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_registration_without_csrf_token_is_refused_and_creates_nothing(csrf_app, client):
    response = client.post("/register", data=REGISTRATION)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert db.session.scalar(db.select(User).where(User.email == REGISTRATION["email"])) is None
    assert db.session.scalar(db.select(Organization).where(Organization.name == REGISTRATION["org_name"])) is None


def test_registration_with_a_forged_token_is_refused(csrf_app, client):
    response = client.post("/register", data={**REGISTRATION, "csrf_token": "forged"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(User).where(User.email == REGISTRATION["email"])) is None


def test_registration_with_the_page_token_works(csrf_app, client):
    token = _token(client, "/register")
    response = client.post("/register", data={**REGISTRATION, "csrf_token": token})
    assert response.status_code == 302
    assert db.session.scalar(db.select(User).where(User.email == REGISTRATION["email"])) is not None


def test_a_cross_site_form_cannot_sign_a_person_out(csrf_app, client, make_user):
    user = make_user(password=PASSWORD)
    assert _sign_in(client, user, csrf_token=_token(client, "/login")).status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.get("/profile").status_code == 200


# --- error pages ---------------------------------------------------------------------------------------

def test_unknown_page_answers_a_404_page_in_vietnamese(app, client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<html lang="vi"' in page
    with force_locale("vi"):
        message = _("This page does not exist or is not available to you.")
    assert message in page


def test_unknown_page_in_english_after_switching(client):
    client.get("/lang/en?next=/")
    page = client.get("/khong-co-trang-nay").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "This page does not exist or is not available to you." in page


def test_unknown_api_route_answers_json_404(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == 404


@pytest.mark.parametrize("path, json_expected", [("/", False), ("/browse", False), ("/api/v1/offers", True),
                                                  ("/healthz", True)])
def test_a_post_to_a_read_only_route_answers_405(client, path, json_expected):
    response = client.post(path, data={"x": "1"})
    assert response.status_code == 405
    assert response.is_json is json_expected
    if json_expected:
        assert response.get_json()["error"]["code"] == 405


def test_an_oversized_upload_answers_413_and_stores_nothing(app, client, make_user, make_listing):
    import io

    user = make_user(org_kind="institute", password=PASSWORD)
    listing = make_listing(org=user.org, status="draft")
    _sign_in(client, user)
    too_big = b"%PDF-1.4 " + b"0" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post(f"/listings/{listing.id}/attachments",
                           data={"file": (io.BytesIO(too_big), "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "10 MB" in response.get_data(as_text=True)
    db.session.refresh(listing)
    assert listing.attachments == []


def test_an_oversized_form_post_answers_413_not_500(client):
    response = client.post("/register", data={**REGISTRATION, "full_name": "x" * (12 * 1024 * 1024)})
    assert response.status_code == 413
    assert db.session.scalar(db.select(User).where(User.email == REGISTRATION["email"])) is None


# --- redirects -----------------------------------------------------------------------------------------

def test_language_switch_sets_english_and_returns(client):
    response = client.get("/lang/en?next=/browse")
    assert response.status_code == 302
    assert response.headers["Location"] == "/browse"
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    client.get("/lang/vi?next=/")
    assert '<html lang="vi"' in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages(client):
    client.get("/lang/en?next=/")
    response = client.get("/lang/fr?next=/")
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_language_switch_refuses_external_next(client, target):
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_login_refuses_to_send_people_off_site(client, make_user, target):
    response = client.post("/login", query_string={"next": target},
                           data={"email": make_user(password=PASSWORD).email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_next_on_this_site(client, make_user):
    response = client.post("/login", query_string={"next": "/my/listings?status=draft"},
                           data={"email": make_user(password=PASSWORD).email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/my/listings?status=draft"


def test_ids_too_large_for_the_database_answer_404_on_every_route(app, client, login, make_user):
    """Every route with an <int:...> part answers 404 (never 500) for an id past the database's range."""
    login(make_user(role="admin"))
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if type(conv).__name__ == "BoundedIntConverter"]
        if not ints:
            continue
        values = {name: 1 for name in rule.arguments}
        values.update({name: 2**63 for name in ints})
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, (method, path, response.status_code)
            checked += 1
    assert checked >= 10


def test_cookies_are_secure_when_no_environment_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path / "default")})
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True


def test_behind_a_proxy_the_rate_limit_sees_the_client_address(monkeypatch, tmp_path):
    monkeypatch.setenv("PROXY_COUNT", "1")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path / "proxy")})
    client = app.test_client()
    seen = {}

    @app.get("/_whoami")
    def whoami():
        from flask import request

        seen["addr"] = request.remote_addr
        return "ok"

    whoami.access_policy = "public"
    client.get("/_whoami", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen["addr"] == "203.0.113.7"
