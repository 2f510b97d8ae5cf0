"""Issue 16 in the window: the board's coloured cells and figures, «Что сдать» of a district officer, the user
chosen at start."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMainWindow

from socplan.domain.roles import Role
from socplan.services.cycle.export import STATE_COLOURS
from socplan.domain.cycle import CellState
from socplan.ui.cycle.section import CycleSection
from socplan.ui.env import UiEnv
from socplan.ui.tasks import TaskRunner

from cycle_helpers import DISTRICT, register_roles


def _section(qtbot, ctx) -> CycleSection:  # noqa: ANN001
    window = QMainWindow()
    qtbot.addWidget(window)
    section = CycleSection(UiEnv(ctx, TaskRunner(window), window))
    window.setCentralWidget(section)
    window.resize(1300, 700)
    window.show()
    return section


def test_board_shows_states_in_colour_and_the_figures(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    section = _section(qtbot, demo_ctx)
    board = section.board
    board.period_edit.setText("2024")
    board.date_edit.setDate(QDate(2025, 3, 1))
    board.refresh()
    qtbot.waitUntil(lambda: board.model.board is not None and board.model.board.period.year == 2024, timeout=5000)
    assert "Сдано: 31 (93,9\u00a0%); в срок: 25 (75,8\u00a0%)" in board.summary.text()
    model = board.model
    overdue_rows = [r for r in range(model.rowCount()) if model.index(r, 1).data().startswith("просрочен")]
    assert len(overdue_rows) == 2 and model.index(overdue_rows[0], 1).data() == "просрочен, 45 дн."
    brush = model.index(overdue_rows[0], 1).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == STATE_COLOURS[CellState.OVERDUE]
    assert "Срок: 15.01.2025" in model.index(overdue_rows[0], 1).data(Qt.ItemDataRole.ToolTipRole)
    board.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # overdue first
    assert board.proxy.index(0, 1).data().startswith("просрочен")
    board.filter_edit.setText("Тевриз")
    assert board.proxy.rowCount() == 1
    board.filter_edit.setText("")
    board.grab().save(str(tmp_path / "board.png"))


def test_district_officer_sees_only_what_to_submit(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    ctx = register_roles(demo_db)[Role.DISTRICT]
    section = _section(qtbot, ctx)
    assert section.board is None and section.tabs.count() == 2  # no board for a district: «Что сдать», «Запросы»
    todo = section.todo
    assert todo.territory_combo.currentText() == DISTRICT and not todo.territory_combo.isEnabled()
    todo.date_edit.setDate(QDate(2026, 3, 1))
    qtbot.waitUntil(lambda: bool(todo.model.items) and todo.model.items[0].days_late == 45, timeout=5000)
    first = todo.model.items[0]
    assert (first.form, first.period.year, first.state.label) == ("ГП", 2025, "просрочен")
    assert first.due == dt.date(2026, 1, 15) and first.days_late == 45
    assert "просрочено: 1" in todo.message.text()
    answers = iter([("20.03.2026", True), ("Отпуск единственного специалиста", True)])
    monkeypatch.setattr("socplan.ui.cycle.section.QInputDialog.getText", lambda *a, **k: next(answers))
    todo.table.selectRow(0)
    todo.ask_extension()
    assert todo.message.text() == "Запрос на продление срока до 20.03.2026 направлен в Министерство."
    from socplan.services.cycle.due import list_extensions
    assert [(e.form, e.until, e.reason) for e in list_extensions(ctx)] == [
        ("ГП", dt.date(2026, 3, 20), "Отпуск единственного специалиста")]


def test_the_user_is_chosen_when_the_database_has_users(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    from socplan.services.settings import Settings
    from socplan.ui import app as app_module
    from socplan.ui.cycle import user_dialog

    register_roles(demo_db)
    controller = app_module.Application(Settings())
    controller.db = demo_db
    monkeypatch.setattr(user_dialog.ChooseUserDialog, "exec", lambda self: (
        self.combo.setCurrentIndex(self.combo.findData("Районов Иван Петрович")), 1)[1])
    assert controller.choose_user(demo_db)
    ctx = controller.context()
    assert ctx.user.role is Role.DISTRICT and ctx.user.territory_name == DISTRICT
    monkeypatch.setattr(user_dialog.ChooseUserDialog, "exec", lambda self: 0)
    assert not controller.choose_user(demo_db)  # «Выход»: the window is not opened
    controller.db = None


def test_ministry_grants_a_reopening_and_sees_old_and_new_values(qtbot, demo_db, tmp_path) -> None:  # noqa: ANN001
    from decimal import Decimal as D

    from socplan.domain.indicators import FormState, Period
    from socplan.services.cycle import reopen
    from socplan.services.indicators import entry

    from cycle_helpers import FORM, add_monthly_form

    add_monthly_form(demo_db)
    roles = register_roles(demo_db)
    district, analyst = roles[Role.DISTRICT], roles[Role.ANALYST]
    march = Period(2026, "month", 3)
    entry.save_sheet(district, FORM, DISTRICT, march, [entry.CellChange(str(k), "", "fact", D(10 * k)) for k in (1, 2, 3)])
    entry.set_state(district, FORM, DISTRICT, march, FormState.SUBMITTED)
    entry.set_state(analyst, FORM, DISTRICT, march, FormState.ACCEPTED)
    reopen.request_reopen(district, FORM, DISTRICT, march, "Ошибка в строке 2")
    section = _section(qtbot, analyst)
    view = section.requests
    section.tabs.setCurrentWidget(view)
    assert not view.grant_button.isHidden() and view.model.rowCount() == 1
    assert view.model.index(0, 4).data() == "Ошибка в строке 2"
    view.table.selectRow(0)
    view.decide(True)
    assert "разрешено" in view.message.text() and view.model.rowCount() == 0  # no longer pending
    entry.save_sheet(district, FORM, DISTRICT, march, [entry.CellChange("2", "", "fact", D(25))])
    view.pending.setChecked(False)
    view.table.selectRow(0)
    view.show_changes()
    html = view.changes.toPlainText()
    assert "факт" in html and "20" in html and "25" in html
    view.grab().save(str(tmp_path / "requests.png"))
    # the district's own view has no grant/refuse buttons
    assert _section(qtbot, district).requests.grant_button.isHidden()


def test_entry_buttons_follow_the_role(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    from decimal import Decimal as D

    from socplan.domain.indicators import FormState, Period
    from socplan.services.cycle import reopen
    from socplan.services.indicators import entry
    from socplan.ui.indicators.section import create_section

    from cycle_helpers import FORM, add_monthly_form

    add_monthly_form(demo_db)
    roles = register_roles(demo_db)
    district, analyst = roles[Role.DISTRICT], roles[Role.ANALYST]
    march = Period(2026, "month", 3)
    entry.save_sheet(district, FORM, DISTRICT, march, [entry.CellChange(str(k), "", "fact", D(10 * k)) for k in (1, 2, 3)])
    entry.set_state(district, FORM, DISTRICT, march, FormState.SUBMITTED)

    def view_as(ctx):  # noqa: ANN001, ANN202
        window = QMainWindow()
        qtbot.addWidget(window)
        section = create_section(UiEnv(ctx, TaskRunner(window), window))
        window.setCentralWidget(section)
        window.show()
        section.entry.select(FORM, DISTRICT, march)
        qtbot.waitUntil(lambda: section.entry.model is not None and section.entry.model.sheet.form_code == FORM,
                        timeout=5000)
        return section.entry

    mine = view_as(district)
    assert not mine.accept_button.isEnabled() and not mine.submit_button.isEnabled()  # submitted: waits for review
    theirs = view_as(analyst)
    assert theirs.accept_button.isEnabled()
    theirs.change_state(FormState.ACCEPTED)
    mine.reload()
    qtbot.waitUntil(lambda: mine.model.sheet.state is FormState.ACCEPTED, timeout=5000)
    assert mine.unlock_button.text() == "Запросить открытие…" and mine.unlock_button.isEnabled()
    monkeypatch.setattr("socplan.ui.indicators.entry_view.QInputDialog.getText",
                        lambda *a, **k: ("Опечатка в строке 3", True))
    mine.change_state(FormState.DRAFT)
    assert "Запрос на открытие формы направлен" in mine.message.toPlainText()
    assert [r.reason for r in reopen.list_reopen_requests(analyst, pending_only=True)] == ["Опечатка в строке 3"]


def test_file_menu_changes_the_user_and_the_window_follows_the_role(qtbot, demo_db, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    from PySide6.QtCore import QSettings

    from socplan.services.settings import Settings
    from socplan.ui import app as app_module
    from socplan.ui.cycle import user_dialog

    register_roles(demo_db)
    controller = app_module.Application(Settings(), QSettings(str(tmp_path / "q.ini"), QSettings.Format.IniFormat))
    controller.db = demo_db
    chosen = {"name": "Районов Иван Петрович"}
    monkeypatch.setattr(user_dialog.ChooseUserDialog, "exec", lambda self: (
        self.combo.setCurrentIndex(self.combo.findData(chosen["name"])), 1)[1])
    assert controller.choose_user(demo_db)
    window = controller.show_window()
    qtbot.addWidget(window)
    assert "Районов Иван Петрович (специалист района, Любинский муниципальный район)" in window.db_label.text()
    menu = window.menuBar().actions()[0].menu()
    change = next(a for a in menu.actions() if a.text() == "Сменить пользователя…")
    chosen["name"] = "Аналитикова Анна Сергеевна"
    change.trigger()
    assert controller.window.ctx.user.role is Role.ANALYST
    assert "аналитик Министерства" in controller.window.db_label.text()
    controller.window.runner.wait(5000)
    controller._timer.stop()
    controller.db = None


def test_closing_the_window_waits_for_the_loads_still_running(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    """«Что сдать» and the board load in the background when the section opens. A window closed while «Что сдать»
    is still loading waits for it (so no query runs after the window's database is closed — on PostgreSQL the
    test's database is dropped right after the window: the running query used to fail the test at teardown), and
    the board's load, queued behind it, never starts."""
    import threading
    import time

    from socplan.services.cycle import board as board_service

    ran: list[str] = []
    started = threading.Event()
    original_todo, original_board = board_service.what_to_submit, board_service.board

    def slow_todo(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started.set()
        time.sleep(0.3)
        result = original_todo(*args, **kwargs)
        ran.append("что сдать")
        return result

    def board(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        ran.append("сводка")
        return original_board(*args, **kwargs)

    monkeypatch.setattr(board_service, "what_to_submit", slow_todo)
    monkeypatch.setattr(board_service, "board", board)
    section = _section(qtbot, demo_ctx)
    assert section.board is not None
    assert started.wait(5)  # «Что сдать» is loading now, the board waits behind it
    section.window().close()
    assert ran == ["что сдать"]
    demo_ctx.db.close()  # what the test's teardown does next: nothing is left to run on it
    qtbot.wait(100)
    assert ran == ["что сдать"] and section.todo.model.items == []
