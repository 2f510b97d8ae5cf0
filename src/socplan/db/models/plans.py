"""Models of the plans capability: plans, hierarchical events, executors, financing, results,
control points with attached documents, and the production calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base, utcnow
from socplan.db.models.reference import Organisation, Unit
from socplan.db.types import ExactDecimal, Money


class Plan(Base):
    __label__ = "Планы мероприятий"
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="events")
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    basis: Mapped[str] = mapped_column(Text, default="")  # «Приложение № 2 к постановлению …»
    approval_word: Mapped[str] = mapped_column(String(50), default="УТВЕРЖДАЮ")
    approval_position: Mapped[str] = mapped_column(Text, default="")
    approval_name: Mapped[str] = mapped_column(String(255), default="")
    approval_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    reporting: Mapped[str] = mapped_column(String(20), default="quarterly")  # for «постоянно»
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    owner: Mapped[Organisation | None] = relationship()
    previous: Mapped[Plan | None] = relationship(remote_side=[id])
    events: Mapped[list[PlanEvent]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanEvent.sort_key")


class PlanEvent(Base):
    __label__ = "Мероприятия планов"
    __tablename__ = "plan_event"
    __table_args__ = (Index("ix_plan_event_plan", "plan_id", "sort_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plan_event.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # among siblings, from 0
    number: Mapped[str] = mapped_column(String(30), default="")  # «1.1», kept in step by renumbering
    sort_key: Mapped[str] = mapped_column(String(120), default="")  # zero-padded number for ordering
    text: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(Text, default="")  # form of implementation / expected result
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    deadline_kind: Mapped[str] = mapped_column(String(20), default="none")
    anchor_date: Mapped[dt.date | None] = mapped_column(Date)  # for relative deadlines
    executors_text: Mapped[str] = mapped_column(Text, default="")  # the cell as written
    source_code: Mapped[str] = mapped_column(String(50), default="")  # «2.1.1» of programme tables
    #: optimistic locking (migration versions_0001): every UPDATE checks and bumps it; a concurrent save is refused
    version: Mapped[int] = mapped_column(Integer, server_default=sql_text("1"))
    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[Plan] = relationship(back_populates="events")
    parent: Mapped[PlanEvent | None] = relationship(remote_side=[id])
    participants: Mapped[list[PlanEventOrganisation]] = relationship(
        cascade="all, delete-orphan", order_by="PlanEventOrganisation.position")
    financing: Mapped[list[PlanEventFinancing]] = relationship(cascade="all, delete-orphan")
    results: Mapped[list[PlanEventResult]] = relationship(cascade="all, delete-orphan")
    points: Mapped[list[ControlPoint]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="ControlPoint.due_date")


class PlanEventOrganisation(Base):
    __label__ = "Исполнители мероприятий"
    __tablename__ = "plan_event_organisation"
    __table_args__ = (UniqueConstraint("event_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("plan_event.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20), default="executor")  # executor | controller
    position: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship()


class PlanEventFinancing(Base):
    __label__ = "Финансирование мероприятий"
    __tablename__ = "plan_event_financing"
    __table_args__ = (UniqueConstraint("event_id", "source", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("plan_event.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(255), default="")  # "" = «Всего»
    year: Mapped[int | None] = mapped_column(Integer)  # None = whole period
    amount: Mapped[Decimal] = mapped_column(Money)


class PlanEventResult(Base):
    __label__ = "Результаты мероприятий"
    __tablename__ = "plan_event_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("plan_event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(Text)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    unit_text: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    unit: Mapped[Unit | None] = relationship()
    values: Mapped[list[PlanEventResultValue]] = relationship(
        cascade="all, delete-orphan", order_by="PlanEventResultValue.year")


class PlanEventResultValue(Base):
    __label__ = "Значения результатов мероприятий"
    __tablename__ = "plan_event_result_value"
    __table_args__ = (UniqueConstraint("result_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("plan_event_result.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(ExactDecimal)


class ControlPoint(Base):
    __label__ = "Контрольные точки мероприятий"
    __tablename__ = "plan_control_point"
    __table_args__ = (Index("ix_plan_control_point_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("plan_event.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    original_due_date: Mapped[dt.date] = mapped_column(Date)
    period_label: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    info: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))

    event: Mapped[PlanEvent] = relationship(back_populates="points")
    reporter: Mapped[Organisation | None] = relationship()
    documents: Mapped[list[ControlPointDocument]] = relationship(cascade="all, delete-orphan")


class ControlPointDocument(Base):
    __label__ = "Документы об исполнении"
    __tablename__ = "plan_control_point_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    point_id: Mapped[int] = mapped_column(ForeignKey("plan_control_point.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WorkCalendarYear(Base):
    __label__ = "Производственный календарь"
    __tablename__ = "work_calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(20), default="approved")
    source: Mapped[str] = mapped_column(Text, default="")

    days: Mapped[list[WorkCalendarDay]] = relationship(cascade="all, delete-orphan")


class WorkCalendarDay(Base):
    __label__ = "Дни производственного календаря"
    __tablename__ = "work_calendar_day"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("work_calendar_year.year", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # holiday | working
