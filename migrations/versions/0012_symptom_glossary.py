"""the symptom glossary (marketplace/data/symptoms.csv) reaches databases whose glossary was loaded before it

A fresh database has no glossary rows at this point: `flask search load-glossary` (make run) copies every
shipped file, symptoms.csv included. A database loaded before this revision gets the rows of symptoms.csv it
does not hold yet (compared without diacritics and case), as shipped rows the department may remove; its own
rows and its removals of older shipped rows are left as they are.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 00:30:00

"""
import csv
import os
import unicodedata
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SYMPTOMS = os.path.join(os.path.dirname(__file__), "..", "..", "marketplace", "data", "symptoms.csv")

entry = sa.table("glossary_entry", sa.column("id", sa.Integer), sa.column("kind", sa.String),
                 sa.column("term", sa.String), sa.column("expansion", sa.String), sa.column("shipped", sa.Boolean),
                 sa.column("created_at", sa.DateTime(timezone=True)))


def _fold(text):
    text = unicodedata.normalize("NFD", " ".join(text.split()).lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def _rows():
    if not os.path.exists(SYMPTOMS):
        return []
    with open(SYMPTOMS, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return [(unicodedata.normalize("NFC", " ".join(t.split())), unicodedata.normalize("NFC", " ".join(e.split())))
            for t, e, *_rest in rows if t.strip() and e.strip()]


def upgrade():
    bind = op.get_bind()
    held = {(_fold(t), _fold(e)) for t, e in bind.execute(
        sa.select(entry.c.term, entry.c.expansion).where(entry.c.kind == "glossary"))}
    if not bind.execute(sa.select(entry.c.id).limit(1)).first():
        return  # nothing loaded yet: load-glossary copies every shipped file
    now = datetime.now(timezone.utc)
    new = []
    for term, expansion in _rows():
        key = (_fold(term), _fold(expansion))
        if key not in held:
            held.add(key)
            new.append({"kind": "glossary", "term": term, "expansion": expansion, "shipped": True, "created_at": now})
    if new:
        op.bulk_insert(entry, new)


def downgrade():
    bind = op.get_bind()
    for term, expansion in _rows():
        bind.execute(sa.delete(entry).where(entry.c.kind == "glossary", entry.c.shipped.is_(True),
                                            entry.c.term == term, entry.c.expansion == expansion))
