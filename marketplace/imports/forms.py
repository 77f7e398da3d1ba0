"""The import form: a file and a "check only" box. The file's rules are judged by `imports.services`."""
from flask_babel import lazy_gettext as _l
from marketplace.core.forms import BaseForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField


class ImportForm(BaseForm):
    """Upload a CSV, XLSX or JSON file of listings."""

    file = FileField(_l("File (CSV, XLSX or JSON)"), validators=[FileRequired(_l("Choose a file to import."))],
                     render_kw={"accept": ".csv,.xlsx,.json"})
    dry_run = BooleanField(_l("Check only: report problems without saving anything"))
