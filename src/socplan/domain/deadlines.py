"""Deadlines of plan events and decisions («сроки исполнения»), parsed from their Russian wording.

The original wording is always kept; the structure is what the wording says and nothing more. A wording
the parser does not understand becomes ``DeadlineKind.UNRECOGNISED`` («не распознано») for the user to fix —
never a guess. Seeds: 001 (НОК plan), 002 App. 2 (approbation plan), 004 (information campaign), 000
(decisions «в срок до 1 мая 2022 года», «в течение 5 дней после дня проведения заседания …»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum

from socplan.domain.calendar import WorkCalendar, add_months, month_end, quarter_end, weekdays_only


class DeadlineKind(str, Enum):
    DATE = "date"  # «1 сентября 2023 года», «28.12.2016»
    BEFORE = "before"  # «до 1 сентября 2023 года», «до 15 мая 2025 – 2026 гг.»
    FROM = "from"  # «с 1 сентября 2023 года»
    QUARTER = "quarter"  # «I квартал 2025 – 2026 гг.», «I – II квартал»
    MONTH = "month"  # «март 2017»
    YEAR = "year"  # «2025 год», «2017 г», «2025 – 2026 гг., в течение года»
    PERIODIC = "periodic"  # «ежемесячно», «1 раз в полугодие», «постоянно», «не реже 1 раза в квартал»
    AS_NEEDED = "as_needed"  # «по мере необходимости»
    RELATIVE = "relative"  # «в течение 10 рабочих дней со дня …»
    NONE = "none"  # the cell is empty
    UNRECOGNISED = "unrecognised"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    DeadlineKind.DATE: "дата",
    DeadlineKind.BEFORE: "до даты",
    DeadlineKind.FROM: "с даты",
    DeadlineKind.QUARTER: "квартал",
    DeadlineKind.MONTH: "месяц",
    DeadlineKind.YEAR: "в течение года",
    DeadlineKind.PERIODIC: "периодичность",
    DeadlineKind.AS_NEEDED: "по мере необходимости",
    DeadlineKind.RELATIVE: "относительный срок",
    DeadlineKind.NONE: "срок не указан",
    DeadlineKind.UNRECOGNISED: "не распознано",
}


class Periodicity(str, Enum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"
    CONSTANT = "constant"  # «постоянно»: a report per reporting period

    @property
    def label(self) -> str:
        return {
            "monthly": "ежемесячно",
            "quarterly": "ежеквартально",
            "semiannual": "1 раз в полугодие",
            "annual": "ежегодно",
            "constant": "постоянно",
        }[self.value]

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12, "constant": 12}[self.value]


class TermUnit(str, Enum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    WEEKS = "weeks"


@dataclass(frozen=True)
class RelativeTerm:
    """«в течение N рабочих дней со дня <событие>»: N units after the anchor event."""

    amount: int
    unit: TermUnit
    anchor_text: str  # «проведения заседания Общественного совета по НОК»
    relation: str = "со дня"  # as worded: «со дня», «после дня», «следующих за днем», «с даты»

    def due(self, anchor: date, calendar: WorkCalendar) -> date:
        """Last admissible day: anchor + N units; the anchor day itself is not counted (Civil Code art. 191)."""
        if self.unit is TermUnit.WORKING_DAYS:
            return calendar.add_working_days(anchor, self.amount)
        if self.unit is TermUnit.DAYS:
            return anchor + timedelta(days=self.amount)
        if self.unit is TermUnit.WEEKS:
            return anchor + timedelta(weeks=self.amount)
        return add_months(anchor, self.amount)


@dataclass(frozen=True)
class Deadline:
    """A structured deadline; ``text`` is the wording exactly as it came."""

    text: str
    kind: DeadlineKind
    years: tuple[int, ...] = ()  # years the deadline applies to («2025 – 2026 гг.»); empty = the plan's years
    on: date | None = None  # exact date (DATE / BEFORE / FROM with a year)
    day_month: tuple[int, int] | None = None  # (day, month) repeated in each year («до 15 мая 2025 – 2026 гг.»)
    quarters: tuple[int, int] | None = None  # first and last quarter («I – II квартал» → (1, 2))
    month: int | None = None
    periodicity: Periodicity | None = None
    at_least: bool = False  # «не реже …»
    due_day_next_month: int | None = None  # «до 10 числа месяца, следующего за отчетным»
    relative: RelativeTerm | None = None
    then: Deadline | None = None  # «…, далее ежегодно до 1 января»
    note: str = ""  # qualifier kept but not interpreted («в соответствии с планом работы …»)
    problems: tuple[str, ...] = field(default=())

    @property
    def is_recognised(self) -> bool:
        return self.kind is not DeadlineKind.UNRECOGNISED

    @property
    def needs_anchor(self) -> bool:
        return self.relative is not None

    def describe(self) -> str:
        """Short normalised Russian description for lists and previews."""
        k = self.kind
        yrs = _years_text(self.years)
        if k is DeadlineKind.UNRECOGNISED:
            return "не распознано"
        if k is DeadlineKind.NONE:
            return "срок не указан"
        parts: list[str] = []
        if k in (DeadlineKind.DATE, DeadlineKind.BEFORE, DeadlineKind.FROM):
            prefix = {"date": "", "before": "до ", "from": "с "}[k.value]
            if self.on:
                parts.append(f"{prefix}{self.on:%d.%m.%Y}")
            elif self.day_month:
                parts.append(f"{prefix}{self.day_month[0]:02d}.{self.day_month[1]:02d} ежегодно {yrs}".strip())
        elif k is DeadlineKind.QUARTER and self.quarters:
            q1, q2 = self.quarters
            q = _ROMAN[q1] if q1 == q2 else f"{_ROMAN[q1]}–{_ROMAN[q2]}"
            parts.append(f"{q} квартал {yrs}".strip())
        elif k is DeadlineKind.MONTH and self.month:
            parts.append(f"{_MONTHS_NOM[self.month - 1]} {yrs}".strip())
        elif k is DeadlineKind.YEAR:
            parts.append(f"в течение года {yrs}".strip())
        elif k is DeadlineKind.PERIODIC and self.periodicity:
            text = self.periodicity.label
            if self.at_least:
                text = "не реже " + {
                    "monthly": "1 раза в месяц", "quarterly": "1 раза в квартал",
                    "semiannual": "1 раза в полугодие", "annual": "1 раза в год", "constant": "постоянно",
                }[self.periodicity.value]
            if self.day_month:
                text += f" до {self.day_month[0]:02d}.{self.day_month[1]:02d}"
            if self.due_day_next_month:
                text += f" до {self.due_day_next_month} числа следующего месяца"
            parts.append(f"{text} {yrs}".strip())
        elif k is DeadlineKind.AS_NEEDED:
            parts.append("по мере необходимости")
        if self.relative:
            r = self.relative
            unit = {"working_days": "раб. дн.", "days": "дн.", "months": "мес.", "weeks": "нед."}[r.unit.value]
            if k is DeadlineKind.RELATIVE and (self.quarters or self.years):
                window = ""
                if self.quarters:
                    q1, q2 = self.quarters
                    window = (_ROMAN[q1] if q1 == q2 else f"{_ROMAN[q1]}–{_ROMAN[q2]}") + " кв. "
                parts.append(f"{window}{yrs}".strip())
            parts.append(f"{r.amount} {unit} {r.relation} {r.anchor_text}".strip())
        if self.then:
            parts.append("далее " + self.then.describe())
        return ", ".join(p for p in parts if p)

    def control_dates(
        self,
        period_start: date,
        period_end: date,
        anchor: date | None = None,
        calendar: WorkCalendar | None = None,
        *,
        reporting: Periodicity = Periodicity.ANNUAL,
    ) -> list[date]:
        """Control points inside [period_start, period_end]: monthly → 12 a year, quarterly → 4,
        semi-annual → 2, annual → 1, «постоянно» → one per reporting period, relative → once the anchor
        date is known, «по мере необходимости» and unrecognised → none.
        """
        cal = calendar or weekdays_only()
        years = self.years or tuple(range(period_start.year, period_end.year + 1))
        out: list[date] = []
        k = self.kind
        if k is DeadlineKind.RELATIVE:
            if anchor is not None and self.relative is not None:
                out.append(self.relative.due(anchor, cal))
        elif k in (DeadlineKind.DATE, DeadlineKind.BEFORE, DeadlineKind.FROM):
            if self.on is not None:
                out.append(self.on)
            elif self.day_month is not None:
                out.extend(_safe_date(y, *reversed(self.day_month)) for y in years)
        elif k is DeadlineKind.QUARTER and self.quarters:
            out.extend(quarter_end(y, self.quarters[1]) for y in years)
        elif k is DeadlineKind.MONTH and self.month:
            out.extend(month_end(y, self.month) for y in years)
        elif k is DeadlineKind.YEAR:
            out.extend(date(y, 12, 31) for y in years)
        elif k is DeadlineKind.PERIODIC and self.periodicity:
            per = reporting if self.periodicity is Periodicity.CONSTANT else self.periodicity
            for y in years:
                if per is Periodicity.ANNUAL and self.day_month:
                    out.append(_safe_date(y, self.day_month[1], self.day_month[0]))
                    continue
                for m in range(per.months, 13, per.months):
                    end = month_end(y, m)
                    if self.due_day_next_month:
                        nxt = end + timedelta(days=1)
                        end = _safe_date(nxt.year, nxt.month, self.due_day_next_month)
                    out.append(end)
        if self.then is not None:
            first_last = max(out) if out else period_start
            out.extend(d for d in self.then.control_dates(period_start, period_end, anchor, cal,
                                                          reporting=reporting) if d > first_last)
        return sorted({d for d in out if period_start <= d <= period_end})


def _safe_date(year: int, month: int, day: int) -> date:
    return min(date(year, month, 1) + timedelta(days=day - 1), month_end(year, month))


def _years_text(years: tuple[int, ...]) -> str:
    if not years:
        return ""
    if len(years) == 1:
        return f"{years[0]} г."
    return f"{years[0]}–{years[-1]} гг."


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_IN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
               "октября", "ноября", "декабря"]
_MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
               "октябрь", "ноябрь", "декабрь"]
_MONTHS_PREP = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                "октябре", "ноябре", "декабре"]
_NUMBER_WORDS = {"одного": 1, "один": 1, "одной": 1, "двух": 2, "два": 2, "трех": 3, "три": 3,
                 "четырех": 4, "пяти": 5, "пять": 5, "десяти": 10, "десять": 10, "семи": 7, "тридцати": 30}

_GEN = "|".join(_MONTHS_GEN)
_NOM = "|".join(_MONTHS_NOM)
_PREP = "|".join(_MONTHS_PREP)
_YEARS = r"(?P<y1>\d{4})(?:\s*–\s*(?P<y2>\d{4}))?\s*(?:гг\.?|г\.?|годы|годов|года|год)?"
_NUM = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + ")"

_RE_YEARS = re.compile(rf"^(?:в течение\s+|на\s+)?{_YEARS}$")
_RE_IN_YEAR = re.compile(r"^(?:в течение )?(?:всего )?(?:текущего |отчетного |календарного )?года$")
_RE_QUARTER = re.compile(
    rf"^(?:в\s+)?(?P<q1>iv|iii|ii|i|[1-4])(?:\s*–\s*(?P<q2>iv|iii|ii|i|[1-4]))?\s*(?:-?й\s+)?"
    rf"квартал(?:а|ы|е|ах)?(?:\s+{_YEARS})?$"
)
_RE_DATE_VERBAL = re.compile(rf"^(?P<d>\d{{1,2}})\s+(?P<m>{_GEN})(?:\s+{_YEARS})?$")
_RE_DATE_NUMERIC = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\s*(?:года|г\.?)?$")
_RE_END_OF_YEAR = re.compile(rf"^конца\s+{_YEARS}$")
_RE_MONTH = re.compile(rf"^(?:в\s+)?(?P<m>{_NOM}|{_PREP})(?:\s+{_YEARS})?$")
_RE_PERIODIC = [
    (re.compile(r"^(?:ежемесячно|1 раз в месяц|один раз в месяц|раз в месяц)$"), Periodicity.MONTHLY),
    (re.compile(r"^(?:ежеквартально|1 раз в квартал|один раз в квартал|раз в квартал)$"), Periodicity.QUARTERLY),
    (re.compile(r"^(?:1 раз в полугодие|один раз в полугодие|раз в полугодие|2 раза в год|два раза в год"
                r"|ежеполугодно|каждое полугодие)$"), Periodicity.SEMIANNUAL),
    (re.compile(r"^(?:ежегодно|1 раз в год|один раз в год|раз в год)$"), Periodicity.ANNUAL),
    (re.compile(r"^(?:постоянно|на постоянной основе|в течение всего периода)$"), Periodicity.CONSTANT),
]
_RE_AT_LEAST = re.compile(
    rf"^не реже\s+(?:{_NUM})\s+раза?\s+в\s+(?P<p>месяц|квартал|полугодие|год)$"
)
_RE_DUE_DAY = re.compile(
    r"^до\s+(?P<d>\d{1,2})(?:-?го)?\s+числа\s+месяца,?\s+следующего\s+за\s+отч[её]тным"
    r"(?:\s+(?:месяцем|кварталом|периодом|полугодием|годом))?$"
)
_RE_AS_NEEDED = re.compile(r"^(?:по мере необходимости|по необходимости|при необходимости)$")
_RE_RELATIVE_START = re.compile(
    rf"^(?:в срок\s+)?(?:в течение|не позднее|не позже|в срок не позднее)\s+{_NUM}\s+"
    r"(?:рабочих\s+|календарных\s+)?(?:дн|день|месяц|недел)"
)
_RE_RELATIVE = re.compile(
    rf"^(?:в срок\s+)?(?:в течение|не позднее|не позже|в срок не позднее)\s+(?P<n>{_NUM})\s+"
    r"(?P<kind>рабочих\s+|календарных\s+)?(?P<unit>дн(?:я|ей|ь)|день|месяц(?:а|ев)?|недел(?:и|ь))"
    r"[\s,]*(?P<rel>со дня|с даты|с момента|после дня|после даты|после|следующих за дн[её]м|"
    r"следующего за дн[её]м|с)\s+(?P<anchor>.+)$"
)
_PERIODIC_BY_WORD = {"месяц": Periodicity.MONTHLY, "квартал": Periodicity.QUARTERLY,
                     "полугодие": Periodicity.SEMIANNUAL, "год": Periodicity.ANNUAL}


def _normalise(text: str) -> str:
    """Remove extraction debris (HTML fragments, broken spaces) and unify dashes; lower case, ё → е."""
    t = re.sub(r"<[^>]+>", " ", text)
    t = t.replace("\u00a0", " ").replace("ё", "е").replace("Ё", "Е")
    t = re.sub(r"[‐‑‒–—−]", "–", t)
    t = re.sub(r"(?<=[\divxIVX])\s*[-–]\s*(?=[\divxIVX])", " – ", t)
    t = re.sub(r"\s+", " ", t).strip().strip(".;").strip()
    return t.lower()


def _years(m: re.Match) -> tuple[int, ...]:
    y1 = m.group("y1")
    if not y1:
        return ()
    y2 = m.group("y2") or y1
    a, b = int(y1), int(y2)
    if b < a or b - a > 20:
        return ()
    return tuple(range(a, b + 1))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _split_clauses(text: str) -> list[str]:
    """Split on top-level commas (not inside parentheses)."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur).strip())
    return [c for c in out if c]


