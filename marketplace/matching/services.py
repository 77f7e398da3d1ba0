"""Matchmaking: which offers could answer each published need, which needs each offer could serve, and why.

Suggestions are derived data (MatchSuggestion rows). `rebuild()` recomputes every one; `refresh(ids)` recomputes
what touches the given listings after they are published, edited or withdrawn (called after the search outbox
is applied, so within seconds of the commit).

Each process keeps both sides as engine.Index (sparse matrices) and brings them up to date from the listings'
versions: listings gone or edited since (by any process) are taken out and read again, into the index's delta.
A side is also kept on disk (MATCHING_CACHE_DIR, by default instance/matching/, one .npz file per database and
side, written by a rebuild, after a whole side is read, and when the delta is merged), so a new process loads it
in seconds and reads only what changed since, instead of every listing's text (minutes at 100,000).
The file is derived data: deleted, stale or read with another glossary, it is rebuilt from the database.

Who sees them: a need's suggestions are shown to the need's owner, brokers and the department (and an offer's
to its owner, brokers and the department); `visible_suggestions` applies that rule, the policy names it
"matching.view".
"""
import hashlib
import logging
import os
import threading

from flask import current_app, g
from flask_babel import gettext as _
from flask_babel import ngettext

from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.listings.models import TRANSFER_MODE_LABELS, Listing
from marketplace.matching import engine
from marketplace.matching.models import MatchSuggestion
from marketplace.matching.profiles import profile_of, published_profiles, readings
from marketplace.search import glossary
from marketplace.search.analysis import words

log = logging.getLogger(__name__)

KEEP = 20  # suggestions kept per listing
MAX_LIMIT = 50
WRITE_BATCH = 5000  # suggestion rows per INSERT of a rebuild

# Published offers and needs up to which a change refreshes suggestions at once (after the search outbox).
# Measured at 105,000 (100,000 offers, 5,000 needs; bench/matching_speed.py --database sqlite, 2 shared cores
# under load): a first refresh in a new process 10.8 s with the sides' files (both sides read from the database
# without them: 189 s, then saved), the next 2.3 s (most of it the versions of 105,000 listings), a worker's
# index memory ~500 MB growing linearly. 120,000 stays close to what was measured; raise it after measuring.
REFRESH_LIMIT = 120_000

REREAD_SHARE, REREAD_MIN = 0.5, 100  # past both, a side is read whole rather than listing by listing
_work_lock = threading.Lock()  # one computation at a time per process: the indexes are changed in place
_indexes = {}  # (database url, kind) -> engine.Index
_stamps = [None, None, None]  # the glossary pairs and abbreviations last fingerprinted, and the fingerprint


# --- computing -------------------------------------------------------------------------------------------

def _versions(session, kind):
    """{id: version} of the published listings of a kind (the version changes with every edit)."""
    rows = session.execute(db.select(Listing.id, Listing.updated_at)
                           .where(Listing.kind == kind, Listing.status == "published"))
    return {listing_id: str(updated) for listing_id, updated in rows}


def _stamp(aids):
    """A fingerprint of the glossary and abbreviations profiles are read with (an index read with others is read
    again)."""
    pairs, abbreviations = aids
    if _stamps[0] is not pairs or _stamps[1] is not abbreviations:
        digest = hashlib.sha1(repr((list(pairs), sorted(abbreviations.items()))).encode("utf-8")).hexdigest()
        _stamps[:] = [pairs, abbreviations, digest]
    return _stamps[2]


def cache_path(kind):
    """The file keeping a side of this database, or None (switched off, or an in-memory database)."""
    config = current_app.config
    if not config.get("MATCHING_CACHE", True):
        return None
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:") \
            and not config.get("MATCHING_CACHE_DIR"):
        return None  # an in-memory database does not outlive the process
    folder = config.get("MATCHING_CACHE_DIR") or os.path.join(config.get("INSTANCE_PATH") or current_app.instance_path,
                                                              "matching")
    name = hashlib.sha1(url.render_as_string(hide_password=True).encode("utf-8")).hexdigest()[:12]
    return os.path.join(folder, f"{kind}-{name}.npz")


def _save(kind, index):
    """Keep a side on disk (a failure is logged: the file only saves time)."""
    path = cache_path(kind)
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        index.save(path, index.stamp)
        index.saved_at = index.compactions
    except OSError:
        log.exception("matching: could not save the %s index to %s", kind, path)


