"""match suggestions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "match_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("text_score", sa.Float(), nullable=False),
        sa.Column("fits", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["need_id"], ["listing.id"], name=op.f("fk_match_suggestion_need_id_listing"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["offer_id"], ["listing.id"], name=op.f("fk_match_suggestion_offer_id_listing"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_suggestion")),
        sa.UniqueConstraint("need_id", "offer_id", name="uq_match_suggestion"),
    )
    with op.batch_alter_table("match_suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_suggestion_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_suggestion_offer_id"), ["offer_id"], unique=False)


def downgrade():
    with op.batch_alter_table("match_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_suggestion_offer_id"))
        batch_op.drop_index(batch_op.f("ix_match_suggestion_need_id"))
    op.drop_table("match_suggestion")
