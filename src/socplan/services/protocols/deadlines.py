"""Structured deadline of a decision: the wording kept, the due date computed (relative ones from the meeting).

Parsing is the plans capability's ``domain.deadlines``; working days come from the production calendar kept
in the database (``services.plans.calendar.load_calendar``), passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socplan.domain.calendar import WorkCalendar, weekdays_only
from socplan.domain.deadlines import Deadline, DeadlineKind, find_deadline, parse_deadline


@dataclass(frozen=True)
class DecisionDeadline:
    text: str
    due: dt.date | None
    description: str
    recognised: bool


def anchored_at_meeting(deadline: Deadline) -> bool:
    """«… со дня (после дня) проведения заседания …»: the term runs from the meeting itself."""
    return deadline.relative is not None and "заседани" in deadline.relative.anchor_text.casefold()


def due_date(deadline: Deadline, meeting_date: dt.date, calendar: WorkCalendar | None = None) -> dt.date | None:
    """The date by which the decision must be executed; relative terms are counted from the meeting."""
    calendar = calendar or weekdays_only()
    if deadline.kind in (DeadlineKind.NONE, DeadlineKind.UNRECOGNISED, DeadlineKind.AS_NEEDED):
        return None
    if deadline.on is not None and deadline.kind in (DeadlineKind.DATE, DeadlineKind.BEFORE):
        return deadline.on
    if deadline.relative is not None and deadline.kind is DeadlineKind.RELATIVE:
        if not anchored_at_meeting(deadline):
            return None  # counted from another event («со дня утверждения планов»): the date is set by hand
        return deadline.relative.due(meeting_date, calendar)
    dates = deadline.control_dates(meeting_date, meeting_date.replace(year=meeting_date.year + 5),
                                   anchor=meeting_date, calendar=calendar)
    return dates[0] if dates else None


def decision_deadline(wording: str, decision_text: str, meeting_date: dt.date,
                      calendar: WorkCalendar | None = None) -> DecisionDeadline:
    """From the wording typed by the secretary, or else the deadline phrase inside the decision's text."""
    wording = (wording or "").strip()
    if wording:
        deadline = parse_deadline(wording)
    else:
        found = find_deadline(decision_text or "")
        if found is None:
            return DecisionDeadline("", None, "срок не указан", True)
        deadline = found
        wording = found.text
    due = due_date(deadline, meeting_date, calendar)
    description = deadline.describe()
    if deadline.relative is not None and not anchored_at_meeting(deadline):
        description += " — срок отсчитывается не от заседания: укажите дату контроля"
    return DecisionDeadline(wording, due, description, deadline.is_recognised)
