"""Indicator rules: periods, achievement and its status, deviation comments, consolidation, value checks.

Pure Python (standard library only). Values are ``Decimal``; rounding is half-up to the indicator's decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Callable, Iterable, Mapping, Sequence

from socplan.domain.formula import (Formula, FormulaError, FormulaSet, FormulaValue, Reference, find_cycle,
                                    parse_cached,
                                    round_half_up)

HUNDRED = Decimal(100)


class Direction(str, Enum):
    """Appendix 1, column 4: «Тип показателя (возрастающий / убывающий)»."""

    INCREASING = "increasing"
    DECREASING = "decreasing"

    @property
    def label(self) -> str:
        return {"increasing": "возрастающий", "decreasing": "убывающий"}[self.value]

    @classmethod
    def from_text(cls, text: str) -> Direction:
        return cls.DECREASING if text.strip().casefold().startswith("убыв") else cls.INCREASING


class Consolidation(str, Enum):
    """How region values are built from districts' values."""

    SUM = "sum"  # counts: the sum over districts
    RECOMPUTE = "recompute"  # shares/ratios: the formula over components summed over districts
    NONE = "none"  # not consolidated (entered for the region itself)

    @property
    def label(self) -> str:
        return {"sum": "сумма по территориям", "recompute": "пересчёт по сумме компонентов",
                "none": "не консолидируется"}[self.value]


class Status(str, Enum):
    HIGH = "high"
    SATISFACTORY = "satisfactory"
    LOW = "low"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"high": "высокий", "satisfactory": "удовлетворительный", "low": "низкий",
                "unknown": "не определён"}[self.value]


class FormState(str, Enum):
    """State of a form for one territory and period: черновик → представлено → принято | возвращено на
    доработку → представлено → принято → закрыто."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"draft": "черновик", "submitted": "представлено", "returned": "возвращено на доработку",
                "accepted": "принято", "closed": "закрыто"}[self.value]

    @property
    def locked(self) -> bool:
        """Accepted data is locked: a change needs the form reopened."""
        return self in (FormState.ACCEPTED, FormState.CLOSED)


#: allowed transitions (from, to) -> action name
TRANSITIONS = {
    (FormState.DRAFT, FormState.SUBMITTED): "представить",
    (FormState.RETURNED, FormState.SUBMITTED): "представить",
    (FormState.SUBMITTED, FormState.ACCEPTED): "принять",
    (FormState.SUBMITTED, FormState.RETURNED): "вернуть на доработку",
    (FormState.SUBMITTED, FormState.DRAFT): "вернуть на доработку",
    (FormState.ACCEPTED, FormState.CLOSED): "закрыть",
    (FormState.ACCEPTED, FormState.DRAFT): "снять отметку «принято»",
    (FormState.CLOSED, FormState.DRAFT): "открыть для исправления",
}


def transition_allowed(old: FormState, new: FormState) -> bool:
    return (old, new) in TRANSITIONS


# ------------------------------------------------------------------ periods

ROMAN = ("I", "II", "III", "IV")
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь")


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: a year, a quarter (1–4) or a month (1–12) of a year."""

    year: int
    kind: str = "year"  # year | quarter | month
    number: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("year", "quarter", "month"):
            raise ValueError(f"Неизвестный вид периода «{self.kind}»")
        limit = {"year": 0, "quarter": 4, "month": 12}[self.kind]
        if self.kind == "year" and self.number != 0 or self.kind != "year" and not 1 <= self.number <= limit:
            raise ValueError(f"Неверный номер периода {self.number} для «{self.kind}»")
        if not 1900 <= self.year <= 2200:
            raise ValueError(f"Неверный год {self.year}")

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year} год"
        if self.kind == "quarter":
            return f"{ROMAN[self.number - 1]} квартал {self.year} г."
        return f"{MONTHS[self.number - 1]} {self.year} г."

    @property
    def code(self) -> str:
        """``2025``, ``2025-Q1``, ``2025-M03`` (used in files and on the command line)."""
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}-Q{self.number}"
        return f"{self.year}-M{self.number:02d}"

    @classmethod
    def parse(cls, text: str) -> Period:
        raw = text.strip().upper().replace("К", "Q").replace("М", "M")
        try:
            if raw.isdigit():
                return cls(int(raw))
            year, _, rest = raw.partition("-")
            if rest.startswith("Q"):
                return cls(int(year), "quarter", int(rest[1:]))
            if rest.startswith("M"):
                return cls(int(year), "month", int(rest[1:]))
        except ValueError:
            pass
        raise ValueError(f"«{text}» — непонятный период. Укажите год (2025), квартал (2025-Q1) или месяц (2025-M03).")

    def shifted(self, years: int) -> Period:
        return Period(self.year + years, self.kind, self.number)


