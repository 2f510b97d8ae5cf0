"""setup: database_info — the demo mark and the installation's identity (key–value)

A database filled with the demo data by an earlier version (the audit log says so) is marked as the demo,
so that its figures can never again be printed without the «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» mark.

Revision ID: setup_0001
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "setup_0001"
down_revision = "0001"
branch_labels = ("setup",)
depends_on = None

DEMO_REASON = "Загрузка демонстрационных данных"


def upgrade() -> None:
    op.create_table(
        "database_info",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_info")),
    )
    conn = op.get_bind()
    loaded_demo = conn.execute(sa.text("SELECT 1 FROM audit_log WHERE reason = :r LIMIT 1"), {"r": DEMO_REASON}).first()
    if loaded_demo is not None:
        conn.execute(sa.text("INSERT INTO database_info (key, value) VALUES ('kind', 'demo')"))


def downgrade() -> None:
    op.drop_table("database_info")
