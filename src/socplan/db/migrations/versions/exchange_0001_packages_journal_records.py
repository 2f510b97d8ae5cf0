"""exchange: identity, trusted certificates by territory, package journal, sender sequences, record UUIDs,
remarks, received documents

Revision ID: exchange_0001
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "exchange_0001"
down_revision = "0001"
branch_labels = ("exchange",)
depends_on = None

TABLES = ("exchange_identity", "exchange_trusted_certificate", "exchange_remark", "exchange_document",
          "exchange_sender_state", "exchange_record", "exchange_package")


def upgrade() -> None:
    op.create_table('exchange_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('package_uuid', sa.String(length=36), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('sender_territory', sa.String(length=255), nullable=False),
    sa.Column('sender_organisation', sa.String(length=255), nullable=False),
    sa.Column('recipient_territory', sa.String(length=255), nullable=False),
    sa.Column('recipient_organisation', sa.String(length=255), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(length=255), nullable=False),
    sa.Column('signer', sa.String(length=500), nullable=False),
    sa.Column('result', sa.String(length=20), nullable=False),
    sa.Column('result_text', sa.Text(), nullable=False),
    sa.Column('contents', sa.Text(), nullable=False),
    sa.Column('applied', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_package'))
    )
    with op.batch_alter_table('exchange_package', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_package_sender', ['direction', 'sender_territory', 'sequence'], unique=False)

    op.create_table('exchange_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=100), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('synced_hash', sa.String(length=64), nullable=False),
    sa.Column('synced_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_record')),
    sa.UniqueConstraint('entity', 'local_id', name='uq_exchange_record_local'),
    sa.UniqueConstraint('uuid', name=op.f('uq_exchange_record_uuid'))
    )
    op.create_table('exchange_sender_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory', sa.String(length=255), nullable=False),
    sa.Column('organisation', sa.String(length=255), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('last_sha256', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_sender_state')),
    sa.UniqueConstraint('territory', 'organisation', name='uq_exchange_sender_state_sender')
    )
    op.create_table('exchange_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['exchange_package.id'], name=op.f('fk_exchange_document_package_id_exchange_package'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_document'))
    )
    op.create_table('exchange_remark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=100), nullable=False),
    sa.Column('local_id', sa.Integer(), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['exchange_package.id'], name=op.f('fk_exchange_remark_package_id_exchange_package'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_remark'))
    )
    with op.batch_alter_table('exchange_remark', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_remark_record', ['entity', 'local_id'], unique=False)

    op.create_table('exchange_trusted_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=500), nullable=False),
    sa.Column('organisation', sa.String(length=500), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.DateTime(), nullable=False),
    sa.Column('valid_to', sa.DateTime(), nullable=False),
    sa.Column('der', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_exchange_trusted_certificate_territory_id_territory'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_trusted_certificate')),
    sa.UniqueConstraint('territory_id', 'fingerprint', name='uq_exchange_trusted_certificate_binding')
    )
    op.create_table('exchange_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('pkcs12_path', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_exchange_identity_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_exchange_identity_territory_id_territory'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_identity'))
    )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
