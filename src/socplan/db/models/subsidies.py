"""Models of the subsidies capability: selection rounds, applications with their documents and rating inputs,
the limit co-financing levels of a round, and the events/results reported after the year (efficiency, clawback).

Money columns are ``Money`` (kopecks), rates and fiscal capacity ``ExactDecimal``; ``None`` is «нет сведений».
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base, utcnow
from socplan.db.models.reference import Territory
from socplan.db.types import ExactDecimal, Money


class SubsidyRound(Base):
    __label__ = "Отборы на предоставление субсидий"
    __tablename__ = "subsidy_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure: Mapped[str] = mapped_column(String(10))  # app12 | app13
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(1000), default="")
    budget: Mapped[Decimal] = mapped_column(Money)  # C (App. 12) or СОБ (App. 13)
    average_rate_district: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal("0.87"))
    average_rate_settlement: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal("0.90"))
    applications_deadline: Mapped[dt.date | None] = mapped_column(Date)
    selection_date: Mapped[dt.date | None] = mapped_column(Date)
    commission: Mapped[str] = mapped_column(Text, default="")  # one member per line
    distribute_remainder_fully: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    applications: Mapped[list[SubsidyApplication]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="SubsidyApplication.id")
    limit_rates: Mapped[list[SubsidyLimitRate]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="SubsidyLimitRate.id")


class SubsidyLimitRate(Base):
    """The limit co-financing level approved yearly by the Government for a municipality (fraction)."""

    __label__ = "Предельные уровни софинансирования"
    __tablename__ = "subsidy_limit_rate"
    __table_args__ = (UniqueConstraint("round_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_round.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    rate: Mapped[Decimal] = mapped_column(ExactDecimal)

    round: Mapped[SubsidyRound] = relationship(back_populates="limit_rates")
    territory: Mapped[Territory] = relationship()


class SubsidyApplication(Base):
    __label__ = "Заявки на предоставление субсидий"
    __tablename__ = "subsidy_application"
    __table_args__ = (UniqueConstraint("round_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_round.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    received_date: Mapped[dt.date | None] = mapped_column(Date)
    declared_need: Mapped[Decimal | None] = mapped_column(Money)
    local_funds: Mapped[Decimal | None] = mapped_column(Money)  # MB_i
    local_funds_cofinanced: Mapped[Decimal | None] = mapped_column(Money)  # МБП_i
    fiscal_capacity: Mapped[Decimal | None] = mapped_column(ExactDecimal)  # РБО_i
    total_budget_spending: Mapped[Decimal | None] = mapped_column(Money)
    total_need: Mapped[Decimal | None] = mapped_column(Money)  # П_i (App. 13)
    ngo_registered: Mapped[int | None] = mapped_column(Integer)
    ngo_registered_previous: Mapped[int | None] = mapped_column(Integer)
    ngo_supported: Mapped[int | None] = mapped_column(Integer)
    preferential_contracts: Mapped[int | None] = mapped_column(Integer)
    commission_active: Mapped[bool | None] = mapped_column(Boolean)
    infrastructure_event: Mapped[bool | None] = mapped_column(Boolean)
    training_event: Mapped[bool | None] = mapped_column(Boolean)
    property_list: Mapped[bool | None] = mapped_column(Boolean)
    registry_published: Mapped[bool | None] = mapped_column(Boolean)
    activity_matches_goal: Mapped[bool] = mapped_column(Boolean, default=True)
    has_municipal_programme: Mapped[bool] = mapped_column(Boolean, default=True)
    form_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    unreliable_info: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_accessibility: Mapped[bool] = mapped_column(Boolean, default=True)
    national_project: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: optimistic locking (migration versions_0001): every UPDATE checks and bumps it; a concurrent save is refused
    version: Mapped[int] = mapped_column(Integer, server_default=sql_text("1"))
    __mapper_args__ = {"version_id_col": version}

    round: Mapped[SubsidyRound] = relationship(back_populates="applications")
    territory: Mapped[Territory] = relationship()
    documents: Mapped[list[SubsidyDocument]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="SubsidyDocument.code")
    events: Mapped[list[SubsidyEvent]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="SubsidyEvent.id")


class SubsidyDocument(Base):
    """One line of the procedure's documents checklist: received yes/no and the date."""

    __label__ = "Документы заявок на субсидии"
    __tablename__ = "subsidy_document"
    __table_args__ = (UniqueConstraint("application_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("subsidy_application.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10))
    received: Mapped[bool] = mapped_column(Boolean, default=False)
    received_date: Mapped[dt.date | None] = mapped_column(Date)

    application: Mapped[SubsidyApplication] = relationship(back_populates="documents")


class SubsidyEvent(Base):
    """An event financed by the subsidy, as reported after the year (CC_i, force majeure)."""

    __label__ = "Мероприятия, софинансируемые субсидией"
    __tablename__ = "subsidy_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("subsidy_application.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(1000))
    granted: Mapped[Decimal] = mapped_column(Money)
    force_majeure: Mapped[bool] = mapped_column(Boolean, default=False)
    force_majeure_documents: Mapped[str] = mapped_column(Text, default="")

    application: Mapped[SubsidyApplication] = relationship(back_populates="events")
    results: Mapped[list[SubsidyResult]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="SubsidyResult.id")


class SubsidyResult(Base):
    """A result of using the subsidy: the agreement value S_it and the actual value T_it."""

    __label__ = "Результаты использования субсидий"
    __tablename__ = "subsidy_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("subsidy_event.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(1000))
    unit: Mapped[str] = mapped_column(String(50), default="единиц")
    planned: Mapped[Decimal] = mapped_column(ExactDecimal)
    actual: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    growth_is_good: Mapped[bool] = mapped_column(Boolean, default=True)

    event: Mapped[SubsidyEvent] = relationship(back_populates="results")


__all__ = ["SubsidyApplication", "SubsidyDocument", "SubsidyEvent", "SubsidyLimitRate", "SubsidyResult",
           "SubsidyRound"]
