"""«Вернуть на доработку»: the Ministry writes a remark per value of a submitted form (editable column, Ctrl+Z
undoes) and returns the form to the district; the remarks go out with the next package."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView,
                               QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.indicators import Period
from socplan.services import reference
from socplan.services.context import AppContext
from socplan.services.exchange import remarks
from socplan.services.exchange.remarks import ReviewValue

HEADERS = ("Показатель", "Компонент", "Вид", "Значение", "Комментарий района", "Замечание Министерства")
PERIOD_WORDS = {"year": "год", "quarter": "квартал", "month": "месяц"}


class _SetRemark(QUndoCommand):
    def __init__(self, model: ReviewModel, row: int, old: str, new: str) -> None:
        super().__init__(f"Замечание: {new[:30]}")
        self.model, self.row, self.old, self.new = model, row, old, new

    def redo(self) -> None:
        self.model.put(self.row, self.new)

    def undo(self) -> None:
        self.model.put(self.row, self.old)


class ReviewModel(QAbstractTableModel):
    def __init__(self, undo: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewValue] = []
        self.remarks: dict[int, str] = {}
        self.undo = undo

    def set_rows(self, rows: list[ReviewValue]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.remarks = {r.id: "" for r in rows}
        self.endResetModel()
        self.undo.clear()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 5 else base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (r.indicator, r.component, r.kind, r.value, r.comment,
                    self.remarks.get(r.id) or (f"(уже есть: {r.remark})" if r.remark and role ==
                                               Qt.ItemDataRole.DisplayRole else ""))[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.indicator
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 5:
            return False
        r = self.rows[index.row()]
        new = str(value or "").strip()
        if new == self.remarks.get(r.id, ""):
            return False
        self.undo.push(_SetRemark(self, index.row(), self.remarks.get(r.id, ""), new))
        return True

    def put(self, row: int, text: str) -> None:
        self.remarks[self.rows[row].id] = text
        index = self.index(row, 5)
        self.dataChanged.emit(index, index)

    def written(self) -> dict[int, str]:
        return {vid: text for vid, text in self.remarks.items() if text}


class ReturnDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Вернуть форму на доработку")
        self.resize(1000, 600)
        self.territory = QComboBox(self)
        for t in reference.list_territories(ctx):
            if t.kind != "region":
                self.territory.addItem(t.name, t.name)
        self.form_period = QComboBox(self)
        self.undo = QUndoStack(self)
        self.model = ReviewModel(self.undo, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((330, 80, 50, 100, 180)):
            self.table.setColumnWidth(col, width)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, activated=self.undo.redo)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("общее примечание к возврату (необязательно)")
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Район:", self.territory)
        form.addRow("&Форма и период:", self.form_period)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Вернуть на доработку")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.return_form)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Замечания пишите в последнем столбце (Enter или начните печатать; Ctrl+Z — отменить):",
                                self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.territory.currentIndexChanged.connect(self._load_periods)
        self.form_period.currentIndexChanged.connect(self._load_values)
        self._load_periods()

    def _load_periods(self) -> None:
        self.form_period.blockSignals(True)
        self.form_period.clear()
        for code, year, kind, no, state in remarks.form_periods(self.ctx, self.territory.currentData() or ""):
            try:
                period = Period(year, kind, no).label
            except ValueError:
                period = f"{year}, {PERIOD_WORDS.get(kind, kind)} {no}"
            self.form_period.addItem(f"{code} — {period} ({state})", f"{code}\t{year}\t{kind}\t{no}")
        self.form_period.blockSignals(False)
        self._load_values()

    def period_key(self) -> tuple[str, int, str, int] | None:
        data = self.form_period.currentData()
        if not data:
            return None
        code, year, kind, no = data.split("\t")
        return code, int(year), kind, int(no)

    def _load_values(self) -> None:
        key = self.period_key()
        self.model.set_rows(remarks.values_for_review(self.ctx, key[0], self.territory.currentData(), *key[1:])
                            if key else [])

    def return_form(self) -> None:
        key = self.period_key()
        if not key:
            self.error.setText("У района нет представленных форм.")
            return
        try:
            self.count = remarks.return_for_revision(self.ctx, key[0], self.territory.currentData(), key[1], key[2],
                                                     key[3], self.model.written(), self.note.text())
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
