"""Region sums aggregated in SQL for many periods at once stay exact to the last stored digit."""

from __future__ import annotations

from decimal import Decimal as D

from sqlalchemy import insert, select

from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
from socplan.db.models.reference import Territory
from socplan.domain.indicators import Period
from socplan.services.indicators import analysis


def _sum_indicator(s):  # noqa: ANN001, ANN202
    form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == "ГП"))
    return s.scalar(select(Indicator).where(Indicator.form_id == form.id, Indicator.consolidation == "sum")
                    .order_by(Indicator.sort_order))


def _districts(s) -> list[Territory]:  # noqa: ANN001
    return list(s.scalars(select(Territory).where(Territory.kind.in_(("city", "district")))
                          .order_by(Territory.sort_order, Territory.name)))


def _store(s, ind_id: int, values: dict[int, str], period: Period) -> None:  # noqa: ANN001
    s.execute(insert(IndicatorValue), [
        {"indicator_id": ind_id, "component": "", "territory_id": t, "year": period.year,
         "period_kind": period.kind, "period_no": period.number, "kind": "fact", "value": D(v),
         "qualifier": "", "comment": ""} for t, v in values.items()])


def test_sum_keeps_every_digit_and_names_the_missing_districts(demo_ctx) -> None:  # noqa: ANN001
    """Four districts report 0.0855, 1.005, 9999999999999999.99 and −0.5; a fifth reports a 24-digit value
    123456789012345678901.5 (too long for an integer sum in SQL); every other district reports nothing.

    Σ = 0.0855 + 1.005 + 9999999999999999.99 − 0.5 + 123456789012345678901.5
      = 123466789012345678902.0805 (hand-added: 9 999 999 999 999 999.99 + 123 456 789 012 345 678 901.5
      = 123 466 789 012 345 678 901.49; + 0.0855 + 1.005 − 0.5 = + 0.5905), reported by 5, the rest missing.
    A float or REAL sum would give 1.2346678901234568e+20."""
    month = Period(2031, "month", 5)
    with demo_ctx.uow() as s:
        ind = _sum_indicator(s)
        districts = _districts(s)
        values = dict(zip([t.id for t in districts[:5]],
                          ["0.0855", "1.005", "9999999999999999.99", "-0.5", "123456789012345678901.5"]))
        _store(s, ind.id, values, month)
        s.commit()
        code = ind.code
        missing_names = [t.name for t in districts[5:]]
    row = analysis.consolidate_form(demo_ctx, "ГП", month)[code]
    assert str(row.fact) == "123466789012345678902.0805"
    assert row.reported == 5
    assert list(row.missing) == missing_names


def test_a_sum_past_the_integer_range_of_sqlite_is_still_exact(demo_ctx) -> None:  # noqa: ANN001
    """Every district reports 999999999999999999 (18 digits): the integer sum in SQLite overflows 2⁶³ − 1 ≈ 9.2·10¹⁸
    after ten districts, so the sum is added in Python instead: N × 999 999 999 999 999 999 with N districts."""
    year = Period(2032)
    with demo_ctx.uow() as s:
        ind = _sum_indicator(s)
        districts = _districts(s)
        _store(s, ind.id, {t.id: "999999999999999999" for t in districts}, year)
        s.commit()
        code, n = ind.code, len(districts)
    row = analysis.consolidate_form(demo_ctx, "ГП", year)[code]
    assert n > 10
    assert row.fact == D(999999999999999999) * n and row.missing == ()


def test_many_periods_at_once_give_what_each_period_gives(demo_ctx) -> None:  # noqa: ANN001
    """The demo's yearly values and a month with scaled decimals: one call for all periods equals the
    single-period results (the rules, the reasons, the missing districts and the summed components)."""
    month = Period(2031, "month", 7)
    with demo_ctx.uow() as s:
        ind = _sum_indicator(s)
        districts = _districts(s)
        _store(s, ind.id, {t.id: f"{n}.{n % 3 * 5}" if n % 2 else str(n) for n, t in enumerate(districts)}, month)
        s.commit()
        expected = sum((D(f"{n}.{n % 3 * 5}") if n % 2 else D(n) for n in range(len(districts))), D(0))
        code = ind.code
    periods = [Period(2024), Period(2025), month]
    together = analysis.consolidate_periods(demo_ctx, "ГП", periods)
    for period in periods:
        assert together[period] == analysis.consolidate_form(demo_ctx, "ГП", period)
    assert together[month][code].fact == expected and together[month][code].missing == ()
    assert together[Period(2024)]["4"].components  # a recomputed share keeps its summed components
