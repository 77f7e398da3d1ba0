"""The e-mail settings form."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from marketplace.core.forms import BaseForm

FREQUENCY_LABELS = {
    "instant": _l("Instantly: one e-mail for each notification"),
    "daily": _l("Daily: one e-mail a day with what I have not read"),
    "off": _l("Never: I read notifications on the site"),
}


class EmailSettingsForm(BaseForm):
    """How often notifications come by e-mail."""

    email_frequency = RadioField(_l("E-mail me about notifications"),
                                 choices=[SelectChoice(k, v) for k, v in FREQUENCY_LABELS.items()])
