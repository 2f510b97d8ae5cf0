"""The entry grid after a save conflict: the dialog shows both values; the user keeps theirs or takes the saved."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox

from socplan.domain.indicators import Period
from socplan.services.context import AppContext, User
from socplan.services.indicators import entry
from socplan.ui.env import UiEnv
from socplan.ui.indicators import conflict_dialog
from socplan.ui.indicators.grid_model import COL_FACT
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"
PERIOD = Period(2025)


@pytest.fixture
def view(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(widget)
    window.show()
    widget.entry.select("ГП", DISTRICT, PERIOD)
    return widget.entry


def _answer(monkeypatch, button_text: str, seen: list[str]) -> None:  # noqa: ANN001
    def exec_(box: QMessageBox) -> int:
        seen.append(box.text())
        chosen = next(b for b in box.buttons() if b.text() == button_text)
        chosen.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def _fact_9(ctx) -> D | None:  # noqa: ANN001
    sheet = entry.load_sheet(ctx, "ГП", DISTRICT, PERIOD)
    return next(r for r in sheet.rows if r.indicator.code == "9" and not r.component).fact


@pytest.mark.parametrize(("button", "expected"), [(conflict_dialog.KEEP_MINE, D(655)),
                                                  (conflict_dialog.TAKE_THEIRS, D(640))])
def test_conflict_dialog_shows_both_values_and_applies_the_choice(view, demo_ctx, monkeypatch, button, expected):  # noqa: ANN001
    model = view.model
    row = next(i for i, r in enumerate(model.rows) if r.indicator.code == "9" and not r.component)
    assert model.setData(model.index(row, COL_FACT), "655")
    colleague = AppContext(demo_ctx.db, User("Иванова Анна Петровна", "аналитик"))
    entry.save_sheet(colleague, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(640))])

    shown: list[str] = []
    _answer(monkeypatch, button, shown)
    assert view.save()
    assert "стр. 9, факт: ваше значение 655, в базе 640 (сохранил(а) Иванова Анна Петровна)" in shown[0]
    assert _fact_9(demo_ctx) == expected
    assert model.index(row, COL_FACT).data() == str(expected)  # the grid shows what is saved
    assert not model.is_dirty()
