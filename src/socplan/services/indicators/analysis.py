"""Computed values of a sheet, consolidation of region values, achievement, control ratios of the forms."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.indicators import ControlRatioRule, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.control_ratios import ControlRule, Op, Severity, Violation, evaluate_rule, parse_op
from socplan.domain.formula import Formula, FormulaError, FormulaValue, Reference
from socplan.domain.indicators import Achievement, Period, achievement, compute_sheet
from socplan.formatting import format_number
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.indicators.consolidation import ConsolidatedRow, consolidate_many
from socplan.services.indicators.methodology import errata_register
from socplan.services.indicators.common import (IndicatorInfo, StoredValue, form_by_code, form_infos,
                                                indicator_info, territory_by, thresholds_of, values_for)

Computed = dict[tuple[str, str, str], FormulaValue]


def compute_for(form: IndicatorForm, infos: list[IndicatorInfo], stored: dict[tuple[str, str, str], StoredValue],
                outside: Callable[[Reference, str], Decimal | None] | None = None) -> Computed:
    entered = {key: row.value for key, row in stored.items()}
    return compute_sheet([i.definition() for i in infos], entered, outside=outside)


def infos_of(form: IndicatorForm) -> list[IndicatorInfo]:
    return [indicator_info(i, form.code) for i in form.indicators]


def _outside_resolver(session: Session, form: IndicatorForm, territory: Territory, period: Period
                      ) -> Callable[[Reference, str], Decimal | None]:
    """References to other periods or forms: computed on demand from the database (one level deep)."""
    cache: dict[tuple[str, Period], Computed] = {}

    def resolve(ref: Reference, kind: str) -> Decimal | None:
        target_form = form if not ref.form else _form_or_none(session, ref.form)
        if target_form is None:
            return None
        target_period = Period(ref.year, period.kind, period.number) if ref.year else period.shifted(ref.year_offset)
        key = (target_form.code, target_period)
        if key not in cache:
            stored = values_for(session, target_form, [territory.id], target_period)[territory.id]
            cache[key] = compute_for(target_form, form_infos(session, target_form), stored)
        fv = cache[key].get((ref.code, "", ref.kind or kind))
        return fv.value if fv else None
    return resolve


def _form_or_none(session: Session, code: str) -> IndicatorForm | None:
    try:
        return form_by_code(session, code)
    except Exception:  # noqa: BLE001 - an unknown form in a reference gives «нет значения»
        return None


def sheet_computed(session: Session, form: IndicatorForm, territory: Territory, period: Period,
                   infos: list[IndicatorInfo] | None = None,
                   stored: dict[tuple[str, str, str], StoredValue] | None = None) -> Computed:
    """Computed values of one sheet; ``infos`` and ``stored`` when the caller has already read them."""
    if stored is None:
        stored = values_for(session, form, [territory.id], period)[territory.id]
    return compute_for(form, infos if infos is not None else infos_of(form), stored,
                       _outside_resolver(session, form, territory, period))


# ------------------------------------------------------------------ consolidation

def consolidate_session(session: Session, form: IndicatorForm, period: Period,
                        progress: ProgressCallback = no_progress) -> dict[str, ConsolidatedRow]:
    """Region values of a territorial form from the districts' facts, by each indicator's rule."""
    return consolidate_many(session, form, [period], progress)[period]


def consolidate_form(ctx: AppContext, form_code: str, period: Period,
                     progress: ProgressCallback = no_progress) -> dict[str, ConsolidatedRow]:
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        return consolidate_session(s, form, period, progress)


def consolidate_periods(ctx: AppContext, form_code: str, periods: list[Period],
                        progress: ProgressCallback = no_progress, cancelled=lambda: False,  # noqa: ANN001
                        ) -> dict[Period, dict[str, ConsolidatedRow]]:
    """Region values for several periods (e.g. every month of several years) in one unit of work."""
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        out = consolidate_many(s, form, periods, progress, cancelled)
    progress(len(periods), len(periods), "Готово")
    return out


# ------------------------------------------------------------------ achievement rows

@dataclass(frozen=True)
class AchievementRow:
    code: str
    name: str
    unit: str
    decimals: int
    direction: str
    base_value: Decimal | None
    base_year: int | None
    plan: Decimal | None
    plan_qualifier: str
    fact: Decimal | None
    achievement: Achievement
    reason: str  # deviation reason entered by the district / why not computable
    missing: tuple[str, ...] = ()
    value_kind: str = "number"
    formula_computed: str = ""  # the formula actually computed (errata register applied)
    formula_note: str = ""  # «в тексте методики: …»


@dataclass(frozen=True)
class AchievementData:
    form_code: str
    form_name: str
    territory: str
    period: Period
    consolidated: bool
    rows: tuple[AchievementRow, ...]
    history: dict  # code -> {year: (base/plan/fact)} for charts


def achievement_session(session: Session, form: IndicatorForm, territory: Territory, period: Period,
                        chart_years: range | None = None, history: bool = True) -> AchievementData:
    """``history``: also the yearly values for charts (the region's consolidated for every year on record); the
    printed report draws its chart from the period's rows and does without."""
    infos = infos_of(form)
    thresholds = thresholds_of(form)
    consolidated = form.territorial and territory.kind == "region"
    stored = values_for(session, form, [territory.id], period)[territory.id]
    computed = compute_for(form, infos, stored, _outside_resolver(session, form, territory, period))
    cons = consolidate_many(session, form, [period], infos=infos)[period] if consolidated else {}
    rows = []
    for info in infos:
        plan_fv = computed[(info.code, "", "plan")]
        plan = plan_fv.value
        if consolidated:
            fact, missing = cons[info.code].fact, cons[info.code].missing
            fact_reason = cons[info.code].reason
        else:
            fv = computed[(info.code, "", "fact")]
            fact, missing, fact_reason = fv.value, (), (fv.reason if fv.value is None and info.formula else "")
        plan_row = stored.get((info.code, "", "plan"))
        fact_row = stored.get((info.code, "", "fact"))
        ach = achievement(plan, fact, info.direction, thresholds)
        reason = (fact_row.comment if fact_row else "") or (f"не рассчитывается: {fact_reason}" if fact_reason else "")
        rows.append(AchievementRow(info.code, info.name, info.unit_name, info.decimals, info.direction.label,
                                   info.base_value, info.base_year, plan, plan_row.qualifier if plan_row else "",
                                   fact, ach, reason, missing, info.value_kind, info.formula_computed,
                                   info.formula_note))
    yearly = chart_history(session, form, territory, infos, chart_years,
                           {period: cons} if consolidated else None) if history else {}
    return AchievementData(form.code, form.name, territory.name, period, consolidated, tuple(rows), yearly)


def chart_history(session: Session, form: IndicatorForm, territory: Territory, infos: list[IndicatorInfo],
                  years: range | None = None, known: dict[Period, dict[str, ConsolidatedRow]] | None = None) -> dict:
    """code -> {"base": (year, value), "plan": {year: v}, "fact": {year: v}} for the charts (yearly values);
    ``known``: region values already consolidated by the caller (the report's own year is not computed twice)."""
    ids = {i.id: i for i in infos}
    rows = session.execute(select(IndicatorValue.indicator_id, IndicatorValue.component, IndicatorValue.year,
                                  IndicatorValue.kind, IndicatorValue.value)
                           .where(IndicatorValue.indicator_id.in_(ids), IndicatorValue.territory_id == territory.id,
                                  IndicatorValue.period_kind == "year")).all()
    years_seen = sorted({r.year for r in rows} | set(years or ()))
    out: dict = {i.code: {"base": (i.base_year, i.base_value), "plan": {}, "fact": {}} for i in infos}
    by_year: dict[int, dict] = {}
    for r in rows:
        by_year.setdefault(r.year, {})[(ids[r.indicator_id].code, r.component, r.kind)] = r.value
    consolidated = form.territorial and territory.kind == "region"
    by_period = dict(known or {})
    if consolidated:
        by_period.update(consolidate_many(session, form, [Period(y) for y in years_seen if Period(y) not in by_period],
                                          infos=infos))
    definitions = [i.definition() for i in infos]
    for year in years_seen:
        entered = by_year.get(year, {})
        computed = compute_sheet(definitions, entered)
        cons = by_period.get(Period(year), {})
        for info in infos:
            plan = computed[(info.code, "", "plan")].value
            fact = computed[(info.code, "", "fact")].value
            if consolidated and fact is None and cons:
                fact = cons[info.code].fact
            if plan is not None:
                out[info.code]["plan"][year] = plan
            if fact is not None:
                out[info.code]["fact"][year] = fact
    return out


def achievement_data(ctx: AppContext, form_code: str, territory: str | int, period: Period) -> AchievementData:
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        return achievement_session(s, form, t, period)


# ------------------------------------------------------------------ control ratios

def rules_of(session: Session, form: IndicatorForm) -> list[ControlRule]:
    """Stored rules of the form plus the automatic ones: a share computed by a formula lies within 0–100."""
    rules = []
    for r in session.scalars(select(ControlRatioRule).where(ControlRatioRule.form_id == form.id,
                                                            ControlRatioRule.active.is_(True))
                             .order_by(ControlRatioRule.code)):
        rules.append(ControlRule(r.code, r.left, parse_op(r.op), r.right, Severity(r.severity), r.tolerance, r.title))
    for ind in form.indicators:
        percent = (ind.unit is not None and ind.unit.code == "744") or ind.unit_name.startswith("процент")
        if percent and ind.formula and not errata_register().may_exceed_100(form.code, ind.code):
            label = f"{form.code}, стр. {ind.code}: доля от 0 до 100 %"
            rules.append(ControlRule(f"{form.code}.{ind.code}.доля≥0", f"[{ind.code}]", Op.GE, "0", Severity.ERROR,
                                     title=label))
            rules.append(ControlRule(f"{form.code}.{ind.code}.доля≤100", f"[{ind.code}]", Op.LE, "100",
                                     Severity.ERROR, title=label))
    return rules


def sheet_violations(session: Session, form: IndicatorForm, territory: Territory, period: Period,
                     computed: Computed | None = None) -> list[Violation]:
    computed = computed if computed is not None else sheet_computed(session, form, territory, period)
    outside = _outside_resolver(session, form, territory, period)
    found: list[Violation] = []
    rules = rules_of(session, form)
    for kind, label in (("plan", "план"), ("fact", "факт")):
        if not any(k[2] == kind and v.value is not None for k, v in computed.items()):
            continue

        def resolve(ref: Reference, _kind: str = kind) -> Decimal | None:
            if ref.form or ref.year or ref.year_offset:
                return outside(ref, ref.kind or _kind)
            fv = computed.get((ref.code, "", ref.kind or _kind))
            return fv.value if fv else None

        where = f"форма «{form.code}», {territory.name}, {period.label} ({label})"
        for rule in rules:
            v = evaluate_rule(_blank_parts_as_zero(rule, computed, kind), resolve, where)
            if v is not None:
                found.append(v)
    return found


def describe_violation(v: Violation) -> str:
    left = format_number(v.left) if v.left is not None else "—"
    right = format_number(v.right) if v.right is not None else "—"
    return f"[{v.severity.value}] {v.rule_text}: {left} {v.op.value} {right} — не выполняется ({v.where}){'; ' + v.message if v.message else ''}"


def _blank_parts_as_zero(rule: ControlRule, computed: Computed, kind: str) -> ControlRule:
    """In a «total = sum of parts» rule an empty part («-» in the seeds) counts as 0, as on paper."""
    if rule.op is not Op.EQ or "+" not in rule.right:
        return rule
    try:
        refs = Formula.parse(rule.right).refs
    except FormulaError:
        return rule
    right = rule.right
    present = False
    for ref in refs:
        fv = computed.get((ref.code, "", ref.kind or kind))
        if fv is not None and fv.value is not None:
            present = True
    if not present:
        return rule
    parts = []
    for ref in refs:
        fv = computed.get((ref.code, "", ref.kind or kind))
        parts.append(str(ref) if fv is not None and fv.value is not None else "0")
    right = " + ".join(parts)
    return ControlRule(rule.code, rule.left, rule.op, right, rule.severity, rule.tolerance, rule.title)


def all_form_violations(session: Session, progress: ProgressCallback = no_progress) -> list[Violation]:
    """Every stored sheet (form × territory × period) checked against its form's rules."""
    found: list[Violation] = []
    keys = session.execute(select(IndicatorValue.indicator_id, IndicatorValue.territory_id, IndicatorValue.year,
                                  IndicatorValue.period_kind, IndicatorValue.period_no).distinct()).all()
    forms = {f.id: f for f in session.scalars(select(IndicatorForm))}
    ind_form: dict[int, int] = {}
    for f in forms.values():
        for i in f.indicators:
            ind_form[i.id] = f.id
    sheets = sorted({(ind_form[k.indicator_id], k.territory_id, k.year, k.period_kind, k.period_no) for k in keys})
    territories = {t.id: t for t in session.scalars(select(Territory))}
    full_forms: dict[int, IndicatorForm] = {}
    for n, (form_id, territory_id, year, pkind, pno) in enumerate(sheets):
        progress(n, len(sheets), "")
        if form_id not in full_forms:
            full_forms[form_id] = form_by_code(session, forms[form_id].code)
        found += sheet_violations(session, full_forms[form_id], territories[territory_id], Period(year, pkind, pno))
    return found


@dataclass(frozen=True)
class IndicatorChart:
    info: IndicatorInfo
    territory: str
    base_year: int | None
    base_value: Decimal | None
    plan: dict[int, Decimal]
    fact: dict[int, Decimal]


def indicator_chart(ctx: AppContext, form_code: str, code: str, territory: str | int) -> IndicatorChart:
    """Baseline, plan and fact by year of one indicator (the region's fact is consolidated from districts)."""
    with ctx.uow() as s:
        form = form_by_code(s, form_code)
        t = territory_by(s, territory)
        infos = infos_of(form)
        info = next((i for i in infos if i.code == code), None)
        if info is None:
            from socplan.domain.errors import NotFoundError

            raise NotFoundError(f"Показателя {code} нет в форме «{form_code}».")
        history = chart_history(s, form, t, infos)[code]
        return IndicatorChart(info, t.name, info.base_year, info.base_value, dict(history["plan"]),
                              dict(history["fact"]))
