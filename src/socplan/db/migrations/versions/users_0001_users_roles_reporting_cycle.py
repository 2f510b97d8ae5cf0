"""users: users and roles, the reporting cycle (due-date rules, state journal, extensions, reopening,
explanations of control ratios)

Revision ID: users_0001
Revises: indicators_0001 (the cycle tables refer to indicator forms)
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "users_0001"
down_revision = "indicators_0001"
branch_labels = ("users",)
depends_on = None


def _scope() -> list[sa.Column]:
    return [
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("period_no", sa.Integer(), nullable=False),
    ]


def _scope_fks(table: str) -> list[sa.ForeignKeyConstraint]:
    return [
        sa.ForeignKeyConstraint(["form_id"], ["ind_form.id"], name=op.f(f"fk_{table}_form_id_ind_form"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f(f"fk_{table}_territory_id_territory"),
                                ondelete="RESTRICT"),
    ]


def _request(table: str) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope(),
        *([sa.Column("until", sa.Date(), nullable=False)] if table == "cycle_extension" else []),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        *([sa.Column("snapshot", sa.Text(), nullable=False)] if table == "cycle_reopen" else []),
        *_scope_fks(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("territory_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["territory_id"], ["territory.id"], name=op.f("fk_app_user_territory_id_territory"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("name", name=op.f("uq_app_user_name")),
    )
    op.create_table(
        "cycle_due_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("months_after", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["form_id"], ["ind_form.id"], name=op.f("fk_cycle_due_rule_form_id_ind_form"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_due_rule")),
        sa.UniqueConstraint("form_id", name=op.f("uq_cycle_due_rule_form_id")),
    )
    op.create_table(
        "cycle_step",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope(),
        sa.Column("from_state", sa.String(length=20), nullable=False),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_name", sa.String(length=255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_scope_fks("cycle_step"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_step")),
    )
    with op.batch_alter_table("cycle_step", schema=None) as batch_op:
        batch_op.create_index("ix_cycle_step_period", ["year", "period_kind", "period_no", "form_id", "territory_id"],
                              unique=False)
    _request("cycle_extension")
    with op.batch_alter_table("cycle_extension", schema=None) as batch_op:
        batch_op.create_index("ix_cycle_extension_period", ["year", "period_kind", "period_no"], unique=False)
    _request("cycle_reopen")
    with op.batch_alter_table("cycle_reopen", schema=None) as batch_op:
        batch_op.create_index("ix_cycle_reopen_scope", ["form_id", "territory_id", "year", "period_kind", "period_no"],
                              unique=False)
    op.create_table(
        "cycle_explanation",
        sa.Column("id", sa.Integer(), nullable=False),
        *_scope(),
        sa.Column("rule_code", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_scope_fks("cycle_explanation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_explanation")),
        sa.UniqueConstraint("form_id", "territory_id", "year", "period_kind", "period_no", "rule_code",
                            name="uq_cycle_explanation_rule"),
    )


def downgrade() -> None:
    for table in ("cycle_explanation", "cycle_reopen", "cycle_extension", "cycle_step", "cycle_due_rule", "app_user"):
        op.drop_table(table)
