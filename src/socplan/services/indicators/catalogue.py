"""The catalogue: forms, indicators with methodology, the state programme's passport and financing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from socplan.db.models.indicators import Component, FinancingLine, Indicator, IndicatorForm, StateProgramme
from socplan.domain.errors import NotFoundError, ValidationError
from socplan.domain.indicators import Thresholds, validate_formula
from socplan.services.context import AppContext
from socplan.services.indicators.common import IndicatorInfo, form_by_code, indicator_info


@dataclass(frozen=True)
class FormRow:
    id: int
    code: str
    name: str
    source_document: str
    territorial: bool
    indicators: int


def list_forms(ctx: AppContext) -> list[FormRow]:
    with ctx.uow() as s:
        forms = s.scalars(select(IndicatorForm).options(selectinload(IndicatorForm.indicators))
                          .order_by(IndicatorForm.sort_order, IndicatorForm.code))
        return [FormRow(f.id, f.code, f.name, f.source_document, f.territorial, len(f.indicators)) for f in forms]


def list_indicators(ctx: AppContext, form_code: str) -> list[IndicatorInfo]:
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        return [indicator_info(i, form.code) for i in form.indicators]


def save_formula(ctx: AppContext, form_code: str, code: str, formula: str) -> IndicatorInfo:
    """Change an indicator's methodology formula; a parse error (with its position), an unknown component or
    a reference cycle is refused with the reason."""
    with ctx.uow(reason=f"Изменение формулы показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = next((i for i in form.indicators if i.code == code), None)
        if ind is None:
            raise NotFoundError(f"Показателя {code} нет в форме «{form_code}».")
        others = {i.code: i.formula for i in form.indicators}
        problem = validate_formula(code, formula, [c.symbol for c in ind.components], others)
        if problem:
            raise ValidationError("formula", problem)
        ind.formula = formula.strip()
        s.commit()
        return indicator_info(ind, form.code)


def add_component(ctx: AppContext, form_code: str, code: str, symbol: str, description: str,
                  unit_name: str = "") -> IndicatorInfo:
    with ctx.uow(reason=f"Новый компонент формулы показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = next((i for i in form.indicators if i.code == code), None)
        if ind is None:
            raise NotFoundError(f"Показателя {code} нет в форме «{form_code}».")
        if not symbol.strip() or not (symbol[0].isalpha() and all(ch.isalnum() or ch == "_" for ch in symbol)):
            raise ValidationError("symbol", f"«{symbol}» не годится как обозначение компонента: начните с буквы, "
                                  "используйте буквы и цифры (например В, ОПтэ, D1).")
        if any(c.symbol == symbol for c in ind.components):
            raise ValidationError("symbol", f"Компонент «{symbol}» у показателя {code} уже есть.")
        ind.components.append(Component(symbol=symbol, description=description, unit_name=unit_name,
                                        sort_order=len(ind.components)))
        s.commit()
        return indicator_info(ind, form.code)


@dataclass(frozen=True)
class FinancingRow:
    code: str
    name: str
    for_reference: bool
    total: Decimal | None
    by_year: dict[int, Decimal]


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    code: str
    name: str
    approved_by: str
    period_from: int
    period_to: int
    curator: str
    responsible_executor: str
    co_executors: str
    goals: tuple[str, ...]
    subprogrammes: tuple[str, ...]
    national_goals: str
    total_financing: Decimal | None
    financing: tuple[FinancingRow, ...]
    indicator_form: str
    indicators: int


def list_programmes(ctx: AppContext) -> list[ProgrammeRow]:
    with ctx.uow() as s:
        out = []
        for p in s.scalars(select(StateProgramme).options(
                selectinload(StateProgramme.financing_lines).selectinload(FinancingLine.amounts))
                .order_by(StateProgramme.code)):
            form = s.scalar(select(IndicatorForm).where(IndicatorForm.programme_id == p.id))
            count = len(list(s.scalars(select(Indicator.id).where(Indicator.form_id == form.id)))) if form else 0
            out.append(ProgrammeRow(
                p.id, p.code, p.name, p.approved_by, p.period_from, p.period_to, p.curator, p.responsible_executor,
                p.co_executors, tuple(p.goals.splitlines()), tuple(p.subprogrammes.splitlines()), p.national_goals,
                p.total_financing,
                tuple(FinancingRow(line.code, line.name, line.for_reference, line.total,
                                   {a.year: a.amount for a in line.amounts}) for line in p.financing_lines),
                form.code if form else "", count))
        return out


def set_thresholds(ctx: AppContext, form_code: str, *, high: Decimal | None = None,
                   satisfactory: Decimal | None = None, comment: Decimal | None = None) -> FormRow:
    """Configure a form's achievement status thresholds (%) and the deviation that requires a reason (%)."""
    with ctx.uow(reason=f"Пороги оценки достижения формы {form_code}") as s:
        form = form_by_code(s, form_code)
        new_high = form.high_threshold if high is None else high
        new_sat = form.satisfactory_threshold if satisfactory is None else satisfactory
        try:
            Thresholds(new_high, new_sat)
        except ValueError as exc:
            raise ValidationError("satisfactory", str(exc)) from exc
        for name, value in (("high", new_high), ("satisfactory", new_sat), ("comment", comment)):
            if value is not None and not Decimal(0) <= value <= Decimal(1000):
                raise ValidationError(name, f"Порог {value} % вне допустимого диапазона 0–1000 %.")
        form.high_threshold, form.satisfactory_threshold = new_high, new_sat
        if comment is not None:
            form.comment_threshold = comment
        s.commit()
        return FormRow(form.id, form.code, form.name, form.source_document, form.territorial, len(form.indicators))
