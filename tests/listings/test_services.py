"""Listing rules: creation, editing, the lifecycle, moderation, expiry and reminders."""
import email
import os
from datetime import timedelta

import pytest

from marketplace.core import clock
from marketplace.core.errors import ValidationError
from marketplace.listings import services
from marketplace.listings.models import Listing


@pytest.fixture
def owner(make_org, make_user):
    """A member of an institute that lists offers."""
    return make_user(org=make_org("institute"))


@pytest.fixture
def moderator(make_user):
    """A department moderator."""
    return make_user(role="department")


def outbox(app):
    """The messages written to the outbox, parsed."""
    folder = app.config["MAIL_OUTBOX"]
    if not os.path.isdir(folder):
        return []
    messages = []
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as fh:
            messages.append(email.message_from_bytes(fh.read(), policy=email.policy.default))
    return messages


def offer_data(**changes):
    """Valid offer fields as a form would send them."""
    data = {"title": "Chế phẩm sinh học xử lý chuồng trại", "summary": "Giảm mùi hôi trại gà.", "detail": "Công thức.",
            "sector_code": "401", "trl": "8", "transfer_modes": ["license"], "price_type": "firm",
            "price_vnd": "12.500.000", "keywords": "chế phẩm; chăn nuôi"}
    data.update(changes)
    return data


def test_create_listing_cleans_amounts_and_gives_a_reference(owner):
    listing = services.create_listing("offer", owner.org, owner, offer_data())
    assert listing.status == "draft"
    assert listing.price_vnd == 12_500_000 and listing.price_type == "firm" and listing.trl == 8
    assert listing.ref.startswith("CB-")
    assert listing.expires_at > clock.today()
    assert [e.action for e in listing.events] == ["created"]


def test_create_listing_reports_every_bad_field_and_saves_nothing(owner, db):
    with pytest.raises(ValidationError) as caught:
        services.create_listing("offer", owner.org, owner, offer_data(trl="0", price_vnd="-5", sector_code="999"))
    assert {"trl", "price_vnd", "sector_code"} <= set(caught.value.errors)
    assert db.session.query(Listing).count() == 0


def test_update_may_not_blank_required_fields(owner, db):
    listing = services.create_listing("offer", owner.org, owner, offer_data())
    with pytest.raises(ValidationError) as caught:
        services.update_listing(listing, owner, {"title": "Tên mới", "summary": "  ", "trl": ""})
    assert set(caught.value.errors) == {"summary", "trl"}
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).title == "Chế phẩm sinh học xử lý chuồng trại"


def test_update_with_a_bad_expiry_leaves_the_listing_untouched(owner, db):
    listing = services.create_listing("offer", owner.org, owner, offer_data())
    with pytest.raises(ValidationError):
        services.update_listing(listing, owner, {"title": "Tên mới",
                                                 "expires_at": (clock.today() - timedelta(days=2)).isoformat()})
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).title == "Chế phẩm sinh học xử lý chuồng trại"


def test_approve_publishes_and_mails_the_owner(app, owner, moderator):
    listing = services.create_listing("offer", owner.org, owner, offer_data(), submit=True)
    assert listing.status == "submitted" and listing.submitted_at is not None
    services.approve_listing(listing, moderator, "Đủ thông tin.")
    assert listing.status == "published" and listing.published_at is not None
    messages = outbox(app)
    assert len(messages) == 1 and messages[0]["To"] == owner.email
    assert listing.title in messages[0]["Subject"]


def test_reject_needs_a_reason_and_a_message(owner, moderator):
    listing = services.create_listing("offer", owner.org, owner, offer_data(), submit=True)
    with pytest.raises(ValidationError) as caught:
        services.reject_listing(listing, moderator, "", "")
    assert set(caught.value.errors) == {"reason", "message"}
    assert listing.status == "submitted"


