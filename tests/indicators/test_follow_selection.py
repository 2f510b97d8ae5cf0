"""The entry grid follows the chosen territory and period at once; unsaved values ask
«Сохранить / Не сохранять / Отмена» and each answer does what it says."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from socplan.domain.indicators import Period
from socplan.services.indicators import entry
from socplan.ui.env import UiEnv
from socplan.ui.indicators.grid_model import COL_PLAN
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

TARA = "Тарский муниципальный район"
AZOV = "Азовский немецкий национальный муниципальный район"


@pytest.fixture
def view(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(demo_ctx, TaskRunner(window), window)
    widget = create_section(env)
    window.setCentralWidget(widget)
    window.resize(1280, 800)
    window.show()
    widget.entry.select("ГП", TARA, Period(2026))
    return widget.entry


def _row(model, code: str) -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(model.rows) if r.indicator.code == code and not r.component)


def _answer(button_text: str, asked: list) -> None:
    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        asked.append([b.text() for b in box.buttons()])
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, look)


def _choose(view, territory: str) -> None:  # noqa: ANN001
    view.territory_combo.setCurrentIndex(view.territory_combo.findText(territory))


def test_grid_follows_territory_and_period_without_open(view, demo_ctx) -> None:  # noqa: ANN001
    model = view.model
    model.setData(model.index(_row(model, "9"), COL_PLAN), "510")
    assert view.save()
    _choose(view, AZOV)
    assert view.model.sheet.territory_name == AZOV  # no «Открыть» pressed
    assert view.model.index(_row(view.model, "9"), COL_PLAN).data() == ""
    view.year.setValue(2025)
    assert view.model.sheet.period == Period(2025)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("quarter"))
    assert view.model.sheet.period == Period(2025, "quarter", 1)
    view.number_combo.setCurrentIndex(2)
    assert view.model.sheet.period == Period(2025, "quarter", 3)


def test_unsaved_values_cancel_keeps_the_form_and_the_selection(view, qtbot) -> None:  # noqa: ANN001
    model = view.model
    model.setData(model.index(_row(model, "9"), COL_PLAN), "510")
    asked: list = []
    _answer("Отмена", asked)
    _choose(view, AZOV)
    assert asked == [["Сохранить", "Не сохранять", "Отмена"]] or sorted(asked[0]) == sorted(
        ["Сохранить", "Не сохранять", "Отмена"])
    assert view.territory_combo.currentText() == TARA and view.model.sheet.territory_name == TARA
    assert view.model.index(_row(view.model, "9"), COL_PLAN).data() == "510" and view.model.is_dirty()


def test_unsaved_values_save_go_to_the_old_territory(view, qtbot, demo_ctx) -> None:  # noqa: ANN001
    model = view.model
    model.setData(model.index(_row(model, "9"), COL_PLAN), "510")
    _answer("Сохранить", [])
    _choose(view, AZOV)
    assert view.model.sheet.territory_name == AZOV
    saved = entry.load_sheet(demo_ctx, "ГП", TARA, Period(2026))
    assert next(r for r in saved.rows if r.indicator.code == "9" and not r.component).plan == 510
    other = entry.load_sheet(demo_ctx, "ГП", AZOV, Period(2026))
    assert next(r for r in other.rows if r.indicator.code == "9" and not r.component).plan is None


def test_unsaved_values_discard_are_dropped(view, qtbot, demo_ctx) -> None:  # noqa: ANN001
    model = view.model
    model.setData(model.index(_row(model, "9"), COL_PLAN), "510")
    _answer("Не сохранять", [])
    view.year.setValue(2027)
    assert view.model.sheet.period == Period(2027) and not view.model.is_dirty()
    saved = entry.load_sheet(demo_ctx, "ГП", TARA, Period(2026))
    assert next(r for r in saved.rows if r.indicator.code == "9" and not r.component).plan is None
