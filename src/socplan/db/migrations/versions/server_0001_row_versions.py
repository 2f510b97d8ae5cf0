"""server: row versions for optimistic locking (indicator values, form states)

Revision ID: server_0001
Revises: indicators_0001 (a branch of its own, labelled «server», on top of the indicators tables)
Create Date: 2026-12-01 04:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "server_0001"
down_revision = "indicators_0001"
branch_labels = ("server",)
depends_on = None

TABLES = ("ind_value", "ind_submission")


def upgrade() -> None:
    # existing rows start at version 1; batch mode only matters on SQLite (plain ALTER TABLE on PostgreSQL)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