def _load(kind, stamp):
    path = cache_path(kind)
    if path is None or not os.path.exists(path):
        return None
    index = engine.Index.load(path, stamp)
    if index is None:
        log.info("matching: %s is stale (other glossary or format); reading the %ss again", path, kind)
        return None
    index.stamp, index.saved_at = stamp, index.compactions
    return index


def side_index(session, kind, aids, reread=False):
    """The engine.Index of the published listings of a kind, kept per process (and on disk) and brought up to
    date: listings gone or edited since (by any process) are taken out and read again (into the delta, whose
    merges weigh every listing with the idf of then); past REREAD_SHARE of them changed (and REREAD_MIN), or with
    `reread`, the whole side is read again. Call under _work_lock."""
    key = (str(db.engine.url), kind)
    stamp = _stamp(aids)
    versions = _versions(session, kind)
    index = None if reread else _indexes.get(key)
    if index is not None and index.stamp != stamp:
        index = None  # the glossary changed: every profile may read differently
    if index is None and not reread:
        index = _load(kind, stamp)
    read_all = index is None
    if index is not None:
        held = index.versions
        gone = held.keys() - versions.keys()
        stale = [pid for pid, version in versions.items() if held.get(pid) != version]
        if len(gone) + len(stale) > max(REREAD_SHARE * len(versions), REREAD_MIN):
            index, read_all = None, True
        else:
            for pid in gone:
                index.remove(pid)
            for profile in published_profiles(session, kind, aids, ids=stale):
                index.add(profile)
    if read_all:
        index = engine.Index(published_profiles(session, kind, aids), kind=kind)
        index.stamp, index.saved_at = stamp, None
    _indexes[key] = index
    if index.saved_at != index.compactions:  # read whole, or its delta merged since the file was written
        _save(kind, index)
    return index


def forget_indexes():
    """Drop this process's indexes (a rebuild reads everything again)."""
    with _work_lock:
        _indexes.clear()


def _row(match):
    return {"need_id": match.need_id, "offer_id": match.offer_id, "score": match.score, "text_score": match.text,
            "fits": match.fits, "reasons": [_plain(r) for r in match.reasons],
            "violations": [_plain(v) for v in match.violations], "computed_at": utcnow()}


def _plain(reason):
    return {"code": reason.code, **reason.values}


def _matches_of(profile, offers, needs, limit=KEEP, explain=True):
    """The best Matches of one listing's profile: its offers (a need) or needs (an offer)."""
    if profile.kind == "need":
        return engine.best_offers(profile, offers, limit, explain=explain)
    return engine.best_needs(profile, needs, limit, explain=explain)


def _other_id(match, kind):
    return match.offer_id if kind == "need" else match.need_id


def _kth_scores(session, kind, ids):
    """{id: the KEEP-th best score among the suggestions of these listings of the other side}; a listing with
    fewer than KEEP suggestions is absent (anything may join it)."""
    column = MatchSuggestion.offer_id if kind == "need" else MatchSuggestion.need_id
    scores = {}
    for start in range(0, len(ids), 1000):
        for other, score in session.execute(db.select(column, MatchSuggestion.score)
                                            .where(column.in_(ids[start:start + 1000]))):
            scores.setdefault(other, []).append(score)
    return {other: sorted(values, reverse=True)[KEEP - 1] for other, values in scores.items() if len(values) >= KEEP}


def rebuild(progress=None, session=None):
    """Recompute every suggestion; returns the number kept. `progress(done, total)` is called per listing.

    Both sides are read again from the database; then each need's best offers and each offer's best needs
    (engine.best_all: sparse matrix products in blocks), their rows written WRITE_BATCH at a time as they come,
    replacing the old ones in one transaction (committed at the end)."""
    session = session or db.session
    with _work_lock:
        aids = glossary.for_reading(session)
        offers = side_index(session, "offer", aids, reread=True)
        needs = side_index(session, "need", aids, reread=True)
        total = offers.size + needs.size
        session.execute(db.delete(MatchSuggestion))
        kept, rows, seen = 0, [], set()
        done = 0
        passes = ((engine.best_all(needs, offers, KEEP), None), (engine.best_all(offers, needs, KEEP, skip=seen), seen))
        for found_all, skip in passes:
            for _listing, found in found_all:
                for match in found:
                    if skip is None:
                        seen.add((match.need_id, match.offer_id))
                    rows.append(_row(match))
                if len(rows) >= WRITE_BATCH:
                    session.execute(db.insert(MatchSuggestion), rows)
                    kept, rows = kept + len(rows), []
                done += 1
                if progress:
                    progress(done, total)
        if rows:
            session.execute(db.insert(MatchSuggestion), rows)
            kept += len(rows)
    session.commit()
    return kept


