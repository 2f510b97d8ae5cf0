"""Protocols benchmark: control of execution with many assignments, against bare baselines in the same run.

    python benchmarks/bench_protocols.py [--assignments N] [--runs R]

1. Listing assignments (``services.protocols.control.list_assignments``: ORM, frozen rows with responsibles,
   documents, labels) against one plain SQL join reading the same columns through sqlite3.
2. «Информация об исполнении решений» as PDF (``build_execution_report``: rows, «(далее – …)» rendering,
   the seed-000 table, recording in the journal) against raw reportlab drawing the same cells in a LongTable.
Medians of R alternating runs; peak memory with tracemalloc. Works in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def build_database(folder: Path, assignments: int):  # noqa: ANN201
    from socplan.db.database import open_database
    from socplan.db.models.protocols import AgendaItem, Decision, DecisionResponsible, Meeting
    from socplan.services import demo
    from socplan.services.context import AppContext, User
    from socplan.services.protocols.demo import load_demo

    db = open_database(folder / "bench.sqlite", create=True, lock=False)
    with db.session() as s:
        demo.load_reference(s)
        load_demo(s)
        s.commit()
    ctx = AppContext(db, User("Бенчмарк", "специалист"))
    with db.session() as s:
        from socplan.db.models.protocols import Body

        body = Body(kind="commission", name="Комиссия для замера", name_genitive="комиссии для замера",
                    short_name="Комиссия", short_name_genitive="Комиссии")
        s.add(body)
        s.flush()
        from sqlalchemy import select

        from socplan.db.models.reference import Organisation

        orgs = list(s.scalars(select(Organisation.id)))
        per_meeting = 10
        for m in range(assignments // per_meeting):
            meeting = Meeting(body_id=body.id, date=dt.date(2023, 1, 1) + dt.timedelta(days=7 * m), place="г. Омск")
            s.add(meeting)
            item = AgendaItem(number=1, title="Вопрос")
            meeting.agenda.append(item)
            for k in range(per_meeting):
                d = Decision(point=k + 1, text=f"Поручение {m}.{k}: подготовить и направить информацию " * 3,
                             deadline_text="в срок до 1 мая 2024 года", due_date=dt.date(2024, 5, 1),
                             outcome="not_counted", control_status="done",
                             execution_info="Выполнено письмом.\nИнформация направлена в установленный срок.")
                item.decisions.append(d)
                for j in range(3):
                    d.responsibles.append(DecisionResponsible(organisation_id=orgs[(k + j) % len(orgs)], sort_order=j))
        s.commit()
    return ctx, body.id


def baseline_list(db_path: Path, body_id: int) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(
            "SELECT d.id, m.date, a.number, d.point, d.subpoint, d.text, d.deadline_text, d.due_date, "
            "d.control_status, d.execution_info, group_concat(o.short_name, ', ') "
            "FROM pr_decision d JOIN pr_agenda_item a ON a.id = d.agenda_item_id JOIN pr_meeting m ON m.id = a.meeting_id "
            "LEFT JOIN pr_decision_responsible r ON r.decision_id = d.id LEFT JOIN organisation o ON o.id = r.organisation_id "
            "WHERE m.body_id = ? AND d.control_status != '' GROUP BY d.id ORDER BY m.date, a.number, d.point",
            (body_id,)).fetchall()
    finally:
        con.close()


def baseline_pdf(rows: list[tuple]) -> bytes:
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    from socplan.reports.fonts import SERIF, register_fonts

    register_fonts()
    st = ParagraphStyle("b", fontName=SERIF, fontSize=11, leading=12.6)
    data = [[Paragraph(h, st) for h in ("№ п/п", "Пункт протокола", "Содержание поручения", "Ответственные",
                                         "Информация об исполнении")]]
    for n, r in enumerate(rows, start=1):
        data.append([Paragraph(str(n), st), Paragraph(f"пункт {r[3]} вопроса № {r[2]}", st), Paragraph(r[5], st),
                     Paragraph(r[10] or "", st), Paragraph(r[9].replace("\n", "<br/>"), st)])
    table = LongTable(data, colWidths=[w * mm for w in (12, 30, 88, 52, 80)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=20 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                      bottomMargin=20 * mm).build([table])
    return buffer.getvalue()


def measure(fn) -> tuple[float, int]:  # noqa: ANN001
    tracemalloc.start()
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignments", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SOCPLAN_CONFIG_DIR"] = str(folder / "config")
        os.environ["SOCPLAN_DATA_DIR"] = str(folder / "data")
        ctx, body_id = build_database(folder, args.assignments)
        from socplan.services.protocols.control import AssignmentFilter, list_assignments
        from socplan.services.protocols.printing import build_execution_report

        rows = baseline_list(ctx.db.path, body_id)
        cases = {
            "список поручений": (lambda: list_assignments(ctx, AssignmentFilter(body_id=body_id)),
                                 lambda: baseline_list(ctx.db.path, body_id)),
            "отчёт об исполнении (PDF)": (lambda: build_execution_report(ctx, body_id, "pdf"),
                                          lambda: baseline_pdf(rows)),
        }
        print(f"Поручений: {len(rows)}; прогонов: {args.runs}")
        print(f"{'операция':<28}{'наше, с':>10}{'база, с':>10}{'отношение':>11}{'память наша/база':>20}")
        for name, (ours, base) in cases.items():
            ours_t, base_t, ours_m, base_m = [], [], [], []
            for _ in range(args.runs):
                t, m = measure(ours)
                ours_t.append(t)
                ours_m.append(m)
                t, m = measure(base)
                base_t.append(t)
                base_m.append(m)
            o, b = statistics.median(ours_t), statistics.median(base_t)
            mo, mb = statistics.median(ours_m), statistics.median(base_m)
            print(f"{name:<28}{o:>10.3f}{b:>10.3f}{o / b:>11.2f}{mo / max(mb, 1):>20.2f}")
        ctx.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
