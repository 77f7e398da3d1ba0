"""Saved searches and followed sectors, and the notifications they bring when a listing is newly published.

When the search outbox has put a batch into the index (outbox.AFTER_APPLY, so within seconds of the commit in
the embedded default), `announce_after_search_apply` looks at the listings of the batch that are published,
were published recently and were never announced. Followed sectors match a listing of the sector (a followed
field: any sector of it). Every person matched gets one notification per listing, whatever number of their
searches and sectors match it; the listing's own organisation gets none. A ListingAnnouncement row per listing
(its primary key) keeps a listing from being announced twice, also by two processes at once.

A saved search matches a new listing when two things hold:
1. the search page finds it: the saved words are read as the page reads them (folding, abbreviations, glossary,
   spelling) and run through the search backend with the saved filters, newest first, so the match is the
   backend's own (its plan of which words decide, its folding of diacritics);
2. it is about what was asked: it holds at least three quarters of the query's content words (all of them for
   up to three words; fillers aside), each as the page ranks it first (typed with diacritics: with them, so
   "máy sấy" does not announce "mây tre"; typed without: in any spelling), or one of the query's expansions
   whole ("XLNT" -> "xử lý nước thải").
The search page lists any listing holding any word, ranked, which suits a page read from the top; an alert
is read one by one, and on the demo exchange "máy sấy" alone finds 39 of the 74 listings.

A listing the hook missed (a process killed between the index and the announcement) is announced by the daily
`announce_missed()` (`flask notifications announce`), once its outbox rows are applied.
"""
import logging
import math
import unicodedata
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from marketplace.accounts.labels import ORG_KIND_LABELS
from marketplace.accounts.models import Organization, User
from marketplace.core.daily import daily_task
from marketplace.core.errors import ValidationError
from marketplace.core.models import utcnow
from marketplace.core.pagination import DEFAULT_PER_PAGE
from marketplace.extensions import db
from marketplace.listings.models import IP_TYPE_LABELS, KIND_LABELS, TRANSFER_MODE_LABELS, Listing
from marketplace.notifications.models import ListingAnnouncement, SavedSearch, SectorFollow
from marketplace.notifications.services import message, notify
from marketplace.reference.models import Locality, Sector

log = logging.getLogger(__name__)

MAX_SAVED_SEARCHES = 50  # per person
MAX_FOLLOWS = 100  # per person
# What a saved search keeps: the search form's text and filters, and its order (for the link back).
SAVED_ARGS = ("q", "kind", "sector_code", "trl_band", "transfer_mode", "locality", "owner_kind", "ip_type", "sort")
# Listings published longer ago than this are not "new": a listing renewed or edited long after it was
# published, or published before alerts existed, is never announced.
NEW_FOR = timedelta(hours=48)
# How many pages (newest first, the search page's page size) a saved search reads to find the new listings:
# enough for the listings published since the batch, however many other listings were published meanwhile.
MAX_PAGES = 10
ANNOUNCE_BATCH = 200

KIND_SEARCH = "listing.saved_search"
KIND_SECTOR = "listing.followed_sector"
message(KIND_SEARCH, _l("New on the exchange for your saved search %(search)s: %(title)s"))
message(KIND_SECTOR, _l("New in %(sector)s, a sector you follow: %(title)s"))

FILTER_TITLES = {
    "kind": _l("Kind"),
    "sector_code": _l("Sector"),
    "trl_band": _l("Readiness (TRL)"),
    "transfer_mode": _l("Transfer form"),
    "locality": _l("Locality"),
    "owner_kind": _l("Owner"),
    "ip_type": _l("IP type"),
}
LANGUAGES = ("vi", "en")


# --- saving and following ------------------------------------------------------------------------------

def _signature(args):
    """The canonical query string of a search's text and filters (its order left out: the same listings)."""
    return urlencode(sorted((k, v) for k, v in args.items() if k != "sort"))


