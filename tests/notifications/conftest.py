"""Fixtures of the notification tests: the outbox's messages, a notification factory."""
import email
import email.policy
import os

import pytest


@pytest.fixture
def outbox(app):
    """outbox() -> the messages written to the outbox folder so far, parsed, oldest first."""

    def read():
        folder = app.config["MAIL_OUTBOX"]
        if not os.path.isdir(folder):
            return []
        paths = [os.path.join(folder, name) for name in os.listdir(folder)]
        messages = []
        for path in sorted(paths, key=os.path.getmtime):
            with open(path, "rb") as fh:
                messages.append(email.message_from_bytes(fh.read(), policy=email.policy.default))
        return messages

    return read


@pytest.fixture
def make_notification(db):
    """make_notification(user, kind='test.hello', params=None, url='/') -> a committed Notification."""
    from flask_babel import lazy_gettext as _l

    from marketplace.notifications.services import message, notify

    message("test.hello", _l("Hello %(name)s"))

    def make(user, kind="test.hello", params=None, url="/", **fields):
        [row] = notify([user], kind, params if params is not None else {"name": "Lan"}, url)
        for key, value in fields.items():
            setattr(row, key, value)
        db.session.commit()
        return row

    return make


def body_of(msg):
    """The plain-text body of a message."""
    return msg.get_body(("plain",)).get_content()
