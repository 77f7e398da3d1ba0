"""postgres search tables

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 16:30:00

The tables of the PostgreSQL search backend (SEARCH_BACKEND=postgres), on PostgreSQL only: on SQLite the
Whoosh backend is the only choice and this revision does nothing. The tables have no SQLAlchemy models (the
backend writes them with SQL), so tests/core/test_migrations.py leaves them out of its comparison.

The DDL is a frozen copy of marketplace.search.backends.postgres.schema_statements() as of this revision (a
migration must not change when the app code does); tests/search/test_backends.py checks that the migrated
schema equals the one ensure_schema() builds, so a later change there needs a new revision.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE IF NOT EXISTS search_document (
    key text NOT NULL,
    kind text NOT NULL,
    doc_id integer NOT NULL,
    sector_group text NOT NULL DEFAULT '',
    sector_code text NOT NULL DEFAULT '',
    trl_band text NOT NULL DEFAULT '',
    locality_code text NOT NULL DEFAULT '',
    owner_kind text NOT NULL DEFAULT '',
    ip_type text NOT NULL DEFAULT '',
    transfer_mode text[] NOT NULL DEFAULT '{}',
    ts bigint NOT NULL DEFAULT 0,
    head tsvector NOT NULL,
    folded tsvector NOT NULL,
    exact tsvector NOT NULL,
    CONSTRAINT pk_search_document PRIMARY KEY (key)
) WITH (toast_tuple_target = 128)""",
    "ALTER TABLE search_document ALTER COLUMN head SET STORAGE PLAIN, ALTER COLUMN transfer_mode SET STORAGE PLAIN",
    "CREATE INDEX IF NOT EXISTS ix_search_document_folded ON search_document USING gin (folded)",
    "CREATE INDEX IF NOT EXISTS ix_search_document_transfer_mode ON search_document USING gin (transfer_mode)",
    "CREATE INDEX IF NOT EXISTS ix_search_document_ts ON search_document (ts DESC, doc_id DESC)",
    """CREATE TABLE IF NOT EXISTS search_vocabulary (
    word text NOT NULL,
    doc_count integer NOT NULL,
    CONSTRAINT pk_search_vocabulary PRIMARY KEY (word)
)""",
    "CREATE INDEX IF NOT EXISTS ix_search_vocabulary_word_trgm ON search_vocabulary USING gin (word gin_trgm_ops)",
    """CREATE TABLE IF NOT EXISTS search_document_state (
    id integer NOT NULL,
    documents integer NOT NULL DEFAULT 0,
    build_id text NOT NULL,
    built_at timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_search_document_state PRIMARY KEY (id),
    CONSTRAINT ck_search_document_state_one_row CHECK (id = 1)
)""",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm stays: dropping an extension other objects may use is not this revision's business.
    op.execute("DROP TABLE IF EXISTS search_document_state, search_vocabulary, search_document")
