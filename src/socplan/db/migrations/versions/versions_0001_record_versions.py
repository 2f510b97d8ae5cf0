"""versions: row versions (optimistic locking) on plan events, protocol decisions, subsidy applications

Revision ID: versions_0001
Revises: plans_0001, protocols_0001, subsidies_0001 (a new branch joining the tables it versions)
Create Date: 2026-12-01 05:15:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "versions_0001"
down_revision = ("plans_0001", "protocols_0001", "subsidies_0001")  # where the three tables are made
branch_labels = ("versions",)
depends_on = None

TABLES = ("plan_event", "pr_decision", "subsidy_application")


def upgrade() -> None:
    for table in TABLES:  # existing rows get version 1
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
