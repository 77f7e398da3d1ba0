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


def test_a_glossary_loaded_before_the_symptom_glossary_receives_it(tmp_path):
    """An exchange that loaded the glossary before symptoms.csv shipped gets its rows on upgrade, once, beside the
    department's own; a fresh database gets them from load-glossary instead (the migration adds none)."""
    from marketplace.search import glossary
    from marketplace.search.models import GlossaryEntry

    app = create_app({**TESTING, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/g.db"})
    with app.app_context():
        upgrade(revision="0011")
        db.session.add_all([GlossaryEntry(kind="glossary", term="mùi hôi", expansion="khử mùi", shipped=True),
                            GlossaryEntry(kind="glossary", term="chuot", expansion="gam nham", shipped=False),
                            GlossaryEntry(kind="glossary", term="cá mè", expansion="cá thả ghép", shipped=False)])
        db.session.commit()
        upgrade()
        rows = [(e.term, e.expansion, e.shipped) for e in db.session.scalars(db.select(GlossaryEntry))]
        symptoms = [(t, e) for t, e in glossary._read_csv("symptoms.csv")]
        assert ("cá mè", "cá thả ghép", False) in rows and ("chuot", "gam nham", False) in rows
        assert ("chuột", "gặm nhấm", True) not in rows  # the department's own row says it already
        assert ("ốc bươu vàng", "Pomacea", True) in rows
        assert len(rows) == 3 + len(symptoms) - 1
        db.session.remove()
        db.engine.dispose()

    fresh = create_app({**TESTING, "INSTANCE_PATH": str(tmp_path / "fresh"),
                        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/fresh.db"})
    with fresh.app_context():
        upgrade()
        assert db.session.scalar(db.select(db.func.count(GlossaryEntry.id))) == 0
        glossary.load_shipped()
        assert db.session.scalar(db.select(db.func.count(GlossaryEntry.id))) == len(glossary.shipped_entries())
        db.session.remove()
        db.engine.dispose()
