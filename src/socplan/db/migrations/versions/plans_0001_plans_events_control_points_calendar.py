"""plans: plans, events, executors, financing, results, control points, production calendar

Revision ID: plans_0001
Revises: 0001
Create Date: 2026-11-22 15:49:40.282999
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


import socplan.db.types

revision = 'plans_0001'
down_revision = '0001'
branch_labels = ('plans',)
depends_on = None


def upgrade() -> None:
    # reviewed by hand: only the plans capability's tables
    op.create_table('work_calendar_year',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_work_calendar_year'))
    )
    op.create_table('work_calendar_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['year'], ['work_calendar_year.year'], name=op.f('fk_work_calendar_day_year_work_calendar_year'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_work_calendar_day'))
    )
    with op.batch_alter_table('work_calendar_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_calendar_day_year'), ['year'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year_from', sa.Integer(), nullable=False),
    sa.Column('year_to', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('approval_word', sa.String(length=50), nullable=False),
    sa.Column('approval_position', sa.Text(), nullable=False),
    sa.Column('approval_name', sa.String(length=255), nullable=False),
    sa.Column('approval_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('reporting', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['organisation.id'], name=op.f('fk_plan_owner_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['previous_id'], ['plan.id'], name=op.f('fk_plan_previous_id_plan'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    op.create_table('plan_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('sort_key', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('form', sa.Text(), nullable=False),
    sa.Column('deadline_text', sa.Text(), nullable=False),
    sa.Column('deadline_kind', sa.String(length=20), nullable=False),
    sa.Column('anchor_date', sa.Date(), nullable=True),
    sa.Column('executors_text', sa.Text(), nullable=False),
    sa.Column('source_code', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['plan_event.id'], name=op.f('fk_plan_event_parent_id_plan_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_event_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event'))
    )
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.create_index('ix_plan_event_plan', ['plan_id', 'sort_key'], unique=False)

    op.create_table('plan_control_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('original_due_date', sa.Date(), nullable=False),
    sa.Column('period_label', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('info', sa.Text(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['plan_event.id'], name=op.f('fk_plan_control_point_event_id_plan_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['organisation.id'], name=op.f('fk_plan_control_point_reporter_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_control_point'))
    )
    with op.batch_alter_table('plan_control_point', schema=None) as batch_op:
        batch_op.create_index('ix_plan_control_point_due', ['status', 'due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_control_point_event_id'), ['event_id'], unique=False)

    op.create_table('plan_event_financing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('amount', socplan.db.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['plan_event.id'], name=op.f('fk_plan_event_financing_event_id_plan_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event_financing')),
    sa.UniqueConstraint('event_id', 'source', 'year', name=op.f('uq_plan_event_financing_event_id'))
    )
    op.create_table('plan_event_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['plan_event.id'], name=op.f('fk_plan_event_organisation_event_id_plan_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_plan_event_organisation_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event_organisation')),
    sa.UniqueConstraint('event_id', 'organisation_id', 'role', name=op.f('uq_plan_event_organisation_event_id'))
    )
    op.create_table('plan_event_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_text', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['plan_event.id'], name=op.f('fk_plan_event_result_event_id_plan_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_plan_event_result_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event_result'))
    )
    op.create_table('plan_control_point_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('point_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['point_id'], ['plan_control_point.id'], name=op.f('fk_plan_control_point_document_point_id_plan_control_point'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_control_point_document'))
    )
    with op.batch_alter_table('plan_control_point_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_control_point_document_point_id'), ['point_id'], unique=False)

    op.create_table('plan_event_result_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', socplan.db.types.ExactDecimal(length=64), nullable=False),
    sa.ForeignKeyConstraint(['result_id'], ['plan_event_result.id'], name=op.f('fk_plan_event_result_value_result_id_plan_event_result'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_event_result_value')),
    sa.UniqueConstraint('result_id', 'year', name=op.f('uq_plan_event_result_value_result_id'))
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    # reviewed by hand: only the plans capability's tables
    op.drop_table('plan_event_result_value')
    with op.batch_alter_table('plan_control_point_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_control_point_document_point_id'))

    op.drop_table('plan_control_point_document')
    op.drop_table('plan_event_result')
    op.drop_table('plan_event_organisation')
    op.drop_table('plan_event_financing')
    with op.batch_alter_table('plan_control_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_control_point_event_id'))
        batch_op.drop_index('ix_plan_control_point_due')

    op.drop_table('plan_control_point')
    with op.batch_alter_table('plan_event', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_event_plan')

    op.drop_table('plan_event')
    op.drop_table('plan')
    with op.batch_alter_table('work_calendar_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_calendar_day_year'))

    op.drop_table('work_calendar_day')
    op.drop_table('work_calendar_year')
    # ### end Alembic commands ###
