"""Pages of interest and NDA: express interest, the lists of received and sent interests, one interest with its
answers, and the NDA click-through of a listing."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ValidationError
from marketplace.core.pagination import page_args
from marketplace.core.policy import authorize, can, checks, load_authorized, requires
from marketplace.interest import bp, services
from marketplace.interest.forms import AcceptForm, DeclineForm, InterestForm, NdaForm
from marketplace.interest.models import DECLINE_REASON_LABELS, STATE_LABELS, STATES, Interest
from marketplace.listings.models import Listing
from marketplace.listings.services import paginate


@bp.record_once
def _template_labels(state):
    state.app.jinja_env.globals.update(INTEREST_STATE_LABELS=STATE_LABELS, DECLINE_REASON_LABELS=DECLINE_REASON_LABELS)


@bp.app_template_global("owner_visible")
def owner_visible(listing):
    """True when the current user may see who owns the listing (it is not anonymous to them)."""
    return can(current_user, "listing.view_owner", listing)


def _listing_page(listing, anchor=None):
    return redirect(url_for("listings.detail", listing_id=listing.id, _anchor=anchor))


# --- expressing interest -------------------------------------------------------------------------------

@bp.route("/listings/<int:listing_id>/interest", methods=["GET", "POST"])
@checks("interest.express")
def express(listing_id):
    """Express the organisation's interest in a listing, with a message to its owner."""
    listing = load_authorized(Listing, listing_id, "listing.view")
    if current_user.is_authenticated:
        refusal = services.express_refusal(listing, current_user)  # a recent decline too, which the policy allows
        if refusal or not can(current_user, "interest.express", listing):
            flash(refusal or _("You cannot express interest in this listing."), "warning")
            return _listing_page(listing)
    authorize("interest.express", listing)  # visitors: sign in first
    existing = services.open_interest(listing, current_user.org)
    form = InterestForm()
    if existing is None and form.validate_on_submit():
        try:
            interest = services.express_interest(listing, current_user, form.message.data)
        except ValidationError as exc:
            for text in exc.apply_to(form):
                flash(text, "danger")
        else:
            flash(_("Your interest was sent to the owner. You will be told when they answer."), "success")
            return redirect(url_for("interest.detail", interest_id=interest.id))
    elif existing is not None and request.method == "POST":
        flash(services.already_message(existing), "warning")
        return redirect(url_for("interest.detail", interest_id=existing.id))
    return render_template("interest/express.html", l=listing, form=form, existing=existing)


# --- lists ---------------------------------------------------------------------------------------------

def _list(which):
    org = current_user.org
    state = request.args.get("state", "")
    if state not in STATES:
        state = ""
    page, per_page = page_args(request.args)
    items, total = [], 0
    if org is not None:
        stmt = services.received_interests(org, state) if which == "received" else services.sent_interests(org, state)
        items, total = paginate(stmt, page, per_page)
    return render_template("interest/list.html", which=which, items=items, total=total, page=page, per_page=per_page,
                           state=state, states=STATES, org=org)


@bp.route("/interests/received")
@requires("account.profile")
def received():
    """Interests other organisations expressed in our listings."""
    return _list("received")


@bp.route("/interests/sent")
@requires("account.profile")
def sent():
    """Our organisation's interests in others' listings, with their state."""
    return _list("sent")


# --- one interest --------------------------------------------------------------------------------------

def _load(interest_id):
    return load_authorized(Interest, interest_id, "interest.view")


def _render(interest, accept_form=None, decline_form=None, status=200):
    return render_template(
        "interest/detail.html", i=interest, l=interest.listing,
        accept_form=accept_form or AcceptForm(formdata=None, prefix="accept"),
        decline_form=decline_form or DeclineForm(formdata=None, prefix="decline"),
    ), status


@bp.route("/interests/<int:interest_id>")
@checks("interest.view")
def detail(interest_id):
    """An interest: the message, its state, the owner's answer, and what each side may do next."""
    return _render(_load(interest_id))


