"""Offers, needs and IP assets share one table (single-table inheritance on `kind`)."""
from flask_babel import lazy_gettext as _l

from marketplace.core.models import TimestampMixin, utcnow
from marketplace.core.policy import PUBLIC_LISTING_STATUSES
from marketplace.core.text import fold
from marketplace.extensions import db

KINDS = ("offer", "need", "ip")
KIND_LABELS = {"offer": _l("Technology offer"), "need": _l("Technology need"), "ip": _l("IP asset")}

STATUSES = ("draft", "submitted", "rejected", "published", "closed", "expired", "withdrawn")
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Awaiting review"),
    "rejected": _l("Returned for changes"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
}

TRANSFER_MODES = (
    "license",
    "assignment",
    "joint_venture",
    "capital_contribution",
    "technical_service",
    "turnkey",
    "franchise",
    "equipment_with_technology",
)
TRANSFER_MODE_LABELS = {
    "license": _l("Licence to use"),
    "assignment": _l("Assignment of ownership"),
    "joint_venture": _l("Joint venture"),
    "capital_contribution": _l("Capital contribution with technology"),
    "technical_service": _l("Technical service / consulting"),
    "turnkey": _l("Turnkey project"),
    "franchise": _l("Franchise"),
    "equipment_with_technology": _l("Equipment with technology"),
}

PRICE_TYPES = ("negotiable", "indicative", "floor", "firm")
PRICE_TYPE_LABELS = {
    "negotiable": _l("Negotiable"),
    "indicative": _l("Indicative price"),
    "floor": _l("Floor price"),
    "firm": _l("Firm price"),
}

IP_TYPES = ("patent", "utility_solution", "industrial_design", "trademark", "plant_variety", "software",
            "trade_secret")
IP_TYPE_LABELS = {
    "patent": _l("Patent"),
    "utility_solution": _l("Utility solution"),
    "industrial_design": _l("Industrial design"),
    "trademark": _l("Trademark"),
    "plant_variety": _l("Plant variety"),
    "software": _l("Software / copyright"),
    "trade_secret": _l("Trade secret / know-how"),
}
IP_STATUSES = ("pending", "granted", "expired")
IP_STATUS_LABELS = {"pending": _l("Pending"), "granted": _l("Granted"), "expired": _l("Expired")}

REJECTION_REASONS = ("incomplete", "out_of_scope", "duplicate", "legal_concern", "other")
REJECTION_REASON_LABELS = {
    "incomplete": _l("Incomplete"),
    "out_of_scope": _l("Out of scope"),
    "duplicate": _l("Duplicate"),
    "legal_concern": _l("Legal concern"),
    "other": _l("Other"),
}

offer_ip_asset = db.Table(
    "offer_ip_asset",
    db.Column("offer_id", db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True),
    db.Column("ip_asset_id", db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True),
)


class ListingTransferMode(db.Model):
    """One transfer form offered (or wanted) by a listing."""

    __tablename__ = "listing_transfer_mode"

    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), primary_key=True)
    code = db.Column(db.String(40), primary_key=True)