class _Unrecognised(Exception):
    pass


def parse_deadline(text: str) -> Deadline:
    """Parse a deadline wording; unknown wording → ``UNRECOGNISED`` with the text kept (never guessed)."""
    original = text if text is not None else ""
    norm = _normalise(original)
    if not norm or norm in {"-", "–", "—"}:
        return Deadline(original, DeadlineKind.NONE)
    try:
        return _parse(original, norm)
    except _Unrecognised as exc:
        return Deadline(original, DeadlineKind.UNRECOGNISED, problems=(str(exc),))


def _parse(original: str, norm: str) -> Deadline:
    notes: list[str] = []
    # Parenthesised qualifiers: «(по мере необходимости)», «(по согласованию)».
    for par in re.findall(r"\(([^()]*)\)", norm):
        notes.append(par.strip())
    core = re.sub(r"\s*\([^()]*\)", "", norm).strip()
    # Qualifiers by reference to other documents are kept as a note, not interpreted.
    m = re.search(r"(?:^|,?\s)(в соответствии|согласно)\b", core)
    if m:
        notes.insert(0, core[m.start():].strip(" ,"))
        core = core[: m.start()].strip(" ,")
    # «…, далее ежегодно до 1 января»
    then: Deadline | None = None
    m = re.search(r",?\s*далее\s+(.+)$", core)
    if m:
        then_core = m.group(1)
        core = core[: m.start()].strip(" ,")
        then = _parse_core(then_core, then_core)
    result = _parse_core(original, core) if core else None
    if result is None:
        if then is None:
            raise _Unrecognised("нет срока")
        result = replace(then, text=original)
        then = None
    if then is not None:
        result = replace(result, then=then)
    if notes:
        result = replace(result, note="; ".join(notes))
    return result


