"""Two people answering the same interest at the same moment, each in their own transaction: one deal opens,
and the second is told why not, on SQLite as on PostgreSQL."""
import threading

import pytest
from flask_babel import force_locale

from marketplace.accounts.models import User
from marketplace.core.errors import ValidationError
from marketplace.deals.models import Deal
from marketplace.interest import services
from marketplace.interest.models import Interest
from tests.databases import file_database_url


@pytest.fixture(scope="session")
def database_url(database_url, tmp_path_factory):
    """A database file on SQLite: two threads need two real connections."""
    return file_database_url(database_url, tmp_path_factory, "interest")


def test_two_accepts_at_the_same_moment_open_one_deal(app, db, world, offer):
    """Two people of the owner organisation accept at once, each in their own transaction: the interest moves out
    of "pending" in one conditional UPDATE (interest.services._move), so the second finds it answered and opens
    nothing."""
    interest_id = services.express_interest(offer, world.buyer, "Mua").id
    barrier, results = threading.Barrier(2), []

    def accept(user_id):
        with app.app_context(), force_locale("en"):  # a thread's own context: the english fixture does not reach it
            try:
                interest, user = db.session.get(Interest, interest_id), db.session.get(User, user_id)
                assert interest.state == "pending" and interest.listing.owner is not None
                barrier.wait(timeout=10)
                services.accept_interest(interest, user)
                results.append("accepted")
            except ValidationError as exc:
                results.append(str(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(u.id,)) for u in (world.owner, world.owner_colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == 2 and results.count("accepted") == 1, results
    assert any("not possible any more" in r for r in results), results
    db.session.expire_all()
    assert len(db.session.scalars(db.select(Deal)).all()) == 1
