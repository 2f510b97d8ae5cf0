"""The board's summary lines stay readable in the main window of an ordinary laptop's height: the table under them
gives way, the lines are never cut."""

from __future__ import annotations

from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QApplication

from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow


def test_board_summary_lines_are_not_cut_in_a_760_pixel_window(qtbot, qapp, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    register_fonts(qapp)
    window = MainWindow(demo_ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1300, 760)
    window.show()
    board = window.show_section("cycle").board
    qtbot.waitUntil(lambda: board.model.board is not None, timeout=5000)  # the last year, shown on opening
    QApplication.processEvents()
    window.grab().save(str(tmp_path / "board-opened.png"))
    first = board.summary
    needed = first.fontMetrics().lineSpacing() * len(first.text().split("\n"))
    assert first.contentsRect().height() >= needed, (first.contentsRect().height(), needed)
    board.period_edit.setText("2024")
    board.date_edit.setDate(QDate(2025, 3, 1))
    board.refresh()
    qtbot.waitUntil(lambda: board.model.board is not None and board.model.board.period.year == 2024, timeout=5000)
    QApplication.processEvents()
    summary = board.summary
    lines = summary.text().split("\n")
    assert len(lines) >= 2 and lines[1].startswith("Сдано: 31")
    # every line of the summary has its full height on screen (the table below is what gets shorter)
    needed = summary.fontMetrics().lineSpacing() * len(lines)
    assert summary.contentsRect().height() >= needed, (summary.contentsRect().height(), needed)
    assert board.table.geometry().top() >= summary.geometry().bottom()
    window.grab().save(str(tmp_path / "board.png"))
