"""The safe formula evaluator: syntax, Russian numbers, errors with positions, «не рассчитывается», cycles."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from socplan.domain.formula import Formula, FormulaError, FormulaSet, find_cycle, round_half_up


def test_methodology_formula_with_cyrillic_components_and_percent() -> None:
    f = Formula.parse("В / А × 100 %")
    assert f.names == {"В", "А"}
    assert f.evaluate({"В": D(47), "А": D(73)}).value.quantize(D("0.01")) == D("64.38")


def test_seed_001_row_4_from_rows_1_and_2() -> None:
    """Seed 001: row 4 = стр.2/стр.1*100 gives 64,4 / 13,9 / 19,4 / 66,7 (rounded half-up to 1 place)."""
    f = Formula.parse("стр.2/стр.1*100")
    got = [round_half_up(f.evaluate(refs={"2": D(r2), "1": D(r1)}).value, 1)
           for r1, r2 in ((73, 47), (72, 10), (72, 14), (72, 48))]
    assert got == [D("64.4"), D("13.9"), D("19.4"), D("66.7")]


@pytest.mark.parametrize("text, expected", [
    ("1,5 + 0.5", D("2.0")), ("2 × 3 − 1", D(5)), ("10 ÷ 4", D("2.5")), ("-(2 + 3) * 2", D(-10)),
    ("sum(1; 2; 3)", D(6)), ("сумма(1, 2, 3)", D(6)), ("min(4; 2,5)", D("2.5")), ("макс(4; 7)", D(7)),
    ("round(2,45; 1)", D("2.5")), ("округл(64,35; 1)", D("64.4")), ("abs(-3)", D(3)),
    ("если(2 > 1; 10; 1 / 0)", D(10)), ("if(1 ≥ 2; 1; 0)", D(0)), ("3 ≠ 4", D(1)), ("2 <= 2", D(1)),
])
def test_arithmetic_functions_and_comparisons(text: str, expected: D) -> None:
    assert Formula.parse(text).evaluate().value == expected


def test_component_defined_by_its_own_formula() -> None:
    """Appendix 1 №5: F = E / D × 100 %, D = D1 + D2."""
    fs = FormulaSet(formulas={"F": Formula.parse("E / D × 100 %"), "D": Formula.parse("D1 + D2")},
                    values={"E": D(3400), "D1": D(15000), "D2": D(5000)})
    assert fs.value("F").value == D(17)


def test_division_by_zero_and_missing_component_are_not_computable_never_zero() -> None:
    zero = Formula.parse("В / А × 100").evaluate({"В": D(5), "А": D(0)})
    assert zero.value is None and "деление на ноль" in zero.reason and "А" in zero.reason
    assert zero.text().startswith("не рассчитывается")
    missing = Formula.parse("В / А").evaluate({"В": D(5)})
    assert missing.value is None and missing.reason == "нет значения компонента «А»"


@pytest.mark.parametrize("text, position, fragment", [
    ("В / (А × 100", 12, "закрывающая скобка"),
    ("В + * 2", 4, "встретилось «*»"),
    ("2 $ 3", 2, "недопустимый символ «$»"),
    ("foo(1)", 0, "неизвестная функция"),
    ("(1 + 2))", 7, "лишняя закрывающая скобка"),
    ("[1.1", 0, "не закрыта квадратная скобка"),
    ("", 0, "формула пуста"),
])
def test_parse_errors_point_at_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as info:
        Formula.parse(text)
    assert info.value.position == position
    assert fragment in info.value.message
    assert f"в позиции {position + 1}" in info.value.message


def test_references_with_form_year_and_kind() -> None:
    f = Formula.parse("[НОК:2@2024:план] + [2@-1] + стр.1.1")
    refs = [str(r) for r in f.refs]
    assert refs == ["[НОК:2@2024:план]", "[2@-1]", "[1.1]"]


def test_cycles_are_reported_not_followed() -> None:
    fs = FormulaSet(formulas={"4": Formula.parse("[5] + 1"), "5": Formula.parse("[4] * 2")})
    result = fs.value("4")
    assert result.value is None and result.reason == "циклическая ссылка: 4 → 5 → 4"
    selfref = FormulaSet(formulas={"4": Formula.parse("стр.4 + 1")}).value("4")
    assert selfref.value is None and "4 → 4" in selfref.reason
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_eval_even_for_python_looking_input() -> None:
    with pytest.raises(FormulaError):
        Formula.parse("__import__('os').system('echo')")
