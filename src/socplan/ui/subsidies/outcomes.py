"""«Результаты использования субсидии»: events and results reported after the year (efficiency, clawback).

One row per result; rows with the same event share its amount and the force-majeure mark. Saved through
the service as a whole (all or nothing, checked by the domain's rules).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError, ValidationError
from socplan.domain.subsidies.common import EventOutcome, ResultValue
from socplan.formatting import format_number, parse_number
from socplan.services.context import AppContext
from socplan.services.subsidies import rounds as svc


@dataclass(frozen=True)
class ResultLine:
    event: str = ""
    granted: Decimal | None = None
    name: str = ""
    unit: str = "единиц"
    planned: Decimal | None = None
    actual: Decimal | None = None
    growth_is_good: bool = True
    force_majeure: bool = False
    documents: str = ""


COLUMNS = (("event", "Мероприятие", "text"), ("granted", "Субсидия, руб.", "money"), ("name", "Результат", "text"),
           ("unit", "Ед.", "text"), ("planned", "По соглашению (S)", "num"), ("actual", "Факт (T)", "num"),
           ("growth_is_good", "Рост — лучше", "flag"), ("force_majeure", "Непреодолимая сила (п. 22)", "flag"),
           ("documents", "Подтверждающие документы", "text"))


def lines_from_events(events: tuple[EventOutcome, ...]) -> list[ResultLine]:
    return [ResultLine(e.event, e.granted, r.name, r.unit, r.planned, r.actual, r.growth_is_good, e.force_majeure,
                       e.force_majeure_documents) for e in events for r in e.results]


def events_from_lines(municipality: str, lines: list[ResultLine]) -> list[EventOutcome]:
    events: dict[str, EventOutcome] = {}
    for line in lines:
        result = ResultValue(line.name, line.planned, line.actual, line.growth_is_good, line.unit)  # type: ignore[arg-type]
        if line.event in events:
            e = events[line.event]
            events[line.event] = replace(e, results=e.results + (result,))
        else:
            events[line.event] = EventOutcome(municipality, line.event, line.granted or Decimal(0), (result,),
                                              line.force_majeure, line.documents)
    return list(events.values())


class ResultLinesModel(QAbstractTableModel):
    def __init__(self, lines: list[ResultLine], parent: Any = None) -> None:
        super().__init__(parent)
        self.lines = list(lines)
        self.last_error = ""

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1] if orientation == Qt.Orientation.Horizontal else section + 1
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | (Qt.ItemFlag.ItemIsUserCheckable if COLUMNS[index.column()][2] == "flag" else Qt.ItemFlag.ItemIsEditable)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        key, _title, kind = COLUMNS[index.column()]
        value = getattr(self.lines[index.row()], key)
        if kind == "flag":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            if value is None:
                return ""
            if kind == "money":
                return format_number(value, 2)
            if kind == "num":
                return format_number(value, None)
            return value
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key, title, kind = COLUMNS[index.column()]
        line = self.lines[index.row()]
        if kind == "flag" and role == Qt.ItemDataRole.CheckStateRole:
            new: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole:
            if kind in ("money", "num"):
                try:
                    new = parse_number(str(value), field=key)
                except ValidationError as exc:
                    self.last_error = f"«{title}»: {exc.message}"
                    return False
            else:
                new = str(value).strip()
        else:
            return False
        self.lines[index.row()] = replace(line, **{key: new})
        self.dataChanged.emit(index, index)
        return True

    def add(self) -> None:
        template = self.lines[-1] if self.lines else ResultLine()
        self.beginInsertRows(QModelIndex(), len(self.lines), len(self.lines))
        self.lines.append(ResultLine(template.event, template.granted))
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.lines[row]
            self.endRemoveRows()


class OutcomesDialog(QDialog):
    def __init__(self, ctx: AppContext, application: svc.ApplicationRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.application = ctx, application
        self.setWindowTitle(f"Результаты использования субсидии — {application.municipality}")
        self.resize(1200, 420)
        self.model = ResultLinesModel(lines_from_events(application.events), self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        add, remove = QPushButton("Добавить строку", self), QPushButton("Удалить строку", self)
        add.clicked.connect(self.model.add)
        remove.clicked.connect(lambda: self.model.remove(self.view.currentIndex().row()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Фактические значения на 31 декабря года предоставления субсидии. Одна строка — "
                                "один результат; строки одного мероприятия имеют одно название.", self))
        layout.addWidget(self.view)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            svc.save_outcomes(self.ctx, self.application.id,
                              events_from_lines(self.application.municipality, self.model.lines))
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        super().accept()