def _parse_core(original: str, core: str) -> Deadline:
    core = re.sub(r",\s*(следующего за отчетным)", r" \1", core)
    clauses = _split_clauses(core)
    fields: dict = {}
    kind: DeadlineKind | None = None

    def set_kind(new: DeadlineKind) -> None:
        nonlocal kind
        # A year range only frames a more specific deadline.
        if kind is None or kind is DeadlineKind.YEAR:
            kind = new
        elif new is DeadlineKind.YEAR:
            return
        elif new is DeadlineKind.RELATIVE:
            kind = new  # «IV квартал …, в течение 10 рабочих дней со дня …»: the quarter is the window
        else:
            raise _Unrecognised("два разных срока в одной формулировке")

    i = 0
    while i < len(clauses):
        c = clauses[i]
        if _RE_RELATIVE_START.match(c):
            rest = ", ".join(clauses[i:])
            m = _RE_RELATIVE.match(rest)
            if not m:
                raise _Unrecognised("относительный срок без события, от которого он отсчитывается")
            unit_word = m.group("unit")
            if unit_word.startswith("месяц"):
                unit = TermUnit.MONTHS
            elif unit_word.startswith("недел"):
                unit = TermUnit.WEEKS
            elif (m.group("kind") or "").startswith("рабоч"):
                unit = TermUnit.WORKING_DAYS
            else:
                unit = TermUnit.DAYS
            anchor = _anchor_from_original(original, m.group("anchor"))
            fields["relative"] = RelativeTerm(_number(m.group("n")), unit, anchor, m.group("rel"))
            set_kind(DeadlineKind.RELATIVE)
            break
        _parse_clause(c, fields, set_kind)
        i += 1
    if kind is None:
        raise _Unrecognised("нет срока")
    return Deadline(original, kind, **fields)


