"""Russian number, money, percent and date formatting and parsing (as babel's ``ru_RU``: NBSP thousands, a comma).

Numbers are written by :func:`socplan.domain.numbers.grouped` rather than through babel: babel's locale data take
≈0,1 s to load, which the window would pay before showing its first number (tests/unit/test_formatting.py checks
the result equals babel's; babel is a test dependency only)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from socplan.domain.errors import ValidationError
from socplan.domain.numbers import NBSP, grouped

MONTHS_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)


def format_number(value: Decimal | int | None, decimals: int | None = None, *, empty: str = "") -> str:
    """``Decimal('128622499874.82')`` → ``'128 622 499 874,82'`` (NBSP as the thousands separator)."""
    if value is None:
        return empty
    value = Decimal(value)
    if decimals is None:
        exponent = value.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # display rounding is half-up too
    return grouped(value, decimals)  # «-1 234,50», «-0,00» as babel


def format_money(value: Decimal | int | None, *, empty: str = "") -> str:
    return format_number(value, 2, empty=empty)


def format_percent(value: Decimal | None, decimals: int = 1, *, empty: str = "") -> str:
    if value is None:
        return empty
    return f"{format_number(value, decimals)}{NBSP}%"


def format_date(value: dt.date | None, *, empty: str = "") -> str:
    """``28.10.2023``."""
    return value.strftime("%d.%m.%Y") if value else empty


def format_date_verbal(value: dt.date | None, *, year_word: str = "г.", empty: str = "") -> str:
    """``5 июня 2016 г.`` (GOST verbal-digital form; ``year_word='года'`` for «30 июня 2021 года»)."""
    if not value:
        return empty
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year} {year_word}".rstrip()


def format_datetime(value: dt.datetime | None, *, empty: str = "") -> str:
    return value.strftime("%d.%m.%Y %H:%M") if value else empty


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_RU_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(?: \d{3})+)(,\d+)?$")


def parse_number(text: str, *, field: str = "") -> Decimal | None:
    """Parse a number typed the Russian way: ``1 234,5``, ``-0,0855``, ``12``; empty text → None.

    A dot is accepted only as the decimal mark of a number without grouping (``0.5`` pasted from
    a program with English settings); ``1.234,5`` is refused, since it is ambiguous.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    grouped = re.sub(r"[\u00a0\u202f\u2009]", " ", raw)
    if "." in grouped:
        if "," in grouped or " " in grouped or grouped.count(".") > 1:
            raise ValidationError(
                field,
                f"«{raw}» — непонятная запись числа. Используйте запятую как десятичный знак "
                "и пробел между разрядами, например: 1 234,5",
            )
        grouped = grouped.replace(".", ",")
    if not _RU_NUMBER.match(grouped):
        raise ValidationError(field, f"«{raw}» — не число. Введите число, например: 1 234,5")
    try:
        return Decimal(_SPACES.sub("", grouped).replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regexes above
        raise ValidationError(field, f"«{raw}» — не число.") from exc


def parse_date(text: str, *, field: str = "") -> dt.date | None:
    raw = (text or "").strip()
    if not raw:
        return None
    try:
        return dt.datetime.strptime(raw, "%d.%m.%Y").date()
    except ValueError as exc:
        raise ValidationError(field, f"«{raw}» — не дата. Введите дату в виде ДД.ММ.ГГГГ, например 28.10.2023") from exc
