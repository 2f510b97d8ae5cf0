"""protocols: «ВЫСТУПИЛИ» — speakers in the discussion of each agenda question with the gist of what they said

Revision ID: protocols_0002
Revises: protocols_0001

A new table only (plain CREATE TABLE / CREATE INDEX, portable to PostgreSQL): a database of the previous version
keeps every row; its questions simply have no speakers yet.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "protocols_0002"
down_revision = "protocols_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pr_speech",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("position", sa.String(length=1000), nullable=False),
        sa.Column("gist", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["agenda_item_id"], ["pr_agenda_item.id"],
                                name=op.f("fk_pr_speech_agenda_item_id_pr_agenda_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_pr_speech_person_id_person"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pr_speech")),
    )
    op.create_index(op.f("ix_pr_speech_agenda_item_id"), "pr_speech", ["agenda_item_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pr_speech_agenda_item_id"), table_name="pr_speech")
    op.drop_table("pr_speech")
