"""What search keeps in the database: the outbox of changes still to index, and the glossary."""
from flask_babel import lazy_gettext as _l

from marketplace.core.models import utcnow
from marketplace.extensions import db

DOC_TYPES = ("listing", "org")

GLOSSARY_KINDS = ("glossary", "abbreviation")
GLOSSARY_KIND_LABELS = {"glossary": _l("Term and its meaning"), "abbreviation": _l("Abbreviation")}


class SearchOutbox(db.Model):
    """A listing or organisation that changed and must be (re)indexed or removed from the index.

    Rows are written in the same transaction as the change and deleted once the index holds the change, so a
    process killed in between loses nothing: the next run replays them."""

    __tablename__ = "search_outbox"

    id = db.Column(db.Integer, primary_key=True)
    doc_type = db.Column(db.String(10), nullable=False)
    doc_id = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)


class GlossaryEntry(db.Model):
    """A term and what it also means for search: an English term and its Vietnamese, a symptom and the
    technology that cures it, or an abbreviation and its words. Shipped entries come from data files; the
    department adds its own."""

    __tablename__ = "glossary_entry"
    __table_args__ = (db.UniqueConstraint("kind", "term", "expansion", name="uq_glossary_entry"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(20), nullable=False, default="glossary")
    term = db.Column(db.String(200), nullable=False)
    expansion = db.Column(db.String(300), nullable=False)
    shipped = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
