"""What deals keep: the deal, its timeline of events and its private documents."""
from flask_babel import lazy_gettext as _l

from marketplace.core.models import TimestampMixin, utcnow
from marketplace.extensions import db

# The stages a deal moves through, in order; "cancelled" ends it from any stage before "completed".
STAGES = ("contacted", "nda_signed", "negotiating", "mou", "contract_signed", "in_transfer", "completed")
STAGE_LABELS = {
    "contacted": _l("Contacted"),
    "nda_signed": _l("NDA signed"),
    "negotiating": _l("Negotiating"),
    "mou": _l("MoU signed"),
    "contract_signed": _l("Contract signed"),
    "in_transfer": _l("In transfer"),
    "completed": _l("Completed"),
    "cancelled": _l("Cancelled"),
}
OPEN_STAGES = STAGES[:-1]
# Stages at or after the contract: the deal has a signed contract (the department counts these).
SIGNED_STAGES = ("contract_signed", "in_transfer", "completed")

ORIGINS = ("proposal", "interest", "direct")
ORIGIN_LABELS = {
    "proposal": _l("Proposed by a broker"),
    "interest": _l("Expression of interest"),
    "direct": _l("Direct"),
}

CANCEL_REASONS = ("no_agreement", "price", "withdrawn_by_party", "legal", "other")
CANCEL_REASON_LABELS = {
    "no_agreement": _l("No agreement reached"),
    "price": _l("Price"),
    "withdrawn_by_party": _l("Withdrawn by a party"),
    "legal": _l("Legal obstacle"),
    "other": _l("Other"),
}

# Modes of transfer, Law on Technology Transfer 07/2017/QH14, Art. 6 (a contract may combine several).
TRANSFER_METHODS = ("documents", "training", "experts", "machinery")
TRANSFER_METHOD_LABELS = {
    "documents": _l("Technical documents"),
    "training": _l("Training"),
    "experts": _l("Sending experts"),
    "machinery": _l("Machinery and equipment with the technology"),
}

EVENT_ACTIONS = ("opened", "stage", "fields", "note", "document", "confirmed", "cancelled")


class Deal(TimestampMixin, db.Model):
    """A deal between a buyer and a seller organisation about a need and/or an offer, maybe run by a broker."""

    __tablename__ = "deal"
    __policy_view__ = "deal.view"
    __table_args__ = (
        db.CheckConstraint("contract_value_vnd IS NULL OR contract_value_vnd > 0", name="contract_value_positive"),
        db.Index("ix_deal_stage", "stage"),
    )

    id = db.Column(db.Integer, primary_key=True)
    # GD-<year>-<id>: made from the id after the first flush, so two deals opened at once never collide.
    ref = db.Column(db.String(30), nullable=True, unique=True)
    buyer_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    seller_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    broker_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=True, index=True)
    need_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="SET NULL"), nullable=True, index=True)
    offer_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="SET NULL"), nullable=True, index=True)
    origin = db.Column(db.String(20), nullable=False)
    stage = db.Column(db.String(20), nullable=False, default="contacted")
    stage_changed_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    # Cancellation
    cancel_reason = db.Column(db.String(30), nullable=True)
    cancel_message = db.Column(db.Text, nullable=True)
    cancelled_from = db.Column(db.String(20), nullable=True)
    # The contract (required from "contract_signed" on)
    contract_value_vnd = db.Column(db.BigInteger, nullable=True)
    transfer_form = db.Column(db.String(40), nullable=True)
    # comma-separated TRANSFER_METHODS codes
    transfer_methods_text = db.Column(db.String(100), nullable=False, default="")
    signed_on = db.Column(db.Date, nullable=True)
    # Flags that make registration of the contract with the authority compulsory
    state_funded = db.Column(db.Boolean, nullable=False, default=False)
    cross_border = db.Column(db.Boolean, nullable=False, default=False)
    declared_profit_vnd = db.Column(db.BigInteger, nullable=True)
    broker_fee_vnd = db.Column(db.BigInteger, nullable=True)
    # Completion: each party confirms; the second confirmation completes the deal
    buyer_confirmed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    buyer_confirmed_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    seller_confirmed_at = db.Column(db.DateTime(timezone=True), nullable=True)
    seller_confirmed_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    completed_at = db.Column(db.DateTime(timezone=True), nullable=True)

    buyer_org = db.relationship("Organization", foreign_keys=[buyer_org_id])
    seller_org = db.relationship("Organization", foreign_keys=[seller_org_id])
    broker_org = db.relationship("Organization", foreign_keys=[broker_org_id])
    need = db.relationship("Listing", foreign_keys=[need_id])
    offer = db.relationship("Listing", foreign_keys=[offer_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    buyer_confirmed_by = db.relationship("User", foreign_keys=[buyer_confirmed_by_id])
    seller_confirmed_by = db.relationship("User", foreign_keys=[seller_confirmed_by_id])
    events = db.relationship("DealEvent", back_populates="deal", cascade="all, delete-orphan",
                             order_by="DealEvent.id")
    documents = db.relationship("DealDocument", back_populates="deal", cascade="all, delete-orphan",
                                order_by="DealDocument.id")

    @property
    def transfer_methods(self):
        """Transfer method codes, in the canonical order."""
        codes = set(filter(None, (self.transfer_methods_text or "").split(",")))
        return [c for c in TRANSFER_METHODS if c in codes]

    @transfer_methods.setter
    def transfer_methods(self, codes):
        wanted = set(codes or [])
        self.transfer_methods_text = ",".join(c for c in TRANSFER_METHODS if c in wanted)

    @property
    def registration_required(self):
        """Contracts for state-funded results and cross-border transfers must be registered with the authority."""
        return bool(self.state_funded or self.cross_border)

    @property
    def is_open(self):
        """True until the deal is completed or cancelled."""
        return self.stage in OPEN_STAGES

    @property
    def next_stage(self):
        """The stage after this one, or None at the end (completed, cancelled)."""
        if self.stage not in OPEN_STAGES:
            return None
        return STAGES[STAGES.index(self.stage) + 1]

    @property
    def title(self):
        """What the deal is about: the offer's title, else the need's."""
        listing = self.offer or self.need
        return listing.title if listing is not None else self.ref

    def __repr__(self):
        return f"<Deal {self.id} {self.ref} {self.stage}>"


class DealEvent(db.Model):
    """Something that happened to a deal (opened, stage moved, fields changed, note, document, confirmation,
    cancellation), with who did it and when: the deal's timeline and audit trail."""

    __tablename__ = "deal_event"

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deal.id", ondelete="CASCADE"), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    action = db.Column(db.String(20), nullable=False)
    from_stage = db.Column(db.String(20), nullable=True)
    to_stage = db.Column(db.String(20), nullable=True)
    reason = db.Column(db.String(30), nullable=True)
    message = db.Column(db.Text, nullable=True)
    # what changed (field -> [old, new]) or the document's id and name
    data = db.Column(db.JSON, nullable=False, default=dict)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    deal = db.relationship("Deal", back_populates="events")
    actor = db.relationship("User")


class DealDocument(db.Model):
    """A file kept on a deal (draft contract, MoU, minutes), private to the parties, the broker and the
    department; stored under a random name and served as a download."""

    __tablename__ = "deal_document"
    __policy_view__ = "deal.document_download"

    id = db.Column(db.Integer, primary_key=True)
    deal_id = db.Column(db.Integer, db.ForeignKey("deal.id", ondelete="CASCADE"), nullable=False, index=True)
    original_name = db.Column(db.String(255), nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    deal = db.relationship("Deal", back_populates="documents")
    uploaded_by = db.relationship("User")
