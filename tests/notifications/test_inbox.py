"""The inbox: the list, the unread badge, opening (only one's own), mark all read, e-mail settings."""
import re
from datetime import timedelta

import pytest

from marketplace.core.models import utcnow
from marketplace.notifications.models import Notification

EN = {"Accept-Language": "en"}


@pytest.fixture
def reader(make_user, db):
    """A person who reads in English and gets no e-mail (the inbox tests need none)."""
    user = make_user()
    user.locale = "en"
    user.email_frequency = "off"
    db.session.commit()
    return user


def page(response):
    return response.get_data(as_text=True)


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # the badge's JSON answers JSON: 401 with the API's error body, not the sign-in page
    client.get("/lang/en")
    response = client.get("/notifications/unread-count")
    assert response.status_code == 401 and response.is_json
    assert response.get_json() == {"error": {"code": 401, "message": "Please sign in to continue."}}


def test_inbox_lists_newest_first_with_unread_marked(client, login, reader, make_notification, db):
    old = make_notification(reader, params={"name": "Old"}, url="/browse")
    old.created_at = utcnow() - timedelta(days=2)
    old.read_at = utcnow() - timedelta(days=1)
    make_notification(reader, params={"name": "New"}, url="/search")
    db.session.commit()
    login(reader)
    body = page(client.get("/notifications", headers=EN))
    assert body.index("Hello New") < body.index("Hello Old")
    assert body.count('data-unread="true"') == 1
    assert 'id="inbox-unread">1 unread' in body


def test_the_sentence_shows_in_the_readers_language(client, login, reader, make_notification, db):
    """A parameter given in both languages (a sector's name) shows in the language of the page."""
    from flask_babel import lazy_gettext as _l

    from marketplace.notifications.services import message

    message("test.sector", _l("Sector %(sector)s"))
    make_notification(reader, kind="test.sector",
                      params={"sector": {"vi": "Khoa học nông nghiệp", "en": "Agricultural sciences"}})
    login(reader)
    assert "Sector Agricultural sciences" in page(client.get("/notifications", headers=EN))
    client.get("/lang/vi")
    assert "Khoa học nông nghiệp" in page(client.get("/notifications"))


def test_a_missing_parameter_or_unknown_kind_never_breaks_the_inbox(client, login, reader, make_notification):
    make_notification(reader, params={})
    make_notification(reader, kind="nobody.registered.this")
    login(reader)
    response = client.get("/notifications", headers=EN)
    assert response.status_code == 200
    assert "Hello " in page(response) and "Notification" in page(response)


def test_the_navigation_bar_counts_unread_on_every_page(client, login, reader, make_notification, make_user):
    for _ in range(3):
        make_notification(reader)
    make_notification(make_user())  # someone else's
    login(reader)
    for path in ("/", "/search?q=máy", "/profile"):
        body = page(client.get(path, headers=EN))
        assert 'id="unread-count">3<' in body, path
    assert client.get("/notifications/unread-count").get_json() == {"unread": 3}


def test_no_badge_without_unread(client, login, reader):
    login(reader)
    body = page(client.get("/"))
    assert 'id="nav-notifications"' in body and 'id="unread-count"' not in body


def test_opening_marks_read_and_goes_to_the_link(client, login, reader, make_notification, db):
    n = make_notification(reader, url="/browse?kind=offer")
    login(reader)
    response = client.get(f"/notifications/{n.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/browse?kind=offer")
    assert db.session.get(Notification, n.id).read_at is not None
    assert client.get("/notifications/unread-count").get_json() == {"unread": 0}
    assert client.get(f"/notifications/{n.id}").status_code == 302  # opening again is fine


def test_someone_elses_notification_answers_404_and_stays_unread(client, login, reader, make_user, make_notification,
                                                                 db):
    other = make_user()
    theirs = make_notification(other, url="/secret")
    login(reader)
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.get("/notifications/999999").status_code == 404
    assert client.get("/notifications/99999999999999999999").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_a_link_to_another_site_is_not_followed(client, login, reader, make_notification):
    n = make_notification(reader, url="//evil.example/phish")
    login(reader)
    response = client.get(f"/notifications/{n.id}")
    assert response.headers["Location"].endswith("/notifications")


def test_mark_all_read_touches_only_ones_own(client, login, reader, make_user, make_notification, db):
    mine = [make_notification(reader) for _ in range(2)]
    theirs = make_notification(make_user())
    login(reader)
    response = client.post("/notifications/read-all", headers=EN)
    assert response.status_code == 302
    assert all(db.session.get(Notification, n.id).read_at for n in mine)
    assert db.session.get(Notification, theirs.id).read_at is None
    body = page(client.get("/notifications", headers=EN))
    assert 'data-unread="true"' not in body and 'id="read-all"' not in body


def test_the_inbox_is_paginated(client, login, reader, make_notification, db):
    for i in range(25):
        n = make_notification(reader, params={"name": f"n{i:02d}"})
        n.created_at = utcnow() - timedelta(minutes=100 - i)
    db.session.commit()
    login(reader)
    first = page(client.get("/notifications", headers=EN))
    second = page(client.get("/notifications?page=2", headers=EN))
    assert first.count('class="list-group-item') == 20 and second.count('class="list-group-item') == 5
    assert "Hello n24" in first and "Hello n00" in second and "Hello n00" not in first
    assert client.get("/notifications?page=abc").status_code == 200


def test_an_empty_inbox_says_how_to_get_notifications(client, login, reader):
    login(reader)
    assert "Save a search or follow a sector" in page(client.get("/notifications", headers=EN))


def test_email_settings_change_the_frequency(client, login, reader, db):
    login(reader)
    body = page(client.get("/notifications/settings", headers=EN))
    checked = re.findall(r'<input[^>]*checked[^>]*>', body)
    assert len(checked) == 1 and 'value="off"' in checked[0]
    response = client.post("/notifications/settings", data={"email_frequency": "daily"}, headers=EN)
    assert response.status_code == 302
    db.session.refresh(reader)
    assert reader.email_frequency == "daily"


def test_a_bad_frequency_is_refused_and_changes_nothing(client, login, reader, db):
    login(reader)
    response = client.post("/notifications/settings", data={"email_frequency": "hourly"}, headers=EN)
    assert response.status_code == 200 and "Not a valid choice" in page(response)
    db.session.refresh(reader)
    assert reader.email_frequency == "off"
