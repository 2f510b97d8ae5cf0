"""Numbers in the documented JSON input: JSON numbers, or text written the Russian way."""

import json
from decimal import Decimal

import pytest

from socplan.domain.errors import ValidationErrors
from socplan.io.subsidies_json import parse_round
from socplan.resources import resource_path


def _example() -> dict:
    return json.loads(resource_path("demo", "subsidies", "app12_2025.json").read_text(encoding="utf-8"),
                      parse_float=Decimal)


def test_russian_text_numbers_are_read_exactly():
    data = _example()
    data["applications"][0]["declared_need"] = "1 234 567,89"
    parsed = parse_round(data)
    assert Decimal("1234567.89") in [a.declared_need for a in parsed.app12.applications]


@pytest.mark.parametrize("bad", ["1.234,5", "сто", "12 34,5"])
def test_ambiguous_or_non_numbers_are_refused_naming_the_field(bad):
    data = _example()
    data["applications"][0]["declared_need"] = bad
    with pytest.raises(ValidationErrors) as info:
        parse_round(data)
    assert f"«{bad}» — не число" in str(info.value)
