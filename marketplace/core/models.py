"""Model mixins shared by features."""
from datetime import datetime, timezone

from marketplace.extensions import db


def utcnow():
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


class TimestampMixin:
    """created_at and updated_at columns kept by the database session."""

    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
