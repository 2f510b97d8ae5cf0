"""Plans of events: statuses, numbering «1», «1.1», control-point status rules, revision diff, financing ratios.

Seeds: 001 (НОК plan, «УТВЕРЖДАЮ», numbered events with sub-items), 002 App. 2 (stages «1.» with events
«1.1.»), 003 Apps. 2–10 (events with financing by year and source), 004 (campaign plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Iterable, Sequence

from socplan.domain.control_ratios import Op, Severity, Violation, ratio_holds
from socplan.domain.numbers import grouped


class PlanStatus(str, Enum):
    DRAFT = "draft"
    APPROVED = "approved"
    EXECUTED = "executed"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return {"draft": "проект", "approved": "утверждён", "executed": "исполнен", "archived": "архив"}[self.value]


#: Plan status flow: проект → утверждён → исполнен / архив.
PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.APPROVED, PlanStatus.ARCHIVED},
    PlanStatus.APPROVED: {PlanStatus.EXECUTED, PlanStatus.ARCHIVED},
    PlanStatus.EXECUTED: {PlanStatus.ARCHIVED},
    PlanStatus.ARCHIVED: set(),
}

PLAN_KINDS = {
    "events": "План мероприятий",
    "campaign": "План информационной кампании",
    "approbation": "План апробации",
    "programme": "Мероприятия государственной программы",
}


class PointStatus(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"
    POSTPONED = "postponed"

    @property
    def label(self) -> str:
        return {"not_started": "не начато", "in_progress": "в работе", "done": "выполнено",
                "failed": "не выполнено", "postponed": "перенесено с новым сроком"}[self.value]

    @property
    def is_open(self) -> bool:
        """Still to be done: can become overdue."""
        return self in (PointStatus.NOT_STARTED, PointStatus.IN_PROGRESS, PointStatus.POSTPONED)


def point_status_from_label(label: str) -> PointStatus:
    for s in PointStatus:
        if s.label == label.strip().lower() or s.value == label.strip():
            return s
    raise ValueError(label)


def is_overdue(due: date, status: PointStatus, today: date) -> bool:
    """A control point is overdue when its (possibly postponed) due date has passed and it is still open."""
    return status.is_open and due < today


class DeadlineColour(str, Enum):
    DONE = "done"  # green
    OVERDUE = "overdue"  # red
    SOON = "soon"  # amber: due within SOON_DAYS
    LATER = "later"  # no colour
    FAILED = "failed"  # grey-red


SOON_DAYS = 7


def deadline_colour(due: date, status: PointStatus, today: date) -> DeadlineColour:
    """Colour of a deadline cell: выполнено → green, просрочено → red, ≤ 7 days → amber."""
    if status is PointStatus.DONE:
        return DeadlineColour.DONE
    if status is PointStatus.FAILED:
        return DeadlineColour.FAILED
    if due < today:
        return DeadlineColour.OVERDUE
    if due <= today + timedelta(days=SOON_DAYS):
        return DeadlineColour.SOON
    return DeadlineColour.LATER


# ---------------------------------------------------------------- numbering

def number_children(parent_number: str, count: int) -> list[str]:
    """Numbers of ``count`` children: «1», «2» at the top, «1.1», «1.2» under «1»."""
    return [f"{parent_number}.{i}" if parent_number else str(i) for i in range(1, count + 1)]


_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")


def normalise_number(raw: str) -> str:
    """«1.», «1.1.», « 2 » → «1», «1.1», «2»; empty when the cell is not a number."""
    value = (raw or "").strip().rstrip(".").strip()
    return value if _NUMBER.match(value) else ""


def numbering_problems(numbers: Sequence[str]) -> list[str]:
    """Event numbers out of sequence («1», «1.1», «1.3»: после 1.1 ожидался 1.2): Russian messages."""
    problems: list[str] = []
    last_child: dict[str, int] = {}
    seen: set[str] = set()
    for n in numbers:
        if n in seen:
            problems.append(f"Номер {n} повторяется.")
            continue
        seen.add(n)
        parts = n.split(".")
        parent = ".".join(parts[:-1])
        if parent and parent not in seen:
            problems.append(f"Пункт {n}: нет пункта {parent}, в который он входит.")
        expected = last_child.get(parent, 0) + 1
        got = int(parts[-1])
        if got != expected:
            where = f"{parent}.{expected}" if parent else str(expected)
            problems.append(f"Номер {n} нарушает порядок: ожидался {where}.")
        last_child[parent] = got
    return problems


# ---------------------------------------------------------------- revisions

@dataclass(frozen=True)
class EventSnapshot:
    """What a revision diff compares for one event."""

    number: str
    text: str
    form: str
    deadline: str
    executors: str


@dataclass(frozen=True)
class EventChange:
    number: str
    change: str  # «добавлено» | «удалено» | «изменено»
    field: str
    old: str
    new: str


_FIELDS = (("text", "мероприятие"), ("form", "форма реализации"), ("deadline", "срок"),
           ("executors", "исполнители"))


def diff_revisions(old: Iterable[EventSnapshot], new: Iterable[EventSnapshot]) -> list[EventChange]:
    """Differences between two revisions of a plan, event by event (matched by text first, then number)."""
    old_list, new_list = list(old), list(new)
    changes: list[EventChange] = []
    unmatched_new = list(new_list)
    pairs: list[tuple[EventSnapshot, EventSnapshot | None]] = []
    for o in old_list:
        match = next((n for n in unmatched_new if n.text == o.text), None)
        if match is None:
            match = next((n for n in unmatched_new if n.number == o.number), None)
        if match is not None:
            unmatched_new.remove(match)
        pairs.append((o, match))
    for o, n in pairs:
        if n is None:
            changes.append(EventChange(o.number, "удалено", "", o.text, ""))
            continue
        if o.number != n.number:
            changes.append(EventChange(n.number, "изменено", "номер", o.number, n.number))
        for attr, label in _FIELDS:
            a, b = getattr(o, attr), getattr(n, attr)
            if a != b:
                changes.append(EventChange(n.number, "изменено", label, a, b))
    for n in unmatched_new:
        changes.append(EventChange(n.number, "добавлено", "", "", n.text))
    return sorted(changes, key=lambda c: [int(p) for p in c.number.split(".")] if c.number else [0])


# ---------------------------------------------------------------- financing

TOTAL_SOURCE = ""  # the «Всего» row of a financing table


def _rub(value: Decimal) -> str:
    """«807 139 381,57»."""
    return grouped(value, 2)


@dataclass(frozen=True)
class FinancingCell:
    source: str  # TOTAL_SOURCE for «Всего»
    year: int | None  # None for the «всего» column (whole period)
    amount: Decimal


def financing_violations(where: str, cells: Sequence[FinancingCell]) -> list[Violation]:
    """Seed 003 Apps. 2–10 control ratios: total over the period = sum of years (each row);
    total of all sources = sum of the sources (each column)."""
    out: list[Violation] = []
    grid = {(c.source, c.year): c.amount for c in cells}
    sources = sorted({c.source for c in cells})
    years = sorted({c.year for c in cells if c.year is not None})
    for src in sources:
        total = grid.get((src, None))
        by_year = [grid[(src, y)] for y in years if (src, y) in grid]
        if total is None or not by_year:
            continue
        s = sum(by_year, Decimal(0))
        if not ratio_holds(total, Op.EQ, s):
            name = src or "всего"
            out.append(Violation("plans.financing.years", "Всего за период = сумма по годам", Severity.ERROR,
                                 f"{where}, {name}", total, Op.EQ, s,
                                 f"Итог за период {_rub(total)} не равен сумме по годам {_rub(s)} "
                                 f"(расхождение {_rub(total - s)})."))
    parts = [s for s in sources if s != TOTAL_SOURCE]
    if TOTAL_SOURCE in sources and parts:
        for y in [None, *years]:
            total = grid.get((TOTAL_SOURCE, y))
            vals = [grid[(s, y)] for s in parts if (s, y) in grid]
            if total is None or not vals:
                continue
            s = sum(vals, Decimal(0))
            if not ratio_holds(total, Op.EQ, s):
                col = "всего за период" if y is None else f"{y} год"
                out.append(Violation("plans.financing.sources", "Всего = сумма по источникам", Severity.ERROR,
                                     f"{where}, {col}", total, Op.EQ, s,
                                     f"Итог {_rub(total)} не равен сумме по источникам {_rub(s)} "
                                     f"(расхождение {_rub(total - s)})."))
    return out


# ---------------------------------------------------------------- execution totals

@dataclass(frozen=True)
class ExecutionTotals:
    total: int
    done: int
    overdue: int
    failed: int
    in_progress: int

    def sentence(self) -> str:
        return f"выполнено {self.done} из {self.total}, просрочено {self.overdue}"


def execution_totals(points: Iterable[tuple[date, PointStatus]], today: date) -> ExecutionTotals:
    """«выполнено N из M, просрочено K» over control points (due date, status)."""
    total = done = overdue = failed = in_progress = 0
    for due, status in points:
        total += 1
        if status is PointStatus.DONE:
            done += 1
        elif status is PointStatus.FAILED:
            failed += 1
        elif status is PointStatus.IN_PROGRESS:
            in_progress += 1
        if is_overdue(due, status, today):
            overdue += 1
    return ExecutionTotals(total, done, overdue, failed, in_progress)


@dataclass(frozen=True)
class EventExecution:
    """What a plan execution report prints for one event in its «Статус» column."""

    label: str
    overdue: bool


def event_execution_status(points: Sequence[tuple[date, PointStatus]], period_from: date, period_to: date,
                           as_of: date) -> EventExecution:
    """Issue 14: the status follows the dates. Points due in the period decide; without one, an earlier point
    still open or failed is «не выполнено» (a 2023 deadline with no report is not «срок не наступил»), all
    earlier points done is «выполнено», and only points after the period give «срок не наступил»."""
    inside = [(d, st) for d, st in points if period_from <= d <= period_to]
    if not points:
        return EventExecution("срок не определён", False)
    if not inside:
        before = [(d, st) for d, st in points if d < period_from]
        if before:
            if all(st is PointStatus.DONE for _d, st in before):
                return EventExecution(PointStatus.DONE.label, False)
            return EventExecution(PointStatus.FAILED.label, any(is_overdue(d, st, as_of) for d, st in before))
        return EventExecution("срок не наступил", False)
    overdue = any(is_overdue(d, st, as_of) for d, st in inside)
    if len(inside) == 1:
        due, status = inside[0]
        if status.is_open and due < as_of:  # the deadline passed with no report of execution
            return EventExecution(PointStatus.FAILED.label, True)
        return EventExecution(status.label, overdue)
    done = sum(1 for _d, st in inside if st is PointStatus.DONE)
    return EventExecution(f"выполнено {done} из {len(inside)}", overdue)


def period_label(due: date, periodicity_months: int) -> str:
    """«март 2025», «I квартал 2025», «I полугодие 2025», «2025 год» — the period a control point reports."""
    if periodicity_months == 1:
        months = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                  "октябрь", "ноябрь", "декабрь"]
        return f"{months[due.month - 1]} {due.year}"
    if periodicity_months == 3:
        return f"{['I', 'II', 'III', 'IV'][(due.month - 1) // 3]} квартал {due.year}"
    if periodicity_months == 6:
        return f"{'I' if due.month <= 6 else 'II'} полугодие {due.year}"
    return f"{due.year} год"


# ---------------------------------------------------------------- executors cell

@dataclass(frozen=True)
class Participant:
    """One name from an executors cell; ``short`` is the abbreviation the document defines, if any."""

    full: str
    short: str


_DEFINED = re.compile(r"\(\s*далее\s*[–-]\s*([^()]+?)\s*\)", re.IGNORECASE)
_BODY_START = re.compile(r"^(?:департамент|управлени|министерств|комитет|отдел|учреждени|организаци|совет|"
                         r"администраци|аппарат|служб|центр|агентств|инспекци)", re.IGNORECASE)
_QUALIFIERS = re.compile(r"\((?:в рамках компетенции|по согласованию|при наличии)\)", re.IGNORECASE)


def split_participants(cell: str) -> tuple[list[Participant], list[Participant]]:
    """Executors and controllers of a cell: «Организации … контроль – ДСО, УДСП (в рамках компетенции)»
    → executors [Организации …], controllers [ДСО, УДСП] (seed 001). Names are split on commas, «;» and
    line breaks; «(далее – ДСО)» gives the short name; «(в рамках компетенции)» is dropped."""
    flat = re.sub(r"<[^>]+>", " ", cell or "")
    flat = re.sub(r"[ \t]+", " ", flat)
    executors_part, controllers_part = flat, ""
    m = re.search(r"\bконтроль\s*[–-]\s*", flat, re.IGNORECASE)
    if m:
        executors_part, controllers_part = flat[: m.start()], flat[m.end():]
    return _names(executors_part), _names(controllers_part)


def _names(part: str) -> list[Participant]:
    part = _QUALIFIERS.sub("", part)
    # seed 004 lists bodies one after another without commas: «… области Министерство …»
    part = re.sub(r"(област(?:и|ь)\)?)\s+(?=[А-ЯЁ])", r"\1;", part)
    # protect commas inside parentheses
    depth, buf, items = 0, [], []
    for ch in part:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch in ",;\n" and depth == 0:
            items.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    items.append("".join(buf))
    # «департамент по делам молодежи, физической культуры и спорта …»: a piece in lower case that does not
    # start a new body continues the previous name
    merged: list[str] = []
    for item in items:
        piece = item.strip()
        if merged and piece[:1].islower() and not _BODY_START.match(piece):
            merged[-1] = merged[-1].rstrip() + ", " + piece
        else:
            merged.append(item)
    items = merged
    out: list[Participant] = []
    for item in items:
        item = re.sub(r"\s+", " ", item).strip()
        if item.endswith(")") and item.count("(") < item.count(")"):
            item = item[:-1].strip()
        if not item:
            continue
        m = _DEFINED.search(item)
        short = m.group(1).strip() if m else ""
        full = _DEFINED.sub("", item).strip(" ,")
        if not full:
            continue
        out.append(Participant(full, short or full))
    return out
