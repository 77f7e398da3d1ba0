"""What notifications keep: one row per person and event, read or not, e-mailed or not; the searches people
saved and the sectors they follow; which new listings were already announced to them."""
from marketplace.core.models import utcnow
from marketplace.extensions import db

EMAIL_FREQUENCIES = ("instant", "daily", "off")


class Notification(db.Model):
    """Something a person should know (an interest received, a match proposed, a deal moved, a new listing for a
    saved search). `kind` names the message and `params` fill it in the reader's language when it is shown."""

    __tablename__ = "notification"
    __table_args__ = (db.Index("ix_notification_user_unread", "user_id", "read_at"),)
    __policy_view__ = "notification.open"  # someone else's notification answers 404

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(40), nullable=False)
    params = db.Column(db.JSON, nullable=False, default=dict)
    url = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    read_at = db.Column(db.DateTime(timezone=True), nullable=True)
    emailed_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User")


class SavedSearch(db.Model):
    """A search a person keeps: its text and filters as the search page reads them (`args`, the query-string
    arguments without page). New published listings the search finds are announced to the person.
    `signature` is the canonical query string: the same search is saved once per person."""

    __tablename__ = "saved_search"
    __table_args__ = (db.UniqueConstraint("user_id", "signature", name="uq_saved_search_user_signature"),)
    __policy_view__ = "alert.delete"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    q = db.Column(db.String(500), nullable=False, default="")
    args = db.Column(db.JSON, nullable=False, default=dict)
    signature = db.Column(db.String(1000), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    last_match_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User")


class SectorFollow(db.Model):
    """A person follows a field (level 1, e.g. "2") or a sector (level 2, e.g. "202"): new published listings in
    it are announced to them."""

    __tablename__ = "sector_follow"
    __table_args__ = (db.UniqueConstraint("user_id", "sector_code", name="uq_sector_follow_user_sector"),)
    __policy_view__ = "alert.delete"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    sector_code = db.Column(db.String(10), db.ForeignKey("sector.code", ondelete="CASCADE"), nullable=False,
                            index=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    user = db.relationship("User")
    sector = db.relationship("Sector")


class ListingAnnouncement(db.Model):
    """A published listing whose saved-search and sector alerts were sent: one row per listing, so that no
    listing is announced twice (withdrawn and published again, edited, or seen by two processes at once)."""

    __tablename__ = "listing_announcement"

    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True)
    announced_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    recipients = db.Column(db.Integer, nullable=False, default=0)


class EmailDigest(db.Model):
    """The day a person's last daily digest went out: one digest per person per day, however often the
    digest task runs (the embedded daily run and a cron job may both run it)."""

    __tablename__ = "email_digest"

    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    sent_on = db.Column(db.Date, nullable=False)
    sent_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
