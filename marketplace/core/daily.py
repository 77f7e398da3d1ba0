"""Daily work (expiring listings, reminders) in the embedded default, where no cron runs.

The first request of each day runs the registered tasks once, guarded by a stamp file in the instance folder.
At scale, set DAILY_JOBS_INLINE=0 and run `flask listings expire` from cron or an RQ scheduler instead.
"""
import logging
import os

from marketplace.core import clock

log = logging.getLogger(__name__)
_TASKS = []
_LAST_SEEN = {}  # instance path -> the day this process last looked at the stamp


def daily_task(func):
    """Register a function to run once a day."""
    _TASKS.append(func)
    return func


def _stamp_path(app):
    return os.path.join(app.instance_path, "daily.stamp")


def run_if_due(app, today=None):
    """Run the daily tasks when they have not run today; returns True when they ran."""
    today = (today or clock.today()).isoformat()
    if _LAST_SEEN.get(app.instance_path) == today:
        return False  # checked already in this process today: no file read on every request
    _LAST_SEEN[app.instance_path] = today
    path = _stamp_path(app)
    try:
        with open(path, encoding="ascii") as fh:
            if fh.read().strip() == today:
                return False
    except OSError:
        pass
    with open(path, "w", encoding="ascii") as fh:  # write first: a failing task must not run on every request
        fh.write(today)
    for task in _TASKS:
        try:
            task()
        except Exception:  # a failed housekeeping task must never break a visitor's page
            log.exception("daily task %s failed", task.__name__)
            from marketplace.extensions import db

            db.session.rollback()
    return True


def init_app(app):
    """Hook the daily run onto the first request of each day, when DAILY_JOBS_INLINE is on."""
    if not app.config.get("DAILY_JOBS_INLINE", True):
        return

    @app.before_request
    def _daily():
        run_if_due(app)
