"""subsidies: selection rounds, limit levels, applications, documents checklist, events and results

Revision ID: subsidies_0001
Revises: 0001
Create Date: 2026-11-22 15:52:04.467512
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


import socplan.db.types

revision = 'subsidies_0001'
down_revision = '0001'
branch_labels = ('subsidies',)
depends_on = None


def upgrade() -> None:
    op.create_table('subsidy_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('budget', socplan.db.types.Money(), nullable=False),
    sa.Column('average_rate_district', socplan.db.types.ExactDecimal(length=64), nullable=False),
    sa.Column('average_rate_settlement', socplan.db.types.ExactDecimal(length=64), nullable=False),
    sa.Column('applications_deadline', sa.Date(), nullable=True),
    sa.Column('selection_date', sa.Date(), nullable=True),
    sa.Column('commission', sa.Text(), nullable=False),
    sa.Column('distribute_remainder_fully', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_round'))
    )
    op.create_table('subsidy_application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=True),
    sa.Column('declared_need', socplan.db.types.Money(), nullable=True),
    sa.Column('local_funds', socplan.db.types.Money(), nullable=True),
    sa.Column('local_funds_cofinanced', socplan.db.types.Money(), nullable=True),
    sa.Column('fiscal_capacity', socplan.db.types.ExactDecimal(length=64), nullable=True),
    sa.Column('total_budget_spending', socplan.db.types.Money(), nullable=True),
    sa.Column('total_need', socplan.db.types.Money(), nullable=True),
    sa.Column('ngo_registered', sa.Integer(), nullable=True),
    sa.Column('ngo_registered_previous', sa.Integer(), nullable=True),
    sa.Column('ngo_supported', sa.Integer(), nullable=True),
    sa.Column('preferential_contracts', sa.Integer(), nullable=True),
    sa.Column('commission_active', sa.Boolean(), nullable=True),
    sa.Column('infrastructure_event', sa.Boolean(), nullable=True),
    sa.Column('training_event', sa.Boolean(), nullable=True),
    sa.Column('property_list', sa.Boolean(), nullable=True),
    sa.Column('registry_published', sa.Boolean(), nullable=True),
    sa.Column('activity_matches_goal', sa.Boolean(), nullable=False),
    sa.Column('has_municipal_programme', sa.Boolean(), nullable=False),
    sa.Column('form_ok', sa.Boolean(), nullable=False),
    sa.Column('unreliable_info', sa.Boolean(), nullable=False),
    sa.Column('needs_accessibility', sa.Boolean(), nullable=False),
    sa.Column('national_project', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['subsidy_round.id'], name=op.f('fk_subsidy_application_round_id_subsidy_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_subsidy_application_territory_id_territory'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_application')),
    sa.UniqueConstraint('round_id', 'territory_id', name=op.f('uq_subsidy_application_round_id'))
    )
    op.create_table('subsidy_limit_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('rate', socplan.db.types.ExactDecimal(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['subsidy_round.id'], name=op.f('fk_subsidy_limit_rate_round_id_subsidy_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_subsidy_limit_rate_territory_id_territory'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_limit_rate')),
    sa.UniqueConstraint('round_id', 'territory_id', name=op.f('uq_subsidy_limit_rate_round_id'))
    )
    op.create_table('subsidy_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('received', sa.Boolean(), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['subsidy_application.id'], name=op.f('fk_subsidy_document_application_id_subsidy_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_document')),
    sa.UniqueConstraint('application_id', 'code', name=op.f('uq_subsidy_document_application_id'))
    )
    op.create_table('subsidy_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('granted', socplan.db.types.Money(), nullable=False),
    sa.Column('force_majeure', sa.Boolean(), nullable=False),
    sa.Column('force_majeure_documents', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['subsidy_application.id'], name=op.f('fk_subsidy_event_application_id_subsidy_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_event'))
    )
    op.create_table('subsidy_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('planned', socplan.db.types.ExactDecimal(length=64), nullable=False),
    sa.Column('actual', socplan.db.types.ExactDecimal(length=64), nullable=True),
    sa.Column('growth_is_good', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['subsidy_event.id'], name=op.f('fk_subsidy_result_event_id_subsidy_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_result'))
    )


def downgrade() -> None:
    op.drop_table('subsidy_result')
    op.drop_table('subsidy_event')
    op.drop_table('subsidy_document')
    op.drop_table('subsidy_limit_rate')
    op.drop_table('subsidy_application')
    op.drop_table('subsidy_round')
