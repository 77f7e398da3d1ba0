"""The one access policy: `can(user, action, obj)` decides, every view and API route asks it.

Rules read plain attributes (`user.role`, `obj.owner_org_id`, `obj.status`), so this module imports no
feature. Views mark themselves with `@public`, `@requires(action)` or `@checks(action)`; a test fails when a
route carries none of these marks. Objects a user may not even see answer 404, never 403.
"""
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from marketplace.core.errors import wants_json
from marketplace.extensions import login_manager

ROLES = ("member", "broker", "department", "admin")
PUBLIC_LISTING_STATUSES = ("published", "closed", "expired")
# Organisation kinds that may post offers, needs and IP assets.
LISTING_ORG_KINDS = ("enterprise", "university", "institute", "other")

_RULES = {}


def rule(*actions):
    """Register the decorated function as the rule for the given actions."""

    def register(func):
        for action in actions:
            _RULES[action] = func
        return func

    return register


def known_actions():
    """Every action the policy knows."""
    return sorted(_RULES)


def can(user, action, obj=None):
    """True when `user` (maybe anonymous) may do `action` on `obj`."""
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"no policy rule for action {action!r}") from None
    if user is None:
        user = _Anonymous()
    return bool(check(user, obj))


def authorize(action, obj=None, user=None):
    """Abort unless the current user may do `action`: 404 if they cannot see `obj`, else login or 403."""
    user = user if user is not None else current_user
    if can(user, action, obj):
        return
    view_action = getattr(obj, "__policy_view__", None)
    if obj is not None and view_action and view_action != action and not can(user, view_action, obj):
        abort(404)
    if obj is not None and view_action == action:
        abort(404)
    if not getattr(user, "is_authenticated", False):
        if request.path.startswith("/api/"):
            abort(401)
        abort(login_manager.unauthorized())
    abort(403)


def sign_in_first():
    """The login manager's answer to a visitor (or an expired session) where signing in is needed: the sign-in
    page, with `next` naming the page to come back to. A GET comes back to itself; any other method (an NDA's
    "I accept", a form sent after the session expired) to the page it was sent from, when that page is on this
    site, else to the home page: never to a POST-only address, which would answer 405 once signed in.
    A view answering JSON (see core.errors.answers_json) gets 401 with the API's error body instead."""
    if wants_json():
        abort(401)
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=_come_back_to()))


def _come_back_to():
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    parts = urlsplit(request.referrer or "")
    if parts.scheme in ("http", "https") and parts.netloc == request.host and parts.path.startswith("/") \
            and not parts.path.startswith("//"):
        return urlunsplit(("", "", parts.path, parts.query, ""))
    return url_for("main.home")


def load_authorized(model, ident, action):
    """The `model` row with primary key `ident`, after authorize(action, row); 404 when there is none."""
    from marketplace.extensions import db

    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    authorize(action, obj)
    return obj


def _mark(view, value):
    view.access_policy = value
    return view


def public(view):
    """Mark a view as open to everyone, visitors included."""
    return _mark(view, "public")