# ------------------------------------------------------------------ achievement

@dataclass(frozen=True)
class Thresholds:
    """Status thresholds in percent: high ≥ ``high``; satisfactory ≥ ``satisfactory``; otherwise low."""

    high: Decimal = Decimal(100)
    satisfactory: Decimal = Decimal(90)

    def __post_init__(self) -> None:
        if self.satisfactory > self.high:
            raise ValueError("Порог «удовлетворительно» не может быть выше порога «высокий».")


@dataclass(frozen=True)
class Achievement:
    percent: Decimal | None
    status: Status
    note: str = ""


def achievement(plan: Decimal | None, fact: Decimal | None, direction: Direction,
                thresholds: Thresholds = Thresholds(), decimals: int = 1) -> Achievement:
    """Degree of achievement: fact / plan × 100 for increasing, plan / fact × 100 for decreasing indicators.

    Zero is handled explicitly: both 0 → 100 % (the plan is met); a zero divisor otherwise gives no
    percentage, and the status says whether the fact is on the good side of the plan.
    """
    if plan is None or fact is None:
        missing = "плановое" if plan is None else "фактическое"
        return Achievement(None, Status.UNKNOWN, f"нет значения: {missing}")
    if plan == 0 and fact == 0:
        return Achievement(Decimal(100).quantize(Decimal(1).scaleb(-decimals)), Status.HIGH,
                           "план и факт равны 0")
    if direction is Direction.INCREASING:
        if plan == 0:
            better = fact > 0
            return Achievement(None, Status.HIGH if better else Status.LOW,
                               "плановое значение равно 0: процент не рассчитывается"
                               + ("; факт выше плана" if better else "; факт ниже плана"))
        percent = fact / plan * HUNDRED
    else:
        if fact == 0:
            better = plan > 0
            return Achievement(None, Status.HIGH if better else Status.LOW,
                               "фактическое значение равно 0: процент не рассчитывается"
                               + ("; факт лучше плана" if better else "; факт хуже плана"))
        percent = plan / fact * HUNDRED
    if percent < 0:
        return Achievement(None, Status.UNKNOWN, "план и факт разных знаков: процент не рассчитывается")
    percent = round_half_up(percent, decimals)
    return Achievement(percent, status_of(percent, thresholds))


def status_of(percent: Decimal, thresholds: Thresholds = Thresholds()) -> Status:
    """Status by the achievement percent: high ≥ 100 %, satisfactory 90–100 %, low < 90 % (configurable)."""
    if percent >= thresholds.high:
        return Status.HIGH
    if percent >= thresholds.satisfactory:
        return Status.SATISFACTORY
    return Status.LOW


def deviation(plan: Decimal | None, fact: Decimal | None) -> Decimal | None:
    """Deviation of the fact from the plan (fact − plan)."""
    if plan is None or fact is None:
        return None
    return fact - plan


def deviation_percent(plan: Decimal | None, fact: Decimal | None) -> Decimal | None:
    """|fact − plan| / |plan| × 100; None when the plan is 0 or missing."""
    if plan is None or fact is None or plan == 0:
        return None
    return abs(fact - plan) / abs(plan) * HUNDRED


DEFAULT_COMMENT_THRESHOLD = Decimal(10)


def comment_required(plan: Decimal | None, fact: Decimal | None,
                     threshold: Decimal = DEFAULT_COMMENT_THRESHOLD) -> bool:
    """A deviation reason is required when the fact deviates from the plan by more than ``threshold`` %
    (a plan of 0 with a non-zero fact always needs one)."""
    if plan is None or fact is None:
        return False
    if plan == 0:
        return fact != 0
    pct = deviation_percent(plan, fact)
    return pct is not None and pct > threshold


# ------------------------------------------------------------------ value checks

@dataclass(frozen=True)
class ValueLimits:
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    integer: bool = False


def limits_for_unit(unit_code: str, unit_name: str = "") -> ValueLimits:
    """Counts (persons, units, families) are non-negative integers; percentages lie within 0–100."""
    name = unit_name.casefold()
    if unit_code == "744" or name.startswith("процент") or name == "%":
        return ValueLimits(Decimal(0), HUNDRED)
    if unit_code in ("792", "642", "796") or name.startswith(("человек", "единиц", "семей", "мест", "штук")):
        return ValueLimits(Decimal(0), None, integer=True)
    return ValueLimits(Decimal(0), None)


