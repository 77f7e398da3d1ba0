"""The read-only JSON API under /api/v1: public offers, needs, IP assets, sectors and localities.

Open data: every route is public, answers only what a visitor may see, and says what was wrong with a request
as JSON (400 with the offending fields, 404, 405), never a 500.
"""
from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError

from marketplace.accounts.models import ORG_KINDS
from marketplace.api import services
from marketplace.api.serializers import (listing_detail, listing_item, locality_item, match_list, search_item,
                                        sector_item)
from marketplace.core.errors import ValidationError
from marketplace.core.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from marketplace.core.policy import checks, public
from marketplace.extensions import db
from marketplace.listings.models import IP_TYPES, TRANSFER_MODES
from marketplace.listings.services import SORTS

bp = Blueprint("api", __name__)

LIST_CACHE = "public, max-age=60"


@bp.record_once
def _json_settings(state):
    # Vietnamese text stays readable (UTF-8, not \u escapes) and fields keep their documented order.
    state.app.json.ensure_ascii = False
    state.app.json.sort_keys = False


@bp.after_app_request
def _api_headers(response):
    # Registered app-wide so errors raised before routing (unknown path, wrong method) get the headers too.
    if request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        # HTTP requires a 405 to say which methods the resource takes; the JSON error page drops the header.
        valid = getattr(request.routing_exception, "valid_methods", None)
        if response.status_code == 405 and valid and "Allow" not in response.headers:
            response.headers["Allow"] = ", ".join(sorted(valid))
    return response


def error_response(code, message, fields=None):
    """The API's error body: {"error": {"code", "message", "fields"?}} with that status."""
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = {str(key) if key else "_request": list(map(str, messages))
                           for key, messages in fields.items()}
    return jsonify({"error": error}), code


@bp.errorhandler(ValidationError)
def _bad_request(exc):
    names = ", ".join(sorted(str(key) for key in exc.errors if key))
    message = _("Invalid query parameters: %(names)s.", names=names) if names else str(exc)
    return error_response(400, message, exc.errors)


@bp.errorhandler(OperationalError)
def _database_unavailable(exc):
    db.session.rollback()
    return error_response(503, _("The database is not available. Please try again later."))


def _not_found(kind, listing_id):
    messages = {
        "offer": _("No public offer has the id %(id)s.", id=listing_id),
        "need": _("No public need has the id %(id)s.", id=listing_id),
        "ip": _("No public IP asset has the id %(id)s.", id=listing_id),
    }
    return error_response(404, messages[kind])


def _list(kind):
    filters, page, per_page = services.parse_list_args(request.args, kind)
    items, total = services.search_listings(filters, page, per_page)
    response = jsonify({"items": [listing_item(item) for item in items], "total": total, "page": page,
                        "per_page": per_page})
    if "Cache-Control" not in response.headers:  # private answers (suggested matches) set their own
        response.headers["Cache-Control"] = LIST_CACHE
    return response


def _detail(kind, listing_id):
    services.require_no_params(request.args)
    listing = services.public_listing(listing_id, kind)
    if listing is None:
        return _not_found(kind, listing_id)
    return jsonify(listing_detail(listing))


