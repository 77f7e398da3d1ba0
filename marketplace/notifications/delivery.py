"""E-mail for notifications, always after the commit that made them and never inside a request's transaction.

- "instant": a flush that adds Notification rows notes their ids on the session; after the commit they are
  e-mailed as a job (core.jobs.enqueue: inline in the embedded default), one message per notification.
- "daily": `send_digests()` (a daily task in the embedded default, `flask notifications digest` from cron at
  scale) sends each person one message a day with what is neither e-mailed nor read. It also retries instant
  messages that could not be sent.
- "off": nothing.

A notification is claimed before its message goes out (emailed_at set where it was empty, committed), so two
processes never send it twice; a failed send clears the claim again. A failing mail never loses the
notification, which stays in the inbox, nor breaks the request that made it.
"""
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.accounts.models import User
from marketplace.core import clock
from marketplace.core.daily import daily_task
from marketplace.core.jobs import enqueue
from marketplace.core.mail import public_url, send_mail
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.notifications.models import EmailDigest, Notification
from marketplace.notifications.services import text_of

log = logging.getLogger(__name__)

_PENDING = "notifications_to_email"
SUBJECT_CHARS = 150
DIGEST_MAX_ITEMS = 50  # listed in one digest; the rest are counted and wait in the inbox
DIGEST_MAX_DAYS = 7  # older unread notifications are not e-mailed any more (someone who turned e-mail back on)
INSTANT_RETRY_AFTER = timedelta(minutes=10)  # an instant message still unsent by then goes in the next digest


# --- after the commit ------------------------------------------------------------------------------------

def _after_flush(session, flush_context):
    ids = [obj.id for obj in session.new if isinstance(obj, Notification) and obj.id is not None]
    if ids:
        session.info.setdefault(_PENDING, []).extend(ids)


def _after_commit(session):
    ids = session.info.pop(_PENDING, None)
    if ids:
        enqueue(send_instant, ids)


def _after_soft_rollback(session, previous_transaction):
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def register_events():
    """E-mail instant notifications after each commit of a Flask-SQLAlchemy session (once per process)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_flush", _after_flush):
        event.listen(FlaskSession, "after_flush", _after_flush)
        event.listen(FlaskSession, "after_commit", _after_commit)
        event.listen(FlaskSession, "after_soft_rollback", _after_soft_rollback)


def _claim(session, where):
    """Set emailed_at on the unread, not yet e-mailed notifications `where` selects; their ids (committed)."""
    stmt = (db.update(Notification)
            .where(Notification.emailed_at.is_(None), Notification.read_at.is_(None), *where)
            .values(emailed_at=utcnow()).returning(Notification.id))
    ids = list(session.scalars(stmt))
    session.commit()
    return ids


def _release(session, ids):
    """Clear the claim of notifications whose message could not be sent (the next digest tries again)."""
    if ids:
        session.execute(db.update(Notification).where(Notification.id.in_(ids)).values(emailed_at=None))
        session.commit()


def send_instant(ids):
    """E-mail each of these notifications whose reader chose "instant"; returns how many went out.

    Runs in a session of its own: it is called from another session's commit."""
    instant = db.select(User.id).where(User.email_frequency == "instant", User.active.is_(True))
    sent, failed = 0, []
    with Session(db.engine, expire_on_commit=False) as session:
        claimed = _claim(session, (Notification.id.in_(list(ids)), Notification.user_id.in_(instant)))
        if not claimed:
            return 0
        rows = session.execute(db.select(Notification, User).join(User, User.id == Notification.user_id)
                               .where(Notification.id.in_(claimed)).order_by(Notification.id)).all()
        for notification, user in rows:
            try:
                _send_one(notification, user)
                sent += 1
            except Exception:  # the notification stays in the inbox; the daily run tries the mail again
                log.exception("notifications: e-mail of notification %s to user %s failed", notification.id, user.id)
                failed.append(notification.id)
        _release(session, failed)
    return sent


def _open_link(notification):
    return public_url("notifications.open", notification_id=notification.id)


def _footer(user):
    if user.email_frequency == "daily":
        why = _("You receive one e-mail a day with your unread notifications.")
    else:
        why = _("You receive an e-mail for each notification.")
    return ["", "--", why, _("Change this or turn e-mail off: %(url)s", url=public_url("notifications.settings"))]


