"""Organisations and the people who belong to them."""
import hashlib

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.core.models import TimestampMixin
from marketplace.extensions import db

ORG_KINDS = ("enterprise", "university", "institute", "broker", "department", "other")
# Kinds a person may pick when registering (the department's organisation is made by an admin).
REGISTRABLE_ORG_KINDS = ("enterprise", "university", "institute", "broker", "other")
ORG_ROLES = ("admin", "member")


class Organization(TimestampMixin, db.Model):
    """An organisation (tổ chức): enterprise, university, institute, broker, department or other."""

    __tablename__ = "organization"
    __policy_view__ = "org.view"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(255), nullable=False)
    slug = db.Column(db.String(120), nullable=False, unique=True)
    kind = db.Column(db.String(20), nullable=False, index=True)
    tax_code = db.Column(db.String(14), nullable=True, unique=True)
    locality_code = db.Column(db.String(40), db.ForeignKey("locality.code"), nullable=True)
    address = db.Column(db.String(500), nullable=False, default="")
    email = db.Column(db.String(255), nullable=False, default="")
    phone = db.Column(db.String(40), nullable=False, default="")
    website = db.Column(db.String(255), nullable=False, default="")
    description = db.Column(db.Text, nullable=False, default="")
    verified = db.Column(db.Boolean, nullable=False, default=False)

    locality = db.relationship("Locality")
    members = db.relationship("User", back_populates="org", order_by="User.id", foreign_keys="User.org_id")

    @property
    def admins(self):
        """Members who administer the organisation."""
        return [u for u in self.members if u.org_role == "admin"]

    def __repr__(self):
        return f"<Organization {self.id} {self.name!r}>"


class User(UserMixin, TimestampMixin, db.Model):
    """A person who signs in. `role` is platform-wide; `org_role` is their role in their organisation."""

    __tablename__ = "user"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), nullable=False, unique=True)
    password_hash = db.Column(db.String(255), nullable=False)
    full_name = db.Column(db.String(200), nullable=False, default="")
    phone = db.Column(db.String(40), nullable=False, default="")
    role = db.Column(db.String(20), nullable=False, default="member")
    org_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=True, index=True)
    org_role = db.Column(db.String(20), nullable=False, default="member")
    # The organisation a person last left or was removed from: only that one may add them back (no one else
    # can take over an account that belongs to nobody).
    former_org_id = db.Column(db.Integer, db.ForeignKey("organization.id", ondelete="SET NULL"), nullable=True)
    active = db.Column(db.Boolean, nullable=False, default=True)
    locale = db.Column(db.String(5), nullable=False, default="vi")
    # How notifications reach the person by e-mail: "instant", "daily" (one digest a day) or "off".
    email_frequency = db.Column(db.String(10), nullable=False, default="instant", server_default="instant")
    last_login_at = db.Column(db.DateTime(timezone=True), nullable=True)

    org = db.relationship("Organization", back_populates="members", foreign_keys=[org_id])

    @property
    def is_active(self):
        """Flask-Login: disabled accounts cannot sign in."""
        return bool(self.active)

    def set_password(self, password):
        """Store a scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password):
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        """Flask-Login's session id: the user id and a key that changes with the password, so changing or
        resetting it signs out every other session and remember-me cookie."""
        return f"{self.id}:{self.session_key}"

    @property
    def session_key(self):
        """A short digest of the password hash."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    @property
    def display_name(self):
        """Name to show, falling back to the e-mail address."""
        return self.full_name or self.email

    def __repr__(self):
        return f"<User {self.id} {self.email}>"