def save_search(user, data):
    """Save the search the search page shows for `data` (its query arguments): the text and filters exactly as
    the search form reads them. Raises ValidationError for an empty, unreadable or already saved search."""
    from marketplace.search import services as search

    values = {name: str(data.get(name) or "") for name in SAVED_ARGS}
    args = search.parse_search_args(values, strict=True)  # unknown codes and values: a clear message
    if not args.q and not args.backend_filters():
        raise ValidationError(_("Type some words or choose a filter before saving a search."), field="q")
    if args.kind == "org":
        raise ValidationError(_("A search for organisations cannot be saved: saved searches tell you of new "
                                "listings."), field="kind")
    if args.q and not search.query_groups(search.read(args.q)):
        raise ValidationError(_("Type some words: letters or digits. Punctuation and symbols alone find nothing."),
                              field="q")
    stored = args.as_args()
    signature = _signature(stored)
    if db.session.scalar(db.select(SavedSearch.id).where(SavedSearch.user_id == user.id,
                                                          SavedSearch.signature == signature)):
        raise ValidationError(_("You have already saved this search."))
    count = db.session.scalar(db.select(db.func.count(SavedSearch.id)).where(SavedSearch.user_id == user.id))
    if count >= MAX_SAVED_SEARCHES:
        raise ValidationError(_("You can keep %(max)s saved searches at most. Delete one you no longer need.",
                                max=MAX_SAVED_SEARCHES))
    saved = SavedSearch(user_id=user.id, q=args.q, args=stored, signature=signature)
    db.session.add(saved)
    try:
        db.session.commit()
    except IntegrityError:  # the same search saved twice at once (a double click)
        db.session.rollback()
        raise ValidationError(_("You have already saved this search.")) from None
    return saved


def delete_saved_search(saved):
    """Delete a saved search (no more notifications from it)."""
    db.session.delete(saved)
    db.session.commit()


def get_sector(code):
    """The sector or field with this code, or None."""
    code = (code or "").strip()
    if not code or len(code) > 10:
        return None
    return db.session.get(Sector, code)


def follow_sector(user, sector):
    """Follow a sector or field: (the SectorFollow, True when it is new)."""
    existing = db.session.scalar(db.select(SectorFollow).where(SectorFollow.user_id == user.id,
                                                               SectorFollow.sector_code == sector.code))
    if existing is not None:
        return existing, False
    count = db.session.scalar(db.select(db.func.count(SectorFollow.id)).where(SectorFollow.user_id == user.id))
    if count >= MAX_FOLLOWS:
        raise ValidationError(_("You can follow %(max)s sectors at most.", max=MAX_FOLLOWS))
    follow = SectorFollow(user_id=user.id, sector_code=sector.code)
    db.session.add(follow)
    try:
        db.session.commit()
    except IntegrityError:  # followed twice at once
        db.session.rollback()
        return db.session.scalar(db.select(SectorFollow).where(SectorFollow.user_id == user.id,
                                                               SectorFollow.sector_code == sector.code)), False
    return follow, True


def unfollow_sector(user, sector):
    """Stop following a sector; False when the person did not follow it."""
    result = db.session.execute(db.delete(SectorFollow).where(SectorFollow.user_id == user.id,
                                                              SectorFollow.sector_code == sector.code))
    db.session.commit()
    return bool(result.rowcount)


def saved_searches(user):
    """The person's saved searches, newest first."""
    return db.session.scalars(db.select(SavedSearch).where(SavedSearch.user_id == user.id)
                              .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())).all()


def followed_sectors(user):
    """The person's followed sectors, by code."""
    return db.session.scalars(db.select(SectorFollow).where(SectorFollow.user_id == user.id)
                              .order_by(SectorFollow.sector_code)).all()


def followed_codes(user):
    """The codes of the sectors the person follows."""
    return set(db.session.scalars(db.select(SectorFollow.sector_code).where(SectorFollow.user_id == user.id)))