def _anchor_from_original(original: str, anchor_norm: str) -> str:
    """The anchor event in the original letter case (found by position from the end)."""
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", original)).strip().rstrip(".;")
    if len(anchor_norm) <= len(flat):
        candidate = flat[-len(anchor_norm):]
        if candidate.lower().replace("ё", "е") == anchor_norm:
            return candidate
    return anchor_norm


def _parse_clause(c: str, fields: dict, set_kind) -> None:  # noqa: ANN001, C901
    m = _RE_YEARS.match(c)
    if m:
        fields["years"] = _years(m)
        set_kind(DeadlineKind.YEAR)
        return
    if _RE_IN_YEAR.match(c):
        set_kind(DeadlineKind.YEAR)
        return
    m = _RE_QUARTER.match(c)
    if m:
        q1 = _ROMAN_IN[m.group("q1")]
        q2 = _ROMAN_IN[m.group("q2")] if m.group("q2") else q1
        if q2 < q1:
            raise _Unrecognised("кварталы указаны в обратном порядке")
        fields["quarters"] = (q1, q2)
        if m.group("y1"):
            fields["years"] = _years(m)
        set_kind(DeadlineKind.QUARTER)
        return
    for prefix, kind in (("в срок до ", DeadlineKind.BEFORE), ("в срок не позднее ", DeadlineKind.BEFORE),
                         ("не позднее ", DeadlineKind.BEFORE), ("до ", DeadlineKind.BEFORE),
                         ("по ", DeadlineKind.BEFORE), ("с ", DeadlineKind.FROM), ("", DeadlineKind.DATE)):
        if not c.startswith(prefix):
            continue
        rest = c[len(prefix):].strip()
        if _date_clause(rest, fields):
            set_kind(kind)
            return
        m = _RE_END_OF_YEAR.match(rest)
        if m and kind is DeadlineKind.BEFORE:
            ys = _years(m)
            if len(ys) == 1:
                fields["on"] = date(ys[0], 12, 31)
            else:
                fields["years"] = ys
                fields["day_month"] = (31, 12)
            set_kind(kind)
            return
    m = _RE_MONTH.match(c)
    if m:
        word = m.group("m")
        fields["month"] = (_MONTHS_NOM.index(word) if word in _MONTHS_NOM else _MONTHS_PREP.index(word)) + 1
        if m.group("y1"):
            fields["years"] = _years(m)
        set_kind(DeadlineKind.MONTH)
        return
    # periodicity, possibly «ежегодно до 1 января» / «ежеквартально до 10 числа месяца, следующего за отчетным»
    word, _, tail = c.partition(" до ")
    for rx, per in _RE_PERIODIC:
        if rx.match(c) or (tail and rx.match(word)):
            fields["periodicity"] = per
            if tail:
                _periodic_tail("до " + tail, fields)
            set_kind(DeadlineKind.PERIODIC)
            return
    m = _RE_AT_LEAST.match(c)
    if m:
        fields["periodicity"] = _PERIODIC_BY_WORD[m.group("p")]
        fields["at_least"] = True
        set_kind(DeadlineKind.PERIODIC)
        return
    if _RE_DUE_DAY.match(c) and fields.get("periodicity"):
        _periodic_tail(c, fields)
        return
    if _RE_AS_NEEDED.match(c):
        set_kind(DeadlineKind.AS_NEEDED)
        return
    raise _Unrecognised(f"не понятно: «{c}»")


