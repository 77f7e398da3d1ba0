"""Saved searches and followed sectors: saving, following, deleting, and the notifications of new listings."""
from datetime import timedelta

import pytest

from marketplace.core.models import utcnow
from marketplace.notifications import alerts
from marketplace.notifications.models import ListingAnnouncement, Notification, SavedSearch, SectorFollow

EN = {"Accept-Language": "en"}


def page(response):
    return response.get_data(as_text=True)


@pytest.fixture
def seeker(make_user, db):
    """An enterprise's member who reads in English and gets no e-mail."""
    user = make_user(org_kind="enterprise")
    user.locale = "en"
    user.email_frequency = "off"
    db.session.commit()
    return user


@pytest.fixture
def provider_org(make_org):
    """The institute that publishes the new listings."""
    return make_org("institute")


def notes(db, user):
    """The person's notifications, oldest first."""
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)
                              .order_by(Notification.id)).all()


def save(user, db, **args):
    """Save a search for `user` through the service."""
    return alerts.save_search(user, args)


# --- saving and following from the pages ---------------------------------------------------------------

def test_the_search_page_offers_to_save_and_follow_to_signed_in_people(client, login, seeker):
    body = page(client.get("/search?q=máy+sấy&sector_code=202", headers=EN))
    assert 'id="save-search"' not in body and 'id="follow-sector"' not in body
    login(seeker)
    body = page(client.get("/search?q=máy+sấy&sector_code=202", headers=EN))
    assert 'id="save-search"' in body and "Follow this sector" in body
    assert 'id="follow-sector"' not in page(client.get("/search?q=máy+sấy", headers=EN))


def test_browse_by_sector_and_the_listing_page_offer_to_follow_its_sector(client, login, seeker, make_listing, db):
    listing = make_listing("offer", sector_code="202")
    assert 'id="follow-sector"' not in page(client.get(f"/listings/{listing.id}"))
    login(seeker)
    body = page(client.get(f"/listings/{listing.id}", headers=EN))
    assert 'action="/sectors/202/follow"' in body and "Follow this sector" in body
    assert 'action="/sectors/2/follow"' in page(client.get("/offers?sector_code=2", headers=EN))
    assert 'id="follow-sector"' not in page(client.get("/offers", headers=EN))
    client.post("/sectors/202/follow")
    body = page(client.get(f"/listings/{listing.id}", headers=EN))
    assert 'action="/sectors/202/unfollow"' in body and "Unfollow this sector" in body