def test_reject_then_resubmit_then_approve(app, owner, moderator):
    listing = services.create_listing("offer", owner.org, owner, offer_data(), submit=True)
    services.reject_listing(listing, moderator, "incomplete", "Bổ sung kết quả thử nghiệm.")
    assert listing.status == "rejected" and listing.rejection_reason == "incomplete"
    assert "Bổ sung kết quả thử nghiệm." in outbox(app)[0].get_content()
    services.update_listing(listing, owner, {"summary": "Đã có kết quả thử nghiệm."}, submit=True)
    assert listing.status == "submitted"
    services.approve_listing(listing, moderator)
    assert listing.status == "published" and listing.rejection_reason is None
    assert [e.action for e in listing.events] == [
        "created", "submitted", "rejected", "updated", "submitted", "approved"]


def test_only_submitted_listings_can_be_moderated(owner, moderator, make_listing):
    listing = make_listing("offer", org=owner.org)
    with pytest.raises(ValidationError):
        services.approve_listing(listing, moderator)
    with pytest.raises(ValidationError):
        services.reject_listing(listing, moderator, "other", "x")


def test_withdraw_and_close(owner, make_listing):
    listing = make_listing("offer", org=owner.org)
    services.withdraw_listing(listing, owner)
    assert listing.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.close_listing(listing, owner)
    other = make_listing("offer", org=owner.org)
    services.close_listing(other, owner)
    assert other.status == "closed"


def test_renew_extends_and_brings_back_an_expired_listing(owner, make_listing):
    listing = make_listing("offer", org=owner.org, status="expired", expires_at=clock.today() - timedelta(days=5))
    services.renew_listing(listing, owner, days=30)
    assert listing.status == "published"
    assert listing.expires_at == clock.today() + timedelta(days=30)
    later = make_listing("offer", org=owner.org, expires_at=clock.today() + timedelta(days=10))
    services.renew_listing(later, owner, days=30)
    assert later.expires_at == clock.today() + timedelta(days=30)
    services.renew_listing(later, owner, days=30)  # a second click does not add another period
    assert later.expires_at == clock.today() + timedelta(days=30)


def test_delete_only_drafts(owner, make_listing, db):
    published = make_listing("offer", org=owner.org)
    with pytest.raises(ValidationError):
        services.delete_listing(published, owner)
    draft = make_listing("offer", org=owner.org, status="draft")
    services.delete_listing(draft, owner)
    assert db.session.get(Listing, draft.id) is None


def test_expire_and_remind(app, owner, make_listing):
    today = clock.today()
    past = make_listing("offer", org=owner.org, expires_at=today - timedelta(days=1))
    soon = make_listing("need", org=owner.org, expires_at=today + timedelta(days=5))
    later = make_listing("offer", org=owner.org, expires_at=today + timedelta(days=90))
    assert services.expire_and_remind(today) == (1, 1)
    assert past.status == "expired"
    assert soon.status == "published" and soon.reminder_sent_at is not None
    assert later.reminder_sent_at is None
    messages = outbox(app)
    assert len(messages) == 2
    subjects = " ".join(m["Subject"] for m in messages)
    assert soon.title in subjects and past.title in subjects
    assert all(m["To"] == owner.email for m in messages)
    # sent from the daily command, outside any request, yet with a working link
    assert any(f"/listings/{soon.id}" in m.get_content() for m in messages)
    assert services.expire_and_remind(today) == (0, 0)  # nobody is reminded twice
    assert len(outbox(app)) == 2


def test_expires_soon(owner, make_listing):
    assert services.expires_soon(make_listing("offer", org=owner.org, expires_at=clock.today() + timedelta(days=3)))
    assert not services.expires_soon(make_listing("offer", org=owner.org,
                                                  expires_at=clock.today() + timedelta(days=60)))
    assert not services.expires_soon(make_listing("offer", org=owner.org, status="draft",
                                                  expires_at=clock.today() + timedelta(days=3)))


def test_org_ip_assets_lists_own_assets_only(owner, make_listing):
    mine = make_listing("ip", org=owner.org, status="draft")
    make_listing("ip", org=owner.org, status="withdrawn")
    make_listing("ip")
    assert services.org_ip_assets(owner.org) == [mine]


