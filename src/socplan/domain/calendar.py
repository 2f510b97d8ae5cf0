"""Working days by the Russian production calendar («производственный календарь»).

A day is a working day unless it is a Saturday/Sunday or a non-working holiday (Labour Code art. 112,
transfers by Government resolution); a transferred working day («рабочая суббота») is a working day even
on a weekend. The data (holidays and transfers per year) lives in ``resources/calendar/ru-<year>.json``,
is copied to the database and may be edited by the administrator.
"""

from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from socplan.domain.errors import SocPlanError


@dataclass(frozen=True)
class CalendarYear:
    """One year of the production calendar: extra days off and transferred working days."""

    year: int
    holidays: frozenset[date] = frozenset()  # non-working days that fall on Mon–Fri (holidays and transfers)
    working_days: frozenset[date] = frozenset()  # Saturdays/Sundays declared working
    status: str = "approved"  # approved | draft
    source: str = ""


@dataclass(frozen=True)
class WorkCalendar:
    """Working-day arithmetic over the production calendar; years outside the data use Mon–Fri."""

    years: dict[int, CalendarYear] = field(default_factory=dict)

    @classmethod
    def from_years(cls, years: Iterable[CalendarYear]) -> WorkCalendar:
        return cls({y.year: y for y in years})

    def known_years(self) -> list[int]:
        return sorted(self.years)

    def is_working_day(self, day: date) -> bool:
        """Production calendar: weekends and holidays are days off, transferred working days work."""
        data = self.years.get(day.year)
        if data is not None:
            if day in data.working_days:
                return True
            if day in data.holidays:
                return False
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself is not counted; count ≥ 0).

        «в течение 10 рабочих дней со дня …», «не позднее 5 рабочих дней, следующих за днем …»:
        the term runs from the next day, so the last admissible day is ``start`` + ``count`` working days.
        """
        if count < 0:
            raise SocPlanError("Число рабочих дней не может быть отрицательным.")
        day = start
        left = count
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the nearest following working day (art. 193 CC)."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Number of working days in [first, last], both included."""
        count = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    def working_days_in_year(self, year: int) -> int:
        return self.working_days_between(date(year, 1, 1), date(year, 12, 31))


def weekdays_only() -> WorkCalendar:
    """A calendar without holidays (Mon–Fri); for tests and for years without data."""
    return WorkCalendar({})


def add_months(day: date, months: int) -> date:
    """Calendar months after ``day`` («в течение 1 месяца со дня …»); the day is clamped to the month's end."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def month_end(year: int, month: int) -> date:
    return date(year, month, _stdcal.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def calendar_year_from_dict(data: dict) -> CalendarYear:
    """Build a year from the JSON shape of ``resources/calendar/ru-<year>.json``."""
    try:
        year = int(data["year"])
        holidays = frozenset(date.fromisoformat(d) for d in data.get("holidays", []))
        working = frozenset(date.fromisoformat(d) for d in data.get("working_days", []))
    except (KeyError, ValueError, TypeError) as exc:
        raise SocPlanError(f"Производственный календарь повреждён: {exc}. Исправьте файл календаря.") from exc
    for d in holidays | working:
        if d.year != year:
            raise SocPlanError(f"Дата {d:%d.%m.%Y} не относится к {year} году календаря.")
    clash = holidays & working
    if clash:
        raise SocPlanError(
            "День не может быть одновременно выходным и рабочим: "
            + ", ".join(f"{d:%d.%m.%Y}" for d in sorted(clash))
        )
    return CalendarYear(year, holidays, working, data.get("status", "approved"), data.get("source", ""))


def calendar_year_to_dict(year: CalendarYear) -> dict:
    return {
        "year": year.year,
        "status": year.status,
        "source": year.source,
        "holidays": [d.isoformat() for d in sorted(year.holidays)],
        "working_days": [d.isoformat() for d in sorted(year.working_days)],
    }
