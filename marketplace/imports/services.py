"""Bulk import of offers, needs and IP assets from a CSV, XLSX or JSON file, one row per listing.

The file
- CSV (UTF-8, with or without BOM; UTF-16 with BOM; delimiter ',' ';' or tab, detected from the header line),
  XLSX (first sheet, first row holds the headers) or JSON (a list of objects, or {"items": [...]}).
- Columns (headers are trimmed and case-insensitive; spaces and '-' count as '_'): kind (offer|need|ip), ref
  (the source's own id), title, summary, description (the confidential detail), sector_code, trl (offers, IP
  assets) / min_trl (needs), transfer_modes (';'-separated codes), price_vnd (offers, IP assets) /
  budget_vnd_max (needs), keywords (';'), ip_type, ip_number, owner_org, owner_kind, locality (a code or the
  Vietnamese name, with or without diacritics), status (default published), expires_at (YYYY-MM-DD or
  DD/MM/YYYY; default LISTING_DEFAULT_DAYS from today).
- kind, title and owner_org must be present: a file without one of them is refused.
- Rows are numbered as the user sees them: the header is row 1, the first data row row 2 (for JSON: the
  item's position, from 1). Empty rows are skipped.

Decisions (what the department asked for: nothing of theirs silently lost, nothing half-written)
- A column the importer does not know refuses the whole file, naming it: it is most likely a typo
  ("sector" for "sector_code") and dropping it would lose data without a word.
- A value in a column that does not apply to the row's kind (min_trl or budget_vnd_max on an offer, trl or
  price_vnd on a need) is a row error, for the same reason.
- Every row is checked first and every problem collected; if any row is bad, nothing is written and the
  report lists them all (row number and reason). Otherwise everything is written in one transaction.
- The same (kind, ref) again updates that listing. Only the columns present in the file change it: a column
  left out of the file keeps the listing's value, a blank cell in a present column clears it (or restores
  the default). Two rows with the same kind and ref in one file are refused. This holds for the references
  the site gives (CB-2026-00042) as for the source's own.
- An import never moves a listing to another organisation: a row whose (kind, ref) is a listing owned by an
  organisation other than the row's owner_org is refused, naming that organisation.
- Rows without a ref always create a listing; it gets a reference such as CB-2026-00042, or CB-2026-00042-2
  when the file or the exchange already uses that one for the same kind.
- A cell holding Infinity, NaN or a number too large for a float (JSON 1e400) is a row error. A row that
  fails in a way the checks did not foresee is reported as unreadable, and nothing is written.
- owner_org is matched with existing organisations by name, case-insensitively; a missing one is created
  with kind owner_kind (default 'other'; an unknown kind refuses the row). An existing organisation's kind
  is never changed by an import.
- price_vnd above 0 makes the price 'indicative', blank or 0 makes it 'negotiable'.
- A draft, submitted or published row may not carry an expiry date in the past.
- Limits: IMPORT_MAX_BYTES (20 MB) and IMPORT_MAX_ROWS (50,000 rows) by default.
"""
import csv
import functools
import io
import json
import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from marketplace.accounts.models import ORG_KINDS, Organization
from marketplace.core import clock
from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.core.text import fold, normalize, slugify
from marketplace.extensions import db
from marketplace.listings.models import MODELS_BY_KIND, Listing, ListingEvent
from marketplace.listings.services import apply_listing_data, clean_listing_data, default_expiry, site_ref
from marketplace.reference.models import Locality
from marketplace.reference.services import sector_codes

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
BATCH_SIZE = 1000  # rows written between flushes: bounded memory in the unit of work, few round trips
EXTENSIONS = ("csv", "xlsx", "json")

COLUMNS = ("kind", "ref", "title", "summary", "description", "sector_code", "trl", "min_trl", "transfer_modes",
           "price_vnd", "budget_vnd_max", "keywords", "ip_type", "ip_number", "owner_org", "owner_kind",
           "locality", "status", "expires_at")