def test_editing_a_published_listing_keeps_it_public_and_queues_a_second_look(app, make_user, make_listing):
    from marketplace.listings import services

    owner = make_user()
    department = make_user(role="department")
    listing = make_listing("offer", org=owner.org, status="published")
    services.update_listing(listing, owner, {"summary": "Tóm tắt mới, khác bản đã duyệt"})
    assert listing.status == "published" and listing.awaits_review
    assert listing in services.moderation_queue()
    services.approve_listing(listing, department)
    assert listing.status == "published" and listing not in services.moderation_queue()


def test_returning_an_edited_published_listing_takes_it_off_the_exchange(app, make_user, make_listing):
    from marketplace.listings import services

    owner = make_user()
    department = make_user(role="department")
    listing = make_listing("offer", org=owner.org, status="published")
    services.update_listing(listing, owner, {"title": "Tiêu đề quảng cáo không đúng sự thật"})
    services.reject_listing(listing, department, "other", "Tiêu đề không phản ánh công nghệ.")
    assert listing.status == "rejected" and not listing.is_public


def test_saving_a_published_listing_unchanged_keeps_it_public(app, make_user, make_listing):
    from marketplace.listings import services

    owner = make_user()
    listing = make_listing("offer", org=owner.org, status="published")
    services.update_listing(listing, owner, {"title": listing.title, "summary": listing.summary})
    assert listing.status == "published" and not listing.awaits_review


def test_daily_run_expires_and_reminds_once_a_day(app, make_user, make_listing):
    import os
    from datetime import timedelta

    from marketplace.core import daily

    owner = make_user()
    old = make_listing("need", org=owner.org, status="published", expires_at=clock.today() - timedelta(days=1))
    soon = make_listing("need", org=owner.org, status="published", expires_at=clock.today() + timedelta(days=3))
    assert daily.run_if_due(app) is True
    assert old.status == "expired"
    assert soon.reminder_sent_at is not None
    assert daily.run_if_due(app) is False  # once a day
    outbox = app.config["MAIL_OUTBOX"]
    assert len(os.listdir(outbox)) == 2  # one reminder, one expiry notice, to the owner's one member


def test_amounts_with_thousands_separators_and_what_is_refused(app):
    from marketplace.core.errors import ValidationError

    codes = ({"202"}, {"phu-ly"})
    base = {"title": "Máy sấy", "summary": "Tóm tắt", "sector_code": "202", "trl": "6", "price_type": "indicative"}
    for typed, value in (("1.500.000", 1_500_000), ("1,500,000", 1_500_000), ("1 500 000 đ", 1_500_000),
                         ("1500000", 1_500_000)):
        assert services.clean_listing_data("offer", {**base, "price_vnd": typed}, *codes)["price_vnd"] == value
    for typed in ("1.5", "12.34.567", "-5", "một triệu"):
        try:
            services.clean_listing_data("offer", {**base, "price_vnd": typed}, *codes)
        except ValidationError as exc:
            assert "price_vnd" in exc.errors
        else:
            raise AssertionError(f"{typed!r} was accepted")


def test_ip_dates_in_order_and_expiry_not_decades_ahead(app):
    from marketplace.core.errors import ValidationError

    codes = ({"202"}, {"phu-ly"})
    data = {"title": "Sáng chế", "ip_type": "patent", "ip_filing_date": "2024-05-01", "ip_grant_date": "2023-01-01",
            "expires_at": "9999-12-31"}
    try:
        services.clean_listing_data("ip", data, *codes)
    except ValidationError as exc:
        assert set(exc.errors) >= {"ip_grant_date", "expires_at"}
    else:
        raise AssertionError("accepted")


def test_invisible_characters_do_not_make_a_title(app):
    from marketplace.core.errors import ValidationError

    try:
        services.clean_listing_data("need", {"title": "\u200b\u200b", "summary": "x", "sector_code": "202"},
                                    {"202"}, set())
    except ValidationError as exc:
        assert "title" in exc.errors
    else:
        raise AssertionError("accepted")