def refresh(listing_ids, session):
    """Recompute the suggestions touching these listings (published: their own best matches, and their place
    among the other side's; gone from the exchange: their rows removed). Commits the session."""
    listings = session.scalars(db.select(Listing).where(Listing.id.in_(list(listing_ids)),
                                                       Listing.kind.in_(("offer", "need")))).all()
    if not listings:
        return 0
    ids = [listing.id for listing in listings]
    session.execute(db.delete(MatchSuggestion).where(
        MatchSuggestion.need_id.in_(ids) | MatchSuggestion.offer_id.in_(ids)))
    rows = {}
    with _work_lock:
        aids = glossary.for_reading(session)
        offers, needs = side_index(session, "offer", aids), side_index(session, "need", aids)
        for listing in listings:
            side, other = (offers, needs) if listing.kind == "offer" else (needs, offers)
            if listing.id not in side:  # no longer published
                continue
            profile = profile_of(listing, aids)
            found = _matches_of(profile, offers, needs, limit=engine.CANDIDATES, explain=False)
            # Its own best, and its place in the lists of the other side: kept where it beats their KEEP-th.
            others = found[KEEP:]
            kth = _kth_scores(session, listing.kind, [_other_id(m, listing.kind) for m in others])
            chosen = found[:KEEP] + [m for m in others if m.score > kth.get(_other_id(m, listing.kind), -1.0)]
            for match in engine.explain(chosen, profile, other):
                rows.setdefault((match.need_id, match.offer_id), _row(match))
    if rows:
        session.execute(db.insert(MatchSuggestion), list(rows.values()))
    session.commit()
    return len(rows)


def refresh_after_search_apply(keys):
    """Search outbox hook, after a batch is applied: the listings it indexed (or removed) may change
    suggestions. Runs in a session of its own (it may run inside another session's commit).

    Above MATCHING_REFRESH_LIMIT published offers and needs (default REFRESH_LIMIT, 120,000; None lifts it) it
    does nothing but log, and the exchange runs `flask matching rebuild` (nightly). The limit was 10,000 while
    matching was plain Python (its first refresh at 200,000 listings took 172 s and 3.7 GB); on sparse matrices,
    at 105,000 listings, the first refresh in a new process took 10.8 s from the sides' files and a later one
    2.3 s, on a loaded 2-core machine (see REFRESH_LIMIT)."""
    from sqlalchemy.orm import Session

    ids = [doc_id for doc_type, doc_id in keys if doc_type == "listing"]
    if not ids:
        return
    limit = current_app.config.get("MATCHING_REFRESH_LIMIT", REFRESH_LIMIT)
    with Session(db.engine) as session:
        if limit is not None:
            size = session.scalar(db.select(db.func.count(Listing.id)).where(
                Listing.kind.in_(("offer", "need")), Listing.status == "published"))
            if size > limit:
                log.info("matching: %s published offers and needs exceed MATCHING_REFRESH_LIMIT (%s); "
                         "suggestions wait for `flask matching rebuild`", size, limit)
                return
        try:
            refresh(ids, session)
        except Exception:  # matching is derived: a failure is logged and mended by the next refresh or rebuild
            session.rollback()
            log.exception("matching: refresh of %s listings failed", len(ids))


def register_hooks():
    """Refresh suggestions after the search outbox is applied (once per process)."""
    from marketplace.search import outbox

    if refresh_after_search_apply not in outbox.AFTER_APPLY:
        outbox.AFTER_APPLY.append(refresh_after_search_apply)


# --- reading ---------------------------------------------------------------------------------------------

def suggestions(listing, limit=10):
    """The kept suggestions of a need (its offers) or an offer (its needs), best first: those that fit before
    those breaking a constraint. Only published counterparts are returned."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if listing.kind == "need":
        mine, other = MatchSuggestion.need_id, MatchSuggestion.offer
        other_id = MatchSuggestion.offer_id
    else:
        mine, other = MatchSuggestion.offer_id, MatchSuggestion.need
        other_id = MatchSuggestion.need_id
    query = (db.select(MatchSuggestion).join(Listing, Listing.id == other_id)
             .where(mine == listing.id, Listing.status == "published")
             .order_by(MatchSuggestion.fits.desc(), MatchSuggestion.score.desc(), other_id)
             .options(db.joinedload(other)).limit(limit))
    return db.session.scalars(query).all()


MAX_READINGS = 3  # "read as" pairs shown per suggestion


def _written(text):
    """A text's words as written (lower case, NFC), space-separated with a space at each end."""
    return " " + " ".join(words(text)) + " "


