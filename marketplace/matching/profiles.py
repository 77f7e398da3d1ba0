"""Matching profiles of listings, read with the same understanding as search (glossary, abbreviations)."""
import threading
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


REVERSED_PER_MEANING = 16  # farmers' terms a technical phrase is read back as, at most (the shortest)
_both_ways = {}  # id(glossary pairs) -> (those pairs, the pairs both ways), for the last few glossaries
_both_ways_lock = threading.Lock()


def _reversible(term, expansion):
    """Whether a pair may be read the other way: not an English term ("máy sấy" read back as "dryer" would add
    English to Vietnamese texts), nor a meaning of one Vietnamese syllable ("lạc" read back as "đậu phộng" would
    fire on "lạc hậu" and "liên lạc"); "Pomacea" or "PRRS", one word but no syllable, is."""
    meaning = understanding.tokenize(expansion)
    if understanding.is_english_term(understanding.tokenize(term)) or not meaning:
        return False
    return len(meaning) > 1 or not understanding.could_be_syllable(fold(meaning[0]))


def _reversed(pairs):
    """The pairs the other way round: each meaning read back as at most REVERSED_PER_MEANING of its terms, the
    shortest: a bound, so that a generic meaning ("chống mốc" has thirty terms) cannot drown an offer's own
    words however many rows the department adds (four meanings of the shipped glossary reach it)."""
    terms = {}
    for term, expansion in pairs:
        if _reversible(term, expansion):
            terms.setdefault(fold(expansion), (expansion, []))[1].append(term)
    found = []
    for expansion, held in terms.values():
        for term in sorted(set(held), key=lambda t: (len(t.split()), t))[:REVERSED_PER_MEANING]:
            found.append((expansion, term))
    return found


def both_ways(pairs):
    """The glossary's pairs and the same pairs the other way round (_reversed), compiled once per glossary.
    Search reads a query one way, from what was typed to what it means; matching reads a listing both ways: a
    farmer's need "chuột phá lúa" also says "gặm nhấm", and an institute's offer on "gặm nhấm" also says
    "chuột", so the two meet whichever of them the glossary has the words of (the offers' side gains the
    farmers' words: document expansion). Threads share the cache (a refresh may hold an older glossary than the
    requests beside it): a few glossaries are kept, never one thrown away for another."""
    held = _both_ways.get(id(pairs))
    if held is not None and held[0] is pairs:
        return held[1]
    both = list(pairs) + _reversed(pairs)
    with _both_ways_lock:
        while len(_both_ways) >= 4:
            _both_ways.pop(next(iter(_both_ways)))
        _both_ways[id(pairs)] = (pairs, both)
    return both


def _read(text, reading_aids, both=True):
    """How search's understanding reads a text, with the glossary both ways (`both`) or as search reads it: its
    glossary and abbreviation readings only (no repairs, so each note is the note of the expansion at the same
    place)."""
    pairs, abbreviations = reading_aids
    return understanding.read_query(text, {}, glossary=both_ways(pairs) if both else pairs,
                                    abbreviations=abbreviations, max_words=MAX_WORDS, repair=False)


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
    order; a term read again ("Chuột" in the title, "chuot" in the summary) once. One way, as search reads: what
    the words mean, shown to people ("mùi hôi" → "khử mùi"); a reading backwards ("xử lý nước thải" → "nước
    thải nhuộm") is a word the listing's side is likely to meet, not what it means, and is not shown."""
    found, seen = [], set()
    for text in (listing.title, listing.summary, listing.keywords):
        for note in _read(text, reading_aids, both=False).notes if text else ():
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
