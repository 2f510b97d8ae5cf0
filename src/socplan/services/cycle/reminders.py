"""Overdue reports for the start-up reminder: a district officer's own overdue forms; for the Ministry, how many
territories are overdue with each form (the same cells «Что сдать» and the board show as «просрочено»)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from socplan.db.models.cycle import DueRuleRow
from socplan.db.models.indicators import IndicatorForm
from socplan.domain.cycle import CellState
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.cycle import clock
from socplan.services.cycle.board import DueItem, _cells, _recent_periods, what_to_submit
from socplan.services.cycle.due import rule_of
from socplan.services.indicators.common import reporting_territories
from socplan.services.permissions import can
from socplan.services.plans.calendar import load_calendar

SHOWN = 3  # a district's overdue forms named in the reminder; the rest counted
SHOWN_FORMS = 5  # forms named in the Ministry's reminder


def territories_word(n: int) -> str:
    """«1 территория», «3 территории», «5 территорий», «21 территория», «12 территорий»."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} территория"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} территории"
    return f"{n} территорий"


@dataclass(frozen=True)
class OverdueReports:
    own: tuple[DueItem, ...] = ()  # a district officer's overdue forms × periods, most overdue first
    by_form: tuple[tuple[str, int], ...] = ()  # the Ministry: (form code, territories overdue), most first

    @property
    def empty(self) -> bool:
        return not (self.own or self.by_form)

    def text(self) -> str:
        """«просрочено отчётов: 2 (МОН за март 2026 г. — 12 дн., …)» / «просрочены отчёты: МОН — 5 территорий»."""
        if self.own:
            named = [f"{i.form} за {i.period.label} — {i.days_late} дн." for i in self.own[:SHOWN]]
            more = f" и ещё {len(self.own) - SHOWN}" if len(self.own) > SHOWN else ""
            return f"просрочено отчётов: {len(self.own)} ({', '.join(named)}{more})"
        if self.by_form:
            named = ", ".join(f"{code} — {territories_word(n)}" for code, n in self.by_form[:SHOWN_FORMS])
            more = f" и ещё форм: {len(self.by_form) - SHOWN_FORMS}" if len(self.by_form) > SHOWN_FORMS else ""
            return f"просрочены отчёты: {named}{more}"
        return ""


def overdue_reports(ctx: AppContext, today: dt.date | None = None) -> OverdueReports:
    """What the user is to be reminded of: its own overdue forms (a district officer), the territories overdue per
    form (a role that accepts forms), nothing for others."""
    today = today or clock.today()
    if ctx.user.territory_id is not None:
        own = [i for i in what_to_submit(ctx, today=today) if i.overdue]
        own.sort(key=lambda i: (-i.days_late, i.form))
        return OverdueReports(own=tuple(own))
    if not can(ctx, Action.ACCEPT_FORM):
        return OverdueReports()
    by_form: list[tuple[str, int]] = []
    with ctx.uow() as s:
        territories = reporting_territories(s)
        calendar = load_calendar(s)
        rules = s.execute(select(DueRuleRow, IndicatorForm).join(IndicatorForm, IndicatorForm.id == DueRuleRow.form_id)
                          .where(IndicatorForm.territorial.is_(True))
                          .order_by(IndicatorForm.sort_order, IndicatorForm.code)).all()
        late: dict[str, set[str]] = {form.code: set() for _row, form in rules}
        for kind in {row.period_kind for row, _form in rules}:  # one board query per period, all its forms
            forms = [(row, form) for row, form in rules if row.period_kind == kind]
            set_on = {form.code: clock.local_date(row.set_at) for row, form in forms}
            for period in _recent_periods(kind, today):
                due_forms = [form for row, form in forms
                             if rule_of(row).due(period.year, period.kind, period.number, calendar) < today]
                if not due_forms:
                    continue  # not due yet (an extension only moves the date later)
                for (territory, code), cell in _cells(s, due_forms, territories, period, today, False,
                                                      calendar).items():
                    if cell.state is not CellState.OVERDUE:
                        continue
                    if cell.due and cell.due < set_on[code] and not cell.form_state:
                        continue  # due before the Ministry set the rule, never saved: not asked for («Что сдать»)
                    late[code].add(territory)
        by_form = sorted(((form.code, len(late[form.code])) for _row, form in rules if late[form.code]),
                         key=lambda x: -x[1])  # most territories late first (stable: catalogue order otherwise)
    return OverdueReports(by_form=tuple(by_form))


__all__ = ["OverdueReports", "overdue_reports", "territories_word"]
