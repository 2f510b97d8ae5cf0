"""Users of a database and the reporting cycle: due-date rules per form, the journal of state steps,
extension and reopening requests, explanations of control-ratio violations.

The territory binding is a plain ``territory_id`` column everywhere, so that PostgreSQL row-level security
policies can filter on it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socplan.db.base import Base, utcnow


class AppUser(Base):
    """A user of this database: who they are and what they may do (``socplan users``)."""

    __tablename__ = "app_user"
    __label__ = "Пользователи"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)  # ФИО as it signs the journal
    position: Mapped[str] = mapped_column(String(500), default="")
    role: Mapped[str] = mapped_column(String(20))  # domain.roles.Role
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class _Scope:
    """form × territory × period, as plain columns."""

    form_id: Mapped[int] = mapped_column(ForeignKey("ind_form.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    period_kind: Mapped[str] = mapped_column(String(10))
    period_no: Mapped[int] = mapped_column(Integer, default=0)


class DueRuleRow(Base):
    """When a form is due (domain.cycle.DueRule), set by the Ministry."""

    __tablename__ = "cycle_due_rule"
    __label__ = "Сроки сдачи форм"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("ind_form.id", ondelete="CASCADE"), unique=True)
    period_kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[int] = mapped_column(Integer, default=0)
    months_after: Mapped[int] = mapped_column(Integer, default=1)
    month: Mapped[int] = mapped_column(Integer, default=0)
    working_days: Mapped[int] = mapped_column(Integer, default=0)
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # periods due before it are not asked for


class CycleStep(Base, _Scope):
    """One step of a form's cycle (представлено, принято, возвращено…): who, when, with what note."""

    __tablename__ = "cycle_step"
    __label__ = "Журнал сдачи форм"
    __table_args__ = (Index("ix_cycle_step_period", "year", "period_kind", "period_no", "form_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_name: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ExtensionRequest(Base, _Scope):
    """A district asks for a later due date; the Ministry grants or refuses."""

    __tablename__ = "cycle_extension"
    __label__ = "Продления сроков сдачи"
    __table_args__ = (Index("ix_cycle_extension_period", "year", "period_kind", "period_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    until: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(255), default="")
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | granted | refused
    decided_by: Mapped[str] = mapped_column(String(255), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")


class ReopenRequest(Base, _Scope):
    """A request to reopen an accepted form; when granted, ``snapshot`` keeps the accepted values (JSON)
    so that «изменено после принятия» can show the old and new values side by side."""

    __tablename__ = "cycle_reopen"
    __label__ = "Открытие принятых форм"
    __table_args__ = (Index("ix_cycle_reopen_scope", "form_id", "territory_id", "year", "period_kind", "period_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(255), default="")
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | granted | refused
    decided_by: Mapped[str] = mapped_column(String(255), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    decision_note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text, default="")


class RatioExplanation(Base, _Scope):
    """Why a control ratio does not hold for this form × territory × period (submission then allowed)."""

    __tablename__ = "cycle_explanation"
    __label__ = "Пояснения к контрольным соотношениям"
    __table_args__ = (UniqueConstraint("form_id", "territory_id", "year", "period_kind", "period_no", "rule_code",
                                       name="uq_cycle_explanation_rule"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_code: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)


__all__ = ["AppUser", "DueRuleRow", "CycleStep", "ExtensionRequest", "ReopenRequest", "RatioExplanation"]
