"""Board benchmark: the completeness and timeliness board for 33 territories × 20 monthly forms.

Volume: 20 forms × 10 indicators; values (fact) for 33 territories × 13 months (the board's month and the 12
before it, which the data-quality check compares with) = 85 800 values; for the board's month every cell has a
state (a mix of not started, draft, submitted, returned, accepted) and the cycle journal holds its submission.

Measured in one run on a warm database:
- ``board(..., with_quality=False)``: states, due dates (rule + working-day calendar + extensions), first
  submission, days late — what the window shows first;
- ``board(...)`` with the data-quality check (robust z-scores against 12 previous months and 32 peers);
- baseline: one bare SQL query returning the same states and first submission times per cell (no due dates,
  no calendar, no Python objects).
Prints the medians of 5 runs and the ratios to the baseline. Not a timed test: it reports, it does not judge.

Run: ``.venv/bin/python benchmarks/bench_cycle_board.py``
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select, text

FORMS, INDICATORS, HISTORY = 20, 10, 12
RUNS = 5


def median_time(fn) -> tuple[float, object]:  # noqa: ANN001
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def build(path: Path):  # noqa: ANN201
    from socplan.db.database import open_database
    from socplan.db.models.cycle import CycleStep, DueRuleRow
    from socplan.db.models.indicators import FormSubmission, Indicator, IndicatorForm, IndicatorValue
    from socplan.db.models.reference import Territory
    from socplan.services.demo import load_reference

    db = open_database(path, create=True, lock=False)
    with db.session(user_name="benchmark") as s:
        load_reference(s)
        territories = list(s.scalars(select(Territory).where(Territory.kind.in_(("city", "district")))))
        forms = []
        for f in range(FORMS):
            form = IndicatorForm(code=f"Ф{f + 1:02d}", name=f"Форма мониторинга № {f + 1}", territorial=True,
                                 sort_order=f)
            form.indicators = [Indicator(code=str(i + 1), name=f"Показатель {i + 1}", unit_name="человек",
                                         decimals=0, sort_order=i) for i in range(INDICATORS)]
            s.add(form)
            forms.append(form)
        s.flush()
        for form in forms:
            s.add(DueRuleRow(form_id=form.id, period_kind="month", day=10, months_after=1, month=0, working_days=0,
                             set_at=dt.datetime(2024, 1, 1)))
        values, subs, steps = [], [], []
        months = [(2025, m) for m in range(3, 13)] + [(2026, 1), (2026, 2), (2026, 3)]  # 13 months, board: 2026-03
        for fi, form in enumerate(forms):
            for ti, t in enumerate(territories):
                for year, month in months:
                    for ind in form.indicators:
                        values.append(dict(indicator_id=ind.id, component="", territory_id=t.id, year=year,
                                           period_kind="month", period_no=month, kind="fact",
                                           value=Decimal(100 + ti + int(ind.code)), qualifier="", comment=""))
                state = ("draft", "submitted", "returned", "accepted", "accepted", None)[(fi + ti) % 6]
                if state:
                    scope = dict(form_id=form.id, territory_id=t.id, year=2026, period_kind="month", period_no=3)
                    subs.append(dict(scope, state=state, changed_at=dt.datetime(2026, 4, 12), changed_by="", note=""))
                    if state != "draft":
                        steps.append(dict(scope, from_state="draft", to_state="submitted", user_name="",
                                          note="", at=dt.datetime(2026, 4, 8 + (ti % 5), 6)))
        s.execute(insert(IndicatorValue), values)
        s.execute(insert(FormSubmission), subs)
        s.execute(insert(CycleStep), steps)
        s.commit()
    return db, len(values)


BARE = text("""
    SELECT f.code, t.name, s.state, MIN(c.at)
    FROM ind_form f CROSS JOIN territory t
    LEFT JOIN ind_submission s ON s.form_id = f.id AND s.territory_id = t.id
         AND s.year = :y AND s.period_kind = 'month' AND s.period_no = :m
    LEFT JOIN cycle_step c ON c.form_id = f.id AND c.territory_id = t.id AND c.year = :y
         AND c.period_kind = 'month' AND c.period_no = :m AND c.to_state = 'submitted'
    WHERE t.kind IN ('city', 'district')
    GROUP BY f.code, t.name, s.state
""")


def main() -> int:
    from socplan.domain.indicators import Period
    from socplan.services.context import AppContext, User
    from socplan.services.cycle.board import board

    with tempfile.TemporaryDirectory(prefix="socplan-bench-board-") as tmp:
        started = time.perf_counter()
        db, n_values = build(Path(tmp) / "board.sqlite")
        print(f"database: {FORMS} forms × {INDICATORS} indicators, 33 territories, {n_values} values "
              f"(built in {time.perf_counter() - started:.1f} s)")
        ctx = AppContext(db, User("benchmark"))
        period = Period(2026, "month", 3)
        today = dt.date(2026, 4, 20)
        board(ctx, period, today=today)  # warm-up: calendar copied, caches filled

        def bare() -> list:
            with db.engine.connect() as conn:
                return conn.execute(BARE, {"y": 2026, "m": 3}).all()

        t_bare, rows = median_time(bare)
        t_plain, plain = median_time(lambda: board(ctx, period, today=today, with_quality=False))
        t_full, full = median_time(lambda: board(ctx, period, today=today))
        assert len(rows) == plain.expected == FORMS * 33, (len(rows), plain.expected)
        counts = {s.label: n for s, n in plain.counts().items()}
        print(f"cells: {plain.expected}; {counts}; % complete {plain.percent_complete}, on time {plain.percent_on_time}")
        print(f"bare SQL of the states:            {t_bare * 1000:8.1f} ms")
        print(f"board without the quality check:   {t_plain * 1000:8.1f} ms   ratio {t_plain / t_bare:6.1f}×")
        print(f"board with the quality check:      {t_full * 1000:8.1f} ms   ratio {t_full / t_bare:6.1f}×  "
              f"(values flagged: {sum(c.flags for c in full.cells.values())})")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
