"""Load and query the reference tables (sectors, localities)."""
import csv
import io
import os

from marketplace.core.errors import ValidationError
from marketplace.extensions import db
from marketplace.reference.models import Locality, Sector

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
SECTORS_FILE = os.path.join(DATA_DIR, "sectors.csv")
LOCALITIES_FILE = os.path.join(DATA_DIR, "localities.csv")


def _read_csv(source):
    if hasattr(source, "read"):
        text = source.read()
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))
    with open(source, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_sectors(source=SECTORS_FILE):
    """Insert or update sectors from a CSV with columns code, parent, name_vi, name_en; returns the count."""
    rows = _read_csv(source)
    errors = {}
    seen = set()
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if not code or not (row.get("name_vi") or "").strip():
            errors.setdefault(None, []).append(f"row {number}: code and name_vi are required")
        seen.add(code)
    for number, row in enumerate(rows, start=2):
        parent = (row.get("parent") or "").strip()
        if parent and parent not in seen and db.session.get(Sector, parent) is None:
            errors.setdefault(None, []).append(f"row {number}: unknown parent {parent}")
    if errors:
        raise ValidationError(errors=errors)
    # parents first, so the foreign key holds on every database
    for row in sorted(rows, key=lambda r: bool((r.get("parent") or "").strip())):
        code = row["code"].strip()
        sector = db.session.get(Sector, code) or Sector(code=code)
        sector.parent_code = (row.get("parent") or "").strip() or None
        sector.name_vi = row["name_vi"].strip()
        sector.name_en = (row.get("name_en") or "").strip()
        db.session.add(sector)
        db.session.flush()
    db.session.commit()
    return len(rows)


def load_localities(source=LOCALITIES_FILE):
    """Insert or update localities from a CSV with columns code, name_vi, kind; returns the count."""
    rows = _read_csv(source)
    for number, row in enumerate(rows, start=2):
        if not (row.get("code") or "").strip() or not (row.get("name_vi") or "").strip():
            raise ValidationError(f"row {number}: code and name_vi are required")
    for row in rows:
        code = row["code"].strip()
        locality = db.session.get(Locality, code) or Locality(code=code)
        locality.name_vi = row["name_vi"].strip()
        locality.kind = (row.get("kind") or "").strip()
        db.session.add(locality)
    db.session.commit()
    return len(rows)


def ensure_reference_data():
    """Load the shipped sectors and localities when their tables are empty."""
    if db.session.query(Sector.code).first() is None:
        load_sectors()
    if db.session.query(Locality.code).first() is None:
        load_localities()


def sector_choices():
    """Level-2 sectors grouped under their field, as (code, label) pairs for select boxes."""
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.code)).all()
    return [(s.code, f"{s.code} – {s.name}") for s in sectors if s.parent_code]


def sector_groups():
    """[(field, [sectors])] in code order."""
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.code)).all()
    fields = [s for s in sectors if not s.parent_code]
    return [(f, [s for s in sectors if s.parent_code == f.code]) for f in fields]


def locality_choices():
    """(code, name) pairs of localities, by name."""
    rows = db.session.scalars(db.select(Locality).order_by(Locality.name_vi)).all()
    return [(loc.code, loc.name) for loc in rows]


def sector_codes():
    """The set of known level-2 sector codes."""
    return set(db.session.scalars(db.select(Sector.code).where(Sector.parent_code.is_not(None))))


def locality_codes():
    """The set of known locality codes."""
    return set(db.session.scalars(db.select(Locality.code)))
