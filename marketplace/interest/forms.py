"""Forms of interest and NDA: the rules (lengths, reasons, versions) are checked again by interest.services."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from marketplace.core.forms import BaseForm
from marketplace.interest.models import DECLINE_REASON_LABELS, DECLINE_REASONS, MESSAGE_MAX
from marketplace.listings.forms import choices


class InterestForm(BaseForm):
    """An expression of interest: a message to the listing's owner."""

    message = TextAreaField(
        _l("Message to the owner"),
        validators=[DataRequired(_l("Write a message to the owner: who you are and what you would like to do.")),
                    Length(max=MESSAGE_MAX)],
        description=_l("Who you are, what you would like to do with this technology or need, and how soon. "
                       "The owner sees your organisation's name and your message."),
        render_kw={"rows": 5, "maxlength": MESSAGE_MAX})


class AcceptForm(BaseForm):
    """Accepting an interest, with an optional word to the sender."""

    message = TextAreaField(_l("Message to the interested organisation (optional)"),
                            validators=[Optional(), Length(max=MESSAGE_MAX)],
                            render_kw={"rows": 2, "maxlength": MESSAGE_MAX})


class DeclineForm(BaseForm):
    """Declining an interest: a typed reason and an optional message."""

    reason = SelectField(_l("Reason"), choices=choices(((r, DECLINE_REASON_LABELS[r]) for r in DECLINE_REASONS),
                                                       blank=True),
                         validate_choice=False, validators=[DataRequired(_l("Choose a reason."))])
    message = TextAreaField(_l("Message to the interested organisation (optional)"),
                            validators=[Optional(), Length(max=MESSAGE_MAX)],
                            render_kw={"rows": 2, "maxlength": MESSAGE_MAX})


class NdaForm(BaseForm):
    """'I accept' under an NDA: the version the person was shown travels with the click."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