REQUIRED_COLUMNS = ("kind", "title", "owner_org")
IMPORT_STATUSES = ("draft", "submitted", "published", "closed", "expired", "withdrawn")
# file column -> listing field as clean_listing_data() names it
FIELD_OF_COLUMN = {
    "title": "title", "summary": "summary", "description": "detail", "sector_code": "sector_code", "trl": "trl",
    "min_trl": "min_trl", "transfer_modes": "transfer_modes", "price_vnd": "price_vnd",
    "budget_vnd_max": "budget_vnd_max", "keywords": "keywords", "ip_type": "ip_type", "ip_number": "ip_number",
    "locality": "locality_code", "expires_at": "expires_at",
}
COLUMN_OF_FIELD = {f: c for c, f in FIELD_OF_COLUMN.items()}
# columns that only some kinds use; everything else applies to every kind
KINDS_OF_COLUMN = {"trl": ("offer", "ip"), "min_trl": ("need",), "price_vnd": ("offer", "ip"),
                   "budget_vnd_max": ("need",)}
LIST_COLUMNS = ("transfer_modes", "keywords")
NUMBER_COLUMNS = ("trl", "min_trl", "price_vnd", "budget_vnd_max")

# Vietnamese names people write in spreadsheets, folded (no diacritics, lower case).
KIND_ALIASES = {
    "offer": "offer", "chao ban": "offer", "chao ban cong nghe": "offer", "cong nghe chao ban": "offer",
    "need": "need", "nhu cau": "need", "nhu cau cong nghe": "need",
    "ip": "ip", "ip asset": "ip", "tai san tri tue": "ip",
}
ORG_KIND_ALIASES = {
    "doanh nghiep": "enterprise", "cong ty": "enterprise", "hop tac xa": "enterprise",
    "dai hoc": "university", "truong dai hoc": "university", "hoc vien": "university",
    "vien": "institute", "vien nghien cuu": "institute",
    "to chuc trung gian": "broker", "moi gioi": "broker",
    "so khoa hoc va cong nghe": "department", "so khcn": "department",
    "khac": "other",
}
LOCALITY_PREFIXES = ("thanh pho ", "tp. ", "tp ", "thi xa ", "tx. ", "huyen ", "quan ", "thi tran ", "phuong ",
                     "xa ")
TEMPLATE_ROWS = [
    {"kind": "offer", "ref": "VD-CB-001",
     "title": "Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp",
     "summary": "Công nghệ ủ nhanh rơm rạ, bã mía thành phân hữu cơ vi sinh trong 25 ngày.",
     "description": "Chủng vi sinh, thông số ủ, định mức nguyên liệu (chỉ bên nhận chuyển giao được xem).",
     "sector_code": "401", "trl": "7", "transfer_modes": "license;technical_service", "price_vnd": "350000000",
     "keywords": "phân bón hữu cơ;vi sinh;phụ phẩm nông nghiệp", "ip_type": "utility_solution",
     "ip_number": "2-2023-00123", "owner_org": "Viện Nông nghiệp Hà Nam", "owner_kind": "institute",
     "locality": "Phủ Lý", "status": "published"},
    {"kind": "need", "ref": "VD-NC-001", "title": "Cần công nghệ xử lý nước thải làng nghề dệt nhuộm",
     "summary": "Hợp tác xã cần hệ thống xử lý nước thải công suất 50 m³/ngày đạt QCVN 13-MT:2015.",
     "description": "Nước thải có độ màu cao, COD 800 mg/l.", "sector_code": "207", "min_trl": "6",
     "transfer_modes": "turnkey;equipment_with_technology", "budget_vnd_max": "1200000000",
     "keywords": "nước thải;dệt nhuộm;làng nghề", "owner_org": "Hợp tác xã Dệt Nha Xá",
     "owner_kind": "enterprise", "locality": "duy-tien", "status": "published"},
]


@dataclass
class ImportReport:
    """What an import did (or, with errors or a dry run, would do): counts and the bad rows."""

    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    orgs_created: int = 0
    dry_run: bool = False
    errors: list = field(default_factory=list)  # (row number or None for the whole file, message)

    @property
    def ok(self):
        """True when the file had no problem (and, unless a dry run, was written)."""
        return not self.errors

    @property
    def bad_rows(self):
        """How many rows have at least one problem."""
        return len({row for row, _message in self.errors if row})