def check_value(value: Decimal, limits: ValueLimits, what: str = "Значение") -> str:
    """Empty string if the value fits the unit; otherwise the Russian reason."""
    if limits.minimum is not None and value < limits.minimum:
        return f"{what} не может быть отрицательным: {_plain(value)}."
    if limits.maximum is not None and value > limits.maximum:
        return f"{what} в процентах не может быть больше {_plain(limits.maximum)}: введено {_plain(value)}."
    if limits.integer and value != value.to_integral_value():
        return f"{what} — количество, оно должно быть целым: введено {_plain(value)}."
    return ""


def _plain(value: Decimal) -> str:
    return format(value, "f").replace(".", ",")


# ------------------------------------------------------------------ consolidation

@dataclass(frozen=True)
class TerritoryInputs:
    """What one district reported for one indicator and period: its value and its components' values."""

    value: Decimal | None = None
    components: Mapping[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Consolidated:
    value: Decimal | None
    reason: str = ""
    missing: tuple[str, ...] = ()
    reported: int = 0
    components: Mapping[str, Decimal] = field(default_factory=dict)


def consolidate(rule: Consolidation, inputs: Mapping[str, TerritoryInputs], expected: Sequence[str],
                formula: Formula | None = None, decimals: int | None = None,
                component_formulas: Mapping[str, Formula] | None = None) -> Consolidated:
    """Region value from districts' values by the indicator's rule (never an average of percentages).

    SUM: Σ values of the districts that reported. RECOMPUTE: each component summed over districts, then
    the methodology formula applied to the sums. ``missing`` lists districts that reported nothing usable.
    """
    if rule is Consolidation.NONE:
        return Consolidated(None, "показатель не консолидируется по территориям", ())
    if rule is Consolidation.SUM:
        missing = tuple(t for t in expected if inputs.get(t) is None or inputs[t].value is None)
        values = [inputs[t].value for t in expected if t not in missing]
        return summed(sum(values, Decimal(0)) if values else None, len(values), missing)  # type: ignore[arg-type]
    if formula is None:
        return Consolidated(None, "у показателя нет формулы для пересчёта", ())
    entered = set(formula.names) - set(component_formulas or {})
    for f in (component_formulas or {}).values():
        entered |= set(f.names)
    entered -= set(component_formulas or {})
    missing_list = []
    sums: dict[str, Decimal] = {name: Decimal(0) for name in entered}
    reported = 0
    for t in expected:
        comp = inputs.get(t)
        if comp is None or any(comp.components.get(name) is None for name in entered):
            missing_list.append(t)
            continue
        reported += 1
        for name in entered:
            sums[name] += comp.components[name]  # type: ignore[operator]
    if not reported:
        return Consolidated(None, "ни одна территория не представила компоненты", tuple(missing_list))
    fs = FormulaSet(formulas=dict(component_formulas or {}), values=dict(sums))
    fs.formulas["__value__"] = formula
    result: FormulaValue = fs.value("__value__")
    value = result.value
    if value is not None and decimals is not None:
        value = round_half_up(value, decimals)
    return Consolidated(value, result.reason, tuple(missing_list), reported, sums)


def summed(total: Decimal | None, reported: int, missing: tuple[str, ...]) -> Consolidated:
    """The SUM rule's result from the total over the ``reported`` districts (``None`` when none reported);
    ``missing`` lists the districts without a value, in the order of the expected list."""
    if not reported or total is None:
        return Consolidated(None, "ни одна территория не представила значение", missing)
    return Consolidated(total, "", missing, reported)


def sum_of(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# ------------------------------------------------------------------ computing a sheet (one territory, one period)

@dataclass(frozen=True)
class IndicatorDef:
    """What the calculation needs to know about an indicator."""

    code: str
    formula: str = ""
    components: Mapping[str, str] = field(default_factory=dict)  # symbol -> own formula ("" if entered)
    decimals: int = 1
    plan_mode: str = "entered"  # entered | computed

    @property
    def computed(self) -> bool:
        return bool(self.formula)

    def computes(self, kind: str) -> bool:
        """Whether the value of this kind is calculated (fact always when there is a formula; plan only
        when the plan is computed too, e.g. «стр.2/стр.1*100»)."""
        return self.computed and (kind == "fact" or self.plan_mode == "computed")


def component_key(code: str, symbol: str) -> str:
    return f"{code}|{symbol}"


def compute_sheet(defs: Sequence[IndicatorDef], entered: Mapping[tuple[str, str, str], Decimal | None],
                  kinds: Sequence[str] = ("plan", "fact"),
                  outside: Callable[[Reference, str], Decimal | None] | None = None,
                  ) -> dict[tuple[str, str, str], FormulaValue]:
    """Values of every indicator and component for each kind: entered ones as they are, computed ones by
    their methodology (Appendix 1 of seed 003; seed 001 «стр.2/стр.1*100»), rounded half-up to the
    indicator's decimals. Keys are (indicator code, component symbol or "", kind)."""
    result: dict[tuple[str, str, str], FormulaValue] = {}
    parsed: dict[str, Formula] = {}
    comp_parsed: dict[str, dict[str, Formula]] = {}
    errors: dict[str, str] = {}
    for d in defs:
        try:
            if d.formula:
                parsed[d.code] = parse_cached(d.formula)
            comp_parsed[d.code] = {s: parse_cached(f) for s, f in d.components.items() if f}
        except FormulaError as exc:
            errors[d.code] = f"ошибка в формуле: {exc.reason}"
    by_code = {d.code: d for d in defs}
    for kind in kinds:
        formulas: dict[str, Formula] = {}
        values: dict[str, Decimal | None] = {}
        for d in defs:
            for symbol in d.components:
                key = component_key(d.code, symbol)
                if symbol in comp_parsed.get(d.code, {}):
                    formulas[key] = _namespaced(comp_parsed[d.code][symbol], d.code)
                else:
                    values[key] = entered.get((d.code, symbol, kind))
            if d.code in parsed and d.computes(kind):
                formulas[d.code] = _namespaced(parsed[d.code], d.code)
            else:
                values[d.code] = entered.get((d.code, "", kind))

        def fallback(ref: Reference, _kind: str = kind) -> Decimal | None:
            if outside is None:
                return None
            return outside(ref, _kind)

        fs = FormulaSet(formulas=formulas, values=values, ref_fallback=fallback)
        for d in defs:
            for symbol in d.components:
                key = component_key(d.code, symbol)
                if key in formulas:
                    result[(d.code, symbol, kind)] = fs.value(key)
                else:
                    result[(d.code, symbol, kind)] = FormulaValue(values[key], "" if values[key] is not None else "нет значения")
            if d.code in errors and d.computes(kind):
                result[(d.code, "", kind)] = FormulaValue(None, errors[d.code])
            elif d.code in formulas:
                fv = fs.value(d.code)
                if fv.value is not None:
                    fv = FormulaValue(round_half_up(fv.value, by_code[d.code].decimals))
                result[(d.code, "", kind)] = fv
            else:
                v = values[d.code]
                result[(d.code, "", kind)] = FormulaValue(v, "" if v is not None else "нет значения")
    return result


def _namespaced(formula: Formula, code: str) -> Formula:
    """Component names of an indicator's formula live in its own namespace («4|В»)."""
    return _PrefixedFormula(formula, code)  # type: ignore[return-value]


class _PrefixedFormula:
    def __init__(self, formula: Formula, code: str) -> None:
        self.formula, self.code = formula, code
        self.names, self.refs = formula.names, formula.refs

    def evaluate(self, names, refs):  # noqa: ANN001, ANN201
        code = self.code

        def resolve(name: str):  # noqa: ANN202
            return names(component_key(code, name))
        return self.formula.evaluate(resolve, refs)


def validate_formula(code: str, formula: str, component_symbols: Iterable[str],
                     other_formulas: Mapping[str, str]) -> str:
    """Empty string when the formula is usable; otherwise the Russian reason (parse error with position,
    unknown component, a reference cycle such as a formula referring to itself)."""
    if not formula.strip():
        return ""
    try:
        parsed = Formula.parse(formula)
    except FormulaError as exc:
        return exc.message
    unknown = sorted(set(parsed.names) - set(component_symbols))
    if unknown:
        return ("В формуле есть компоненты, которых нет в методике: " + ", ".join(f"«{u}»" for u in unknown)
                + ". Добавьте их в список компонентов или исправьте формулу.")
    graph: dict[str, set[str]] = {}
    for other, text in other_formulas.items():
        if other == code or not text.strip():
            continue
        try:
            graph[other] = {r.key() for r in Formula.parse(text).refs if r.year is None and not r.year_offset}
        except FormulaError:
            continue
    graph[code] = {r.key() for r in parsed.refs if r.year is None and not r.year_offset}
    for node in list(graph):
        for dep in graph[node]:
            graph.setdefault(dep, set())
    cycle = find_cycle(graph)
    if cycle and code in cycle:
        if cycle[0] == cycle[-1] and len(cycle) == 2:
            return f"Формула показателя {code} ссылается сама на себя. Уберите ссылку [{code}]."
        return "Формулы показателей ссылаются друг на друга по кругу: " + " → ".join(cycle) + ". Разорвите цикл."
    return ""
