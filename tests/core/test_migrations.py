"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
import uuid

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from marketplace import create_app
from marketplace.config import TESTING
from marketplace.extensions import db

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Tables the PostgreSQL search backend writes with SQL; they have no models (tests/search/test_backends.py checks them).
UNMODELLED_PREFIXES = ("search_document", "search_vocabulary")


def _modelled(name, type_, parent_names):
    """Compare every table but the search backend's (and everything in the tables compared)."""
    return not (type_ == "table" and name and name.startswith(UNMODELLED_PREFIXES))


def _upgrade_and_diff(url, tmp_path):
    app = create_app({**TESTING, "INSTANCE_PATH": str(tmp_path / "instance"), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _modelled})
            diff = compare_metadata(context, db.metadata)
        from marketplace.reference.services import ensure_reference_data

        ensure_reference_data()  # the migrated schema accepts the shipped reference data
        db.session.remove()
        db.engine.dispose()
    return diff


def test_sqlite_migrations_match_models(tmp_path):
    diff = _upgrade_and_diff(f"sqlite:///{tmp_path}/m.db", tmp_path)
    assert diff == []


@pytest.fixture
def pg_database():
    """A fresh UTF-8 PostgreSQL database, dropped afterwards."""
    name = "mkt_test_" + uuid.uuid4().hex[:10]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'")
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_postgresql_migrations_match_models(pg_database, tmp_path):
    diff = _upgrade_and_diff(pg_database, tmp_path)
    assert diff == []