def _periodic_tail(tail: str, fields: dict) -> None:
    m = _RE_DUE_DAY.match(tail)
    if m:
        fields["due_day_next_month"] = int(m.group("d"))
        return
    m = _RE_DATE_VERBAL.match(tail[3:].strip())
    if m and not m.group("y1"):
        fields["day_month"] = (int(m.group("d")), _MONTHS_GEN.index(m.group("m")) + 1)
        return
    raise _Unrecognised(f"не понятно: «{tail}»")


def _date_clause(rest: str, fields: dict) -> bool:
    m = _RE_DATE_NUMERIC.match(rest)
    if m:
        try:
            fields["on"] = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError as exc:
            raise _Unrecognised("несуществующая дата") from exc
        return True
    m = _RE_DATE_VERBAL.match(rest)
    if not m:
        return False
    day, month = int(m.group("d")), _MONTHS_GEN.index(m.group("m")) + 1
    years = _years(m) if m.group("y1") else ()
    try:
        if len(years) == 1:
            fields["on"] = date(years[0], month, day)
        else:
            date(2024, month, day)  # validates day/month (leap year allows 29.02)
            fields["day_month"] = (day, month)
            if years:
                fields["years"] = years
    except ValueError as exc:
        raise _Unrecognised("несуществующая дата") from exc
    return True