class _FileProblem(Exception):
    """A problem with the file as a whole (format, size, columns)."""


class _CellProblem(ValueError):
    """A cell that cannot be used, with the reason to show."""


class _RowFailed(Exception):
    """An unforeseen error while writing one row (the row number is kept for the report)."""

    def __init__(self, row):
        super().__init__(row)
        self.row = row


@dataclass
class _Plan:
    """One checked row, ready to be written."""

    row: int
    kind: str
    ref: str | None
    clean: dict
    status: str | None
    org_key: str
    existing: Listing | None = None


@dataclass
class _Context:
    """What the checks look up, loaded once per file."""

    sectors: set
    locality_codes: set
    localities: dict
    orgs: dict
    slugs: set
    existing: dict
    new_orgs: dict = field(default_factory=dict)
    seen: dict = field(default_factory=dict)  # (kind, ref) -> row number: every ref the file gives


def max_bytes():
    """The largest file an import accepts, in bytes."""
    return int(current_app.config.get("IMPORT_MAX_BYTES", MAX_BYTES))


def max_rows():
    """The most data rows an import accepts."""
    return int(current_app.config.get("IMPORT_MAX_ROWS", MAX_ROWS))


# --- the use case -----------------------------------------------------------------------------------

def import_listings(source, filename=None, actor=None, dry_run=False):
    """Import listings from a file (a path, bytes or a binary stream); returns an ImportReport.

    Every row is checked before anything is written; with any error, or with `dry_run`, nothing is written.
    """
    if filename is None:
        filename = source if isinstance(source, (str, os.PathLike)) else getattr(source, "name", "") or ""
    filename = os.path.basename(str(filename))
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        ext = _extension(filename)
        data = _read_bytes(source)
        headers, rows = _parse(data, ext)
        columns = _check_columns(headers)
    except _FileProblem as exc:
        report.errors.append((None, str(exc)))
        return report
    plans, context = _check_rows(columns, rows, report, is_json=ext == "json")
    if report.errors:
        report.created = report.updated = report.orgs_created = 0
        return report
    if dry_run:
        return report
    try:
        _write(plans, context, actor, filename)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("import of %s failed while writing", filename)
        report.created = report.updated = report.orgs_created = 0
        report.errors.append((None, _("The database refused the import, so nothing was saved. Please try again; "
                                      "if it fails again, tell the administrator.")))
    except _RowFailed as exc:
        db.session.rollback()
        log.exception("import of %s failed while writing row %s", filename, exc.row)
        report.created = report.updated = report.orgs_created = 0
        report.errors.append((exc.row, _unreadable_row()))
    return report


def _unreadable_row():
    return _("Could not read this row, so nothing was saved. Check its values; if they look right, tell the "
             "administrator.")


