"""The reporting cycle of a form × territory × period: due dates, the state of a board cell,
completeness and timeliness figures, and data-quality outliers (DHIS2's approval/completeness/outlier ideas).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Iterable, Sequence

from socplan.domain.calendar import WorkCalendar, add_months, month_end

# ------------------------------------------------------------------ due dates

MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря")
PERIOD_KINDS = {"month": "месяц", "quarter": "квартал", "year": "год"}
_ORDINAL_MONTHS = {1: "месяца, следующего", 2: "второго месяца, следующего", 3: "третьего месяца, следующего"}


def period_end(year: int, kind: str, number: int) -> dt.date:
    """Last day of a reporting period (year, quarter 1–4, month 1–12)."""
    if kind == "year":
        return dt.date(year, 12, 31)
    if kind == "quarter":
        return month_end(year, number * 3)
    return month_end(year, number)


@dataclass(frozen=True)
class DueRule:
    """When a form is due for a period.

    - ``day`` of the ``months_after``-th month after the period («до 10-го числа месяца, следующего за отчётным
      периодом»);
    - or ``day`` of a fixed ``month`` — the first such date after the period's end («до 15 января»);
    - or ``working_days`` working days after the period's end («в течение 5 рабочих дней после окончания
      отчётного периода»).
    A due date that falls on a day off moves to the next working day (Civil Code art. 193), as plan deadlines do.
    """

    period_kind: str = "year"  # the form's reporting periodicity: month | quarter | year
    day: int = 0
    months_after: int = 1
    month: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        if self.period_kind not in PERIOD_KINDS:
            raise ValueError(f"Неизвестная периодичность «{self.period_kind}»: месяц, квартал или год.")
        if self.working_days:
            if not 1 <= self.working_days <= 60:
                raise ValueError("Число рабочих дней — от 1 до 60.")
        elif not 1 <= self.day <= 31:
            raise ValueError("Число месяца в сроке сдачи — от 1 до 31.")
        if self.month and not 1 <= self.month <= 12:
            raise ValueError("Месяц в сроке сдачи — от 1 до 12.")
        if not self.month and not self.working_days and not 1 <= self.months_after <= 3:
            raise ValueError("Срок сдачи — в первом, втором или третьем месяце после отчётного периода.")

    @property
    def text(self) -> str:
        if self.working_days:
            return f"в течение {self.working_days} рабочих дней после окончания отчётного периода"
        if self.month:
            return f"до {self.day} {MONTHS_GENITIVE[self.month - 1]}"
        return f"до {self.day}-го числа {_ORDINAL_MONTHS[self.months_after]} за отчётным периодом"

    def nominal(self, year: int, kind: str, number: int, calendar: WorkCalendar) -> dt.date:
        end = period_end(year, kind, number)
        if self.working_days:
            return calendar.add_working_days(end, self.working_days)
        if self.month:
            candidate = _clamped(end.year, self.month, self.day)
            return candidate if candidate > end else _clamped(end.year + 1, self.month, self.day)
        target = add_months(end.replace(day=1), self.months_after)
        return _clamped(target.year, target.month, self.day)

    def due(self, year: int, kind: str, number: int, calendar: WorkCalendar) -> dt.date:
        """The last admissible day of submission (inclusive), moved off days off."""
        return calendar.next_working_day(self.nominal(year, kind, number, calendar))


def _clamped(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, month_end(year, month).day))


_WORD_MONTHS = {"месяца": 1, "второго месяца": 2, "третьего месяца": 3}


def parse_due_rule(text: str, period_kind: str) -> DueRule:
    """«до 10-го числа месяца, следующего за отчётным периодом», «до 15 января», «5 рабочих дней»."""
    norm = " ".join(text.lower().replace("ё", "е").split())
    m = re.search(r"(\d+)\s*рабоч", norm)
    if m:
        return DueRule(period_kind, working_days=int(m.group(1)))
    m = re.search(r"(\d+)(?:-?го|-?е)?\s+(" + "|".join(MONTHS_GENITIVE) + r")", norm)
    if m:
        return DueRule(period_kind, day=int(m.group(1)), month=MONTHS_GENITIVE.index(m.group(2)) + 1)
    m = re.search(r"(\d+)(?:-?го|-?е)?\s+числа\s+(третьего месяца|второго месяца|месяца)", norm)
    if m:
        return DueRule(period_kind, day=int(m.group(1)), months_after=_WORD_MONTHS[m.group(2)])
    raise ValueError(f"Непонятный срок сдачи «{text}». Примеры: «до 10-го числа месяца, следующего за отчётным "
                     "периодом», «до 15 января», «5 рабочих дней».")


# ------------------------------------------------------------------ board cells

class CellState(str, Enum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"not_started": "не начат", "draft": "черновик", "submitted": "представлен",
                "returned": "возвращён", "accepted": "принят", "overdue": "просрочен"}[self.value]


#: states of a form that count as «представлено» for completeness (DHIS2: a complete registration)
REPORTED = ("submitted", "accepted", "closed")


def cell_state(form_state: str | None, has_values: bool, due: dt.date | None, today: dt.date) -> CellState:
    """What a board cell shows: reported states as they are; an unreported form past its due date is overdue."""
    if form_state in ("accepted", "closed"):
        return CellState.ACCEPTED
    if form_state == "submitted":
        return CellState.SUBMITTED
    if form_state == "returned":  # it was submitted; the Ministry asked for corrections
        return CellState.RETURNED
    if due is not None and today > due:
        return CellState.OVERDUE
    if form_state == "draft" or has_values:
        return CellState.DRAFT
    return CellState.NOT_STARTED


def days_late(first_submitted: dt.date | None, due: dt.date | None, today: dt.date) -> int:
    """Calendar days after the due date: of the first submission, or up to today while nothing is submitted."""
    if due is None:
        return 0
    last = first_submitted or today
    return max(0, (last - due).days)


def on_time(first_submitted: dt.date | None, due: dt.date | None) -> bool:
    return first_submitted is not None and (due is None or first_submitted <= due)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole × 100, one decimal, half-up; None for an empty board."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# ------------------------------------------------------------------ data quality

#: Iglewicz & Hoaglin: |modified z| > 3.5 marks a potential outlier; 0.6745 = Φ⁻¹(0.75)
MODIFIED_Z_LIMIT = Decimal("3.5")
MIN_REFERENCES = 4


def median(values: Sequence[Decimal]) -> Decimal:
    s = sorted(values)
    n = len(s)
    mid = n // 2
    return s[mid] if n % 2 else (s[mid - 1] + s[mid]) / 2


def modified_z(value: Decimal, references: Iterable[Decimal]) -> Decimal | None:
    """Robust z-score of ``value`` against ``references``: 0,6745 × (x − median) / MAD (Iglewicz–Hoaglin).

    When MAD is 0 the mean absolute deviation × 1,253314 is used instead (IBM SPSS's fallback); when that is
    0 too, every reference is equal and any other value is infinitely far (returned as 999). Fewer than
    four references give no score.
    """
    refs = [Decimal(r) for r in references]
    if len(refs) < MIN_REFERENCES:
        return None
    med = median(refs)
    mad = median([abs(r - med) for r in refs])
    if mad:
        return (Decimal("0.6745") * (value - med) / mad).quantize(Decimal("0.01"), ROUND_HALF_UP)
    mean_ad = sum((abs(r - med) for r in refs), Decimal(0)) / len(refs)
    if mean_ad:
        return ((value - med) / (Decimal("1.253314") * mean_ad)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if value == med:
        return Decimal(0)
    return Decimal(999) if value > med else Decimal(-999)


def is_outlier(z: Decimal | None) -> bool:
    return z is not None and abs(z) > MODIFIED_Z_LIMIT


__all__ = ["DueRule", "parse_due_rule", "period_end", "CellState", "cell_state", "days_late", "on_time", "percent",
           "modified_z", "is_outlier", "median", "REPORTED"]