def describe(args):
    """[(filter title, value label)] of a saved search's filters, in the current language."""
    out = []
    for name, title in FILTER_TITLES.items():
        value = args.get(name)
        if not value:
            continue
        if name == "kind":
            label = KIND_LABELS.get(value, value)
        elif name == "sector_code":
            sector = db.session.get(Sector, value)
            label = f"{value} – {sector.name}" if sector else value
        elif name == "trl_band":
            label = "TRL " + value
        elif name == "transfer_mode":
            label = TRANSFER_MODE_LABELS.get(value, value)
        elif name == "locality":
            locality = db.session.get(Locality, value)
            label = locality.name if locality else value
        elif name == "owner_kind":
            label = ORG_KIND_LABELS.get(value, value)
        else:
            label = IP_TYPE_LABELS.get(value, value)
        out.append((title, str(label)))
    return out


def search_label(args):
    """A saved search in a few words, in the current language: “its text” and its filters."""
    parts = [f"“{args['q']}”"] if args.get("q") else []
    parts += [label for _title, label in describe(args)]
    return ", ".join(parts)


# --- announcing new listings ---------------------------------------------------------------------------

def announce_after_search_apply(keys):
    """Search outbox hook: announce the listings of an applied batch that are newly published."""
    ids = [doc_id for doc_type, doc_id in keys if doc_type == "listing"]
    if ids:
        announce(ids)


def register_hooks():
    """Announce new listings after the search outbox is applied (once per process)."""
    from marketplace.search import outbox

    if announce_after_search_apply not in outbox.AFTER_APPLY:
        outbox.AFTER_APPLY.append(announce_after_search_apply)


def announce(listing_ids):
    """Notify the people whose saved searches or followed sectors match these listings, for each one that is
    published, new and not yet announced; returns how many notifications were made.

    Runs in an app context of its own, so with a session of its own: it is called from another session's
    commit (the search outbox's hook), where that session can run no SQL."""
    app = current_app._get_current_object()
    total = 0
    ids = sorted(set(listing_ids))
    with app.app_context():
        for start in range(0, len(ids), ANNOUNCE_BATCH):
            try:
                total += _announce(ids[start:start + ANNOUNCE_BATCH])
            except IntegrityError:  # another process announced them meanwhile: that one's notifications stand
                db.session.rollback()
                log.info("notifications: listings %s were announced by another process", ids[start:start + 3])
            except Exception:  # alerts are a courtesy: the publication stands, the daily run tries again
                db.session.rollback()
                log.exception("notifications: announcing %s listings failed", len(ids[start:start + ANNOUNCE_BATCH]))
                if app.config.get("JOBS_RAISE"):
                    raise
    return total


def _new_listings(ids):
    """The listings among `ids` to announce: published, recently, and never announced."""
    announced = db.select(ListingAnnouncement.listing_id).where(ListingAnnouncement.listing_id.in_(ids))
    return db.session.scalars(db.select(Listing).where(
        Listing.id.in_(ids), Listing.status == "published", Listing.published_at >= utcnow() - NEW_FOR,
        Listing.id.not_in(announced)).order_by(Listing.id)).all()


def _announce(ids):
    from marketplace.search.documents import doc_key, load_documents

    listings = _new_listings(ids)
    if not listings:
        return 0
    docs = load_documents(db.session, [doc_key("listing", x.id) for x in listings])
    docs = {x.id: docs[doc_key("listing", x.id)] for x in listings if docs.get(doc_key("listing", x.id))}
    # listing id -> {user id: ("search", SavedSearch) | ("sector", Sector)}; a saved search outranks a sector
    reasons = {x.id: {} for x in listings}
    _match_followed_sectors(listings, reasons)
    _match_saved_searches(listings, docs, reasons)
    owners = {x.id: x.owner_org_id for x in listings}
    users = _recipients({uid for found in reasons.values() for uid in found})
    made = 0
    for listing in listings:
        wanted = [(users[uid], why) for uid, why in reasons[listing.id].items()
                  if uid in users and users[uid].org_id != owners[listing.id]]  # never the listing's own org
        db.session.add(ListingAnnouncement(listing_id=listing.id, recipients=len(wanted)))
        for user, (what, source) in wanted:
            made += len(notify([user], *_notification(listing, what, source)))
            if what == "search":
                source.last_match_at = utcnow()
    db.session.commit()
    if made:
        log.info("notifications: %s new listings announced in %s notifications", len(listings), made)
    return made


