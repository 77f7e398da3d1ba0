"""Load and query the reference tables (sectors, localities)."""
import csv
import io
import os

from flask_babel import gettext as _

from marketplace.core.errors import ValidationError
from marketplace.core.text import normalize
from marketplace.extensions import db
from marketplace.reference.models import Locality, Sector

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
SECTORS_FILE = os.path.join(DATA_DIR, "sectors.csv")
LOCALITIES_FILE = os.path.join(DATA_DIR, "localities.csv")


MAX_REFERENCE_BYTES = 2 * 1024 * 1024


def _read_csv(source):
    if isinstance(source, (bytes, str)) and not (isinstance(source, str) and os.path.exists(source)):
        data = source
    elif hasattr(source, "read"):
        data = source.read()
    else:
        with open(source, "rb") as fh:
            data = fh.read()
    if isinstance(data, bytes):
        if len(data) > MAX_REFERENCE_BYTES:
            raise ValidationError(_("The file is too large (2 MB at most)."), field="file")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text. Save it as CSV UTF-8."), field="file") from None
    try:
        return list(csv.DictReader(io.StringIO(data)))
    except csv.Error as exc:
        raise ValidationError(_("The file is not a readable CSV: %(error)s", error=str(exc)), field="file") from None


def _require_columns(rows, columns):
    if not rows:
        raise ValidationError(_("The file has no rows."), field="file")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.", columns=", ".join(missing)), field="file")


def load_table(table, data):
    """Load an uploaded CSV into the sectors or localities table; returns the number of rows."""
    if table == "sectors":
        return load_sectors(data)
    if table == "localities":
        return load_localities(data)
    raise ValidationError(_("Unknown table."), field="table")


def load_sectors(source=SECTORS_FILE):
    """Insert or update sectors from a CSV with columns code, parent, name_vi, name_en; returns the count.

    Rows are added or updated, never deleted: listings keep the codes they were filed under."""
    rows = _read_csv(source)
    _require_columns(rows, ("code", "parent", "name_vi"))
    errors = {}
    seen = set()
    for number, row in enumerate(rows, start=2):
        code = (row.get("code") or "").strip()
        if code and code in seen:
            errors.setdefault(None, []).append(_("Row %(row)s: code %(code)s appears twice.", row=number, code=code))
        if not code or not normalize(row.get("name_vi")):
            errors.setdefault(None, []).append(_("Row %(row)s: code and name_vi are required.", row=number))
        elif len(code) > 10 or len(row["name_vi"].strip()) > 200 or len((row.get("name_en") or "").strip()) > 200:
            errors.setdefault(None, []).append(_("Row %(row)s: a code or name is too long.", row=number))
        seen.add(code)
    in_file = {(r.get("code") or "").strip(): (r.get("parent") or "").strip() for r in rows}
    for number, row in enumerate(rows, start=2):
        parent = (row.get("parent") or "").strip()
        code = (row.get("code") or "").strip()
        if not parent:
            continue
        if parent in in_file:  # the file's own row wins over the table
            grandparent = in_file[parent]
        else:
            stored = db.session.get(Sector, parent)
            if stored is None:
                errors.setdefault(None, []).append(
                    _("Row %(row)s: unknown parent %(parent)s.", row=number, parent=parent))
                continue
            grandparent = stored.parent_code
        if parent == code or grandparent:
            errors.setdefault(None, []).append(
                _("Row %(row)s: the parent must be a field (a row without a parent), not itself or another sector.",
                  row=number))
    if errors:
        raise ValidationError(errors=errors)
    # parents first, so the foreign key holds on every database
    for row in sorted(rows, key=lambda r: bool((r.get("parent") or "").strip())):
        code = row["code"].strip()
        sector = db.session.get(Sector, code) or Sector(code=code)
        sector.parent_code = (row.get("parent") or "").strip() or None
        sector.name_vi = normalize(row["name_vi"])
        sector.name_en = normalize(row.get("name_en"))
        db.session.add(sector)
        db.session.flush()
    db.session.commit()
    return len(rows)


def load_localities(source=LOCALITIES_FILE):
    """Insert or update localities from a CSV with columns code, name_vi, kind; returns the count."""
    rows = _read_csv(source)
    _require_columns(rows, ("code", "name_vi"))
    codes = [(row.get("code") or "").strip() for row in rows]
    for number, code in enumerate(codes, start=2):
        if code and codes.index(code) + 2 != number:
            raise ValidationError(_("Row %(row)s: code %(code)s appears twice.", row=number, code=code), field="file")
    for number, row in enumerate(rows, start=2):
        if not (row.get("code") or "").strip() or not normalize(row.get("name_vi")):
            raise ValidationError(_("Row %(row)s: code and name_vi are required.", row=number), field="file")
        too_long = (len(row["code"].strip()) > 40 or len(row["name_vi"].strip()) > 200
                    or len((row.get("kind") or "").strip()) > 40)
        if too_long:
            raise ValidationError(_("Row %(row)s: a code or name is too long.", row=number), field="file")
    for row in rows:
        code = row["code"].strip()
        locality = db.session.get(Locality, code) or Locality(code=code)
        locality.name_vi = normalize(row["name_vi"])
        locality.kind = normalize(row.get("kind"))
        db.session.add(locality)
    db.session.commit()
    return len(rows)


def ensure_reference_data():
    """Load the shipped sectors and localities when their tables are empty."""
    if db.session.query(Sector.code).first() is None:
        load_sectors()
    if db.session.query(Locality.code).first() is None:
        load_localities()


def sector_groups():
    """[(field, [sectors])] in code order."""
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.code)).all()
    fields = [s for s in sectors if not s.parent_code]
    return [(f, [s for s in sectors if s.parent_code == f.code]) for f in fields]


def all_localities():
    """Every locality, by name."""
    return db.session.scalars(db.select(Locality).order_by(Locality.name_vi)).all()


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
