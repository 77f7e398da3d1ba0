"""Home page, language switch, /healthz."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from sqlalchemy import text

from marketplace.core.policy import public
from marketplace.extensions import db
from marketplace.listings import services as listing_services
from marketplace.search import services as search_services

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def home():
    """The exchange's front page: counts, latest offers and needs, search box."""
    return render_template(
        "main/home.html",
        counts=listing_services.public_counts(),
        offers=listing_services.latest("offer"),
        needs=listing_services.latest("need"),
    )


def safe_next(target, default="/"):
    """Only allow redirects to paths on this site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.route("/lang/<lang>")
@public
def set_language(lang):
    """Switch the interface language (vi or en) and go back."""
    if lang in ("vi", "en"):
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next")))


@bp.route("/healthz")
@public
def healthz():
    """Database and search status as JSON: 503 when the database does not answer; "degraded" (200) when the
    search index is missing or broken and search answers from the database instead."""
    try:
        db.session.execute(text("SELECT 1"))
        search_status, search_detail = search_services.health()
        response = jsonify({"status": "ok" if search_status == "ok" else "degraded", "database": "ok",
                            "search": search_status, "search_detail": search_detail})
    except Exception as exc:  # any database failure is reported, never raised
        current_app.logger.warning("health check: database unavailable: %s", exc)
        try:
            db.session.rollback()
        except Exception:  # a dead connection may refuse even the rollback; the answer stays 503
            pass
        response = jsonify({"status": "error", "database": "error", "detail": type(exc).__name__})
        response.status_code = 503
    # a load balancer must see the state of now, not a cached one
    response.headers["Cache-Control"] = "no-store"
    return response
