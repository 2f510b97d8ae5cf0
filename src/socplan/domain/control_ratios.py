"""Control ratios («контрольные соотношения»): ``left op right`` with a tolerance and a severity.

The shared vocabulary every capability uses to report violations (indicators, programme financing,
plan events' financing). The indicators capability builds the rule engine on top of it.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum


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
