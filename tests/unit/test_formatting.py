from decimal import Decimal

import pytest

from socplan.domain.errors import ValidationError
from socplan.formatting import (NBSP, format_date, format_date_verbal, format_money, format_number,
                                format_percent, parse_date, parse_number)
import datetime as dt


def test_money_is_grouped_with_nbsp_and_comma():
    assert format_money(Decimal("128622499874.82")) == f"128{NBSP}622{NBSP}499{NBSP}874,82"
    assert format_money(Decimal("5")) == "5,00"


def test_number_keeps_its_own_decimals_unless_told():
    assert format_number(Decimal("0.0855")) == "0,0855"
    assert format_number(Decimal("64.44"), 1) == "64,4"
    assert format_number(Decimal("2.25"), 1) == "2,3"  # half-up, not banker's


def test_percent_and_dates():
    assert format_percent(Decimal("64.4")) == f"64,4{NBSP}%"
    assert format_date(dt.date(2023, 10, 28)) == "28.10.2023"
    assert format_date_verbal(dt.date(2021, 6, 30), year_word="года") == "30 июня 2021 года"
    assert format_date_verbal(dt.date(2016, 6, 5)) == "5 июня 2016 г."


@pytest.mark.parametrize("text, expected", [
    ("1 234,5", Decimal("1234.5")),
    ("1\u00a0234,5", Decimal("1234.5")),
    ("-0,0855", Decimal("-0.0855")),
    ("12", Decimal("12")),
    ("0.5", Decimal("0.5")),
    ("  ", None),
])
def test_parse_russian_numbers(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["1.234,5", "abc", "1,2,3", "12 34,5", "1..2"])
def test_parse_refuses_ambiguous_or_non_numbers_in_russian(text):
    with pytest.raises(ValidationError) as info:
        parse_number(text, field="fact")
    assert info.value.field == "fact"
    assert "числ" in info.value.message


def test_parse_date_message_says_the_format():
    assert parse_date("28.10.2023") == dt.date(2023, 10, 28)
    with pytest.raises(ValidationError, match="ДД.ММ.ГГГГ"):
        parse_date("2023-10-28")


def test_numbers_are_written_as_babel_writes_them_for_ru_RU():
    """The window's first numbers must not wait for babel's locale data (≈0,1 s to unpickle at start-up), so
    ``format_number`` writes them itself — exactly as babel's ``ru_RU`` does: NBSP between thousands, a comma,
    a hyphen-minus, «-0,00» kept. Checked against babel over signs, sizes and every number of decimals."""
    import random

    from babel.numbers import format_decimal

    rng = random.Random(19)
    values = [Decimal("-0.00"), Decimal("-0"), Decimal("0"), Decimal("1E+3"), Decimal("999.995"), Decimal("-999.5"),
              Decimal("123456789012345678901234.5"), Decimal("0.0855"), Decimal("-0.001")]
    values += [Decimal(rng.randint(-10**15, 10**15)).scaleb(-rng.randint(0, 6)) for _ in range(400)]
    for value in values:
        for decimals in (None, 0, 1, 2, 4):
            shown = format_number(value, decimals)
            exponent = value.as_tuple().exponent
            places = decimals if decimals is not None else max(0, -exponent)
            quantized = value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
            pattern = "#,##0" + ("." + "0" * places if places else "")
            assert shown == format_decimal(quantized, format=pattern, locale="ru_RU", decimal_quantization=True), value
    assert format_number(Decimal("-1234567.891"), 2) == f"-1{NBSP}234{NBSP}567,89"