def test_saving_keeps_the_text_and_filters_as_the_search_form_reads_them(client, login, seeker, db):
    login(seeker)
    response = client.post("/saved-searches", headers=EN, data={
        "q": "  máy   sấy  nông sản ", "kind": "offer", "sector_code": "202", "trl_band": "7-9", "sort": "newest",
        "page": "3", "next": "/search?q=m%C3%A1y"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/search?q=m%C3%A1y")
    [saved] = db.session.scalars(db.select(SavedSearch)).all()
    assert saved.user_id == seeker.id
    assert saved.q == "máy sấy nông sản"
    assert saved.args == {"q": "máy sấy nông sản", "kind": "offer", "sector_code": "202", "trl_band": "7-9",
                          "sort": "newest"}
    body = page(client.get("/saved-searches", headers=EN))
    assert "“máy sấy nông sản”" in body and "Technology offer" in body and "TRL 7-9" in body
    assert "/search?" in body


def test_saving_an_empty_search_is_refused_with_a_message(client, login, seeker, db):
    login(seeker)
    response = client.post("/saved-searches", data={"q": "   "}, headers=EN, follow_redirects=True)
    assert "Type some words or choose a filter before saving a search." in page(response)
    response = client.post("/saved-searches", data={"q": "?!… ..."}, headers=EN, follow_redirects=True)
    assert "Punctuation and symbols alone find nothing" in page(response)
    assert db.session.query(SavedSearch).count() == 0


def test_bad_filters_are_refused_with_a_message(client, login, seeker, db):
    login(seeker)
    for data, text in (({"q": "máy", "sector_code": "999"}, "Unknown sector code 999"),
                       ({"q": "máy", "kind": "cat"}, "Unknown value cat"),
                       ({"q": "máy", "kind": "org"}, "cannot be saved"),
                       ({"q": "x" * 501}, "too long")):
        response = client.post("/saved-searches", data=data, headers=EN, follow_redirects=True)
        assert text in page(response), data
    assert db.session.query(SavedSearch).count() == 0


def test_the_same_search_is_saved_once(client, login, seeker, db):
    login(seeker)
    client.post("/saved-searches", data={"q": "máy sấy", "kind": "offer"})
    response = client.post("/saved-searches", data={"q": "máy sấy", "kind": "offer", "sort": "newest"}, headers=EN,
                           follow_redirects=True)
    assert "You have already saved this search." in page(response)
    assert db.session.query(SavedSearch).count() == 1


def test_a_visitor_cannot_save_or_follow(client, db):
    assert "/login" in client.post("/saved-searches", data={"q": "máy"}).headers["Location"]
    assert "/login" in client.post("/sectors/202/follow").headers["Location"]
    assert db.session.query(SavedSearch).count() == 0 and db.session.query(SectorFollow).count() == 0


def test_deleting_ones_own_saved_search(client, login, seeker, db):
    saved = save(seeker, db, q="máy sấy")
    login(seeker)
    response = client.post(f"/saved-searches/{saved.id}/delete", headers=EN, follow_redirects=True)
    assert "Saved search deleted." in page(response)
    assert db.session.query(SavedSearch).count() == 0


def test_deleting_someone_elses_saved_search_answers_404(client, login, seeker, make_user, db):
    theirs = save(make_user(), db, q="máy sấy")
    login(seeker)
    assert client.post(f"/saved-searches/{theirs.id}/delete").status_code == 404
    assert client.post("/saved-searches/424242/delete").status_code == 404
    assert db.session.get(SavedSearch, theirs.id) is not None


def test_following_and_unfollowing_a_sector(client, login, seeker, db):
    login(seeker)
    response = client.post("/sectors/202/follow", data={"next": "/search?sector_code=202"}, headers=EN)
    assert response.headers["Location"].endswith("/search?sector_code=202")
    client.post("/sectors/2/follow")
    client.post("/sectors/202/follow")  # twice: still one
    assert sorted(f.sector_code for f in db.session.scalars(db.select(SectorFollow))) == ["2", "202"]
    body = page(client.get("/search?sector_code=202", headers=EN))
    assert "Unfollow this sector" in body
    body = page(client.get("/saved-searches", headers=EN))
    assert "202 – Electrical, electronic and information engineering" in body
    client.post("/sectors/202/unfollow")
    assert [f.sector_code for f in db.session.scalars(db.select(SectorFollow))] == ["2"]


def test_following_an_unknown_sector_answers_404(client, login, seeker, db):
    login(seeker)
    assert client.post("/sectors/999/follow").status_code == 404
    assert client.post("/sectors/" + "9" * 300 + "/follow").status_code == 404
    assert db.session.query(SectorFollow).count() == 0


def test_unfollowing_touches_only_ones_own(client, login, seeker, make_user, db):
    other = make_user()
    alerts.follow_sector(other, alerts.get_sector("202"))
    login(seeker)
    response = client.post("/sectors/202/unfollow", headers=EN, follow_redirects=True)
    assert "You did not follow" in page(response)
    assert db.session.query(SectorFollow).count() == 1


# --- new listings reach the people who wait for them ---------------------------------------------------

def test_a_new_listing_reaches_a_saved_search_once_and_never_its_own_organisation(
        make_user, make_listing, provider_org, seeker, db):
    colleague = make_user(org=provider_org)  # saved the same search, but the listing is their own
    save(seeker, db, q="máy sấy nông sản")
    save(colleague, db, q="máy sấy nông sản")
    listing = make_listing("offer", org=provider_org, title="Máy sấy nông sản bằng năng lượng mặt trời")
    [note] = notes(db, seeker)
    assert note.kind == alerts.KIND_SEARCH and note.url == f"/listings/{listing.id}"
    assert note.params["title"] == listing.title
    assert notes(db, colleague) == []
    # Edited, withdrawn and published again: never a second notification.
    listing.title = "Máy sấy nông sản thế hệ mới"
    listing.status = "withdrawn"
    db.session.commit()
    listing.status = "published"
    listing.published_at = utcnow()
    db.session.commit()
    assert len(notes(db, seeker)) == 1


def test_the_notification_reads_in_the_inbox_and_leads_to_the_listing(client, login, make_listing, seeker, db):
    save(seeker, db, q="máy sấy", kind="offer")
    listing = make_listing("offer", title="Máy sấy lúa")
    login(seeker)
    body = page(client.get("/notifications", headers=EN))
    assert "New on the exchange for your saved search “máy sấy”, Technology offer: Máy sấy lúa" in body
    [note] = notes(db, seeker)
    assert client.get(f"/notifications/{note.id}").headers["Location"].endswith(f"/listings/{listing.id}")


def test_a_query_typed_without_diacritics_matches(make_listing, seeker, db):
    save(seeker, db, q="may say nong san")
    make_listing("offer", title="Máy sấy nông sản", summary="Sấy lúa, ngô, cà phê.")
    assert len(notes(db, seeker)) == 1


def test_the_tone_mark_may_sit_on_either_vowel(make_listing, seeker, db):
    """"hoà" and "hòa" are one spelling (old and new tone placement), unlike "máy" and "mây"."""
    save(seeker, db, q="hoà tan")
    make_listing("offer", title="Phân bón hòa tan cho tưới nhỏ giọt", summary="NPK.")
    assert len(notes(db, seeker)) == 1


def test_a_listing_the_search_does_not_find_sends_nothing(make_listing, seeker, db):
    save(seeker, db, q="máy sấy")
    make_listing("offer", title="Phần mềm quản lý kho", summary="Quản lý hàng tồn.")
    save(seeker, db, q="phần mềm", kind="need")
    make_listing("offer", title="Phần mềm kế toán", summary="Sổ sách.")  # an offer: the search wants needs
    assert notes(db, seeker) == []
    assert db.session.query(ListingAnnouncement).count() == 2  # looked at, and not again


def test_filters_only_searches_match_by_their_filters(make_listing, seeker, db):
    save(seeker, db, kind="need", sector_code="2")
    make_listing("need", sector_code="202", title="Cần hệ thống điện mặt trời")
    make_listing("need", sector_code="401", title="Cần giống lúa")
    make_listing("offer", sector_code="202", title="Bộ điều khiển")
    assert [n.params["title"] for n in notes(db, seeker)] == ["Cần hệ thống điện mặt trời"]


def test_private_listings_never_notify_until_published(make_listing, seeker, db):
    from marketplace.listings.services import approve_listing

    save(seeker, db, q="máy sấy")
    alerts.follow_sector(seeker, alerts.get_sector("202"))
    listing = make_listing("offer", status="submitted", title="Máy sấy bí mật", sector_code="202")
    make_listing("offer", status="draft", title="Máy sấy nháp", sector_code="202")
    assert notes(db, seeker) == []
    moderator = db.session.get(type(seeker), seeker.id)  # any user: approve_listing records who
    approve_listing(listing, moderator)
    assert [n.params["title"] for n in notes(db, seeker)] == ["Máy sấy bí mật"]


def test_a_followed_sector_or_field_notifies(make_listing, make_user, seeker, db):
    field_follower = make_user()
    alerts.follow_sector(seeker, alerts.get_sector("202"))
    alerts.follow_sector(field_follower, alerts.get_sector("2"))
    make_listing("offer", sector_code="202", title="Bộ biến tần")
    make_listing("offer", sector_code="401", title="Giống lúa")
    [note] = notes(db, seeker)
    assert note.kind == alerts.KIND_SECTOR and note.params["title"] == "Bộ biến tần"
    assert note.params["sector"]["en"].startswith("202 – Electrical")
    assert [n.params["title"] for n in notes(db, field_follower)] == ["Bộ biến tần"]


def test_one_notification_per_listing_however_many_reasons(make_listing, seeker, db):
    save(seeker, db, q="biến tần")
    save(seeker, db, q="bien tan", kind="offer")
    alerts.follow_sector(seeker, alerts.get_sector("202"))
    alerts.follow_sector(seeker, alerts.get_sector("2"))
    make_listing("offer", sector_code="202", title="Bộ biến tần")
    [note] = notes(db, seeker)
    assert note.kind == alerts.KIND_SEARCH  # the saved search says more than the sector


def test_the_owner_organisation_is_never_told_of_its_own_listing(make_listing, make_user, provider_org, db):
    member = make_user(org=provider_org)
    alerts.follow_sector(member, alerts.get_sector("202"))
    make_listing("offer", org=provider_org, sector_code="202")
    assert notes(db, member) == []


def test_an_old_listing_renewed_is_not_new(make_listing, seeker, db):
    listing = make_listing("offer", status="expired", title="Máy sấy cũ")
    listing.published_at = utcnow() - timedelta(days=200)
    db.session.commit()
    save(seeker, db, q="máy sấy")
    listing.status = "published"  # renewed
    db.session.commit()
    assert notes(db, seeker) == []


def test_new_listings_reach_instant_readers_by_mail(make_listing, make_user, db, outbox):
    reader = make_user()
    reader.locale = "en"
    reader.email_frequency = "instant"
    db.session.commit()
    alerts.follow_sector(reader, alerts.get_sector("202"))
    make_listing("offer", sector_code="202", title="Bộ biến tần")
    [mail] = outbox()
    assert mail["To"] == reader.email
    assert mail["Subject"] == ("New in 202 – Electrical, electronic and information engineering, a sector you "
                               "follow: Bộ biến tần")


def test_publishing_stands_when_the_mail_server_is_down(client, login, make_listing, make_user, db, monkeypatch):
    from marketplace.listings.models import Listing
    from marketplace.notifications import delivery

    follower = make_user()
    alerts.follow_sector(follower, alerts.get_sector("202"))
    listing = make_listing("offer", status="submitted", sector_code="202", title="Bộ biến tần")
    monkeypatch.setattr(delivery, "send_mail", lambda *a, **k: (_ for _ in ()).throw(OSError("SMTP down")))
    login(make_user(role="department"))
    response = client.post(f"/moderation/{listing.id}/approve", data={"approve-message": ""})
    assert response.status_code == 302
    assert db.session.get(Listing, listing.id).status == "published"
    [note] = notes(db, follower)
    assert note.emailed_at is None  # kept, and tried again by the daily run


def test_a_missed_announcement_is_made_by_the_catch_up(make_listing, seeker, db, runner, monkeypatch):
    from marketplace.search import outbox

    save(seeker, db, q="máy sấy")
    monkeypatch.setattr(outbox, "AFTER_APPLY", [])  # a process that stopped between the index and the alerts
    make_listing("offer", title="Máy sấy tầng sôi")
    assert notes(db, seeker) == []
    monkeypatch.undo()
    result = runner.invoke(args=["notifications", "announce"])
    assert result.exit_code == 0 and "1 notifications made" in result.output
    assert len(notes(db, seeker)) == 1
    runner.invoke(args=["notifications", "announce"])
    assert len(notes(db, seeker)) == 1


def test_what_a_saved_search_announces_the_search_page_finds(client, make_listing, seeker, db):
    """Every listing a saved search announces is one the search page finds for the same words and filters."""
    queries = ["máy sấy", "may say", "xử lý nước thải", "XLNT", "phần mềm", "giống lúa chịu mặn"]
    for q in queries:
        save(seeker, db, q=q)
    made = [make_listing("offer", title=t, summary=s) for t, s in (
        ("Máy sấy nông sản", "Sấy lúa."), ("Hệ thống xử lý nước thải chăn nuôi", "Biogas."),
        ("Phần mềm quản lý", "Kho."), ("Giống lúa chịu mặn", "Lúa."), ("Đan mây tre", "Hàng thủ công."))]
    announced = {n.params["title"]: n for n in notes(db, seeker)}
    assert set(announced) == {"Máy sấy nông sản", "Hệ thống xử lý nước thải chăn nuôi", "Phần mềm quản lý",
                              "Giống lúa chịu mặn"}
    for listing in made:
        if listing.title in announced:
            q = announced[listing.title].params["search"]["vi"].strip("“”")
            assert f'data-ref="{listing.ref}"' in page(client.get("/search", query_string={"q": q})), q


def test_a_saved_search_announces_listings_about_what_was_asked(make_listing, seeker, db):
    """The search page lists any listing holding any word, ranked; an alert needs the words asked for (three
    quarters of them, as typed) or an abbreviation's or glossary term's phrase."""
    save(seeker, db, q="máy sấy")
    save(seeker, db, q="XLNT")
    for title in ("Máy bơm nước", "Sản phẩm mây tre đan", "Nước sạch nông thôn", "Xử lý rác thải"):
        make_listing("offer", title=title, summary="Dùng cho hợp tác xã.")
    assert notes(db, seeker) == []
    make_listing("offer", title="Máy sấy thóc", summary="Sấy lúa sau thu hoạch.")
    make_listing("offer", title="Lò sấy chè", summary="Đốt bằng trấu.")  # the glossary's other name for it
    make_listing("offer", title="Hệ thống xử lý nước thải làng nghề", summary="Keo tụ điện hóa.")
    assert sorted(n.params["title"] for n in notes(db, seeker)) == ["Hệ thống xử lý nước thải làng nghề",
                                                                    "Lò sấy chè", "Máy sấy thóc"]
