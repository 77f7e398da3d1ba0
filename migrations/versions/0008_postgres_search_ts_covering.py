"""postgres search: a ts index that covers the walk over the newest documents

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 18:45:00

The PostgreSQL search backend answers a very broad search from the newest documents holding its words in their
title or keywords. A second index in the ts order (newest first) that also holds the columns that walk reads
(INCLUDE: the key, the facets and the `head` vector) lets it read the index alone, not a table page per
document. On PostgreSQL only, like 0005; on SQLite this revision does nothing.

A B-tree entry holds at most 2,704 bytes, so the `head` vectors are now kept under 1,500 bytes (the backend's
MAX_HEAD_BYTES, 3,000 before). Longer ones already written lose their last words here (in the vector's order)
before the index is built; `flask search reindex` writes them again as the backend cuts them.

The DDL is a frozen copy of what marketplace.search.backends.postgres.schema_statements() adds to 0007 as of
this revision; tests/search/test_backends.py checks that the revisions together build the schema ensure_schema()
builds.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MAX_HEAD_BYTES = 1500

STATEMENTS = [
    # An oversize head keeps its words, in the vector's order, while their bytes (plus 8 each) add up to at most
    # MAX_HEAD_BYTES.
    "UPDATE search_document AS d SET head = (SELECT array_to_tsvector(coalesce(array_agg(w.lexeme), '{}')) "
    "FROM (SELECT u.lexeme, sum(octet_length(u.lexeme) + 8) OVER (ORDER BY u.n) AS size "
    "FROM unnest(tsvector_to_array(d.head)) WITH ORDINALITY AS u(lexeme, n)) AS w "
    f"WHERE w.size <= {MAX_HEAD_BYTES}) "
    f"WHERE pg_column_size(d.head) > {MAX_HEAD_BYTES}",
    "CREATE INDEX IF NOT EXISTS ix_search_document_ts_covering ON search_document (ts DESC, doc_id DESC) "
    "INCLUDE (key, kind, sector_group, sector_code, trl_band, locality_code, owner_kind, ip_type, transfer_mode, "
    "head)",
]


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_document_ts_covering")
