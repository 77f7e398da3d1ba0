"""Browse, detail, create/edit, lifecycle, attachments and moderation pages."""
import os

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.models import ORG_KINDS
from marketplace.core.errors import ValidationError
from marketplace.core.pagination import page_args
from marketplace.core.templating import format_date
from marketplace.core.policy import authorize, can, checks, load_authorized, public, requires
from marketplace.interest import services as interest
from marketplace.interest.forms import InterestForm, NdaForm
from marketplace.listings import attachments, bp, services
from marketplace.listings.forms import FORMS_BY_KIND, ApproveForm, AttachmentForm, RejectForm
from marketplace.listings.models import IP_TYPES, KINDS, STATUS_LABELS, TRANSFER_MODES, Attachment, Listing
from marketplace.matching import services as matching
from marketplace.reference.services import locality_choices, sector_groups

EVENT_LABELS = {
    "created": _l("Created"),
    "updated": _l("Edited"),
    "submitted": _l("Submitted for review"),
    "approved": _l("Approved and published"),
    "rejected": _l("Returned for changes"),
    "withdrawn": _l("Withdrawn"),
    "closed": _l("Closed"),
    "renewed": _l("Renewed"),
    "expired": _l("Expired"),
    "reminded": _l("Expiry reminder sent"),
    "imported": _l("Imported"),
    "edited_after_publication": _l("Edited after publication (awaiting a second look)"),
}
# The department's own organisation does not post listings; no point filtering by it.
LISTING_OWNER_KINDS = tuple(k for k in ORG_KINDS if k != "department")
SORT_LABELS = {"newest": _l("Newest"), "oldest": _l("Oldest"), "title": _l("Title A–Z"), "trl": _l("Highest TRL")}


# --- browsing ------------------------------------------------------------------------------------------

@bp.route("/browse")
@bp.route("/offers", endpoint="offers", defaults={"preset": "offer"})
@bp.route("/needs", endpoint="needs", defaults={"preset": "need"})
@bp.route("/ip", endpoint="ip_assets", defaults={"preset": "ip"})
@public
def browse(preset=None):
    """Published listings with filters, sort and pages; /offers, /needs and /ip fix the kind."""
    filters = services.parse_filters(request.args, kinds=(preset,) if preset else KINDS)
    page, per_page = page_args(request.args)
    items, total = services.paginate(services.browse_query(filters), page, per_page)
    groups = sector_groups()
    return render_template(
        "listings/browse.html", filters=filters, items=items, total=total, page=page, per_page=per_page,
        preset=preset, sector_groups=groups, sector_names={s.code: s.name for f, subs in groups for s in [f, *subs]},
        localities=locality_choices(), transfer_modes=TRANSFER_MODES, ip_types=IP_TYPES, org_kinds=LISTING_OWNER_KINDS,
        sort_labels=SORT_LABELS, kinds=KINDS,
    )


# --- detail --------------------------------------------------------------------------------------------

def _load(listing_id, action):
    return load_authorized(Listing, listing_id, action)


def _render_detail(listing, reject_form=None, approve_form=None):
    own = current_user.is_authenticated and current_user.org_id == listing.owner_org_id
    return render_template(
        "listings/detail.html", l=listing, own=own,
        manage=own or can(current_user, "moderation.queue"),
        expires_soon=services.expires_soon(listing),
        attach_form=AttachmentForm(formdata=None),
        approve_form=approve_form or ApproveForm(formdata=None, prefix="approve",
                                                 seen=services.last_event_id(listing)),
        reject_form=reject_form or RejectForm(formdata=None, prefix="reject"),
        event_labels=EVENT_LABELS,
        matches=matching.suggestions(listing) if can(current_user, "matching.view", listing) else None,
        interest=interest.listing_panel(listing, current_user),
        interest_form=InterestForm(formdata=None), nda_form=NdaForm(formdata=None, version=listing.nda_version),
    )


@bp.route("/listings/<int:listing_id>")
@checks("listing.view")
def detail(listing_id):
    """A listing's page: public facts for all, the confidential part for those allowed, tools for its owner."""
    return _render_detail(_load(listing_id, "listing.view"))


