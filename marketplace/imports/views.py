"""The department's import page."""
from flask import Blueprint

from marketplace.core.policy import requires

bp = Blueprint("imports", __name__)


@bp.route("/import", methods=["GET", "POST"])
@requires("listing.import")
def upload():
    """TODO placeholder."""
    return "import"
