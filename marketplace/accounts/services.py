"""Rules for people and organisations: registration, sign-in, password reset, profiles, members."""
import re

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.models import ORG_KINDS, ORG_ROLES, Organization, User
from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.core.policy import ROLES
from marketplace.core.text import normalize, normalize_block, slugify
from marketplace.extensions import db

TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")  # ASCII digits only: "０７…" must not pass
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


def role_for_org_kind(kind):
    """The platform role a person gets from their organisation's kind: broker, department staff or member."""
    return {"broker": "broker", "department": "department"}.get(kind, "member")


def normalize_email(email):
    """Trimmed, lower-cased e-mail address."""
    return normalize(email).lower()


def check_tax_code(tax_code):
    """A tax code is 10 digits, or 10 digits, '-' and 3 digits for a branch; returns it cleaned or None."""
    tax_code = normalize(tax_code).replace(" ", "")
    if not tax_code:
        return None
    if not TAX_CODE.match(tax_code):
        raise ValidationError(
            _("A tax code is 10 digits, or 10 digits, '-' and 3 digits for a branch (e.g. 0700123456-001)."),
            field="tax_code")
    return tax_code


def check_password_strength(password, field="password"):
    """Refuse passwords shorter than 8 characters."""
    if not password or len(password) < MIN_PASSWORD:
        raise ValidationError(_("The password must have at least %(n)s characters.", n=MIN_PASSWORD), field=field)


def check_website(website):
    """A website is empty or an http(s) address; returns it cleaned."""
    website = normalize(website)
    if website and not re.match(r"^https?://[^\s]+$", website):
        raise ValidationError(_("A website address starts with http:// or https://."), field="website")
    return website


def find_user_by_email(email):
    """The user with this e-mail address (any case), or None."""
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def find_org_by_name(name):
    """The organisation with this exact name, ignoring case (Vietnamese letters included), or None."""
    name = normalize(name).casefold()
    if not name:
        return None
    # SQLite's lower() leaves "Đ" alone, so compare in Python; organisations number in the thousands at most
    for org_id, org_name in db.session.execute(db.select(Organization.id, Organization.name)):
        if org_name.casefold() == name:
            return db.session.get(Organization, org_id)
    return None


