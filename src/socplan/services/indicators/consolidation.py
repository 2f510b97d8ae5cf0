"""Consolidation of a territorial form into region values for many periods at once.

The districts' facts of the indicators summed over territories (rule SUM) are aggregated in SQL over every
period in one query, exactly: values are stored as canonical decimal text (``ExactDecimal``), so the query
sums them as integers scaled by their own number of decimals (``12.30`` → 1230 in the group of 2 decimals),
and Python turns each group's integer sum into one ``Decimal``. Components of the recomputed indicators and
the region's own values are read with one query each; the domain rules (``consolidate``, ``summed``,
``compute_sheet``) decide the results, as for a single period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable

from sqlalchemy import BigInteger, Integer, Numeric, String, case, cast, func, select, type_coerce
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from socplan.db.models.indicators import IndicatorForm, IndicatorValue
from socplan.domain.errors import Cancelled
from socplan.domain.formula import Formula, FormulaError
from socplan.domain.indicators import (Consolidated, Consolidation, Period, TerritoryInputs, compute_sheet, consolidate,
                                       summed)
from socplan.services.context import ProgressCallback, no_progress
from socplan.services.indicators.common import IndicatorInfo, indicator_info, reporting_territories, territory_by

#: the longest stored text summed as a scaled integer in SQL (18 characters stay below 2**63; a sum past it
#: raises «integer overflow» in SQLite and is redone in Python, as are the indicators with longer values)
_SQL_DIGITS = 18

PeriodKey = tuple[int, str, int]


@dataclass(frozen=True)
class ConsolidatedRow:
    code: str
    rule: str
    fact: Decimal | None
    plan: Decimal | None
    reason: str
    missing: tuple[str, ...]
    reported: int
    components: dict[str, Decimal] = field(default_factory=dict)


def _key(p: Period) -> PeriodKey:
    return (p.year, p.kind, p.number)


def _period_where(periods: list[Period]) -> tuple:  # noqa: ANN401
    """A superset filter of the periods (years × kinds × numbers); rows outside are dropped by key."""
    return (IndicatorValue.year.in_(sorted({p.year for p in periods})),
            IndicatorValue.period_kind.in_(sorted({p.kind for p in periods})),
            IndicatorValue.period_no.in_(sorted({p.number for p in periods})))


def _sql_sums(session: Session, ids: list[int], territory_ids: list[int], periods: list[Period]
              ) -> tuple[dict[tuple[int, PeriodKey], Decimal], dict[tuple[int, PeriodKey], int], set[int]]:
    """Exact Σ of the districts' facts per (indicator id, period), the number of districts that reported, and the
    indicators with a value too long for an integer sum in SQL (their sums are redone by ``_python_sums``).

    ``12.30`` is summed as the integer 1230 in the group of values with 2 decimals; each group's sum becomes
    one ``Decimal`` (scaled back by its decimals) and the groups of one indicator and period are added."""
    raw = type_coerce(IndicatorValue.value, String)
    sqlite = session.get_bind().dialect.name == "sqlite"
    dot = func.instr(raw, ".") if sqlite else func.strpos(raw, ".")
    # PostgreSQL sums NUMERIC exactly at any length (a BIGINT cast of a long value is an error there)
    integer = BigInteger if sqlite else Numeric
    decimals = case((dot == 0, 0), else_=func.length(raw) - dot)
    # ``+ 0``: the districts and indicators filter rows found through the period index; used as index keys
    # they would make SQLite probe the unique index once per (indicator, territory, period) — 4× slower
    stmt = (select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.period_kind,
                   IndicatorValue.period_no, type_coerce(decimals, Integer),
                   func.sum(cast(func.replace(raw, ".", ""), integer)), func.count(), func.max(func.length(raw)))
            .where((IndicatorValue.indicator_id + 0).in_(ids), (IndicatorValue.territory_id + 0).in_(territory_ids),
                   IndicatorValue.kind == "fact", IndicatorValue.component == "", IndicatorValue.value.is_not(None),
                   *_period_where(periods))
            .group_by(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.period_kind,
                      IndicatorValue.period_no, decimals))
    totals: dict[tuple[int, PeriodKey], Decimal] = {}
    counts: dict[tuple[int, PeriodKey], int] = {}
    long_ids: set[int] = set()
    for ind_id, year, kind, number, places, total, count, longest in session.execute(stmt):
        key = (ind_id, (year, kind, number))
        counts[key] = counts.get(key, 0) + count
        if longest > _SQL_DIGITS:
            long_ids.add(ind_id)
        part = Decimal(int(total)).scaleb(-int(places))
        totals[key] = totals[key] + part if key in totals else part
    return totals, counts, long_ids


def _python_sums(session: Session, ids: Iterable[int], territory_ids: list[int], periods: list[Period]
                 ) -> tuple[dict[tuple[int, PeriodKey], Decimal], dict[tuple[int, PeriodKey], int]]:
    """The same sums in Python (values too long for SQL, or after an integer overflow in SQLite)."""
    raw = type_coerce(IndicatorValue.value, String)
    where = [IndicatorValue.indicator_id.in_(list(ids)), IndicatorValue.territory_id.in_(territory_ids),
             IndicatorValue.kind == "fact", IndicatorValue.component == "", IndicatorValue.value.is_not(None),
             *_period_where(periods)]
    totals: dict[tuple[int, PeriodKey], Decimal] = {}
    counts: dict[tuple[int, PeriodKey], int] = {}
    stmt = select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.period_kind,
                  IndicatorValue.period_no, raw).where(*where)
    for ind_id, year, kind, number, text in session.execute(stmt):
        key = (ind_id, (year, kind, number))
        counts[key] = counts.get(key, 0) + 1
        totals[key] = totals.get(key, Decimal(0)) + Decimal(text)
    return totals, counts


def _reported_by(session: Session, ids: Iterable[int], territory_ids: list[int], periods: list[Period]
                 ) -> dict[tuple[int, PeriodKey], set[int]]:
    """Which districts reported a fact, for the indicators where some district did not."""
    out: dict[tuple[int, PeriodKey], set[int]] = {}
    stmt = select(IndicatorValue.indicator_id, IndicatorValue.year, IndicatorValue.period_kind,
                  IndicatorValue.period_no, IndicatorValue.territory_id).where(
        IndicatorValue.indicator_id.in_(list(ids)), IndicatorValue.territory_id.in_(territory_ids),
        IndicatorValue.kind == "fact", IndicatorValue.component == "", IndicatorValue.value.is_not(None),
        *_period_where(periods))
    for ind_id, year, kind, number, territory_id in session.execute(stmt):
        out.setdefault((ind_id, (year, kind, number)), set()).add(territory_id)
    return out


def _cells(session: Session, ids: list[int], territory_ids: list[int], periods: list[Period], *conditions
           ) -> dict[PeriodKey, dict[int, dict[tuple[int, str, str], Decimal | None]]]:
    """period -> territory id -> {(indicator id, component, kind): value} for the given indicators."""
    out: dict[PeriodKey, dict[int, dict[tuple[int, str, str], Decimal | None]]] = {}
    if not ids:
        return out
    raw = type_coerce(IndicatorValue.value, String)
    stmt = select(IndicatorValue.indicator_id, IndicatorValue.territory_id, IndicatorValue.component,
                  IndicatorValue.kind, IndicatorValue.year, IndicatorValue.period_kind, IndicatorValue.period_no,
                  raw).where(IndicatorValue.indicator_id.in_(ids), IndicatorValue.territory_id.in_(territory_ids),
                             *conditions, *_period_where(periods))
    for ind_id, territory_id, component, kind, year, pkind, number, text in session.execute(stmt):
        out.setdefault((year, pkind, number), {}).setdefault(territory_id, {})[(ind_id, component, kind)] = (
            None if text is None else Decimal(text))
    return out


def _sums(session: Session, ids: list[int], territory_ids: list[int], periods: list[Period]
          ) -> tuple[dict[tuple[int, PeriodKey], Decimal], dict[tuple[int, PeriodKey], int]]:
    if not ids:
        return {}, {}
    try:
        totals, counts, long_ids = _sql_sums(session, ids, territory_ids, periods)
    except OperationalError as exc:  # SQLite: «integer overflow» of a sum of very large values
        if "overflow" not in str(exc).lower():
            raise
        return _python_sums(session, ids, territory_ids, periods)
    if long_ids:  # SQLite's CAST saturates past 2⁶³: these indicators are summed in Python instead
        exact, exact_counts = _python_sums(session, long_ids, territory_ids, periods)
        totals = {key: value for key, value in totals.items() if key[0] not in long_ids} | exact
        counts = {key: value for key, value in counts.items() if key[0] not in long_ids} | exact_counts
    return totals, counts


def _parsed(info: IndicatorInfo) -> tuple[Formula | None, dict[str, Formula]]:
    if not info.formula:
        return None, {}
    try:
        return (Formula.parse(info.formula),
                {c.symbol: Formula.parse(c.formula) for c in info.components if c.formula})
    except FormulaError:
        return None, {}


def consolidate_many(session: Session, form: IndicatorForm, periods: list[Period],
                     progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False,
                     infos: list[IndicatorInfo] | None = None) -> dict[Period, dict[str, ConsolidatedRow]]:
    """Region values of a territorial form from the districts' facts, by each indicator's rule, per period
    (``infos``: the form's indicators when the caller has already read them)."""
    periods = list(dict.fromkeys(periods))
    out: dict[Period, dict[str, ConsolidatedRow]] = {}
    if not periods:
        return out
    territories = reporting_territories(session)
    territory_ids = [t.id for t in territories]
    expected = [t.name for t in territories]
    region = territory_by(session, "Омская область")
    if infos is None:
        infos = [indicator_info(i, form.code) for i in form.indicators]
    plans: list[tuple[IndicatorInfo, Consolidation, Formula | None, dict[str, Formula]]] = []
    for info in infos:
        rule = Consolidation(info.consolidation)
        formula, comp_formulas = _parsed(info)
        if rule is Consolidation.RECOMPUTE and formula is not None and not info.components:
            rule = Consolidation.NONE
        plans.append((info, rule, formula, comp_formulas))
    sum_ids = [info.id for info, rule, _f, _c in plans if rule is Consolidation.SUM]
    recompute_ids = [info.id for info, rule, _f, _c in plans if rule is Consolidation.RECOMPUTE]
    totals, counts = _sums(session, sum_ids, territory_ids, periods)
    incomplete = {ind_id for (ind_id, key), n in counts.items() if n < len(territory_ids)}
    incomplete |= {ind_id for ind_id in sum_ids if any((ind_id, _key(p)) not in counts for p in periods)}
    reported = _reported_by(session, incomplete, territory_ids, periods) if incomplete else {}
    components = _cells(session, recompute_ids, territory_ids, periods, IndicatorValue.kind == "fact",
                        IndicatorValue.component != "")
    own = _cells(session, [i.id for i in infos], [region.id], periods)
    code_of = {info.id: info.code for info in infos}
    definitions = [info.definition() for info in infos]
    for n_period, period in enumerate(periods):
        if cancelled():
            raise Cancelled()
        if len(periods) > 1:
            progress(n_period, len(periods), period.label)
        pkey = _key(period)
        region_stored = {(code_of[i], c, k): v for (i, c, k), v in own.get(pkey, {}).get(region.id, {}).items()}
        region_computed = compute_sheet(definitions, region_stored)
        by_territory = components.get(pkey, {})
        rows: dict[str, ConsolidatedRow] = {}
        for n, (info, rule, formula, comp_formulas) in enumerate(plans):
            if len(periods) == 1:
                progress(n, len(plans), info.code)
            key = (info.id, pkey)
            if rule is Consolidation.SUM:
                if info.id in incomplete:
                    present = reported.get(key, set())
                    missing = tuple(t.name for t in territories if t.id not in present)
                else:
                    missing = ()
                result: Consolidated = summed(totals.get(key), counts.get(key, 0), missing)
            elif rule is Consolidation.RECOMPUTE:
                inputs = {}
                for t in territories:
                    cells = by_territory.get(t.id, {})
                    inputs[t.name] = TerritoryInputs(None, {c.symbol: cells.get((info.id, c.symbol, "fact"))
                                                            for c in info.components})
                result = consolidate(rule, inputs, expected, formula, info.decimals, comp_formulas)
            else:
                result = consolidate(rule, {}, expected, formula, info.decimals, comp_formulas)
            fact, reason = result.value, result.reason
            if rule is Consolidation.NONE:
                fv = region_computed.get((info.code, "", "fact"))
                fact = fv.value if fv else None
                reason = "" if fact is not None else "нет значения по области"
            plan = region_computed.get((info.code, "", "plan"))
            rows[info.code] = ConsolidatedRow(info.code, rule.label, fact, plan.value if plan else None, reason,
                                              result.missing if rule is not Consolidation.NONE else (),
                                              result.reported, dict(result.components))
        out[period] = rows
    steps = len(plans) if len(periods) == 1 else len(periods)
    progress(steps, steps, "")
    return out

