"""Broker pages: the directory, a broker's public profile and its editing, the queue of suggested matches,
proposing a match, and a proposal's page where the parties answer."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.accounts.models import Organization
from marketplace.brokers import bp, services
from marketplace.brokers.forms import ProfileForm, ProposeForm, RespondForm
from marketplace.brokers.models import (
    DECLINE_REASON_LABELS,
    PROPOSAL_STATUS_LABELS,
    SERVICE_TYPE_LABELS,
    SERVICE_TYPES,
    MatchProposal,
)
from marketplace.core.errors import ValidationError
from marketplace.core.policy import authorize, can, checks, load_authorized, public
from marketplace.deals import services as deal_services
from marketplace.deals.models import STAGE_LABELS
from marketplace.extensions import db
from marketplace.reference.models import Sector
from marketplace.reference.services import sector_groups

LABELS = dict(SERVICE_TYPE_LABELS=SERVICE_TYPE_LABELS, SERVICE_TYPES=SERVICE_TYPES,
              DECLINE_REASON_LABELS=DECLINE_REASON_LABELS, PROPOSAL_STATUS_LABELS=PROPOSAL_STATUS_LABELS,
              STAGE_LABELS=STAGE_LABELS)


def _sector_choices():
    return [(s.code, f"{s.code} – {s.name}") for _field, sectors in sector_groups() for s in sectors]


@bp.route("/brokers")
@public
def directory():
    """Verified broker organisations, filterable by service and sector."""
    service = request.args.get("service") or None
    sector = request.args.get("sector") or None
    if service not in SERVICE_TYPES:
        service = None
    if sector is not None and db.session.get(Sector, sector[:10]) is None:
        sector = None
    orgs = services.directory(service=service, sector=sector)
    return render_template("brokers/directory.html", orgs=orgs, profiles=services.profiles_by_org(orgs),
                           service=service, sector=sector, groups=sector_groups(), **LABELS)


def _broker_org(org_id):
    """A broker organisation whose profile the person may see; 404 otherwise (any organisation's page is
    public, but only brokers have a broker profile)."""
    org = db.session.get(Organization, org_id)
    if org is None or not can(current_user, "broker.profile_view", org):
        abort(404)
    return org


@bp.route("/brokers/<int:org_id>")
@checks("broker.profile_view")
def profile(org_id):
    """A broker's public profile and its record of deals (counts and totals, nothing private)."""
    org = _broker_org(org_id)
    authorize("broker.profile_view", org)
    return render_template("brokers/profile.html", org=org, profile=services.profile_of(org),
                           record=deal_services.broker_record(org.id), **LABELS)


@bp.route("/brokers/<int:org_id>/edit", methods=["GET", "POST"])
@checks("broker.profile_edit")
def edit_profile(org_id):
    """Change a broker organisation's summary, services and sectors."""
    org = _broker_org(org_id)
    authorize("broker.profile_edit", org)
    profile_row = services.profile_of(org)
    form = ProfileForm(obj=profile_row)
    form.sector_codes.choices = _sector_choices()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                services.update_profile(org, current_user, {"summary": form.summary.data,
                                                            "services": form.services.data or [],
                                                            "sector_codes": form.sector_codes.data or []})
            except ValidationError as exc:
                for message in exc.apply_to(form):
                    flash(message, "danger")
            else:
                flash(_("Profile saved."), "success")
                return redirect(url_for("brokers.profile", org_id=org.id))
        status = 400
    return render_template("brokers/edit.html", org=org, form=form, **LABELS), status


def _unverified_broker_page():
    """For a person of a broker organisation the department has not verified yet, a page that says so and what
    to do (403), instead of the bare refusal; None for everyone else."""
    org = getattr(current_user, "org", None)
    if getattr(current_user, "is_authenticated", False) and org is not None and org.kind == "broker" \
            and not org.verified:
        return render_template("brokers/unverified.html", org=org), 403
    return None


