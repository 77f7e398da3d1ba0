"""Matching profiles of listings, read with the same understanding as search (glossary, abbreviations)."""
from marketplace.extensions import db
from marketplace.listings.models import Listing
from marketplace.matching.engine import make_profile
from marketplace.search import glossary, understanding

# Only offers are matched with needs; an IP asset reaches a need through the offers that carry it.
MATCHED_KINDS = ("offer", "need")
MAX_WORDS = 400


def expansions(text, reading_aids):
    """The glossary's and abbreviations' phrases found in a text (lists of words)."""
    pairs, abbreviations = reading_aids
    reading = understanding.read_query(text, {}, glossary=pairs, abbreviations=abbreviations, max_words=MAX_WORDS,
                                       repair=False)
    return reading.expansions


def profile_of(listing, reading_aids=None):
    """The Profile of an offer or a need (public text only: the confidential detail is never read)."""
    aids = reading_aids or glossary.for_reading()
    text = "\n".join(v for v in (listing.title, listing.summary, listing.keywords) if v)
    is_need = listing.kind == "need"
    return make_profile(
        listing.id, listing.kind, title=listing.title, summary=listing.summary, keywords=listing.keywords,
        expansions=expansions(text, aids), sector_code=listing.sector_code or "",
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
