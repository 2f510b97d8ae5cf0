"""Issue 14: a plan execution report's status follows the dates, lists the co-executors and uses no software
words (seed 002's approbation plan: its events are due on 01.09.2023 and later)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from socplan.domain import plans as rules
from socplan.services.plans import plans
from socplan.services.plans.reports import execution_data, execution_report, plan_document

D = dt.date
DONE, OPEN = rules.PointStatus.DONE, rules.PointStatus.NOT_STARTED


def test_status_follows_the_dates() -> None:
    """Report for 2025 made on 31.12.2025: a point due 01.09.2023 and not reported is «не выполнено» and
    overdue; one reported done stays «выполнено»; a point due in 2026 has «срок не наступил»; a point due in the
    period whose date passed without a report is «не выполнено»; one due later in the period is «не начато»."""
    status = rules.event_execution_status
    y_from, y_to, as_of = D(2025, 1, 1), D(2025, 12, 31), D(2025, 12, 31)
    assert status([(D(2023, 9, 1), OPEN)], y_from, y_to, as_of) == rules.EventExecution("не выполнено", True)
    assert status([(D(2023, 9, 1), DONE)], y_from, y_to, as_of) == rules.EventExecution("выполнено", False)
    assert status([(D(2026, 3, 1), OPEN)], y_from, y_to, as_of) == rules.EventExecution("срок не наступил", False)
    assert status([(D(2025, 3, 1), OPEN)], y_from, y_to, as_of) == rules.EventExecution("не выполнено", True)
    assert status([(D(2025, 12, 31), OPEN)], y_from, y_to, D(2025, 12, 1)).label == "не начато"
    assert status([], y_from, y_to, as_of).label == "срок не определён"


def test_approbation_plan_report_for_2025(demo_ctx, tmp_path: Path) -> None:
    plan = next(p for p in plans.list_plans(demo_ctx) if "апробации" in p.title)
    data = execution_data(demo_ctx, plan.id, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 1, 15))
    events = [line for line in data.lines if not line.is_group]
    assert events and not any(line.status == "срок не наступил" for line in events)  # every deadline is past
    by_number = {line.number: line for line in data.lines}
    assert by_number["1.2"].status == "не выполнено" and by_number["1.2"].overdue
    # co-executors as the plan words them
    assert "департамент по делам молодежи, физической культуры и спорта" in by_number["1.2"].executors
    report = execution_report(demo_ctx, plan.id, D(2025, 1, 1), D(2025, 12, 31), today=D(2026, 1, 15))
    out = tmp_path / "r.pdf"
    out.write_bytes(report.pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("срок не наступил", "changed_by", "not_started", "Редакция", "отметка "):
        assert word not in text, word


def test_executed_plan_prints_without_revision_and_status_words(demo_ctx, tmp_path: Path) -> None:
    executed = next(p for p in plans.list_plans(demo_ctx) if p.status == "executed")
    out = tmp_path / "plan.pdf"
    out.write_bytes(plan_document(demo_ctx, executed.id).pdf)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Редакция" not in text and "статус:" not in text