def _recipients(user_ids):
    """{id: active User} for the ids."""
    if not user_ids:
        return {}
    return {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(user_ids),
                                                                      User.active.is_(True)))}


def _notification(listing, what, source):
    """(kind, params, url) of a listing's notification: the sentence's words in both languages where the
    words are ours (a sector's name, a saved search's filters), so each reader sees their own."""
    url = current_app.url_map.bind("localhost").build("listings.detail", {"listing_id": listing.id})
    params = {"title": listing.title, "ref": listing.ref or "", "listing_id": listing.id}
    if what == "search":
        label = {}
        for lang in LANGUAGES:
            with force_locale(lang):
                label[lang] = search_label(source.args)
        return KIND_SEARCH, {**params, "search": label, "saved_search_id": source.id}, url
    names = {"vi": f"{source.code} – {source.name_vi}", "en": f"{source.code} – {source.name_en or source.name_vi}"}
    return KIND_SECTOR, {**params, "sector": names, "sector_code": source.code}, url


def _match_followed_sectors(listings, reasons):
    codes = {x.sector_code for x in listings if x.sector_code}
    wanted = codes | {c[:1] for c in codes}
    if not wanted:
        return
    sectors = {s.code: s for s in db.session.scalars(db.select(Sector).where(Sector.code.in_(wanted)))}
    follows = db.session.execute(db.select(SectorFollow.user_id, SectorFollow.sector_code)
                                 .where(SectorFollow.sector_code.in_(wanted))).all()
    for listing in listings:
        code = listing.sector_code or ""
        for user_id, followed in follows:
            if code and followed in (code, code[:1]):
                # the sector itself reads better than its field when someone follows both
                current = reasons[listing.id].get(user_id)
                if current is None or len(followed) > len(current[1].code):
                    reasons[listing.id][user_id] = ("sector", sectors[followed])


def _passes_filters(args, doc):
    """Whether a document passes a search's filters, read from the facet values the index holds for it."""
    for name, value in args.backend_filters().items():
        held = doc.facets.get(name, "") if name != "kind" else doc.kind
        if isinstance(held, (list, tuple)):
            if value not in held:
                return False
        elif held != value:
            return False
    return True


def _match_saved_searches(listings, docs, reasons):
    """Run each distinct saved search (once however many people saved it) over the new listings."""
    from marketplace.search import services as search

    groups = {}
    for saved in db.session.scalars(db.select(SavedSearch).join(User, User.id == SavedSearch.user_id)
                                    .where(User.active.is_(True)).order_by(SavedSearch.id)):
        groups.setdefault(saved.signature, []).append(saved)
    if not groups:
        return
    newer = _documents_newer_than(min(x.published_at for x in listings))
    for signature, saved_list in groups.items():
        args = search.parse_search_args(saved_list[0].args)
        if args.errors:  # a sector or locality removed from the reference data since: no longer this search
            log.info("notifications: saved search %r no longer reads (%s)", signature, args.errors)
            continue
        candidates = [doc for doc in docs.values() if _passes_filters(args, doc)]
        if not candidates:
            continue
        found = _found_by(args, candidates, newer) if args.q else {doc.id for doc in candidates}
        for listing_id in found:
            for saved in saved_list:
                if reasons[listing_id].get(saved.user_id, ("",))[0] != "search":
                    reasons[listing_id][saved.user_id] = ("search", saved)


