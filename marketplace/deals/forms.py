"""Forms for a deal's page: the next stage (with the contract's facts), the deal's facts, cancellation, notes,
documents. The forms collect and redisplay input; `deals.services` judges it and its messages land next to the
fields through `ValidationError.apply_to`."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from marketplace.core.forms import BaseForm
from marketplace.deals.models import (
    CANCEL_REASON_LABELS,
    CANCEL_REASONS,
    TRANSFER_METHOD_LABELS,
    TRANSFER_METHODS,
)
from marketplace.deals.services import FEE_CAP_PERCENT
from marketplace.listings.forms import DateTextField, MoneyField, MultiCheckboxField, choices
from marketplace.listings.models import TRANSFER_MODE_LABELS, TRANSFER_MODES


class _ContractFields:
    """The facts of a signed contract (Law 07/2017/QH14: form, Art. 5; method, Art. 6)."""

    contract_value_vnd = MoneyField(_l("Contract value (VND)"),
                                    description=_l("A whole number of đồng, e.g. 1.500.000.000."))
    transfer_form = SelectField(
        _l("Transfer form"), choices=choices(((c, TRANSFER_MODE_LABELS[c]) for c in TRANSFER_MODES), blank=True),
        validate_choice=False)
    transfer_methods = MultiCheckboxField(
        _l("Transfer methods"), choices=choices((c, TRANSFER_METHOD_LABELS[c]) for c in TRANSFER_METHODS),
        validate_choice=False)
    signed_on = DateTextField(_l("Signing date"))

    def contract_data(self):
        """The contract's facts as the service takes them."""
        return {"contract_value_vnd": self.contract_value_vnd.data, "transfer_form": self.transfer_form.data,
                "transfer_methods": self.transfer_methods.data or [], "signed_on": self.signed_on.data}


class AdvanceForm(_ContractFields, BaseForm):
    """Move the deal to the next stage; the contract's facts are asked for on the way to "contract signed"."""

    to_stage = HiddenField()


class DealFactsForm(_ContractFields, BaseForm):
    """The deal's facts: the contract, the flags that make registration compulsory, profit and broker's fee."""

    state_funded = BooleanField(_l("The technology is a result of state-funded research"))
    cross_border = BooleanField(_l("The transfer crosses the border (into or out of Viet Nam)"))
    declared_profit_vnd = MoneyField(_l("Declared profit (VND)"),
                                     description=_l("Needed when a broker's fee is recorded on state-funded results."))
    broker_fee_vnd = MoneyField(_l("Broker's fee (VND)"),
                                description=_l("On state-funded results at most %(percent)s%% of the declared profit.",
                                             percent=FEE_CAP_PERCENT))

    def service_data(self):
        """Everything the form holds, as the service takes it."""
        return {**self.contract_data(), "state_funded": self.state_funded.data,
                "cross_border": self.cross_border.data, "declared_profit_vnd": self.declared_profit_vnd.data,
                "broker_fee_vnd": self.broker_fee_vnd.data}


class CancelForm(BaseForm):
    """Why the deal ends."""

    reason = SelectField(_l("Reason"), choices=choices(((r, CANCEL_REASON_LABELS[r]) for r in CANCEL_REASONS),
                                                       blank=True), validate_choice=False)
    message = TextAreaField(_l("What happened"), validators=[Length(max=5000)], render_kw={"rows": 2})


class NoteForm(BaseForm):
    """A note on the timeline."""

    text = TextAreaField(_l("Note"), validators=[Length(max=5000)], render_kw={"rows": 3})


class DocumentForm(BaseForm):
    """A file for the deal's parties."""

    file = FileField(_l("File"), description=_l("PDF, image, DOCX or XLSX, 10 MB at most. Seen by the parties, the "
                                                "broker and the department only."))


class ConfirmForm(BaseForm):
    """The party's confirmation that the transfer is complete (the CSRF token only)."""
