"""Consolidation on a PostgreSQL server vs a bare SQL query on the same rows (and the same on SQLite).

33 territories × 200 indicators × N years × 12 months of values (N = 2 with ``--quick``, else 7: 554 400
values) are written once into a throw-away PostgreSQL cluster (tests/postgres/pg_cluster.py: initdb into a
temporary folder, needs the ``postgresql`` package's binaries) and into a SQLite file. Then, on each:
СоцПлан's consolidation by the indicators' rules vs a bare ``GROUP BY`` aggregation of the same rows.

Run: ``PYTHONPATH=src python benchmarks/bench_postgres.py [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "postgres"))

import pg_cluster  # noqa: E402
from bench_indicators import add_form, fill_monthly_facts  # noqa: E402
from sqlalchemy import text  # noqa: E402

from socplan.db.database import open_database  # noqa: E402
from socplan.domain.indicators import Period  # noqa: E402
from socplan.services.context import AppContext, User  # noqa: E402
from socplan.services.demo import load_reference  # noqa: E402

BARE = {
    "postgresql": "SELECT indicator_id, year, period_no, SUM(CAST(value AS numeric)), COUNT(*) FROM ind_value "
                  "WHERE period_kind = 'month' AND kind = 'fact' GROUP BY indicator_id, year, period_no",
    "sqlite": "SELECT indicator_id, year, period_no, SUM(CAST(value AS REAL)), COUNT(*) FROM ind_value "
              "WHERE period_kind = 'month' AND kind = 'fact' GROUP BY indicator_id, year, period_no",
}


def fill(location: str | Path, years: range) -> tuple[AppContext, int]:
    db = open_database(location, create=True, lock=False) if not isinstance(location, str) else open_database(location)
    with db.session() as s:
        load_reference(s)
        s.commit()
    _terr, _ind, total = fill_monthly_facts(db, add_form(db, "БК", 200), years)
    if db.backend == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    return AppContext(db, User("Бенчмарк", "аналитик")), total


def measure(ctx: AppContext, years: range) -> tuple[float, float]:
    from socplan.services.indicators.analysis import consolidate_periods

    periods = [Period(y, "month", m) for y in years for m in range(1, 13)]
    start = time.perf_counter()
    ours = consolidate_periods(ctx, "БК", periods)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    with ctx.db.engine.connect() as conn:
        bare = conn.execute(text(BARE[ctx.db.backend])).all()
    t_bare = time.perf_counter() - start
    first_indicator = min(r[0] for r in bare)
    sql_first = next(r[3] for r in bare if r[0] == first_indicator and r[1] == years[0] and r[2] == 1)
    assert Decimal(str(int(sql_first))) == ours[periods[0]]["1"].fact, (sql_first, ours[periods[0]]["1"].fact)
    return t_ours, t_bare


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    years = range(2024, 2026 if parser.parse_args().quick else 2031)
    cluster = pg_cluster.Cluster().start()
    try:
        cluster.create_database("socplan_bench")
        with tempfile.TemporaryDirectory() as tmp:
            for label, location in (("PostgreSQL", cluster.url("socplan_bench")), ("SQLite", Path(tmp) / "b.sqlite")):
                start = time.perf_counter()
                ctx, total = fill(location, years)
                t_fill = time.perf_counter() - start
                t_ours, t_bare = measure(ctx, years)
                print(f"{label}: {total} значений (запись {t_fill:.1f} с); консолидация СоцПлан {t_ours:.2f} с, "
                      f"голый SQL GROUP BY {t_bare:.2f} с, отношение {t_ours / t_bare:.1f}×")
                ctx.db.close()
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
