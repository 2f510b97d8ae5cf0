"""Models of the indicators capability: the state programme (passport, financing), indicator forms and
their indicators with methodology components, values by territory and period, form states, control ratios."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base, utcnow
from socplan.db.models.reference import Organisation, Territory, Unit
from socplan.db.types import ExactDecimal, Money


class StateProgramme(Base):
    """A state programme (seed 003): its passport."""

    __tablename__ = "ind_programme"
    __label__ = "Государственные программы"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(1000))
    approved_by: Mapped[str] = mapped_column(Text, default="")
    period_from: Mapped[int] = mapped_column(Integer)
    period_to: Mapped[int] = mapped_column(Integer)
    curator: Mapped[str] = mapped_column(Text, default="")
    responsible_executor: Mapped[str] = mapped_column(Text, default="")
    co_executors: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")  # one goal per line
    subprogrammes: Mapped[str] = mapped_column(Text, default="")  # one per line
    national_goals: Mapped[str] = mapped_column(Text, default="")
    total_financing: Mapped[Decimal | None] = mapped_column(Money)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))

    responsible: Mapped[Organisation | None] = relationship()
    financing_lines: Mapped[list[FinancingLine]] = relationship(
        back_populates="programme", order_by="FinancingLine.line_no", cascade="all, delete-orphan")


class FinancingLine(Base):
    """A row of the programme's financing table (by source): «Всего» as printed and amounts by year."""

    __tablename__ = "ind_financing_line"
    __label__ = "Строки финансового обеспечения программ"
    __table_args__ = (UniqueConstraint("programme_id", "code", name="uq_ind_financing_line_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("ind_programme.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str] = mapped_column(String(20), default="")
    for_reference: Mapped[bool] = mapped_column(Boolean, default=False)  # «(справочно)»
    total: Mapped[Decimal | None] = mapped_column(Money)

    programme: Mapped[StateProgramme] = relationship(back_populates="financing_lines")
    amounts: Mapped[list[FinancingAmount]] = relationship(
        back_populates="line", order_by="FinancingAmount.year", cascade="all, delete-orphan")


class FinancingAmount(Base):
    __tablename__ = "ind_financing_amount"
    __label__ = "Объемы финансового обеспечения по годам"
    __table_args__ = (UniqueConstraint("line_id", "year", name="uq_ind_financing_amount_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("ind_financing_line.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)

    line: Mapped[FinancingLine] = relationship(back_populates="amounts")


class IndicatorForm(Base):
    """A set of indicators entered and reported together (a programme's indicators, a plan's targets)."""

    __tablename__ = "ind_form"
    __label__ = "Формы показателей"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(1000))
    source_document: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("ind_programme.id", ondelete="RESTRICT"))
    territorial: Mapped[bool] = mapped_column(Boolean, default=True)  # entered by districts
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    high_threshold: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(100))
    satisfactory_threshold: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(90))
    comment_threshold: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(10))

    programme: Mapped[StateProgramme | None] = relationship()
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="form", order_by="Indicator.sort_order", cascade="all, delete-orphan")


class Indicator(Base):
    __tablename__ = "ind_indicator"
    __label__ = "Показатели"
    __table_args__ = (UniqueConstraint("form_id", "code", name="uq_ind_indicator_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("ind_form.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    parent_code: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text)
    goal: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(100), default="")  # «ГП РФ», «ФП вне НП», «-»
    indicator_type: Mapped[str] = mapped_column(String(100), default="")  # «Процесс» / «Итоговый результат»
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    unit_name: Mapped[str] = mapped_column(String(100), default="")  # as printed: «процентов», «Г кал/кв. м»
    direction: Mapped[str] = mapped_column(String(20), default="increasing")
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    value_kind: Mapped[str] = mapped_column(String(10), default="number")  # number | yesno
    base_value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    base_year: Mapped[int | None] = mapped_column(Integer)
    source_document: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    responsible_text: Mapped[str] = mapped_column(Text, default="")
    national_goal: Mapped[str] = mapped_column(Text, default="")
    consolidation: Mapped[str] = mapped_column(String(20), default="sum")
    formula: Mapped[str] = mapped_column(String(1000), default="")  # evaluable expression
    formula_text: Mapped[str] = mapped_column(Text, default="")  # as printed in the methodology
    methodology: Mapped[str] = mapped_column(Text, default="")
    data_source: Mapped[str] = mapped_column(Text, default="")
    plan_mode: Mapped[str] = mapped_column(String(10), default="entered")  # entered | computed
    min_value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    max_value: Mapped[Decimal | None] = mapped_column(ExactDecimal)

    form: Mapped[IndicatorForm] = relationship(back_populates="indicators")
    unit: Mapped[Unit | None] = relationship()
    responsible: Mapped[Organisation | None] = relationship()
    components: Mapped[list[Component]] = relationship(
        back_populates="indicator", order_by="Component.sort_order", cascade="all, delete-orphan")


