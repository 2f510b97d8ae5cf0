"""Plans, events, revisions, control points and execution on the demo database."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.domain.errors import ConflictError, ValidationError
from socplan.domain.plans import FinancingCell, financing_violations, numbering_problems
from socplan.services.plans import control, plans
from socplan.services.plans.checks import control_ratio_violations
from socplan.services.plans.rows import EventInput, PlanInput, PointFilter


def _plan_id(ctx, kind: str) -> int:
    return next(p.id for p in plans.list_plans(ctx) if p.kind == kind)


def test_demo_plans_keep_the_seed_wording(demo_ctx) -> None:
    rows = {p.kind: p for p in plans.list_plans(demo_ctx)}
    nok = rows["events"]
    assert nok.approval_name == "И.П. Варнавская" and nok.approval_date == dt.date(2024, 12, 23)
    assert nok.event_count == 32 and nok.status_label == "утверждён"
    events = {e.number: e for e in plans.list_events(demo_ctx, nok.id)}
    assert events["1.1"].controllers == ("ДСО", "УДСП")
    assert events["2.4"].deadline_text == "I – II квартал 2025 – 2026 гг."
    assert events["5.3"].deadline_text == "2025 – 2026 гг., в течение 5 рабочих дней со дня утверждения планов"
    assert rows["campaign"].event_count == 12 and rows["approbation"].event_count == 29
    appr = {e.number: e for e in plans.list_events(demo_ctx, rows["approbation"].id)}
    assert appr["3"].text == "Коммуникационная поддержка" and appr["3.1"].depth == 1


def test_control_points_follow_periodicity(demo_ctx) -> None:
    campaign = _plan_id(demo_ctx, "campaign")
    points = control.list_points(demo_ctx, PointFilter(plan_id=campaign))
    by_event: dict[str, list] = {}
    for p in points:
        by_event.setdefault(p.event_number, []).append(p)
    assert len(by_event["1"]) == 12  # ежемесячно
    assert len(by_event["3"]) == 4  # ежеквартально
    assert [p.due_date for p in by_event["2"]] == [dt.date(2017, 6, 30), dt.date(2017, 12, 31)]
    assert len(by_event["4"]) == 4  # постоянно: one per reporting period (quarterly)
    assert by_event["11"][0].due_date == dt.date(2017, 3, 31)  # март 2017
    assert by_event["3"][0].period_label == "I квартал 2017"


def test_relative_deadline_gets_its_point_once_the_anchor_is_known(demo_ctx) -> None:
    nok = _plan_id(demo_ctx, "events")
    ev = next(e for e in plans.list_events(demo_ctx, nok) if e.number == "2.6")
    assert ev.point_count == 2 and ev.needs_anchor  # fallback: end of IV квартал 2025 and 2026
    row = plans.set_anchor_date(demo_ctx, ev.id, dt.date(2025, 12, 24))
    assert row.point_count == 1
    pts = control.list_points(demo_ctx, PointFilter(plan_id=nok))
    assert [p.due_date for p in pts if p.event_id == ev.id] == [dt.date(2026, 1, 19)]  # production calendar


def test_execution_report_is_audited_and_documents_hashed(demo_ctx) -> None:
    nok = _plan_id(demo_ctx, "events")
    point = next(p for p in control.list_points(demo_ctx, PointFilter(plan_id=nok)) if p.event_number == "2.2")
    with pytest.raises(ValidationError, match="информацию об исполнении"):
        control.report_point(demo_ctx, point.id, "done", "")
    done = control.report_point(demo_ctx, point.id, "done", "Техническое задание согласовано.",
                                reported_on=dt.date(2025, 3, 25), reporter_short_name="ДСО",
                                )
    assert done.status_label == "выполнено" and done.reporter == "ДСО" and not done.overdue
    content = "Протокол заседания".encode()
    doc = control.attach_document(demo_ctx, point.id, "/tmp/протокол.pdf", content)
    assert doc.sha256 == hashlib.sha256(content).hexdigest() and doc.file_name == "протокол.pdf"
    assert control.document_content(demo_ctx, doc.id) == content
    with demo_ctx.uow() as s:
        log = s.scalars(select(AuditLog).where(AuditLog.entity == "plan_control_point",
                                               AuditLog.entity_id == str(point.id),
                                               AuditLog.field == "status")).all()
    assert [(r.old, r.new, r.user_name) for r in log] == [("not_started", "done", "Тестов Тест Тестович")]
    with pytest.raises(ValidationError, match="Новый срок"):
        control.report_point(demo_ctx, point.id, "postponed", "перенос", new_due_date=dt.date(2025, 1, 1))


def test_overdue_list_and_count(demo_ctx) -> None:
    today = dt.date(2025, 4, 1)
    overdue = control.overdue_points(demo_ctx, today=today)
    assert overdue and all(p.due_date < today and p.status_label != "выполнено" for p in overdue)
    assert {p.event_number for p in overdue if p.plan_title.startswith("План Министерства")} >= {"2.2", "2.3", "12.1"}
    assert control.overdue_count(demo_ctx, today=today) == len(overdue)
    mine = control.overdue_points(demo_ctx, today=today, organisation_short_name="УДСП")
    assert mine and all("УДСП" in p.executors for p in mine)


def test_approved_plan_is_frozen_and_revision_diff(demo_ctx) -> None:
    nok = _plan_id(demo_ctx, "events")
    ev = plans.list_events(demo_ctx, nok)[1]
    with pytest.raises(ConflictError, match="новую редакцию"):
        plans.update_event(demo_ctx, ev.id, EventInput(text="другое"))
    rev = plans.create_revision(demo_ctx, nok)
    assert rev.revision == 2 and rev.status == "draft" and rev.event_count == 32
    events = {e.number: e for e in plans.list_events(demo_ctx, rev.id)}
    plans.update_event(demo_ctx, events["7"].id, EventInput(
        text=events["7"].text, form=events["7"].form, deadline_text="до 1 июня 2025 – 2026 гг.",
        executors=("Аналитический отдел Министерства",)))
    plans.move_event(demo_ctx, events["2.6"].id, events["2"].id, 0)  # 2.6 becomes 2.1
    after = {e.text: e.number for e in plans.list_events(demo_ctx, rev.id)}
    assert after[events["2.6"].text] == "2.1" and after[events["2.1"].text] == "2.2"
    diff = plans.revision_diff(demo_ctx, nok, rev.id)
    assert any(c.field == "срок" and c.new == "до 1 июня 2025 – 2026 гг." for c in diff)
    assert any(c.field == "номер" and c.old == "2.6" and c.new == "2.1" for c in diff)
    plans.set_plan_status(demo_ctx, rev.id, "approved")
    statuses = {p.id: p.status for p in plans.list_plans(demo_ctx)}
    assert statuses[nok] == "archived" and statuses[rev.id] == "approved"


def test_new_plan_events_numbering_and_unknown_executor(ctx) -> None:
    p = plans.create_plan(ctx, PlanInput("План проверки", 2025, 2025))
    a = plans.add_event(ctx, p.id, EventInput("Первое", deadline_text="ежеквартально"))
    b = plans.add_event(ctx, p.id, EventInput("Второе", deadline_text="март 2025"))
    c = plans.add_event(ctx, p.id, EventInput("Подпункт"), parent_id=b.id)
    assert (a.number, b.number, c.number) == ("1", "2", "2.1")
    plans.move_event(ctx, b.id, None, 0)
    assert [e.number + " " + e.text for e in plans.list_events(ctx, p.id)] == [
        "1 Второе", "1.1 Подпункт", "2 Первое"]
    with pytest.raises(ValidationError, match="Нет в справочнике организаций: Несуществующее ведомство"):
        plans.add_event(ctx, p.id, EventInput("Третье", executors=("Несуществующее ведомство",)))
    with pytest.raises(ConflictError, match="собственного подпункта"):
        plans.move_event(ctx, b.id, c.id, 0)
    plans.set_plan_status(ctx, p.id, "approved")
    assert len(control.list_points(ctx, PointFilter(plan_id=p.id))) == 5  # 4 quarters + март


def test_financing_control_ratios(demo_ctx) -> None:
    with demo_ctx.uow() as s:
        violations = control_ratio_violations(s)
    # seed 003 Appendix 4: «807 139 381,57» stated, the years add up to 807 139 581,57
    assert {v.where.rsplit(", ", 1)[0][-15:] for v in violations} == {"мероприятие 2.1"}
    assert violations[0].left == Decimal("807139381.57") and violations[0].right == Decimal("807139581.57")
    cells = [FinancingCell("", None, Decimal("300")), FinancingCell("", 2025, Decimal("100")),
             FinancingCell("", 2026, Decimal("200")), FinancingCell("ОБ", None, Decimal("250")),
             FinancingCell("ФБ", None, Decimal("40"))]
    v = financing_violations("мероприятие 1", cells)
    assert [x.rule_code for x in v] == ["plans.financing.sources"] and v[0].right == Decimal("290")


def test_numbering_problems() -> None:
    assert numbering_problems(["1", "1.1", "1.2", "2"]) == []
    assert numbering_problems(["1", "1.1", "1.3"]) == ["Номер 1.3 нарушает порядок: ожидался 1.2."]
    assert numbering_problems(["1", "3.1"])[0] == "Пункт 3.1: нет пункта 3, в который он входит."


def test_production_calendar_is_editable_by_the_administrator(ctx) -> None:
    from socplan.domain.errors import SocPlanError
    from socplan.services.plans.calendar import reset_calendar_year, save_calendar_year, work_calendar

    cal = work_calendar(ctx)
    assert cal.known_years() == [2024, 2025, 2026, 2027] and cal.working_days_in_year(2025) == 247
    year = cal.years[2027]
    # the administrator adds a transfer: Friday 31.12.2027 becomes a day off
    save_calendar_year(ctx, 2027, sorted(year.holidays | {dt.date(2027, 12, 31)}), [], "approved", "Постановление")
    assert work_calendar(ctx).working_days_in_year(2027) == 248
    with pytest.raises(SocPlanError, match="одновременно выходным и рабочим"):
        save_calendar_year(ctx, 2027, [dt.date(2027, 1, 4)], [dt.date(2027, 1, 4)])
    with pytest.raises(SocPlanError, match="не относится к 2027"):
        save_calendar_year(ctx, 2027, [dt.date(2026, 1, 4)], [])
    reset_calendar_year(ctx, 2027)
    assert work_calendar(ctx).working_days_in_year(2027) == 249
