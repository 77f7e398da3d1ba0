"""Notifications: features call `notify(...)` inside their own transaction; the rows are committed with the
change that caused them (a notification never tells of something that was rolled back).

Each feature registers the sentence of each of its kinds with `message(kind, text)`, a lazy_gettext string with
%(name)s placeholders filled from the notification's params, so the inbox shows it in the reader's language.
"""
import logging
from collections import defaultdict

from flask_babel import lazy_gettext as _l

from marketplace.extensions import db
from marketplace.notifications.models import Notification

log = logging.getLogger(__name__)

_MESSAGES = {}


def message(kind, text):
    """Register the sentence shown for notifications of `kind`."""
    _MESSAGES[kind] = text


def text_of(notification):
    """The notification's sentence in the current language; a missing parameter shows as empty, never fails."""
    template = _MESSAGES.get(notification.kind)
    if template is None:
        return str(_l("Notification"))
    params = defaultdict(str, notification.params or {})
    try:
        return str(template) % params
    except (TypeError, ValueError):  # a translation with a broken placeholder must not break the inbox
        log.warning("notification %s: cannot fill %r", notification.kind, str(template))
        return str(template)


def notify(users, kind, params=None, url=""):
    """Add a notification of `kind` for each active person in `users` (duplicates and None skipped) to the
    current session, without committing; returns the new rows."""
    rows, seen = [], set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        row = Notification(user_id=user.id, kind=kind, params=dict(params or {}), url=url or "")
        db.session.add(row)
        rows.append(row)
    return rows


def notify_org(org, kind, params=None, url="", exclude=None):
    """Notify every active member of an organisation (except `exclude`, usually the person who acted)."""
    members = [] if org is None else [u for u in org.members if exclude is None or u.id != exclude.id]
    return notify(members, kind, params, url)
