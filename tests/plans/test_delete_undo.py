"""«Удалить» is undoable: the deletion returns a snapshot of the subtree and restoring it gives the same tree."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.db.models.plans import ControlPoint, ControlPointDocument, PlanEvent
from socplan.domain.errors import ConflictError
from socplan.services.plans import deletion, plans
from socplan.services.plans.control import generate_control_points
from socplan.ui.env import UiEnv
from socplan.ui.plans.section import create_section
from socplan.ui.tasks import TaskRunner


def _tree(ctx, plan_id: int) -> list[tuple]:
    """Everything a user sees of the tree, without the database ids."""
    return [(e.number, e.depth, e.text, e.form, e.deadline_text, e.anchor_date, e.executors, e.controllers,
             e.executors_text, e.source_code, e.financing, e.results, e.point_count, e.status)
            for e in plans.list_events(ctx, plan_id)]


def _points(ctx, plan_id: int) -> list[tuple]:
    with ctx.uow() as s:
        rows = s.execute(select(PlanEvent.number, ControlPoint.due_date, ControlPoint.original_due_date,
                                ControlPoint.period_label, ControlPoint.status, ControlPoint.info,
                                ControlPoint.reported_on, ControlPoint.id)
                         .join(ControlPoint, ControlPoint.event_id == PlanEvent.id)
                         .where(PlanEvent.plan_id == plan_id)).all()
        out = []
        for *cols, pid in rows:
            docs = tuple(sorted((d.file_name, d.sha256, d.size, d.content) for d in s.scalars(
                select(ControlPointDocument).where(ControlPointDocument.point_id == pid))))
            out.append((*cols, docs))
        return sorted(out)


def _draft_programme_with_execution(ctx) -> int:
    """A draft revision of the demo programme plan whose events 1.x carry control points with execution data."""
    prog = next(p for p in plans.list_plans(ctx) if p.kind == "programme")
    rev = plans.create_revision(ctx, prog.id)
    with ctx.uow(reason="подготовка теста") as s:
        from socplan.db.models.plans import Plan

        plan = s.get(Plan, rev.id)
        generate_control_points(s, plan)
        points = s.scalars(select(ControlPoint).join(PlanEvent).where(PlanEvent.plan_id == rev.id,
                                                                      PlanEvent.number.like("1.%"))
                           .order_by(ControlPoint.due_date, ControlPoint.id)).all()
        assert len(points) >= 3
        points[0].status, points[0].info, points[0].reported_on = "done", "Субсидия перечислена", dt.date(2025, 3, 1)
        points[1].status, points[1].info = "in_progress", "Соглашения на подписании"
        content = "Отчёт об исполнении".encode()
        points[0].documents.append(ControlPointDocument(file_name="отчёт.pdf", sha256=hashlib.sha256(content)
                                                        .hexdigest(), size=len(content), content=content))
        s.commit()
    return rev.id


def test_delete_then_restore_gives_the_same_tree(demo_ctx) -> None:
    plan_id = _draft_programme_with_execution(demo_ctx)
    before, points_before = _tree(demo_ctx, plan_id), _points(demo_ctx, plan_id)
    events = {e.number: e for e in plans.list_events(demo_ctx, plan_id)}
    total = sum(f.amount for e in events.values() if e.number.startswith("1.") for f in e.financing
                if f.year is None and f.source == "")
    assert total > 0

    snap = deletion.delete_event(demo_ctx, events["1"].id)
    assert isinstance(snap, deletion.DeletedSubtree)
    assert snap.root.number == "1" and [e.number for e in snap.events][:3] == ["1", "1.1", "1.2"]
    assert sum(len(p.documents) for e in snap.events for p in e.points) == 1
    with pytest.raises(AttributeError):
        snap.root.text = "другое"  # frozen
    after = _tree(demo_ctx, plan_id)
    assert len(after) == len(before) - len(snap.events)
    assert after[0][0] == "1" and after[0][2] == before[len(snap.events)][2]  # «2» became «1»

    restored = deletion.restore_events(demo_ctx, snap)
    assert restored.root_number == "1"
    assert _tree(demo_ctx, plan_id) == before
    assert _points(demo_ctx, plan_id) == points_before
    again = {e.number: e for e in plans.list_events(demo_ctx, plan_id)}
    assert sum(f.amount for e in again.values() if e.number.startswith("1.") for f in e.financing
               if f.year is None and f.source == "") == total
    with demo_ctx.uow() as s:  # the ORM audited every re-created row
        logged = s.scalars(select(AuditLog.entity_id).where(AuditLog.entity == "plan_event",
                                                            AuditLog.action == "insert",
                                                            AuditLog.reason == "Восстановление удалённого мероприятия"))
        assert sorted(map(int, logged)) == sorted(restored.ids.values())
    assert restored.ids[snap.root.id] == restored.root_id == snap.root.id  # the freed id is reused

    # a sub-event in the middle, then its parent, undone in reverse order
    child = next(e for e in plans.list_events(demo_ctx, plan_id) if e.number == "1.3")
    snap_child = deletion.delete_event(demo_ctx, child.id)
    snap_parent = deletion.delete_event(demo_ctx, again["1"].id)
    deletion.restore_events(demo_ctx, snap_parent)
    deletion.restore_events(demo_ctx, snap_child)
    assert _tree(demo_ctx, plan_id) == before
    assert _points(demo_ctx, plan_id) == points_before


def test_deleting_from_an_approved_plan_stays_refused(demo_ctx) -> None:
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    ev = plans.list_events(demo_ctx, nok.id)[0]
    with pytest.raises(ConflictError, match="Новая редакция"):
        deletion.delete_event(demo_ctx, ev.id)
    rev = plans.create_revision(demo_ctx, nok.id)
    snap = deletion.delete_event(demo_ctx, plans.list_events(demo_ctx, rev.id)[0].id)
    plans.set_plan_status(demo_ctx, rev.id, "approved")
    with pytest.raises(ConflictError, match="не изменяется"):
        deletion.restore_events(demo_ctx, snap)


def test_ctrl_z_after_delete_in_the_plan_tree(qtbot, demo_ctx) -> None:
    win = QMainWindow()
    qtbot.addWidget(win)
    section = create_section(UiEnv(demo_ctx, TaskRunner(win), win))
    qtbot.addWidget(section)
    with qtbot.waitActive(section):
        section.show()
        section.activateWindow()
    tab = section.plans_tab
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    rev = plans.create_revision(demo_ctx, nok.id)
    tab.reload(rev.id)
    before = _tree(demo_ctx, rev.id)
    ev = next(r for r in tab.model.rows() if r.number == "2")
    tab.tree.setCurrentIndex(tab.proxy.mapFromSource(tab.model.index_of_event(ev.id)))
    tab.tree.setFocus()
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        seen.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == "Удалить").click()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    assert seen[0].startswith("Удалить мероприятие 2 «Организация и проведение независимой оце")
    assert "и все его подпункты?" in seen[0] and set(seen[1:]) == {"Удалить", "Отмена"}
    numbers = [r.number for r in tab.model.rows()]
    assert len(numbers) == len(before) - 1 - sum(1 for n in before if n[0].startswith("2."))
    assert tab.model.rows()[3].text != ev.text and tab.undo.canUndo()
    assert tab.undo.undoText() == "Удаление мероприятия 2"
    assert tab.current_event() is None and tab.detail.toPlainText() == ""

    with qtbot.waitActive(section):  # the offscreen platform does not give the focus back after the dialog
        section.activateWindow()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Z
    assert _tree(demo_ctx, rev.id) == before
    assert [r.number for r in tab.model.rows()] == [b[0] for b in before]
    assert tab.current_event().number == "2" and tab.detail.toPlainText().startswith("2 Организация и проведение")
    tab.undo.redo()
    assert len(_tree(demo_ctx, rev.id)) == len(numbers)
    tab.undo.undo()
    assert _tree(demo_ctx, rev.id) == before
