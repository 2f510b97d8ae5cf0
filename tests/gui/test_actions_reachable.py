"""Every command is reachable from the menu bar with its keys; tool bars overflow into a working «››» menu;
actions carry icons and tool tips."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTabWidget, QToolButton

from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow
from socplan.ui.section_menu import menu_bar_actions, toolbar_actions
from socplan.ui.sections import SECTIONS


@pytest.fixture
def window(qtbot, qapp, demo_ctx, tmp_path):  # noqa: ANN001, ANN201
    register_fonts(qapp)
    win = MainWindow(demo_ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    return win


def _every_tab(section):  # noqa: ANN001, ANN202
    """Show each tab of the section in turn (tabs inside tabs too) and yield once per state."""
    yield
    for tabs in section.findChildren(QTabWidget):
        for i in range(tabs.count()):
            if tabs.isVisibleTo(section):
                tabs.setCurrentIndex(i)
                yield


def test_every_toolbar_action_of_every_section_is_in_the_menu_bar(window) -> None:  # noqa: ANN001
    walked: set[str] = set()
    for spec in SECTIONS:
        section = window.show_section(spec.key)
        for _ in _every_tab(section):
            in_menus = {id(a) for a in menu_bar_actions(window)}
            for act in toolbar_actions(section):
                walked.add(f"{spec.key}: {act.text()}")
                assert id(act) in in_menus, f"«{act.text()}» ({spec.title}) есть только на панели инструментов"
    assert len(walked) >= 25  # the plan's and the events' bars, the entry grid's bar…
    assert "indicators: Загрузить из Excel…" in walked and "plans: Печать плана" in walked


def test_entry_grid_commands_are_in_the_actions_menu_with_their_keys(window) -> None:  # noqa: ANN001
    window.show_section("indicators")
    window.actions_menu.aboutToShow.emit()
    items = {a.text().split("\t")[0]: a for a in window.actions_menu.actions()}
    assert items["Загрузить из Excel…"].shortcut().toString() == "Ctrl+Shift+I"
    assert items["Отчёт о достижении…"].shortcut().toString() == "Ctrl+P"
    assert not items["Сохранить"].icon().isNull()
    assert "Ctrl+S" in items["Сохранить"].toolTip()


@pytest.mark.parametrize("width", [1280, 1366])
def test_narrow_window_overflow_menu_lists_the_hidden_commands(window, qtbot, width) -> None:  # noqa: ANN001
    window.resize(width, 768)
    view = window.show_section("indicators").entry
    qtbot.waitExposed(window)
    view.toolbar.setMaximumWidth(420)  # as narrow as the bar gets beside the state text on a small screen
    window.resize(width - 1, 768)
    qtbot.wait(50)
    extension = view.toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is not None and extension.isVisible()
    hidden = [a.text() for a in extension.menu().actions()]
    assert "Загрузить из Excel…" in hidden and "Отчёт о достижении…" in hidden


def test_file_and_help_commands_have_icons(window) -> None:  # noqa: ANN001
    file_menu = window.menuBar().actions()[0].menu()
    named = {a.text(): a for a in file_menu.actions() if not a.isSeparator()}
    assert not named["Открыть базу данных…"].icon().isNull()
    assert not named["Сделать резервную копию…"].icon().isNull()


def test_buttons_of_a_section_are_in_the_actions_menu_too(window) -> None:  # noqa: ANN001
    window.show_section("exchange")
    window.actions_menu.aboutToShow.emit()
    texts = [a.text() for a in window.actions_menu.actions()]
    assert "Сформировать пакет…\tCtrl+E" in texts
    assert "Сертификаты обмена…" in texts
    item = next(a for a in window.actions_menu.actions() if a.text() == "Сертификаты обмена…")
    item.trigger()  # the menu item presses the button: the certificates window opens
    section = window.sections["exchange"]
    assert section.certificates_dialog.isVisible()
    section.certificates_dialog.close()
