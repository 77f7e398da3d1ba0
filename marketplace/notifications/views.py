"""The inbox, e-mail settings, saved searches and followed sectors."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from marketplace.core.errors import ValidationError, answers_json
from marketplace.core.pagination import page_args
from marketplace.core.policy import load_authorized, requires
from marketplace.main.views import safe_next
from marketplace.notifications import alerts, bp, services
from marketplace.notifications.forms import EmailSettingsForm
from marketplace.notifications.models import Notification, SavedSearch


@bp.route("/notifications")
@requires("notification.inbox")
def inbox():
    """The signed-in person's notifications, newest first; unread ones marked."""
    page, per_page = page_args(request.args)
    items, total = services.inbox(current_user, page, per_page)
    return render_template("notifications/inbox.html", items=items, total=total, page=page, per_page=per_page,
                           text_of=services.text_of, unread=services.unread_count(current_user))


@bp.route("/notifications/<int:notification_id>", endpoint="open")
@requires("notification.inbox")
def open_notification(notification_id):
    """Mark a notification read and go where it points (someone else's answers 404)."""
    notification = load_authorized(Notification, notification_id, "notification.open")
    services.mark_read(notification)
    return redirect(services.safe_target(notification.url, url_for("notifications.inbox")))


@bp.route("/notifications/read-all", methods=["POST"])
@requires("notification.inbox")
def read_all():
    """Mark every notification read."""
    count = services.mark_all_read(current_user)
    flash(_("All notifications marked as read.") if count else _("You had no unread notifications."), "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/notifications/unread-count")
@requires("notification.inbox")
@answers_json
def unread_count():
    """{"unread": n} for the navigation bar's badge."""
    return jsonify({"unread": services.unread_count(current_user)})


@bp.route("/notifications/settings", methods=["GET", "POST"])
@requires("notification.inbox")
def settings():
    """How often notifications come by e-mail."""
    form = EmailSettingsForm(email_frequency=current_user.email_frequency)
    if form.validate_on_submit():
        try:
            services.set_email_frequency(current_user, form.email_frequency.data)
        except ValidationError as exc:
            for message in exc.apply_to(form):
                flash(message, "danger")
        else:
            flash(_("Your e-mail settings are saved."), "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)


# --- saved searches and followed sectors ------------------------------------------------------------------

@bp.route("/saved-searches")
@requires("alert.manage")
def alerts_page():
    """The person's saved searches and followed sectors, with delete."""
    return render_template("notifications/alerts.html", searches=alerts.saved_searches(current_user),
                           follows=alerts.followed_sectors(current_user), describe=alerts.describe)


@bp.route("/saved-searches", methods=["POST"])
@requires("alert.manage")
def save_search():
    """Save the search shown on the search page (its text and filters)."""
    try:
        alerts.save_search(current_user, request.form)
    except ValidationError as exc:
        for messages in exc.errors.values():
            for message in messages:
                flash(message, "warning")
    else:
        flash(_("Search saved. New listings it finds will reach you as notifications."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("notifications.alerts_page")))


@bp.route("/saved-searches/<int:search_id>/delete", methods=["POST"])
@requires("alert.manage")
def delete_search(search_id):
    """Delete one of the person's saved searches (someone else's answers 404)."""
    saved = load_authorized(SavedSearch, search_id, "alert.delete")
    alerts.delete_saved_search(saved)
    flash(_("Saved search deleted."), "success")
    return redirect(url_for("notifications.alerts_page"))


@bp.route("/sectors/<code>/follow", methods=["POST"])
@requires("alert.manage")
def follow(code):
    """Follow a sector or field: new listings in it reach the person as notifications."""
    sector = alerts.get_sector(code)
    if sector is None:
        abort(404)
    try:
        _follow, created = alerts.follow_sector(current_user, sector)
    except ValidationError as exc:
        flash(str(exc), "warning")
    else:
        if created:
            flash(_("You follow %(sector)s. New listings in it will reach you as notifications.",
                    sector=sector.name), "success")
        else:
            flash(_("You already follow %(sector)s.", sector=sector.name), "info")
    return redirect(safe_next(request.form.get("next"), url_for("notifications.alerts_page")))


@bp.route("/sectors/<code>/unfollow", methods=["POST"])
@requires("alert.manage")
def unfollow(code):
    """Stop following a sector."""
    sector = alerts.get_sector(code)
    if sector is None:
        abort(404)
    if alerts.unfollow_sector(current_user, sector):
        flash(_("You no longer follow %(sector)s.", sector=sector.name), "success")
    else:
        flash(_("You did not follow %(sector)s.", sector=sector.name), "info")
    return redirect(safe_next(request.form.get("next"), url_for("notifications.alerts_page")))