def unique_slug(name):
    """A slug for an organisation that no other organisation uses."""
    base = slugify(name, 100)
    slug, n = base, 1
    while db.session.scalar(db.select(Organization.id).where(Organization.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def build_org(name, kind, tax_code=None, locality_code=None, **extra):
    """A new, unsaved organisation after checking its fields."""
    errors = {}
    name = normalize(name)
    if not name:
        errors["org_name"] = [_("Give the organisation's name.")]
    elif len(name) > 255:
        errors["org_name"] = [_("The name is too long.")]
    if kind not in ORG_KINDS:
        errors["org_kind"] = [_("Choose the kind of organisation.")]
    try:
        tax_code = check_tax_code(tax_code)
    except ValidationError as exc:
        errors.update(exc.errors)
        tax_code = None
    if name and find_org_by_name(name) is not None:
        errors["org_name"] = [_("An organisation with this name is already on the exchange; ask its admin to add "
                                "you, or give the full name that tells yours apart.")]
    if tax_code and db.session.scalar(db.select(Organization.id).where(Organization.tax_code == tax_code)):
        errors["tax_code"] = [_("An organisation with this tax code is already registered; ask its admin to "
                                "add you.")]
    if errors:
        raise ValidationError(errors=errors)
    org = Organization(name=name, kind=kind, tax_code=tax_code, locality_code=locality_code or None,
                       slug=unique_slug(name))
    for key, value in extra.items():
        setattr(org, key, normalize(value) if isinstance(value, str) else value)
    return org


def register(email, password, full_name, org_name, org_kind, tax_code=None, locality_code=None, phone="",
             locale="vi"):
    """Create a person and their new organisation; the person becomes the organisation's admin."""
    errors = {}
    email = normalize_email(email)
    if not EMAIL.match(email) or len(email) > 255:
        errors["email"] = [_("Enter a valid e-mail address.")]
    elif find_user_by_email(email):
        errors["email"] = [_("This e-mail address is already registered. Sign in or reset your password.")]
    try:
        check_password_strength(password)
    except ValidationError as exc:
        errors.update(exc.errors)
    if org_kind == "department":
        errors["org_kind"] = [_("Choose the kind of organisation.")]
    try:
        # the person's own e-mail and phone stay private: the organisation's public contact is set by its admin
        org = build_org(org_name, org_kind, tax_code, locality_code)
    except ValidationError as exc:
        errors.update(exc.errors)
        org = None
    full_name = normalize(full_name)
    if not full_name:
        errors["full_name"] = [_("Give your full name.")]
    if errors:
        raise ValidationError(errors=errors)
    user = User(email=email, full_name=full_name[:200], phone=normalize(phone)[:40], org=org, org_role="admin",
                role=role_for_org_kind(org_kind), locale=locale if locale in ("vi", "en") else "vi")
    user.set_password(password)
    db.session.add_all([org, user])
    try:
        db.session.commit()
    except IntegrityError:
        # a second registration with the same e-mail or tax code won the race between our check and the insert
        db.session.rollback()
        raise ValidationError(_("This e-mail address or tax code was registered a moment ago. Sign in or try "
                                "again."), field="email") from None
    return user


def authenticate(email, password):
    """The active user with these credentials, or None (same answer for unknown e-mail and bad password)."""
    user = find_user_by_email(email)
    if user is None:
        # spend the same time as a real check so timing does not reveal which e-mails exist
        User(password_hash="scrypt:32768:8:1$x$" + "0" * 128).check_password(password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def make_reset_token(user):
    """A signed, time-limited token that stops working once the password changes."""
    return _reset_serializer().dumps({"uid": user.id, "ph": user.password_hash[-12:]})


def user_from_reset_token(token):
    """The user a valid reset token names, or None when it is bad, expired or already used."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config.get("PASSWORD_RESET_MAX_AGE", 3600))
    except (BadSignature, SignatureExpired, TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or not user.active or user.password_hash[-12:] != data.get("ph"):
        return None
    return user


def request_password_reset(email):
    """E-mail a reset link when the address belongs to an active account; says nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return None
    from marketplace.core.jobs import enqueue

    enqueue(_send_reset_mail, user.id, make_reset_token(user))
    return user


def _send_reset_mail(user_id, token):
    from flask_babel import force_locale

    from marketplace.core.mail import public_url, send_mail

    user = db.session.get(User, user_id)
    with force_locale(user.locale or "vi"):
        link = public_url("accounts.reset_password", token=token)
        subject = _("Reset your password on %(name)s", name=current_app.config["EXCHANGE_NAME"])
        body = "\n".join([
            _("Hello %(name)s,", name=user.display_name), "",
            _("Someone asked to reset the password of this account. To choose a new password, open:"), link, "",
            _("The link works for one hour and only once. If you did not ask, ignore this e-mail."),
        ])
        send_mail(user.email, subject, body)


def reset_password(user, password):
    """Set a new password (from a reset link)."""
    check_password_strength(password)
    user.set_password(password)
    db.session.commit()
    return user


def change_password(user, current, new):
    """Change the password after checking the current one."""
    if not user.check_password(current or ""):
        raise ValidationError(_("The current password is not right."), field="current_password")
    check_password_strength(new, field="new_password")
    user.set_password(new)
    db.session.commit()
    return user


def update_profile(user, full_name, phone, locale):
    """Save a person's own profile."""
    full_name = normalize(full_name)
    if not full_name:
        raise ValidationError(_("Give your full name."), field="full_name")
    user.full_name = full_name[:200]
    user.phone = normalize(phone)[:40]
    user.locale = locale if locale in ("vi", "en") else "vi"
    db.session.commit()
    return user


def update_org(org, data):
    """Save an organisation's profile (name, tax code, locality, contact, description)."""
    errors = {}
    name = normalize(data.get("name"))
    if not name:
        errors["name"] = [_("Give the organisation's name.")]
    try:
        tax_code = check_tax_code(data.get("tax_code"))
    except ValidationError as exc:
        errors.update(exc.errors)
        tax_code = org.tax_code
    if tax_code and tax_code != org.tax_code and db.session.scalar(
            db.select(Organization.id).where(Organization.tax_code == tax_code, Organization.id != org.id)):
        errors["tax_code"] = [_("Another organisation already has this tax code.")]
    # only a change of name is checked: older data may hold two organisations of one name
    same_name = find_org_by_name(name) if name and name.casefold() != org.name.casefold() else None
    if same_name is not None and same_name.id != org.id:
        errors["name"] = [_("Another organisation already has this name.")]
    try:
        website = check_website(data.get("website"))
    except ValidationError as exc:
        errors.update(exc.errors)
    email = normalize_email(data.get("email"))
    if email and not EMAIL.match(email):
        errors["email"] = [_("Enter a valid e-mail address.")]
    if errors:
        raise ValidationError(errors=errors)
    if org.verified and (name[:255] != org.name or tax_code != org.tax_code):
        # the department verified this name and tax code, not the new ones
        org.verified = False
    org.name = name[:255]
    org.tax_code = tax_code
    org.locality_code = data.get("locality_code") or None
    org.address = normalize(data.get("address"))[:500]
    org.email = email[:255]
    org.phone = normalize(data.get("phone"))[:40]
    org.website = website[:255]
    org.description = normalize_block(data.get("description"))
    db.session.commit()
    return org


def add_member(org, email, full_name, password, org_role="member"):
    """Add a person to an organisation (by its admin), with an initial password.

    A person removed from this same organisation comes back with the account they have: their own password
    stays, the initial password is not needed. Other existing accounts cannot be added by anyone."""
    errors = {}
    email = normalize_email(email)
    existing = None
    if not EMAIL.match(email) or len(email) > 255:
        errors["email"] = [_("Enter a valid e-mail address.")]
    else:
        existing = find_user_by_email(email)
        if existing is not None and existing.org_id is not None:
            errors["email"] = [_("This person already belongs to an organisation.")]
        elif existing is not None and existing.former_org_id != org.id:
            errors["email"] = [_("This e-mail address is already registered.")]
    if org_role not in ORG_ROLES:
        errors["org_role"] = [_("Choose a role.")]
    full_name = normalize(full_name)
    if existing is None:
        if not full_name:
            errors["full_name"] = [_("Give the person's full name.")]
        try:
            check_password_strength(password)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors=errors)
    user = existing
    if user is None:
        user = User(email=email, full_name=full_name[:200], role="member")
        user.set_password(password)
        db.session.add(user)
    user.org = org
    user.former_org_id = None
    user.org_role = org_role
    if user.role != "admin":
        user.role = role_for_org_kind(org.kind)
    db.session.commit()
    return user


def set_member_role(org, member, org_role, actor):
    """Make a member an admin of their organisation or a plain member; an organisation keeps one admin."""
    if member.org_id != org.id or org_role not in ORG_ROLES:
        raise ValidationError(_("This person is not a member of the organisation."))
    if org_role == "member" and member.org_role == "admin" and len(org.admins) <= 1:
        raise ValidationError(_("An organisation needs at least one admin."))
    member.org_role = org_role
    db.session.commit()
    return member


def remove_member(org, member, actor):
    """Take a person out of an organisation (their account stays, without an organisation)."""
    if member.org_id != org.id:
        raise ValidationError(_("This person is not a member of the organisation."))
    if member.org_role == "admin" and len(org.admins) <= 1:
        raise ValidationError(_("An organisation needs at least one admin."))
    member.former_org_id = org.id
    member.org = None
    member.org_role = "member"
    if member.role in ("broker", "department"):
        # these rights came with the organisation; a platform admin's role is not the organisation's to take
        member.role = "member"
    db.session.commit()


def create_user(email, password, role, org_name, org_kind=None):
    """Make an account from the command line; creates the organisation when missing."""
    if role not in ROLES:
        raise ValidationError(_("Unknown role %(role)s.", role=role), field="role")
    email = normalize_email(email)
    if not EMAIL.match(email) or len(email) > 255:
        raise ValidationError(_("Enter a valid e-mail address."), field="email")
    if find_user_by_email(email):
        raise ValidationError(_("This e-mail address is already registered."), field="email")
    check_password_strength(password)
    org = find_org_by_name(org_name) if org_name else None
    if org_name and org is None:
        kind = org_kind or {"broker": "broker", "department": "department", "admin": "department"}.get(role,
                                                                                                    "enterprise")
        org = build_org(org_name, kind)
        org.verified = True  # made by an administrator on the server, so known to the department
        db.session.add(org)
    user = User(email=email, role=role, org=org, org_role="admin" if org is not None and not org.members else "member",
                full_name=email.split("@")[0])
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def set_verified(org, verified):
    """Mark an organisation as checked by the department (or take the mark away)."""
    org.verified = bool(verified)
    db.session.commit()
    return org


def list_orgs(kind=None, q=None):
    """Organisations for the public directory (the department itself included), by name."""
    from marketplace.core.text import fold

    stmt = db.select(Organization).order_by(Organization.name)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    orgs = db.session.scalars(stmt).all()
    if q:
        needle = fold(q)
        orgs = [o for o in orgs if needle in fold(o.name)]
    return orgs
