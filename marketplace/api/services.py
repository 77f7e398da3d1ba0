"""What the read API asks of the database: strict argument checks, public listings, reference tables.

The filters themselves are the browse pages' (listings.services.parse_filters / browse_query / paginate);
this module only adds what a machine client needs: unknown or repeated parameters and bad page numbers
are errors, not silently dropped.
"""
import re

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from marketplace.core.errors import ValidationError
from marketplace.core.params import check_params
from marketplace.core.pagination import DEFAULT_PER_PAGE, MAX_PER_PAGE
from marketplace.core.policy import can
from marketplace.extensions import db
from marketplace.listings import services as listing_services
from marketplace.listings.models import Listing
from marketplace.reference.models import Locality, Sector

# Far beyond any real page; keeps OFFSET within what every database accepts.
MAX_PAGE = 1_000_000
# Ids above this cannot exist and would overflow a 64-bit integer in the database driver.
MAX_ID = 2**63 - 1
LIST_PARAMS = listing_services.FILTER_KEYS + ("page", "per_page")
_NUMBER = re.compile(r"[0-9]{1,9}")
def require_no_params(args):
    """Raise ValidationError when an endpoint that takes no parameters is given some."""
    errors = check_params(args)
    if errors:
        raise ValidationError(errors=errors)


def _page_number(args, name, default, high, errors):
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= high:
        errors.setdefault(name, []).append(
            _("%(name)s must be a whole number from 1 to %(max)s.", name=name, max=high))
        return default
    return int(value)


def parse_list_args(args, kind):
    """(filters, page, per_page) from a list request's arguments; every problem at once in a ValidationError."""
    errors = check_params(args, LIST_PARAMS)
    page = _page_number(args, "page", 1, MAX_PAGE, errors)
    per_page = _page_number(args, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE, errors)
    filters = None
    try:
        filters = listing_services.parse_filters(
            {k: v for k, v in args.items() if k in listing_services.FILTER_KEYS}, kinds=(kind,), strict=True)
    except ValidationError as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors=errors)
    return filters, page, per_page


def check_matches_args(args):
    """{"limit": K} of a matches request (1 to 50, default 10); every problem at once in a ValidationError."""
    from marketplace.matching.services import MAX_LIMIT

    errors = check_params(args, ("limit",))
    limit = _page_number(args, "limit", 10, MAX_LIMIT, errors)
    if errors:
        raise ValidationError(errors=errors)
    return {"limit": limit}


def search_listings(filters, page, per_page):
    """(listings, total) of published listings matching the filters, one page of them."""
    stmt = listing_services.browse_query(filters).options(selectinload(Listing.owner))
    return listing_services.paginate(stmt, page, per_page)


def public_listing(listing_id, kind):
    """The listing of that kind a visitor may see, or None (unknown, other kind, draft, withdrawn, ...)."""
    if not 0 < listing_id <= MAX_ID:
        return None
    listing = listing_services.get_listing(listing_id, kind=kind)
    if listing is None or not can(None, "listing.view", listing):
        return None
    return listing


def visible(listings):
    """Only the listings a visitor may see, e.g. among an offer's linked IP assets."""
    return [item for item in listings if can(None, "listing.view", item)]


def all_sectors():
    """Every field and sector, by code."""
    return db.session.scalars(db.select(Sector).order_by(Sector.code)).all()


def all_localities():
    """Every locality, by code."""
    return db.session.scalars(db.select(Locality).order_by(Locality.code)).all()
