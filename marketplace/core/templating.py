"""Template filters and globals: money, dates, labels, the access policy."""
from datetime import date, datetime
from urllib.parse import urlencode

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from marketplace.core.clock import local
from marketplace.core.policy import can


def format_vnd(value):
    """12500000 -> '12.500.000 ₫' (Vietnamese grouping)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".") + " ₫"


def format_date(value):
    """A date or datetime as DD/MM/YYYY; a datetime is first taken to the app's timezone (the database keeps UTC:
    an evening in UTC is the next morning in Viet Nam)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime writes year 1 as "1"
    return str(value)


def format_datetime(value):
    """A datetime as DD/MM/YYYY HH:MM in the app's timezone."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value)
    value = local(value)
    return f"{format_date(value.date())} {value.hour:02d}:{value.minute:02d}"


def paragraphs(text):
    """Plain text with blank-line paragraphs and line breaks, escaped."""
    if not text:
        return ""
    parts = [escape(p).replace("\n", Markup("<br>")) for p in str(text).split("\n\n")]
    return Markup("".join(Markup("<p>") + p + Markup("</p>") for p in parts))


def url_with(**changes):
    """The current URL with some query arguments changed (None removes one); page resets unless given."""
    args = request.args.to_dict(flat=True)
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    query = urlencode(args)
    return request.path + ("?" + query if query else "")


def init_app(app):
    """Register the filters and globals every page uses (features add their own labels in create_app)."""
    app.jinja_env.filters["vnd"] = format_vnd
    app.jinja_env.filters["dmy"] = format_date
    app.jinja_env.filters["dmy_hm"] = format_datetime
    app.jinja_env.filters["paragraphs"] = paragraphs
    app.jinja_env.globals["url_with"] = url_with

    @app.context_processor
    def inject():
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "exchange_name": current_app.config["EXCHANGE_NAME"],
            "province": current_app.config["PROVINCE"],
            "current_lang": str(get_locale() or "vi"),
        }
