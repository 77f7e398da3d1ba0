"""Fixtures for the listings tests: an English-reading client."""
import pytest


@pytest.fixture
def client(app):
    """A test client reading the pages in English, so tests can quote the source strings."""
    client = app.test_client()
    client.get("/lang/en")
    return client
