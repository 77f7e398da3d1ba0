"""E-mail of notifications: instant after the commit, a daily digest, none when off; a failing mail loses nothing."""
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l

from marketplace.core import clock
from marketplace.core.models import utcnow
from marketplace.notifications import delivery
from marketplace.notifications.models import Notification
from marketplace.notifications.services import message, notify
from tests.notifications.conftest import body_of

SECTOR = {"vi": "Khoa học nông nghiệp", "en": "Agricultural sciences"}


@pytest.fixture(autouse=True)
def sector_message():
    message("test.sector", _l("New in %(sector)s: %(title)s"))


def person(make_user, db, frequency="instant", locale="vi"):
    user = make_user()
    user.email_frequency = frequency
    user.locale = locale
    db.session.commit()
    return user


def tell(users, db, title="Máy sấy", commit=True):
    """One notification of a new listing in agricultural sciences for each of `users`."""
    rows = notify(users, "test.sector", {"sector": SECTOR, "title": title}, "/browse")
    if commit:
        db.session.commit()
    return rows


def test_instant_mail_goes_after_the_commit_in_the_readers_language(make_user, db, outbox, app):
    vi = person(make_user, db, locale="vi")
    en = person(make_user, db, locale="en")
    rows = tell([vi, en], db, commit=False)
    db.session.flush()
    assert outbox() == []  # nothing leaves before the commit
    db.session.commit()
    mails = {m["To"]: m for m in outbox()}
    assert set(mails) == {vi.email, en.email}
    assert "Khoa học nông nghiệp" in mails[vi.email]["Subject"] and "Agricultural" not in mails[vi.email]["Subject"]
    assert mails[en.email]["Subject"] == "New in Agricultural sciences: Máy sấy"
    assert f"http://127.0.0.1:5000/notifications/{rows[1].id}" in body_of(mails[en.email])
    assert "/notifications/settings" in body_of(mails[en.email])
    assert all(db.session.get(Notification, r.id).emailed_at is not None for r in rows)


def test_links_in_mail_use_the_public_address(make_user, db, outbox, app):
    app.config["PUBLIC_URL"] = "https://sangiaodich.example.vn"
    [row] = tell([person(make_user, db, locale="en")], db)
    assert f"https://sangiaodich.example.vn/notifications/{row.id}" in body_of(outbox()[0])


def test_a_rolled_back_notification_sends_nothing(make_user, db, outbox):
    user = person(make_user, db)
    tell([user], db, commit=False)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert outbox() == []
    assert db.session.query(Notification).count() == 0


def test_off_sends_nothing_ever(make_user, db, outbox):
    user = person(make_user, db, frequency="off")
    [row] = tell([user], db)
    row.created_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    assert delivery.send_digests() == 0
    assert outbox() == []
    assert db.session.get(Notification, row.id).emailed_at is None


def test_daily_readers_get_one_digest_a_day_with_what_they_have_not_read(make_user, db, outbox):
    user = person(make_user, db, frequency="daily", locale="en")
    first, second, read = (tell([user], db, title=t)[0] for t in ("Máy sấy", "Máy gặt", "Đã đọc"))
    read.read_at = utcnow()
    db.session.commit()
    assert outbox() == []  # nothing instantly
    assert delivery.send_digests() == 1
    [digest] = outbox()
    assert digest["To"] == user.email
    assert digest["Subject"].startswith("2 new notifications on")
    body = body_of(digest)
    assert "Máy sấy" in body and "Máy gặt" in body and "Đã đọc" not in body
    assert f"/notifications/{first.id}" in body and f"/notifications/{second.id}" in body
    assert db.session.get(Notification, first.id).emailed_at is not None
    assert db.session.get(Notification, read.id).emailed_at is None
    # The same day, however often the task runs: no second digest, even with something new.
    tell([user], db, title="Máy cày")
    assert delivery.send_digests() == 0
    assert len(outbox()) == 1
    # The next day the new one comes, alone.
    assert delivery.send_digests(today=clock.today() + timedelta(days=1)) == 1
    body = body_of(outbox()[-1])
    assert "Máy cày" in body and "Máy sấy" not in body


def test_digests_group_by_person(make_user, db, outbox):
    a = person(make_user, db, frequency="daily", locale="vi")
    b = person(make_user, db, frequency="daily", locale="en")
    tell([a, b], db, title="Một")
    tell([a], db, title="Hai")
    assert delivery.send_digests() == 2
    mails = {m["To"]: body_of(m) for m in outbox()}
    assert "Một" in mails[a.email] and "Hai" in mails[a.email] and "Khoa học nông nghiệp" in mails[a.email]
    assert "Một" in mails[b.email] and "Hai" not in mails[b.email] and "Agricultural sciences" in mails[b.email]


def test_the_digest_command(make_user, db, outbox, runner):
    tell([person(make_user, db, frequency="daily")], db)
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0 and "1 digests sent" in result.output
    assert len(outbox()) == 1
    assert "0 digests sent" in runner.invoke(args=["notifications", "digest"]).output


def test_the_digest_is_a_daily_task(make_user, db, outbox, app):
    from marketplace.core import daily

    tell([person(make_user, db, frequency="daily")], db)
    daily._LAST_SEEN.clear()
    assert daily.run_if_due(app, today=clock.today() + timedelta(days=3))
    assert len(outbox()) == 1


def test_a_failing_mail_keeps_the_notification_and_is_tried_again(make_user, db, outbox, monkeypatch):
    user = person(make_user, db, locale="en")

    def broken(*args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr(delivery, "send_mail", broken)
    [row] = tell([user], db)  # the commit succeeds
    kept = db.session.get(Notification, row.id)
    assert kept is not None and kept.emailed_at is None and kept.read_at is None
    monkeypatch.undo()
    kept.created_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    assert delivery.send_digests() == 1  # the daily run sends what could not be sent
    assert "Agricultural sciences" in body_of(outbox()[0])
    assert delivery.send_digests(today=clock.today() + timedelta(days=1)) == 0  # and only once


def test_a_failing_digest_is_sent_on_the_next_run(make_user, db, outbox, monkeypatch):
    user = person(make_user, db, frequency="daily")
    tell([user], db)
    monkeypatch.setattr(delivery, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("down")))
    assert delivery.send_digests() == 0
    monkeypatch.undo()
    assert delivery.send_digests() == 1
    assert len(outbox()) == 1


def test_a_read_notification_is_not_mailed(make_user, db, outbox):
    user = person(make_user, db, frequency="daily")
    [row] = tell([user], db)
    row.read_at = utcnow()
    db.session.commit()
    assert delivery.send_digests() == 0 and outbox() == []


def test_an_inactive_person_gets_no_mail(make_user, db, outbox):
    user = person(make_user, db, frequency="daily")
    tell([user], db)
    user.active = False
    db.session.commit()
    assert delivery.send_digests() == 0 and outbox() == []
