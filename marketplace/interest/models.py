"""What interest and NDA keep: one row per expression of interest, one per NDA accepted."""
from flask_babel import lazy_gettext as _l

from marketplace.core.models import TimestampMixin, utcnow
from marketplace.extensions import db

STATES = ("pending", "accepted", "declined", "withdrawn")
# An organisation may have one interest per listing in these states; after a decline or a withdrawal it may
# express interest again (a "too early" today can be a yes next year).
OPEN_STATES = ("pending", "accepted")
STATE_LABELS = {
    "pending": _l("Awaiting an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
DECLINE_REASONS = ("too_early", "price", "not_fit", "other")
DECLINE_REASON_LABELS = {
    "too_early": _l("Too early"),
    "price": _l("Price"),
    "not_fit": _l("Not a fit"),
    "other": _l("Other"),
}
MESSAGE_MAX = 2000
# shown instead of the owner's name to those an anonymous listing hides it from
ANONYMOUS_OWNER = _l("Anonymous owner")


class Interest(TimestampMixin, db.Model):
    """An organisation's interest in someone else's listing, with a message; the owner accepts (a deal opens)
    or declines it with a typed reason, the sender may withdraw it while it waits."""

    __tablename__ = "interest"
    __policy_view__ = "interest.view"
    __table_args__ = (
        # one open interest per organisation and listing, even when two requests race
        db.Index("uq_interest_open", "listing_id", "org_id", unique=True,
                 sqlite_where=db.text("state IN ('pending', 'accepted')"),
                 postgresql_where=db.text("state IN ('pending', 'accepted')")),
    )

    id = db.Column(db.Integer, primary_key=True)
    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    message = db.Column(db.Text, nullable=False)
    state = db.Column(db.String(20), nullable=False, default="pending")
    reason = db.Column(db.String(20), nullable=True)
    response = db.Column(db.Text, nullable=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    decided_at = db.Column(db.DateTime(timezone=True), nullable=True)
    withdrawn_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # the deal that accepting opened
    deal_id = db.Column(db.Integer, db.ForeignKey("deal.id", ondelete="SET NULL"), nullable=True)

    listing = db.relationship("Listing")
    org = db.relationship("Organization", foreign_keys=[org_id])
    user = db.relationship("User", foreign_keys=[user_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])
    deal = db.relationship("Deal")

    @property
    def owner_org_id(self):
        """The organisation that owns the listing (it answers the interest)."""
        return self.listing.owner_org_id

    def __repr__(self):
        return f"<Interest {self.id} {self.state}>"


class NdaAcceptance(db.Model):
    """A person (for their organisation) accepted version `version` of a listing's NDA; `text_digest` is the
    SHA-256 of the text they were shown, so the accepted wording can be proven later."""

    __tablename__ = "nda_acceptance"
    __table_args__ = (db.UniqueConstraint("listing_id", "user_id", "version", name="uq_nda_acceptance_once"),)

    id = db.Column(db.Integer, primary_key=True)
    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    org_id = db.Column(db.Integer, db.ForeignKey("organization.id", ondelete="SET NULL"), nullable=True)
    version = db.Column(db.Integer, nullable=False)
    text_digest = db.Column(db.String(64), nullable=False)
    accepted_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    listing = db.relationship("Listing")
    user = db.relationship("User")
    org = db.relationship("Organization")