def template_csv():
    """A CSV file (UTF-8 with BOM, for Excel) with every column and two example rows."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in TEMPLATE_ROWS:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


# --- reading the file -------------------------------------------------------------------------------

def _extension(filename):
    ext = os.path.splitext(filename or "")[1].lower().lstrip(".")
    if ext not in EXTENSIONS:
        if ext == "xls":
            raise _FileProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV UTF-8."))
        raise _FileProblem(_("Choose a CSV, XLSX or JSON file (the name ends in .csv, .xlsx or .json)."))
    return ext


def _too_large():
    return _FileProblem(_("The file is larger than %(mb)s MB. Split it into smaller files.",
                          mb=max_bytes() // (1024 * 1024)))


def _read_bytes(source):
    limit = max_bytes()
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        try:
            if os.path.getsize(source) > limit:
                raise _too_large()
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError:
            raise _FileProblem(_("The file cannot be read.")) from None
    else:
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
    if len(data) > limit:
        raise _too_large()
    if not data.strip():
        raise _FileProblem(_("The file is empty."))
    return data


def _parse(data, ext):
    """(headers, [(row number, values)]) where values is a list (CSV, XLSX) or a dict (JSON)."""
    if ext == "csv":
        return _parse_csv(data)
    if ext == "xlsx":
        return _parse_xlsx(data)
    return _parse_json(data)


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    raise _FileProblem(_("The file is not UTF-8 text. In Excel, save it as 'CSV UTF-8 (Comma delimited)'."))


def _parse_csv(data):
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if data.startswith(b"PK\x03\x04") or (b"\x00" in data[:4096] and not utf16):
        raise _FileProblem(_("This is not a CSV text file. If it is an Excel workbook, give it the .xlsx "
                             "extension."))
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    number = 0
    headers = None
    limit = max_rows()
    try:
        for number, record in enumerate(reader, start=1):
            if headers is None:
                if not any(cell.strip() for cell in record):
                    continue  # blank lines above the header
                headers = record
                continue
            if not any(cell.strip() for cell in record):
                continue
            rows.append((number, record))
            if len(rows) > limit:
                raise _too_many_rows()
    except csv.Error as exc:
        raise _FileProblem(_("The CSV file cannot be read near row %(row)s: %(problem)s",
                             row=number + 1, problem=str(exc))) from None
    if headers is None:
        raise _FileProblem(_("The file is empty."))
    return headers, rows


def _too_many_rows():
    limit = "{:,}".format(max_rows()).replace(",", ".")
    return _FileProblem(_("The file has more than %(n)s rows. Split it into smaller files.", n=limit))


def _parse_xlsx(data):
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise _FileProblem(_("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx, or "
                             "as CSV UTF-8."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for a damaged or foreign file
        raise _FileProblem(_("This file is not an Excel workbook (.xlsx) or it is damaged. Save it from Excel "
                             "as .xlsx, or as CSV UTF-8.")) from None
    try:
        if not workbook.worksheets:
            raise _FileProblem(_("The workbook has no sheet."))
        headers = None
        rows = []
        limit = max_rows()
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            if not any(not _blank(v) for v in values):
                continue
            if headers is None:
                headers = list(values)
                continue
            rows.append((number, list(values)))
            if len(rows) > limit:
                raise _too_many_rows()
    except _FileProblem:
        raise
    except Exception:  # a damaged sheet fails deep inside openpyxl or the XML parser, in many ways
        raise _FileProblem(_("This Excel workbook is damaged and cannot be read. Save it again from Excel.")) \
            from None
    finally:
        workbook.close()
    if headers is None:
        raise _FileProblem(_("The file is empty."))
    return headers, rows


def _parse_json(data):
    try:
        items = json.loads(_decode(data))
    except ValueError as exc:
        raise _FileProblem(_("The file is not valid JSON (%(problem)s).", problem=str(exc))) from None
    except RecursionError:
        raise _FileProblem(_("The JSON file is nested too deeply to be read. Give a list of listings, each an "
                             "object of simple values.")) from None
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    if not isinstance(items, list):
        raise _FileProblem(_('The JSON file must hold a list of listings, or an object {"items": [...]}.'))
    headers = []
    seen = set()
    rows = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            if not any(not _blank(v) for v in item.values()):
                continue
            for key in item:
                if _column_name(key) not in seen:  # items may spell a key in different cases
                    seen.add(_column_name(key))
                    headers.append(key)
        rows.append((number, item))
        if len(rows) > max_rows():
            raise _too_many_rows()
    if not rows:
        raise _FileProblem(_("The file holds no listing."))
    return headers, rows


def _column_name(header):
    name = normalize(header).lstrip("\ufeff").strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def _check_columns(headers):
    """The column name of each header position (None for a blank header); refuses unknown or missing ones."""
    columns = [(_column_name(h) or None) if not _blank(h) else None for h in headers]
    problems = []
    unknown = [c for c in columns if c and c not in COLUMNS]
    if unknown:
        problems.append(_("Unknown columns: %(names)s. Check the spelling against the template; the columns are: "
                          "%(known)s.", names=", ".join(unknown), known=", ".join(COLUMNS)))
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append(_("Columns appear twice: %(names)s.", names=", ".join(repeated)))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(_("Required columns are missing: %(names)s.", names=", ".join(missing)))
    if problems:
        raise _FileProblem(" ".join(problems))
    return columns


# --- checking the rows ------------------------------------------------------------------------------

def _blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        # one level only: a list inside a list is never blank (and is refused by _cell), whatever its depth
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in value)
    return False


def _cell(value, column):
    """A cell as the checks want it; raises ValueError for a value of the wrong shape (_CellProblem with its
    own reason)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if not math.isfinite(value):  # JSON Infinity, NaN, or 1e400 read as infinity
            raise _CellProblem(_("Infinity, NaN and numbers too large to store are not accepted."))
        if value == int(value):
            value = int(value)
        elif column not in NUMBER_COLUMNS:
            return str(value)
    if isinstance(value, (list, tuple)):
        if column not in LIST_COLUMNS or any(isinstance(v, (list, tuple, dict)) for v in value):
            raise ValueError
        return [str(_cell(v, None)) for v in value if not _blank(v)]
    if isinstance(value, dict):
        raise ValueError
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if column == "expires_at" else value.isoformat()
    if isinstance(value, int) and column not in NUMBER_COLUMNS:
        return str(value)
    return value


