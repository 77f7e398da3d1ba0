"""Forms for offers, needs and IP assets, attachments and moderation.

The forms collect and redisplay input; the rules (codes, ranges, amounts, dates) are checked by
`listings.services.clean_listing_data`, whose messages land next to the fields through `ValidationError.apply_to`.
Select fields therefore accept any posted value (`validate_choice=False`) and let the service judge it.
"""
from flask_babel import LazyString, lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, DateInput, HiddenInput, ListWidget

from marketplace.core.forms import BaseForm

from marketplace.listings.models import (
    IP_STATUS_LABELS,
    IP_STATUSES,
    IP_TYPE_LABELS,
    IP_TYPES,
    PRICE_TYPE_LABELS,
    PRICE_TYPES,
    REJECTION_REASON_LABELS,
    REJECTION_REASONS,
    TRANSFER_MODE_LABELS,
    TRANSFER_MODES,
)

REQUIRED = _l("This field is required.")
CHOOSE = _l("— choose —")
TRL_LABELS = {
    1: _l("Basic principles observed"),
    2: _l("Technology concept formulated"),
    3: _l("Experimental proof of concept"),
    4: _l("Technology validated in the laboratory"),
    5: _l("Technology validated in a relevant environment"),
    6: _l("Technology demonstrated in a relevant environment"),
    7: _l("Prototype demonstrated in an operational environment"),
    8: _l("System complete and qualified"),
    9: _l("Actual system proven in operation"),
}


def _text(value):
    """Coerce stored values to the strings select boxes compare with; None is the empty choice."""
    return "" if value is None else str(value)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (templates/_macros/forms.html renders it by its type name)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MoneyField(StringField):
    """An amount in VND typed as '1.500.000' or '1500000'; stored numbers are shown with dot grouping."""

    def _value(self):
        if isinstance(self.data, int):
            return f"{self.data:,}".replace(",", ".")
        return super()._value()


class DateTextField(StringField):
    """A date picker whose text goes to the service as typed (it reads YYYY-MM-DD and DD/MM/YYYY)."""

    widget = DateInput()


def choices(pairs, blank=False):
    """(value, label) pairs as WTForms choices, optionally after an empty '— choose —' one."""
    return ([SelectChoice("", CHOOSE)] if blank else []) + [SelectChoice(value, label) for value, label in pairs]


def trl_choices():
    """TRL 1–9 with their short meaning, after an empty choice."""
    # lazy labels: the choices are built once, at import, but must read in each request's language
    return choices([(str(n), LazyString(_trl_label, n)) for n in range(1, 10)], blank=True)


def _trl_label(n):
    return f"{n} – {TRL_LABELS[n]}"


