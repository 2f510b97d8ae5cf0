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