def _row_values(columns, raw, is_json):
    """({column: value}, [problems], {refused columns}) of one row; notes values with no header or of the wrong
    shape (those are left out of the values)."""
    values = {}
    errors = []
    refused = set()
    if is_json:
        if not isinstance(raw, dict):
            return values, [_("expected an object with the listing's fields.")], refused
        pairs = [(_column_name(k), v) for k, v in raw.items()]
    else:
        pairs = [(c, None) for c in columns if c]
        for index, value in enumerate(raw):
            column = columns[index] if index < len(columns) else None
            if column is None:
                if not _blank(value):
                    errors.append(_("A value (%(value)s) in column %(n)s, which has no header.",
                                    value=str(value)[:40], n=index + 1))
                continue
            pairs.append((column, value))
    for column, value in pairs:
        try:
            values[column] = _cell(value, column)
        except _CellProblem as exc:
            errors.append(_problem(column, str(exc)))
            refused.add(column)
        except ValueError:
            errors.append(_problem(column, _("Expected a single value.")))
            refused.add(column)
    return values, errors, refused


def _load_context(checked):
    """Look up codes, organisations and the listings the file may update, once for the whole file."""
    localities = {}
    codes = set()
    for code, name in db.session.execute(db.select(Locality.code, Locality.name_vi)):
        codes.add(code)
        for key in (code, fold(code), fold(name), _strip_locality_prefix(fold(name))):
            localities.setdefault(key, code)
    orgs = {}
    slugs = set()
    for org in db.session.scalars(db.select(Organization).order_by(Organization.id)):
        orgs.setdefault(_org_key(org.name), org)  # the oldest wins when names differ only in case
        slugs.add(org.slug)
    wanted = {}
    for _number, values, _errors, _refused in checked:
        kind, ref = _kind(values.get("kind")), _ref(values.get("ref"))
        if kind and ref:
            wanted.setdefault(kind, set()).add(ref)
    existing = {}
    for kind, refs in wanted.items():
        refs = sorted(refs)
        for start in range(0, len(refs), 500):
            chunk = refs[start:start + 500]
            for listing in db.session.scalars(
                    db.select(Listing).where(Listing.kind == kind, Listing.ref.in_(chunk))):
                existing[(listing.kind, listing.ref)] = listing
    return _Context(sectors=sector_codes(), locality_codes=codes, localities=localities, orgs=orgs, slugs=slugs,
                    existing=existing)


@functools.lru_cache(maxsize=4096)
def _fold_code(value):
    """fold() of a short categorical cell (kind, status, locality, owner_kind): few distinct values per file."""
    return fold(value)


def _strip_locality_prefix(folded):
    for prefix in LOCALITY_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):].strip()
    return folded


def _org_key(name):
    return normalize(name).lower()


