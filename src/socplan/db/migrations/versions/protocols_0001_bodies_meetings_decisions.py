"""protocols: collegial bodies, membership, meetings, agenda, decisions, control of execution

Revision ID: protocols_0001
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "protocols_0001"
down_revision = "0001"
branch_labels = ("protocols",)
depends_on = None


def upgrade() -> None:
    op.create_table('pr_body',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=1000), nullable=False),
    sa.Column('name_genitive', sa.String(length=1000), nullable=False),
    sa.Column('short_name', sa.String(length=255), nullable=False),
    sa.Column('short_name_genitive', sa.String(length=255), nullable=False),
    sa.Column('founded', sa.Date(), nullable=True),
    sa.Column('statute', sa.Text(), nullable=False),
    sa.Column('default_place', sa.String(length=500), nullable=False),
    sa.Column('quorum_numerator', sa.Integer(), nullable=False),
    sa.Column('quorum_denominator', sa.Integer(), nullable=False),
    sa.Column('quorum_strict', sa.Boolean(), nullable=False),
    sa.Column('decision_numerator', sa.Integer(), nullable=False),
    sa.Column('decision_denominator', sa.Integer(), nullable=False),
    sa.Column('decision_strict', sa.Boolean(), nullable=False),
    sa.Column('casting_vote', sa.Boolean(), nullable=False),
    sa.Column('secretary_signs', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_body'))
    )
    op.create_table('pr_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('time', sa.String(length=5), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('presiding_id', sa.Integer(), nullable=True),
    sa.Column('secretary_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['body_id'], ['pr_body.id'], name=op.f('fk_pr_meeting_body_id_pr_body'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['presiding_id'], ['person.id'], name=op.f('fk_pr_meeting_presiding_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['secretary_id'], ['person.id'], name=op.f('fk_pr_meeting_secretary_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_meeting'))
    )
    with op.batch_alter_table('pr_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_meeting_body_id'), ['body_id'], unique=False)
    op.create_table('pr_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=1000), nullable=False),
    sa.Column('date_from', sa.Date(), nullable=True),
    sa.Column('date_to', sa.Date(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['pr_body.id'], name=op.f('fk_pr_membership_body_id_pr_body'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pr_membership_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_membership'))
    )
    with op.batch_alter_table('pr_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_membership_body_id'), ['body_id'], unique=False)
    op.create_table('pr_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('speakers', sa.Text(), nullable=False),
    sa.Column('heard', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['pr_meeting.id'], name=op.f('fk_pr_agenda_item_meeting_id_pr_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_agenda_item')),
    sa.UniqueConstraint('meeting_id', 'number', name=op.f('uq_pr_agenda_item_meeting_id'))
    )
    with op.batch_alter_table('pr_agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_agenda_item_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('pr_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('invited', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('position', sa.String(length=1000), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['pr_meeting.id'], name=op.f('fk_pr_attendance_meeting_id_pr_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pr_attendance_person_id_person'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_attendance'))
    )
    with op.batch_alter_table('pr_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_attendance_meeting_id'), ['meeting_id'], unique=False)
    op.create_table('pr_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('point', sa.Integer(), nullable=False),
    sa.Column('subpoint', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('deadline_text', sa.String(length=500), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('votes_for', sa.Integer(), nullable=True),
    sa.Column('votes_against', sa.Integer(), nullable=True),
    sa.Column('votes_abstained', sa.Integer(), nullable=True),
    sa.Column('presiding_vote', sa.String(length=10), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('control_status', sa.String(length=20), nullable=False),
    sa.Column('execution_info', sa.Text(), nullable=False),
    sa.Column('execution_date', sa.Date(), nullable=True),
    sa.Column('original_due_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['pr_agenda_item.id'], name=op.f('fk_pr_decision_agenda_item_id_pr_agenda_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_decision'))
    )
    with op.batch_alter_table('pr_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_decision_agenda_item_id'), ['agenda_item_id'], unique=False)
    op.create_table('pr_control_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['pr_decision.id'], name=op.f('fk_pr_control_document_decision_id_pr_decision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_control_document'))
    )
    with op.batch_alter_table('pr_control_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_control_document_decision_id'), ['decision_id'], unique=False)
    op.create_table('pr_decision_responsible',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('suffix', sa.String(length=1000), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['pr_decision.id'], name=op.f('fk_pr_decision_responsible_decision_id_pr_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_pr_decision_responsible_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pr_decision_responsible'))
    )
    with op.batch_alter_table('pr_decision_responsible', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pr_decision_responsible_decision_id'), ['decision_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pr_decision_responsible', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_decision_responsible_decision_id'))
    op.drop_table('pr_decision_responsible')
    with op.batch_alter_table('pr_control_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_control_document_decision_id'))
    op.drop_table('pr_control_document')
    with op.batch_alter_table('pr_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_decision_agenda_item_id'))
    op.drop_table('pr_decision')
    with op.batch_alter_table('pr_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_attendance_meeting_id'))
    op.drop_table('pr_attendance')
    with op.batch_alter_table('pr_agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_agenda_item_meeting_id'))
    op.drop_table('pr_agenda_item')
    with op.batch_alter_table('pr_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_membership_body_id'))
    op.drop_table('pr_membership')
    with op.batch_alter_table('pr_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pr_meeting_body_id'))
    op.drop_table('pr_meeting')
    op.drop_table('pr_body')
