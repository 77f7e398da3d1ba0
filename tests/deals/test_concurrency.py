"""Two people acting on the same deal at the same moment, each in their own transaction: the second waits for the
first and sees what it did (core.models.lock_row), on SQLite as on PostgreSQL."""
import threading
from datetime import date, timedelta

import pytest

from marketplace.core.errors import ValidationError
from marketplace.deals import services
from marketplace.deals.models import Deal
from tests.databases import file_database_url

CONTRACT = {"contract_value_vnd": "1.500.000.000", "transfer_form": "license",
            "transfer_methods": ["documents"],
            "signed_on": (date.today() - timedelta(days=30)).isoformat()}


@pytest.fixture(scope="session")
def database_url(database_url, tmp_path_factory):
    """A database file on SQLite: two threads need two real connections."""
    return file_database_url(database_url, tmp_path_factory, "deals")


def _at_once(app, deal_id, people, act):
    """Run `act(deal, person)` for each person (by id) in a thread of its own, all loading the deal first and then
    acting together; returns what each got ("ok" or the refusal)."""
    from marketplace.accounts.models import User
    from marketplace.extensions import db

    barrier, results = threading.Barrier(len(people)), []

    def run(user_id):
        with app.app_context():
            try:
                deal, user = db.session.get(Deal, deal_id), db.session.get(User, user_id)
                deal.stage  # loaded before the other acts: a stale read unless the service locks and reads again
                barrier.wait(timeout=10)
                act(deal, user)
                results.append("ok")
            except ValidationError as exc:
                results.append(str(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(person_id,)) for person_id in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_confirmations_at_the_same_moment_complete_the_deal(app, db, parties, deal):
    while deal.stage != "in_transfer":
        nxt = deal.next_stage
        services.advance_deal(deal, parties.buyer, nxt, CONTRACT if nxt == "contract_signed" else None)
    deal_id, people = deal.id, [parties.buyer.id, parties.seller.id]
    db.session.remove()
    results = _at_once(app, deal_id, people, services.confirm_completion)
    assert results == ["ok", "ok"]
    deal = db.session.get(Deal, deal_id)
    assert deal.stage == "completed"
    assert [e.to_stage for e in deal.events if e.action == "stage"][-1] == "completed"


def test_the_same_move_twice_at_once_moves_the_deal_once(app, db, parties, deal):
    deal_id, people = deal.id, [parties.buyer.id, parties.seller.id]
    db.session.remove()
    results = _at_once(app, deal_id, people,
                       lambda d, user: services.advance_deal(d, user, "nda_signed"))
    assert results.count("ok") == 1, results
    deal = db.session.get(Deal, deal_id)
    assert deal.stage == "nda_signed"
    assert [e.to_stage for e in deal.events if e.action == "stage"] == ["nda_signed"]