# --- create and edit -----------------------------------------------------------------------------------

def _form(kind, listing=None):
    org = listing.owner if listing is not None else current_user.org
    extra = {"ip_assets": services.org_ip_assets(org)} if kind == "offer" else {}
    form = FORMS_BY_KIND[kind](obj=listing, sectors=sector_groups(), localities=locality_choices(), **extra)
    if kind == "offer" and listing is not None and request.method == "GET":
        form.ip_asset_ids.data = [str(a.id) for a in listing.ip_assets]
    return form


def _wants_submit():
    return request.form.get("action") == "submit"


@bp.route("/listings/new/<kind>", methods=["GET", "POST"])
@requires("listing.create")
def create(kind):
    """A new offer, need or IP asset: saved as a draft, or sent for review at once."""
    if kind not in KINDS:
        abort(404)
    form = _form(kind)
    if form.validate_on_submit():
        try:
            listing = services.create_listing(kind, current_user.org, current_user, form.service_data(),
                                              submit=_wants_submit())
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            if listing.status == "submitted":
                flash(_("Saved and sent to the department for review."), "success")
            else:
                flash(_("Draft saved. Submit it for review when it is ready."), "success")
            return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/form.html", form=form, kind=kind, l=None)


@bp.route("/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@checks("listing.edit")
def edit(listing_id):
    """Change a listing; a draft or returned one can be sent for review from here."""
    listing = _load(listing_id, "listing.edit")
    form = _form(listing.kind, listing)
    if form.validate_on_submit():
        submit = _wants_submit()
        if submit:
            authorize("listing.submit", listing)
        try:
            services.update_listing(listing, current_user, form.service_data(), submit=submit)
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Saved and sent to the department for review.") if submit else _("Changes saved."), "success")
            return redirect(url_for("listings.detail", listing_id=listing.id))
    return render_template("listings/form.html", form=form, kind=listing.kind, l=listing,
                           attach_form=AttachmentForm(formdata=None))


# --- lifecycle -----------------------------------------------------------------------------------------

def _lifecycle(listing_id, action, service, done_message):
    listing = _load(listing_id, "listing.view")
    owner_member = current_user.is_authenticated and current_user.org_id == listing.owner_org_id
    if not can(current_user, action, listing) and owner_member:
        # the owner clicked on a page that is out of date (e.g. withdrawing twice): say so, not 403
        flash(_("That is not possible any more: the listing is now '%(status)s'.",
                status=STATUS_LABELS[listing.status]), "info")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    authorize(action, listing)
    try:
        service(listing, current_user)
    except ValidationError as exc:
        flash(str(exc), "danger")
    else:
        flash(done_message(listing) if callable(done_message) else done_message, "success")
    return redirect(url_for("listings.detail", listing_id=listing.id))


@bp.route("/listings/<int:listing_id>/submit", methods=["POST"])
@checks("listing.submit")
def submit(listing_id):
    """Send a draft or returned listing for review."""
    return _lifecycle(listing_id, "listing.submit", services.submit_listing,
                      _("Sent to the department for review."))


@bp.route("/listings/<int:listing_id>/withdraw", methods=["POST"])
@checks("listing.withdraw")
def withdraw(listing_id):
    """Take a listing off the exchange."""
    return _lifecycle(listing_id, "listing.withdraw", services.withdraw_listing, _("The listing is withdrawn."))


@bp.route("/listings/<int:listing_id>/close", methods=["POST"])
@checks("listing.close")
def close(listing_id):
    """Mark a published listing as closed."""
    return _lifecycle(listing_id, "listing.close", services.close_listing, _("The listing is closed."))


@bp.route("/listings/<int:listing_id>/renew", methods=["POST"])
@checks("listing.renew")
def renew(listing_id):
    """Extend a listing's expiry."""
    return _lifecycle(listing_id, "listing.renew", services.renew_listing,
                      lambda listing: _("Renewed: the listing runs until %(date)s.",
                                        date=format_date(listing.expires_at)))


@bp.route("/listings/<int:listing_id>/delete", methods=["POST"])
@checks("listing.delete")
def delete(listing_id):
    """Delete a draft or returned listing."""
    listing = _load(listing_id, "listing.delete")
    try:
        services.delete_listing(listing, current_user)
    except ValidationError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    flash(_("The listing is deleted."), "success")
    return redirect(url_for("listings.mine"))


# --- attachments ---------------------------------------------------------------------------------------

def _back_to(listing_id):
    """Return to the edit page when the file form was sent from there, else to the listing."""
    if request.form.get("back") == "edit":
        return redirect(url_for("listings.edit", listing_id=listing_id))
    return redirect(url_for("listings.detail", listing_id=listing_id))


@bp.route("/listings/<int:listing_id>/attachments", methods=["POST"])
@checks("listing.attach")
def attach(listing_id):
    """Upload a file to a listing."""
    listing = _load(listing_id, "listing.attach")
    form = AttachmentForm()
    upload = request.files.get("file")
    try:
        attachments.add_attachment(listing, current_user, getattr(upload, "filename", "") or "",
                                   upload.read() if upload else b"", is_public=form.public.data)
    except ValidationError as exc:
        flash(str(exc), "danger")
    else:
        flash(_("File attached."), "success")
    return _back_to(listing.id)


def _load_attachment(attachment_id, action):
    return load_authorized(Attachment, attachment_id, action)


@bp.route("/attachments/<int:attachment_id>")
@checks("attachment.download")
def attachment(attachment_id):
    """Download an attachment (always as a file, never shown inline)."""
    item = _load_attachment(attachment_id, "attachment.download")
    path = attachments.file_path(item)
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True, download_name=item.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not item.is_public:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@checks("attachment.delete")
def delete_attachment(attachment_id):
    """Remove an attachment."""
    item = _load_attachment(attachment_id, "attachment.delete")
    listing_id = item.listing_id
    attachments.delete_attachment(item)
    flash(_("File removed."), "success")
    return _back_to(listing_id)


# --- the owner's list ----------------------------------------------------------------------------------

@bp.route("/my/listings")
@requires("account.profile")
def mine():
    """The signed-in person's organisation's listings, whatever their status."""
    org = current_user.org
    items = services.org_listings(org, include_private=True) if org is not None else []
    return render_template("listings/mine.html", org=org, items=items,
                           soon={l.id for l in items if services.expires_soon(l)})


# --- moderation ----------------------------------------------------------------------------------------

@bp.route("/moderation")
@requires("moderation.queue")
def moderation():
    """The department's queue of listings awaiting review."""
    return render_template("listings/moderation.html", items=services.moderation_queue())


def _load_for_moderation(listing_id):
    """(listing, None), or (listing, redirect) when staff act on a page that is out of date (already reviewed)."""
    listing = _load(listing_id, "listing.view")
    if can(current_user, "moderation.queue") and not listing.awaits_review:
        flash(_("This listing is not awaiting review any more."), "info")
        return listing, redirect(url_for("listings.detail", listing_id=listing.id))
    authorize("listing.moderate", listing)
    return listing, None


@bp.route("/moderation/<int:listing_id>/approve", methods=["POST"])
@checks("listing.moderate")
def approve(listing_id):
    """Publish a submitted listing."""
    listing, stale = _load_for_moderation(listing_id)
    if stale:
        return stale
    form = ApproveForm(prefix="approve")
    if not form.validate():
        return _render_detail(listing, approve_form=form)
    try:
        services.approve_listing(listing, current_user, form.message.data, seen_event_id=form.seen.data)
    except ValidationError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("listings.detail", listing_id=listing.id))
    flash(_("Published: %(title)s", title=listing.title), "success")
    return redirect(url_for("listings.moderation"))


@bp.route("/moderation/<int:listing_id>/reject", methods=["POST"])
@checks("listing.moderate")
def reject(listing_id):
    """Return a submitted listing to its owner with a reason and a message."""
    listing, stale = _load_for_moderation(listing_id)
    if stale:
        return stale
    form = RejectForm(prefix="reject")
    if form.validate():
        try:
            services.reject_listing(listing, current_user, form.reason.data, form.message.data)
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Returned to the owner: %(title)s", title=listing.title), "success")
            return redirect(url_for("listings.moderation"))
    return _render_detail(listing, reject_form=form)
