"""Fixtures: an app on a fresh database, a client, a CLI runner, and factories for users and listings."""
import itertools
import os

import pytest
from flask import g, request_started, request_tearing_down

from marketplace import create_app
from marketplace.config import TESTING
from marketplace.extensions import db as _db

_counter = itertools.count(1)
PASSWORD = "mat-khau-dai-123"


def _forget_request_globals(sender, **extra):
    """Clear what extensions cache on `g` (signed-in user, language, CSRF token) as each request starts.

    The app fixture keeps one app context open and every test request reuses it, so without this a
    visitor's request would run as the user another client signed in last.
    """
    for name in ("_login_user", "_flask_babel", "csrf_token"):
        g.pop(name, None)


def _end_request_transaction(sender, **extra):
    """Roll back what a request left uncommitted, as production does when its app context ends.

    Tests share the app context (and so the session) with the requests they make; without this a view that
    forgot to commit would still look right to the test that reads the same session afterwards.
    """
    _db.session.rollback()


PG_SERVER = os.environ.get("TEST_PG_SERVER", "postgresql://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def database_url():
    """In-memory SQLite by default. With TEST_DATABASE=postgres the same tests run on a fresh PostgreSQL
    database (UTF-8, created here, dropped at the end); TEST_DATABASE_URL names an existing one instead."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    if os.environ.get("TEST_DATABASE") != "postgres":
        yield "sqlite://"
        return
    import uuid

    import psycopg

    name = "mkt_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0 "
                     "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    try:
        yield PG_SERVER.replace("postgresql://", "postgresql+psycopg://") + "/" + name
    finally:
        with psycopg.connect(PG_SERVER + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def search_backend(database_url):
    """The search backend under test: PostgreSQL full-text search on a PostgreSQL database (as at scale),
    Whoosh otherwise; TEST_SEARCH_BACKEND chooses."""
    return os.environ.get("TEST_SEARCH_BACKEND") or ("postgres" if database_url.startswith("postgresql") else "whoosh")


@pytest.fixture
def app(tmp_path, database_url, search_backend):
    """An app on a fresh database holding the reference data."""
    app = create_app({**TESTING, "INSTANCE_PATH": str(tmp_path / "instance"), "SQLALCHEMY_DATABASE_URI": database_url,
                      "SEARCH_BACKEND": search_backend})
    request_started.connect(_forget_request_globals, app)
    request_tearing_down.connect(_end_request_transaction, app)
    with app.app_context():
        _db.create_all()
        from marketplace.reference.services import ensure_reference_data

        ensure_reference_data()
        yield app
        _db.session.remove()
        drop_everything()


def drop_everything():
    """Drop the app's tables and, with PostgreSQL search, the search tables (not in the models' metadata)."""
    from marketplace.search.services import get_backend

    backend = get_backend()
    backend.close()
    if backend.name == "postgres":
        backend.drop_schema()
    _db.drop_all()
    _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database session bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def make_org(app):
    """Factory: make_org(kind='enterprise', name=None, **fields) -> Organization."""
    from marketplace.accounts.models import Organization
    from marketplace.accounts.services import unique_slug

    def make(kind="enterprise", name=None, **fields):
        n = next(_counter)
        name = name or f"Tổ chức {kind} {n}"
        org = Organization(name=name, kind=kind, slug=unique_slug(name), **fields)
        _db.session.add(org)
        _db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(app, make_org):
    """Factory: make_user(role='member', org=None, org_kind='enterprise', org_role='admin') -> User.

    A broker made without an organisation gets a verified broker organisation (broker rights need one)."""
    from marketplace.accounts.models import User

    def make(role="member", org=None, org_kind=None, org_role="admin", email=None, password=PASSWORD):
        n = next(_counter)
        if org is None:
            org_kind = org_kind or {"broker": "broker", "department": "department", "admin": "department"}.get(
                role, "enterprise")
            org = make_org(org_kind, verified=(role == "broker"))
        user = User(email=email or f"user{n}@example.vn", full_name=f"Người dùng {n}", role=role, org=org,
                    org_role=org_role)
        user.set_password(password)
        _db.session.add(user)
        _db.session.commit()
        return user

    return make


@pytest.fixture
def make_listing(app, make_org):
    """Factory: make_listing(kind='offer', org=None, status='published', **fields) -> Offer/Need/IpAsset."""
    from marketplace.core.models import utcnow
    from marketplace.listings.models import MODELS_BY_KIND
    from marketplace.listings.services import assign_ref

    def make(kind="offer", org=None, status="published", transfer_modes=("license",), **fields):
        n = next(_counter)
        org = org or make_org("institute" if kind != "need" else "enterprise")
        defaults = {
            "title": f"Công nghệ thử nghiệm {n}",
            "summary": "Tóm tắt công khai",
            "detail": "Chi tiết bí mật",
            "sector_code": "202",
            "locality_code": "phu-ly",
        }
        if kind == "offer":
            defaults.update(trl=6, price_type="negotiable")
        elif kind == "need":
            defaults.update(min_trl=5, budget_vnd_max=500_000_000)
        else:
            defaults.update(ip_type="patent", ip_number=f"1-2024-{n:05d}", ip_status="granted")
        defaults.update(fields)
        listing = MODELS_BY_KIND[kind](owner=org, status=status, **defaults)
        listing.transfer_modes = list(transfer_modes)
        if status == "published":
            listing.published_at = utcnow()
        listing.refresh_search_text()
        _db.session.add(listing)
        _db.session.flush()
        assign_ref(listing)
        _db.session.commit()
        return listing

    return make


@pytest.fixture
def login(client):
    """login(user) signs the test client in as `user`."""

    def do(user, password=PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.data[:500]
        return user

    return do


@pytest.fixture
def english(app):
    """Messages made outside a request in English (they default to Vietnamese), for tests that quote the
    English source strings; use it with `pytestmark = pytest.mark.usefixtures("english")`."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield
