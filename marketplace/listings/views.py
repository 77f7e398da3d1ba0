"""Browse, detail, create/edit, lifecycle and moderation pages."""
from marketplace.core.policy import checks, public, requires
from marketplace.listings import bp


@bp.route("/browse")
@public
def browse():
    """TODO placeholder."""
    return "browse"


@bp.route("/listings/<int:listing_id>")
@checks("listing.view")
def detail(listing_id):
    """TODO placeholder."""
    return "detail"


@bp.route("/my/listings")
@requires("account.profile")
def mine():
    """TODO placeholder."""
    return "mine"


@bp.route("/moderation")
@requires("moderation.queue")
def moderation():
    """TODO placeholder."""
    return "moderation"
