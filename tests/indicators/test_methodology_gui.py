"""The card and the catalogue show the formula actually computed (with the errata note), the OKEI unit, and
let the type be changed; the entry grid flags a share computed out of 0–100 % on its cell."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from socplan.domain.indicators import Direction, Period
from socplan.services.indicators import catalogue
from socplan.ui.env import UiEnv
from socplan.ui.indicators.grid_model import ATTENTION, COL_FACT
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"


@pytest.fixture
def section(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(widget)
    window.resize(1400, 800)
    window.show()
    return widget


def test_card_shows_computed_formula_with_the_printed_text(section, qtbot) -> None:  # noqa: ANN001
    from socplan.ui.indicators.card import IndicatorCard

    card = IndicatorCard(section.entry.env, "ГП", "16", "Омская область")
    qtbot.addWidget(card)
    text = card.text.toPlainText()
    assert "Формула (рассчитывается): D = (A/C) × 100 %" in text
    assert "в тексте методики: D = (A/B) × 100 %" in text
    assert "процентов (ОКЕИ 744 «Процент»)" in text
    card.resize(900, 700)
    card.show()
    card.grab().save("/tmp/i21_card16.png")


def test_catalogue_type_change_is_saved_and_shown(section, monkeypatch) -> None:  # noqa: ANN001
    cat = section.catalogue
    cat.form_combo.setCurrentIndex(cat.form_combo.findData("ГП"))
    assert cat.list.select_where(lambda r: r.code == "15")
    monkeypatch.setattr("socplan.ui.indicators.section.QInputDialog.getItem", lambda *a, **k: ("убывающий", True))
    monkeypatch.setattr("socplan.ui.indicators.section.QInputDialog.getText", lambda *a, **k: ("плановые значения снижаются", True))
    cat.edit_direction()
    assert cat.list.current_row().direction is Direction.DECREASING
    row14 = next(i for i in catalogue.list_indicators(section.entry.env.ctx, "ГП") if i.code == "14")
    assert row14.direction is Direction.INCREASING and row14.unit_code == "233/055"


def test_entry_grid_flags_a_share_over_100_on_its_cell(section) -> None:  # noqa: ANN001
    """А = 7 518 and В = 1 618 typed for indicator 1 → 464,6 %: the fact cell of 1 is marked and says why."""
    view = section.entry
    view.select("ГП", DISTRICT, Period(2027))
    model = view.model
    rows = {(r.indicator.code, r.component): i for i, r in enumerate(model.rows)}
    model.setData(model.index(rows[("1", "А")], COL_FACT), "7518")
    model.setData(model.index(rows[("1", "В")], COL_FACT), "1618")
    cell = model.index(rows[("1", "")], COL_FACT)
    assert model.data(cell) == "464,6"
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole) == ATTENTION
    assert "доля по формуле получилась 464,6 %" in model.data(cell, Qt.ItemDataRole.ToolTipRole)


def test_card_of_14_names_the_type_erratum(section, qtbot) -> None:  # noqa: ANN001
    """ГП-14-15-тип is shown on the card: the type is kept as printed and can be changed in the catalogue."""
    from socplan.ui.indicators.card import IndicatorCard

    card = IndicatorCard(section.entry.env, "ГП", "14", "Омская область")
    qtbot.addWidget(card)
    text = card.text.toPlainText()
    assert "Реестр опечаток методик — ГП-14-15-тип: напечатано «Возрастающий»" in text
    assert "Гкал/кв. м (ОКЕИ 233/055 «Гигакалория / Квадратный метр»)" in text
