"""notifications (inbox, e-mail frequency, daily digests), saved searches, followed sectors, announced listings

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_notification_user_unread", ["user_id", "read_at"], unique=False)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_frequency", sa.String(length=10), nullable=False,
                                      server_default="instant"))
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("q", sa.String(length=500), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("signature", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_match_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_saved_search_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "signature", name="uq_saved_search_user_signature"),
    )
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_search_user_id"), ["user_id"], unique=False)
    op.create_table(
        "sector_follow",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sector_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sector_code"], ["sector.code"], name=op.f("fk_sector_follow_sector_code_sector"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_sector_follow_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sector_follow")),
        sa.UniqueConstraint("user_id", "sector_code", name="uq_sector_follow_user_sector"),
    )
    with op.batch_alter_table("sector_follow", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sector_follow_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sector_follow_sector_code"), ["sector_code"], unique=False)
    op.create_table(
        "listing_announcement",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"], name=op.f("fk_listing_announcement_listing_id_listing"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_listing_announcement")),
    )
    op.create_table(
        "email_digest",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_email_digest_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_email_digest")),
    )


def downgrade():
    op.drop_table("email_digest")
    op.drop_table("listing_announcement")
    with op.batch_alter_table("sector_follow", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sector_follow_sector_code"))
        batch_op.drop_index(batch_op.f("ix_sector_follow_user_id"))
    op.drop_table("sector_follow")
    with op.batch_alter_table("saved_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_search_user_id"))
    op.drop_table("saved_search")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("email_frequency")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_unread")
        batch_op.drop_index(batch_op.f("ix_notification_created_at"))
        batch_op.drop_index(batch_op.f("ix_notification_user_id"))
    op.drop_table("notification")
