"""Work that runs after a commit (e-mail, later search indexing and matching).

In the embedded default jobs run inline, right after the service's commit. At scale the same call will put
them on an RQ queue; callers do not change. A failing job is logged and never undoes the committed change.
"""
import logging

from flask import current_app

log = logging.getLogger(__name__)


def enqueue(func, *args, **kwargs):
    """Run `func(*args, **kwargs)` as a job; inline in the embedded default."""
    try:
        return func(*args, **kwargs)
    except Exception:  # a job must never turn a committed change into an error page
        log.exception("job %s failed", getattr(func, "__name__", func))
        if current_app and current_app.config.get("JOBS_RAISE"):
            raise
        return None