class ListingForm(BaseForm):
    """Fields every listing has; subclasses add the ones of their kind."""

    kind = None
    title = StringField(_l("Title"), validators=[DataRequired(REQUIRED), Length(max=300)])
    summary = TextAreaField(
        _l("Public summary"), validators=[DataRequired(REQUIRED), Length(max=5000)],
        description=_l("Shown to everyone, visitors included. Do not put secrets here."),
        render_kw={"rows": 4})
    detail = TextAreaField(
        _l("Confidential detail"), validators=[Optional(), Length(max=20000)],
        description=_l("Shown only to your organisation, to brokers of the exchange and to the Department of "
                       "Science and Technology; never to visitors, nor to other organisations unless you ask for an "
                       "NDA below and they accept it."),
        render_kw={"rows": 6})
    sector_code = SelectField(_l("Sector"), choices=[], coerce=_text, validators=[DataRequired(REQUIRED)],
                              validate_choice=False)
    keywords = StringField(_l("Keywords"), validators=[Optional(), Length(max=1000)],
                           description=_l("Separate keywords with a semicolon (;), e.g. máy sấy; nông sản."))
    transfer_modes = MultiCheckboxField(
        _l("Transfer forms"), choices=choices((c, TRANSFER_MODE_LABELS[c]) for c in TRANSFER_MODES),
        validate_choice=False)
    locality_code = SelectField(_l("Locality"), choices=[], coerce=_text, validate_choice=False)
    expires_at = DateTextField(_l("Expiry date"), validators=[Optional()],
                               description=_l("Leave empty to keep the listing for one year."))

    anonymous = BooleanField(
        _l("Anonymous listing: do not show our organisation's name"),
        description=_l("Visitors and other organisations see “Anonymous owner” instead of your organisation's name, "
                       "link and contact. The department sees them, and so does an organisation once you accept its "
                       "interest. Do not name yourselves in the title, the summary or public files, and mind that an IP "
                       "application number leads to its holder in the IP register."))
    nda_required = BooleanField(
        _l("Ask for a non-disclosure agreement (NDA) before showing the confidential detail"),
        description=_l("Signed-in people can then read the confidential detail and files after accepting the NDA "
                       "below; you see who accepted which version and when."))
    nda_text = TextAreaField(
        _l("NDA text"), validators=[Optional(), Length(max=20000)],
        description=_l("Leave empty to use the standard text shown. Changing the text makes a new version: those "
                       "who accepted an earlier one must accept again to read the detail."),
        render_kw={"rows": 6})

    # Fields handed to the service; subclasses extend the tuple.
    service_fields = ("title", "summary", "detail", "sector_code", "keywords", "transfer_modes", "locality_code",
                      "expires_at", "anonymous", "nda_required", "nda_text")

    def __init__(self, *args, sectors=(), localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        from marketplace.listings.services import default_nda_text

        self.nda_text.render_kw = {**self.nda_text.render_kw, "placeholder": default_nda_text()}
        self.sector_code.choices = [SelectChoice("", CHOOSE)] + [
            SelectChoice(s.code, f"{s.code} – {s.name}", optgroup=f"{field.code}. {field.name}")
            for field, subs in sectors for s in subs]
        self.locality_code.choices = choices(localities, blank=True)

    def service_data(self):
        """The entered values as the plain dict that services.create_listing / update_listing take."""
        return {name: self[name].data for name in self.service_fields}


class _PriceFields:
    """Price fields shared by offers and IP assets (mixed into their forms)."""

    price_type = SelectField(_l("Price"), choices=choices((c, PRICE_TYPE_LABELS[c]) for c in PRICE_TYPES),
                             coerce=_text, validate_choice=False)
    price_vnd = MoneyField(_l("Amount (VND)"), validators=[Optional(), Length(max=40)],
                           description=_l("For example 1.500.000 or 1500000. Leave empty when negotiable."))


class OfferForm(_PriceFields, ListingForm):
    """A technology offer."""

    kind = "offer"
    trl = SelectField(_l("Technology readiness level (TRL)"), choices=trl_choices(), coerce=_text,
                      validators=[DataRequired(REQUIRED)], validate_choice=False)
    ip_asset_ids = SelectMultipleField(
        _l("IP assets this offer rests on"), choices=[], validate_choice=False,
        description=_l("Your organisation's IP assets; hold Ctrl (or ⌘) to pick several."))
    service_fields = ListingForm.service_fields + ("trl", "price_type", "price_vnd", "ip_asset_ids")

    def __init__(self, *args, ip_assets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.ip_asset_ids.choices = choices((str(a.id), a.title) for a in ip_assets)
        self.ip_asset_ids.render_kw = {"size": min(max(len(ip_assets), 2), 8)}


class NeedForm(ListingForm):
    """A technology need; its expiry is the deadline."""

    kind = "need"
    summary = TextAreaField(
        _l("Problem description (public)"), validators=[DataRequired(REQUIRED), Length(max=5000)],
        description=_l("Shown to everyone, visitors included. Describe the problem or the wish in your own words."),
        render_kw={"rows": 4})
    min_trl = SelectField(_l("Minimum TRL"), choices=trl_choices(), coerce=_text, validate_choice=False,
                          description=_l("How mature the technology must be at least; leave empty if unsure."))
    budget_vnd_max = MoneyField(_l("Budget ceiling (VND)"), validators=[Optional(), Length(max=40)],
                                description=_l("For example 500.000.000. Leave empty if not decided."))
    expires_at = DateTextField(_l("Deadline"), validators=[Optional()],
                               description=_l("Leave empty to keep the need open for one year."))
    service_fields = ListingForm.service_fields + ("min_trl", "budget_vnd_max")


class IpAssetForm(_PriceFields, ListingForm):
    """An IP asset: patent, utility solution, design, trademark, plant variety, software or know-how."""

    kind = "ip"
    summary = TextAreaField(
        _l("Public summary"), validators=[Optional(), Length(max=5000)],
        description=_l("Shown to everyone, visitors included. Do not put secrets here."),
        render_kw={"rows": 4})
    sector_code = SelectField(_l("Sector"), choices=[], coerce=_text, validators=[Optional()], validate_choice=False)
    ip_type = SelectField(_l("Type of IP asset"),
                          choices=choices(((c, IP_TYPE_LABELS[c]) for c in IP_TYPES), blank=True),
                          coerce=_text, validators=[DataRequired(REQUIRED)], validate_choice=False)
    ip_number = StringField(_l("Application number"), validators=[Optional(), Length(max=60)],
                            description=_l("For example 1-2024-01234."))
    ip_grant_number = StringField(_l("Grant number"), validators=[Optional(), Length(max=60)])
    ip_filing_date = DateTextField(_l("Filing date"), validators=[Optional()])
    ip_grant_date = DateTextField(_l("Grant date"), validators=[Optional()])
    ip_status = SelectField(_l("Protection status"), choices=choices((c, IP_STATUS_LABELS[c]) for c in IP_STATUSES),
                            coerce=_text, validate_choice=False)
    ip_owners = StringField(_l("Right holders"), validators=[Optional(), Length(max=500)],
                            description=_l("The owners named on the title of protection."))
    service_fields = ListingForm.service_fields + (
        "ip_type", "ip_number", "ip_grant_number", "ip_filing_date", "ip_grant_date", "ip_status", "ip_owners",
        "price_type", "price_vnd")


FORMS_BY_KIND = {"offer": OfferForm, "need": NeedForm, "ip": IpAssetForm}


class AttachmentForm(BaseForm):
    """One file to attach, public or confidential."""

    file = FileField(_l("File"), description=_l("PDF, image, DOCX or XLSX, 10 MB at most."))
    public = BooleanField(_l("Visitors may download this file"))


class ApproveForm(BaseForm):
    """An optional note to the owner when publishing."""

    message = TextAreaField(_l("Note to the owner (optional)"), validators=[Optional(), Length(max=5000)],
                            render_kw={"rows": 2})
    # the listing's latest event when the page was drawn, so approving content changed since is refused
    seen = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0, max=2**63 - 1)])


class RejectForm(BaseForm):
    """Why a listing goes back to its owner."""

    reason = SelectField(_l("Reason"), choices=choices(((r, REJECTION_REASON_LABELS[r]) for r in REJECTION_REASONS),
                                                       blank=True),
                         validate_choice=False, render_kw={"required": True})
    message = TextAreaField(_l("What the owner should change"), validators=[Length(max=5000)],
                            render_kw={"rows": 3, "required": True})