@bp.route("/broker/queue")
@checks("broker.queue")
def queue():
    """Strong suggested matches the broker's organisation has not proposed yet, best first."""
    if not can(current_user, "broker.queue"):
        page = _unverified_broker_page()
        if page is not None:
            return page
    authorize("broker.queue")
    only_mine = request.args.get("mine") == "1"
    items = services.queue(current_user.org, only_my_sectors=only_mine)
    return render_template("brokers/queue.html", items=items, only_mine=only_mine,
                           min_score=services.queue_min_score(), **LABELS)


@bp.route("/broker/propose", methods=["GET", "POST"])
@checks("broker.propose")
def propose():
    """Propose a need and an offer to their owners, with a message."""
    if not can(current_user, "broker.propose"):
        page = _unverified_broker_page()
        if page is not None:
            return page
    authorize("broker.propose")
    form = ProposeForm()
    if request.method == "GET":
        form.need_id.data = request.args.get("need", "")
        form.offer_id.data = request.args.get("offer", "")
    need = services.get_listing(form.need_id.data)
    offer = services.get_listing(form.offer_id.data)
    if need is None or offer is None or need.kind != "need" or offer.kind != "offer" \
            or not can(current_user, "listing.view", need) or not can(current_user, "listing.view", offer):
        abort(404)
    status = 200
    blocked = services.why_not_proposable(current_user, need, offer)
    if blocked:  # said before the broker writes the message, not after
        flash(blocked, "danger")
        status = 400
    elif request.method == "POST":
        if form.validate():
            try:
                proposal = services.propose_match(current_user, need, offer, form.message.data)
            except ValidationError as exc:
                for message in exc.apply_to(form):
                    flash(message, "danger")
            else:
                flash(_("Proposed to both parties. You will be told when they answer."), "success")
                return redirect(url_for("brokers.proposal", proposal_id=proposal.id))
        status = 400
    return render_template("brokers/propose.html", form=form, need=need, offer=offer, blocked=blocked,
                           suggestion=services.suggestion_for(need.id, offer.id), **LABELS), status


def _render_proposal(proposal, status=200, form=None):
    """The proposal's page; the answer form (the one given, to keep what was typed, else a blank one) only for a
    party that may still answer."""
    side = services.side_of(current_user, proposal)
    if can(current_user, "proposal.respond", proposal) and side and proposal.decision_of(side) is None:
        form = form or RespondForm(formdata=None)
    else:
        form = None
    blocked = services.why_not_acceptable(proposal, current_user) if proposal.status == "open" else None
    return render_template("brokers/proposal.html", p=proposal, side=side, form=form, blocked=blocked,
                           **LABELS), status


@bp.route("/proposals/<int:proposal_id>")
@checks("proposal.view")
def proposal(proposal_id):
    """A proposal: the need, the offer, the broker's message and both parties' answers."""
    return _render_proposal(load_authorized(MatchProposal, proposal_id, "proposal.view"))


@bp.route("/proposals/<int:proposal_id>/respond", methods=["POST"])
@checks("proposal.respond")
def respond(proposal_id):
    """A party accepts or declines; the second acceptance opens the deal."""
    item = load_authorized(MatchProposal, proposal_id, "proposal.view")  # outsiders: 404
    form = RespondForm()
    if not form.validate():
        return _render_proposal(item, 400, form)
    try:
        services.respond(item, current_user, form.decision.data, form.reason.data, form.message.data)
    except ValidationError as exc:
        leftovers = exc.apply_to(form)
        leftovers += form.decision.errors  # a hidden field: its message goes on top
        for message in leftovers:
            flash(message, "danger")
        return _render_proposal(item, 400, form)
    if item.deal is not None:
        flash(_("Both parties accepted: deal %(ref)s is open.", ref=item.deal.ref), "success")
        return redirect(url_for("deals.detail", deal_id=item.deal.id))
    if item.status == "declined":
        flash(_("You declined the proposal."), "info")
    else:
        flash(_("Accepted. The deal opens when the other party accepts too."), "success")
    return redirect(url_for("brokers.proposal", proposal_id=item.id))