def test_changes_that_reach_the_public_without_a_look_are_queued(app, make_user, make_listing):
    from datetime import timedelta

    from marketplace.listings import attachments

    owner = make_user()
    published = make_listing("offer", org=owner.org, status="published")
    attachments.add_attachment(published, owner, "gioi-thieu.pdf", b"%PDF-1.4 brochure", is_public=True)
    assert published.awaits_review and published in services.moderation_queue()

    expired = make_listing("offer", org=owner.org, status="expired", expires_at=clock.today() - timedelta(days=2))
    services.update_listing(expired, owner, {"title": "Nội dung mới chưa ai duyệt"})
    assert expired in services.moderation_queue()  # expired listings are public too
    services.approve_listing(expired, make_user(role="department"))
    assert expired.status == "expired" and not expired.awaits_review  # a second look does not renew it


def test_ip_asset_ids_past_the_database_range_are_ignored(app, make_user):
    owner = make_user(org_kind="institute")
    data = {"title": "Máy sấy", "summary": "Tóm tắt", "sector_code": "202", "trl": "6",
            "ip_asset_ids": [str(2**70), "-1", "abc"]}
    offer = services.create_listing("offer", owner.org, owner, data)
    assert offer.ip_assets == []


def test_a_typed_price_is_not_dropped_silently(app):
    from marketplace.core.errors import ValidationError

    base = {"title": "Máy sấy", "summary": "Tóm tắt", "sector_code": "202", "trl": "6"}
    try:
        services.clean_listing_data("offer", {**base, "price_type": "negotiable", "price_vnd": "1.500.000"},
                                    {"202"}, set())
    except ValidationError as exc:
        assert "price_type" in exc.errors
    else:
        raise AssertionError("the amount was dropped without a word")
    clean = services.clean_listing_data("offer", {**base, "price_vnd": "1.500.000"}, {"202"}, set())
    assert clean["price_type"] == "indicative" and clean["price_vnd"] == 1_500_000  # imports give no price type


def test_the_departments_note_reaches_the_owner_by_e_mail(app, make_user, make_listing):
    import email
    import email.policy
    import os

    owner = make_user()
    listing = make_listing("need", org=owner.org, status="submitted")
    services.approve_listing(listing, make_user(role="department"), "Nên bổ sung ảnh hiện trạng xưởng.")
    outbox = app.config["MAIL_OUTBOX"]
    (name,) = os.listdir(outbox)
    with open(os.path.join(outbox, name), "rb") as fh:
        body = email.message_from_bytes(fh.read(), policy=email.policy.default).get_content()
    assert "Nên bổ sung ảnh hiện trạng xưởng." in body


def test_closing_does_not_hide_an_edit_from_the_department(app, make_user, make_listing):
    owner = make_user()
    listing = make_listing("offer", org=owner.org, status="published")
    services.update_listing(listing, owner, {"title": "Tiêu đề chưa ai duyệt"})
    services.close_listing(listing, owner)
    assert listing.is_public and listing in services.moderation_queue()


def test_approving_an_edit_keeps_the_expiry(app, make_user, make_listing):
    from datetime import timedelta

    owner = make_user()
    ended = clock.today() - timedelta(days=2)
    listing = make_listing("offer", org=owner.org, status="expired", expires_at=ended)
    services.update_listing(listing, owner, {"title": "Tiêu đề mới"})
    services.approve_listing(listing, make_user(role="department"))
    assert listing.status == "expired" and listing.expires_at == ended


def test_a_once_published_listing_cannot_be_deleted(app, make_user, make_listing):
    from marketplace.core.errors import ValidationError
    from marketplace.core.models import utcnow
    from marketplace.core.policy import can

    owner = make_user()
    listing = make_listing("offer", org=owner.org, status="rejected", published_at=utcnow())
    assert not can(owner, "listing.delete", listing)
    try:
        services.delete_listing(listing, owner)
    except ValidationError:
        pass
    else:
        raise AssertionError("deleted")
    draft = make_listing("offer", org=owner.org, status="draft")
    assert can(owner, "listing.delete", draft)
