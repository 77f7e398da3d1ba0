"""Model mixins shared by features."""
from datetime import datetime, timezone

from sqlalchemy import inspect

from marketplace.extensions import db


def utcnow():
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


class TimestampMixin:
    """created_at and updated_at columns kept by the database session."""

    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


def lock_row(obj):
    """Re-read `obj` holding the write lock on its row until the commit, so that two requests deciding on the same
    row (two confirmations, two answers, two moderators) run one after the other and the second sees the first.

    PostgreSQL locks the row (SELECT ... FOR UPDATE). SQLite has no row locks and ignores FOR UPDATE: there a no-op
    UPDATE of the row comes first, which begins the transaction and takes the database's write lock (a second
    writer waits for the commit, up to the driver's busy timeout), and only then is the row read again."""
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        mapper = inspect(obj).mapper
        column = mapper.primary_key[0]
        ident = mapper.primary_key_from_instance(obj)[0]
        # plain SQL: a Core update() would also fire the table's onupdate defaults (updated_at)
        name = f'"{mapper.local_table.name}"'
        session.execute(db.text(f"UPDATE {name} SET {column.name} = {column.name} WHERE {column.name} = :ident"),
                        {"ident": ident})
    session.refresh(obj, with_for_update=True)
