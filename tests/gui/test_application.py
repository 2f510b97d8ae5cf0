"""Start-up controller: opening databases, switching, settings, restore — every error leaves a way out."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from socplan.services.settings import Settings, load_settings
from socplan.ui.app import Application
from socplan.ui.dialogs import RestoreDialog, SettingsDialog


@pytest.fixture
def controller(qapp, tmp_path, demo_db_template):
    db_path = tmp_path / "work.sqlite"
    db_path.write_bytes(demo_db_template.read_bytes())
    app = Application(Settings(db_path=str(db_path), user_name="Иванова Мария Петровна", user_position="специалист"),
                      QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert app.open_initial()
    app.show_window()
    yield app
    if app.window is not None:
        app.window.close()
    app.shutdown()


def test_first_start_creates_the_database_with_demo_data(qapp, tmp_path):
    app = Application(Settings(db_path=str(tmp_path / "new" / "first.sqlite")))
    assert app.open_initial()
    try:
        window = app.show_window()
        territories = window.show_section("reference").entity_tabs["Территории"].list
        assert territories.model.rowCount() == 34
        window.close()
    finally:
        app.shutdown()


def test_opening_a_bad_file_warns_and_keeps_the_current_database(controller, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("не база данных")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    current = controller.db.path
    assert controller.open_path(bad) is False
    assert "не является базой данных СоцПлан" in warnings[0]
    assert controller.db.path == current
    assert bad.read_text() == "не база данных"


def test_switching_to_a_new_database_remembers_it(controller, tmp_path):
    new = tmp_path / "second.sqlite"
    assert controller.open_path(new)
    assert controller.db.path == new.resolve()
    assert load_settings().db_path == str(new.resolve())
    assert str(new.resolve()) in controller.window.db_label.text()


def test_settings_dialog_changes_the_user_shown_and_saved(controller, monkeypatch):
    def fake_exec(dialog):
        dialog.name_edit.setText("Петров Пётр Петрович")
        dialog.position_edit.setText("начальник отдела")
        return True

    monkeypatch.setattr(SettingsDialog, "exec", fake_exec)
    controller.edit_settings()
    assert controller.window.ctx.user.name == "Петров Пётр Петрович"
    assert "Петров Пётр Петрович" in controller.window.db_label.text()
    assert load_settings().user_position == "начальник отдела"


def test_restore_from_copy_through_the_dialog(controller, tmp_path, monkeypatch):
    from socplan.domain import reference as rules
    from socplan.services import reference as svc

    copy = controller.db.backup(tmp_path / "backups" / "work-ручная.sqlite")
    svc.save_unit(controller.context(), rules.UnitInput("999", "Новая единица"))
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: True)
    monkeypatch.setattr(RestoreDialog, "selected_path", lambda self: copy)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    controller.restore()
    assert "999" not in {u.code for u in svc.list_units(controller.context())}


def test_daily_backup_on_start(controller, qtbot):
    folder = controller.db.path.parent / "backups"
    qtbot.waitUntil(lambda: bool(list(folder.glob("work-????-??-??.sqlite"))), timeout=10000)  # made in the background
    backups = list(folder.glob("work-????-??-??.sqlite"))
    assert len(backups) == 1


def test_bad_database_at_start_lets_the_user_pick_another(qapp, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 100)
    asked = []

    def choose(self, message, parent):
        asked.append(message)
        return tmp_path / "fresh.sqlite"

    monkeypatch.setattr(Application, "_ask_other_database", choose)
    app = Application(Settings(db_path=str(bad)))
    try:
        assert app.open_initial()
        assert "не является базой данных" in asked[0]
        assert app.db.path == (tmp_path / "fresh.sqlite").resolve()
        assert bad.read_bytes() == b"garbage" * 100
    finally:
        app.shutdown()


def test_quitting_from_the_error_dialog_opens_nothing(qapp, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 100)
    monkeypatch.setattr(Application, "_ask_other_database", lambda self, m, p: None)
    app = Application(Settings(db_path=str(bad)))
    assert app.open_initial() is False
    assert app.db is None


def test_first_start_shows_progress_in_russian(qapp, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressDialog

    from socplan.ui.app import open_with_demo

    labels = []
    original = QProgressDialog.setLabelText
    monkeypatch.setattr(QProgressDialog, "setLabelText", lambda self, text: (labels.append(text), original(self, text)))
    db = open_with_demo(tmp_path / "fresh.sqlite", show_progress=True)
    db.close()
    assert any("Планы мероприятий" in text for text in labels)
    assert all("indicators" not in text for text in labels)
