"""The catalogue's component dialog: add, edit, delete a methodology component; the reasons are shown beside
the fields or in a warning (a formula still using it, values entered for it); every change is audited."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMainWindow, QMessageBox
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.domain.indicators import Period
from socplan.services.indicators import catalogue, entry
from socplan.ui.common.form import FormDialog
from socplan.ui.env import UiEnv
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

DISTRICT = "Тарский муниципальный район"


@pytest.fixture
def cat(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    section = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(section)
    window.show()
    view = section.catalogue
    view.form_combo.setCurrentIndex(view.form_combo.findData("ГП"))
    assert view.list.select_where(lambda r: r.code == "14")
    return view


def _fill(*attempts: dict[str, str]):  # noqa: ANN202
    """A fake ``FormDialog.exec``: each attempt fills the fields and presses «Сохранить»."""
    def fake_exec(dialog: FormDialog) -> bool:
        fake_exec.dialogs.append(dialog)
        for changes in attempts:
            for name, value in changes.items():
                editor = dialog.editors[name]
                editor.setText(value) if isinstance(editor, QLineEdit) else editor.setPlainText(value)
            dialog.accept()
            fake_exec.errors.append({n: lbl.text() for n, lbl in dialog.errors.items() if lbl.isVisibleTo(dialog)})
            if dialog.result() == FormDialog.DialogCode.Accepted:
                return True
        return False
    fake_exec.dialogs, fake_exec.errors = [], []
    return fake_exec


def _components(ctx, code: str = "14") -> dict:  # noqa: ANN001
    row = next(r for r in catalogue.list_indicators(ctx, "ГП") if r.code == code)
    return {c.symbol: c for c in row.components}


def test_add_edit_and_delete_a_component(cat, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    before = _components(demo_ctx)
    assert {"ОПтэ", "Птэ"} <= set(before)
    fake = _fill({"symbol": "1Н", "description": "Численность населения"}, {"symbol": "Нтэ", "unit_name": "человек", "data_source": "Омскстат, форма 1-Т"})
    monkeypatch.setattr(FormDialog, "exec", fake)
    cat.add_component_button.click()
    assert "начните с буквы" in fake.errors[0]["symbol"]  # refused beside the field, dialog kept open
    comp = _components(demo_ctx)["Нтэ"]
    assert (comp.description, comp.unit_name, comp.data_source) == ("Численность населения", "человек",
                                                                    "Омскстат, форма 1-Т")
    assert cat.list.current_row().code == "14"
    assert "Нтэ" in cat.list.detail_view.toPlainText()

    # edit: pick «Нтэ» among the components, rename it, change the description
    picked = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (
        picked.append(items) or next(i for i in items if i.startswith("Нтэ ")), True))
    fake = _fill({"symbol": "ОПтэ"}, {"symbol": "Н", "description": "Численность постоянного населения"})
    monkeypatch.setattr(FormDialog, "exec", fake)
    cat.edit_component_button.click()
    assert fake.dialogs[0].editors["unit_name"].text() == "человек"  # the dialog opens with the current values
    assert "уже есть" in fake.errors[0]["symbol"]
    after = _components(demo_ctx)
    assert "Нтэ" not in after and after["Н"].description == "Численность постоянного населения"
    assert len(picked[0]) == len(before) + 1

    # delete refused: the formula uses «ОПтэ» — the warning says which formula
    warnings = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (
        next(i for i in items if i.startswith("ОПтэ ")), True))
    cat.delete_component_button.click()
    assert "ОПтэ" in _components(demo_ctx)
    assert "нельзя удалить" in warnings[-1] and "формула показателя" in warnings[-1]

    # delete refused: values are entered for «Н» in a district
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, Period(2026), [entry.CellChange("14", "Н", "fact", D("1250"))])
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (
        next(i for i in items if i.startswith("Н ")), True))
    cat.delete_component_button.click()
    assert "Н" in _components(demo_ctx)
    assert "введены значения" in warnings[-1] and DISTRICT in warnings[-1] and "2026" in warnings[-1]

    # once the value is cleared the component goes, and the log has who and why
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, Period(2026), [entry.CellChange("14", "Н", "fact", None)])
    count = len(warnings)
    cat.delete_component_button.click()
    assert len(warnings) == count and "Н" not in _components(demo_ctx)
    with demo_ctx.uow() as s:
        reasons = set(s.scalars(select(AuditLog.reason).where(AuditLog.entity == "ind_component")))
    assert {"Новый компонент формулы показателя 14", "Изменение компонента «Нтэ» показателя 14",
            "Удаление компонента «Н» показателя 14"} <= reasons


def test_rename_refused_while_the_formula_uses_it(demo_ctx) -> None:  # noqa: ANN001
    from socplan.domain.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        catalogue.update_component(demo_ctx, "ГП", "14", "Птэ", new_symbol="П", description="x")
    assert err.value.field == "symbol" and "формула показателя" in err.value.message
    assert "Птэ" in _components(demo_ctx)
