"""Fixtures for the search tests: an English-reading client, and a `find` helper."""
import pytest


@pytest.fixture
def client(app):
    """A test client reading the pages in English, so tests can quote the source strings."""
    client = app.test_client()
    client.get("/lang/en")
    return client


@pytest.fixture
def find(app):
    """find(q, **filters) -> the titles of the hits, best first (inside a request context, as a page would)."""
    from marketplace.search import services

    def run(q="", **kwargs):
        with app.test_request_context():
            return [hit.title for hit in services.search(q=q, **kwargs).hits]

    return run


@pytest.fixture
def results(app):
    """results(q, **filters) -> the SearchResults."""
    from marketplace.search import services

    def run(q="", **kwargs):
        with app.test_request_context():
            return services.search(q=q, **kwargs)

    return run
