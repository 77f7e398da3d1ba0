"""How long announcing a newly published listing takes (issue 4: saved searches and followed sectors): generate
an exchange (bench/search_speed.py's listings), people with saved searches and followed sectors, then time
`alerts.announce()` for new listings published one at a time and in a batch, as the search outbox hook runs it.

    .venv/bin/python bench/notifications_speed.py                               # Whoosh, 20,000 listings
    .venv/bin/python bench/notifications_speed.py --listings 2000 --searches 300
    .venv/bin/python bench/notifications_speed.py --backend postgres --listings 50000

Each distinct saved search (text and filters) is run once per announcement through the search backend, newest
first, restricted to nothing but read until the new listings are passed; searches whose filters no new listing
passes are not run. The cost grows with the number of distinct saved searches, not with the people who saved them.
"""
import argparse
import importlib.util
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def _search_speed():
    spec = importlib.util.spec_from_file_location("search_speed", os.path.join(ROOT, "bench", "search_speed.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_people(count_searches, count_follows, sectors, localities, rng, bench):
    """Users with saved searches (the search bench's query mix, listings only) and followed sectors."""
    from urllib.parse import urlencode

    from marketplace.accounts.models import Organization, User
    from marketplace.extensions import db
    from marketplace.notifications.models import SavedSearch, SectorFollow

    org = Organization(name="Người theo dõi", kind="enterprise", slug="bench-followers")
    db.session.add(org)
    db.session.flush()
    queries = [params for _c, params in bench.build_queries(sectors, localities)
               if params.get("q") and params.get("kind") != "org"]
    people = count_searches // 3 + 1
    users = [User(email=f"follower{n}@bench.vn", full_name=f"F {n}", org_id=org.id, email_frequency="off",
                  password_hash="x") for n in range(people)]
    db.session.add_all(users)
    db.session.flush()
    seen = set()
    for n in range(count_searches):
        params = dict(rng.choice(queries))
        args = {k: v for k, v in params.items() if k not in ("page", "per_page", "sort") and v}
        signature = urlencode(sorted(args.items()))
        user = users[n % people]
        if (user.id, signature) in seen:
            continue
        seen.add((user.id, signature))
        db.session.add(SavedSearch(user_id=user.id, q=args.get("q", ""), args=args, signature=signature))
    codes = [c for c, _n in sectors] + list("123456")
    for n in range(count_follows):
        user = users[n % people]
        code = codes[(n * 7) % len(codes)]
        if (user.id, code) not in seen:
            seen.add((user.id, code))
            db.session.add(SectorFollow(user_id=user.id, sector_code=code))
    db.session.commit()
    distinct = len({s for _u, s in seen if "=" in s})
    return people, distinct


def publish(count, org_id, rng, bench, sectors, localities, start_id):
    """Publish `count` new listings through the ORM (as a moderator's approval does), without the alerts hook;
    the outbox is applied so the index holds them. Returns their ids."""
    from marketplace.core.models import utcnow
    from marketplace.extensions import db
    from marketplace.listings.models import MODELS_BY_KIND
    from marketplace.search import outbox

    generator = bench.Generator(sectors, localities, seed=rng.randrange(10**6))
    rows, modes = generator.listings(start_id, count, 100)
    hooks = list(outbox.AFTER_APPLY)
    outbox.AFTER_APPLY.clear()
    try:
        listings = []
        for row in rows:
            model = MODELS_BY_KIND[row["kind"]]
            fields = {k: v for k, v in row.items() if k not in ("id", "kind", "search_text")}
            fields.update(owner_org_id=org_id, status="published", published_at=utcnow())
            listing = model(**fields)
            listing.transfer_modes = [m["code"] for m in modes if m["listing_id"] == row["id"]]
            listing.refresh_search_text()
            db.session.add(listing)
            listings.append(listing)
        db.session.commit()  # SEARCH_APPLY=sync: the index holds them now
    finally:
        outbox.AFTER_APPLY[:] = hooks
    return [listing.id for listing in listings]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--searches", type=int, default=1_000, help="saved searches (default 1,000)")
    parser.add_argument("--follows", type=int, default=1_000, help="followed sectors (default 1,000)")
    parser.add_argument("--singles", type=int, default=20, help="listings announced one at a time (default 20)")
    parser.add_argument("--batch", type=int, default=100, help="listings announced together (default 100)")
    parser.add_argument("--pg-server", default="postgresql://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    bench = _search_speed()

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.notifications import alerts
    from marketplace.notifications.models import Notification
    from marketplace.reference.services import ensure_reference_data
    from marketplace.search import glossary
    from marketplace.search import services as search

    tmp = tempfile.mkdtemp(prefix="notifications-bench-")
    pg_name = None
    config = {"INSTANCE_PATH": os.path.join(tmp, "instance"), "SECRET_KEY": "bench", "SEARCH_APPLY": "sync",
              "PUBLIC_URL": "http://127.0.0.1:5000", "SEARCH_BACKEND": options.backend, "DAILY_JOBS_INLINE": False,
              "SEARCH_INDEX_DIR": os.path.join(tmp, "search-index"), "RATELIMIT_ENABLED": False}
    if options.backend == "postgres":
        pg_name = f"bench_notifications_{os.getpid()}"
        config["SQLALCHEMY_DATABASE_URI"] = bench.create_pg_database(options.pg_server, pg_name)
    else:
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(tmp, "bench.db")
    app = create_app(config)
    rng = random.Random(4)
    try:
        with app.app_context():
            db.create_all()
            ensure_reference_data()
            glossary.load_shipped()
            if options.backend == "postgres":
                search.get_backend().ensure_schema()
            orgs, seconds, sectors, localities = bench.load_data(app, options.listings, db.engine.dialect.name)
            start = time.perf_counter()
            search.reindex()
            print(f"{options.backend}: {options.listings:,} listings loaded in {seconds:.1f} s, indexed in "
                  f"{time.perf_counter() - start:.1f} s")
            people, distinct = make_people(options.searches, options.follows, sectors, localities, rng, bench)
            print(f"{people:,} people with {options.searches:,} saved searches ({distinct:,} distinct) and "
                  f"{options.follows:,} followed sectors")
            org_id = 2  # an institute or firm of the generated exchange (1 is the department)
            next_id = options.listings + 1_000_000
            timings, made = [], 0
            for n in range(options.singles):
                [listing_id] = publish(1, org_id, rng, bench, sectors, localities, next_id + n)
                start = time.perf_counter()
                made += alerts.announce([listing_id])
                timings.append(time.perf_counter() - start)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
            print(f"one new listing at a time ({options.singles}): median {statistics.median(timings) * 1000:.0f} ms,"
                  f" p95 {p95 * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms; {made / options.singles:.1f} "
                  "notifications per listing")
            ids = publish(options.batch, org_id, rng, bench, sectors, localities, next_id + 10_000)
            start = time.perf_counter()
            made = alerts.announce(ids)
            seconds = time.perf_counter() - start
            print(f"a batch of {options.batch} new listings: {seconds:.1f} s ({seconds / options.batch * 1000:.0f} ms "
                  f"a listing), {made:,} notifications")
            print(f"notifications in all: {db.session.query(Notification).count():,}")
            search.get_backend().close()
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if pg_name:
            bench.drop_pg_database(options.pg_server, pg_name)


if __name__ == "__main__":
    main()
