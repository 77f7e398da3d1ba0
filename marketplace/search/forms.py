"""Forms of the glossary page."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from marketplace.core.forms import BaseForm
from marketplace.search.models import GLOSSARY_KIND_LABELS, GLOSSARY_KINDS


class GlossaryEntryForm(BaseForm):
    """A new glossary entry: a term and what search should also look for."""

    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, GLOSSARY_KIND_LABELS[k]) for k in GLOSSARY_KINDS])
    term = StringField(_l("Term (as users type it)"), validators=[DataRequired(), Length(max=200)])
    expansion = StringField(_l("Also search for"), validators=[DataRequired(), Length(max=300)])


class GlossaryFilterForm(BaseForm):
    """Filters of the glossary list (GET)."""

    q = StringField(_l("Find"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), validators=[Optional()],
                       choices=[SelectChoice("", _l("All kinds"))]
                       + [SelectChoice(k, GLOSSARY_KIND_LABELS[k]) for k in GLOSSARY_KINDS])