class Component(Base):
    """A named component of a methodology formula («В – численность граждан …, человек»)."""

    __tablename__ = "ind_component"
    __label__ = "Компоненты формул показателей"
    __table_args__ = (UniqueConstraint("indicator_id", "symbol", name="uq_ind_component_symbol"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("ind_indicator.id", ondelete="CASCADE"))
    symbol: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    unit_name: Mapped[str] = mapped_column(String(100), default="")
    data_source: Mapped[str] = mapped_column(Text, default="")
    formula: Mapped[str] = mapped_column(String(1000), default="")  # «D1 + D2» for a derived component
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    indicator: Mapped[Indicator] = relationship(back_populates="components")


class IndicatorValue(Base):
    """A plan or fact value of an indicator (``component`` = "") or of one of its components, for one
    territory and period. The deviation reason lives on the indicator's fact row."""

    __tablename__ = "ind_value"
    __label__ = "Значения показателей"
    __table_args__ = (
        UniqueConstraint("indicator_id", "component", "territory_id", "year", "period_kind", "period_no", "kind",
                         name="uq_ind_value_cell"),
        Index("ix_ind_value_period", "year", "period_kind", "period_no", "territory_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("ind_indicator.id", ondelete="CASCADE"))
    component: Mapped[str] = mapped_column(String(50), default="")
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    period_kind: Mapped[str] = mapped_column(String(10), default="year")
    period_no: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))  # plan | fact
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    qualifier: Mapped[str] = mapped_column(String(30), default="")  # «не менее»
    comment: Mapped[str] = mapped_column(Text, default="")
    #: optimistic locking: every UPDATE checks and bumps it (a concurrent save is a conflict, never overwritten)
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    indicator: Mapped[Indicator] = relationship()
    territory: Mapped[Territory] = relationship()

    __mapper_args__ = {"version_id_col": version}


class FormSubmission(Base):
    """State of a form for one territory and period: draft → submitted → accepted."""

    __tablename__ = "ind_submission"
    __label__ = "Состояния форм показателей"
    __table_args__ = (UniqueConstraint("form_id", "territory_id", "year", "period_kind", "period_no",
                                       name="uq_ind_submission_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("ind_form.id", ondelete="CASCADE"))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    year: Mapped[int] = mapped_column(Integer)
    period_kind: Mapped[str] = mapped_column(String(10), default="year")
    period_no: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))  # optimistic locking

    __mapper_args__ = {"version_id_col": version}


class ControlRatioRule(Base):
    """A stored control ratio over indicator references (``[1] = [1.1] + [1.2]``)."""

    __tablename__ = "ind_control_rule"
    __label__ = "Контрольные соотношения"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    form_id: Mapped[int | None] = mapped_column(ForeignKey("ind_form.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text, default="")
    left: Mapped[str] = mapped_column(String(1000))
    op: Mapped[str] = mapped_column(String(2))
    right: Mapped[str] = mapped_column(String(1000))
    tolerance: Mapped[Decimal] = mapped_column(ExactDecimal, default=Decimal(0))
    severity: Mapped[str] = mapped_column(String(20), default="ошибка")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


__all__ = ["StateProgramme", "FinancingLine", "FinancingAmount", "IndicatorForm", "Indicator", "Component",
           "IndicatorValue", "FormSubmission", "ControlRatioRule"]