def _kind(value):
    if _blank(value) or not isinstance(value, str):
        return None
    return KIND_ALIASES.get(_fold_code(value))


def _ref(value):
    if _blank(value) or isinstance(value, list):
        return None
    return normalize(str(value)) or None


def _check_rows(columns, rows, report, is_json):
    """Check every row; returns (plans, context) and puts every problem into the report."""
    checked = []
    for number, raw in rows:
        try:
            values, errors, refused = _row_values(columns, raw, is_json)
        except Exception:  # last line of defence: one strange row must not hide the report of the others
            log.exception("import: row %s could not be read", number)
            values, errors, refused = {}, [_unreadable_row()], set()
        checked.append((number, values, errors, refused))
    context = _load_context(checked)
    file_columns = {c for c in columns if c}
    plans = []
    for number, values, errors, refused in checked:
        report.rows += 1
        present = set(values) if is_json else file_columns
        plan = None
        if values or not errors:
            problems = []
            try:
                plan = _check_row(number, values, present, context, problems)
            except Exception:  # as above; the row is reported and nothing is written
                log.exception("import: row %s could not be checked", number)
                problems.append(_unreadable_row())
                plan = None
            # a refused cell is left out of the values; "missing" would only repeat its problem
            errors.extend(m for m in problems if _column_of(m) not in refused)
        for message in errors:
            report.errors.append((number, message))
        if plan is not None and not errors:
            plans.append(plan)
    if not report.errors:
        report.orgs_created = len(context.new_orgs)
        report.created = sum(1 for p in plans if p.existing is None)
        report.updated = len(plans) - report.created
    return plans, context


def _problem(column, message):
    """A row problem as 'column: reason' (the column name is never translated: it is what the file says)."""
    return f"{column}: {message}" if column else str(message)


def _column_of(problem):
    """The column a _problem() message names ('trl' of 'trl "12": ...'); '' when it names none."""
    head, sep, _rest = str(problem).partition(":")
    return head.split(' "')[0] if sep else ""


def _check_row(number, values, present, context, errors):
    """A plan for one row, or None; problems are appended to `errors` as 'column: reason'."""
    kind = _kind(values.get("kind"))
    if kind is None:
        if _blank(values.get("kind")):
            errors.append(_problem("kind", _("Give the kind of listing (offer, need or ip).")))
        else:
            errors.append(_problem("kind", _("Unknown kind %(value)s (offer, need or ip).",
                                             value=values.get("kind"))))
        return None
    for column, kinds in KINDS_OF_COLUMN.items():
        if kind not in kinds and not _blank(values.get(column)):
            errors.append(_problem(column, _("This column does not apply to a listing of kind %(kind)s; leave it "
                                             "empty.", kind=kind)))

    ref = _ref(values.get("ref"))
    existing = None
    if ref:
        if len(ref) > 100:
            errors.append(_problem("ref", _("Too long (100 characters at most).")))
        key = (kind, ref)
        if key in context.seen:
            errors.append(_problem("ref", _("%(ref)s already appears in row %(row)s for the same kind.", ref=ref,
                                            row=context.seen[key])))
        else:
            context.seen[key] = number
        existing = context.existing.get(key)

    data = {}
    supplied = set()
    for column, name in FIELD_OF_COLUMN.items():
        if column in KINDS_OF_COLUMN and kind not in KINDS_OF_COLUMN[column]:
            continue
        if column in present:
            data[name] = values.get(column)
            supplied.add(name)
        elif existing is not None:
            data[name] = existing.transfer_modes if name == "transfer_modes" else getattr(existing, name)
    if "price_vnd" in supplied:
        supplied.add("price_type")  # derived from the price: indicative above 0, else negotiable
    elif existing is not None and kind != "need":
        data["price_type"] = existing.price_type
    locality = data.get("locality_code")
    if isinstance(locality, str) and locality.strip():
        folded = _fold_code(locality)
        data["locality_code"] = (context.localities.get(folded)
                                 or context.localities.get(_strip_locality_prefix(folded)) or normalize(locality))

    clean = {}
    try:
        clean = clean_listing_data(kind, data, context.sectors, context.locality_codes)
    except ValidationError as exc:
        for name, messages in exc.errors.items():
            column = "price_vnd" if name == "price_type" else COLUMN_OF_FIELD.get(name, name or "")
            value = values.get(column)
            if column in NUMBER_COLUMNS + ("expires_at",) and not _blank(value):
                column = f'{column} "{str(value)[:30]}"'  # these messages do not repeat the value
            for message in messages:
                errors.append(_problem(column, message))
    if existing is not None:
        clean = {k: v for k, v in clean.items() if k in supplied}

    status = None
    if "status" in present:
        raw_status = values.get("status")
        status = _fold_code(str(raw_status)) if not _blank(raw_status) else "published"
        if status not in IMPORT_STATUSES:
            errors.append(_problem("status", _("Unknown status %(value)s (%(known)s).", value=raw_status,
                                               known=", ".join(IMPORT_STATUSES))))
    elif existing is None:
        status = "published"
    final_status = status or existing.status
    if "expires_at" in clean:
        expires = clean["expires_at"]
    else:
        expires = existing.expires_at if existing is not None else None
    if expires and expires < clock.today() and final_status in ("draft", "submitted", "published"):
        errors.append(_problem("expires_at", _("The expiry date %(date)s is in the past; give a later date or "
                                               "another status.", date=expires.strftime("%d/%m/%Y"))))

    org_key = _check_owner(values, number, context, errors)
    if existing is not None and org_key is not None:
        _check_same_owner(existing, org_key, context, errors)
    if errors:
        return None
    return _Plan(row=number, kind=kind, ref=ref, clean=clean, status=status, org_key=org_key, existing=existing)


