"""Notifications: an in-app inbox per person, and e-mail (instant or a daily digest, per person); saved searches
and followed sectors that announce new listings."""
from flask import Blueprint

bp = Blueprint("notifications", __name__)


def init_app(app):
    """Wire notifications into the app: e-mail after commits, announcements after the search index is updated,
    and the unread count for the navigation bar."""
    from flask_login import current_user
    from sqlalchemy.exc import SQLAlchemyError

    from marketplace.extensions import db
    from marketplace.notifications import alerts, delivery, services

    delivery.register_events()
    alerts.register_hooks()

    def unread_notifications():
        """The signed-in person's unread count: counted only when a page shows it (base.html, once)."""
        if not getattr(current_user, "is_authenticated", False):
            return 0
        try:
            return services.unread_count(current_user)
        except SQLAlchemyError:  # an error page while the database is away must still render
            db.session.rollback()
            return 0

    def follows_sector(code):
        """Whether the signed-in person follows this sector (for the Follow / Unfollow button)."""
        if not code or not getattr(current_user, "is_authenticated", False):
            return False
        return code in alerts.followed_codes(current_user)

    @app.context_processor
    def inject_notifications():
        return {"unread_notifications": unread_notifications, "follows_sector": follows_sector}
