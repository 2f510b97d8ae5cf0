"""Achievement, status thresholds, deviation comments, consolidation, value limits, control ratios."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from socplan.domain.control_ratios import (ControlRule, Op, Severity, TableRow, check_total_table, evaluate_rule,
                                           range_rules, sum_rule)
from socplan.domain.formula import Formula
from socplan.domain.indicators import (Consolidation, Direction, Period, Status, TerritoryInputs, Thresholds,
                                       achievement, check_value, comment_required, compute_sheet, consolidate,
                                       IndicatorDef, limits_for_unit, validate_formula)


def test_achievement_increasing_and_decreasing() -> None:
    assert achievement(D(100), D(95), Direction.INCREASING).percent == D("95.0")
    assert achievement(D(100), D(95), Direction.INCREASING).status is Status.SATISFACTORY
    # decreasing: plan / fact × 100 — a lower fact is better
    dec = achievement(D("0.0854"), D("0.0800"), Direction.DECREASING)
    assert dec.percent == D("106.8") and dec.status is Status.HIGH
    assert achievement(D(100), D(80), Direction.INCREASING).status is Status.LOW


def test_achievement_zero_handled_explicitly() -> None:
    both = achievement(D(0), D(0), Direction.INCREASING)
    assert both.percent == D("100.0") and both.status is Status.HIGH
    plan0 = achievement(D(0), D(5), Direction.INCREASING)
    assert plan0.percent is None and plan0.status is Status.HIGH and "плановое значение равно 0" in plan0.note
    fact0 = achievement(D(5), D(0), Direction.DECREASING)
    assert fact0.percent is None and fact0.status is Status.HIGH
    assert achievement(None, D(1), Direction.INCREASING).status is Status.UNKNOWN


def test_thresholds_are_configurable() -> None:
    strict = Thresholds(high=D(100), satisfactory=D(95))
    assert achievement(D(100), D(93), Direction.INCREASING, strict).status is Status.LOW
    with pytest.raises(ValueError):
        Thresholds(high=D(90), satisfactory=D(95))


def test_comment_required_over_ten_percent() -> None:
    assert not comment_required(D(100), D(90))
    assert comment_required(D(100), D("89.9"))
    assert comment_required(D(100), D(111))
    assert comment_required(D(0), D(1))
    assert not comment_required(D(100), D(80), D(25))


def test_value_limits_by_unit() -> None:
    assert "больше 100" in check_value(D("100.5"), limits_for_unit("744"))
    assert "отрицательным" in check_value(D(-1), limits_for_unit("792"))
    assert "целым" in check_value(D("2.5"), limits_for_unit("792"))
    assert check_value(D("0.0855"), limits_for_unit("", "Г кал/кв. м")) == ""


def test_consolidation_recomputes_shares_from_summed_components_never_averages() -> None:
    f = Formula.parse("В / А × 100")
    inputs = {"Район 1": TerritoryInputs(None, {"В": D(1), "А": D(10)}),      # 10 %
              "Район 2": TerritoryInputs(None, {"В": D(90), "А": D(100)}),    # 90 %
              "Район 3": TerritoryInputs(None, {"В": D(5)})}                   # incomplete
    result = consolidate(Consolidation.RECOMPUTE, inputs, ["Район 1", "Район 2", "Район 3", "Район 4"], f, 1)
    assert result.value == D("82.7")  # 91 / 110 × 100, not (10 + 90) / 2 = 50
    assert result.missing == ("Район 3", "Район 4")
    counts = consolidate(Consolidation.SUM, {"А": TerritoryInputs(D(5)), "Б": TerritoryInputs(D(7))}, ["А", "Б", "В"])
    assert counts.value == D(12) and counts.missing == ("В",)
    assert consolidate(Consolidation.NONE, {}, ["А"]).value is None


def test_compute_sheet_rounds_computed_values_half_up() -> None:
    defs = [IndicatorDef("1", decimals=0), IndicatorDef("2", decimals=0),
            IndicatorDef("4", "стр.2/стр.1*100", decimals=1, plan_mode="computed")]
    got = compute_sheet(defs, {("1", "", "plan"): D(72), ("2", "", "plan"): D(14)})
    assert got[("4", "", "plan")].value == D("19.4")
    assert got[("4", "", "fact")].value is None


def test_validate_formula_refuses_self_reference_and_unknown_components() -> None:
    assert "сама на себя" in validate_formula("4", "[4] * 2", [], {})
    assert "по кругу" in validate_formula("4", "[5] + 1", [], {"5": "[4] - 1"})
    assert "«Х»" in validate_formula("1", "Х / А", ["А"], {})
    assert "позиции" in validate_formula("1", "А /", ["А"], {})
    assert validate_formula("1", "В / А × 100", ["В", "А"], {}) == ""


def test_control_ratio_sum_and_range_rules() -> None:
    values = {"1": D(73), "1.1": D(64), "1.2": D(9), "4": D("101")}
    rule = sum_rule("r1", "1", ["1.1", "1.2"])
    assert evaluate_rule(rule, lambda r: values.get(r.code), "тест") is None
    values["1.2"] = D(10)
    broken = evaluate_rule(rule, lambda r: values.get(r.code), "тест")
    assert broken is not None and broken.left == D(73) and broken.right == D(74)
    low, high = range_rules("r4", "4")
    assert evaluate_rule(low, lambda r: values.get(r.code), "тест") is None
    assert evaluate_rule(high, lambda r: values.get(r.code), "тест").severity is Severity.ERROR
    tolerant = ControlRule("t", "[1]", Op.EQ, "[1.1] + [1.2]", tolerance=D(1))
    assert evaluate_rule(tolerant, lambda r: values.get(r.code), "тест") is None


def test_financing_table_ratios() -> None:
    rows = [TableRow("1", "всего", D(30), {2024: D(10), 2025: D(20)}),
            TableRow("1.1", "а", D(10), {2024: D(5), 2025: D(5)}, "1"),
            TableRow("1.2", "б", D(20), {2024: D(5), 2025: D(16)}, "1")]
    found = check_total_table(rows, "тест")
    texts = sorted(v.rule_text for v in found)
    assert "стр. 1.2: «Всего» = сумма по годам" in texts
    assert any("2025 год" in t for t in texts)


def test_period_labels_and_parsing() -> None:
    assert Period.parse("2025").label == "2025 год"
    assert Period.parse("2025-Q1").label == "I квартал 2025 г."
    assert Period.parse("2025-M03").label == "март 2025 г."
    with pytest.raises(ValueError, match="непонятный период"):
        Period.parse("весна")


def test_rule_over_several_forms_and_periods() -> None:
    """A rule may reference another form and another period: [НОК:2] ≤ [1@-1] (last year's value)."""
    values = {("", "1", -1): D(73), ("НОК", "2", 0): D(47)}

    def resolve(ref):  # noqa: ANN001, ANN202
        return values.get((ref.form, ref.code, ref.year_offset))

    rule = ControlRule("x", "[НОК:2]", Op.LE, "[1@-1]", Severity.WARNING)
    assert evaluate_rule(rule, resolve, "тест") is None
    values[("НОК", "2", 0)] = D(80)
    v = evaluate_rule(rule, resolve, "тест")
    assert v is not None and v.severity is Severity.WARNING and (v.left, v.right) == (D(80), D(73))
