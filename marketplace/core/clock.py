"""The exchange's clock: the current time, today's date and times shown to people, in the app's timezone.

The database keeps UTC. People live in the exchange's timezone (BABEL_DEFAULT_TIMEZONE, Asia/Ho_Chi_Minh), seven
hours ahead of the servers' UTC: between 00:00 and 07:00 there, the server's own date is still yesterday. So a
date shown next to a time, and "today" in a rule ("the signing date cannot be in the future"), are both taken in
the app's timezone, never in the server's. The current time comes from core.models.utcnow, looked up when it is
needed, so a test that sets that clock sets today too.
"""
from datetime import timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from marketplace.core import models

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def app_timezone():
    """The app's timezone (BABEL_DEFAULT_TIMEZONE; Asia/Ho_Chi_Minh outside an app)."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local(value):
    """A datetime in the app's timezone. A naive one is taken as UTC: that is what the database keeps, and SQLite
    hands it back without its zone."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(app_timezone())


def now():
    """The current time in the app's timezone."""
    return local(models.utcnow())


def today():
    """Today's date in the app's timezone."""
    return now().date()
