"""The application remembers what a person chose: the entry grid's form, territory and period, the Excel
folder, splitter positions and column widths (window geometry and section: test_main_window)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from socplan.domain.indicators import Period
from socplan.ui.main_window import MainWindow


def _window(qtbot, ctx, ini: Path) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, qsettings=QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_territory_period_splitters_and_columns_come_back(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    ini = tmp_path / "ui.ini"
    first = _window(qtbot, demo_ctx, ini)
    view = first.show_section("indicators").entry
    view.select("ГП", "Тарский муниципальный район", Period(2025, "quarter", 2))
    view.table.setColumnWidth(1, 333)
    plans = first.show_section("plans").plans_tab
    plans.splitter.setSizes([420, 600])
    remembered = plans.splitter.sizes()[0]
    first.close()

    again = _window(qtbot, demo_ctx, ini)
    view = again.show_section("indicators").entry
    assert view.territory_combo.currentText() == "Тарский муниципальный район"
    assert view.model.sheet.territory_name == "Тарский муниципальный район"
    assert view.model.sheet.period == Period(2025, "quarter", 2)
    assert view.table.columnWidth(1) == 333
    assert again.show_section("plans").plans_tab.splitter.sizes()[0] == remembered


def test_excel_folder_is_remembered(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    folder = tmp_path / "Шаблоны"
    folder.mkdir()
    window = _window(qtbot, demo_ctx, tmp_path / "ui.ini")
    view = window.show_section("indicators").entry
    view.select("ГП", "Тарский муниципальный район", Period(2026))
    offered: list[str] = []

    def save_name(_parent, _title, start, _filter):  # noqa: ANN001, ANN202
        offered.append(start)
        return str(folder / "форма.xlsx"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    view.export_template()
    qtbot.waitUntil(lambda: (folder / "форма.xlsx").exists(), timeout=20000)
    view.export_template()
    assert Path(offered[1]).parent == folder


def test_column_widths_come_back_for_the_region_loaded_in_the_background(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    ini = tmp_path / "ui.ini"
    first = _window(qtbot, demo_ctx, ini)
    view = first.show_section("indicators").entry
    view.select("ГП", "Омская область", Period(2024))
    qtbot.waitUntil(lambda: not view.loading, timeout=30000)
    view.table.setColumnWidth(1, 345)
    first.close()

    again = _window(qtbot, demo_ctx, ini)
    view = again.show_section("indicators").entry
    qtbot.waitUntil(lambda: not view.loading and view.model is not None, timeout=30000)
    qtbot.waitUntil(lambda: view.table.columnWidth(1) == 345, timeout=3000)
    assert view.model.sheet.consolidated
