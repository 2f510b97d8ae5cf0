"""Plain values of wire records: how each column of a kind is written to a package and read back, with the checks
a received value must pass (exact decimals as fixed-point text, dates ISO, texts within a limit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Protocol

from sqlalchemy import Date, DateTime

from socplan.db.types import ExactDecimal, Money
from socplan.domain.value_ranges import range_problem

if TYPE_CHECKING:
    from sqlalchemy import Table


class Kind(Protocol):
    """What the converters need of a kind of record (:class:`socplan.services.exchange.kinds.Kind`)."""

    columns: tuple[str, ...]

    @property
    def table(self) -> Table: ...


class RecordProblem(Exception):
    """A record that cannot be applied (unknown reference, bad value); the text is Russian."""


def converters(kind: Kind) -> dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
    """column -> (to_wire, from_wire); worked out once per kind."""
    cached = kind.__dict__.get("_converters")
    if cached is None:
        cached = kind.__dict__["_converters"] = _converters(kind)
    return cached


def _converters(kind: Kind) -> dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]]:
    result = {}
    for name in kind.columns:
        col_type = kind.table.c[name].type
        if isinstance(col_type, (ExactDecimal, Money)):
            result[name] = (lambda v: None if v is None else decimal_wire(v), _to_decimal)
        elif isinstance(col_type, DateTime):
            result[name] = (lambda v: None if v is None else v.isoformat(), _to_datetime)
        elif isinstance(col_type, Date):
            result[name] = (lambda v: None if v is None else v.isoformat(), _to_date)
        else:
            try:
                python_type = col_type.python_type
            except NotImplementedError:
                python_type = str
            result[name] = (_same, _plain_checker(python_type, name))
    return result


def _same(v: Any) -> Any:
    return v


def decimal_wire(v: Decimal) -> str:
    """A number on the wire: fixed-point text, ``format(v, "f")`` («90.10», «-0.0855», «1000000»). ``str`` gives the
    same text whenever it has no exponent, several times faster; only then is ``format`` needed."""
    text = str(v)
    return text if "E" not in text else format(v, "f")


def _to_decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    if not isinstance(v, str):
        raise RecordProblem(f"число записано неверно: {v!r}")
    return _decimal_cached(v) if len(v) <= 40 else _decimal_text(v)


def _decimal_text(v: str) -> Decimal:
    try:
        d = Decimal(v)
    except InvalidOperation as exc:
        raise RecordProblem(f"«{v}» не является числом") from exc
    if not d.is_finite():
        raise RecordProblem(f"«{v}» не является числом")
    problem = range_problem(d, "number", negative=True)
    if problem:
        raise RecordProblem(problem)
    return d


#: A package repeats the same figures many times: each short text is checked once (a Decimal is immutable, so the
#: checked value is shared); a refused text raises each time (exceptions are not cached).
_decimal_cached = lru_cache(maxsize=8192)(_decimal_text)


def _to_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(v)
    except (TypeError, ValueError) as exc:
        raise RecordProblem(f"неверная дата «{v}»") from exc


def _to_datetime(v: Any) -> dt.datetime | None:
    if v is None:
        return None
    try:
        return dt.datetime.fromisoformat(v)
    except (TypeError, ValueError) as exc:
        raise RecordProblem(f"неверные дата и время «{v}»") from exc


TEXT_LIMIT = 100_000  # characters of one text field of a record


def _plain_checker(python_type: type, name: str) -> Callable[[Any], Any]:
    if python_type is not bool and python_type is not int:
        def check_text(v: Any) -> Any:  # the usual case first: a text within the limit
            if type(v) is str and len(v) <= TEXT_LIMIT:
                return v
            return check(v)
    def check(v: Any) -> Any:
        if v is None:
            return None
        if python_type is bool:
            if isinstance(v, bool):
                return v
        elif python_type is int:
            if isinstance(v, int) and not isinstance(v, bool):
                return v
        elif isinstance(v, str):
            if len(v) > TEXT_LIMIT:
                raise RecordProblem(f"поле «{name}» слишком длинное")
            return v
        raise RecordProblem(f"поле «{name}» записано неверно: {v!r}")
    return check if python_type is bool or python_type is int else check_text
