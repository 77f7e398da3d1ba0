"""interest, NDA acceptance, anonymous listings

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OPEN = "state IN ('pending', 'accepted')"


def upgrade():
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("nda_required", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("nda_text", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("nda_version", sa.Integer(), nullable=False, server_default="1"))

    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"], name=op.f("fk_interest_listing_id_listing"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_interest_org_id_organization")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_interest_user_id_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_interest_decided_by_id_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_interest_deal_id_deal"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest")),
    )
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interest_listing_id"), ["listing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interest_org_id"), ["org_id"], unique=False)
        # one open interest per organisation and listing
        batch_op.create_index("uq_interest_open", ["listing_id", "org_id"], unique=True,
                              sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))

    op.create_table(
        "nda_acceptance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_digest", sa.String(length=64), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"], name=op.f("fk_nda_acceptance_listing_id_listing"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_nda_acceptance_user_id_user")),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_nda_acceptance_org_id_organization"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nda_acceptance")),
        sa.UniqueConstraint("listing_id", "user_id", "version", name="uq_nda_acceptance_once"),
    )
    with op.batch_alter_table("nda_acceptance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_nda_acceptance_listing_id"), ["listing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_nda_acceptance_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("nda_acceptance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nda_acceptance_user_id"))
        batch_op.drop_index(batch_op.f("ix_nda_acceptance_listing_id"))
    op.drop_table("nda_acceptance")
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.drop_index("uq_interest_open")
        batch_op.drop_index(batch_op.f("ix_interest_org_id"))
        batch_op.drop_index(batch_op.f("ix_interest_listing_id"))
    op.drop_table("interest")
    with op.batch_alter_table("listing", schema=None) as batch_op:
        batch_op.drop_column("nda_version")
        batch_op.drop_column("nda_text")
        batch_op.drop_column("nda_required")
        batch_op.drop_column("anonymous")
