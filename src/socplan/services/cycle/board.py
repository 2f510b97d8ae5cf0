"""What is due and what is late: «Что сдать» for a district and the Ministry's completeness and timeliness
board (territories × forms for a period), as DHIS2's reporting-rate summary but offline."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import CycleStep, DueRuleRow
from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.calendar import WorkCalendar
from socplan.domain.cycle import REPORTED, CellState, cell_state, days_late, on_time, percent
from socplan.domain.errors import ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle import clock
from socplan.services.cycle.due import granted_extensions, rule_of
from socplan.services.cycle.quality import quality_flags
from socplan.services.indicators.common import reporting_territories, territory_by
from socplan.services.permissions import require
from socplan.services.plans.calendar import load_calendar


@dataclass(frozen=True)
class BoardCell:
    form: str
    territory: str
    state: CellState
    form_state: str  # the stored state («» — never saved)
    due: dt.date | None
    submitted: dt.date | None  # first submission (local day)
    days_late: int
    on_time: bool
    flags: int = 0  # data-quality warnings in the form's values

    @property
    def reported(self) -> bool:
        return self.form_state in REPORTED


@dataclass(frozen=True)
class Board:
    period: Period
    today: dt.date
    forms: tuple[tuple[str, str], ...]  # (code, name)
    territories: tuple[str, ...]
    cells: dict[tuple[str, str], BoardCell] = field(default_factory=dict)  # (territory, form code) → cell

    def cell(self, territory: str, form: str) -> BoardCell:
        return self.cells[(territory, form)]

    @property
    def expected(self) -> int:
        return len(self.cells)

    def counts(self) -> Counter:
        return Counter(c.state for c in self.cells.values())

    @property
    def reported(self) -> int:
        return sum(1 for c in self.cells.values() if c.reported)

    @property
    def in_time(self) -> int:
        """Reported now, and first submitted by the due date (a returned form counts again when resubmitted)."""
        return sum(1 for c in self.cells.values() if c.reported and c.on_time)

    @property
    def percent_complete(self) -> Decimal | None:
        return percent(self.reported, self.expected)

    @property
    def percent_on_time(self) -> Decimal | None:
        return percent(self.in_time, self.expected)

    def territory_percent(self, territory: str) -> Decimal | None:
        cells = [self.cells[(territory, f)] for f, _n in self.forms]
        return percent(sum(1 for c in cells if c.reported), len(cells))

    def form_percent(self, form: str) -> Decimal | None:
        cells = [self.cells[(t, form)] for t in self.territories]
        return percent(sum(1 for c in cells if c.reported), len(cells))


def _forms_for(s: Session, period: Period, codes: list[str] | None) -> list[IndicatorForm]:
    stmt = select(IndicatorForm).order_by(IndicatorForm.sort_order, IndicatorForm.code)
    if codes:
        forms = list(s.scalars(stmt.where(IndicatorForm.code.in_(codes))))
        unknown = sorted(set(codes) - {f.code for f in forms})
        if unknown:
            raise ValidationError("form", f"Формы не найдены: {', '.join(unknown)}.")
        return forms
    stmt = stmt.join(DueRuleRow, DueRuleRow.form_id == IndicatorForm.id).where(
        DueRuleRow.period_kind == period.kind, IndicatorForm.territorial.is_(True))
    return list(s.scalars(stmt))


def _states(s: Session, form_ids: list[int], period: Period, territory_ids: list[int] | None = None):  # noqa: ANN202
    flt = (FormSubmission.form_id.in_(form_ids), FormSubmission.year == period.year,
           FormSubmission.period_kind == period.kind, FormSubmission.period_no == period.number)
    if territory_ids is not None:
        flt += (FormSubmission.territory_id.in_(territory_ids),)
    states = {(f, t): (st, at) for f, t, st, at in s.execute(select(
        FormSubmission.form_id, FormSubmission.territory_id, FormSubmission.state, FormSubmission.changed_at).where(*flt))}
    first = {(f, t): at for f, t, at in s.execute(
        select(CycleStep.form_id, CycleStep.territory_id, func.min(CycleStep.at)).where(
            CycleStep.form_id.in_(form_ids), CycleStep.year == period.year, CycleStep.period_kind == period.kind,
            CycleStep.period_no == period.number, CycleStep.to_state == FormState.SUBMITTED.value,
            *((CycleStep.territory_id.in_(territory_ids),) if territory_ids is not None else ()))
        .group_by(CycleStep.form_id, CycleStep.territory_id))}
    started = set(s.execute(select(Indicator.form_id, IndicatorValue.territory_id).join(
        Indicator, Indicator.id == IndicatorValue.indicator_id).where(
        Indicator.form_id.in_(form_ids), IndicatorValue.year == period.year, IndicatorValue.period_kind == period.kind,
        IndicatorValue.period_no == period.number,
        *((IndicatorValue.territory_id.in_(territory_ids),) if territory_ids is not None else ())).distinct()).all())
    return states, first, started


def _cells(s: Session, forms: list[IndicatorForm], territories: list[Territory], period: Period, today: dt.date,
           with_quality: bool, calendar: WorkCalendar | None = None) -> dict[tuple[str, str], BoardCell]:
    form_ids = [f.id for f in forms]
    rules = {r.form_id: rule_of(r) for r in s.scalars(select(DueRuleRow).where(DueRuleRow.form_id.in_(form_ids)))}
    calendar = calendar or load_calendar(s)
    extended = granted_extensions(s, period)
    ids = [t.id for t in territories] if len(territories) < 40 else None
    states, first, started = _states(s, form_ids, period, ids)
    flags: Counter = Counter()
    if with_quality:
        indicators = [i for f in forms for i in f.indicators]
        by_indicator = {i.id: i.form_id for i in indicators}
        for (t_id, ind_id), found in quality_flags(s, indicators, [t.id for t in territories], period).items():
            flags[(by_indicator[ind_id], t_id)] += len(found)
    out = {}
    for f in forms:
        rule = rules.get(f.id)
        nominal = rule.due(period.year, period.kind, period.number, calendar) \
            if rule and rule.period_kind == period.kind else None
        for t in territories:
            key = (f.id, t.id)
            due = extended.get(key, nominal)
            st, changed_at = states.get(key, (None, None))
            at = first.get(key)
            if at is None and st in REPORTED:
                at = changed_at  # reported before the cycle journal existed: the state's date, never earlier
            submitted = clock.local_date(at) if at else None
            state = cell_state(st, key in started, due, today)
            late = days_late(submitted, due, today) if submitted or st not in REPORTED else 0
            out[(t.name, f.code)] = BoardCell(f.code, t.name, state, st or "", due, submitted, late,
                                              on_time(submitted, due), flags.get(key, 0))
    return out


def board(ctx: AppContext, period: Period, forms: list[str] | None = None, today: dt.date | None = None,
          with_quality: bool = True) -> Board:
    """The completeness and timeliness board for ``period`` (forms: those whose due rule has this periodicity)."""
    require(ctx, Action.VIEW_BOARD)
    today = today or clock.today()
    with ctx.uow() as s:
        fs = _forms_for(s, period, forms)
        ts = reporting_territories(s)
        cells = _cells(s, fs, ts, period, today, with_quality)
        return Board(period, today, tuple((f.code, f.name) for f in fs), tuple(t.name for t in ts), cells)


# ------------------------------------------------------------------ «Что сдать»

HISTORY = {"month": 12, "quarter": 4, "year": 2}


def _recent_periods(kind: str, today: dt.date) -> list[Period]:
    """Periods of ``kind`` that have ended by ``today``, newest first, plus the current one."""
    if kind == "year":
        current = Period(today.year)
    elif kind == "quarter":
        current = Period(today.year, "quarter", (today.month - 1) // 3 + 1)
    else:
        current = Period(today.year, "month", today.month)
    out = [current]
    p = current
    per_year = {"year": 1, "quarter": 4, "month": 12}[kind]
    for _ in range(HISTORY[kind]):
        if kind == "year":
            p = Period(p.year - 1)
        else:
            p = Period(p.year - 1, kind, per_year) if p.number == 1 else Period(p.year, kind, p.number - 1)
        out.append(p)
    return out


@dataclass(frozen=True)
class DueItem:
    form: str
    form_name: str
    period: Period
    due: dt.date | None
    state: CellState
    days_late: int

    @property
    def overdue(self) -> bool:
        return self.state is CellState.OVERDUE


def what_to_submit(ctx: AppContext, territory: str | int | None = None, today: dt.date | None = None,
                   include_done: bool = False) -> list[DueItem]:
    """«Что сдать»: every form and period due for a territory, with its date and state, overdue first.

    A district officer sees its own territory (``territory`` may be omitted)."""
    today = today or clock.today()
    if territory is None:
        if ctx.user.territory_id is None:
            raise ValidationError("territory", "Укажите территорию (--territory «Любинский район»).")
        territory = ctx.user.territory_id
    items: list[DueItem] = []
    with ctx.uow() as s:
        t = territory_by(s, territory)
        if ctx.user.territory_id is not None and t.id != ctx.user.territory_id:
            require(ctx, Action.VIEW_BOARD)
        rules = s.execute(select(DueRuleRow, IndicatorForm).join(IndicatorForm, IndicatorForm.id == DueRuleRow.form_id)
                          .where(IndicatorForm.territorial.is_(True))
                          .order_by(IndicatorForm.sort_order, IndicatorForm.code)).all()
        calendar = load_calendar(s)
        for row, form in rules:
            for period in _recent_periods(row.period_kind, today):
                cell = _cells(s, [form], [t], period, today, False, calendar)[(t.name, form.code)]
                if cell.due and cell.due < clock.local_date(row.set_at) and not cell.form_state \
                        and cell.state is not CellState.DRAFT:
                    continue  # due before the Ministry set the rule, and never started: not asked for
                if not include_done and cell.state in (CellState.ACCEPTED, CellState.SUBMITTED):
                    continue
                items.append(DueItem(form.code, form.name, period, cell.due, cell.state, cell.days_late))
    order = {CellState.OVERDUE: 0, CellState.RETURNED: 1, CellState.DRAFT: 2, CellState.NOT_STARTED: 3,
             CellState.SUBMITTED: 4, CellState.ACCEPTED: 5}
    items.sort(key=lambda i: (order[i.state], i.due or dt.date.max, i.form))
    return items


__all__ = ["Board", "BoardCell", "board", "DueItem", "what_to_submit"]
