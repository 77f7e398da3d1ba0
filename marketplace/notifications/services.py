"""Notifications: features call `notify(...)` inside their own transaction; the rows are committed with the
change that caused them (a notification never tells of something that was rolled back).

Each feature registers the sentence of each of its kinds with `message(kind, text)`, a lazy_gettext string with
%(name)s placeholders filled from the notification's params, so the inbox shows it in the reader's language.
A parameter may itself be a {"vi": ..., "en": ...} mapping (a sector's name): the reader's language is picked.

E-mail goes out after the commit (marketplace/notifications/delivery.py); this module keeps the inbox.
"""
import logging
from collections import defaultdict

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import EMAIL_FREQUENCIES, Notification

log = logging.getLogger(__name__)

_MESSAGES = {}


def message(kind, text):
    """Register the sentence shown for notifications of `kind`."""
    _MESSAGES[kind] = text


def _in_language(value, lang):
    """A {"vi": ..., "en": ...} parameter in the reader's language (Vietnamese when the other is missing)."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("vi") or next(iter(value.values()), "")
    return value


def text_of(notification):
    """The notification's sentence in the current language; a missing parameter shows as empty, never fails."""
    template = _MESSAGES.get(notification.kind)
    if template is None:
        return str(_l("Notification"))
    lang = str(get_locale() or "vi")[:2]
    params = defaultdict(str, {k: _in_language(v, lang) for k, v in (notification.params or {}).items()})
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


# --- the inbox -------------------------------------------------------------------------------------------

def unread_count(user):
    """How many of the person's notifications are unread (one COUNT on the (user_id, read_at) index)."""
    return db.session.scalar(db.select(db.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def inbox(user, page, per_page):
    """(notifications of one page, newest first; how many the person has in all)."""
    total = db.session.scalar(db.select(db.func.count(Notification.id)).where(Notification.user_id == user.id))
    items = db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                               .order_by(Notification.created_at.desc(), Notification.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return items, total or 0


def safe_target(url, default):
    """Where opening a notification leads: its own path on this site, never another site."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url


def mark_read(notification):
    """Mark one notification read (it stays read; opening it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(user):
    """Mark every unread notification of the person read; returns how many were unread."""
    result = db.session.execute(db.update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount or 0


def set_email_frequency(user, frequency):
    """How notifications reach the person by e-mail: "instant", "daily" or "off"."""
    if frequency not in EMAIL_FREQUENCIES:
        raise ValidationError(_("Choose how often to receive e-mail."), field="email_frequency")
    user.email_frequency = frequency
    db.session.commit()
    return user
