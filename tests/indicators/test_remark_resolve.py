"""A district marks the Ministry's remark on a cell as dealt with from the grid's context menu: the orange
corner and the notice go, the values being typed stay, and the comment is written to the audit log."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.db.models.exchange import ExchangeRemark
from socplan.db.models.indicators import Indicator, IndicatorForm, IndicatorValue
from socplan.domain.indicators import Period
from socplan.services.exchange.remarks import list_remarks
from socplan.services.indicators import entry
from socplan.ui.env import UiEnv
from socplan.ui.indicators import cell_remarks
from socplan.ui.indicators.grid_model import COL_FACT, COL_PLAN, REMARK, REMARK_ROLE
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"
YEAR = Period(2026)


def _row(model, code: str, component: str = "") -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(model.rows) if r.indicator.code == code and r.component == component)


def _add_remark(ctx, code: str, component: str, text: str) -> None:  # noqa: ANN001
    with ctx.uow() as s:
        value_id = s.scalar(select(IndicatorValue.id).join(Indicator).join(IndicatorForm).where(
            IndicatorForm.code == "ГП", Indicator.code == code, IndicatorValue.component == component,
            IndicatorValue.kind == "fact", IndicatorValue.year == 2026))
        s.add(ExchangeRemark(entity="ind_value", local_id=value_id, text=text, author="Министерская А.С."))
        s.commit()


def _action(view, text: str):  # noqa: ANN001, ANN202
    return next((a for a in view.context_menu().actions() if a.text() == text), None)


def test_mark_a_remark_as_dealt_with_from_the_context_menu(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, YEAR, [entry.CellChange("14", "ОПтэ", "fact", D("120")),
                                                      entry.CellChange("14", "Птэ", "fact", D("1500"))])
    _add_remark(demo_ctx, "14", "ОПтэ", "Проверьте численность — выше прошлого года вдвое")
    _add_remark(demo_ctx, "14", "Птэ", "Уточните источник данных")

    window = QMainWindow()
    qtbot.addWidget(window)
    section = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(section)
    window.resize(1400, 700)
    window.show()
    view = section.entry
    view.select("ГП", DISTRICT, YEAR)
    model = view.model
    cell = model.index(_row(model, "14", "ОПтэ"), COL_FACT)
    other = model.index(_row(model, "14", "Птэ"), COL_FACT)
    assert cell.data(REMARK_ROLE) and cell.data(Qt.ItemDataRole.BackgroundRole) == REMARK
    assert view.remarks_label.text().startswith("Форма возвращена на доработку: 2 замечания.")

    # an unsaved value being typed elsewhere must survive the marking
    assert model.setData(model.index(_row(model, "14", "Птэ"), COL_PLAN), "1 600")
    assert model.is_dirty()

    view.table.setCurrentIndex(model.index(_row(model, "14", "ОПтэ"), COL_PLAN))  # no remark on the plan
    assert _action(view, cell_remarks.RESOLVE_TEXT) is None

    asked = []
    monkeypatch.setattr(cell_remarks.QInputDialog, "getMultiLineText",
                        lambda _p, _t, label, *a: (asked.append(label) or "Численность сверена с Омскстатом", True))
    view.table.setCurrentIndex(cell)
    _action(view, cell_remarks.RESOLVE_TEXT).trigger()
    assert "выше прошлого года вдвое" in asked[0]

    assert not cell.data(REMARK_ROLE) and cell.data(Qt.ItemDataRole.BackgroundRole) != REMARK
    assert other.data(REMARK_ROLE)  # the other cell keeps its remark
    assert view.remarks_label.text().startswith("Форма возвращена на доработку: 1 замечание.")
    assert "Осталось: 1 замечание" in view.message.toPlainText()
    assert model.is_dirty() and model.index(_row(model, "14", "Птэ"), COL_PLAN).data() == "1\u00a0600"
    assert [r.text for r in list_remarks(demo_ctx, DISTRICT)] == ["Уточните источник данных"]
    with demo_ctx.uow() as s:
        reasons = list(s.scalars(select(AuditLog.reason).where(AuditLog.entity == "exchange_remark",
                                                               AuditLog.field == "resolved")))
    assert reasons == ["Замечание Министерства учтено: Численность сверена с Омскстатом"]

    # the last one, without a comment: the notice goes; reopening the form shows no marker
    monkeypatch.setattr(cell_remarks.QInputDialog, "getMultiLineText", lambda *a: ("", True))
    view.table.setCurrentIndex(other)
    assert cell_remarks.resolve_current(view)
    assert not view.remarks_label.isVisibleTo(view) and "Все замечания учтены" in view.message.toPlainText()
    assert entry.load_sheet(demo_ctx, "ГП", DISTRICT, YEAR).remark_count == 0