def _send_one(notification, user):
    """One notification's message, in the reader's language."""
    with force_locale(user.locale or "vi"):
        text = text_of(notification)
        subject = text if len(text) <= SUBJECT_CHARS else text[:SUBJECT_CHARS - 1] + "…"
        body = [text, "", _("Open it: %(url)s", url=_open_link(notification))] + _footer(user)
        send_mail(user.email, subject, "\n".join(body))


# --- the daily digest ------------------------------------------------------------------------------------

def _claim_day(session, user_id, today):
    """Record that the person's digest of `today` is going out; False when one already went (or is going)."""
    claimed = session.execute(db.update(EmailDigest).where(EmailDigest.user_id == user_id,
                                                           EmailDigest.sent_on < today)
                              .values(sent_on=today, sent_at=utcnow())).rowcount
    if claimed:
        return True
    if session.get(EmailDigest, user_id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(EmailDigest(user_id=user_id, sent_on=today))
    except IntegrityError:  # another process claimed it first
        return False
    return True


def send_digests(today=None):
    """One e-mail per person and day listing their notifications neither e-mailed nor read: for those who chose
    "daily", and for "instant" readers whose messages could not be sent. Returns how many digests went out."""
    today = today or clock.today()
    now = utcnow()
    since = now - timedelta(days=DIGEST_MAX_DAYS)
    due = db.or_(User.email_frequency == "daily",
                 db.and_(User.email_frequency == "instant", Notification.created_at <= now - INSTANT_RETRY_AFTER))
    sent = 0
    with Session(db.engine, expire_on_commit=False) as session:
        user_ids = session.scalars(
            db.select(Notification.user_id).join(User, User.id == Notification.user_id)
            .where(User.active.is_(True), Notification.emailed_at.is_(None), Notification.read_at.is_(None),
                   Notification.created_at >= since, due)
            .distinct()).all()
        for user_id in sorted(user_ids):
            try:
                sent += _send_digest(session, session.get(User, user_id), today, since, now)
            except Exception:  # one person's failure must not stop the others' digests
                session.rollback()
                log.exception("notifications: digest for user %s failed", user_id)
    return sent


def _send_digest(session, user, today, since, now):
    """The digest of one person (1 when it went out, 0 otherwise)."""
    if user is None or user.email_frequency == "off":
        return 0
    previous = session.get(EmailDigest, user.id)
    previous = (previous.sent_on, previous.sent_at) if previous else None
    if not _claim_day(session, user.id, today):
        session.rollback()
        return 0
    where = [Notification.user_id == user.id, Notification.created_at >= since]
    if user.email_frequency == "instant":
        where.append(Notification.created_at <= now - INSTANT_RETRY_AFTER)
    ids = _claim(session, where)  # commits the day's claim with the notifications'
    if not ids:
        _forget_day(session, user.id, previous)
        return 0
    items = session.scalars(db.select(Notification).where(Notification.id.in_(ids))
                            .order_by(Notification.created_at.desc(), Notification.id.desc())).all()
    try:
        _send_digest_mail(user, items)
    except Exception:
        log.exception("notifications: digest e-mail to user %s failed", user.id)
        _release(session, ids)
        _forget_day(session, user.id, previous)
        return 0
    return 1


def _forget_day(session, user_id, previous):
    """Undo a day's claim (nothing was sent): the next run may send the digest."""
    if previous is None:
        session.execute(db.delete(EmailDigest).where(EmailDigest.user_id == user_id))
    else:
        session.execute(db.update(EmailDigest).where(EmailDigest.user_id == user_id)
                        .values(sent_on=previous[0], sent_at=previous[1]))
    session.commit()


def _send_digest_mail(user, items):
    with force_locale(user.locale or "vi"):
        exchange = current_app.config["EXCHANGE_NAME"]
        subject = ngettext("%(num)s new notification on %(exchange)s", "%(num)s new notifications on %(exchange)s",
                           len(items), exchange=exchange)
        body = [subject, ""]
        for notification in items[:DIGEST_MAX_ITEMS]:
            body += ["• " + text_of(notification), "  " + _open_link(notification), ""]
        if len(items) > DIGEST_MAX_ITEMS:
            body += [_("… and %(num)s more in your inbox.", num=len(items) - DIGEST_MAX_ITEMS), ""]
        body.append(_("Your inbox: %(url)s", url=public_url("notifications.inbox")))
        body += _footer(user)
        send_mail(user.email, subject, "\n".join(body))


@daily_task
def daily_digests():
    """The daily digests, in the embedded default (no cron there)."""
    return send_digests()
