"""What brokers keep: their profile (service types, sectors) and the matches they propose to two parties."""
from flask_babel import lazy_gettext as _l

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db

SERVICE_TYPES = ("brokerage", "consulting", "assessment", "valuation", "inspection", "promotion")
SERVICE_TYPE_LABELS = {
    "brokerage": _l("Brokerage"),
    "consulting": _l("Consulting"),
    "assessment": _l("Technology assessment"),
    "valuation": _l("Technology valuation"),
    "inspection": _l("Technology inspection"),
    "promotion": _l("Transfer promotion"),
}

PROPOSAL_STATUSES = ("open", "accepted", "declined")
PROPOSAL_STATUS_LABELS = {
    "open": _l("Awaiting answers"),
    "accepted": _l("Accepted by both parties"),
    "declined": _l("Declined"),
}
DECISIONS = ("accepted", "declined")
DECLINE_REASONS = ("too_early", "price", "not_a_fit", "other")
DECLINE_REASON_LABELS = {
    "too_early": _l("Too early"),
    "price": _l("Price"),
    "not_a_fit": _l("Not a fit"),
    "other": _l("Other"),
}


class BrokerProfile(TimestampMixin, db.Model):
    """A broker organisation's public profile: what it does, its services and the sectors it serves."""

    __tablename__ = "broker_profile"

    org_id = db.Column(db.Integer, db.ForeignKey("organization.id", ondelete="CASCADE"), primary_key=True)
    summary = db.Column(db.Text, nullable=False, default="")

    org = db.relationship("Organization", backref=db.backref("broker_profile", uselist=False))
    service_rows = db.relationship("BrokerService", cascade="all, delete-orphan", lazy="selectin",
                                   order_by="BrokerService.code")
    sector_rows = db.relationship("BrokerSector", cascade="all, delete-orphan", lazy="selectin",
                                  order_by="BrokerSector.sector_code")

    @property
    def services(self):
        """Service type codes, in the canonical order."""
        codes = {row.code for row in self.service_rows}
        return [c for c in SERVICE_TYPES if c in codes]

    @services.setter
    def services(self, codes):
        wanted = [c for c in SERVICE_TYPES if c in set(codes or [])]
        keep = [row for row in self.service_rows if row.code in wanted]
        have = {row.code for row in keep}
        self.service_rows = keep + [BrokerService(code=c) for c in wanted if c not in have]

    @property
    def sector_codes(self):
        """Codes of the sectors served, sorted."""
        return sorted(row.sector_code for row in self.sector_rows)

    @sector_codes.setter
    def sector_codes(self, codes):
        wanted = sorted(set(codes or []))
        keep = [row for row in self.sector_rows if row.sector_code in wanted]
        have = {row.sector_code for row in keep}
        self.sector_rows = keep + [BrokerSector(sector_code=c) for c in wanted if c not in have]


class BrokerService(db.Model):
    """One service type a broker offers."""

    __tablename__ = "broker_service"

    org_id = db.Column(db.Integer, db.ForeignKey("broker_profile.org_id", ondelete="CASCADE"), primary_key=True)
    code = db.Column(db.String(20), primary_key=True, index=True)


class BrokerSector(db.Model):
    """One sector (code of the national classification) a broker serves."""

    __tablename__ = "broker_sector"

    org_id = db.Column(db.Integer, db.ForeignKey("broker_profile.org_id", ondelete="CASCADE"), primary_key=True)
    sector_code = db.Column(db.String(10), db.ForeignKey("sector.code"), primary_key=True, index=True)

    sector = db.relationship("Sector")


class MatchProposal(TimestampMixin, db.Model):
    """A broker's proposal that a need's owner (buyer) and an offer's owner (seller) meet. Each side accepts or
    declines with a typed reason; when both accept, a deal opens."""

    __tablename__ = "match_proposal"
    __policy_view__ = "proposal.view"
    __table_args__ = (
        db.UniqueConstraint("broker_org_id", "need_id", "offer_id", name="uq_match_proposal_broker_pair"),
    )

    id = db.Column(db.Integer, primary_key=True)
    broker_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    proposed_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    need_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    offer_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    buyer_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    seller_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    message = db.Column(db.Text, nullable=False, default="")
    score = db.Column(db.Float, nullable=True)
    status = db.Column(db.String(20), nullable=False, default="open")
    buyer_decision = db.Column(db.String(20), nullable=True)
    buyer_reason = db.Column(db.String(20), nullable=True)
    buyer_message = db.Column(db.Text, nullable=True)
    buyer_decided_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    buyer_decided_at = db.Column(db.DateTime(timezone=True), nullable=True)
    seller_decision = db.Column(db.String(20), nullable=True)
    seller_reason = db.Column(db.String(20), nullable=True)
    seller_message = db.Column(db.Text, nullable=True)
    seller_decided_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    seller_decided_at = db.Column(db.DateTime(timezone=True), nullable=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deal.id", ondelete="SET NULL"), nullable=True)

    broker_org = db.relationship("Organization", foreign_keys=[broker_org_id])
    buyer_org = db.relationship("Organization", foreign_keys=[buyer_org_id])
    seller_org = db.relationship("Organization", foreign_keys=[seller_org_id])
    proposed_by = db.relationship("User", foreign_keys=[proposed_by_id])
    buyer_decided_by = db.relationship("User", foreign_keys=[buyer_decided_by_id])
    seller_decided_by = db.relationship("User", foreign_keys=[seller_decided_by_id])
    need = db.relationship("Listing", foreign_keys=[need_id])
    offer = db.relationship("Listing", foreign_keys=[offer_id])
    deal = db.relationship("Deal")

    def decision_of(self, side):
        """'accepted', 'declined' or None for side 'buyer' or 'seller'."""
        return getattr(self, f"{side}_decision")

    def __repr__(self):
        return f"<MatchProposal {self.id} {self.status}>"