def _documents_newer_than(when):
    """How many searchable documents stand, newest first, at or before a time: the new listings are among
    that many first results of any search."""
    when = when.replace(microsecond=0)  # the index keeps whole seconds
    listings = db.session.scalar(db.select(db.func.count(Listing.id)).where(
        Listing.status == "published", Listing.published_at >= when)) or 0
    orgs = db.session.scalar(db.select(db.func.count(Organization.id)).where(
        Organization.kind != "department", Organization.created_at >= when)) or 0
    return listings + orgs


def _found_by(args, candidates, newer):
    """The ids of the candidate listings the saved search announces: found by the search page's reading and
    backend query (the match does not depend on the order; newest first puts the new listings on top), and
    about what was asked (`_about`)."""
    from marketplace.search import services as search
    from marketplace.search.backends.base import BackendQuery, SearchUnavailable
    from marketplace.search.backends.database import database_search
    from marketplace.search.documents import parse_key

    reading = search.read(args.q)
    groups = search.query_groups(reading)
    if not groups:
        return set()
    main = groups[0] if reading.words else None
    expansions = groups[1:] if main is not None else groups
    # The words first (cheap, in Python): most saved searches share none with a new listing and need no query.
    wanted = {doc.id: doc for doc in candidates if _about(doc, main, expansions)}
    if not wanted:
        return set()
    found = set()
    pages = max(1, min(MAX_PAGES, math.ceil(newer / DEFAULT_PER_PAGE)))
    backend = search.get_backend()
    for page in range(1, pages + 1):
        query = BackendQuery(groups=groups, filters=args.backend_filters(), sort="newest", page=page,
                             per_page=DEFAULT_PER_PAGE)
        try:
            result = backend.search(query)
        except SearchUnavailable:
            result = database_search(query)
        for hit in result.hits:
            doc_type, doc_id = parse_key(hit.key)
            if doc_type == "listing" and doc_id in wanted:
                found.add(doc_id)
        if found == set(wanted) or len(result.hits) < DEFAULT_PER_PAGE:
            break
    return found


def _about(doc, main, expansions):
    """Whether a listing holds enough of a query's content words (three quarters, all of them up to three),
    each as typed (with its diacritics, or in any spelling when typed without), or an expansion's phrase whole."""
    from marketplace.search.analysis import fold_word, words

    exact = words(" ".join((doc.title, doc.keywords, doc.body, doc.ref)))
    folded = [fold_word(w) for w in exact]
    exact_set, folded_set = {_spelling(w) for w in exact}, set(folded)
    if main is not None:
        content = [t.word.lower() for t in main.terms if t.weight >= 1]
        held = sum(1 for w in content if (_spelling(w) in exact_set if fold_word(w) != w else w in folded_set))
        if content and held >= math.ceil(0.75 * len(content)):
            return True
    text = " " + " ".join(folded) + " "
    for group in expansions:
        phrase = " ".join(fold_word(t.word.lower()) for t in group.terms)
        if phrase and f" {phrase} " in text:
            return True
    return False


_TONE_MARKS = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def _spelling(word):
    """A word as spelt, wherever its tone mark sits ("hoà" and "hòa", "thuý" and "thúy" are one spelling)."""
    tone, kept = "", []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def announce_missed():
    """Announce listings published lately that no hook announced (a process stopped in between), once the index
    holds them; returns how many notifications were made. Daily, and `flask notifications announce`."""
    from marketplace.search.models import SearchOutbox

    pending = db.select(SearchOutbox.doc_id).where(SearchOutbox.doc_type == "listing")
    announced = db.select(ListingAnnouncement.listing_id)
    ids = db.session.scalars(db.select(Listing.id).where(
        Listing.status == "published", Listing.published_at >= utcnow() - NEW_FOR,
        Listing.id.not_in(announced), Listing.id.not_in(pending))).all()
    db.session.commit()
    return announce(ids) if ids else 0


@daily_task
def daily_announce_missed():
    """The daily catch-up of missed announcements, in the embedded default."""
    return announce_missed()
