"""Forms for sign-in, registration, password reset, profile and organisation."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from marketplace.accounts.labels import ORG_KIND_LABELS, ORG_ROLE_LABELS
from marketplace.accounts.models import ORG_ROLES, REGISTRABLE_ORG_KINDS

REQUIRED = _l("This field is required.")


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class RegisterForm(FlaskForm):
    """A person and their organisation."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             description=_l("At least 8 characters."))
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))])
    org_name = StringField(_l("Organisation name"), validators=[DataRequired(REQUIRED), Length(max=255)])
    org_kind = SelectField(_l("Kind of organisation"), choices=[])
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=20)],
                           description=_l("10 digits, or 10 digits-3 digits for a branch."))
    locality_code = SelectField(_l("Locality"), choices=[], validators=[Optional()])

    def __init__(self, *args, localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org_kind.choices = [(k, ORG_KIND_LABELS[k]) for k in REGISTRABLE_ORG_KINDS]
        self.locality_code.choices = [("", _l("— choose —"))] + list(localities)


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)])


class ResetPasswordForm(FlaskForm):
    """A new password, twice."""

    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             description=_l("At least 8 characters."))
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(REQUIRED), EqualTo("password", message=_l("The two passwords differ."))])


class ProfileForm(FlaskForm):
    """A person's own details."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    locale = SelectField(_l("Language"), choices=[("vi", "Tiếng Việt"), ("en", "English")])


class ChangePasswordForm(FlaskForm):
    """Current and new password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                                 description=_l("At least 8 characters."))
    new_password2 = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(REQUIRED), EqualTo("new_password", message=_l("The two passwords differ."))])


class OrgForm(FlaskForm):
    """An organisation's public profile."""

    name = StringField(_l("Organisation name"), validators=[DataRequired(REQUIRED), Length(max=255)])
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=20)],
                           description=_l("10 digits, or 10 digits-3 digits for a branch."))
    locality_code = SelectField(_l("Locality"), choices=[], validators=[Optional()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    email = StringField(_l("Contact e-mail"), validators=[Optional(), Length(max=255)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=255)])
    description = TextAreaField(_l("About the organisation"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, localities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locality_code.choices = [("", _l("— choose —"))] + list(localities)


class MemberForm(FlaskForm):
    """A new member added by an organisation admin."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(REQUIRED), Length(max=255)])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(REQUIRED), Length(max=200)],
                             description=_l("At least 8 characters; ask them to change it."))
    org_role = SelectField(_l("Role in the organisation"), choices=[(r, ORG_ROLE_LABELS[r]) for r in ORG_ROLES])
