"""The components of an indicator's methodology (designation, description, unit, data source): add, edit,
delete from the catalogue — a form dialog with the reasons beside the fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from socplan.domain.errors import SocPlanError
from socplan.services.indicators import catalogue
from socplan.services.indicators.common import ComponentInfo, IndicatorInfo
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.env import UiEnv

FIELDS = [FieldSpec("symbol", "Обозначение", placeholder="например, В или ОПтэ", max_length=50),
          FieldSpec("description", "Описание", "multiline"),
          FieldSpec("unit_name", "Единица измерения", placeholder="человек, рублей, %", max_length=100),
          FieldSpec("data_source", "Источник данных", "multiline")]


def component_label(c: ComponentInfo) -> str:
    text = f"{c.symbol} – {c.description}" if c.description else c.symbol
    return text if len(text) <= 90 else text[:89] + "…"


def choose_component(parent: QWidget, row: IndicatorInfo, title: str) -> ComponentInfo | None:
    """The component to edit or delete: the only one, or the one picked from the list."""
    if not row.components:
        QMessageBox.information(parent, title, f"У показателя {row.code} нет компонентов формулы. "
                                "Добавьте их кнопкой «Добавить компонент…».")
        return None
    if len(row.components) == 1:
        return row.components[0]
    labels = [component_label(c) for c in row.components]
    picked, ok = QInputDialog.getItem(parent, title, f"Компонент показателя {row.code}:", labels, 0, False)
    if not ok:
        return None
    return row.components[labels.index(picked)]


def add_component(env: UiEnv, parent: QWidget, row: IndicatorInfo) -> IndicatorInfo | None:
    def save(values: dict[str, Any]) -> IndicatorInfo:
        return catalogue.add_component(env.ctx, row.form_code, row.code, values["symbol"], values["description"],
                                       values["unit_name"], values["data_source"])

    dialog = FormDialog(f"Новый компонент показателя {row.code}", FIELDS, {}, save, parent)
    return dialog.result_value if dialog.exec() else None


def edit_component(env: UiEnv, parent: QWidget, row: IndicatorInfo) -> IndicatorInfo | None:
    comp = choose_component(parent, row, "Изменить компонент")
    if comp is None:
        return None

    def save(values: dict[str, Any]) -> IndicatorInfo:
        return catalogue.update_component(env.ctx, row.form_code, row.code, comp.symbol,
                                          new_symbol=values["symbol"], description=values["description"],
                                          unit_name=values["unit_name"], data_source=values["data_source"])

    values = {"symbol": comp.symbol, "description": comp.description, "unit_name": comp.unit_name,
              "data_source": comp.data_source}
    dialog = FormDialog(f"Компонент «{comp.symbol}» показателя {row.code}", FIELDS, values, save, parent)
    return dialog.result_value if dialog.exec() else None


def delete_component(env: UiEnv, parent: QWidget, row: IndicatorInfo) -> IndicatorInfo | None:
    comp = choose_component(parent, row, "Удалить компонент")
    if comp is None:
        return None
    answer = QMessageBox.question(parent, "Удалить компонент",
                                  f"Удалить компонент «{component_label(comp)}» из методики показателя {row.code}?")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        return catalogue.delete_component(env.ctx, row.form_code, row.code, comp.symbol)
    except SocPlanError as exc:
        QMessageBox.warning(parent, "Компонент не удалён", exc.message)
        return None
