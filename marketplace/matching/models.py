"""What matching keeps: the suggested offers of each need and needs of each offer, derived from the listings
and rebuilt from them at any time (`flask matching rebuild`)."""
from marketplace.core.models import utcnow
from marketplace.extensions import db


class MatchSuggestion(db.Model):
    """A need and an offer that could meet: a score (0..1), whether the offer fits the need's hard constraints,
    and the reasons and violations as codes with their values (the sentences are made in the reader's language).

    Rows are derived data: a rebuild replaces them all, a change to a listing replaces that listing's rows."""

    __tablename__ = "match_suggestion"
    __table_args__ = (db.UniqueConstraint("need_id", "offer_id", name="uq_match_suggestion"),)

    id = db.Column(db.Integer, primary_key=True)
    need_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    offer_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    score = db.Column(db.Float, nullable=False)
    text_score = db.Column(db.Float, nullable=False, default=0.0)
    fits = db.Column(db.Boolean, nullable=False, default=True)
    reasons = db.Column(db.JSON, nullable=False, default=list)
    violations = db.Column(db.JSON, nullable=False, default=list)
    computed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    need = db.relationship("Listing", foreign_keys=[need_id])
    offer = db.relationship("Listing", foreign_keys=[offer_id])
