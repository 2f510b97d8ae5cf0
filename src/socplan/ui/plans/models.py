"""Qt models of the plans section: the event tree (with deadline colouring and filters) and control points."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from socplan.formatting import format_date
from socplan.services.plans.rows import EventRow, PointRow
from socplan.ui.common.table import RecordTableModel

#: deadline colouring: выполнено → green, просрочено → red, срок в ближайшие 7 дней → amber
COLOURS = {
    "done": QColor("#dff0d8"),
    "overdue": QColor("#f8d7da"),
    "soon": QColor("#fff3cd"),
    "failed": QColor("#e2e3e5"),
}


class EventTreeModel(QAbstractItemModel):
    """Events of one plan as a tree «1» → «1.1»; rows are frozen ``EventRow`` objects."""

    HEADERS = ("№", "Мероприятие", "Форма реализации / результат", "Срок исполнения", "Срок распознан как",
               "Исполнители", "Ближайший срок", "Статус")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._children: dict[int | None, list[int]] = {}
        self._index_of: dict[int, int] = {}
        self.today = dt.date.today()

    def set_rows(self, rows: Sequence[EventRow], today: dt.date | None = None) -> None:
        self.beginResetModel()
        self.today = today or dt.date.today()
        self._rows = list(rows)
        self._index_of = {r.id: i for i, r in enumerate(self._rows)}
        self._children = {}
        for i, r in enumerate(self._rows):
            parent = r.parent_id if r.parent_id in self._index_of else None
            self._children.setdefault(parent, []).append(i)
        self.endResetModel()

    def rows(self) -> list[EventRow]:
        return list(self._rows)

    def row_of(self, index: QModelIndex) -> EventRow | None:
        if not index.isValid():
            return None
        return self._rows[index.internalId()]

    def index_of_event(self, event_id: int) -> QModelIndex:
        i = self._index_of.get(event_id)
        if i is None:
            return QModelIndex()
        r = self._rows[i]
        siblings = self._children.get(r.parent_id if r.parent_id in self._index_of else None, [])
        return self.createIndex(siblings.index(i), 0, i)

    # -- QAbstractItemModel
    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        key = self._rows[parent.internalId()].id if parent.isValid() else None
        kids = self._children.get(key, [])
        if 0 <= row < len(kids) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: QModelIndex) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        r = self._rows[index.internalId()]
        if r.parent_id is None or r.parent_id not in self._index_of:
            return QModelIndex()
        return self.index_of_event(r.parent_id)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        key = self._rows[parent.internalId()].id if parent.isValid() else None
        return len(self._children.get(key, []))

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def _colour(self, r: EventRow) -> str:
        if r.overdue:
            return "overdue"
        if r.status == "done":
            return "done"
        if r.status == "failed":
            return "failed"
        if r.next_due and r.next_due <= self.today + dt.timedelta(days=7):
            return "soon"
        return ""

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.internalId()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            described = "" if r.deadline_kind == "none" else r.deadline_description
            return (r.number, r.text, r.form, r.deadline_text, described, r.executors_display,
                    format_date(r.next_due), r.status_label + (" · просрочено" if r.overdue else ""))[col]
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2, 3, 5):
            return (None, r.text, r.form, r.deadline_text, None, r.executors_text or r.executors_display)[col]
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == 4 and not r.deadline_recognised:
                return QBrush(QColor("#ffe0b2"))
            colour = self._colour(r)
            if colour and col in (3, 6, 7):
                return QBrush(COLOURS[colour])
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and not r.deadline_recognised:
            return QBrush(QColor("#8a3b00"))
        if role == Qt.ItemDataRole.UserRole:
            return r
        return None


class EventFilterProxy(QSortFilterProxyModel):
    """Filters of the plan tree: executor, status, overdue only, due within a period, search text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.executor = ""
        self.status = ""
        self.overdue_only = False
        self.due_from: dt.date | None = None
        self.due_to: dt.date | None = None
        self.search = ""

    def set_filters(self, *, executor: str = "", status: str = "", overdue_only: bool = False,
                    due_from: dt.date | None = None, due_to: dt.date | None = None, search: str = "") -> None:
        self.beginFilterChange()
        self.executor, self.status, self.overdue_only = executor, status, overdue_only
        self.due_from, self.due_to, self.search = due_from, due_to, search.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        model = self.sourceModel()
        r: EventRow = model.data(model.index(source_row, 0, source_parent), Qt.ItemDataRole.UserRole)
        if r is None:
            return False
        if self.executor and self.executor not in r.executors and self.executor not in r.controllers:
            return False
        if self.status and r.status != self.status:
            return False
        if self.overdue_only and not r.overdue:
            return False
        if self.due_from and (r.next_due is None or r.next_due < self.due_from):
            return False
        if self.due_to and (r.next_due is None or r.next_due > self.due_to):
            return False
        if self.search and self.search not in f"{r.number} {r.text} {r.executors_display} {r.deadline_text}".lower():
            return False
        return True


class PointTableModel(RecordTableModel):
    """Control points with the deadline colouring on the «Срок» and «Статус» cells."""

    coloured_columns = (0, 5)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid() and index.column() in self.coloured_columns:
            row: PointRow = self.row_at(index.row())
            colour = COLOURS.get(row.colour)
            return QBrush(colour) if colour is not None else None
        return super().data(index, role)