@bp.route("/")
@public
def index():
    """What the API offers: its endpoints and the filters the list endpoints take."""
    services.require_no_params(request.args)
    lists = {
        "offers": url_for("api.offers", _external=True),
        "needs": url_for("api.needs", _external=True),
        "ip": url_for("api.ip_assets", _external=True),
    }
    response = jsonify({
        "name": _("Read-only open data API"),
        "version": "v1",
        "endpoints": {
            **lists,
            "offer": url_for("api.offers", _external=True) + "/{id}",
            "need": url_for("api.needs", _external=True) + "/{id}",
            "ip_asset": url_for("api.ip_assets", _external=True) + "/{id}",
            "sectors": url_for("api.sectors", _external=True),
            "localities": url_for("api.localities", _external=True),
            "search": url_for("api.search", _external=True) + "?q={words}",
        },
        "list_parameters": {
            "kind": _("Optional; must match the endpoint (offer, need or ip)."),
            "q": _("Words to find in title, summary, keywords and reference; diacritics optional."),
            "sector_code": _("A sector code (e.g. 202), or a field code (1-6) for all its sectors; see sectors."),
            "trl_min": _("Lowest readiness level, 1-9 (offers: trl; needs: min_trl)."),
            "trl_max": _("Highest readiness level, 1-9."),
            "transfer_mode": list(TRANSFER_MODES),
            "locality": _("A locality code; see localities."),
            "owner_kind": list(ORG_KINDS),
            "ip_type": list(IP_TYPES),
            "sort": list(SORTS),
            "page": _("Page number, 1 or more (default 1)."),
            "per_page": _("Items per page, 1-%(max)s (default %(default)s).", max=MAX_PER_PAGE,
                          default=DEFAULT_PER_PAGE),
        },
        "list_response": {"items": "[...]", "total": "N", "page": "P", "per_page": "K"},
        "errors": {
            "400": _("Unknown parameter or bad value; error.fields names them."),
            "404": _("No such public item."),
            "405": _("The API is read-only: GET only."),
        },
    })
    response.headers["Cache-Control"] = LIST_CACHE
    return response


@bp.route("/offers")
@public
def offers():
    """Published technology offers matching the filters, one page at a time."""
    return _list("offer")


@bp.route("/offers/<int:listing_id>")
@public
def offer(listing_id):
    """One public technology offer."""
    return _detail("offer", listing_id)


@bp.route("/needs")
@public
def needs():
    """Published technology needs matching the filters, one page at a time."""
    return _list("need")


@bp.route("/needs/<int:listing_id>")
@public
def need(listing_id):
    """One public technology need."""
    return _detail("need", listing_id)


def _matches(kind, listing_id):
    """A listing's suggested matches, for those who may see them; 404 for everyone else (as for a listing
    that does not exist), so the answer never tells whose suggestions exist."""
    from flask_login import current_user

    from marketplace.core.policy import can
    from marketplace.matching import services as matching

    args = services.check_matches_args(request.args)
    listing = services.public_listing(listing_id, kind)
    if listing is None or not can(current_user, "matching.view", listing):
        return _not_found(kind, listing_id)
    response = jsonify(match_list(listing, matching.suggestions(listing, args["limit"])))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/needs/<int:listing_id>/matches")
@checks("matching.view")
def need_matches(listing_id):
    """The offers suggested for a need, best first, with their reasons and what they break (?limit=K)."""
    return _matches("need", listing_id)


@bp.route("/offers/<int:listing_id>/matches")
@checks("matching.view")
def offer_matches(listing_id):
    """The needs suggested for an offer, best first, with their reasons and what they break (?limit=K)."""
    return _matches("offer", listing_id)


@bp.route("/ip")
@public
def ip_assets():
    """Published IP assets matching the filters, one page at a time."""
    return _list("ip")


@bp.route("/ip/<int:listing_id>")
@public
def ip_asset(listing_id):
    """One public IP asset."""
    return _detail("ip", listing_id)


@bp.route("/search")
@public
def search():
    """Search published offers, needs, IP assets and organisations: ranked hits, facets, a suggestion."""
    from marketplace.search import services as search_services

    args = search_services.parse_search_args(request.args, strict=True)
    results = search_services.search(args)
    return jsonify(search_item(results))


@bp.route("/sectors")
@public
def sectors():
    """The national S&T classification: fields (level 1) and sectors (level 2)."""
    services.require_no_params(request.args)
    items = [sector_item(sector) for sector in services.all_sectors()]
    response = jsonify({"items": items, "total": len(items)})
    response.headers["Cache-Control"] = LIST_CACHE
    return response


@bp.route("/localities")
@public
def localities():
    """The localities listings and organisations belong to."""
    services.require_no_params(request.args)
    items = [locality_item(locality) for locality in services.all_localities()]
    response = jsonify({"items": items, "total": len(items)})
    response.headers["Cache-Control"] = LIST_CACHE
    return response
