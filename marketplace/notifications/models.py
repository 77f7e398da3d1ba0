"""What notifications keep: one row per person and event, read or not, e-mailed or not."""
from marketplace.core.models import utcnow
from marketplace.extensions import db

EMAIL_FREQUENCIES = ("instant", "daily", "off")


class Notification(db.Model):
    """Something a person should know (an interest received, a match proposed, a deal moved, a new listing for a
    saved search). `kind` names the message and `params` fill it in the reader's language when it is shown."""

    __tablename__ = "notification"
    __table_args__ = (db.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = db.Column(db.String(40), nullable=False)
    params = db.Column(db.JSON, nullable=False, default=dict)
    url = db.Column(db.String(500), nullable=False, default="")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    read_at = db.Column(db.DateTime(timezone=True), nullable=True)
    emailed_at = db.Column(db.DateTime(timezone=True), nullable=True)

    user = db.relationship("User")
