"""The «Показатели» section: the entry grid (typing, Enter/Tab, paste from Excel, undo, refusal with the reason),
states, history, consolidated region values, the indicator card with its chart."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

from socplan.domain.indicators import FormState, Period
from socplan.services.indicators import entry
from socplan.ui.env import UiEnv
from socplan.ui.indicators.grid_model import COL_COMMENT, COL_FACT, COL_PLAN
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"


@pytest.fixture
def section(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(demo_ctx, TaskRunner(window), window)
    widget = create_section(env)
    window.setCentralWidget(widget)
    window.resize(1400, 800)
    window.show()
    return widget


def _row(model, code: str, component: str = "") -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(model.rows) if r.indicator.code == code and r.component == component)


def test_typing_recalculates_undo_and_refuses_bad_text(section, qtbot, demo_ctx) -> None:  # noqa: ANN001
    view = section.entry
    view.select("ГП", DISTRICT, Period(2025))
    model = view.model
    r_b, r_a, r4 = _row(model, "4", "В"), _row(model, "4", "А"), _row(model, "4")
    assert model.setData(model.index(r_b, COL_FACT), "1 234")
    assert model.setData(model.index(r_a, COL_FACT), "20 000,0")
    assert model.index(r4, COL_FACT).data() == "6,2"  # 1 234 / 20 000 × 100, recalculated as typed
    rejected = []
    model.rejected.connect(lambda _r, _c, text: rejected.append(text))
    assert not model.setData(model.index(_row(model, "9"), COL_FACT), "1.234,5")
    assert "непонятная запись числа" in rejected[-1]
    assert not model.setData(model.index(_row(model, "2"), COL_PLAN), "120")
    assert "больше 100" in rejected[-1]
    assert not model.setData(model.index(r4, COL_FACT), "5")  # computed cell
    model.undo_stack.undo()
    assert model.index(r4, COL_FACT).data() == "не рассчитывается"
    model.undo_stack.redo()
    assert model.index(r4, COL_FACT).data() == "6,2"
    assert view.save()
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    assert next(r for r in sheet.rows if r.indicator.code == "4" and not r.component).fact == D("6.2")


def test_keyboard_enter_moves_down_and_paste_block_from_excel(section, qtbot) -> None:  # noqa: ANN001
    view = section.entry
    view.select("ГП", DISTRICT, Period(2026))
    table, model = view.table, view.model
    r9 = _row(model, "9")
    table.setCurrentIndex(model.index(r9, COL_PLAN))
    table.setFocus()
    qtbot.keyClicks(table, "5")  # typing starts the editor in the cell
    editor = table.findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "00")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(r9, COL_PLAN).data() == "500", timeout=2000)  # committed (queued)
    assert model.index(r9, COL_PLAN).data() == "500"
    assert table.currentIndex().row() == r9 + 1 and table.currentIndex().column() == COL_PLAN
    table.setCurrentIndex(model.index(r9, COL_PLAN))
    qtbot.keyClicks(table, "4")
    editor = table.findChild(QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # Tab commits and moves right
    qtbot.waitUntil(lambda: model.index(r9, COL_PLAN).data() == "4", timeout=2000)
    assert table.currentIndex().column() == COL_FACT
    model.undo_stack.undo()
    QGuiApplication.clipboard().setText("510\t480\tРемонт здания\r\n1 200\t1 100\t\r\n")
    table.setCurrentIndex(model.index(r9, COL_PLAN))

    def accept_preview() -> None:  # a block of several cells is shown in a preview first
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, accept_preview)
        else:
            dialog.accept()

    QTimer.singleShot(0, accept_preview)
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert model.index(r9, COL_FACT).data() == "480"
    assert model.index(r9, COL_COMMENT).data() == "Ремонт здания"
    assert model.index(r9 + 1, COL_PLAN).data() == "1\u00a0200"
    model.undo_stack.undo()  # the whole paste is one step
    assert model.index(r9, COL_PLAN).data() == "500" and model.index(r9, COL_FACT).data() == ""


def test_comment_required_states_and_history(section, qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    view = section.entry
    view.select("ГП", DISTRICT, Period(2027))
    model = view.model
    r9 = _row(model, "9")
    model.setData(model.index(r9, COL_PLAN), "600")
    model.setData(model.index(r9, COL_FACT), "500")
    assert model.needs_comment(r9)
    assert view.save()
    view.change_state(FormState.SUBMITTED)
    assert "причины отклонения" in view.message.toPlainText()
    model.setData(model.index(r9, COL_COMMENT), "Закрыто отделение")
    assert not model.needs_comment(r9)
    view.save()
    view.change_state(FormState.SUBMITTED)
    assert "стр. 1: нет фактического значения" in view.message.toPlainText().lower()  # completeness (issue 16)
    from socplan.services.indicators import entry as entry_service
    entry_service.save_sheet(view.env.ctx, "ГП", DISTRICT, Period(2027), [
        entry_service.CellChange(r.indicator.code, "", "comment", text="Данных за период нет")
        for r in model.sheet.rows if not r.component and r.fact is None])
    view.reload()
    view.change_state(FormState.SUBMITTED)
    view.change_state(FormState.ACCEPTED)
    assert model.sheet.read_only and not model.flags(model.index(r9, COL_FACT)) & Qt.ItemFlag.ItemIsEditable
    view.table.setCurrentIndex(model.index(r9, COL_FACT))
    shown = {}
    monkeypatch.setattr("socplan.ui.indicators.card.HistoryDialog.exec", lambda self: shown.setdefault("rows",
                        [self.model.index(r, 3).data() for r in range(self.model.rowCount())]))
    view.show_history()
    assert shown["rows"] == ["500"]


def test_region_is_read_only_and_lists_missing_districts(section, qtbot) -> None:  # noqa: ANN001
    view = section.entry
    view.select("ГП", DISTRICT, Period(2024))
    qtbot.waitUntil(lambda: not view.loading, timeout=20000)
    model = view.model
    district_rows = model.rowCount()
    view.select("ГП", "Омская область", Period(2024))
    # consolidated in the background: the district's sheet stays visible, scrollable and locked meanwhile
    assert view.loading and "собираются" in view.state_label.text()
    assert view.model is model and model.rowCount() == district_rows
    assert not any(model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
                   for r in range(model.rowCount()) for c in (COL_PLAN, COL_FACT))
    assert not view.save_button.isEnabled() and not view.submit_button.isEnabled()
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: not view.loading, timeout=20000)
    assert model.sheet.territory_name == "Омская область" and model.sheet.consolidated
    assert "Усть-Ишимский муниципальный район" in view.message.toPlainText()
    assert view.state_label.text().startswith("Сводные значения по области")
    assert not any(model.flags(model.index(r, c)) & Qt.ItemFlag.ItemIsEditable
                   for r in range(model.rowCount()) for c in (COL_PLAN, COL_FACT))
    section.grab().save("/tmp/ind_region.png")


def test_a_newer_selection_wins_over_the_region_still_consolidating(section, qtbot) -> None:  # noqa: ANN001
    view = section.entry
    view.select("ГП", "Омская область", Period(2024))
    view.select("ГП", DISTRICT, Period(2024))  # chosen before the region's values arrive
    assert not view.loading and view.model.sheet.territory_name == DISTRICT
    assert section.entry.env.runner.wait(20000)
    qtbot.wait(50)  # the region's result is delivered to the GUI thread, and ignored
    assert view.model.sheet.territory_name == DISTRICT and not view.model.sheet.consolidated
    assert view.export_button.isEnabled() and view.state_label.text().startswith("Состояние:")


def test_indicator_card_chart(section, qtbot, demo_ctx) -> None:  # noqa: ANN001
    from socplan.ui.indicators.card import IndicatorCard

    card = IndicatorCard(section.entry.env, "ГП", "14", "Омская область")
    qtbot.addWidget(card)
    names = [s.name() for s in card.chart_view.chart().series()]
    assert names == ["План", "Факт", "Базовое значение"]
    plan = card.chart_view.chart().series()[0]
    assert plan.count() == 7 and abs(plan.at(0).y() - 0.0854) < 1e-9
    assert "Утэ = ОПтэ / Птэ" in card.text.toPlainText()
    card.resize(900, 700)
    card.show()
    card.grab().save("/tmp/ind_card.png")


def test_catalogue_formula_edit_refuses_self_reference(section, monkeypatch) -> None:  # noqa: ANN001
    cat = section.catalogue
    cat.form_combo.setCurrentIndex(cat.form_combo.findData("НОК"))
    assert cat.list.select_where(lambda r: r.code == "4")
    answers = iter([("стр.4 / стр.1 * 100", True), ("стр.2 / стр.1 × 100", True)])
    warnings = []
    monkeypatch.setattr("socplan.ui.indicators.section.QInputDialog.getText", lambda *a, **k: next(answers))
    monkeypatch.setattr("socplan.ui.indicators.section.QMessageBox.warning", lambda _p, _t, text: warnings.append(text))
    cat.edit_formula()
    assert warnings and "сама на себя" in warnings[0]
    assert cat.list.current_row().formula == "стр.2 / стр.1 × 100"


def test_report_button_opens_preview(section, qtbot, monkeypatch) -> None:  # noqa: ANN001
    opened = []
    monkeypatch.setattr("socplan.ui.reports.preview.show_report_preview",
                        lambda env, pdf, title, name, on_saved=None: opened.append((pdf[:4], title, name)))
    view = section.entry
    view.select("ГП", DISTRICT, Period(2024))
    view.report_button.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    assert opened[0][0] == b"%PDF" and "Тарский" in opened[0][1] and opened[0][2].endswith(".pdf")
