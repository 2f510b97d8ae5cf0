"""Control dates of relative deadlines («в течение 10 рабочих дней со дня …»): never silently out of control.

Standard library only. Without the anchor event's date the end of the period the text names is the fallback
control date; a due date after the plan's period is kept and flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from socplan.domain.calendar import WorkCalendar, quarter_end, weekdays_only
from socplan.domain.deadlines import Deadline

UNDETERMINED = "срок не определён — укажите дату события"


@dataclass(frozen=True)
class ControlDate:
    """A control date of a deadline with how it was obtained."""

    due: date
    fallback: bool = False  # relative term, anchor unknown: the end of the period the text names
    after_period: bool = False  # relative term counted from the anchor ends after the plan's period

    @property
    def warning(self) -> str:
        if self.after_period:
            return "срок истекает после окончания периода плана"
        if self.fallback:
            return f"{UNDETERMINED}; до тех пор контроль — по окончании периода"
        return ""


def relative_control_dates(deadline: Deadline, period_start: date, period_end: date, anchor: date | None,
                           calendar: WorkCalendar | None = None) -> list[ControlDate]:
    """Control dates of a relative deadline («в течение 10 рабочих дней со дня …»).

    With the anchor date: anchor + term, kept even when it falls after the plan's period (flagged, never
    dropped). Without it: where the text names a period — quarters («IV квартал 2025 – 2026 гг.») or years
    («2025 – 2026 гг.») — the end of each named period inside the plan's period is the fallback control date;
    otherwise there is none and the event is listed as «срок не определён — укажите дату события».
    """
    if deadline.relative is None:
        return []
    if anchor is not None:
        due = deadline.relative.due(anchor, calendar or weekdays_only())
        return [ControlDate(due, after_period=due > period_end)]
    if not deadline.years and not deadline.quarters:
        return []
    years = deadline.years or tuple(range(period_start.year, period_end.year + 1))
    if deadline.quarters:
        dates = [quarter_end(y, deadline.quarters[1]) for y in years]
    else:
        dates = [date(y, 12, 31) for y in years]
    return [ControlDate(d, fallback=True) for d in sorted(set(dates)) if period_start <= d <= period_end]
