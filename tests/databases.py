"""Databases for tests that need two real connections at once (two people acting at the same moment)."""


def file_database_url(database_url, tmp_path_factory, name):
    """The test database URL, with SQLite's in-memory database (a single connection shared by every thread, so
    two transactions cannot race there) replaced by a file of its own; PostgreSQL's is kept."""
    if not database_url.startswith("sqlite"):
        return database_url
    return f"sqlite:///{tmp_path_factory.mktemp(name)}/{name}.db"
