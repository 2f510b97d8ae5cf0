"""At 1280×720 every section fits the window (no sideways scrolling), the plan list stays readable and
description panels are in normal weight."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow
from socplan.ui.sections import SECTIONS


@pytest.fixture
def window(qtbot, qapp, demo_ctx, tmp_path):  # noqa: ANN001, ANN201
    register_fonts(qapp)
    win = MainWindow(demo_ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.mark.parametrize("key", [s.key for s in SECTIONS])
def test_section_fits_1280x720_without_sideways_scrolling(window, qapp, key) -> None:  # noqa: ANN001
    window.show_section(key)
    qapp.processEvents()
    holder = window.stack.currentWidget()
    assert not holder.horizontalScrollBar().isVisible(), (
        f"раздел шире окна: {holder.widget().minimumSizeHint().width()} > {holder.viewport().width()}")


def test_plan_list_is_readable_and_description_is_not_bold(window, qapp) -> None:  # noqa: ANN001
    plans = window.show_section("plans").plans_tab
    qapp.processEvents()
    assert plans.plans.width() >= 240  # it was 90 px: names broke into letters
    plans.plans.table.selectRow(0)
    html = plans.plans.detail_view.toHtml()
    assert "font-weight:700" not in html.split("<table")[0]  # the title is in normal weight
    assert plans.plans.detail_view.verticalScrollBarPolicy() != 1  # a long description scrolls
