"""Read-only JSON API."""
from flask import Blueprint, jsonify

from marketplace.core.policy import public

bp = Blueprint("api", __name__)


@bp.route("/")
@public
def index():
    """TODO placeholder."""
    return jsonify({})
