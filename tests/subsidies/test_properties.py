"""Property tests: budget never exceeded, nobody above need or cap, monotone in points, order-independent."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from socplan.domain.subsidies.app12 import Application12, Round12, calculate_app12
from socplan.domain.subsidies.app13 import Application13, Round13, calculate_app13
from socplan.domain.subsidies.common import DocumentMark

DOCS12 = {c: DocumentMark(True) for c in ("1", "2", "3", "4", "5.1", "5.2", "5.3", "5.4")}
DOCS13 = {c: DocumentMark(True) for c in ("1", "2", "3")}
money = st.integers(min_value=0, max_value=5_000_000).map(lambda k: D(k) / 100)
positive_money = st.integers(min_value=100, max_value=5_000_000_00).map(lambda k: D(k) / 100)
rate = st.integers(min_value=1, max_value=100).map(lambda p: D(p) / 100)
capacity = st.integers(min_value=10, max_value=300).map(lambda p: D(p) / 100)


@st.composite
def app12(draw, name: str) -> Application12:  # noqa: ANN001
    return Application12(
        name, declared_need=draw(money), local_funds=draw(money),
        local_funds_cofinanced=draw(st.one_of(st.none(), money)), fiscal_capacity=draw(capacity),
        total_budget_spending=draw(st.one_of(st.none(), positive_money)),
        ngo_registered=draw(st.integers(0, 50)), ngo_registered_previous=draw(st.one_of(st.none(), st.integers(0, 50))),
        ngo_supported=draw(st.one_of(st.none(), st.integers(0, 8))), commission_active=draw(st.one_of(st.none(), st.booleans())),
        infrastructure_event=draw(st.booleans()), training_event=draw(st.booleans()),
        property_list=draw(st.booleans()), preferential_contracts=draw(st.integers(0, 7)),
        registry_published=draw(st.booleans()), documents=DOCS12)


@st.composite
def round12(draw) -> Round12:  # noqa: ANN001
    names = [f"МО {i}" for i in range(draw(st.integers(1, 6)))]
    apps = tuple(draw(app12(n)) for n in names)
    return Round12(2025, draw(positive_money), apps, {n: draw(rate) for n in names}, draw(st.booleans()))


def _check_invariants12(rnd: Round12) -> None:
    r = calculate_app12(rnd)
    assert r.allocated <= r.budget
    assert r.allocated + r.unallocated == r.budget
    for m in r.municipalities:
        al = m.allocation
        if al is None:
            continue
        app = next(a for a in rnd.applications if a.municipality == m.municipality)
        assert al.final_total <= app.declared_need
        assert al.final_subsidy >= 0 and al.final_remainder >= 0
        assert al.rate_after <= min(rnd.limit_rates[m.municipality], D("0.7"))


@settings(max_examples=150, deadline=None)
@given(round12())
def test_app12_budget_need_and_cap_hold(rnd: Round12) -> None:
    _check_invariants12(rnd)


@settings(max_examples=60, deadline=None)
@given(round12(), st.randoms())
def test_app12_order_does_not_matter(rnd: Round12, rnd_gen) -> None:  # noqa: ANN001
    shuffled = list(rnd.applications)
    rnd_gen.shuffle(shuffled)
    a = calculate_app12(rnd)
    b = calculate_app12(dataclasses.replace(rnd, applications=tuple(shuffled)))
    assert [(m.municipality, m.allocation) for m in a.municipalities] == \
        [(m.municipality, m.allocation) for m in b.municipalities]


@settings(max_examples=100, deadline=None)
@given(round12(), st.data())
def test_app12_more_points_never_less_money(rnd: Round12, data) -> None:  # noqa: ANN001
    """All else equal, one more rating item present never costs money (beyond the one ruble the
    «take back from the largest rounding-up» rule may move, see docs/subsidy-rules.md)."""
    target = data.draw(st.sampled_from(rnd.applications))
    better = dataclasses.replace(target, training_event=True) if not target.training_event else \
        dataclasses.replace(target, infrastructure_event=True)
    if better == target:
        return
    improved = dataclasses.replace(rnd, applications=tuple(better if a is target else a for a in rnd.applications))
    before = calculate_app12(rnd).by_name(target.municipality)
    after = calculate_app12(improved).by_name(target.municipality)
    assert after.score >= before.score
    if before.allocation is None:
        return
    assert after.allocation is not None
    assert after.allocation.final_total >= before.allocation.final_total - 2


@st.composite
def round13(draw) -> Round13:  # noqa: ANN001
    names = [f"МО {i}" for i in range(draw(st.integers(1, 6)))]
    apps = tuple(Application13(n, kind=draw(st.sampled_from(["district", "city", "settlement"])),
                               declared_need=draw(money), total_need=draw(money), fiscal_capacity=draw(capacity),
                               documents=DOCS13) for n in names)
    return Round13(2025, draw(positive_money), apps, {n: draw(rate) for n in names})


@settings(max_examples=150, deadline=None)
@given(round13(), st.randoms())
def test_app13_budget_need_cap_and_order(rnd: Round13, rnd_gen) -> None:  # noqa: ANN001
    r = calculate_app13(rnd)
    assert r.allocated <= r.budget
    for m in r.municipalities:
        app = next(a for a in rnd.applications if a.municipality == m.municipality)
        assert m.allocation.amount <= app.declared_need
        assert m.allocation.rate <= rnd.limit_rates[m.municipality]
        assert m.allocation.amount == m.allocation.amount.quantize(D("0.01"))
    shuffled = list(rnd.applications)
    rnd_gen.shuffle(shuffled)
    again = calculate_app13(dataclasses.replace(rnd, applications=tuple(shuffled)))
    assert [m.allocation for m in again.municipalities] == [m.allocation for m in r.municipalities]