def requires(action):
    """Mark a view as needing `action` (an action checked without an object) and check it."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            authorize(action)
            return view(*args, **kwargs)

        return _mark(wrapped, action)

    return decorate


def checks(action):
    """Mark a view that loads an object and calls `authorize(action, obj)` itself."""

    def decorate(view):
        return _mark(view, "object:" + action)

    return decorate


class _Anonymous:
    is_authenticated = False
    role = None
    org_id = None
    org_role = None
    org = None


# --- helpers -----------------------------------------------------------------------------------------

def _signed_in(user):
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "is_active", True)


def _staff(user):
    if not _signed_in(user):
        return False
    if user.role == "admin":
        return True
    # department rights need a seat in the department's organisation, not just the role's name
    org = getattr(user, "org", None)
    return user.role == "department" and org is not None and org.kind == "department"


def _admin(user):
    return _signed_in(user) and user.role == "admin"


def _broker(user):
    # Broker rights (reading confidential detail) need an organisation the department has verified:
    # anyone can register a "broker" organisation, not everyone is one.
    org = getattr(user, "org", None)
    return _signed_in(user) and user.role == "broker" and org is not None and bool(org.verified)


def _same_org(user, org_id):
    return _signed_in(user) and user.org_id is not None and user.org_id == org_id


def _org_admin(user, org_id):
    return _same_org(user, org_id) and user.org_role == "admin"


# --- rules -------------------------------------------------------------------------------------------

@rule("account.profile", "account.logout")
def _signed_in_rule(user, obj):
    return _signed_in(user)


@rule("listing.create")
def _can_create_listing(user, obj):
    org = getattr(user, "org", None)
    return _signed_in(user) and org is not None and org.kind in LISTING_ORG_KINDS


@rule("listing.view")
def _can_view_listing(user, listing):
    if listing.status in PUBLIC_LISTING_STATUSES:
        return True
    if _same_org(user, listing.owner_org_id) or _admin(user):
        return True
    # A draft is the owner's unfinished work; the department sees a listing once it is submitted.
    return listing.status != "draft" and _staff(user)


@rule("listing.view_detail")
def _can_view_detail(user, listing):
    if not _can_view_listing(user, listing):
        return False
    if _same_org(user, listing.owner_org_id) or _staff(user) or _broker(user):
        return True
    # a listing that requires an NDA shows its detail to those who accepted its current version (see below)
    return bool(getattr(listing, "nda_required", False)) and _nda_accepted(user, listing)


@rule("matching.view")
def _can_view_matches(user, listing):
    """A listing's suggested matches: its owner, brokers and the department, while it is on the exchange."""
    if listing.kind not in ("offer", "need") or listing.status != "published":
        return False
    return _same_org(user, listing.owner_org_id) or _staff(user) or _broker(user)


@rule("listing.edit")
def _can_edit_listing(user, listing):
    if listing.status not in ("draft", "submitted", "rejected", "published", "expired", "withdrawn"):
        return False
    return _same_org(user, listing.owner_org_id) or _admin(user)


@rule("listing.submit")
def _can_submit_listing(user, listing):
    return listing.status in ("draft", "rejected", "withdrawn") and _same_org(user, listing.owner_org_id)


@rule("listing.withdraw")
def _can_withdraw_listing(user, listing):
    return listing.status in ("submitted", "published", "expired") and (
        _same_org(user, listing.owner_org_id) or _admin(user)
    )


@rule("listing.close")
def _can_close_listing(user, listing):
    return listing.status == "published" and _same_org(user, listing.owner_org_id)


@rule("listing.renew")
def _can_renew_listing(user, listing):
    return listing.status in ("published", "expired") and _same_org(user, listing.owner_org_id)


@rule("listing.delete")
def _can_delete_listing(user, listing):
    # a listing the public once saw keeps its history: it can be withdrawn, not deleted
    never_published = getattr(listing, "published_at", None) is None
    return listing.status in ("draft", "rejected") and never_published and _same_org(user, listing.owner_org_id)


@rule("listing.attach")
def _can_attach(user, listing):
    return _can_edit_listing(user, listing)


@rule("listing.moderate")
def _can_moderate(user, listing):
    if listing is not None and not listing.awaits_review:
        return False
    return _staff(user)


@rule("moderation.queue", "listing.import", "reference.manage", "glossary.manage")
def _staff_rule(user, obj):
    return _staff(user)


@rule("attachment.download")
def _can_download(user, attachment):
    listing = attachment.listing
    if attachment.is_public:
        return _can_view_listing(user, listing)
    return _can_view_detail(user, listing)


@rule("attachment.delete")
def _can_delete_attachment(user, attachment):
    return _can_edit_listing(user, attachment.listing)


@rule("org.view")
def _can_view_org(user, org):
    return True


@rule("org.view_private")
def _can_view_org_private(user, org):
    return _same_org(user, org.id) or _staff(user)


@rule("org.verify")
def _can_verify_org(user, org):
    return _staff(user)


@rule("org.edit", "org.manage_members")
def _can_manage_org(user, org):
    return _org_admin(user, org.id) or _admin(user)


