"""Several processes publishing, editing and withdrawing at once leave the index equal to the database."""
import os
import subprocess
import sys
import textwrap

import pytest

from marketplace import create_app
from marketplace.config import TESTING
from marketplace.extensions import db
from tests.conftest import drop_everything

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROCESSES = 4
LISTINGS_EACH = 12

WORKER = textwrap.dedent("""
    import sys
    from marketplace import create_app
    from marketplace.config import TESTING
    from marketplace.core.models import utcnow
    from marketplace.extensions import db
    from marketplace.accounts.models import Organization
    from marketplace.listings.models import Offer

    url, instance, number, count, backend = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    app = create_app({**TESTING, "INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url, "SEARCH_APPLY": "sync",
                      "JOBS_RAISE": True, "SEARCH_LOCK_TIMEOUT": 60, "SEARCH_BACKEND": backend})
    with app.app_context():
        org = Organization(name=f"Viện số {number}", slug=f"vien-so-{number}", kind="institute")
        db.session.add(org)
        db.session.commit()
        offers = []
        for i in range(count):
            offer = Offer(owner=org, title=f"Máy số {number}-{i}", summary="Tóm tắt", status="published",
                          published_at=utcnow(), sector_code="202")
            db.session.add(offer)
            db.session.commit()
            offers.append(offer)
        for i, offer in enumerate(offers):
            if i % 3 == 0:
                offer.status = "withdrawn"
            elif i % 3 == 1:
                offer.title = offer.title + " (sửa)"
            db.session.commit()
""")


@pytest.fixture
def shared(tmp_path, database_url, search_backend):
    """A database and an instance folder that several processes share, with the schema and reference data."""
    url = database_url if not database_url.startswith("sqlite") else f"sqlite:///{tmp_path}/shared.db"
    instance = str(tmp_path / "instance")
    app = create_app({**TESTING, "INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url,
                      "SEARCH_BACKEND": search_backend})
    with app.app_context():
        db.create_all()
        from marketplace.reference.services import ensure_reference_data

        ensure_reference_data()
        yield app, url, instance
        db.session.remove()
        drop_everything()


def test_concurrent_writers_leave_the_index_equal_to_the_database(shared):
    app, url, instance = shared
    env = {**os.environ, "PYTHONPATH": ROOT}
    backend = app.config["SEARCH_BACKEND"]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, url, instance, str(n), str(LISTINGS_EACH), backend],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for n in range(PROCESSES)]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()[-3000:]

    from marketplace.accounts.models import Organization
    from marketplace.listings.models import Listing
    from marketplace.search.outbox import pending_count
    from marketplace.search.services import get_backend

    published = db.session.scalars(db.select(Listing.id).where(Listing.status == "published")).all()
    orgs = db.session.scalars(db.select(Organization.id)).all()
    expected = {f"listing:{i}" for i in published} | {f"org:{i}" for i in orgs}
    assert len(published) == PROCESSES * (LISTINGS_EACH - LISTINGS_EACH // 3)
    assert pending_count() == 0
    assert get_backend().keys() == expected
    with app.test_request_context():
        from marketplace.search.services import search

        titles = {hit.title for hit in search(q="sửa", per_page=100).hits}
    assert len(titles) == PROCESSES * (LISTINGS_EACH // 3) and all("(sửa)" in t for t in titles)
