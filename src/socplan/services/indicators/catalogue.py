"""The catalogue: forms, indicators with methodology, the state programme's passport and financing."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from socplan.db.models.indicators import (Component, FinancingLine, Indicator, IndicatorForm, IndicatorValue,
                                          StateProgramme)
from socplan.db.models.reference import Territory
from socplan.domain.errors import InUseError, NotFoundError, ValidationError
from socplan.domain.formula import Formula, FormulaError
from socplan.domain.indicators import Direction, Thresholds, validate_formula
from socplan.domain.roles import Action
from socplan.services.permissions import require
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
    require(ctx, Action.EDIT_CATALOGUE)
    with ctx.uow(reason=f"Изменение формулы показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = _indicator(form, form_code, code)
        others = {i.code: i.formula for i in form.indicators}
        problem = validate_formula(code, formula, [c.symbol for c in ind.components], others)
        if problem:
            raise ValidationError("formula", problem)
        ind.formula = formula.strip()
        s.commit()
        return indicator_info(ind, form.code)


def set_direction(ctx: AppContext, form_code: str, code: str, direction: Direction | str, reason: str = ""
                  ) -> IndicatorInfo:
    """Change an indicator's type (возрастающий / убывающий, Appendix 1 column 4). The change goes to the audit
    log with the reason; every achievement figure is computed from the stored type, so it follows at once."""
    if not isinstance(direction, Direction):
        text = str(direction).strip().casefold()
        if text in ("increasing", "decreasing"):
            direction = Direction(text)
        elif text.startswith(("возр", "убыв")):
            direction = Direction.from_text(text)
        else:
            raise ValidationError("direction", f"Тип показателя «{direction}» не понят: укажите «возрастающий» "
                                  "или «убывающий».")
    with ctx.uow(reason=reason.strip() or f"Изменение типа показателя {code}: {direction.label}") as s:
        form = form_by_code(s, form_code)
        ind = _indicator(form, form_code, code)
        if ind.direction != direction.value:
            ind.direction = direction.value
            s.commit()
        return indicator_info(ind, form.code)


def _indicator(form: IndicatorForm, form_code: str, code: str) -> Indicator:
    ind = next((i for i in form.indicators if i.code == code), None)
    if ind is None:
        raise NotFoundError(f"Показателя {code} нет в форме «{form_code}».")
    return ind


def _check_symbol(ind: Indicator, symbol: str, keep: Component | None = None) -> str:
    symbol = symbol.strip()
    if not symbol or not (symbol[0].isalpha() and all(ch.isalnum() or ch == "_" for ch in symbol)):
        raise ValidationError("symbol", f"«{symbol}» не годится как обозначение компонента: начните с буквы, "
                              "используйте буквы и цифры (например В, ОПтэ, D1).")
    if any(c.symbol == symbol and c is not keep for c in ind.components):
        raise ValidationError("symbol", f"Компонент «{symbol}» у показателя {ind.code} уже есть.")
    return symbol


def _formula_uses(ind: Indicator, symbol: str) -> list[str]:
    """Where the indicator's methodology still refers to the component: «формула показателя», «компонент X»."""
    used = []
    for label, text in [("формула показателя", ind.formula)] + [(f"формула компонента «{c.symbol}»", c.formula)
                                                                 for c in ind.components if c.symbol != symbol]:
        if not (text or "").strip():
            continue
        try:
            names = Formula.parse(text).names
        except FormulaError:
            continue
        if symbol in names:
            used.append(f"{label} «{text}»")
    return used


def _component(ind: Indicator, symbol: str) -> Component:
    comp = next((c for c in ind.components if c.symbol == symbol), None)
    if comp is None:
        raise NotFoundError(f"У показателя {ind.code} нет компонента «{symbol}».")
    return comp


def add_component(ctx: AppContext, form_code: str, code: str, symbol: str, description: str,
                  unit_name: str = "", data_source: str = "") -> IndicatorInfo:
    require(ctx, Action.EDIT_CATALOGUE)
    with ctx.uow(reason=f"Новый компонент формулы показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = _indicator(form, form_code, code)
        symbol = _check_symbol(ind, symbol)
        ind.components.append(Component(symbol=symbol, description=description.strip(), unit_name=unit_name.strip(),
                                        data_source=data_source.strip(), sort_order=len(ind.components)))
        s.commit()
        return indicator_info(ind, form.code)


def update_component(ctx: AppContext, form_code: str, code: str, symbol: str, *, new_symbol: str,
                     description: str, unit_name: str = "", data_source: str = "") -> IndicatorInfo:
    """Change a component's designation, description, unit and data source. Renaming a component that a
    formula still uses is refused (change the formula first); entered values follow the new designation."""
    require(ctx, Action.EDIT_CATALOGUE)
    with ctx.uow(reason=f"Изменение компонента «{symbol}» показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = _indicator(form, form_code, code)
        comp = _component(ind, symbol)
        new_symbol = _check_symbol(ind, new_symbol, keep=comp)
        if new_symbol != symbol:
            used = _formula_uses(ind, symbol)
            if used:
                raise ValidationError("symbol", f"Обозначение «{symbol}» нельзя изменить: его использует "
                                      + "; ".join(used) + ". Сначала исправьте формулу.")
            for value in s.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id == ind.id,
                                                                 IndicatorValue.component == symbol)):
                value.component = new_symbol
            comp.symbol = new_symbol
        comp.description, comp.unit_name, comp.data_source = (description.strip(), unit_name.strip(),
                                                              data_source.strip())
        s.commit()
        return indicator_info(ind, form.code)


def delete_component(ctx: AppContext, form_code: str, code: str, symbol: str) -> IndicatorInfo:
    """Remove a component; refused while values are entered for it or a formula still uses it (says which)."""
    require(ctx, Action.EDIT_CATALOGUE)
    with ctx.uow(reason=f"Удаление компонента «{symbol}» показателя {code}") as s:
        form = form_by_code(s, form_code)
        ind = _indicator(form, form_code, code)
        comp = _component(ind, symbol)
        used = _formula_uses(ind, symbol)
        if used:
            raise InUseError(f"Компонент «{symbol}» нельзя удалить: его использует " + "; ".join(used)
                             + ". Сначала исправьте формулу.")
        values = s.execute(select(Territory.name, IndicatorValue.year).join(
            Territory, Territory.id == IndicatorValue.territory_id).where(
            IndicatorValue.indicator_id == ind.id, IndicatorValue.component == symbol,
            IndicatorValue.value.is_not(None)).order_by(Territory.name, IndicatorValue.year)).all()
        if values:
            where = sorted({f"{name} ({year})" for name, year in values})
            more = f" и ещё {len(where) - 5}" if len(where) > 5 else ""
            raise InUseError(f"Компонент «{symbol}» нельзя удалить: по нему введены значения ({len(values)}): "
                             + ", ".join(where[:5]) + more + ". Сначала удалите эти значения.")
        for value in s.scalars(select(IndicatorValue).where(IndicatorValue.indicator_id == ind.id,
                                                             IndicatorValue.component == symbol)):
            s.delete(value)  # empty cells left by the grid (comments only)
        ind.components.remove(comp)
        s.delete(comp)
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
    require(ctx, Action.EDIT_CATALOGUE)
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
