"""What the main window tells the user at start-up: overdue plan events, overdue and due-soon assignments,
overdue reports (a district officer's own forms; for the Ministry, territories overdue per form)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from socplan.services.context import AppContext
from socplan.domain.relative_deadlines import UNDETERMINED
from socplan.services.cycle.reminders import OverdueReports, overdue_reports
from socplan.services.plans.control import overdue_count, undetermined_deadlines
from socplan.services.protocols.control import reminders


@dataclass(frozen=True)
class StartupNotices:
    overdue_plan_points: int
    overdue_assignments: int
    due_soon_assignments: int
    undetermined_deadlines: int = 0  # relative deadlines without the anchor date or past the plan's period
    reports: OverdueReports = field(default_factory=OverdueReports)  # overdue reports of the reporting cycle

    @property
    def empty(self) -> bool:
        return not (self.overdue_plan_points or self.overdue_assignments or self.due_soon_assignments
                    or self.undetermined_deadlines or not self.reports.empty)

    def text(self) -> str:
        if self.empty:
            return "Просроченных мероприятий и поручений нет."
        parts = []
        if not self.reports.empty:
            parts.append(self.reports.text() + " — см. «Сдача отчётности»")
        if self.overdue_plan_points:
            parts.append(f"просрочено контрольных точек мероприятий: {self.overdue_plan_points}")
        if self.overdue_assignments:
            parts.append(f"просрочено поручений: {self.overdue_assignments}")
        if self.due_soon_assignments:
            parts.append(f"срок истекает в ближайшие 7 дней: {self.due_soon_assignments}")
        if self.undetermined_deadlines:
            parts.append(f"{UNDETERMINED}: {self.undetermined_deadlines}")
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def startup_notices(ctx: AppContext, today: dt.date | None = None) -> StartupNotices:
    today = today or dt.date.today()
    reminder = reminders(ctx, today)
    return StartupNotices(overdue_count(ctx, today), len(reminder.overdue), len(reminder.due_soon),
                          len(undetermined_deadlines(ctx, today)), overdue_reports(ctx, today))
