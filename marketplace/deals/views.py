"""Deal pages: my deals, a deal with its timeline and the forms its people may use, documents, the department's
overview. Outsiders get 404 for a deal; people who see it but may not do something get 403; bad input or a page
that is out of date gets the deal page again with the message (400) and changes nothing."""
import os
from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from marketplace.brokers import services as broker_services
from marketplace.brokers.models import PROPOSAL_STATUS_LABELS
from marketplace.core.errors import ValidationError
from marketplace.core.templating import format_date, format_vnd
from marketplace.core.policy import DEAL_WORKERS, can, checks, deal_roles, load_authorized, requires
from marketplace.deals import bp, services
from marketplace.deals.forms import AdvanceForm, CancelForm, ConfirmForm, DealFactsForm, DocumentForm, NoteForm
from marketplace.deals.models import (
    CANCEL_REASON_LABELS,
    ORIGIN_LABELS,
    STAGE_LABELS,
    STAGES,
    TRANSFER_METHOD_LABELS,
    Deal,
    DealDocument,
)
from marketplace.extensions import csrf
from marketplace.listings.models import TRANSFER_MODE_LABELS

FIELD_LABELS = {
    "contract_value_vnd": _l("Contract value"),
    "transfer_form": _l("Transfer form"),
    "transfer_methods": _l("Transfer methods"),
    "signed_on": _l("Signing date"),
    "state_funded": _l("State-funded result"),
    "cross_border": _l("Cross-border transfer"),
    "declared_profit_vnd": _l("Declared profit"),
    "broker_fee_vnd": _l("Broker's fee"),
}
ROLE_LABELS = {"buyer": _l("Buyer"), "seller": _l("Seller"), "broker": _l("Broker"), "department": _l("Department")}


def fact_text(key, value):
    """A recorded value of the deal's facts (as the timeline keeps it) in words."""
    if value is None or value == "":
        return "—"
    if key.endswith("_vnd"):
        return format_vnd(value)
    if key == "transfer_form":
        return str(TRANSFER_MODE_LABELS.get(value, value))
    if key == "transfer_methods":
        return ", ".join(str(TRANSFER_METHOD_LABELS.get(m, m)) for m in str(value).split(",") if m)
    if key == "signed_on":
        try:
            return format_date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


LABELS = dict(STAGE_LABELS=STAGE_LABELS, ORIGIN_LABELS=ORIGIN_LABELS, CANCEL_REASON_LABELS=CANCEL_REASON_LABELS,
              TRANSFER_METHOD_LABELS=TRANSFER_METHOD_LABELS, FIELD_LABELS=FIELD_LABELS, DEAL_ROLE_LABELS=ROLE_LABELS,
              STAGES=STAGES, fact_text=fact_text)


@bp.route("/")
@requires("deal.list_mine")
def mine():
    """My organisation's deals and the match proposals put to it or made by it."""
    org_id = current_user.org_id
    stage = request.args.get("stage") or None
    if stage is not None and stage not in STAGE_LABELS:
        stage = None
    return render_template("deals/mine.html", deals=services.deals_of_org(org_id, stage=stage), stage=stage,
                           awaiting=broker_services.awaiting_answer(org_id),
                           proposals=broker_services.proposals_for_org(org_id),
                           PROPOSAL_STATUS_LABELS=PROPOSAL_STATUS_LABELS, **LABELS)


def _load(deal_id):
    """The deal, or 404 for anyone who may not see it."""
    return load_authorized(Deal, deal_id, "deal.view")


def _render(deal, status=200, **forms):
    """The deal page with the forms the person may use (those given replace the blank ones)."""
    user = current_user
    blank = {}
    if can(user, "deal.advance", deal):
        blank["advance_form"] = AdvanceForm(formdata=None, obj=deal, to_stage=deal.next_stage, prefix="advance")
    if can(user, "deal.edit", deal):
        blank["facts_form"] = DealFactsForm(formdata=None, obj=deal, prefix="facts")
    if can(user, "deal.confirm", deal):
        blank["confirm_form"] = ConfirmForm(formdata=None, prefix="confirm")
    if can(user, "deal.cancel", deal):
        blank["cancel_form"] = CancelForm(formdata=None, prefix="cancel")
    if can(user, "deal.note", deal):
        blank["note_form"] = NoteForm(formdata=None, prefix="note")
    if can(user, "deal.document_upload", deal):
        blank["document_form"] = DocumentForm(formdata=None, prefix="document")
    blank.update(forms)
    roles = deal_roles(user, deal)
    side = "buyer" if "buyer" in roles else "seller" if "seller" in roles else None
    return render_template("deals/detail.html", deal=deal, roles=roles, side=side,
                           timeline=list(reversed(deal.events)), **blank, **LABELS), status


@bp.route("/<int:deal_id>")
@checks("deal.view")
def detail(deal_id):
    """A deal: parties, listings, stage, the contract, the timeline, notes and documents."""
    return _render(_load(deal_id))


def _require_worker(deal):
    """Changes are for the parties and the broker: 403 for those who only watch (the department). Whether this
    change is possible now (stage, confirmations) is the service's to say, with a message."""
    if not deal_roles(current_user, deal) & set(DEAL_WORKERS):
        abort(403)


def _refused(deal, exc, form=None, name=None):
    """The deal page again, with the service's messages next to the form's fields or on top (400)."""
    leftovers = exc.apply_to(form) if form is not None else list(exc.errors.get(None, [])) or [str(exc)]
    for message in leftovers:
        flash(message, "danger")
    if form is not None and not leftovers:
        flash(_("Please correct the marked fields."), "danger")
    return _render(deal, 400, **({name: form} if form is not None else {}))


