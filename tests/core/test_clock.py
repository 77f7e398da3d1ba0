"""Dates and times people read are in the exchange's timezone (Asia/Ho_Chi_Minh), not the server's UTC."""
from datetime import date, datetime, timedelta, timezone

from marketplace.core import clock, models
from marketplace.core.templating import format_date, format_datetime

# 20:30 UTC on 1 March is 03:30 on 2 March in Viet Nam
EVENING_UTC = datetime(2026, 3, 1, 20, 30, tzinfo=timezone.utc)


def test_dates_and_times_are_shown_in_vietnam_time(app):
    with app.app_context():
        assert format_date(EVENING_UTC) == "02/03/2026"
        assert format_date(EVENING_UTC.replace(tzinfo=None)) == "02/03/2026"  # SQLite hands back naive UTC
        assert format_datetime(EVENING_UTC) == "02/03/2026 03:30"
        assert format_date(date(2026, 3, 1)) == "01/03/2026"  # a date is a date: nothing to convert


def test_an_early_year_is_written_with_four_digits(app):
    with app.app_context():
        assert format_date(date(1, 1, 1)) == "01/01/0001"


def test_today_is_the_date_in_vietnam(app, monkeypatch):
    monkeypatch.setattr(models, "utcnow", lambda: EVENING_UTC)
    with app.app_context():
        assert clock.today() == date(2026, 3, 2)
        app.config["BABEL_DEFAULT_TIMEZONE"] = "UTC"
        assert clock.today() == date(2026, 3, 1)


def test_the_inbox_shows_the_time_in_vietnam(app, db, client, login, make_user):
    from marketplace.notifications.models import Notification

    user = make_user("member")
    db.session.add(Notification(user_id=user.id, kind="deal_note", params={"deal_ref": "GD-2026-0001"}, url="/",
                                created_at=EVENING_UTC - timedelta(hours=1)))
    db.session.commit()
    login(user)
    page = client.get("/notifications").get_data(as_text=True)
    assert "02/03/2026 02:30" in page
    assert "19:30" not in page
