"""The overdue reminder at start-up is a panel that does not block the window; «Не показывать сегодня» is
remembered until tomorrow."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from socplan.services.settings import Settings
from socplan.ui.app import Application
from socplan.ui.notice_panel import NoticePanel


def _start(tmp_path, demo_db_template) -> Application:  # noqa: ANN001
    db_path = tmp_path / "work.sqlite"
    if not db_path.exists():
        db_path.write_bytes(demo_db_template.read_bytes())
    app = Application(Settings(db_path=str(db_path), user_name="Иванова Мария Петровна", user_position="специалист"),
                      QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert app.open_initial()
    app.show_window()
    return app


def _stop(app: Application) -> None:
    app.window.close()
    app.shutdown()


def test_reminder_is_a_panel_not_a_dialog_and_can_be_hidden_for_today(qapp, qtbot, tmp_path, demo_db_template) -> None:  # noqa: ANN001
    app = _start(tmp_path, demo_db_template)
    qtbot.waitUntil(lambda: app.window.findChild(NoticePanel) is not None, timeout=20000)
    panel = app.window.findChild(NoticePanel)
    assert QApplication.activeModalWidget() is None  # nothing blocks the window
    assert "Просрочено" in panel.label.text() or "просрочено" in panel.label.text()
    app.window.show_section("indicators")  # work goes on with the panel shown
    panel.assignments_button.click()
    assert app.window.current_section_key() == "protocols"
    panel.hide_today_button.click()
    qtbot.waitUntil(lambda: app.window.findChild(NoticePanel) is None, timeout=2000)
    assert QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat).value("reminders/hidden_on") == \
        dt.date.today().isoformat()
    _stop(app)

    again = _start(tmp_path, demo_db_template)  # the same day: no panel
    qtbot.waitUntil(lambda: "росрочено" in again.window.notices_label.text(), timeout=20000)  # notices counted
    qapp.processEvents()
    assert again.window.findChild(NoticePanel) is None
    _stop(again)


def test_hidden_yesterday_shows_again_today(qapp, qtbot, tmp_path, demo_db_template) -> None:  # noqa: ANN001
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("reminders/hidden_on", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    settings.sync()
    app = _start(tmp_path, demo_db_template)
    qtbot.waitUntil(lambda: app.window.findChild(NoticePanel) is not None, timeout=20000)
    _stop(app)
