"""brokers, match proposals and deals

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=30), nullable=True),
    sa.Column('buyer_org_id', sa.Integer(), nullable=False),
    sa.Column('seller_org_id', sa.Integer(), nullable=False),
    sa.Column('broker_org_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=30), nullable=True),
    sa.Column('cancel_message', sa.Text(), nullable=True),
    sa.Column('cancelled_from', sa.String(length=20), nullable=True),
    sa.Column('contract_value_vnd', sa.BigInteger(), nullable=True),
    sa.Column('transfer_form', sa.String(length=40), nullable=True),
    sa.Column('transfer_methods_text', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('state_funded', sa.Boolean(), nullable=False),
    sa.Column('cross_border', sa.Boolean(), nullable=False),
    sa.Column('declared_profit_vnd', sa.BigInteger(), nullable=True),
    sa.Column('broker_fee_vnd', sa.BigInteger(), nullable=True),
    sa.Column('buyer_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('buyer_confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('seller_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seller_confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('contract_value_vnd IS NULL OR contract_value_vnd > 0', name=op.f('ck_deal_contract_value_positive')),
    sa.ForeignKeyConstraint(['broker_org_id'], ['organization.id'], name=op.f('fk_deal_broker_org_id_organization')),
    sa.ForeignKeyConstraint(['buyer_confirmed_by_id'], ['user.id'], name=op.f('fk_deal_buyer_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['buyer_org_id'], ['organization.id'], name=op.f('fk_deal_buyer_org_id_organization')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_deal_created_by_id_user')),
    sa.ForeignKeyConstraint(['need_id'], ['listing.id'], name=op.f('fk_deal_need_id_listing'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offer_id'], ['listing.id'], name=op.f('fk_deal_offer_id_listing'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_confirmed_by_id'], ['user.id'], name=op.f('fk_deal_seller_confirmed_by_id_user')),
    sa.ForeignKeyConstraint(['seller_org_id'], ['organization.id'], name=op.f('fk_deal_seller_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal')),
    sa.UniqueConstraint('ref', name=op.f('uq_deal_ref'))
    )
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_broker_org_id'), ['broker_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_buyer_org_id'), ['buyer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_seller_org_id'), ['seller_org_id'], unique=False)
        batch_op.create_index('ix_deal_stage', ['stage'], unique=False)

    op.create_table('deal_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_deal_document_deal_id_deal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_deal_document_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_document')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_deal_document_stored_name'))
    )
    with op.batch_alter_table('deal_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_document_deal_id'), ['deal_id'], unique=False)

    op.create_table('deal_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_stage', sa.String(length=20), nullable=True),
    sa.Column('to_stage', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.String(length=30), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_deal_event_actor_id_user')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_deal_event_deal_id_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_event'))
    )
    with op.batch_alter_table('deal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_event_deal_id'), ['deal_id'], unique=False)

    op.create_table('broker_profile',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], name=op.f('fk_broker_profile_org_id_organization'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_broker_profile'))
    )
    op.create_table('broker_sector',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('sector_code', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['broker_profile.org_id'], name=op.f('fk_broker_sector_org_id_broker_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sector_code'], ['sector.code'], name=op.f('fk_broker_sector_sector_code_sector')),
    sa.PrimaryKeyConstraint('org_id', 'sector_code', name=op.f('pk_broker_sector'))
    )
    with op.batch_alter_table('broker_sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_sector_sector_code'), ['sector_code'], unique=False)

    op.create_table('broker_service',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['broker_profile.org_id'], name=op.f('fk_broker_service_org_id_broker_profile'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', 'code', name=op.f('pk_broker_service'))
    )
    with op.batch_alter_table('broker_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broker_service_code'), ['code'], unique=False)

    op.create_table('match_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('broker_org_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('buyer_org_id', sa.Integer(), nullable=False),
    sa.Column('seller_org_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('buyer_decision', sa.String(length=20), nullable=True),
    sa.Column('buyer_reason', sa.String(length=20), nullable=True),
    sa.Column('buyer_message', sa.Text(), nullable=True),
    sa.Column('buyer_decided_by_id', sa.Integer(), nullable=True),
    sa.Column('buyer_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seller_decision', sa.String(length=20), nullable=True),
    sa.Column('seller_reason', sa.String(length=20), nullable=True),
    sa.Column('seller_message', sa.Text(), nullable=True),
    sa.Column('seller_decided_by_id', sa.Integer(), nullable=True),
    sa.Column('seller_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['broker_org_id'], ['organization.id'], name=op.f('fk_match_proposal_broker_org_id_organization')),
    sa.ForeignKeyConstraint(['buyer_decided_by_id'], ['user.id'], name=op.f('fk_match_proposal_buyer_decided_by_id_user')),
    sa.ForeignKeyConstraint(['buyer_org_id'], ['organization.id'], name=op.f('fk_match_proposal_buyer_org_id_organization')),
    sa.ForeignKeyConstraint(['deal_id'], ['deal.id'], name=op.f('fk_match_proposal_deal_id_deal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['need_id'], ['listing.id'], name=op.f('fk_match_proposal_need_id_listing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['listing.id'], name=op.f('fk_match_proposal_offer_id_listing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_match_proposal_proposed_by_id_user')),
    sa.ForeignKeyConstraint(['seller_decided_by_id'], ['user.id'], name=op.f('fk_match_proposal_seller_decided_by_id_user')),
    sa.ForeignKeyConstraint(['seller_org_id'], ['organization.id'], name=op.f('fk_match_proposal_seller_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_proposal')),
    sa.UniqueConstraint('broker_org_id', 'need_id', 'offer_id', name='uq_match_proposal_broker_pair')
    )
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_proposal_broker_org_id'), ['broker_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_buyer_org_id'), ['buyer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_seller_org_id'), ['seller_org_id'], unique=False)


def downgrade():
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_proposal_seller_org_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_offer_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_need_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_buyer_org_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_broker_org_id'))

    op.drop_table('match_proposal')
    with op.batch_alter_table('broker_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broker_service_code'))

    op.drop_table('broker_service')
    with op.batch_alter_table('broker_sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broker_sector_sector_code'))

    op.drop_table('broker_sector')
    op.drop_table('broker_profile')

    with op.batch_alter_table('deal_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_event_deal_id'))

    op.drop_table('deal_event')
    with op.batch_alter_table('deal_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_document_deal_id'))

    op.drop_table('deal_document')
    with op.batch_alter_table('deal', schema=None) as batch_op:
        batch_op.drop_index('ix_deal_stage')
        batch_op.drop_index(batch_op.f('ix_deal_seller_org_id'))
        batch_op.drop_index(batch_op.f('ix_deal_offer_id'))
        batch_op.drop_index(batch_op.f('ix_deal_need_id'))
        batch_op.drop_index(batch_op.f('ix_deal_buyer_org_id'))
        batch_op.drop_index(batch_op.f('ix_deal_broker_org_id'))

    op.drop_table('deal')
