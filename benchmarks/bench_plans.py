"""Plans benchmark: a plan of 2 000 events over 7 years (2024–2030), half monthly, half quarterly.

Measures, each against a bare baseline doing the same rows in the same run:
1. generating the control points (ours: deadline parsing + production calendar + bulk insert + audit summary;
   baseline: month/quarter ends computed inline, plain ``sqlite3`` executemany);
2. the overdue list (ours: ``control.list_points(overdue_only)`` → frozen rows with executors;
   baseline: one plain SQL join);
3. the 100+-page execution report PDF (ours: ``reports.execution_report`` incl. data gathering, the document
   engine and the journal record; baseline: raw reportlab LongTable of the same rows, same font).

    PYTHONPATH=src python benchmarks/bench_plans.py [--events 2000]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def _timed(fn, memory: bool = False):  # noqa: ANN001, ANN202
    """Wall time of one run; with ``memory`` a second run under tracemalloc gives the peak (tracemalloc slows
    Python several times, so time and memory are never taken from the same run)."""
    t0 = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t0
    peak = 0.0
    if memory:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    return result, elapsed, peak


def _row(name: str, ours: tuple[float, float], base: tuple[float, float], extra: str = "") -> None:
    mem = f", memory {ours[1] / max(base[1], 1e-9):4.1f}× ({ours[1]:.0f} MB vs {base[1]:.0f} MB)" if base[1] else ""
    print(f"{name:40} ours {ours[0]:7.2f} s | baseline {base[0]:7.2f} s | ratio time "
          f"{ours[0] / max(base[0], 1e-9):5.1f}×{mem} {extra}")


def build_plan(ctx, n_events: int) -> int:  # noqa: ANN001
    from socplan.services.plans.plans import add_event_in, create_plan_in, renumber
    from socplan.services.plans.rows import EventInput, PlanInput
    from socplan.services.reference import get_or_create_organisation

    with ctx.uow(reason="benchmark") as s:
        orgs = [get_or_create_organisation(s, f"Исполнитель № {i}", f"Исп-{i}").short_name for i in range(20)]
        plan = create_plan_in(s, PlanInput("План мероприятий (нагрузочный)", 2024, 2030))
        groups = 100
        per_group = n_events // groups - 1
        for g in range(groups):
            parent = add_event_in(s, plan, EventInput(f"Раздел {g + 1}: организационные мероприятия"),
                                  renumber_now=False)
            s.flush()
            for k in range(per_group):
                wording = "ежемесячно" if k % 2 == 0 else "ежеквартально"
                add_event_in(s, plan, EventInput(
                    f"Мероприятие {g + 1}.{k + 1}: размещение информации о реализации мероприятий на сайтах "
                    f"Министерства и организаций социального обслуживания", "Информация на сайте", wording,
                    (orgs[(g + k) % 20], orgs[(g + 2 * k) % 20])), parent, renumber_now=False)
        renumber(s, plan)
        plan.status = "approved"
        s.commit()
        return plan.id


def baseline_points(path: Path, plan_id: int) -> int:
    con = sqlite3.connect(path)
    events = con.execute("SELECT id, deadline_text FROM plan_event WHERE plan_id = ? AND deadline_text != ''",
                         (plan_id,)).fetchall()
    rows = []
    for eid, text in events:
        step = 1 if text == "ежемесячно" else 3
        for y in range(2024, 2031):
            for m in range(step, 13, step):
                d = dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()
                rows.append((eid, d, d, "", "not_started", ""))
    con.executemany("INSERT INTO plan_control_point (event_id, due_date, original_due_date, period_label, status, "
                    "info) VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return len(rows)


def baseline_overdue(path: Path, today: dt.date) -> int:
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT cp.id, cp.due_date, e.number, e.text, p.title, group_concat(o.short_name, ', ') "
        "FROM plan_control_point cp JOIN plan_event e ON e.id = cp.event_id JOIN plan p ON p.id = e.plan_id "
        "LEFT JOIN plan_event_organisation peo ON peo.event_id = e.id LEFT JOIN organisation o ON o.id = "
        "peo.organisation_id WHERE p.status = 'approved' AND cp.status IN ('not_started','in_progress','postponed') "
        "AND cp.due_date < ? GROUP BY cp.id ORDER BY cp.due_date, e.sort_key", (today.isoformat(),)).fetchall()
    con.close()
    return len(rows)


def baseline_pdf(data) -> bytes:  # noqa: ANN001
    import io

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate

    from socplan.reports.fonts import SERIF, register_fonts

    register_fonts()
    st = ParagraphStyle("b", fontName=SERIF, fontSize=11, leading=12.6)
    rows = [[Paragraph(x, st) for x in ("№", "Мероприятие", "Срок", "Исполнители", "Статус", "Информация")]]
    for line in data.lines:
        rows.append([Paragraph(x.replace("\n", "<br/>"), st) for x in
                     (line.number, line.text, line.deadline, line.executors, line.status, line.info)])
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm)
    table = LongTable(rows, colWidths=[w * mm for w in (12, 75, 36, 43, 27, 64)], repeatRows=1)
    doc.build([table])
    return out.getvalue()


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        info = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True).stdout
    return int(next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "0"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    from socplan.db.database import open_database
    from socplan.services.context import AppContext, User
    from socplan.services.plans import control, reports
    from socplan.services.plans.calendar import load_calendar
    from socplan.services.plans.control import generate_control_points
    from socplan.services.plans.rows import PointFilter

    tmp = Path(tempfile.mkdtemp(prefix="bench_plans_"))
    ours_db, base_db = tmp / "ours.sqlite", tmp / "base.sqlite"
    db = open_database(ours_db, create=True, lock=False)
    ctx = AppContext(db, User("Бенчмарк", "нагрузка"))
    t0 = time.perf_counter()
    plan_id = build_plan(ctx, args.events)
    print(f"plan of {args.events} events built in {time.perf_counter() - t0:.1f} s (not measured)")
    db.engine.dispose()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    import shutil

    shutil.copyfile(ours_db, base_db)

    def ours_points() -> int:
        with ctx.uow(reason="benchmark") as s:
            from socplan.db.models.plans import Plan

            n = generate_control_points(s, s.get(Plan, plan_id), calendar=load_calendar(s))
            s.commit()
            return n

    n1, t_ours, m_ours = _timed(ours_points)
    n2, t_base, m_base = _timed(lambda: baseline_points(base_db, plan_id))
    assert n1 == n2, (n1, n2)
    _row(f"control points ({n1} rows)", (t_ours, m_ours), (t_base, m_base))

    today = dt.date(2027, 7, 1)
    r1, t_ours, m_ours = _timed(lambda: control.list_points(ctx, PointFilter(overdue_only=True, today=today)), True)
    r2, t_base, m_base = _timed(lambda: baseline_overdue(base_db, today), True)
    assert len(r1) == r2, (len(r1), r2)
    _row(f"overdue list ({r2} rows)", (t_ours, m_ours), (t_base, m_base))

    start, end = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    report, t_ours, m_ours = _timed(lambda: reports.execution_report(ctx, plan_id, start, end, today=today,
                                                                     with_xlsx=False))
    data = reports.execution_data(ctx, plan_id, start, end, today=today)
    pdf, t_base, m_base = _timed(lambda: baseline_pdf(data))
    _row("execution report PDF", (t_ours, m_ours), (t_base, m_base),
         f"({pages(report.pdf)} pages vs {pages(pdf)} pages)")
    db.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
