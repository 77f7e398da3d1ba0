"""The glossary search and matching read texts with: English terms and their Vietnamese, symptoms and the
technology that cures them, abbreviations and their words. Shipped entries come from marketplace/data/
glossary.csv (English terms, the first symptoms), symptoms.csv (a farmer's or a small firm's words for pests,
diseases, spoilage, faults and wishes, and the technical names an offer uses: crops and land, animals and fish,
small firms and craft villages) and abbreviations.csv; the department adds and removes entries on
/search/glossary."""
import csv
import os
import time

from flask import current_app
from flask_babel import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.core.text import fold, normalize
from marketplace.extensions import db
from marketplace.search.models import GLOSSARY_KINDS, GlossaryEntry

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")
GLOSSARY_FILES = ("glossary.csv", "symptoms.csv")
MAX_TERM = 200
MAX_EXPANSION = 300


def _read_csv(name):
    """Rows of a shipped data file (header row skipped)."""
    path = os.path.join(DATA_DIR, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return [row for row in rows[1:] if len(row) >= 2 and row[0].strip() and row[1].strip()]


def shipped_entries():
    """[(kind, term, expansion)] from the data files."""
    return ([("glossary", normalize(t), normalize(e)) for name in GLOSSARY_FILES for t, e, *_rest in _read_csv(name)]
            + [("abbreviation", normalize(t), normalize(e)) for t, e, *_rest in _read_csv("abbreviations.csv")])


def load_shipped(replace=False):
    """Copy the shipped entries into the database when it holds none (`replace`: reload the shipped ones,
    keeping the department's). Returns the number of rows added."""
    if replace:
        db.session.execute(db.delete(GlossaryEntry).where(GlossaryEntry.shipped.is_(True)))
    elif db.session.scalar(db.select(GlossaryEntry.id).limit(1)) is not None:
        return 0
    have = {(e.kind, fold(e.term), fold(e.expansion)) for e in db.session.scalars(db.select(GlossaryEntry))}
    added = 0
    for kind, term, expansion in shipped_entries():
        key = (kind, fold(term), fold(expansion))
        if key not in have:
            have.add(key)
            db.session.add(GlossaryEntry(kind=kind, term=term, expansion=expansion, shipped=True))
            added += 1
    db.session.commit()
    forget()
    return added


def entries(q="", kind=""):
    """Entries, filtered by words in the term or expansion (diacritics optional) and kind, by term."""
    stmt = db.select(GlossaryEntry)
    if kind in GLOSSARY_KINDS:
        stmt = stmt.where(GlossaryEntry.kind == kind)
    rows = db.session.scalars(stmt).all()
    words = fold(q).split()
    if words:
        rows = [e for e in rows if all(w in fold(e.term + " " + e.expansion) for w in words)]
    return sorted(rows, key=lambda e: (fold(e.term), fold(e.expansion)))


def get_entry(entry_id):
    """An entry by id, or None."""
    return db.session.get(GlossaryEntry, entry_id)


def add_entry(kind, term, expansion):
    """Add an entry; raises ValidationError for a duplicate, an empty side or an unknown kind."""
    term, expansion = normalize(term), normalize(expansion)
    errors = {}
    if kind not in GLOSSARY_KINDS:
        errors["kind"] = [_("Choose a kind of entry.")]
    if not term or not fold(term).strip():
        errors["term"] = [_("Write the term.")]
    elif len(term) > MAX_TERM:
        errors["term"] = [_("At most %(n)s characters.", n=MAX_TERM)]
    if not expansion or not fold(expansion).strip():
        errors["expansion"] = [_("Write what the term means.")]
    elif len(expansion) > MAX_EXPANSION:
        errors["expansion"] = [_("At most %(n)s characters.", n=MAX_EXPANSION)]
    if not errors and fold(term) == fold(expansion):
        errors["expansion"] = [_("The meaning must differ from the term.")]
    if not errors:
        key = (fold(term), fold(expansion))
        for e in db.session.scalars(db.select(GlossaryEntry).where(GlossaryEntry.kind == kind)):
            if (fold(e.term), fold(e.expansion)) == key:
                errors["term"] = [_("This entry exists already.")]
                break
    if errors:
        raise ValidationError(errors=errors)
    if db.session.scalar(db.select(GlossaryEntry.id).limit(1)) is None:
        load_shipped()  # the first edit starts from the shipped entries, not from nothing
    entry = GlossaryEntry(kind=kind, term=term, expansion=expansion, shipped=False)
    db.session.add(entry)
    db.session.commit()
    forget()
    return entry


def delete_entry(entry):
    """Remove an entry."""
    db.session.delete(entry)
    db.session.commit()
    forget()


def for_reading(session=None):
    """(glossary pairs, {folded abbreviation: expansion}) for reading queries: the database's entries, or the
    shipped ones before they are loaded; cached for SEARCH_GLOSSARY_TTL seconds per process. `session`: one of
    the caller's (a hook after a commit cannot use db.session)."""
    cache = current_app.extensions.get("search_glossary")
    if cache and time.monotonic() - cache[0] < current_app.config.get("SEARCH_GLOSSARY_TTL", 60):
        return cache[1], cache[2]
    rows = [(e.kind, e.term, e.expansion) for e in (session or db.session).scalars(db.select(GlossaryEntry))]
    if not rows:
        rows = shipped_entries()
    pairs = [(t, e) for k, t, e in rows if k == "glossary"]
    abbreviations = {}
    for k, t, e in rows:
        if k == "abbreviation":
            abbreviations.setdefault(fold(t).replace(" ", ""), e)
    current_app.extensions["search_glossary"] = (time.monotonic(), pairs, abbreviations)
    return pairs, abbreviations


def forget():
    """Drop this process's cached glossary (other processes refresh within a minute)."""
    current_app.extensions.pop("search_glossary", None)
