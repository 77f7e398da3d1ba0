"""Keeping the index in step with the database, through an outbox table.

A flush that touches a listing or an organisation writes outbox rows in the same transaction, so a change and
the note that it must be indexed commit (or roll back) together. After the commit the rows are applied:

- SEARCH_APPLY=sync: right after the commit, in the committing thread (tests, command line);
- SEARCH_APPLY=thread (the embedded default): by a background thread of the web process, woken by the commit,
  so a web request never opens an index writer nor waits for its lock (commands and scripts, which have no
  request, apply synchronously before they exit);
- SEARCH_APPLY=worker (at scale): by `flask search worker` processes polling the outbox.

Applying takes the index's writer lock first, then reads the outbox and the documents' current rows, writes
the index and deletes exactly the rows it read. Documents are read after the lock is held, so a slower writer
never overwrites a newer state; a process killed half-way leaves its rows, and the next run replays them.
"""
import logging
import threading

from flask import current_app, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from marketplace.accounts.models import Organization
from marketplace.core.jobs import enqueue
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.listings.models import Listing, ListingTransferMode
from marketplace.search.documents import all_documents, doc_key, load_documents
from marketplace.search.models import SearchOutbox

log = logging.getLogger(__name__)

BATCH_SIZE = 500
_FLAG = "search_outbox_written"
# Called with the (doc_type, doc_id) keys of each batch once the index holds it (matching refreshes its
# suggestions here). A hook runs in the applying thread and must use a session of its own.
AFTER_APPLY = []


def _changed_keys(session):
    """(doc_type, id) of every listing and organisation this flush touched."""
    keys = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, Listing) and obj.id is not None:
            keys.add(("listing", obj.id))
        elif isinstance(obj, ListingTransferMode) and obj.listing_id is not None:
            keys.add(("listing", obj.listing_id))
        elif isinstance(obj, Organization) and obj.id is not None:
            keys.add(("org", obj.id))
            if obj in session.dirty and inspect(obj).attrs.kind.history.has_changes():
                ids = session.connection().execute(
                    db.select(Listing.id).where(Listing.owner_org_id == obj.id)).scalars()
                keys.update(("listing", i) for i in ids)  # the owner kind is a facet of its listings
    return keys


def _after_flush(session, flush_context):
    """Write outbox rows for what this flush changed, in the same transaction."""
    keys = _changed_keys(session)
    if not keys:
        return
    now = utcnow()
    session.connection().execute(SearchOutbox.__table__.insert(),
                                 [{"doc_type": t, "doc_id": i, "created_at": now} for t, i in sorted(keys)])
    session.info[_FLAG] = True


def _after_commit(session):
    """Have the committed outbox rows applied, the way SEARCH_APPLY says."""
    if not session.info.pop(_FLAG, False):
        return
    try:
        app = current_app._get_current_object()
    except RuntimeError:  # a session used outside the app (a script): the next apply picks the rows up
        return
    mode = app.config.get("SEARCH_APPLY", "thread")
    if mode == "sync" or (mode == "thread" and not has_request_context()):
        apply_pending_safely()  # commands and scripts: done before they exit, no thread to lose
    elif mode == "thread":
        _applier_for(app).wake()


def _after_rollback(session):
    """Rolled-back outbox rows are gone: nothing to apply."""
    session.info.pop(_FLAG, None)


def register_events():
    """Listen to Flask-SQLAlchemy sessions (once per process)."""
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_flush", _after_flush):
        event.listen(FlaskSession, "after_flush", _after_flush)
        event.listen(FlaskSession, "after_commit", _after_commit)
        event.listen(FlaskSession, "after_soft_rollback", lambda s, t: _after_rollback(s))


def pending_count():
    """How many outbox rows wait to be applied."""
    with Session(db.engine) as session:
        return session.scalar(db.select(db.func.count(SearchOutbox.id))) or 0


def apply_pending(backend=None, limit=BATCH_SIZE, max_batches=None):
    """Apply outbox rows to the index, batch by batch, until none is left; returns how many were applied.

    Raises the backend's lock error when another process holds the writer too long (the rows stay)."""
    from marketplace.search.services import get_backend

    backend = backend or get_backend()
    if not backend.exists():
        # A first start, or an index deleted by hand: build it whole; the outbox alone would give a partial one.
        log.warning("search: no index yet; building it from the database")
        rebuild(backend)
    applied = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with Session(db.engine, expire_on_commit=False) as session:
            with backend.batch(session) as batch:
                rows = session.execute(db.select(SearchOutbox.id, SearchOutbox.doc_type, SearchOutbox.doc_id)
                                       .order_by(SearchOutbox.id).limit(limit)).all()
                if not rows:
                    break
                keys = sorted({doc_key(t, i) for _, t, i in rows})
                docs = load_documents(session, keys)
                batch.upsert([d for d in docs.values() if d is not None])
                batch.delete([k for k, d in docs.items() if d is None])
            # The index holds the change (a database-backed index committed it with the session below).
            session.execute(db.delete(SearchOutbox).where(SearchOutbox.id.in_([r[0] for r in rows])))
            session.commit()
        for hook in AFTER_APPLY:
            enqueue(hook, sorted({(t, i) for _, t, i in rows}))
        applied += len(rows)
        batches += 1
    return applied


def rebuild(backend, progress=None):
    """Build a fresh index from the database (in a session of its own) and swap it in; returns the count."""
    with Session(db.engine) as session:
        count, documents = all_documents(session)
        if progress:
            progress(0, count)
        return backend.rebuild(count, documents, progress=(lambda n: progress(n, count)) if progress else None)


def apply_pending_safely():
    """apply_pending(), logging failures: the change is committed and its rows wait for the next run."""
    try:
        return apply_pending()
    except Exception:  # the rows stay in the outbox and are replayed; never turn a commit into an error
        log.exception("search: applying the outbox failed; the rows stay for the next run")
        if current_app.config.get("JOBS_RAISE"):
            raise
        return 0


class _Applier:
    """A background thread that applies the outbox when woken, and every `interval` seconds anyway (to replay
    rows a killed process left, or a lock timeout deferred)."""

    def __init__(self, app, interval=30.0):
        self.app = app
        self.interval = interval
        self.event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="search-outbox", daemon=True)
        self.thread.start()

    def wake(self):
        """Ask for an apply soon."""
        self.event.set()

    def _run(self):
        while True:
            self.event.wait(self.interval)
            self.event.clear()
            with self.app.app_context():
                try:
                    apply_pending()
                except Exception:  # keep the thread alive; the rows stay and are retried
                    log.exception("search: background apply failed; retrying")
                    self.event.wait(2.0)
                    self.event.set()
                finally:
                    db.session.remove()


_appliers = {}
_appliers_lock = threading.Lock()


def _applier_for(app):
    """This process's applier thread for an app, started on first use."""
    with _appliers_lock:
        applier = _appliers.get(id(app))
        if applier is None or not applier.thread.is_alive():
            applier = _Applier(app, interval=app.config.get("SEARCH_APPLY_INTERVAL", 30.0))
            _appliers[id(app)] = applier
        return applier