@rule("user.manage")
def _can_manage_users(user, obj):
    return _admin(user)


# --- brokers and deals ---------------------------------------------------------------------------------

# Who may move a deal INTO each stage: one step forward at a time. "completed" is reached only when buyer and
# seller have both confirmed (deal.confirm); cancelling is open to the parties and the broker until then.
DEAL_STAGE_MOVERS = {
    "nda_signed": ("buyer", "seller", "broker"),
    "negotiating": ("buyer", "seller", "broker"),
    "mou": ("buyer", "seller", "broker"),
    "contract_signed": ("buyer", "seller", "broker"),
    "in_transfer": ("buyer", "seller", "broker"),
    "completed": ("buyer", "seller"),
}
DEAL_CANCELLERS = ("buyer", "seller", "broker")
DEAL_WORKERS = ("buyer", "seller", "broker")  # keep notes and documents, edit the deal's facts


def deal_roles(user, deal):
    """The parts `user` plays in `deal`: buyer, seller, broker (members of those organisations), department."""
    roles = set()
    if deal is None or not _signed_in(user):
        return roles
    if _same_org(user, deal.buyer_org_id):
        roles.add("buyer")
    if _same_org(user, deal.seller_org_id):
        roles.add("seller")
    if deal.broker_org_id is not None and _same_org(user, deal.broker_org_id):
        roles.add("broker")
    if _staff(user):
        roles.add("department")
    return roles


def _deal_open(deal):
    return deal.stage not in ("completed", "cancelled")


@rule("deal.view", "deal.document_download")
def _can_view_deal(user, obj):
    deal = getattr(obj, "deal", obj)  # a DealDocument carries its deal
    return bool(deal_roles(user, deal))


@rule("deal.advance")
def _can_advance_deal(user, deal):
    target = deal.next_stage if _deal_open(deal) else None
    if target is None or target == "completed":  # completion goes through both parties' confirmations
        return False
    return bool(deal_roles(user, deal) & set(DEAL_STAGE_MOVERS.get(target, ())))


@rule("deal.confirm")
def _can_confirm_deal(user, deal):
    return deal.stage == "in_transfer" and bool(deal_roles(user, deal) & set(DEAL_STAGE_MOVERS["completed"]))


@rule("deal.cancel")
def _can_cancel_deal(user, deal):
    return _deal_open(deal) and bool(deal_roles(user, deal) & set(DEAL_CANCELLERS))


@rule("deal.edit")
def _can_edit_deal(user, deal):
    return _deal_open(deal) and bool(deal_roles(user, deal) & set(DEAL_WORKERS))


@rule("deal.note", "deal.document_upload")
def _can_work_on_deal(user, deal):
    return bool(deal_roles(user, deal) & set(DEAL_WORKERS))


@rule("deal.list_mine")
def _can_list_deals(user, obj):
    return _signed_in(user) and user.org_id is not None


@rule("deal.overview")
def _can_see_deal_overview(user, obj):
    return _staff(user)


def _proposal_side(user, proposal):
    sides = set()
    if _same_org(user, proposal.buyer_org_id):
        sides.add("buyer")
    if _same_org(user, proposal.seller_org_id):
        sides.add("seller")
    return sides


@rule("broker.queue", "broker.propose")
def _broker_rule(user, obj):
    return _broker(user)


@rule("broker.profile_view")
def _can_view_broker_profile(user, org):
    """A broker organisation's public profile: once verified; before that its own people and the department."""
    if org.kind != "broker":
        return False
    return bool(org.verified) or _same_org(user, org.id) or _staff(user)


@rule("broker.profile_edit")
def _can_edit_broker_profile(user, org):
    return org.kind == "broker" and (_org_admin(user, org.id) or _admin(user))


@rule("proposal.view")
def _can_view_proposal(user, proposal):
    return bool(_proposal_side(user, proposal)) or _same_org(user, proposal.broker_org_id) or _staff(user)


@rule("proposal.respond")
def _can_respond_to_proposal(user, proposal):
    return proposal.status == "open" and bool(_proposal_side(user, proposal))