def _readings_of(need):
    """The glossary's and abbreviations' readings of a need's public text, [(as typed, meaning, the meaning's
    words as written)], kept for the request (a page shows one need's offers, or an offer's needs)."""
    cache = g.setdefault("matching_readings", {})
    key = (need.id, need.updated_at)
    if key not in cache:
        cache[key] = [(source, target, _written(target).strip())
                      for source, target in readings(need, glossary.for_reading())]
    return cache[key]


def read_as(suggestion):
    """The readings of the need's words whose meaning the offer writes ("ốc bươu vàng" read as "Pomacea", and the
    offer says Pomacea): why an offer sharing few of the need's words was suggested. At most MAX_READINGS.

    The meaning must stand in the offer as written, diacritics included: folded, "chè" would be found in "chế
    phẩm", "sắn" in "sản xuất" and "mối" in "môi trường" (an offer typed without diacritics gets no such reason;
    its suggestion stands, only unexplained)."""
    offer = suggestion.offer
    text = _written(" ".join(v for v in (offer.title, offer.summary, offer.keywords) if v))
    found = []
    for source, target, written in _readings_of(suggestion.need):
        if written and f" {written} " in text and target not in (t for _, t in found):  # a meaning once
            found.append((source, target))
            if len(found) == MAX_READINGS:
                break
    return found


def match_reasons(suggestion):
    """A suggestion's reasons as shown: the stored ones, with the "read as" reason after the shared phrases."""
    reasons = list(suggestion.reasons or ())
    pairs = read_as(suggestion)
    if pairs:
        at = 1 if reasons and reasons[0].get("code") == "phrases" else 0
        reasons.insert(at, {"code": "read_as", "pairs": [list(pair) for pair in pairs]})
    return reasons


def counterpart(suggestion, listing):
    """The other listing of a suggestion, seen from `listing`."""
    return suggestion.offer if listing.kind == "need" else suggestion.need


def _money(value):
    return f"{int(value):,}".replace(",", ".") + " ₫"


def _modes(codes):
    return ", ".join(str(TRANSFER_MODE_LABELS.get(c, c)) for c in codes)


def _sector_name(code):
    from marketplace.reference.models import Sector

    sector = db.session.get(Sector, code) if code else None
    return sector.name if sector else code


def reason_text(reason):
    """The sentence of a reason or violation ({"code", ...values}) in the current language."""
    code = reason.get("code")
    if code == "phrases":
        return _("Shared: %(phrases)s", phrases=", ".join(reason.get("phrases") or ()))
    if code == "read_as":
        return _("Read as: %(pairs)s", pairs="; ".join(f"{source} → {target}"
                                                        for source, target in reason.get("pairs") or ()))
    if code == "sector":
        return _("Same field: %(name)s", name=_sector_name(reason.get("sector")))
    if code == "sector_group":
        return _("Same group of fields: %(name)s", name=_sector_name(reason.get("sector")))
    if code == "trl":
        return _("TRL %(trl)s meets the minimum %(min_trl)s", trl=reason.get("trl"), min_trl=reason.get("min_trl"))
    if code == "trl_below":
        return _("TRL %(trl)s is below the minimum %(min_trl)s", trl=reason.get("trl"),
                 min_trl=reason.get("min_trl"))
    if code == "price":
        return _("Price %(price)s within the budget %(budget)s", price=_money(reason["price"]),
                 budget=_money(reason["budget"]))
    if code == "price_above":
        return _("Price %(price)s a little over the budget %(budget)s", price=_money(reason["price"]),
                 budget=_money(reason["budget"]))
    if code == "price_over":
        return _("Price %(price)s far over the budget %(budget)s", price=_money(reason["price"]),
                 budget=_money(reason["budget"]))
    if code == "forms":
        forms = reason.get("forms") or ()
        return ngettext("Transfer form in common: %(forms)s", "Transfer forms in common: %(forms)s", len(forms),
                        forms=_modes(forms))
    if code == "no_common_form":
        return _("No transfer form in common (wanted: %(wanted)s; offered: %(offered)s)",
                 wanted=_modes(reason.get("wanted") or ()), offered=_modes(reason.get("offered") or ()))
    if code == "locality":
        return _("Same locality")
    return code or ""
