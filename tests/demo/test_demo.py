"""`flask demo load` and `flask demo accounts`: a believable, valid demo exchange in an empty database."""
import re

import pytest
from sqlalchemy import func

from marketplace.accounts.models import ORG_KINDS, Organization, User
from marketplace.core import clock
from marketplace.demo import data
from marketplace.demo.services import entries_by_kind, listing_data
from marketplace.listings import services as listing_services
from marketplace.listings.models import IpAsset, Listing, ListingEvent, Need, Offer, offer_ip_asset
from marketplace.reference.services import locality_codes, sector_codes


def _count(db, model, *where):
    return db.session.scalar(db.select(func.count()).select_from(model).where(*where))


def _totals(db):
    return (_count(db, Organization), _count(db, User), _count(db, Listing), _count(db, ListingEvent))


@pytest.fixture
def loaded(runner, db):
    """The app's database after `flask demo load`."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def test_load_fills_an_empty_database(loaded, db):
    assert _count(db, Organization) >= 15
    kinds = set(db.session.scalars(db.select(Organization.kind)))
    assert kinds == set(ORG_KINDS)
    cooperatives = _count(db, Organization, Organization.name.like("Hợp tác xã%"))
    assert cooperatives >= 2
    assert _count(db, Offer) >= 40
    assert _count(db, Need) >= 20
    assert _count(db, IpAsset) >= 10
    assert _count(db, Offer, Offer.status == "published") >= 40
    assert _count(db, Need, Need.status == "published") >= 20
    assert "44 offers" in loaded.output


def test_demo_accounts_sign_in_with_the_printed_password(loaded, runner, app):
    output = runner.invoke(args=["demo", "accounts"]).output
    assert "for demonstration only" in output
    roles = set()
    for spec in data.DEMO_ACCOUNTS:
        line = next(line for line in output.splitlines() if spec["email"] in line)
        assert data.DEMO_PASSWORD in line
        client = app.test_client()
        response = client.post("/login", data={"email": spec["email"], "password": data.DEMO_PASSWORD})
        assert response.status_code == 302, spec["email"]
        roles.add(spec["role"])
    assert roles == {"member", "broker", "department", "admin"}


def test_demo_roles_and_organisations(loaded, db):
    users = {u.email: u for u in db.session.scalars(db.select(User))}
    by_key = {spec["key"]: users[spec["email"]] for spec in data.DEMO_ACCOUNTS}
    assert by_key["enterprise"].org.kind == "enterprise"
    assert by_key["provider"].org.kind in ("university", "institute")
    assert (by_key["broker"].role, by_key["broker"].org.kind) == ("broker", "broker")
    assert (by_key["department"].role, by_key["department"].org.kind) == ("department", "department")
    assert by_key["admin"].role == "admin"
    # the people who are not demo accounts cannot sign in with anything
    contact = users[data.CONTACTS[0]["email"]]
    assert not contact.check_password(data.DEMO_PASSWORD)


def test_load_again_refuses_and_changes_nothing(loaded, runner, db):
    before = _totals(db)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert _totals(db) == before


def test_if_empty_skips_a_database_with_data(runner, db, make_org):
    make_org("enterprise", name="Công ty có sẵn")
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert _count(db, Organization) == 1 and _count(db, Listing) == 0


def test_refuses_a_database_with_data_without_if_empty(runner, db, make_listing):
    make_listing("offer")
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code != 0
    assert _count(db, Listing) == 1


def test_if_empty_on_an_empty_database_loads(runner, db):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert _count(db, Offer) >= 40


def test_accounts_without_demo_data_says_so(runner):
    result = runner.invoke(args=["demo", "accounts"])
    assert result.exit_code == 0
    assert "No demo accounts" in result.output


def test_accounts_flags_a_changed_password(loaded, runner, db):
    user = db.session.scalar(db.select(User).where(User.email == data.DEMO_ACCOUNTS[0]["email"]))
    user.set_password("mot-mat-khau-khac")
    db.session.commit()
    line = next(line for line in runner.invoke(args=["demo", "accounts"]).output.splitlines()
                if user.email in line)
    assert "(changed)" in line and data.DEMO_PASSWORD not in line


def test_every_demo_listing_passes_the_listing_checks(app):
    sectors, localities = sector_codes(), locality_codes()
    refs = set()
    for kind, entries in entries_by_kind():
        for entry in entries:
            clean = listing_services.clean_listing_data(kind, listing_data(entry), sectors, localities)
            assert clean["expires_at"] > clock.today(), entry["ref"]
            prefix = {"offer": "CB", "need": "NC", "ip": "TS"}[kind]
            assert re.fullmatch(rf"DEMO-{prefix}-\d{{3}}", entry["ref"])
            refs.add(entry["ref"])
            if kind != "ip":
                sentences = [s for s in re.split(r"(?<=[.!?])\s+", entry["summary"]) if s]
                assert 1 <= len(sentences) <= 3, entry["ref"]
                assert entry["detail"], entry["ref"]
    assert len(refs) == len(data.OFFERS) + len(data.NEEDS) + len(data.IP_ASSETS)
    for need_ref, offer_ref in data.RELATED:
        assert need_ref in refs and offer_ref in refs


def test_demo_content_is_varied(app):
    offers, needs = data.OFFERS, data.NEEDS
    assert {o["trl"] for o in offers} >= {4, 5, 6, 7, 8, 9}
    assert {n["min_trl"] for n in needs} >= {6, 7, 8}
    assert {o["price_type"] for o in offers} == {"negotiable", "indicative", "floor", "firm"}
    prices = [o["price_vnd"] for o in offers if o.get("price_vnd")]
    assert min(prices) >= 50_000_000 and max(prices) >= 1_000_000_000
    localities = {e["locality_code"] for e in offers + needs}
    assert localities == locality_codes()
    modes = {m for e in offers + needs for m in e["transfer_modes"]}
    assert len(modes) >= 6
    assert {a["ip_type"] for a in data.IP_ASSETS} >= {
        "patent", "utility_solution", "plant_variety", "software", "trademark", "trade_secret"}


def test_listings_carry_their_lifecycle(loaded, db):
    queue = listing_services.moderation_queue()
    assert 2 <= len(queue) <= 4
    rejected = db.session.scalars(db.select(Listing).where(Listing.status == "rejected")).all()
    assert len(rejected) == 1 and rejected[0].rejection_reason and rejected[0].rejection_message
    for listing in db.session.scalars(db.select(Listing).where(Listing.status == "published")):
        actions = [e.action for e in listing.events]
        assert actions[0] == "created" and "approved" in actions, listing.ref
        assert listing.published_at is not None
        assert listing.search_text and listing.transfer_modes
    published = [l.published_at for l in listing_services.latest("offer", limit=100)]
    assert len(set(published)) == len(published)  # "newest first" is a strict order
    assert (published[0] - published[-1]).days > 90
    linked = db.session.scalars(db.select(Offer).where(Offer.id.in_(db.select(offer_ip_asset.c.offer_id)))).all()
    assert len(linked) >= 5
    assert all(asset.owner_org_id == offer.owner_org_id for offer in linked for asset in offer.ip_assets)


def test_search_text_finds_demo_offers_without_diacritics(loaded):
    filters = listing_services.parse_filters({"q": "may say nong san"})
    items, total = listing_services.paginate(listing_services.browse_query(filters), 1, 20)
    assert "DEMO-CB-001" in {item.ref for item in items}


def test_home_page_shows_the_demo_counts(loaded, client, db):
    page = client.get("/").get_data(as_text=True)
    offers = _count(db, Offer, Offer.status == "published")
    needs = _count(db, Need, Need.status == "published")
    assert f'data-count="offer">{offers}<' in page
    assert f'data-count="need">{needs}<' in page
    newest = listing_services.latest("offer", limit=1)[0]
    assert newest.title in page


def test_published_demo_listings_show_on_their_detail_pages(loaded, client, db):
    from markupsafe import escape

    for listing in db.session.scalars(db.select(Listing).where(Listing.status == "published")):
        response = client.get(f"/listings/{listing.id}")
        assert response.status_code == 200, listing.ref
        page = response.get_data(as_text=True)
        assert str(escape(listing.title)) in page, listing.ref
        if listing.kind != "ip":
            first_line = listing.detail.splitlines()[0]
            assert str(escape(first_line)) not in page, listing.ref  # confidential to visitors
