"""Subsidies benchmark, each against a bare baseline doing the same rows in the same run.

    python benchmarks/bench_subsidies.py [--runs R]

1. Appendix 12 calculation for all 33 municipalities (rating, selection, §15–17 with the full trace)
   against a bare function doing the same arithmetic with the same rule functions, without the trace and
   the result records (checked to give the same final amounts).
3. One what-if edit in the GUI grid (edit → recalculation → results grid refreshed) against a bare
   QStandardItemModel refresh of the same 33 × 6 result cells.
2. The calculation protocol PDF (every table and the trace) against raw reportlab drawing the same cells
   of the trace in one LongTable.
Medians of R runs; peak memory with tracemalloc.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import time
import tracemalloc
from decimal import Decimal

from socplan.domain.subsidies.app12 import Application12, Round12
from socplan.domain.subsidies.calculation import RoundInfo, RoundInput, calculate
from socplan.domain.subsidies.common import DocumentMark
from socplan.reports.subsidies_protocol import Signer, protocol_pdf
from socplan.reports.subsidies_tables import cell_text, trace_table

DOCS = {c: DocumentMark(True) for c in ("1", "2", "3", "4", "5.1", "5.2", "5.3", "5.4")}


def make_round(n: int = 33) -> RoundInput:
    rnd = random.Random(7)
    apps = tuple(Application12(
        f"МО {i:02d} муниципальный район", declared_need=Decimal(rnd.randint(100, 900)) * 1000,
        local_funds=Decimal(rnd.randint(20, 400)) * 1000, fiscal_capacity=Decimal(rnd.randint(50, 150)) / 100,
        total_budget_spending=Decimal(rnd.randint(500, 5000)) * 10 ** 6, ngo_registered=rnd.randint(5, 60),
        ngo_registered_previous=rnd.randint(5, 60), ngo_supported=rnd.randint(0, 8), commission_active=rnd.random() > .3,
        infrastructure_event=rnd.random() > .5, training_event=rnd.random() > .5, property_list=rnd.random() > .4,
        preferential_contracts=rnd.randint(0, 7), registry_published=rnd.random() > .3, documents=DOCS)
        for i in range(n))
    rates = {a.municipality: Decimal(rnd.randint(50, 100)) / 100 for a in apps}
    return RoundInput(RoundInfo("app12", 2025), app12=Round12(2025, Decimal("30000000.00"), apps, rates))


def bare_app12(inp: RoundInput) -> dict[str, Decimal]:
    """The same arithmetic as Appendix 12 (rating, selection, §15 terms, rounding half-up, caps at the need, the
    take-back of rounding rubles, §16 remainder, §17 co-financing cap) with the same rule functions — but no
    trace, no texts, no result records: municipality → final C_i + CO_i."""
    from socplan.domain.subsidies import app12 as r
    from socplan.domain.subsidies.trace import RUBLE, round_down, round_half_up, take_back_to_fit

    rnd = inp.app12
    budget = Decimal(rnd.budget)
    apps = sorted(rnd.applications, key=lambda a: (a.municipality.casefold(), a.municipality))
    scores = {a.municipality: r.rating_score(r.rate_application(a)) for a in apps}
    passed = [a for a in apps if not (r.refusal_reasons(a, scores[a.municipality], rnd.applications_deadline)
                                      or r.distribution_data_gaps(a, rnd.limit_rates.get(a.municipality)))]
    n, v = len(passed), sum(int(a.ngo_registered or 0) for a in passed)
    weights = {a.municipality: r.rating_weight(a.local_funds, a.fiscal_capacity, scores[a.municipality]) for a in passed}
    weight_sum = sum(weights.values(), Decimal(0))
    need = {a.municipality: Decimal(a.declared_need) for a in passed}
    raw, before = {}, {}
    for a in passed:
        m = a.municipality
        raw[m] = (r.distribution_term_equal(budget, n) + r.distribution_term_ngo(budget, int(a.ngo_registered or 0), v)
                  + r.distribution_term_weighted(budget, weights[m], weight_sum))
        rounded = round_half_up(raw[m], RUBLE)
        before[m] = round_down(need[m], RUBLE) if rounded > need[m] else rounded
    amount, _ = take_back_to_fit(before, raw, budget, RUBLE)
    co = {m: Decimal(0) for m in amount}
    left = budget - sum(amount.values(), Decimal(0))
    while left >= RUBLE and passed:
        below = [a for a in passed if amount[a.municipality] + co[a.municipality] < need[a.municipality]]
        local_sum = sum((Decimal(a.local_funds) for a in below), Decimal(0))
        if not below or local_sum == 0:
            break
        shares = {a.municipality: r.remainder_share(a.local_funds, left, local_sum) for a in below}
        fit = {m: min(round_half_up(shares[m], RUBLE), round_down(need[m] - amount[m] - co[m], RUBLE)) for m in shares}
        given, _ = take_back_to_fit(fit, shares, left, RUBLE)
        for m, value in given.items():
            co[m] += value
        left -= sum(given.values(), Decimal(0))
        if not rnd.distribute_remainder_fully or not sum(given.values(), Decimal(0)):
            break
    final = {}
    for a in passed:
        m = a.municipality
        local = Decimal(a.local_funds_cofinanced if a.local_funds_cofinanced is not None else a.local_funds)
        regional = amount[m] + co[m]
        cap = r.cofinancing_cap(rnd.limit_rates[m])
        if r.cofinancing_rate(regional, local) > cap:
            regional = r.largest_regional_amount(local, cap)
        final[m] = regional
    return final


def bare_pdf(rows: list[list[str]]) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from socplan.reports.fonts import SERIF, register_fonts

    register_fonts()
    out = io.BytesIO()
    table = LongTable(rows, repeatRows=1)
    table.setStyle([("FONT", (0, 0), (-1, -1), SERIF, 6)])
    SimpleDocTemplate(out, pagesize=landscape(A4), initialFontName=SERIF).build([table])
    return out.getvalue()


def measure(fn, runs: int) -> tuple[float, float]:  # noqa: ANN001
    """Median time of ``runs`` plain runs, then the peak memory of one more run under tracemalloc."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2 ** 20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    inp = make_round()
    result = calculate(inp)
    assert bare_app12(inp) == result.amounts(), "the baseline must do the same arithmetic"
    ours, ours_mem = measure(lambda: calculate(inp), args.runs)
    base, base_mem = measure(lambda: bare_app12(inp), args.runs)
    print(f"App. 12, 33 МО: ours (with the full trace and result records) {ours * 1000:.1f} ms ({ours_mem:.1f} MB), "
          f"bare — the same arithmetic, no trace {base * 1000:.1f} ms ({base_mem:.2f} MB) → ratio {ours / base:.1f}×")
    calc = calculate(inp)
    t = trace_table(calc)
    rows = [[c.title for c in t.columns]] + [[cell_text(v, c.kind) for v, c in zip(r, t.columns)] for r in t.rows]
    ours, ours_mem = measure(lambda: protocol_pdf(calc, Signer("Исполнитель", "И.И. Иванов")), max(1, args.runs // 2))
    base, base_mem = measure(lambda: bare_pdf(rows), max(1, args.runs // 2))
    print(f"Protocol PDF ({len(calc.trace.steps)} trace steps + all tables): ours {ours:.2f} s ({ours_mem:.0f} MB), "
          f"bare reportlab trace table {base:.2f} s ({base_mem:.0f} MB) → ratio {ours / base:.1f}×")
    gui_edit(args.runs * 3)


def gui_edit(runs: int) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from socplan.ui.subsidies.round_view import RoundView

    app = QApplication.instance() or QApplication([])
    inp = make_round()

    class Env:  # the view needs only the context for saving, not used here
        ctx = None
        runner = None
        window = None

    view = RoundView(Env())  # type: ignore[arg-type]
    from socplan.services.subsidies.rounds import RoundData, RoundDetail, RoundRow

    data = RoundData("app12", 2025, inp.app12.budget)
    view.detail = RoundDetail(RoundRow(1, "app12", "", 2025, "", inp.app12.budget, 33, None, None), data, ())
    view.model.load(list(inp.app12.applications), dict(inp.app12.limit_rates))
    view.recalculate()
    column = next(i for i, c in enumerate(view.model.columns) if c.key == "local_funds") + 1
    values = iter(range(10 ** 6))

    def edit() -> None:
        view.model.setData(view.model.index(3, column), str(100000 + next(values)))
        app.processEvents()

    ours, _ = measure(edit, runs)
    bare_model = QStandardItemModel(33, 6)
    bare_view = QTableView()
    bare_view.setModel(bare_model)

    def bare() -> None:
        n = next(values)
        for r in range(33):
            for c in range(6):
                bare_model.setItem(r, c, QStandardItem(f"{n + r * c}"))
        app.processEvents()

    base, _ = measure(bare, runs)
    print(f"What-if edit, 33 МО: ours {ours * 1000:.0f} ms, bare item-model refresh {base * 1000:.1f} ms "
          f"→ ratio {ours / base:.0f}×")
    view.undo.indexChanged.disconnect()
    for widget in (view, bare_view):
        widget.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