def _refused(interest, check, action):
    """A party who may see the interest but not do `action` now (a stale page, the other side): say why and
    change nothing. Returns the redirect, or None when the action is allowed."""
    if can(current_user, action, interest):
        return None
    try:
        check(interest, current_user)
    except ValidationError as exc:
        flash(str(exc), "warning")
        return redirect(url_for("interest.detail", interest_id=interest.id))
    abort(403)  # the policy and the service disagree: refuse rather than guess


@bp.route("/interests/<int:interest_id>/accept", methods=["POST"])
@checks("interest.accept")
def accept(interest_id):
    """The owner accepts an interest: a deal opens."""
    interest = _load(interest_id)
    refused = _refused(interest, services.check_answer, "interest.accept")
    if refused:
        return refused
    authorize("interest.accept", interest)
    form = AcceptForm(prefix="accept")
    if not form.validate():
        return _render(interest, accept_form=form, status=400)
    try:
        services.accept_interest(interest, current_user, form.message.data)
    except ValidationError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Interest accepted: a deal is open with %(org)s.", org=interest.org.name), "success")
    return redirect(url_for("interest.detail", interest_id=interest.id))


@bp.route("/interests/<int:interest_id>/decline", methods=["POST"])
@checks("interest.decline")
def decline(interest_id):
    """The owner declines an interest with a typed reason and an optional message."""
    interest = _load(interest_id)
    refused = _refused(interest, services.check_answer, "interest.decline")
    if refused:
        return refused
    authorize("interest.decline", interest)
    form = DeclineForm(prefix="decline")
    if form.validate():
        try:
            services.decline_interest(interest, current_user, form.reason.data, form.message.data)
        except ValidationError as exc:
            for text in exc.apply_to(form):
                flash(text, "danger")
        else:
            flash(_("Interest declined; %(org)s is told.", org=interest.org.name), "success")
            return redirect(url_for("interest.detail", interest_id=interest.id))
    return _render(interest, decline_form=form, status=400)


@bp.route("/interests/<int:interest_id>/withdraw", methods=["POST"])
@checks("interest.withdraw")
def withdraw(interest_id):
    """The sender takes back an interest that waits for an answer."""
    interest = _load(interest_id)
    refused = _refused(interest, services.check_withdraw, "interest.withdraw")
    if refused:
        return refused
    authorize("interest.withdraw", interest)
    try:
        services.withdraw_interest(interest, current_user)
    except ValidationError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("Your interest is withdrawn."), "success")
    return redirect(url_for("interest.detail", interest_id=interest.id))


# --- NDA -----------------------------------------------------------------------------------------------

@bp.route("/listings/<int:listing_id>/nda", methods=["POST"])
@checks("nda.accept")
def accept_nda(listing_id):
    """'I accept' under a listing's NDA: records the acceptance of the version shown, then shows the detail."""
    listing = load_authorized(Listing, listing_id, "listing.view")
    if current_user.is_authenticated and not can(current_user, "nda.accept", listing):
        flash(services.nda_refusal(listing, current_user) or _("You cannot accept this NDA."), "warning")
        return _listing_page(listing)
    authorize("nda.accept", listing)  # visitors: sign in first
    form = NdaForm()
    if not form.validate() or form.version.data is None:
        flash(_("The NDA changed since you opened the page: read the new text and accept it."), "warning")
        return _listing_page(listing, "nda")
    try:
        row, created = services.accept_nda(listing, current_user, form.version.data)
    except ValidationError as exc:
        flash(str(exc), "warning")
        return _listing_page(listing, "nda")
    if created:
        flash(_("You accepted version %(version)s of the NDA. The confidential detail is shown below.",
                version=row.version), "success")
    else:
        flash(_("You had already accepted this version of the NDA."), "info")
    return _listing_page(listing, "confidential")
