"""Production calendar in the database: loaded from ``resources/calendar/ru-<year>.json``, editable by the
administrator (holidays and transferred working days per year)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.plans import WorkCalendarDay, WorkCalendarYear
from socplan.domain.calendar import CalendarYear, WorkCalendar, calendar_year_from_dict
from socplan.domain.errors import SocPlanError
from socplan.resources import resource_path
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext

SHIPPED_YEARS = (2024, 2025, 2026, 2027)


def shipped_calendar_years() -> list[CalendarYear]:
    """The calendar years shipped with the program (resources/calendar)."""
    years = []
    for path in sorted(resource_path("calendar").glob("ru-*.json")):
        years.append(calendar_year_from_dict(json.loads(path.read_text(encoding="utf-8"))))
    return years


def _store_year(session: Session, year: CalendarYear) -> None:
    row = session.get(WorkCalendarYear, year.year)
    if row is None:
        row = WorkCalendarYear(year=year.year)
        session.add(row)
    row.status = year.status
    row.source = year.source
    row.days = [WorkCalendarDay(day=d, year=year.year, kind="holiday") for d in sorted(year.holidays)] + [
        WorkCalendarDay(day=d, year=year.year, kind="working") for d in sorted(year.working_days)]
    session.flush()


def ensure_calendar(session: Session) -> None:
    """Copy the shipped years missing from the database (years already there may be edited: kept)."""
    present = set(session.scalars(select(WorkCalendarYear.year)))
    for year in shipped_calendar_years():
        if year.year not in present:
            _store_year(session, year)


def load_calendar(session: Session) -> WorkCalendar:
    """The working calendar as stored in the database (shipped years added when missing)."""
    ensure_calendar(session)
    years = []
    for row in session.scalars(select(WorkCalendarYear).order_by(WorkCalendarYear.year)):
        hol = frozenset(d.day for d in row.days if d.kind == "holiday")
        work = frozenset(d.day for d in row.days if d.kind == "working")
        years.append(CalendarYear(row.year, hol, work, row.status, row.source))
    return WorkCalendar.from_years(years)


def work_calendar(ctx: AppContext) -> WorkCalendar:
    with ctx.uow(reason="Загрузка производственного календаря") as s:
        cal = load_calendar(s)
        s.commit()
    return cal


def save_calendar_year(ctx: AppContext, year: int, holidays: list[date], working_days: list[date],
                       status: str = "approved", source: str = "") -> CalendarYear:
    """Administrator's edit of one year (validated: dates of that year, no day both off and working)."""
    require(ctx, Action.EDIT_REFERENCE)
    data = {"year": year, "status": status, "source": source,
            "holidays": [d.isoformat() for d in holidays], "working_days": [d.isoformat() for d in working_days]}
    cal_year = calendar_year_from_dict(data)
    if not 2000 <= year <= 2100:
        raise SocPlanError(f"Год {year} вне допустимого диапазона 2000–2100.")
    with ctx.uow(reason=f"Изменение производственного календаря на {year} год") as s:
        _store_year(s, cal_year)
        s.commit()
    return cal_year


def reset_calendar_year(ctx: AppContext, year: int) -> CalendarYear:
    """Restore a year from the shipped file."""
    require(ctx, Action.EDIT_REFERENCE)
    shipped = {y.year: y for y in shipped_calendar_years()}
    if year not in shipped:
        raise SocPlanError(f"В поставке нет календаря на {year} год.")
    with ctx.uow(reason=f"Восстановление производственного календаря на {year} год") as s:
        _store_year(s, shipped[year])
        s.commit()
    return shipped[year]
