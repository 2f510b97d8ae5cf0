"""Exact decimal column types. SQLite has no decimal type and ``Numeric`` silently stores REAL there."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, String
from sqlalchemy.types import TypeDecorator


class Money(TypeDecorator[Decimal]):
    """Money in rubles stored as whole kopecks (BIGINT): exact, and ``SUM`` in SQL stays exact.

    A value with more than two decimals is refused: rounding must be explicit before saving.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        value = Decimal(value)
        kopecks = value * 100
        if kopecks != kopecks.to_integral_value():
            raise ValueError(f"Сумма {value} имеет больше двух знаков после запятой; округлите её явно.")
        return int(kopecks)

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class ExactDecimal(TypeDecorator[Decimal]):
    """Any decimal (indicator values, rates) stored as canonical text: ``0.0855`` stays ``0.0855``.

    Sorting and aggregation happen in Python (``Decimal``), never in SQL on this column.
    """

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        value = Decimal(value)
        if not value.is_finite():
            raise ValueError(f"Недопустимое значение {value}")
        return format(value, "f")

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        return Decimal(value)
