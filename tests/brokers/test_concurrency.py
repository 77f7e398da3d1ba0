"""A proposal and an expression of interest on the same offer accepted at the same moment, each in its own
transaction: one deal opens, the other acceptance is refused (deals.open_deal locks the listings' rows before it
looks for a deal), on SQLite as on PostgreSQL."""
import threading

import pytest

from marketplace.brokers import services
from marketplace.core.errors import ValidationError
from marketplace.deals.models import Deal


@pytest.fixture(scope="session")
def database_url(database_url, tmp_path_factory):
    """A database file on SQLite: two threads need two real connections (in memory there is only one)."""
    if not database_url.startswith("sqlite"):
        return database_url
    return f"sqlite:///{tmp_path_factory.mktemp('brokers')}/brokers.db"


def test_an_interest_and_a_proposal_accepted_at_once_open_one_deal(app, db, market, make_user):
    from marketplace.accounts.models import User
    from marketplace.brokers.models import MatchProposal
    from marketplace.interest import services as interest
    from marketplace.interest.models import Interest

    proposal = services.propose_match(market.broker, market.need, market.offer, "Gặp nhau nhé")
    services.respond(proposal, market.buyer, "accepted")
    pending = interest.express_interest(market.offer, make_user("member", org=market.buyer_org), "Chúng tôi quan tâm")
    colleague = make_user("member", org=market.seller_org, org_role="admin")
    ids = {"proposal": proposal.id, "interest": pending.id, "seller": market.seller.id, "colleague": colleague.id}
    db.session.remove()
    barrier, results = threading.Barrier(2), {}

    def run(name):
        with app.app_context():
            try:
                if name == "proposal":
                    item, user = db.session.get(MatchProposal, ids["proposal"]), db.session.get(User, ids["seller"])
                    item.status  # noqa: B018 - loaded before the other acts
                    barrier.wait(timeout=10)
                    services.respond(item, user, "accepted")
                else:
                    item, user = db.session.get(Interest, ids["interest"]), db.session.get(User, ids["colleague"])
                    item.state  # noqa: B018
                    barrier.wait(timeout=10)
                    interest.accept_interest(item, user)
                results[name] = "ok"
            except ValidationError as exc:
                results[name] = str(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("proposal", "interest")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["interest", "proposal"]
    assert list(results.values()).count("ok") == 1, results
    deals = db.session.scalars(db.select(Deal)).all()
    assert len(deals) == 1
    assert [v for v in results.values() if v != "ok"][0].count(deals[0].ref) == 1  # the refusal names it
