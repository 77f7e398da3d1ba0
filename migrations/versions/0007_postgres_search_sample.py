"""postgres search: the sample index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 18:30:00

A partial GIN index on the folded vectors of every 64th document (doc_id % 64 = 0). The PostgreSQL search backend
counts a query's matches among them to choose between reading every match and reading a window of the newest
(the vocabulary's word counts cannot tell how words go together). On PostgreSQL only, like 0005; on SQLite this
revision does nothing.

The DDL is a frozen copy of what marketplace.search.backends.postgres.schema_statements() adds to 0005 as of
this revision; tests/search/test_backends.py checks that the revisions together build the schema ensure_schema()
builds.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS ix_search_document_folded_sample ON search_document USING gin (folded) "
    "WHERE doc_id % 64 = 0",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_document_folded_sample")
