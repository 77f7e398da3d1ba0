"""/healthz and the API when the database is down: JSON and 503, never a 500 page."""
import pytest

from marketplace import create_app
from marketplace.config import TESTING


@pytest.fixture
def broken_client(tmp_path):
    """A client of an app whose database file cannot be opened."""
    app = create_app({
        **TESTING,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "no-such-folder" / "db.sqlite"),
    })
    return app.test_client()


def test_healthz_reports_database_and_search_ok(client):
    from marketplace.search.services import reindex

    reindex()
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"], body["search"]) == ("ok", "ok", "ok")
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_says_degraded_without_a_search_index(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["database"], body["search"]) == ("degraded", "ok", "degraded")


def test_healthz_answers_503_json_when_the_database_is_down(broken_client):
    response = broken_client.get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["database"] == "error"


def test_api_answers_503_json_when_the_database_is_down(broken_client):
    response = broken_client.get("/api/v1/offers")

    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == 503
