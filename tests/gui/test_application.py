"""Start-up controller: opening databases, switching, settings, restore — every error leaves a way out."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QPushButton

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


def test_first_start_opens_the_demo_in_its_own_marked_file(qapp, tmp_path):
    from socplan.services.settings import default_db_path, demo_db_path
    from socplan.ui.app import ensure_app

    ensure_app()
    app = Application(Settings(), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert app.open_initial()
    try:
        assert app.db.path == demo_db_path().resolve() and app.db.is_demo
        assert not default_db_path().exists()  # the working database is not made behind the user's back
        window = app.show_window()
        assert "ДЕМОНСТРАЦИОННАЯ БАЗА" in window.windowTitle()
        assert window.demo_banner is not None and window.demo_banner.isVisible()
        assert window.demo_banner.findChild(QPushButton, "createWorkingDatabase").text() == "Создать рабочую базу…"
        assert "Демонстрационная база" in window.db_label.text()
        territories = window.show_section("reference").entity_tabs["Территории"].list
        assert territories.model.rowCount() == 34
        window.close()
    finally:
        app.shutdown()
    assert load_settings().db_path == ""  # the demo is never remembered as the working database


def test_missing_database_at_start_is_a_question_never_a_new_file(qapp, tmp_path, monkeypatch):
    missing = tmp_path / "опечатка" / "work.sqlite"
    asked = []

    def answer(self, message, parent, missing=False):
        asked.append((message, missing))
        return None

    monkeypatch.setattr(Application, "_ask_other_database", answer)
    app = Application(Settings(db_path=str(missing)))
    assert app.open_initial() is False
    assert asked and asked[0][1] is True and "не найден" in asked[0][0]
    assert not missing.parent.exists()


def test_wizard_creates_a_working_database_without_demo_records(qapp, tmp_path, monkeypatch):
    import sqlite3

    from socplan.ui.setup_wizard import SetupWizard

    target = tmp_path / "рабочая.sqlite"

    def fill(wizard):
        wizard.show()
        assert wizard.currentPage() is wizard.who and not wizard.who.isComplete()
        wizard.who.district.setChecked(True)
        wizard.who.territory.setCurrentText("Большереченский муниципальный район")
        wizard.next()
        wizard.organisation.full_name.setText("Управление социальной защиты населения Большереченского района")
        wizard.organisation.short_name.setText("УСЗН Большеречье")
        wizard.organisation.inn.setText("12345")  # wrong: 5 digits
        wizard.next()
        wizard.user.user_name.setText("Петрова Анна Сергеевна")
        wizard.user.position.setText("ведущий специалист")
        wizard.user.path.setText(str(target))
        assert wizard.currentPage() is wizard.user
        assert wizard.validateCurrentPage() is False
        assert "ИНН «12345» должен состоять из 10 или 12 цифр" in wizard.user.errors.text()
        wizard.organisation.inn.setText("5501234567")
        assert wizard.validateCurrentPage() is True
        wizard.hide()
        return True

    monkeypatch.setattr(SetupWizard, "exec", fill)
    app = Application(Settings(), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert app.open_initial() and app.db.is_demo
    app.show_window()
    try:
        assert app.create_database()
        assert app.db.path == target.resolve() and not app.db.is_demo
        assert "ДЕМОНСТРАЦИОННАЯ" not in app.window.windowTitle() and app.window.demo_banner is None
        settings = load_settings()
        assert settings.db_path == str(target.resolve()) and settings.user_name == "Петрова Анна Сергеевна"
    finally:
        app.window.close()
        app.shutdown()
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM territory").fetchone() == (34,)
    assert conn.execute("SELECT count(*) FROM plan").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM ind_value").fetchone() == (0,)
    assert conn.execute("SELECT t.name FROM exchange_identity i JOIN territory t ON t.id = i.territory_id"
                        ).fetchone() == ("Большереченский муниципальный район",)
    conn.close()


def test_qt_dialogs_speak_russian(qapp):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from socplan.ui.app import ensure_app

    ensure_app()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save)
    assert sorted(b.text() for b in box.buttons()) == ["Отмена", "Сохранить"]
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    assert "&Вырезать\tCtrl+X" in [a.text() for a in menu.actions()]
    menu.deleteLater()


def test_qt_numbers_and_dates_are_russian(qapp):
    """Qt's own fields show «1 234,5» and «01.12.2026», whatever the system locale (the offscreen test runs in C)."""
    from PySide6.QtCore import QDate, QLocale
    from PySide6.QtWidgets import QDateEdit, QDoubleSpinBox

    from socplan.ui.app import ensure_app

    ensure_app()
    assert QLocale().toString(1234.5, "f", 1) == "1\u00a0234,5"
    assert QDateEdit(QDate(2026, 12, 1)).text() == "01.12.2026"
    spin = QDoubleSpinBox()
    spin.setValue(2.5)
    assert spin.text() == "2,50"


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


def test_switching_to_another_database_remembers_it(controller, tmp_path, empty_db_template):
    second = tmp_path / "second.sqlite"
    second.write_bytes(empty_db_template.read_bytes())
    assert controller.open_path(second)
    assert controller.db.path == second.resolve()
    assert load_settings().db_path == str(second.resolve())
    assert str(second.resolve()) in controller.window.db_label.text()


def test_opening_a_missing_file_asks_and_creates_nothing(controller, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    current = controller.db.path
    assert controller.open_path(tmp_path / "нет.sqlite") is False
    assert "не найден" in shown[0]
    assert controller.db.path == current and not (tmp_path / "нет.sqlite").exists()


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


def test_bad_database_at_start_lets_the_user_pick_another(qapp, tmp_path, monkeypatch, empty_db_template):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 100)
    (tmp_path / "fresh.sqlite").write_bytes(empty_db_template.read_bytes())
    asked = []

    def choose(self, message, parent, missing=False):
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
    monkeypatch.setattr(Application, "_ask_other_database", lambda self, m, p, missing=False: None)
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
