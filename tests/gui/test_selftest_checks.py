"""The self-test's extra checks (ui/selftest_checks.py): PDF viewer and printing, an indicator chart, Russian
collation. The frozen bundle runs them through ``--selftest`` (tests/packaging/test_bundle.py); here they run from
source, and each reports a Russian reason when its part is missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QSettings

from socplan.ui.main_window import MainWindow
from socplan.ui.selftest_checks import bundle_problems


def _window(qtbot, ctx, tmp_path: Path) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def test_demo_database_passes_every_check_and_prints_one_page(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    window = _window(qtbot, demo_ctx, tmp_path)
    assert bundle_problems(window, tmp_path) == []
    info = subprocess.run(["pdfinfo", str(tmp_path / "печать.pdf")], capture_output=True, text=True, check=True)
    pages = next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    assert pages == "1"  # the printer's page range: the guide's first page only


def test_a_missing_guide_is_named(qtbot, demo_ctx, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    window = _window(qtbot, demo_ctx, tmp_path)
    monkeypatch.setattr("socplan.resources.resource_path", lambda *parts: tmp_path / "нет" / parts[-1])
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *args: None)
    problems = bundle_problems(window, tmp_path)
    assert problems == ["Руководство пользователя не открылось: нет файла resources/guide/rukovodstvo.pdf."]


def test_a_database_without_indicators_cannot_show_a_chart(qtbot, ctx, tmp_path) -> None:  # noqa: ANN001
    window = _window(qtbot, ctx, tmp_path)
    assert bundle_problems(window, tmp_path) == ["В демонстрационной базе нет показателей для графика."]

