"""The plans section as a user drives it (offscreen): tree, filters, colouring, undo, execution form, import."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from socplan.services.plans import control, plans
from socplan.services.plans.rows import PointFilter
from socplan.ui.env import UiEnv
from socplan.ui.plans.dialogs import PointDialog
from socplan.ui.plans.import_dialog import ImportDialog
from socplan.ui.plans.models import COLOURS
from socplan.ui.plans.section import create_section
from socplan.ui.tasks import TaskRunner


def _env(qtbot, ctx) -> UiEnv:
    win = QMainWindow()
    qtbot.addWidget(win)
    return UiEnv(ctx, TaskRunner(win), win)


def test_plan_tree_filters_and_colouring(qtbot, demo_ctx) -> None:
    env = _env(qtbot, demo_ctx)
    section = create_section(env)
    qtbot.addWidget(section)
    tab = section.plans_tab
    assert tab.plans.model.rowCount() == 4
    tab.plans.select_where(lambda p: p.kind == "events")
    model, proxy = tab.model, tab.proxy
    assert proxy.rowCount() == 12  # top-level events 1 … 12
    first = proxy.index(0, 0)
    assert proxy.data(first) == "1" and proxy.data(proxy.index(0, 0, first)) == "1.1"
    # deadline colouring: 2.2 is overdue today (I quarter 2025 not reported) → red
    idx = model.index_of_event(next(r.id for r in model.rows() if r.number == "2.2"))
    assert model.data(idx.siblingAtColumn(7), Qt.ItemDataRole.BackgroundRole).color() == COLOURS["overdue"]
    # executor filter keeps the parents of matching events
    tab.f_executor.setCurrentIndex(tab.f_executor.findData("Управление закупок правового департамента Министерства"))
    assert proxy.rowCount() == 1 and proxy.rowCount(proxy.index(0, 0)) == 1
    tab.f_executor.setCurrentIndex(0)
    tab.f_overdue.setChecked(True)
    shown = []

    def walk(parent) -> None:  # noqa: ANN001
        for i in range(proxy.rowCount(parent)):
            child = proxy.index(i, 0, parent)
            shown.append(proxy.data(child, Qt.ItemDataRole.UserRole))
            walk(child)

    walk(proxy.index(-1, -1))
    leaves = [r for r in shown if r.point_count]
    assert leaves and all(r.overdue for r in leaves)
    assert "8" not in {r.number for r in shown} or next(r for r in shown if r.number == "8").overdue
    tab.f_overdue.setChecked(False)
    # the approbation plan: 1.1 reported done → green
    tab.plans.select_where(lambda p: p.kind == "approbation")
    done = model.index_of_event(next(r.id for r in model.rows() if r.number == "1.1"))
    assert model.data(done.siblingAtColumn(7)) == "выполнено"
    assert model.data(done.siblingAtColumn(7), Qt.ItemDataRole.BackgroundRole).color() == COLOURS["done"]
    section.setCurrentIndex(section.overdue_index)
    assert section.tabText(section.overdue_index).startswith("Просроченные (")
    # «Мои мероприятия»: only the chosen organisation's control points
    mine = section.mine_tab
    mine.org.setCurrentIndex(mine.org.findData("УДСП"))
    rows = mine.view.model.rows
    assert rows and all("УДСП" in r.executors for r in rows)


def test_move_with_undo_on_a_draft_revision(qtbot, demo_ctx) -> None:
    env = _env(qtbot, demo_ctx)
    section = create_section(env)
    qtbot.addWidget(section)
    tab = section.plans_tab
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    rev = plans.create_revision(demo_ctx, nok.id)
    tab.reload(rev.id)
    ev = next(r for r in tab.model.rows() if r.number == "2.6")
    tab.tree.setCurrentIndex(tab.proxy.mapFromSource(tab.model.index_of_event(ev.id)))
    tab.move(-1)
    assert next(r.number for r in tab.model.rows() if r.id == ev.id) == "2.5"
    tab.undo.undo()
    assert next(r.number for r in tab.model.rows() if r.id == ev.id) == "2.6"
    tab.undo.redo()
    assert next(r.number for r in tab.model.rows() if r.id == ev.id) == "2.5"


def test_execution_form_marks_done(qtbot, demo_ctx, tmp_path) -> None:
    env = _env(qtbot, demo_ctx)
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    point = next(p for p in control.list_points(demo_ctx, PointFilter(plan_id=nok.id)) if p.event_number == "2.3")
    dialog = PointDialog(env, point, ["ДСО", "Общественный совет по НОК"])
    qtbot.addWidget(dialog)
    dialog.status.setCurrentIndex(dialog.status.findData("done"))
    dialog.accept()
    assert "информацию об исполнении" in dialog.error.text()  # Russian message beside the form
    dialog.info.setPlainText("Проект технического задания согласован Общественным советом по НОК.")
    dialog.reporter.setCurrentIndex(dialog.reporter.findData("Общественный совет по НОК"))
    doc = tmp_path / "решение.pdf"
    doc.write_bytes(b"%PDF-1.4 test")
    dialog.attach_file(doc)
    assert dialog.documents.stringList()[0].startswith("решение.pdf")
    dialog.accept()
    assert dialog.result_row.status_label == "выполнено" and dialog.result_row.document_count == 1


def test_import_dialog_preview(qtbot, ctx, seeds_dir, tmp_path) -> None:
    from openpyxl import Workbook

    lines = (seeds_dir / "004_55f169782c496c58.txt").read_text(encoding="utf-8").splitlines()
    wb = Workbook()
    ws = wb.active
    for line in lines:
        if "\t" in line:
            ws.append(line.split("\t"))
    path = tmp_path / "кампания.xlsx"
    wb.save(path)
    env = _env(qtbot, ctx)
    dialog = ImportDialog(env, path)
    qtbot.addWidget(dialog)
    assert dialog.table.model.rowCount() == 12
    assert [c.currentData() for c in dialog.combos][:4] == ["number", "text", "deadline", "executors"]
    assert "сроков распознано: <b>12</b>" in dialog.messages.toHtml() or "12" in dialog.messages.toPlainText()
    assert dialog.ok.isEnabled()
    dialog.year_from.setValue(2017)
    dialog.year_to.setValue(2017)
    dialog.accept()
    assert "Нет в справочнике организаций" in dialog.messages.toPlainText()
    dialog.create_missing.setChecked(True)
    dialog.accept()
    assert dialog.result_row is not None and dialog.result_row.event_count == 12


def test_the_selected_plan_s_events_are_read_once_when_the_section_opens(qtbot, demo_ctx, monkeypatch) -> None:
    """Opening «Планы мероприятий» (the window's first section) reads the first plan's events once, not once for
    the selection and again after it (each reading is seven queries); «Обновить» likewise."""
    from socplan.ui.plans import plans_tab

    calls = []
    real = plans_tab.svc.list_events
    monkeypatch.setattr(plans_tab.svc, "list_events", lambda ctx, plan_id, *a: calls.append(plan_id) or real(ctx, plan_id, *a))
    env = _env(qtbot, demo_ctx)
    section = create_section(env)
    qtbot.addWidget(section)
    tab = section.plans_tab
    first = tab.plans.model.row_at(0)
    assert calls == [first.id] and tab.model.rows()  # shown, read once
    calls.clear()
    tab.reload()
    assert calls == [first.id] and tab.current_plan().id == first.id
    calls.clear()
    assert tab.plans.select_where(lambda p: p.kind == "approbation")  # another plan: its events, once
    assert calls == [tab.current_plan().id] != [first.id] and tab.model.rows()