class Listing(TimestampMixin, db.Model):
    """Common fields of offers, needs and IP assets."""

    __tablename__ = "listing"
    __policy_view__ = "listing.view"
    __table_args__ = (
        db.UniqueConstraint("kind", "ref", name="uq_listing_kind_ref"),
        db.Index("ix_listing_kind_status", "kind", "status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10), nullable=False)
    ref = db.Column(db.String(100), nullable=True)
    title = db.Column(db.String(300), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    detail = db.Column(db.Text, nullable=False, default="")
    sector_code = db.Column(db.String(10), db.ForeignKey("sector.code"), nullable=True, index=True)
    keywords = db.Column(db.String(1000), nullable=False, default="")
    trl = db.Column(db.Integer, nullable=True)
    min_trl = db.Column(db.Integer, nullable=True)
    price_type = db.Column(db.String(20), nullable=False, default="negotiable")
    price_vnd = db.Column(db.BigInteger, nullable=True)
    budget_vnd_max = db.Column(db.BigInteger, nullable=True)
    locality_code = db.Column(db.String(40), db.ForeignKey("locality.code"), nullable=True, index=True)
    expires_at = db.Column(db.Date, nullable=True)
    status = db.Column(db.String(20), nullable=False, default="draft")
    owner_org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    submitted_at = db.Column(db.DateTime(timezone=True), nullable=True)
    published_at = db.Column(db.DateTime(timezone=True), nullable=True, index=True)
    reminder_sent_at = db.Column(db.DateTime(timezone=True), nullable=True)
    # A published listing whose content changed stays public and waits in the moderation queue (post-review).
    edit_pending_review = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    rejection_reason = db.Column(db.String(30), nullable=True)
    rejection_message = db.Column(db.Text, nullable=True)
    # IP fields: used by IP assets, and by offers to name the IP they rest on.
    ip_type = db.Column(db.String(30), nullable=True)
    ip_number = db.Column(db.String(60), nullable=True)
    ip_grant_number = db.Column(db.String(60), nullable=True)
    ip_filing_date = db.Column(db.Date, nullable=True)
    ip_grant_date = db.Column(db.Date, nullable=True)
    ip_status = db.Column(db.String(20), nullable=True)
    ip_owners = db.Column(db.String(500), nullable=True)
    # Anonymous: the owner's name and contact are shown only to its organisation, the department and
    # organisations whose interest the owner accepted (policy rule listing.view_owner).
    anonymous = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # NDA: others read the confidential detail after accepting the current version of nda_text
    # (policy rule listing.view_detail); nda_version goes up each time the text changes.
    nda_required = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    nda_text = db.Column(db.Text, nullable=False, default="", server_default="")
    nda_version = db.Column(db.Integer, nullable=False, default=1, server_default="1")
    # Folded (lower-case, no diacritics) text for diacritic-insensitive filtering.
    search_text = db.Column(db.Text, nullable=False, default="")

    owner = db.relationship("Organization", foreign_keys=[owner_org_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])
    sector = db.relationship("Sector")
    locality = db.relationship("Locality")
    mode_rows = db.relationship(
        "ListingTransferMode", cascade="all, delete-orphan", lazy="selectin", order_by="ListingTransferMode.code"
    )
    attachments = db.relationship(
        "Attachment", back_populates="listing", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    events = db.relationship(
        "ListingEvent", back_populates="listing", cascade="all, delete-orphan", order_by="ListingEvent.id"
    )

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "listing"}

    @property
    def transfer_modes(self):
        """Transfer form codes, in the canonical order."""
        codes = {row.code for row in self.mode_rows}
        return [c for c in TRANSFER_MODES if c in codes]

    @transfer_modes.setter
    def transfer_modes(self, codes):
        wanted = [c for c in TRANSFER_MODES if c in set(codes or [])]
        keep = [row for row in self.mode_rows if row.code in wanted]
        have = {row.code for row in keep}
        self.mode_rows = keep + [ListingTransferMode(code=c) for c in wanted if c not in have]

    @property
    def keyword_list(self):
        """Keywords as a list."""
        return [k.strip() for k in (self.keywords or "").split(";") if k.strip()]

    @property
    def awaits_review(self):
        """True when the department has something to review: a submission, or an edit of a published listing."""
        return self.status == "submitted" or (
            self.status in ("published", "expired", "closed") and bool(self.edit_pending_review))

    @property
    def is_public(self):
        """True when visitors may see the listing."""
        return self.status in PUBLIC_LISTING_STATUSES

    def refresh_search_text(self):
        """Recompute the folded text used by diacritic-insensitive filtering."""
        parts = [self.ref, self.title, self.summary, self.keywords, self.ip_number]
        self.search_text = fold(" ".join(p for p in parts if p))

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} {self.status}>"


class Offer(Listing):
    """A technology offer (chào bán / chuyển giao công nghệ)."""

    __mapper_args__ = {"polymorphic_identity": "offer"}

    ip_assets = db.relationship(
        "IpAsset",
        secondary=offer_ip_asset,
        primaryjoin="Listing.id == offer_ip_asset.c.offer_id",
        secondaryjoin="Listing.id == offer_ip_asset.c.ip_asset_id",
        back_populates="offers",
    )


class Need(Listing):
    """A technology need (nhu cầu công nghệ); `expires_at` is its deadline."""

    __mapper_args__ = {"polymorphic_identity": "need"}


class IpAsset(Listing):
    """An IP asset (tài sản trí tuệ): patent, utility solution, design, trademark, variety, software, know-how."""

    __mapper_args__ = {"polymorphic_identity": "ip"}

    offers = db.relationship(
        "Offer",
        secondary=offer_ip_asset,
        primaryjoin="Listing.id == offer_ip_asset.c.ip_asset_id",
        secondaryjoin="Listing.id == offer_ip_asset.c.offer_id",
        back_populates="ip_assets",
    )


MODELS_BY_KIND = {"offer": Offer, "need": Need, "ip": IpAsset}


class Attachment(db.Model):
    """A file attached to a listing, stored under a random name, served as a download."""

    __tablename__ = "attachment"
    __policy_view__ = "attachment.download"

    id = db.Column(db.Integer, primary_key=True)
    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    original_name = db.Column(db.String(255), nullable=False)
    stored_name = db.Column(db.String(80), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False)
    size = db.Column(db.Integer, nullable=False)
    is_public = db.Column(db.Boolean, nullable=False, default=False)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    listing = db.relationship("Listing", back_populates="attachments")


class ListingEvent(db.Model):
    """Something that happened to a listing (created, submitted, approved, rejected, ...), with its actor."""

    __tablename__ = "listing_event"

    id = db.Column(db.Integer, primary_key=True)
    listing_id = db.Column(db.Integer, db.ForeignKey("listing.id", ondelete="CASCADE"), nullable=False, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=True)
    action = db.Column(db.String(30), nullable=False)
    reason = db.Column(db.String(30), nullable=True)
    message = db.Column(db.Text, nullable=True)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    listing = db.relationship("Listing", back_populates="events")
    actor = db.relationship("User")
