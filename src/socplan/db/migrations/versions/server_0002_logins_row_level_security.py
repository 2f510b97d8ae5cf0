"""server: server logins bound to territories; row-level security on indicator values (PostgreSQL)

Revision ID: server_0002
Revises: server_0001
Create Date: 2026-12-01 04:05:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "server_0002"
down_revision = "server_0001"
branch_labels = None
depends_on = None

SCOPED_TABLES = ("ind_value", "ind_submission")

# session_user, not current_user: inside a SECURITY DEFINER function current_user is the function's owner.
# A login without a territory (Ministry staff, the owner) sees every territory.
VISIBLE = """
CREATE OR REPLACE FUNCTION socplan_territory_visible(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT COALESCE((SELECT l.territory_id IS NULL OR l.territory_id = t
                     FROM srv_login l WHERE l.login = session_user), true)
$$
"""


def upgrade() -> None:
    op.create_table(
        "srv_login",
        sa.Column("login", sa.String(length=63), nullable=False),
        sa.Column("user_name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_srv_login_territory_id_territory"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_srv_login")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return  # a SQLite file has one user at a time: nothing to enforce
    op.execute(VISIBLE)
    for table in SCOPED_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY socplan_territory ON {table} USING (socplan_territory_visible(territory_id)) "
                   "WITH CHECK (socplan_territory_visible(territory_id))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SCOPED_TABLES:
            op.execute(f"DROP POLICY IF EXISTS socplan_territory ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP FUNCTION IF EXISTS socplan_territory_visible(integer)")
    op.drop_table("srv_login")
