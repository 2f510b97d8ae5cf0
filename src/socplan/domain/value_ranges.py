"""The range each kind of imported number may take (a value outside it is refused with its row and column).

A file can hold 1e308, «inf» or «NaN»: stored as is, such a value breaks every sum and calculation after it (the
exact-decimal types then raise InvalidOperation far from the cause). Each value that comes in is therefore checked
against what its type allows:

- money: rubles below 10¹⁵ (a thousand trillion — far beyond any regional budget), kopecks at most;
- a percentage: 0–100 (or a plain bound given by the caller);
- a count: a whole number below 10¹²;
- any other number: finite, below 10¹⁵ in absolute value, at most 10 decimal places.
"""

from __future__ import annotations

from decimal import Decimal

MAX_MONEY = Decimal(10) ** 15
MAX_COUNT = Decimal(10) ** 12
MAX_NUMBER = Decimal(10) ** 15
MAX_DECIMALS = 10


def _shown(value: Decimal) -> str:
    if not value.is_finite():
        return {"Infinity": "бесконечность", "-Infinity": "минус бесконечность"}.get(str(value), "не число")
    text = format(value, "f") if abs(value.adjusted()) < 30 else f"{value:E}"
    return text.replace(".", ",")


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def range_problem(value: Decimal, kind: str = "number", *, negative: bool = False,
                  maximum: Decimal | None = None) -> str:
    """Why ``value`` does not fit its kind (money | percent | count | number); empty string if it fits."""
    if not value.is_finite():
        return f"«{_shown(value)}» не является числом"
    if not negative and value < 0:
        return f"значение не может быть отрицательным: {_shown(value)}"
    if kind == "money":
        if abs(value) >= MAX_MONEY:
            return f"сумма {_shown(value)} руб. вне допустимого диапазона (меньше 10¹⁵ руб.)"
        if _decimals(value.normalize()) > 2:
            return f"сумма {_shown(value)} руб. — не больше двух знаков копеек"
    elif kind == "percent":
        top = maximum if maximum is not None else Decimal(100)
        if value > top or value < -top:
            return f"процент {_shown(value)} вне допустимого диапазона (от 0 до {_shown(top)})"
    elif kind == "count":
        if value != value.to_integral_value():
            return f"количество должно быть целым числом: {_shown(value)}"
        if abs(value) >= MAX_COUNT:
            return f"количество {_shown(value)} вне допустимого диапазона (меньше 10¹²)"
    if abs(value) >= MAX_NUMBER:
        return f"число {_shown(value)} вне допустимого диапазона (меньше 10¹⁵)"
    if _decimals(value.normalize()) > MAX_DECIMALS:
        return f"в числе {_shown(value)} больше {MAX_DECIMALS} знаков после запятой"
    return ""