def _done(deal, message):
    flash(message, "success")
    return redirect(url_for("deals.detail", deal_id=deal.id))


def _submit(deal_id, form_class, prefix, act, refused_with_form=True):
    """What every change of a deal does: load it (404 for outsiders), 403 for those who only watch, validate the
    posted form (the page again with its errors, 400), then `act(deal, form)`, which returns the message to show;
    a refusal of the service gets the page again with its message (400) and changes nothing."""
    deal = _load(deal_id)
    _require_worker(deal)
    form = form_class(prefix=prefix)
    name = prefix + "_form"
    if not form.validate():
        return _render(deal, 400, **{name: form})
    try:
        message = act(deal, form)
    except ValidationError as exc:
        with_form = refused_with_form(form) if callable(refused_with_form) else refused_with_form
        return _refused(deal, exc, form if with_form else None, name)
    return _done(deal, message)


@bp.route("/<int:deal_id>/advance", methods=["POST"])
@checks("deal.advance")
def advance(deal_id):
    """Move the deal to the next stage (the one the person saw)."""
    def act(deal, form):
        to_stage = form.to_stage.data or ""
        services.advance_deal(deal, current_user, to_stage,
                              form.contract_data() if to_stage == "contract_signed" else None)
        return _("The deal is now “%(stage)s”.", stage=STAGE_LABELS[deal.stage])

    # only the contract's fields take messages next to them; any other refusal shows on top
    return _submit(deal_id, AdvanceForm, "advance", act,
                   refused_with_form=lambda form: form.to_stage.data == "contract_signed")


@bp.route("/<int:deal_id>/edit", methods=["POST"])
@checks("deal.edit")
def edit(deal_id):
    """Change the deal's facts."""
    def act(deal, form):
        services.update_deal(deal, current_user, form.service_data())
        return _("Saved.")

    return _submit(deal_id, DealFactsForm, "facts", act)


@bp.route("/<int:deal_id>/confirm", methods=["POST"])
@checks("deal.confirm")
def confirm(deal_id):
    """The buyer's or the seller's confirmation that the transfer is complete."""
    def act(deal, form):
        services.confirm_completion(deal, current_user)
        if deal.stage == "completed":
            return _("Both parties confirmed: the deal is completed.")
        return _("Confirmed. The deal completes when the other party confirms too.")

    return _submit(deal_id, ConfirmForm, "confirm", act, refused_with_form=False)


@bp.route("/<int:deal_id>/cancel", methods=["POST"])
@checks("deal.cancel")
def cancel(deal_id):
    """End the deal with a reason."""
    def act(deal, form):
        services.cancel_deal(deal, current_user, form.reason.data, form.message.data)
        return _("The deal is cancelled.")

    return _submit(deal_id, CancelForm, "cancel", act)


@bp.route("/<int:deal_id>/notes", methods=["POST"])
@checks("deal.note")
def note(deal_id):
    """Add a note to the timeline."""
    def act(deal, form):
        services.add_note(deal, current_user, form.text.data)
        return _("Note added.")

    return _submit(deal_id, NoteForm, "note", act)


def _upload_too_large():
    """Read the posted form now; True when the body is over MAX_CONTENT_LENGTH (nothing was read, so no CSRF
    check is possible, and nothing is changed), else check CSRF as the app does for every other form."""
    try:
        request.files  # noqa: B018 - parse the body here, where its being too large can be answered on the page
    except RequestEntityTooLarge:
        return True
    if current_app.config.get("WTF_CSRF_ENABLED", True) and current_app.config.get("WTF_CSRF_CHECK_DEFAULT", True):
        csrf.protect()
    return False


@bp.route("/<int:deal_id>/documents", methods=["POST"])
@checks("deal.document_upload")
def upload(deal_id):
    """Keep a file on the deal. A file over the request limit gets the deal page with the message next to the file
    field (413), as one over the attachment limit does (400), not the bare 413 page."""
    deal = _load(deal_id)
    _require_worker(deal)
    if _upload_too_large():
        form = DocumentForm(formdata=None, prefix="document")
        form.file.errors = [_("The file is too large (10 MB at most).")]
        return _render(deal, 413, document_form=form)
    form = DocumentForm(prefix="document")
    if not form.validate():
        return _render(deal, 400, document_form=form)
    upload = request.files.get("document-file")
    try:
        services.add_document(deal, current_user, getattr(upload, "filename", "") or "",
                              upload.read() if upload else b"")
    except ValidationError as exc:
        return _refused(deal, exc, form, "document_form")
    return _done(deal, _("File added."))


# The global CSRF hook reads the body before the view, and a body over the limit would end there in the bare 413
# page: this view reads it itself, then checks CSRF (the pattern of imports.views.upload).
csrf.exempt(upload)


@bp.route("/documents/<int:document_id>")
@checks("deal.document_download")
def document(document_id):
    """Download a deal's document (always as a file, never cached by shared caches)."""
    item = load_authorized(DealDocument, document_id, "deal.document_download")
    path = services.document_path(item)
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=item.content_type, as_attachment=True, download_name=item.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/overview")
@requires("deal.overview")
def overview():
    """The department's figures: deals by stage, signed contracts and their value, the latest deals."""
    return render_template("deals/overview.html", figures=services.overview(), recent=services.recent_deals(),
                           **LABELS)