_RE_FIND = re.compile(
    rf"(?:в срок до|в срок не позднее|не позднее|до)\s+\d{{1,2}}\s+(?:{_GEN})\s+\d{{4}}\s*(?:года|г\.)?"
    rf"|(?:в срок до|до)\s+\d{{1,2}}\.\d{{1,2}}\.\d{{4}}"
    rf"|(?:в течение|не позднее)\s+{_NUM}\s+(?:рабочих\s+|календарных\s+)?(?:дн(?:я|ей|ь)|месяц(?:а|ев)?)"
    r"[\s,]*(?:со дня|с даты|после дня|после|следующих за дн[её]м)\s+[^.;()]+",
    re.IGNORECASE,
)


def find_deadline(text: str) -> Deadline | None:
    """The first deadline phrase inside a longer text (a decision: «В срок до 1 мая 2022 года направить …»).

    Returns None when the text names no deadline the parser knows.
    """
    flat = re.sub(r"\s+", " ", text.replace("ё", "е").replace("Ё", "Е"))
    m = _RE_FIND.search(flat)
    if not m:
        return None
    phrase = m.group(0).strip(" ,")
    # Inside a sentence the anchor runs on into the action («… заседания совета направить в Минтруд …»):
    # cut it before the first infinitive.
    verb = re.search(r"\s\w+(?:ить|ать|ять|еть|уть|ться|тись)\b", phrase[20:])
    if verb:
        phrase = phrase[: 20 + verb.start()].strip(" ,")
    deadline = parse_deadline(phrase)
    return deadline if deadline.is_recognised else None
