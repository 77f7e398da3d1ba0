"""Upload forms for the reference tables."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, SelectField

from marketplace.core.forms import BaseForm


class ReferenceUploadForm(BaseForm):
    """A CSV file of sectors or localities."""

    table = SelectField(_l("Table"), choices=[
        SelectChoice("sectors", _l("Sectors (code, parent, name_vi, name_en)")),
        SelectChoice("localities", _l("Localities (code, name_vi, kind)")),
    ])
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired(_l("Choose a file to load."))],
                     render_kw={"accept": ".csv"})
