"""Qt models of the board (territories × forms, cells coloured by state) and of «Что сдать»."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from socplan.domain.cycle import CellState
from socplan.formatting import format_date, format_percent
from socplan.services.cycle.board import Board, BoardCell, DueItem
from socplan.services.cycle.export import STATE_COLOURS, cell_text

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ORDER = {CellState.OVERDUE: 0, CellState.RETURNED: 1, CellState.NOT_STARTED: 2, CellState.DRAFT: 3,
               CellState.SUBMITTED: 4, CellState.ACCEPTED: 5}


class BoardModel(QAbstractTableModel):
    """Rows: territories; columns: «Территория», one per form, «Сдано, %». A cell's background is its state."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.board: Board | None = None
        self._brushes = {state: QBrush(QColor(colour)) for state, colour in STATE_COLOURS.items()}

    def set_board(self, board: Board | None) -> None:
        self.beginResetModel()
        self.board = board
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.board is None else len(self.board.territories)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() or self.board is None else len(self.board.forms) + 2

    def cell_at(self, index: Index) -> BoardCell | None:
        if self.board is None or not index.isValid() or not 1 <= index.column() <= len(self.board.forms):
            return None
        return self.board.cell(self.board.territories[index.row()], self.board.forms[index.column() - 1][0])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.board is None or not index.isValid():
            return None
        territory = self.board.territories[index.row()]
        cell = self.cell_at(index)
        last = index.column() == len(self.board.forms) + 1
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return territory
            if last:
                return format_percent(self.board.territory_percent(territory), empty="—")
            return cell_text(cell)
        if role == SORT_ROLE:
            if index.column() == 0:
                return territory
            if last:
                return float(self.board.territory_percent(territory) or 0)
            return STATE_ORDER[cell.state] * 1000 - cell.days_late
        if role == Qt.ItemDataRole.BackgroundRole and cell is not None:
            return self._brushes[cell.state]
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            lines = [f"{cell.form} · {territory}", f"Состояние: {cell.state.label}",
                     f"Срок: {format_date(cell.due, empty='не установлен')}",
                     f"Представлена: {format_date(cell.submitted, empty='—')}"]
            if cell.days_late:
                lines.append(f"Дней просрочки: {cell.days_late}")
            if cell.flags:
                lines.append(f"Значений, требующих проверки: {cell.flags}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if self.board is None or orientation != Qt.Orientation.Horizontal:
            return None
        forms = self.board.forms
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Территория"
            return "Сдано, %" if section == len(forms) + 1 else forms[section - 1][0]
        if role == Qt.ItemDataRole.ToolTipRole and 1 <= section <= len(forms):
            code, name = forms[section - 1]
            return f"{name}\nСдано по форме: {format_percent(self.board.form_percent(code), empty='—')}"
        return None


class TodoModel(QAbstractTableModel):
    """«Что сдать»: form, period, due date, state, days late — overdue first (as the service orders them)."""

    HEADERS = ("Форма", "Период", "Срок", "Состояние", "Просрочка, дн.")

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.items: list[DueItem] = []
        self._brushes = {state: QBrush(QColor(colour)) for state, colour in STATE_COLOURS.items()}

    def set_items(self, items: list[DueItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.form, item.period.label, format_date(item.due, empty="не установлен"), item.state.label,
                    str(item.days_late) if item.days_late else "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return item.form_name
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 3:
            return self._brushes[item.state]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