def _check_same_owner(existing, org_key, context, errors):
    """Refuse a row that would move an existing listing to another organisation."""
    org = context.orgs.get(org_key)
    if org is not None and org.id == existing.owner_org_id:
        return
    owner = existing.owner
    if owner is not None and _org_key(owner.name) == org_key:
        return  # the same name in another case (two such organisations exist): the listing keeps its owner
    errors.append(_problem("ref", _("%(ref)s belongs to a listing of another organisation (%(org)s); an import "
                                    "cannot change a listing's owner.", ref=existing.ref,
                                    org=owner.name if owner is not None else "?")))


def _org_kind(value):
    """The organisation kind code of an owner_kind cell: '' when blank, None when unknown."""
    if _blank(value):
        return ""
    folded = _fold_code(str(value))
    if folded in ORG_KINDS:
        return folded
    return ORG_KIND_ALIASES.get(folded)


def _check_owner(values, number, context, errors):
    """The owner's key in context.orgs or context.new_orgs, noting a new organisation to create."""
    owner = values.get("owner_org")
    name = normalize(owner) if isinstance(owner, str) else ""
    org_kind = _org_kind(values.get("owner_kind"))
    if org_kind is None:
        errors.append(_problem("owner_kind", _("Unknown organisation kind %(value)s (%(known)s).",
                                               value=values.get("owner_kind"), known=", ".join(ORG_KINDS))))
    if not name:
        errors.append(_problem("owner_org", _("Give the owner organisation's name.")))
        return None
    if len(name) > 255:
        errors.append(_problem("owner_org", _("The name is too long (255 characters at most).")))
        return None
    key = _org_key(name)
    if key in context.orgs or org_kind is None:
        return key
    planned = context.new_orgs.get(key)
    if planned is None:
        context.new_orgs[key] = {"name": name, "kind": org_kind, "row": number}
    elif org_kind and not planned["kind"]:
        planned.update(kind=org_kind, row=number)
    elif org_kind and planned["kind"] != org_kind:
        errors.append(_problem("owner_kind", _("%(value)s, but row %(row)s gives %(other)s for the same new "
                                               "organisation.", value=org_kind, row=planned["row"],
                                               other=planned["kind"])))
    return key


# --- writing ----------------------------------------------------------------------------------------

