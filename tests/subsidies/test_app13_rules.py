"""Appendix 13 of seed 003 on hand-checked examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from socplan.domain.errors import ValidationErrors
from socplan.domain.subsidies.app13 import (Application13, Round13, calculate_app13, clawback_app13,
                                            efficiency_app13)
from socplan.domain.subsidies.common import DocumentMark, EventOutcome, ResultValue

DOCS = {c: DocumentMark(True) for c in ("1", "2", "3")}
LIMITS = {"А": D("0.95"), "Б": D("0.95")}


def test_size_formula_by_hand() -> None:
    a = Application13("А", declared_need=D(300000), total_need=D(400000), fiscal_capacity=D("1.2"), documents=DOCS)
    b = Application13("Б", declared_need=D(700000), total_need=D(800000), fiscal_capacity=D("1.0"), documents=DOCS)
    r = calculate_app13(Round13(2025, D(1000000), (b, a), LIMITS))
    # П = 1 000 000; D_А = 87 %/1,2 = 72,5 %; C_А = 1 × 400 000 × 0,725 = 290 000; C_Б = 800 000 × 0,87 = 696 000
    assert r.total_need == D(1000000)
    assert r.by_name("А").allocation.amount == D(290000)
    assert r.by_name("Б").allocation.amount == D(696000)
    assert r.unallocated == D(14000) and r.scaling_factor is None


def test_limit_level_and_need_cap() -> None:
    a = Application13("А", declared_need=D(500000), total_need=D(600000), fiscal_capacity=D("0.9"), documents=DOCS)
    b = Application13("Б", declared_need=D(100000), total_need=D(1000000), fiscal_capacity=D("1.0"), documents=DOCS)
    r = calculate_app13(Round13(2025, D(600000), (a, b), LIMITS))
    al = r.by_name("А").allocation
    assert al.rate == D("0.95") and al.rate_formula > D("0.95")  # 87/0,9 = 96,7 % → 95 %
    # C_А = 600 000/600 000 × 600 000 × 0,95 = 570 000 > need 500 000 → 500 000
    assert al.amount == D(500000) and al.capped_at_need
    # C_Б = 1 × 1 000 000 × 0,87 = 870 000 → need 100 000
    assert r.by_name("Б").allocation.amount == D(100000)


def test_literal_formula_above_budget_is_scaled_and_announced() -> None:
    a = Application13("А", declared_need=D(500000), total_need=D(600000), fiscal_capacity=D("0.9"), documents=DOCS)
    b = Application13("Б", declared_need=D(800000), total_need=D(1000000), fiscal_capacity=D("1.1"), documents=DOCS)
    r = calculate_app13(Round13(2025, D(1000000), (a, b), LIMITS))
    # before scaling: 438 461,54 and 608 391,61 (sum 1 046 853,15 > 1 000 000)
    assert r.by_name("А").allocation.before_scaling == D("438461.54")
    assert r.by_name("Б").allocation.before_scaling == D("608391.61")
    # × 1 000 000 / 1 046 853,15
    assert r.by_name("А").allocation.amount == D("418837.68")
    assert r.by_name("Б").allocation.amount == D("581162.32")
    assert r.allocated == D(1000000)
    assert any("уменьшены пропорционально" in s.what for s in r.trace.steps)


def test_settlement_uses_90_percent_and_refusals_cite_clauses() -> None:
    s = Application13("Богословское сельское поселение", kind="settlement", declared_need=D(10 ** 6),
                      total_need=D(100000), fiscal_capacity=D("1.0"), documents=DOCS)
    no_docs = Application13("Б", declared_need=D(1), total_need=D(1), fiscal_capacity=D(1),
                            documents={"1": DocumentMark(True)}, needs_accessibility=False)
    r = calculate_app13(Round13(2025, D(50000), (s, no_docs), {"Богословское сельское поселение": D(1)}))
    assert r.by_name("Богословское сельское поселение").allocation.rate == D("0.9")
    assert [x.clause for x in r.by_name("Б").reasons] == ["п. 9 абз. 2 подп. 1", "п. 9 абз. 2 подп. 2, п. 8 подп. 2"]


def test_bad_input() -> None:
    a = Application13("А", declared_need=D(-1), fiscal_capacity=D("-0.5"))
    with pytest.raises(ValidationErrors) as err:
        calculate_app13(Round13(2025, D(100), (a,), {"А": D(0)}))
    msg = err.value.message
    assert "заявленная потребность: сумма не может быть отрицательной" in msg
    assert "РБО_i не может быть отрицательным (введено -0,5)" in msg
    assert "предельный уровень софинансирования: уровень должен быть больше 0 %" in msg


def test_efficiency_and_clawback_with_both_directions() -> None:
    results = (ResultValue("Остановочные комплексы", D(4), D(3)),
               ResultValue("Жалобы на недоступность (рост — хуже)", D(10), D(20), growth_is_good=False),
               ResultValue("Светофоры со звуковыми сигналами", D(5), D(6)))
    eff = efficiency_app13("А", results)
    assert [e.percent for e in eff] == [D(75), D(200), D(120)]
    cb = clawback_app13([EventOutcome("А", "Остановки", D("500000.00"), results)])[0]
    # D = 1 − 3/4 = 0,25; 1 − 10/20 = 0,5; 1 − 6/5 = −0,2 → m = 2, K = 0,375; CB = 500 000 × 0,375 × 2/3 × 0,1
    assert (cb.m, cb.n, cb.coefficient, cb.amount) == (2, 3, D("0.375"), D("12500.00"))


def test_ineligible_applicants_are_refused_alone() -> None:
    """The region is not a municipality (§1), РБО_i = 0 makes Dср / РБО_i undefined and a missing П_i leaves C_i
    undefined (§12): each is refused with its clause, and А is calculated exactly as in a round of its own:
    П = 300 000 (only А passed), C_А = 1 000 000 / 300 000 × 400 000 × 72,5 % = 966 666,67 → need 300 000."""
    a = Application13("А", declared_need=D(300000), total_need=D(400000), fiscal_capacity=D("1.2"), documents=DOCS)
    region = Application13("Омская область", kind="region", declared_need=D(1), total_need=D(1),
                           fiscal_capacity=D(1), documents=DOCS)
    zero = Application13("Б", declared_need=D(1000), total_need=D(1000), fiscal_capacity=D(0), documents=DOCS)
    gap = Application13("В", declared_need=D(1000), total_need=None, fiscal_capacity=D(1), documents=DOCS)
    rates = {"А": D("0.95"), "Б": D("0.95"), "В": D("0.95"), "Омская область": D(1)}
    mixed = calculate_app13(Round13(2025, D(1000000), (a, region, zero, gap), rates))
    alone = calculate_app13(Round13(2025, D(1000000), (a,), rates))
    assert mixed.by_name("А").allocation == alone.by_name("А").allocation
    assert mixed.by_name("А").allocation.amount == D(300000)
    assert [x.clause for x in mixed.by_name("Омская область").reasons] == ["п. 1"]
    assert [x.clause for x in mixed.by_name("Б").reasons] == ["п. 12"]
    assert "РБО_i равен нулю" in mixed.by_name("Б").reasons[0].text
    assert [x.clause for x in mixed.by_name("В").reasons] == ["п. 12"] and "П_i" in mixed.by_name("В").reasons[0].text
    missing_limit = calculate_app13(Round13(2025, D(1000000), (a, zero), {}))
    assert [x.clause for x in missing_limit.by_name("А").reasons] == ["п. 6, п. 12"]


def test_documents_after_the_deadline_are_refused() -> None:
    """§7: the executor sets the deadline; a document received later was not presented (§9 ground 1)."""
    import dataclasses
    import datetime as dt

    late = dict(DOCS)
    late["2"] = DocumentMark(True, dt.date(2025, 3, 10))
    a = Application13("А", declared_need=D(1000), total_need=D(1000), fiscal_capacity=D(1), documents=late)
    rnd = dataclasses.replace(Round13(2025, D(1000), (a,), {"А": D(1)}), applications_deadline=dt.date(2025, 3, 7))
    reason = calculate_app13(rnd).by_name("А").reasons[0]
    assert reason.clause == "п. 9 абз. 2 подп. 1, п. 7" and "10.03.2025" in reason.text


@pytest.mark.parametrize(("change", "clause"), [
    ({"activity_matches_goal": False}, "п. 9 абз. 2 подп. 2, п. 8 подп. 1"),
    ({"needs_accessibility": False}, "п. 9 абз. 2 подп. 2, п. 8 подп. 2"),
    ({"unreliable_info": True}, "п. 9 абз. 2 подп. 3"),
])
def test_each_ground_alone_refuses_with_its_clause(change: dict, clause: str) -> None:
    a = Application13("А", declared_need=D(1000), total_need=D(1000), fiscal_capacity=D(1), documents=DOCS, **change)
    r = calculate_app13(Round13(2025, D(1000), (a,), {"А": D(1)}))
    assert [x.clause for x in r.by_name("А").reasons] == [clause] and r.by_name("А").allocation is None


def test_national_project_is_not_capped_by_the_limit_level() -> None:
    """§6 абз. 2: D_i = 87 % / 0,8 = 108,75 % stays uncapped for a national project (no limit level needed);
    C_i = 1 000 000 / 100 000 × 50 000 × 1,0875 = 543 750 → need 100 000."""
    a = Application13("А", declared_need=D(100000), total_need=D(50000), fiscal_capacity=D("0.8"), documents=DOCS,
                      national_project=True)
    al = calculate_app13(Round13(2025, D(1000000), (a,), {})).by_name("А").allocation
    assert al.limit_rate is None and al.rate == D("1.0875") and al.raw == D("543750") and al.amount == D(100000)
