"""Appendix 12 of seed 003, clause by clause, on hand-checked examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from socplan.domain.errors import ValidationErrors
from socplan.domain.subsidies.app12 import (Application12, Round12, clawback_app12,
                                            efficiency_app12, points_ngo_growth, points_per_unit,
                                            points_spending_share, rate_application, rating_score)
from socplan.domain.subsidies.app12_calc import calculate_app12
from socplan.domain.subsidies.common import DocumentMark, EventOutcome, ResultValue
from socplan.domain.subsidies.trace import RUBLE, round_within_total

ALL_DOCS = {c: DocumentMark(True) for c in ("1", "2", "3", "4", "5.1", "5.2", "5.3", "5.4")}


# ------------------------------------------------------------------ §11 brackets

@pytest.mark.parametrize(("spending", "total", "points"), [
    (D("100000.01"), D("100000000"), 200),   # 0,10000001 % — свыше 0,1 %
    (D("100000"), D("100000000"), 150),      # exactly 0,1 % — «до 0,1 % включительно»
    (D("1000"), D("100000000"), 150),        # exactly 0,001 % — «от 0,001 %»
    (D("999.99"), D("100000000"), 100),      # 0,00099999 % — менее 0,001 %
    (D("0"), D("100000000"), 100),           # zero share is data: менее 0,001 %
])
def test_item1_share_brackets_exactly_as_written(spending: D, total: D, points: int) -> None:
    assert points_spending_share(spending, total)[0] == points


def test_item1_share_is_not_rounded_before_comparison() -> None:
    # 0,1000004 % would round to 0,1 % at 6 decimals, yet it is «свыше 0,1 %»
    assert points_spending_share(D("1000004"), D("1000000000"))[0] == 200


def test_item1_absent_data_scores_zero() -> None:
    assert points_spending_share(None, D("100"))[0] == 0
    assert points_spending_share(D("100"), None) == (0, "нет сведений")


@pytest.mark.parametrize(("current", "previous", "points"), [(10, 6, 150), (9, 6, 100), (7, 6, 100), (6, 6, 0),
                                                              (5, 6, 0), (None, 6, 0)])
def test_item2_ngo_growth(current: int | None, previous: int, points: int) -> None:
    assert points_ngo_growth(current, previous)[0] == points


def test_items_3_and_6_2_caps() -> None:
    assert points_per_unit(4, 30, 150, "")[0] == 120
    assert points_per_unit(5, 30, 150, "")[0] == 150
    assert points_per_unit(9, 30, 150, "")[0] == 150
    assert points_per_unit(6, 100, 500, "")[0] == 500
    assert points_per_unit(0, 100, 500, "")[0] == 0


def full_marks(**kw) -> Application12:
    base = dict(municipality="Азовский немецкий национальный муниципальный район", declared_need=D(500000),
                local_funds=D(100000), local_funds_cofinanced=D(300000), fiscal_capacity=D("1.0"),
                total_budget_spending=D(50000000), ngo_registered=6, ngo_registered_previous=1, ngo_supported=5,
                commission_active=True, infrastructure_event=True, training_event=True, property_list=True,
                preferential_contracts=5, registry_published=True, documents=ALL_DOCS)
    base.update(kw)
    return Application12(**base)


def test_score_is_weighted_sum_of_all_items() -> None:
    items = rate_application(full_marks())
    # 200×0,2 + 150×0,2 + 150×0,1 + 100×0,1 + 200×0,1 + 100×0,1 + 100×0,05 + 500×0,1 + 100×0,05
    assert rating_score(items) == D("185")
    assert [i.points for i in items] == [200, 150, 150, 100, 200, 100, 100, 500, 100]


def test_missing_copies_of_item5_documents_zero_the_items_they_confirm() -> None:
    docs = dict(ALL_DOCS)
    docs["5.4"] = DocumentMark(False)  # act on the commission and its protocols
    items = {i.code: i for i in rate_application(full_marks(documents=docs))}
    assert items["4"].points == 0
    assert "п. 5 подп. 5 абз. 5" in items["4"].basis
    assert rating_score(list(items.values())) == D("175")


# ------------------------------------------------------------------ §12–13 selection

def test_refusal_reasons_cite_clauses() -> None:
    docs = dict(ALL_DOCS)
    docs["2"] = DocumentMark(False)
    weak = Application12("Большереченский муниципальный район", declared_need=D(1), local_funds=D(1),
                         fiscal_capacity=D(1), ngo_supported=1, documents=docs, has_municipal_programme=False)
    result = calculate_app12(Round12(2025, D(1000), (weak,)))
    m = result.municipalities[0]
    assert not m.passed
    clauses = [r.clause for r in m.reasons]
    assert clauses == ["п. 13 подп. 1", "п. 13 подп. 3, п. 12 подп. 2", "п. 13 подп. 3, п. 12 подп. 3"]
    assert "копия муниципальной программы" in m.reasons[0].text
    assert "3 — менее 20 баллов" in m.reasons[1].text
    assert result.unallocated == D(1000)


# ------------------------------------------------------------------ §15–17 on one hand-checked round

def hand_round(fully: bool = False) -> Round12:
    a = full_marks(municipality="А муниципальный район", declared_need=D(500000))  # B = 185
    b = Application12("Б муниципальный район", declared_need=D(300000), local_funds=D(50000),
                      local_funds_cofinanced=D(150000), fiscal_capacity=D("0.5"), total_budget_spending=D(100000000),
                      ngo_registered=3, ngo_registered_previous=1, ngo_supported=2, documents=ALL_DOCS)  # 30+20+6 = 56
    c = Application12("В муниципальный район", declared_need=D(200000), local_funds=D(60000),
                      fiscal_capacity=D("1.2"), ngo_registered=1, ngo_supported=1, commission_active=True,
                      infrastructure_event=True, documents=ALL_DOCS)  # 3+10+20 = 33
    return Round12(2025, D(1000000), (c, a, b), {"А муниципальный район": D("0.9"), "Б муниципальный район": D("0.8"),
                                                 "В муниципальный район": D("0.6")}, fully)


def test_distribution_remainder_and_cofinancing_by_hand() -> None:
    r = calculate_app12(hand_round())
    a, b, c = (r.by_name(n).allocation for n in ("А муниципальный район", "Б муниципальный район", "В муниципальный район"))
    assert [r.by_name(n).score for n in ("А муниципальный район", "Б муниципальный район", "В муниципальный район")] == \
        [D(185), D(56), D(33)]
    assert (r.n, r.v, r.weight_sum) == (3, 10, D(25750000))
    # А: 0,3·1 000 000/3 + 0,3·1 000 000·6/10 + 0,4·1 000 000·18 500 000/25 750 000 = 567 378,64 → 567 379
    assert a.term_ngo == D(180000) and a.rounded == D(567379)
    assert (b.rounded, c.rounded) == (D(276990), D(155631))  # 276 990,29 and 155 631,07
    # need cap: А gets 500 000; CO = 67 379 shared by Б and В by MB (50 000 : 60 000)
    assert a.amount == D(500000) and a.capped_at_need
    assert b.remainder_rounds == (D(23010),)      # 30 627 computed, only 23 010 up to the need
    assert c.remainder_rounds == (D(36752),)
    # §17: В has МБП = MB = 60 000, cap min(60 %, 70 %): at most 0,6·60 000/0,4 = 90 000
    assert c.cap == D("0.6") and c.final_total == D(90000)
    assert (c.reduced_remainder, c.reduced_subsidy) == (D(36752), D(65631))
    assert b.final_total == D(300000) and b.rate_after.quantize(D("0.000001")) == D("0.666667")  # 66,7 % ≤ 70 %
    assert r.allocated == D(890000)
    parts = {p.clause: p.amount for p in r.unallocated_parts}
    assert parts == {"п. 16": D(7617), "п. 17": D(102383)}


def test_remainder_until_exhausted_is_an_option_beyond_the_text() -> None:
    r = calculate_app12(hand_round(fully=True))
    c = r.by_name("В муниципальный район").allocation
    assert c.remainder_rounds == (D(36752), D(7617))
    assert any("сверх текста" in s.clause for s in r.trace.steps)


def test_rounding_takes_rubles_back_from_largest_rounding_up() -> None:
    rounded, taken = round_within_total({"б": D("33.5"), "а": D("33.5"), "в": D("33")}, D(100), RUBLE)
    assert rounded == {"а": D(33), "б": D(34), "в": D(33)}
    assert taken["а"] == RUBLE and sum(rounded.values()) == 100


def test_zero_ngo_total_sends_second_term_to_remainder() -> None:
    apps = tuple(full_marks(municipality=n, ngo_registered=0, ngo_registered_previous=0, declared_need=D(10 ** 7),
                            local_funds_cofinanced=D(10 ** 7)) for n in ("А", "Б"))
    r = calculate_app12(Round12(2025, D(1000), apps, {"А": D(1), "Б": D(1)}))
    assert all(m.allocation.term_ngo == 0 for m in r.municipalities)
    # 0,3·C/N + 0,4·C/2 = 150 + 200 each; the 300 of the second term is shared in §16 by MB (equal)
    assert [m.allocation.remainder for m in r.municipalities] == [D(150), D(150)]
    assert r.allocated == D(1000)


def test_missing_data_refuses_that_municipality_alone() -> None:
    """Nothing is guessed: without РБО_i the formula of §15 cannot be computed, so the district is refused
    with «п. 15» and the round is calculated without it (N = 0 here: all of C stays unallocated)."""
    app = full_marks(fiscal_capacity=None)
    r = calculate_app12(Round12(2025, D(1000), (app,), {app.municipality: D("0.9")}))
    m = r.by_name(app.municipality)
    assert not m.passed and m.allocation is None
    assert [x.clause for x in m.reasons] == ["п. 15"] and "РБО_i" in m.reasons[0].text
    assert r.n == 0 and r.unallocated == D(1000)


# ------------------------------------------------------------------ bad input

def test_bad_input_is_named_in_russian() -> None:
    bad = (full_marks(local_funds=D(-5)), full_marks(fiscal_capacity=D(-1), ngo_supported=D("2.5")),
           full_marks(municipality="Богословское сельское поселение", kind="посёлок"))
    with pytest.raises(ValidationErrors) as err:
        calculate_app12(Round12(2025, D(0), bad, {"Азовский немецкий национальный муниципальный район": D("1.2")}))
    text = err.value.message
    assert "Общая сумма субсидий C должна быть больше нуля" in text
    assert "средства местного бюджета MB_i: сумма не может быть отрицательной" in text
    assert "вторая заявка от того же муниципального образования" in text
    assert "РБО_i не может быть отрицательным (введено -1)" in text
    assert "количество должно быть целым числом (введено 2,5)" in text
    assert "неизвестный вид муниципального образования «посёлок»" in text
    assert "предельный уровень софинансирования: уровень должен быть больше 0 % и не больше 100 %" in text


# ------------------------------------------------------------------ §18–22

@pytest.mark.parametrize(("actual", "category"), [(D(10), "высокая"), (D(11), "высокая"), (D(9), "удовлетворительная"),
                                                  (D("8.999"), "низкая")])
def test_efficiency_categories(actual: D, category: str) -> None:
    assert efficiency_app12("А", D(10), actual).category == category


def test_clawback_by_hand_and_force_majeure() -> None:
    results = (ResultValue("СОНКО, получившие поддержку", D(10), D(8)), ResultValue("второй", D(5), D(5)),
               ResultValue("третий", D(4), D(2)))
    out = clawback_app12([EventOutcome("А", "Поддержка СОНКО", D(1000000), results),
                          EventOutcome("Б", "Поддержка СОНКО", D(1000000), results, True, "постановление № 1")])
    a, b = out
    # D = 0,2; 0; 0,5 → m = 2, n = 3, K = 0,35; CB = 1 000 000 × 0,35 × 2/3 × 0,1 = 23 333,33
    assert (a.m, a.n, a.coefficient, a.amount) == (2, 3, D("0.35"), D("23333.33"))
    assert b.amount_formula == D("23333.33") and b.amount == 0 and b.exempt


@pytest.mark.parametrize(("change", "clause"), [
    ({"activity_matches_goal": False}, "п. 13 подп. 3, п. 12 подп. 1"),
    ({"form_ok": False}, "п. 13 подп. 2"),
    ({"has_municipal_programme": False}, "п. 13 подп. 3, п. 12 подп. 3"),
    ({"unreliable_info": True}, "п. 13 подп. 4"),
    ({"kind": "city"}, "п. 2"),
])
def test_each_ground_alone_refuses_with_its_clause(change: dict, clause: str) -> None:
    """Each admission condition of §2 and §12–13 on its own refuses the applicant with exactly its clause;
    the other district gets all of C (N = 1: 0,3·C + 0,3·C·V_i/V + 0,4·C = C = 1 000, need 500 000)."""
    other = full_marks(municipality="Б муниципальный район")
    r = calculate_app12(Round12(2025, D(1000), (full_marks(**change), other),
                                {"Азовский немецкий национальный муниципальный район": D(1), "Б муниципальный район": D(1)}))
    refused = r.by_name("Азовский немецкий национальный муниципальный район")
    assert [x.clause for x in refused.reasons] == [clause] and refused.allocation is None
    assert r.by_name("Б муниципальный район").allocation.final_total == D(1000)


def test_score_of_exactly_20_passes() -> None:
    """§12 подп. 2 «не менее 20»: item 5.1 alone gives 200 × 0,1 = 20 — passes; item 6.1 alone gives
    100 × 0,05 = 5 — refused."""
    bare = dict(local_funds=D(1000), fiscal_capacity=D(1), declared_need=D(100), ngo_registered=1, documents=ALL_DOCS)
    passes = Application12("А", infrastructure_event=True, **bare)
    fails = Application12("Б", property_list=True, **bare)
    r = calculate_app12(Round12(2025, D(100), (passes, fails), {"А": D(1), "Б": D(1)}))
    assert r.by_name("А").score == 20 and r.by_name("А").passed
    assert r.by_name("Б").score == 5 and [x.clause for x in r.by_name("Б").reasons] == ["п. 13 подп. 3, п. 12 подп. 2"]
