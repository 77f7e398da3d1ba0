"""Matchmaking: which offers could answer each published need, which needs each offer could serve, and why.

Suggestions are derived data (MatchSuggestion rows). `rebuild()` recomputes every one; `refresh(ids)` recomputes
what touches the given listings after they are published, edited or withdrawn (called after the search outbox
is applied, so within seconds of the commit). The other side's index is kept per process and rebuilt when the
published listings of that side change.

Who sees them: a need's suggestions are shown to the need's owner, brokers and the department (and an offer's
to its owner, brokers and the department); `visible_suggestions` applies that rule, the policy names it
"matching.view".
"""
import logging
import threading

from flask_babel import gettext as _
from flask_babel import ngettext

from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.listings.models import TRANSFER_MODE_LABELS, Listing
from marketplace.matching import engine
from marketplace.matching.models import MatchSuggestion
from marketplace.matching.profiles import profile_of, published
from marketplace.search import glossary

log = logging.getLogger(__name__)

KEEP = 20  # suggestions kept per listing
MAX_LIMIT = 50

REREAD_SHARE = 0.2
_work_lock = threading.Lock()  # one computation at a time per process: the indexes are changed in place
_indexes = {}  # (database url, kind) -> engine.Index


# --- computing -------------------------------------------------------------------------------------------

def _versions(session, kind):
    """{id: version} of the published listings of a kind (the version changes with every edit)."""
    rows = session.execute(db.select(Listing.id, Listing.updated_at)
                           .where(Listing.kind == kind, Listing.status == "published"))
    return {listing_id: str(updated) for listing_id, updated in rows}


def side_index(session, kind, aids):
    """The engine.Index of the published listings of a kind, kept per process and brought up to date: listings
    gone or edited since (by any process) are taken out and read again; past REREAD_SHARE of them changed, the
    whole side is read again (which also refreshes every idf). Call under _work_lock."""
    key = (str(db.engine.url), kind)
    versions = _versions(session, kind)
    index = _indexes.get(key)
    if index is not None:
        held = {pid: profile.version for pid, profile in index.profiles.items()}
        gone = held.keys() - versions.keys()
        stale = [pid for pid, version in versions.items() if held.get(pid) != version]
        if len(gone) + len(stale) > REREAD_SHARE * max(len(versions), 1):
            index = None
        else:
            for pid in gone:
                index.remove(pid)
            for start in range(0, len(stale), 500):
                for listing in session.scalars(db.select(Listing).where(Listing.id.in_(stale[start:start + 500]))):
                    index.add(profile_of(listing, aids))
    if index is None:
        index = engine.Index([profile_of(listing, aids) for listing in published(kind, session)])
    _indexes[key] = index
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


def _matches_of(profile, offers, needs, limit=KEEP):
    """The best Matches of one listing's profile: its offers (a need) or needs (an offer)."""
    if profile.kind == "need":
        return engine.best_offers(profile, offers, limit)
    return engine.best_needs(profile, needs, limit)


def _other_id(match, kind):
    return match.offer_id if kind == "need" else match.need_id


def _kth_scores(session, kind, ids):
    """{id: the KEEP-th best score among the suggestions of these listings of the other side}; a listing with
    fewer than KEEP suggestions is absent (anything may join it)."""
    column = MatchSuggestion.offer_id if kind == "need" else MatchSuggestion.need_id
    scores = {}
    for other, score in session.execute(db.select(column, MatchSuggestion.score).where(column.in_(ids))):
        scores.setdefault(other, []).append(score)
    return {other: sorted(values, reverse=True)[KEEP - 1] for other, values in scores.items() if len(values) >= KEEP}


def rebuild(progress=None, session=None):
    """Recompute every suggestion; returns the number kept. `progress(done, total)` is called per listing."""
    session = session or db.session
    forget_indexes()
    with _work_lock:
        aids = glossary.for_reading(session)
        offers, needs = side_index(session, "offer", aids), side_index(session, "need", aids)
        rows = {}
        total = offers.size + needs.size
        done = 0
        for side in (needs, offers):
            for profile in side.profiles.values():
                for match in _matches_of(profile, offers, needs):
                    rows.setdefault((match.need_id, match.offer_id), _row(match))
                done += 1
                if progress:
                    progress(done, total)
    session.execute(db.delete(MatchSuggestion))
    if rows:
        session.execute(db.insert(MatchSuggestion), list(rows.values()))
    session.commit()
    return len(rows)


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
            side = offers if listing.kind == "offer" else needs
            profile = side.profiles.get(listing.id)
            if profile is None:  # no longer published
                continue
            found = _matches_of(profile, offers, needs, limit=engine.CANDIDATES)
            # Its own best, and its place in the lists of the other side: kept where it beats their KEEP-th.
            others = found[KEEP:]
            kth = _kth_scores(session, listing.kind, [_other_id(m, listing.kind) for m in others])
            for match in found[:KEEP] + [m for m in others if m.score > kth.get(_other_id(m, listing.kind), -1.0)]:
                rows.setdefault((match.need_id, match.offer_id), _row(match))
    if rows:
        session.execute(db.insert(MatchSuggestion), list(rows.values()))
    session.commit()
    return len(rows)


def refresh_after_search_apply(keys):
    """Search outbox hook, after a batch is applied: the listings it indexed (or removed) may change
    suggestions. Runs in a session of its own (it may run inside another session's commit).

    Above MATCHING_REFRESH_LIMIT published offers and needs (default 10,000) it does nothing but log: this
    first version keeps both sides in memory per process (at 200,000 listings its first refresh took 172 s and
    3.7 GB), so a large exchange runs `flask matching rebuild` (nightly) until matching is made for that size."""
    from flask import current_app
    from sqlalchemy.orm import Session

    ids = [doc_id for doc_type, doc_id in keys if doc_type == "listing"]
    if not ids:
        return
    limit = current_app.config.get("MATCHING_REFRESH_LIMIT", 10_000)
    with Session(db.engine) as session:
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
