"""Forms for sign-in, registration, password reset, profile and organisation."""
from flask_babel import lazy_gettext as _l
from marketplace.core.forms import BaseForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from marketplace.accounts import services
from marketplace.accounts.labels import ORG_KIND_LABELS, ORG_ROLE_LABELS
from marketplace.accounts.models import ORG_ROLES, REGISTRABLE_ORG_KINDS
from marketplace.core.errors import ValidationError as RuleError

REQUIRED = _l("This field is required.")


def service_rule(check):
    """A WTForms validator running a service's check, so its message shows with the form's other errors."""

    def validate(form, field):
        try:
            check(field.data)
        except RuleError as exc:
            raise ValidationError(str(exc)) from None

    return validate


def options(pairs):
    """(value, label) pairs as WTForms select choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class LoginForm(BaseForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)],
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(BaseForm):
    """A person and their organisation."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)],
                            render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)],
                       render_kw={"autocomplete": "email"})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)],
                        render_kw={"autocomplete": "tel", "inputmode": "tel"})
    password = PasswordField(_l("Password"), validators=[
        DataRequired(REQUIRED), Length(max=200), service_rule(services.check_password_strength)],
        description=_l("At least 8 characters."), render_kw={"autocomplete": "new-password"})
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})
    org_name = StringField(_l("Organisation name"), validators=[DataRequired(REQUIRED), Length(max=255)])
    org_kind = SelectField(_l("Kind of organisation"), choices=[])
    tax_code = StringField(_l("Tax code"),
                           validators=[Optional(), Length(max=20), service_rule(services.check_tax_code)],
                           description=_l("10 digits, or 10 digits-3 digits for a branch."),
                           render_kw={"placeholder": "0700123456"})
    locality_code = SelectField(_l("Locality"), choices=[], validators=[Optional()])

    def __init__(self, *args, localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_kind.choices = options((k, ORG_KIND_LABELS[k]) for k in REGISTRABLE_ORG_KINDS)
        self.locality_code.choices = options([("", _l("— choose —")), *localities])


class ForgotPasswordForm(BaseForm):
    """The address to send a reset link to."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)],
                       render_kw={"autocomplete": "email"})


class ResetPasswordForm(BaseForm):
    """A new password, twice."""

    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             description=_l("At least 8 characters."), render_kw={"autocomplete": "new-password"})
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class ProfileForm(BaseForm):
    """A person's own details."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    locale = SelectField(_l("Language"), choices=options([("vi", "Tiếng Việt"), ("en", "English")]))


class ChangePasswordForm(BaseForm):
    """Current and new password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                                 description=_l("At least 8 characters."), render_kw={"autocomplete": "new-password"})
    new_password2 = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"})


class OrgForm(BaseForm):
    """An organisation's public profile."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(REQUIRED), Length(max=255)])
    tax_code = StringField(_l("Tax code"),
                           validators=[Optional(), Length(max=20), service_rule(services.check_tax_code)],
                           description=_l("10 digits, or 10 digits-3 digits for a branch."))
    locality_code = SelectField(_l("Locality"), choices=[], validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=255)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=255), service_rule(services.check_website)],
                          render_kw={"placeholder": "https://"})
    description = TextAreaField(_l("About the organisation"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locality_code.choices = options([("", _l("— choose —")), *localities])


class MemberForm(BaseForm):
    """A new member added by an organisation admin."""

    # Name and password are checked by the service: a person who already has an account (and left their
    # organisation) joins with it, and needs neither.
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField(_l("Initial password"), validators=[Optional(), Length(max=200)],
                             description=_l("At least 8 characters; ask them to change it. Not needed for a "
                                            "person who already has an account."),
                             render_kw={"autocomplete": "new-password"})
    org_role = SelectField(_l("Role in the organisation"), choices=options((r, ORG_ROLE_LABELS[r]) for r in ORG_ROLES),
                           default="member")
