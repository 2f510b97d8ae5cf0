"""The main window on the demo database, as a user sees it (offscreen)."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from socplan.services import reference as svc
from socplan.ui.common.form import FormDialog
from socplan.ui.dialogs import about_html
from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow
from socplan.ui.sections import SECTIONS
from socplan.services.maintenance import about


@pytest.fixture
def window(qtbot, qapp, demo_ctx, tmp_path):
    register_fonts(qapp)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_ctx, qsettings=settings)
    qtbot.addWidget(win)
    win.show()
    return win


def test_every_section_opens(window):
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Планы мероприятий", "Протоколы и поручения", "Показатели", "Сдача отчётности", "Субсидии", "Отчёты",
                      "Обмен пакетами", "Справочники"]
    for spec in SECTIONS:
        widget = window.show_section(spec.key)
        assert window.stack.currentWidget().widget() is widget
        assert window.current_section_key() == spec.key


def test_window_fits_a_small_laptop_screen_with_every_section_open(window):
    for spec in SECTIONS:
        window.show_section(spec.key)
    assert window.minimumSizeHint().width() <= 1024


def test_status_bar_shows_the_open_database(window, demo_ctx):
    # the file path, or the server address (postgresql://user@host:port/db, never a password) on PostgreSQL
    expected = demo_ctx.db.url or str(demo_ctx.db.path)
    kind = "Демонстрационная база" if demo_ctx.db.is_demo else "База данных"  # the demo is always marked
    assert f"{kind}: {expected}" in window.db_label.text()
    if demo_ctx.db.url:
        assert demo_ctx.db.url.startswith("postgresql://postgres@127.0.0.1:")


def test_reference_section_shows_demo_rows_and_searches(window):
    section = window.show_section("reference")
    territories = section.entity_tabs["Территории"].list
    assert territories.model.rowCount() == 34
    territories.search.setText("тарский")
    assert [r.name for r in territories.visible_rows()] == ["Тарский муниципальный район"]
    assert territories.count_label.text() == "Найдено: 1 из 34"
    orgs = section.entity_tabs["Организации"].list
    assert orgs.select_where(lambda r: r.short_name == "Минтруд")
    assert "(далее – Минтруд)" in orgs.detail_view.toPlainText()


def _fill_and_accept(changes):
    def fake_exec(dialog):
        for name, value in changes.items():
            dialog.editors[name].setText(value)
        dialog.accept()
        fake_exec.dialog = dialog
        return dialog.result() == FormDialog.DialogCode.Accepted
    return fake_exec


def test_edit_a_reference_record_through_the_dialog(window, demo_ctx, monkeypatch):
    tab = window.show_section("reference").entity_tabs["Единицы измерения"]
    assert tab.list.select_where(lambda r: r.code == "796")
    fake = _fill_and_accept({"name": "Штука (изделие)"})
    monkeypatch.setattr(FormDialog, "exec", fake)
    tab.edit()
    assert {u.code: u.name for u in svc.list_units(demo_ctx)}["796"] == "Штука (изделие)"
    assert any(r.name == "Штука (изделие)" for r in tab.list.model.rows)


def test_invalid_unit_code_is_shown_beside_the_field_and_nothing_saved(window, demo_ctx, monkeypatch):
    tab = window.show_section("reference").entity_tabs["Единицы измерения"]
    before = svc.list_units(demo_ctx)
    fake = _fill_and_accept({"code": "12", "name": "Пачка"})
    monkeypatch.setattr(FormDialog, "exec", fake)
    tab.add()
    dialog = fake.dialog
    assert dialog.result() != FormDialog.DialogCode.Accepted
    assert dialog.errors["code"].isVisibleTo(dialog)
    assert "трёх цифр" in dialog.errors["code"].text()
    assert svc.list_units(demo_ctx) == before


def test_deleting_a_used_organisation_is_refused_with_where(window, demo_ctx, monkeypatch):
    tab = window.show_section("reference").entity_tabs["Организации"]
    assert tab.list.select_where(lambda r: r.short_name == "Минтруд")
    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    tab.delete()
    assert shown and "Нельзя удалить" in shown[0] and "Сотрудники" in shown[0]
    assert any(o.short_name == "Минтруд" for o in svc.list_organisations(demo_ctx))


def test_geometry_and_last_section_are_remembered(qtbot, qapp, demo_ctx, tmp_path):
    ini = str(tmp_path / "ui.ini")
    first = MainWindow(demo_ctx, qsettings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.show_section("reference")
    first.resize(first.width(), 503)
    size = first.size()
    first.close()
    second = MainWindow(demo_ctx, qsettings=QSettings(ini, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.current_section_key() == "reference"
    assert second.size() == size and size.height() == 503


def test_about_shows_version_path_and_schema(demo_ctx):
    html = about_html(about(demo_ctx.db))
    assert "Версия 0.1.0" in html
    assert str(demo_ctx.db.path) in html
    assert "0001" in html or "_0001" in html


def test_task_runner_reports_progress_and_result(window, qtbot):
    results = []

    def work(progress, cancelled):
        for i in range(3):
            progress(i + 1, 3, f"шаг {i + 1}")
        return "готово"

    handle = window.runner.run("Проверка", work, results.append, show_dialog=False)
    qtbot.waitUntil(lambda: results == ["готово"], timeout=5000)
    assert handle.done.is_set()


def test_task_runner_cancel_and_errors_reach_the_gui_thread(window, qtbot):
    from socplan.domain.errors import Cancelled

    errors = []

    def work(progress, cancelled):
        import time

        for _ in range(200):
            if cancelled():
                raise Cancelled()
            time.sleep(0.01)
        return "не отменено"

    handle = window.runner.run("Долгая работа", work, on_error=errors.append, show_dialog=False)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], Cancelled) and "отменена" in errors[0].message


def test_screenshot_of_every_section(window, tmp_path):
    """Rendered offscreen with the shipped fonts (no empty boxes): a smoke check that painting works."""
    for spec in SECTIONS:
        window.show_section(spec.key)
        image = window.grab().toImage()
        assert image.width() > 600
        path = Path(tmp_path) / f"{spec.key}.png"
        assert window.grab().save(str(path))


def test_start_up_notices_count_overdue_items(window, qtbot, demo_ctx):
    import datetime as dt

    from socplan.services.notices import startup_notices

    got = []
    window.load_notices(got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    expected = startup_notices(demo_ctx, dt.date.today())
    assert got[0] == expected
    assert window.notices_label.text() == expected.text()


def test_notices_text_in_russian():
    from socplan.services.notices import StartupNotices

    assert StartupNotices(0, 0, 0).text() == "Просроченных мероприятий и поручений нет."
    assert StartupNotices(5, 2, 1).text() == ("Просрочено контрольных точек мероприятий: 5; просрочено поручений: 2; "
                                             "срок истекает в ближайшие 7 дней: 1.")


def test_a_task_failing_after_the_window_closed_shows_no_modal_box(qtbot, monkeypatch) -> None:  # noqa: ANN001
    """A background task that fails once its window is closed (the database gone) is logged, never a modal
    message box on a closed window — that would hang the application (and a test run)."""
    import threading

    from PySide6.QtWidgets import QWidget

    from socplan.ui import tasks

    shown: list[BaseException] = []
    monkeypatch.setattr(tasks, "show_error", lambda _p, exc, _tb="": shown.append(exc))
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = tasks.TaskRunner(window)
    release = threading.Event()

    def work(_progress, cancelled):  # noqa: ANN001, ANN202 - the window's closing asks it to stop and waits
        while not (release.is_set() or cancelled()):
            release.wait(0.01)
        raise RuntimeError("база уже закрыта")

    runner.run("Проверка", work, show_dialog=False)
    window.close()
    release.set()
    runner.wait()
    qtbot.wait(100)
    assert shown == []
    # while the window is open, the same failure is shown to the user
    window.show()
    runner.run("Проверка", lambda _p, _c: (_ for _ in ()).throw(RuntimeError("ошибка")), show_dialog=False)
    runner.wait()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=3000)
