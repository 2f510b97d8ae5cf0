import pytest

from socplan.domain import reference as rules
from socplan.domain.errors import ValidationErrors


@pytest.mark.parametrize("code", ["79", "7960", "abc", ""])
def test_unit_code_must_be_three_digits(code):
    with pytest.raises(ValidationErrors) as info:
        rules.validate_unit(rules.UnitInput(code, "Штука"))
    assert [e.field for e in info.value.errors] == ["code"]
    assert "трёх цифр" in info.value.errors[0].message


def test_valid_unit_passes():
    rules.validate_unit(rules.UnitInput("796", "Штука", "шт."))


def test_organisation_needs_both_names():
    with pytest.raises(ValidationErrors) as info:
        rules.validate_organisation(rules.OrganisationInput(" ", "", "ministry"))
    assert {e.field for e in info.value.errors} == {"full_name", "short_name"}


def test_signature_name_forms():
    assert rules.initials_surname("Варнавская", "Ирина", "Петровна") == "И.П.\u00a0Варнавская"
    assert rules.surname_initials("Варнавская", "Ирина", "Петровна") == "Варнавская\u00a0И.П."
    assert rules.initials_surname("Варнавская", "И.", "П.") == "И.П.\u00a0Варнавская"


def test_initials_surname_of_a_full_name_as_typed_in_the_settings() -> None:
    """One rule for every signature line made from a typed name: «Тестов Тест Тестович» → «Т.Т.\u00a0Тестов»;
    a surname alone is printed as written; spaces around are dropped."""
    from socplan.domain.reference import initials_surname_of

    assert initials_surname_of("Тестов Тест Тестович") == "Т.Т.\u00a0Тестов"
    assert initials_surname_of("  Варнавская  Ирина ") == "И.\u00a0Варнавская"
    assert initials_surname_of("Иванова") == "Иванова"
    assert initials_surname_of("   ") == ""