# --- interest, NDA, anonymous listings ----------------------------------------------------------------
# Two facts live in rows of the interest feature (marketplace/interest/models.py): NDA acceptances and accepted
# interests. The rules below read them with one small query each; what they mean is decided here.

def _nda_accepted(user, listing):
    """True when the user, or anyone of their organisation, accepted the current version of the listing's NDA."""
    if not _signed_in(user) or getattr(listing, "id", None) is None:
        return False
    from sqlalchemy import or_, select

    from marketplace.extensions import db
    from marketplace.interest.models import NdaAcceptance

    who = NdaAcceptance.user_id == user.id
    if user.org_id is not None:
        who = or_(who, NdaAcceptance.org_id == user.org_id)
    return db.session.scalar(select(NdaAcceptance.id).where(
        NdaAcceptance.listing_id == listing.id, NdaAcceptance.version == listing.nda_version, who).limit(1)) is not None


def _interest_accepted(user, listing):
    """True when the listing's owner accepted an interest of the user's organisation in it."""
    if not _signed_in(user) or user.org_id is None or getattr(listing, "id", None) is None:
        return False
    from sqlalchemy import select

    from marketplace.extensions import db
    from marketplace.interest.models import Interest

    return db.session.scalar(select(Interest.id).where(
        Interest.listing_id == listing.id, Interest.org_id == user.org_id, Interest.state == "accepted").limit(1)) \
        is not None


def _reads_detail_without_nda(user, listing):
    return _same_org(user, listing.owner_org_id) or _staff(user) or _broker(user)


@rule("listing.view_owner")
def _can_view_owner(user, listing):
    """Who owns a listing (name, link, contact): whoever sees the listing, unless it is anonymous; then only its
    organisation, the department and organisations whose interest the owner accepted."""
    if not _can_view_listing(user, listing):
        return False
    if not getattr(listing, "anonymous", False):
        return True
    return _same_org(user, listing.owner_org_id) or _staff(user) or _interest_accepted(user, listing)


@rule("interest.express")
def _can_express_interest(user, listing):
    """Signed-in people of an organisation that trades (not the owner, not the department, not a broker, who
    proposes matches instead) on a published listing."""
    org = getattr(user, "org", None)
    return (_signed_in(user) and listing.status == "published" and org is not None
            and org.kind in LISTING_ORG_KINDS and user.org_id != listing.owner_org_id)


@rule("listing.view_interests")
def _can_view_listing_interests(user, listing):
    """The interests expressed in a listing: its organisation and the department."""
    return _same_org(user, listing.owner_org_id) or _staff(user)


@rule("interest.view")
def _can_view_interest(user, interest):
    return (_same_org(user, interest.org_id) or _same_org(user, interest.listing.owner_org_id)
            or _staff(user))


@rule("interest.accept", "interest.decline")
def _can_answer_interest(user, interest):
    return interest.state == "pending" and _same_org(user, interest.listing.owner_org_id)


@rule("interest.withdraw")
def _can_withdraw_interest(user, interest):
    return interest.state == "pending" and _same_org(user, interest.org_id)


@rule("nda.accept")
def _can_accept_nda(user, listing):
    """Reading and accepting a listing's NDA: signed-in people who do not read its detail anyway."""
    return (bool(getattr(listing, "nda_required", False)) and _signed_in(user)
            and listing.status in PUBLIC_LISTING_STATUSES and not _reads_detail_without_nda(user, listing))


@rule("nda.view_acceptances")
def _can_view_nda_acceptances(user, listing):
    """Who accepted which NDA version when: the owner organisation and the department."""
    return _same_org(user, listing.owner_org_id) or _staff(user)


# --- notifications, saved searches, followed sectors -----------------------------------------------------

@rule("notification.inbox", "alert.manage")
def _has_own_inbox(user, obj):
    """Everyone signed in has an inbox, e-mail settings, saved searches and followed sectors."""
    return _signed_in(user)


@rule("notification.open", "alert.delete")
def _owns_personal_item(user, item):
    """A notification, saved search or followed sector is its person's alone (anyone else: 404)."""
    return _signed_in(user) and item is not None and getattr(item, "user_id", None) == user.id
