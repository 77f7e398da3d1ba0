"""The index follows the database: a listing is findable once published, changed when edited, gone once
withdrawn; rolled-back changes leave nothing; changes a dead process left are replayed."""
from marketplace.extensions import db
from marketplace.listings import services as listing_services
from marketplace.search import services
from marketplace.search.models import SearchOutbox
from marketplace.search.outbox import apply_pending, pending_count


def _keys_in_database():
    from marketplace.accounts.models import Organization
    from marketplace.listings.models import Listing

    listings = db.session.scalars(db.select(Listing.id).where(Listing.status == "published")).all()
    orgs = db.session.scalars(db.select(Organization.id).where(Organization.kind != "department")).all()
    return {f"listing:{i}" for i in listings} | {f"org:{i}" for i in orgs}


def _index_finds(*words):
    """Keys the index itself holds for these words (not what the database says now)."""
    from marketplace.search.backends.base import BackendQuery, QueryGroup, QueryTerm

    query = BackendQuery(groups=[QueryGroup([QueryTerm(w) for w in words])], per_page=100)
    return {hit.key for hit in services.get_backend().search(query).hits}


def test_published_listing_is_findable_and_withdrawn_one_is_gone(make_user, make_listing, find):
    owner = make_user()
    moderator = make_user(role="department")
    listing = make_listing("need", org=owner.org, status="draft", title="Cần máy bóc vỏ hạt điều")
    assert "Cần máy bóc vỏ hạt điều" not in find("hat dieu")
    listing_services.submit_listing(listing, owner)
    assert "Cần máy bóc vỏ hạt điều" not in find("hat dieu")
    listing_services.approve_listing(listing, moderator)
    assert find("hat dieu") == ["Cần máy bóc vỏ hạt điều"]
    listing_services.withdraw_listing(listing, owner)
    assert find("hat dieu") == []
    assert pending_count() == 0


def test_an_edit_is_searchable_under_its_new_words(make_user, make_listing, find):
    owner = make_user()
    listing = make_listing("offer", org=owner.org, title="Lò sấy thóc")
    listing_services.update_listing(listing, owner, {"title": "Lò sấy cà phê nhân"}, submit=False)
    assert find("ca phe") == ["Lò sấy cà phê nhân"]
    assert find("thoc") == []


def test_an_organisation_rename_reaches_the_index(make_org, find):
    org = make_org("university", name="Trường Đại học Hoa Lư")
    org.name = "Trường Đại học Tràng An"
    db.session.commit()
    assert find("trang an") == ["Trường Đại học Tràng An"]
    assert find("hoa lu") == []


def test_a_rolled_back_change_leaves_no_trace(make_listing, find):
    listing = make_listing("offer", title="Máy ép viên nhiên liệu")
    listing.title = "Tiêu đề chưa lưu"
    db.session.flush()
    assert db.session.scalar(db.select(db.func.count(SearchOutbox.id))) >= 1  # written with the change...
    db.session.rollback()
    assert pending_count() == 0  # ...and gone with it
    assert _index_finds("tiêu", "đề", "lưu") == set()
    assert _index_finds("máy", "ép", "viên") == {f"listing:{listing.id}"}


def test_changes_left_by_a_killed_process_are_replayed(app, make_listing, find):
    make_listing("offer", title="Bếp đun sinh khối")
    app.config["SEARCH_APPLY"] = "worker"  # nobody applies after the commit: as if the process died there
    listing = make_listing("offer", title="Máy thái cỏ cho bò")
    assert pending_count() >= 1
    assert "Máy thái cỏ cho bò" not in find("may thai co")
    assert apply_pending() >= 1  # what a worker, `flask search apply` or the next commit does
    assert find("may thai co")[0] == "Máy thái cỏ cho bò"
    assert services.get_backend().keys() == _keys_in_database()
    assert listing.id


def test_reindex_rebuilds_exactly_the_database(app, make_listing, make_org):
    for n in range(5):
        make_listing("offer", title=f"Công nghệ số {n}")
    make_listing("offer", title="Nháp", status="draft")
    make_org("department", name="Sở Khoa học và Công nghệ")
    assert services.reindex() == len(_keys_in_database())
    assert services.get_backend().keys() == _keys_in_database()


def test_reindex_command_shows_progress_and_builds_if_missing(runner, make_listing):
    make_listing("offer", title="Lò hơi tầng sôi")
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 2 documents" in result.output
    result = runner.invoke(args=["search", "reindex", "--if-missing"])
    assert "nothing to do" in result.output
    assert "ok" in runner.invoke(args=["search", "status"]).output
