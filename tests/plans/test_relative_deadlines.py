"""Relative deadlines («в течение 10 рабочих дней со дня …») are never silently out of control."""

from __future__ import annotations

import datetime as dt

from socplan.domain.calendar import weekdays_only
from socplan.domain.deadlines import parse_deadline
from socplan.domain.relative_deadlines import UNDETERMINED, relative_control_dates
from socplan.services.notices import startup_notices
from socplan.services.plans import control, plans
from socplan.services.plans.rows import PointFilter

RELATIVE_EVENTS = ["1.1", "1.2", "2.6", "3.1", "3.2", "5.1", "5.2", "5.3"]


def _nok(ctx) -> int:  # noqa: ANN001
    return next(p.id for p in plans.list_plans(ctx) if p.kind == "events")


def test_fallback_is_the_end_of_the_named_period() -> None:
    """«IV квартал 2025 – 2026 гг., в течение 10 рабочих дней со дня …» → 31.12.2025 and 31.12.2026 until the
    anchor is known; «2025 – 2026 гг., в течение 5 рабочих дней …» → the ends of the years; a text naming no
    period gives no date at all (the event is listed as «срок не определён»)."""
    period = (dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    d = parse_deadline("IV квартал 2025 – 2026 гг., в течение 10 рабочих дней со дня проведения заседания "
                       "Общественного совета по НОК")
    assert [(c.due, c.fallback) for c in relative_control_dates(d, *period, None)] == [
        (dt.date(2025, 12, 31), True), (dt.date(2026, 12, 31), True)]
    d = parse_deadline("2025 – 2026 гг., в течение 5 рабочих дней со дня утверждения планов")
    assert [c.due for c in relative_control_dates(d, *period, None)] == [dt.date(2025, 12, 31), dt.date(2026, 12, 31)]
    d = parse_deadline("в течение 5 дней после дня проведения заседания")
    assert relative_control_dates(d, *period, None) == []


def test_relative_deadline_after_the_plan_period_is_kept_and_flagged() -> None:
    """Anchor Friday 25.12.2026 + 10 working days (weekdays only) = Friday 08.01.2027 — after the plan's period
    31.12.2026: kept, marked ``after_period`` (it used to be dropped)."""
    d = parse_deadline("IV квартал 2025 – 2026 гг., в течение 10 рабочих дней со дня проведения заседания "
                       "Общественного совета по НОК")
    (point,) = relative_control_dates(d, dt.date(2025, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 25),
                                      weekdays_only())
    assert point.due == dt.date(2027, 1, 8) and point.after_period
    assert point.warning == "срок истекает после окончания периода плана"


def test_overdue_list_of_the_seed_001_plan_on_15_01_2026(demo_ctx) -> None:  # noqa: ANN001
    """Seed 001 on 15.01.2026 (demo execution: 2.1, 2.4, 6.1 for I полугодие done; 7 postponed to 15.12.2025):
    «до 20 января» 12.1, 12.2 → 20.01.2025; «I квартал» 2.2, 2.3, 3.3, 4 → 31.03.2025; «постоянно» 10 → I
    полугодие 30.06.2025; 7 → 15.12.2025; at 31.12.2025: III–IV кв. 2.5, II полугодие 6.1, years 6.2, 8, 9, 10, 11.1,
    11.2 and the 8 relative deadlines without an anchor date (1.1, 1.2, 3.1, 5.1–5.3 → end of 2025; 2.6, 3.2 →
    end of IV квартал 2025). 24 points; before, the 8 relative events could never become overdue (16)."""
    nok = _nok(demo_ctx)
    today = dt.date(2026, 1, 15)
    rows = [p for p in control.overdue_points(demo_ctx, today=today) if p.plan_id == nok]
    got = sorted((p.due_date, p.event_number) for p in rows)
    end = dt.date(2025, 12, 31)
    expected = sorted([(dt.date(2025, 1, 20), "12.1"), (dt.date(2025, 1, 20), "12.2")]
                      + [(dt.date(2025, 3, 31), n) for n in ("2.2", "2.3", "3.3", "4")]
                      + [(dt.date(2025, 6, 30), "10"), (dt.date(2025, 12, 15), "7")]
                      + [(end, n) for n in ("2.5", "6.1", "6.2", "8", "9", "10", "11.1", "11.2")]
                      + [(end, n) for n in RELATIVE_EVENTS])
    assert got == expected and len(got) == 24
    labels = {p.event_number: p.period_label for p in rows if p.event_number in RELATIVE_EVENTS}
    assert labels["2.6"] == "IV квартал 2025 · срок не определён"
    assert labels["5.1"] == "2025 год · срок не определён"
    pending = [u for u in control.undetermined_deadlines(demo_ctx, today) if u.plan_id == nok]
    assert [u.event_number for u in pending] == RELATIVE_EVENTS
    assert all(u.message == UNDETERMINED for u in pending)
    assert {u.fallback_due for u in pending} == {dt.date(2026, 12, 31)}  # the next end of a named period


def test_anchor_replaces_the_fallback_and_after_period_is_warned(demo_ctx) -> None:  # noqa: ANN001
    """2.6 with the meeting on 24.12.2025 → 19.01.2026 (production calendar: 31.12.2025–11.01.2026 off); the
    fallback points go. 3.2 with an anchor on 28.12.2026 → after 31.12.2026: kept, labelled, listed as a warning."""
    nok = _nok(demo_ctx)
    events = {e.number: e for e in plans.list_events(demo_ctx, nok)}
    assert events["2.6"].point_count == 2 and events["2.6"].needs_anchor
    plans.set_anchor_date(demo_ctx, events["2.6"].id, dt.date(2025, 12, 24))
    pts = control.list_points(demo_ctx, PointFilter(plan_id=nok))
    assert [p.due_date for p in pts if p.event_id == events["2.6"].id] == [dt.date(2026, 1, 19)]
    row = plans.set_anchor_date(demo_ctx, events["3.2"].id, dt.date(2026, 12, 28))
    assert row.point_count == 1
    (point,) = [p for p in control.list_points(demo_ctx, PointFilter(plan_id=nok)) if p.event_id == row.id]
    assert point.due_date > dt.date(2026, 12, 31) and point.period_label.endswith("· после периода плана")
    pending = {u.event_number: u for u in control.undetermined_deadlines(demo_ctx, dt.date(2026, 1, 15))
               if u.plan_id == nok}
    assert "2.6" not in pending
    assert pending["3.2"].message.startswith(f"срок {point.due_date:%d.%m.%Y} истекает после окончания периода плана")


def test_startup_reminder_names_undetermined_deadlines(demo_ctx) -> None:  # noqa: ANN001
    """The start-up reminder counts the 8 relative deadlines of the seed-001 plan without an anchor date."""
    notices = startup_notices(demo_ctx, dt.date(2026, 1, 15))
    assert notices.undetermined_deadlines == 8
    assert "срок не определён — укажите дату события: 8" in notices.text()


def test_overdue_tab_lists_undetermined_deadlines(qtbot, demo_ctx) -> None:  # noqa: ANN001
    """The «Просроченные» tab says which events wait for their event date (seed 001: 8 relative deadlines)."""
    from PySide6.QtWidgets import QMainWindow

    from socplan.ui.env import UiEnv
    from socplan.ui.plans.section import create_section
    from socplan.ui.tasks import TaskRunner

    win = QMainWindow()
    qtbot.addWidget(win)
    tabs = create_section(UiEnv(demo_ctx, TaskRunner(win), win))
    label = tabs.overdue_tab.undetermined
    assert not label.isHidden()
    text = label.text()
    assert text.startswith("Сроки без даты события или за пределами плана (8):")
    assert text.count(UNDETERMINED) == 8 and "2.6 представление в Министерство результатов" in text
    assert tabs.control_tab.undetermined.isHidden()


def test_cli_overdue_and_control_points_of_a_database_made_before(demo_db_template, tmp_path, capsys) -> None:  # noqa: ANN001
    """A database whose relative events have no points yet (made by the previous version): `plans overdue` lists
    them as «срок не определён — укажите дату события»; `plans control-points` adds the 16 fallback points
    (8 events × 2 years) and then they are overdue on 15.01.2026 (8 of them, at 31.12.2025)."""
    import shutil

    from sqlalchemy import delete, select

    from socplan.app import main
    from socplan.db.database import open_database
    from socplan.db.models.plans import ControlPoint, PlanEvent
    from socplan.services.context import AppContext, User

    path = tmp_path / "old.sqlite"
    shutil.copyfile(demo_db_template, path)
    ctx = AppContext(open_database(path), User("Тестов", "специалист"))
    nok = _nok(ctx)
    with ctx.uow() as s:  # as the previous version left it: no points for relative deadlines
        ids = list(s.scalars(select(PlanEvent.id).where(PlanEvent.plan_id == nok, PlanEvent.deadline_kind == "relative")))
        s.execute(delete(ControlPoint).where(ControlPoint.event_id.in_(ids)))
        s.commit()
    ctx.db.close()
    assert main(["--db", str(path), "plans", "overdue", "--date", "15.01.2026"]) == 0
    out = capsys.readouterr().out
    assert "Просрочено контрольных точек на 15.01.2026: " in out
    assert "Относительные сроки без даты события или за пределами плана: 8" in out
    assert out.count("срок не определён — укажите дату события (контроль до даты события — 31.12.2026)") == 8
    assert main(["--db", str(path), "plans", "control-points", "--plan", str(nok)]) == 0
    assert f"План № {nok}: добавлено контрольных точек — 16" in capsys.readouterr().out
    assert main(["--db", str(path), "plans", "overdue", "--date", "15.01.2026", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    relative = [i for i in data["items"] if i["plan_id"] == nok and i["event_number"] in RELATIVE_EVENTS]
    assert len(relative) == 8 and {i["due_date"] for i in relative} == {"2025-12-31"}