def _unique_slug(name, slugs):
    base = slugify(name, 100)
    slug, n = base, 1
    while slug in slugs:
        n += 1
        slug = f"{base}-{n}"
    slugs.add(slug)
    return slug


def _write(plans, context, actor, filename):
    """Write checked rows in one transaction, flushing in batches; commits once."""
    actor_id = getattr(actor, "id", None)
    now = utcnow()
    expiry = default_expiry()
    for key, spec in context.new_orgs.items():
        org = Organization(name=spec["name"], kind=spec["kind"] or "other",
                           slug=_unique_slug(spec["name"], context.slugs))
        db.session.add(org)
        context.orgs[key] = org
    batch = []
    for plan in plans:
        try:
            _write_row(plan, context, actor_id, now, expiry, batch)
        except SQLAlchemyError:
            raise
        except Exception as exc:  # last line of defence, reported as this row's problem
            raise _RowFailed(plan.row) from exc
        if len(batch) >= BATCH_SIZE:
            _flush(batch, actor_id, filename, now, context)
    _flush(batch, actor_id, filename, now, context)
    db.session.commit()


def _write_row(plan, context, actor_id, now, expiry, batch):
    """Create or update the listing of one checked row and add it to the batch."""
    listing = plan.existing
    if listing is None:  # an existing listing keeps its owner: _check_same_owner made sure it is the row's
        listing = MODELS_BY_KIND[plan.kind](ref=plan.ref, owner=context.orgs[plan.org_key], created_by_id=actor_id)
        db.session.add(listing)
    apply_listing_data(listing, plan.clean)
    if plan.status:
        listing.status = plan.status
    if listing.status != "rejected" and listing.rejection_reason is not None:
        listing.rejection_reason = listing.rejection_message = None
    if listing.status == "published" and listing.published_at is None:
        listing.published_at = now
    if listing.status == "submitted" and listing.submitted_at is None:
        listing.submitted_at = now
    if listing.expires_at is None:
        listing.expires_at = expiry
    batch.append((listing, plan))


def _flush(batch, actor_id, filename, now, context):
    """Flush a batch of listings, give those that came without a ref a readable one (it needs the id), and
    record an 'imported' event for each in one statement."""
    if not batch:
        return
    db.session.flush()
    _give_refs([listing for listing, plan in batch if not plan.ref], context)
    # events go in as one multi-row insert: ORM objects would cost a unit-of-work pass each
    db.session.execute(db.insert(ListingEvent), [
        {"listing_id": listing.id, "actor_id": actor_id, "action": "imported",
         "message": f"{filename}, row {plan.row}", "created_at": now}
        for listing, plan in batch
    ])
    batch.clear()


def _give_refs(listings, context):
    """Give new listings the site's reference (CB-2026-00042), or CB-2026-00042-2, -3, ... when another row of
    the file or a listing already on the exchange holds it for the same kind: a clash would refuse the whole
    import at the database."""
    if not listings:
        return
    with db.session.no_autoflush:  # the refs are checked before the database sees them
        for listing in listings:
            listing.ref = site_ref(listing)
        wanted = {}
        for listing in listings:
            wanted.setdefault(listing.kind, set()).add(listing.ref)
        taken = set()  # in the database, or given to a listing of this batch; context.seen has the file's
        for kind, refs in wanted.items():
            taken.update((kind, ref) for ref in _refs_in_use(kind, refs))
        for listing in listings:
            base, n = listing.ref, 1
            while (listing.kind, listing.ref) in taken or (listing.kind, listing.ref) in context.seen:
                n += 1
                listing.ref = f"{base}-{n}"
                taken.update((listing.kind, ref) for ref in _refs_in_use(listing.kind, [listing.ref]))
            taken.add((listing.kind, listing.ref))


def _refs_in_use(kind, refs):
    """Which of `refs` listings of that kind already hold in the database."""
    refs = sorted(refs)
    found = set()
    for start in range(0, len(refs), 500):
        found.update(db.session.scalars(db.select(Listing.ref).where(Listing.kind == kind,
                                                                     Listing.ref.in_(refs[start:start + 500]))))
    return found
