"""Forms for broker profiles, proposing a match and answering a proposal. The services judge the values."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from marketplace.brokers.models import DECLINE_REASON_LABELS, DECLINE_REASONS, SERVICE_TYPE_LABELS, SERVICE_TYPES
from marketplace.core.forms import BaseForm
from marketplace.listings.forms import MultiCheckboxField, choices


class ProfileForm(BaseForm):
    """What a broker organisation does, and for which sectors."""

    summary = TextAreaField(_l("What we do"), validators=[Length(max=5000)], render_kw={"rows": 4})
    services = MultiCheckboxField(_l("Services"), choices=choices((c, SERVICE_TYPE_LABELS[c]) for c in SERVICE_TYPES),
                                  validate_choice=False)
    sector_codes = MultiCheckboxField(_l("Sectors we serve"), choices=[], validate_choice=False)


class ProposeForm(BaseForm):
    """A proposal that a need and an offer meet, with a word to both parties."""

    need_id = HiddenField()
    offer_id = HiddenField()
    message = TextAreaField(_l("Message to both parties"), validators=[Length(max=5000)], render_kw={"rows": 4},
                            description=_l("Why they should meet: what the offer answers in the need, what to "
                                           "discuss first."))


class RespondForm(BaseForm):
    """A party's answer: accept, or decline with a reason."""

    decision = HiddenField()
    reason = SelectField(_l("Reason for declining"),
                         choices=choices(((r, DECLINE_REASON_LABELS[r]) for r in DECLINE_REASONS), blank=True),
                         validate_choice=False)
    message = TextAreaField(_l("Message (optional)"), validators=[Length(max=5000)], render_kw={"rows": 2})
