"""Matching profiles of listings, read with the same understanding as search (glossary, abbreviations)."""
from types import SimpleNamespace

from marketplace.core.text import fold
from marketplace.extensions import db
from marketplace.listings.models import TRANSFER_MODES, Listing, ListingTransferMode
from marketplace.matching.engine import TITLE_REPEAT, make_profile
from marketplace.search import glossary, understanding

# Only offers are matched with needs; an IP asset reaches a need through the offers that carry it.
MATCHED_KINDS = ("offer", "need")
MAX_WORDS = 400
READ_BATCH = 2000  # listings per query when a whole side is read
_READ = (Listing.id, Listing.kind, Listing.title, Listing.summary, Listing.keywords, Listing.sector_code, Listing.trl,
         Listing.min_trl, Listing.price_type, Listing.price_vnd, Listing.budget_vnd_max, Listing.locality_code,
         Listing.updated_at)


_both_ways = {}  # id(glossary pairs) -> (those pairs, the pairs both ways)


def _english(term):
    """An English term ("dryer"): its reading the other way ("máy sấy" -> "dryer") would add English to
    Vietnamese texts, which neither side writes to the other."""
    words = understanding.tokenize(term)
    return all(w.isascii() for w in words) and not all(understanding.could_be_syllable(w) for w in words)


def both_ways(pairs):
    """The glossary's pairs and the same pairs the other way round (English terms excepted), compiled once per
    glossary. Search reads a query one way, from what was typed to what it means; matching reads a listing both
    ways: a farmer's need "chuột phá lúa" also says "gặm nhấm", and an institute's offer on "gặm nhấm" also says
    "chuột", so the two meet whichever of them the glossary has the words of (the offers' side gains the
    farmers' words: document expansion)."""
    held = _both_ways.get(id(pairs))
    if held is None or held[0] is not pairs:
        held = (pairs, list(pairs) + [(expansion, term) for term, expansion in pairs if not _english(term)])
        _both_ways.clear()
        _both_ways[id(pairs)] = held
    return held[1]


def _read(text, reading_aids):
    """How search's understanding reads a text, with the glossary both ways: its glossary and abbreviation
    readings only (no repairs, so each note is the note of the expansion at the same place)."""
    pairs, abbreviations = reading_aids
    return understanding.read_query(text, {}, glossary=both_ways(pairs), abbreviations=abbreviations,
                                    max_words=MAX_WORDS, repair=False)


def expansions(text, reading_aids):
    """The glossary's and abbreviations' phrases found in a text, each as (words, weight): a phrase stands for the
    words it reads and weighs as much as they do ("ốc bươu vàng" read as "Pomacea" gives that one word the weight
    of three), never less than one word."""
    reading = _read(text, reading_aids)
    # in halves: with the folded share (0.3) and pairs (x 2) every weight stays a whole number of twentieths,
    # which an Index keeps in a quarter of the memory (engine._snap)
    return [(phrase, max(1.0, round(2 * len(note.source.split()) / len(phrase)) / 2))
            for phrase, note in zip(reading.expansions, reading.notes)]


def readings(listing, reading_aids):
    """(as first typed, meaning) of the glossary's and abbreviations' readings of a listing's public text, in
    order; a term read again ("Chuột" in the title, "chuot" in the summary) once."""
    found, seen = [], set()
    for text in (listing.title, listing.summary, listing.keywords):
        for note in _read(text, reading_aids).notes if text else ():
            key = (fold(note.source).lower(), note.target)
            if key not in seen:
                seen.add(key)
                found.append((note.source, note.target))
    return found


def listing_expansions(title, summary, keywords, reading_aids):
    """The expansions of a listing's public text, counted as the words they read are: twice from the title
    (engine.TITLE_REPEAT), once from the summary and once from the keywords."""
    return [(phrase, weight * repeat) for text, repeat in ((title, TITLE_REPEAT), (summary, 1), (keywords, 1))
            if text for phrase, weight in expansions(text, reading_aids)]


def profile_of(listing, reading_aids=None):
    """The Profile of an offer or a need (public text only: the confidential detail is never read)."""
    aids = reading_aids or glossary.for_reading()
    is_need = listing.kind == "need"
    return make_profile(
        listing.id, listing.kind, title=listing.title, summary=listing.summary, keywords=listing.keywords,
        expansions=listing_expansions(listing.title, listing.summary, listing.keywords, aids),
        sector_code=listing.sector_code or "",
        trl=listing.min_trl if is_need else listing.trl,
        price_vnd=listing.budget_vnd_max if is_need else (listing.price_vnd if listing.price_type != "negotiable"
                                                         else None),
        modes=frozenset(listing.transfer_modes), locality_code=listing.locality_code or "",
        version=str(listing.updated_at))


def published(kind, session=None):
    """Every published listing of a kind, with what a profile reads loaded."""
    from sqlalchemy.orm import selectinload

    return (session or db.session).scalars(db.select(Listing).where(Listing.kind == kind, Listing.status == "published")
                              .options(selectinload(Listing.mode_rows)).order_by(Listing.id)).all()


def published_profiles(session, kind, reading_aids, ids=None):
    """Profiles of the published listings of a kind (only `ids`, when given), READ_BATCH at a time in id order.

    Plain rows, not ORM objects: the session's identity map does not fill up with a whole side (100,000
    listings), and objects the caller holds are left alone."""
    last = 0
    wanted = sorted(ids) if ids is not None else None
    while True:
        query = db.select(*_READ).where(Listing.kind == kind, Listing.status == "published").order_by(Listing.id)
        if wanted is None:
            rows = session.execute(query.where(Listing.id > last).limit(READ_BATCH)).all()
        else:
            part, wanted = wanted[:READ_BATCH], wanted[READ_BATCH:]
            rows = session.execute(query.where(Listing.id.in_(part))).all() if part else []
        if not rows:
            if wanted:
                continue
            return
        modes = {}
        for listing_id, code in session.execute(db.select(ListingTransferMode.listing_id, ListingTransferMode.code)
                                                .where(ListingTransferMode.listing_id.in_([r.id for r in rows]))):
            modes.setdefault(listing_id, set()).add(code)
        for row in rows:
            codes = modes.get(row.id, ())
            listing = SimpleNamespace(**row._mapping, transfer_modes=[c for c in TRANSFER_MODES if c in codes])
            yield profile_of(listing, reading_aids)
        last = rows[-1].id
