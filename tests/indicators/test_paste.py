"""Pasting a block copied from the application's own Excel template: rows matched by the indicator's code,
a preview of what goes where, rows that match nothing refused, the whole paste undone in one step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from socplan.domain.indicators import Period
from socplan.services.indicators.excel import export_template
from socplan.ui.env import UiEnv
from socplan.ui.indicators.grid_model import COL_COMMENT, COL_FACT, COL_PLAN
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"


@pytest.fixture
def view(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(demo_ctx, TaskRunner(window), window)
    widget = create_section(env)
    window.setCentralWidget(widget)
    window.resize(1400, 800)
    window.show()
    widget.entry.select("ГП", DISTRICT, Period(2026))
    return widget.entry


def _row(model, code: str, component: str = "") -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(model.rows) if r.indicator.code == code and r.component == component)


def _template_block(ctx, tmp_path: Path, values: dict[str, tuple[str, str, str]], first: str, last: str,  # noqa: ANN001
                    with_header: bool = False) -> str:
    """Rows «first»…«last» of the exported template (columns A–F) as Excel puts them on the clipboard,
    with plan/fact/reason typed into the rows named in ``values``."""
    from openpyxl import load_workbook

    path = export_template(ctx, "ГП", DISTRICT, Period(2026), tmp_path / "t.xlsx")["path"]
    ws = load_workbook(path)["Форма"]
    lines, inside = [], False
    if with_header:
        lines.append("\t".join(str(ws.cell(5, c).value) for c in range(1, 7)))
    for r in range(6, ws.max_row + 1):
        number = str(ws.cell(r, 1).value)
        inside = inside or number == first
        if not inside:
            continue
        cells = ["" if ws.cell(r, c).value is None else str(ws.cell(r, c).value) for c in range(1, 7)]
        if number in values:
            cells[3:6] = values[number]
        lines.append("\t".join(cells))
        if number == last:
            break
    return "\r\n".join(lines) + "\r\n"


def _answer_preview(accept: bool, seen: dict) -> None:  # noqa: FBT001
    """Look at the preview dialog when it opens and press «Вставить» (or «Отмена»)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "preview_rows"):
            QTimer.singleShot(20, look)
            return
        seen["rows"] = dialog.preview_rows()
        seen["refused"] = dialog.refused_text()
        (dialog.accept if accept else dialog.reject)()

    QTimer.singleShot(0, look)


def test_block_from_template_lands_by_code_past_computed_row(view, qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """«5 · D» is computed (D = D1 + D2) and has no input cell: the rows below it must still get their own
    values — «5 · D1» its 300, «5 · D2» its 40, «6 · Vn» its 7 — not the values of the row above."""
    model, table = view.model, view.table
    block = _template_block(demo_ctx, tmp_path, {"5 · E": ("1000", "900", ""), "5 · D1": ("300", "310", ""),
                                                 "5 · D2": ("40", "45", ""), "6 · Vn": ("7", "8", ""),
                                                 "5": ("", "", "Переезд отделения")}, "5", "6 · Vo")
    QGuiApplication.clipboard().setText(block)
    table.setCurrentIndex(model.index(_row(model, "5", "E"), COL_PLAN))
    table.setFocus()
    seen: dict = {}
    _answer_preview(True, seen)
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(_row(model, "5", "E"), COL_FACT).data() == "900"
    assert model.index(_row(model, "5", "D1"), COL_PLAN).data() == "300"
    assert model.index(_row(model, "5", "D1"), COL_FACT).data() == "310"
    assert model.index(_row(model, "5", "D2"), COL_FACT).data() == "45"
    assert model.index(_row(model, "6", "Vn"), COL_FACT).data() == "8"
    assert model.index(_row(model, "5"), COL_COMMENT).data() == "Переезд отделения"
    assert model.index(_row(model, "5", "D"), COL_FACT).data() == "355"  # computed from the pasted D1 + D2
    # the preview said where each value goes, row by the indicator's number
    assert ("5 · D1", "Факт", "310") in seen["rows"]
    model.undo_stack.undo()  # one step takes the whole paste back
    assert model.index(_row(model, "5", "D1"), COL_PLAN).data() == ""
    assert model.index(_row(model, "5"), COL_COMMENT).data() == ""
    assert not model.is_dirty()


def test_rows_that_match_nothing_are_refused_and_named(view, qtbot) -> None:  # noqa: ANN001
    model, table = view.model, view.table
    block = ("№\tПоказатель / компонент\tЕд. изм.\tПлан\tФакт\tПричина отклонения\r\n"
             "9\tЧисленность граждан\tчел.\t510\t480\t\r\n"
             "99\tЧужой показатель\tчел.\t1\t2\t\r\n")
    QGuiApplication.clipboard().setText(block)
    table.setCurrentIndex(model.index(0, COL_PLAN))
    seen: dict = {}
    _answer_preview(True, seen)
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(_row(model, "9"), COL_PLAN).data() == "510"
    assert model.index(_row(model, "9"), COL_FACT).data() == "480"
    assert "«99»" in seen["refused"] and "нет в форме" in seen["refused"]
    assert "99" in view.message.toPlainText()


def test_cancelled_preview_changes_nothing(view, qtbot) -> None:  # noqa: ANN001
    model, table = view.model, view.table
    QGuiApplication.clipboard().setText("9\tЧисленность\tчел.\t510\t480\t\r\n10\tЧисленность\tчел.\t5\t6\t\r\n")
    table.setCurrentIndex(model.index(0, COL_PLAN))
    _answer_preview(False, {})
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(_row(model, "9"), COL_PLAN).data() == ""
    assert not model.is_dirty()


def test_block_of_another_territory_is_refused_whole(view, qtbot) -> None:  # noqa: ANN001
    model, table = view.model, view.table
    QGuiApplication.clipboard().setText("Территория: Азовский немецкий национальный муниципальный район\r\n"
                                        "Период: 2026 год\r\n9\tЧисленность\tчел.\t510\t480\t\r\n")
    table.setCurrentIndex(model.index(0, COL_PLAN))
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(_row(model, "9"), COL_PLAN).data() == ""
    assert "Азовский" in view.message.toPlainText() and DISTRICT in view.message.toPlainText()


def test_reason_with_a_line_break_copied_from_excel_stays_in_its_row(view, qtbot) -> None:  # noqa: ANN001
    """Excel quotes a cell that holds a line break: the reason for row 9 keeps both lines and row 10 its values."""
    model, table = view.model, view.table
    QGuiApplication.clipboard().setText('9\tЧисленность\tчел.\t510\t480\t"Ремонт здания\nи переезд"\r\n'
                                        "10\tЧисленность\tчел.\t5\t6\t\r\n")
    table.setCurrentIndex(model.index(0, COL_PLAN))
    _answer_preview(True, {})
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(_row(model, "9"), COL_COMMENT).data() == "Ремонт здания\nи переезд"
    assert model.index(_row(model, "10"), COL_FACT).data() == "6"
