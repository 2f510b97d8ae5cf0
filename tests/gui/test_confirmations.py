"""Short confirmations go to the status bar in the normal colour; a success after an error is not red."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from socplan.domain.indicators import Period
from socplan.ui.indicators.grid_model import COL_PLAN
from socplan.ui.main_window import MainWindow


def test_saving_after_a_refused_value_confirms_in_normal_colour(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    window = MainWindow(demo_ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    view = window.show_section("indicators").entry
    view.select("ГП", "Тарский муниципальный район", Period(2026))
    model = view.model
    row = next(i for i, r in enumerate(model.rows) if r.indicator.code == "9" and not r.component)
    assert not model.setData(model.index(row, COL_PLAN), "много")  # refused: shown in red
    assert "b00020" in view.message.styleSheet()
    assert model.setData(model.index(row, COL_PLAN), "510")
    assert view.save()
    assert "Сохранено значений: 1." in view.message.toPlainText()
    assert "b00020" not in view.message.styleSheet()
    assert window.statusBar().currentMessage() == "Сохранено значений: 1."
