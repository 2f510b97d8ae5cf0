"""A reusable record list: table model over immutable rows, sort/filter proxy, search field, detail panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Generic, Sequence, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter,
                               QTableView, QTextBrowser, QVBoxLayout, QWidget)

from socplan.formatting import format_date, format_datetime, format_number

Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Any], Any]
    width: int = 0
    align_right: bool = False
    #: decimals for Decimal values (None: as stored)
    decimals: int | None = None
    tooltip: Callable[[Any], str] | None = None


def display_text(value: Any, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal):
        return format_number(value, decimals)
    if isinstance(value, int):
        return format_number(value, 0)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def sort_key(value: Any) -> Any:
    """Sort numbers as numbers and text case-insensitively (ё after е as in Russian collation)."""
    if value is None:
        return (0, "")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return (1, value)
    if isinstance(value, (dt.date, dt.datetime)):
        return (2, value.isoformat())
    return (3, str(value).casefold().replace("ё", "е\uffff"))


class RecordTableModel(QAbstractTableModel):
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows = list(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            # an exception raised here reaches Qt's C++ header code and takes the process down: never raise
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column.value(row), column.decimals)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip:
                return column.tooltip(row)
            text = display_text(column.value(row), column.decimals)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.align_right:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == self.SortRole:
            return sort_key(column.value(row))
        if role == self.RowRole:
            return row
        return None


class RecordFilterProxy(QSortFilterProxyModel):
    """Case-insensitive search over every column; sorting by typed values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self.setSortRole(RecordTableModel.SortRole)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().casefold().replace("ё", "е")
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        for column in range(model.columnCount()):
            text = model.index(source_row, column, source_parent).data() or ""
            if self._needle in str(text).casefold().replace("ё", "е"):
                return True
        return False

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:
        a, b = left.data(self.sortRole()), right.data(self.sortRole())
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)


class RecordListView(QWidget):
    """Search field + sortable table + detail panel. ``detail`` renders a row as HTML."""

    current_changed = Signal(object)  # the selected row object (or None)
    activated = Signal(object)  # double click / Enter

    def __init__(self, columns: Sequence[Column], detail: Callable[[Any], str] | None = None,
                 parent: QWidget | None = None, *, search_placeholder: str = "Поиск (Ctrl+F)") -> None:
        super().__init__(parent)
        self.model = RecordTableModel(columns, parent=self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._detail = detail

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(search_placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(columns):
            if column.width:
                self.table.setColumnWidth(i, column.width)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.doubleClicked.connect(lambda _i: self.activated.emit(self.current_row()))

        self.detail_view = QTextBrowser(self)
        self.detail_view.setOpenExternalLinks(False)
        self.detail_view.setPlaceholderText("Выберите строку, чтобы увидеть подробности.")

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        self.toolbar_layout = top

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.detail_view.setMinimumHeight(60)
        if detail is None:
            self.detail_view.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self._update_count()

    def set_rows(self, rows: Sequence[Any]) -> None:
        current = self.current_row()
        self.model.set_rows(rows)
        self._update_count()
        if current is not None:
            self.select_where(lambda r: getattr(r, "id", None) == getattr(current, "id", object()))

    def current_row(self) -> Any:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, RecordTableModel.RowRole)

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for r in range(self.proxy.rowCount()):
            row = self.proxy.index(r, 0).data(RecordTableModel.RowRole)
            if predicate(row):
                self.table.selectRow(r)
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                return True
        return False

    def visible_rows(self) -> list[Any]:
        return [self.proxy.index(r, 0).data(RecordTableModel.RowRole) for r in range(self.proxy.rowCount())]

    def _on_search(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"Записей: {total}" if shown == total else f"Найдено: {shown} из {total}")

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.proxy.data(current, RecordTableModel.RowRole) if current.isValid() else None
        if self._detail is not None:
            self.detail_view.setHtml(self._detail(row) if row is not None else "")
        self.current_changed.emit(row)


def detail_html(title: str, fields: Sequence[tuple[str, Any]]) -> str:
    """A simple label/value card for the detail panel."""
    from html import escape

    rows = "".join(
        f"<tr><td style='color:#555;padding-right:12px;vertical-align:top'>{escape(label)}</td>"
        f"<td>{escape(display_text(value)).replace(chr(10), '<br>')}</td></tr>"
        for label, value in fields
    )
    # the title in normal weight, a little larger: a bold heading in a narrow panel breaks words
    return f"<p style='font-size:11pt; margin-bottom:6px'>{escape(title)}</p><table>{rows}</table>"
