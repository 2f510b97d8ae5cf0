"""server: a server login is bound to an application user (role and territory follow the user)

Revision ID: server_0003
Revises: server_0002 (no migration-time dependency on the users branch: the column has no foreign key
and the policy function is PL/pgSQL, which resolves ``app_user`` when it runs, not when it is created)
Create Date: 2026-12-01 05:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "server_0003"
down_revision = "server_0002"
branch_labels = None
depends_on = None

# The territory of a login bound to a user is the user's (a district officer's; none for Ministry staff);
# a login without a user keeps the territory it was registered with.
VISIBLE = """
CREATE OR REPLACE FUNCTION socplan_territory_visible(t integer) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN COALESCE((SELECT x.territory_id IS NULL OR x.territory_id = t
                     FROM (SELECT CASE WHEN l.user_id IS NULL THEN l.territory_id ELSE u.territory_id END
                                  AS territory_id
                           FROM srv_login l LEFT JOIN app_user u ON u.id = l.user_id
                           WHERE l.login = session_user) x), true);
END
$$
"""

OLD_VISIBLE = """
CREATE OR REPLACE FUNCTION socplan_territory_visible(t integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT COALESCE((SELECT l.territory_id IS NULL OR l.territory_id = t
                     FROM srv_login l WHERE l.login = session_user), true)
$$
"""


def upgrade() -> None:
    with op.batch_alter_table("srv_login") as batch:  # app_user.id; users are deactivated, never deleted
        batch.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(VISIBLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(OLD_VISIBLE)
    with op.batch_alter_table("srv_login") as batch:
        batch.drop_column("user_id")
