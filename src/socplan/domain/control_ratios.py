"""Control ratios («контрольные соотношения»): ``left op right`` with a tolerance and a severity.

The shared vocabulary every capability uses to report violations (indicators, programme financing,
plan events' financing). The indicators capability builds the rule engine on top of it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Callable, Mapping, Sequence

from socplan.domain.formula import Formula, FormulaError, Reference


class Severity(str, Enum):
    ERROR = "ошибка"
    WARNING = "предупреждение"


class Op(str, Enum):
    EQ = "="
    NE = "≠"
    LT = "<"
    LE = "≤"
    GT = ">"
    GE = "≥"


_OPS = {Op.EQ: operator.eq, Op.NE: operator.ne, Op.LT: operator.lt, Op.LE: operator.le,
        Op.GT: operator.gt, Op.GE: operator.ge}


def ratio_holds(left: Decimal, op: Op, right: Decimal, tolerance: Decimal = Decimal(0)) -> bool:
    """Rule «контрольное соотношение»: ``left op right`` within ``tolerance`` (|left − right| ≤ tolerance counts as equal)."""
    diff = left - right
    if op is Op.EQ:
        return abs(diff) <= tolerance
    if op is Op.NE:
        return abs(diff) > tolerance
    if op in (Op.LE, Op.GE):
        return _OPS[op](left, right) or abs(diff) <= tolerance
    return _OPS[op](left, right) and abs(diff) > tolerance


@dataclass(frozen=True)
class Violation:
    """One broken control ratio, with the values on both sides, ready to print."""

    rule_code: str
    rule_text: str  # «стр. 1 = стр. 1.1 + стр. 1.2»
    severity: Severity
    where: str  # «Форма …, Омская область, 2025 год» / «План …, мероприятие 2.1»
    left: Decimal | None
    op: Op
    right: Decimal | None
    message: str = ""


# ------------------------------------------------------------------ rule definitions and evaluation
# (indicators capability: rules over values of one form, or of several forms and periods)

_OP_WORDS = {"=": Op.EQ, "==": Op.EQ, "≠": Op.NE, "!=": Op.NE, "<>": Op.NE, "<": Op.LT, "≤": Op.LE,
             "<=": Op.LE, ">": Op.GT, "≥": Op.GE, ">=": Op.GE}


def parse_op(text: str) -> Op:
    try:
        return _OP_WORDS[text.strip()]
    except KeyError:
        raise ValueError(f"Неизвестный знак сравнения «{text}»: допустимы =, ≠, <, ≤, >, ≥") from None


@dataclass(frozen=True)
class ControlRule:
    """«Контрольное соотношение» ``left op right`` over indicator references (``[1] = [1.1] + [1.2]``).

    Sides are formulas of :mod:`socplan.domain.formula`; references may name another form
    (``[НОК:2]``) or period (``[2@-1]``), so one rule can span several forms and periods.
    """

    code: str
    left: str
    op: Op
    right: str
    severity: Severity = Severity.ERROR
    tolerance: Decimal = Decimal(0)
    title: str = ""
    #: when set, a value must be present on both sides (a missing value is itself a violation)
    require_values: bool = False

    @property
    def text(self) -> str:
        return f"{self.left} {self.op.value} {self.right}"

    def parsed(self) -> tuple[Formula, Formula]:
        return Formula.parse(self.left), Formula.parse(self.right)

    def references(self) -> list[Reference]:
        left, right = self.parsed()
        return list(left.refs) + list(right.refs)


def validate_rule(rule: ControlRule) -> list[str]:
    """Russian problems of a rule definition (empty when it is fine)."""
    problems = []
    for side, text in (("левая часть", rule.left), ("правая часть", rule.right)):
        try:
            Formula.parse(text)
        except FormulaError as exc:
            problems.append(f"Соотношение {rule.code}, {side}: {exc.message}")
    if rule.tolerance < 0:
        problems.append(f"Соотношение {rule.code}: допуск не может быть отрицательным.")
    return problems


RefResolver = Callable[[Reference], "Decimal | None"]


def evaluate_rule(rule: ControlRule, resolve: RefResolver, where: str,
                  names: Mapping[str, Decimal | None] | None = None) -> Violation | None:
    """Check one rule in one context (form, territory, period). ``None`` when it holds or has no data."""
    left_f, right_f = rule.parsed()
    left = left_f.evaluate(names or {}, resolve)
    right = right_f.evaluate(names or {}, resolve)
    if left.value is None or right.value is None:
        if not rule.require_values:
            return None
        reason = left.reason if left.value is None else right.reason
        return Violation(rule.code, rule.title or rule.text, rule.severity, where, left.value, rule.op, right.value,
                         f"не рассчитывается: {reason}")
    if ratio_holds(left.value, rule.op, right.value, rule.tolerance):
        return None
    return Violation(rule.code, rule.title or rule.text, rule.severity, where, left.value, rule.op, right.value,
                     _difference(left.value, right.value))


def _difference(left: Decimal, right: Decimal) -> str:
    diff = left - right
    return f"расхождение {format(diff, 'f').replace('.', ',')}"


def sum_rule(code: str, total: str, parts: Sequence[str], *, severity: Severity = Severity.ERROR,
             tolerance: Decimal = Decimal(0), title: str = "") -> ControlRule:
    """«Итог равен сумме слагаемых»: ``[total] = [p1] + [p2] + …`` (seed 001: стр. 1 = стр. 1.1 + стр. 1.2)."""
    right = " + ".join(f"[{p}]" for p in parts)
    return ControlRule(code, f"[{total}]", Op.EQ, right, severity, tolerance,
                       title or f"стр. {total} = " + " + ".join(f"стр. {p}" for p in parts))


def range_rules(code: str, ref: str, low: Decimal = Decimal(0), high: Decimal = Decimal(100),
                *, severity: Severity = Severity.ERROR, title: str = "") -> list[ControlRule]:
    """A share lies between ``low`` and ``high``: two rules ``[ref] ≥ low`` and ``[ref] ≤ high``."""
    label = title or f"доля стр. {ref} от {low} до {high} %"
    return [ControlRule(f"{code}.min", f"[{ref}]", Op.GE, format(low, "f"), severity, title=label),
            ControlRule(f"{code}.max", f"[{ref}]", Op.LE, format(high, "f"), severity, title=label)]


def check_rules(rules: Sequence[ControlRule], resolve: RefResolver, where: str) -> list[Violation]:
    """Every violation of ``rules`` in one context."""
    found = []
    for rule in rules:
        violation = evaluate_rule(rule, resolve, where)
        if violation is not None:
            found.append(violation)
    return found


@dataclass(frozen=True)
class TableRow:
    """A row of a money table: code («1.1.1»), name, the printed «Всего» and the values by column (year)."""

    code: str
    name: str
    total: Decimal | None
    values: Mapping[int, Decimal]
    parent: str = ""


def check_total_table(rows: Sequence[TableRow], where: str, *, rule_prefix: str = "fin",
                      severity: Severity = Severity.ERROR) -> list[Violation]:
    """Financing table ratios: «Всего» = Σ years for every row; a parent = Σ its children per column
    (a source breakdown equals its total)."""
    found: list[Violation] = []
    for row in rows:
        if row.total is not None and row.values:
            years = sum(row.values.values(), Decimal(0))
            if not ratio_holds(row.total, Op.EQ, years):
                found.append(Violation(f"{rule_prefix}.всего", f"стр. {row.code}: «Всего» = сумма по годам", severity,
                                       where, row.total, Op.EQ, years, _difference(row.total, years)))
    children: dict[str, list[TableRow]] = {}
    for row in rows:
        if row.parent:
            children.setdefault(row.parent, []).append(row)
    by_code = {row.code: row for row in rows}
    for parent_code, kids in children.items():
        parent = by_code.get(parent_code)
        if parent is None:
            continue
        columns: list[int | None] = [None] + sorted({y for r in [parent, *kids] for y in r.values})
        for column in columns:
            if column is None:
                left = parent.total
                parts = [k.total for k in kids]
                label = "Всего"
            else:
                left = parent.values.get(column)
                parts = [k.values.get(column) for k in kids]
                label = f"{column} год"
            if left is None or any(p is None for p in parts):
                continue
            right = sum(parts, Decimal(0))  # type: ignore[arg-type]
            if not ratio_holds(left, Op.EQ, right):
                text = f"стр. {parent_code} = " + " + ".join(f"стр. {k.code}" for k in kids) + f" ({label})"
                found.append(Violation(f"{rule_prefix}.{parent_code}", text, severity, where, left, Op.EQ, right,
                                       _difference(left, right)))
    return found
