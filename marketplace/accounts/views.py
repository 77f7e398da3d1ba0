"""Sign-in, registration, password reset, profile, organisation pages."""
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from marketplace.accounts import bp, services
from marketplace.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    MemberForm,
    OrgForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from marketplace.accounts.models import ORG_KINDS, Organization, User
from marketplace.core.errors import ValidationError
from marketplace.core.policy import can, checks, load_authorized, public, requires
from marketplace.extensions import db, limiter
from marketplace.main.views import safe_next
from marketplace.reference.services import locality_choices


def _login_limit():
    from flask import current_app

    return current_app.config.get("LOGIN_RATE_LIMIT", "10 per minute")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors = list(form.password.errors) + [_("E-mail or password is not right.")]
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(_after_login(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


def _after_login(target):
    """Where signing in goes on to: `next` when it is a page of this site that answers GET, else the home page
    (a link naming a POST-only address, such as an NDA's "I accept", would land on a 405 page)."""
    home = url_for("main.home")
    target = safe_next(target, home)
    try:
        current_app.url_map.bind("localhost").match(urlsplit(target).path, method="GET")
    except MethodNotAllowed:
        return home
    except HTTPException:  # not found, or a redirect (a missing slash): the page answers that itself
        pass
    return target


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out (POST only, so a link cannot sign people out)."""
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def register():
    """Create an account together with its organisation."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm(localities=locality_choices())
    if form.validate_on_submit():
        try:
            user = services.register(
                email=form.email.data, password=form.password.data, full_name=form.full_name.data,
                org_name=form.org_name.data, org_kind=form.org_kind.data, tax_code=form.tax_code.data,
                locality_code=form.locality_code.data or None, phone=form.phone.data or "",
                locale=str(request.accept_languages.best_match(["vi", "en"]) or "vi"),
            )
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            login_user(user)
            flash(_("Your account and organisation are ready."), "success")
            return redirect(url_for("listings.mine"))
    return render_template("accounts/register.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def forgot_password():
    """Ask for a password-reset e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If this address has an account, a reset link is on its way. It works for one hour."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token):
    """Choose a new password from an e-mailed link."""
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("This reset link is not valid any more. Ask for a new one."), "danger")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except ValidationError as exc:
            exc.apply_to(form)
        else:
            flash(_("Your password is changed. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@requires("account.profile")
def profile():
    """Edit one's own name, phone and language; change the password."""
    form = ProfileForm(obj=current_user, prefix="p")
    pw_form = ChangePasswordForm(prefix="pw")
    if request.method == "POST" and "p-full_name" in request.form and form.validate_on_submit():
        try:
            services.update_profile(current_user, form.full_name.data, form.phone.data, form.locale.data)
        except ValidationError as exc:
            exc.apply_to(form)
        else:
            from flask import session

            session["lang"] = current_user.locale
            flash(_("Profile saved."), "success")
            return redirect(url_for("accounts.profile"))
    if request.method == "POST" and "pw-current_password" in request.form and pw_form.validate_on_submit():
        try:
            services.change_password(current_user, pw_form.current_password.data, pw_form.new_password.data)
        except ValidationError as exc:
            exc.apply_to(pw_form)
        else:
            # this session continues (remembered if it was); every other session ends
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("Password changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, pw_form=pw_form)


@bp.route("/orgs")
@public
def org_list():
    """The directory of organisations on the exchange."""
    kind = request.args.get("kind", "")
    if kind not in ORG_KINDS:
        kind = ""
    q = request.args.get("q", "")[:100]
    orgs = services.list_orgs(kind=kind or None, q=q or None)
    return render_template("accounts/org_list.html", orgs=orgs, kind=kind, q=q)


def _load_org(org_id, action):
    return load_authorized(Organization, org_id, action)


@bp.route("/orgs/<int:org_id>")
@checks("org.view")
def org_detail(org_id):
    """An organisation's public page with its published listings (all of them for its members)."""
    from marketplace.listings.services import org_listings

    org = _load_org(org_id, "org.view")
    own = current_user.is_authenticated and current_user.org_id == org.id
    private = can(current_user, "org.view_private", org)
    listings = [listing for listing in org_listings(org, include_private=private)
                if can(current_user, "listing.view", listing)]
    return render_template("accounts/org_detail.html", org=org, listings=listings, own=own, private=private)


@bp.route("/orgs/<int:org_id>/verify", methods=["POST"])
@checks("org.verify")
def org_verify(org_id):
    """The department marks an organisation as verified, or takes the mark away."""
    org = _load_org(org_id, "org.verify")
    verified = request.form.get("verified") == "1"
    services.set_verified(org, verified)
    flash(_("Organisation marked as verified.") if verified else _("Verification removed."), "success")
    return redirect(url_for("accounts.org_detail", org_id=org.id))


@bp.route("/orgs/<int:org_id>/edit", methods=["GET", "POST"])
@checks("org.edit")
def org_edit(org_id):
    """Edit an organisation's profile (its admins)."""
    org = _load_org(org_id, "org.edit")
    form = OrgForm(obj=org, localities=locality_choices())
    if form.validate_on_submit():
        try:
            services.update_org(org, {name: f.data for name, f in form._fields.items()})
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Organisation saved."), "success")
            return redirect(url_for("accounts.org_detail", org_id=org.id))
    return render_template("accounts/org_edit.html", form=form, org=org)


@bp.route("/orgs/<int:org_id>/members", methods=["GET", "POST"])
@checks("org.manage_members")
def org_members(org_id):
    """See, add, promote and remove an organisation's members (its admins)."""
    org = _load_org(org_id, "org.manage_members")
    form = MemberForm()
    if form.validate_on_submit():
        try:
            services.add_member(org, form.email.data, form.full_name.data, form.password.data, form.org_role.data)
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Member added."), "success")
            return redirect(url_for("accounts.org_members", org_id=org.id))
    return render_template("accounts/org_members.html", org=org, form=form)


@bp.route("/orgs/<int:org_id>/members/<int:user_id>", methods=["POST"])
@checks("org.manage_members")
def org_member_update(org_id, user_id):
    """Change a member's role or remove them."""
    org = _load_org(org_id, "org.manage_members")
    member = db.session.get(User, user_id)
    if member is None or member.org_id != org.id:
        abort(404)
    action = request.form.get("action")
    try:
        if action == "remove":
            services.remove_member(org, member, current_user)
            flash(_("Member removed."), "success")
        elif action in ("admin", "member"):
            services.set_member_role(org, member, action, current_user)
            flash(_("Role changed."), "success")
        else:
            abort(400)
    except ValidationError as exc:
        flash(str(exc), "danger")
    if not can(current_user, "org.manage_members", org):
        # an admin who stepped down or left can no longer see the members page
        return redirect(url_for("accounts.org_detail", org_id=org.id))
    return redirect(url_for("accounts.org_members", org_id=org.id))

