"""The import preview: what is new, what changes (old and new side by side), conflicts, refused records; the user
ticks records (Space), accepts the ticked ones (Ctrl+Enter), or rejects the whole package."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from socplan.domain.exchange import Change
from socplan.formatting import format_datetime
from socplan.services.exchange.importer import ImportPreview, PreviewItem, incoming_remarks

COLOURS = {Change.NEW: "#e8f5e9", Change.CHANGED: "#fff8e1", Change.CONFLICT: "#ffebee", Change.REFUSED: "#eeeeee"}
HEADERS = ("Принять", "Что", "Вид данных", "Запись", "Было → стало", "Причина")


def _change_text(item: PreviewItem) -> str:
    if item.change is Change.NEW:
        return "; ".join(f"{f}: {n}" for f, _o, n in item.differences)
    return "; ".join(f"{f}: {o} → {n}" for f, o, n in item.differences)


class PreviewModel(QAbstractTableModel):
    """Preview items with a check box per acceptable record."""

    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, preview: ImportPreview, parent: Any = None) -> None:
        super().__init__(parent)
        self.items = list(preview.items)
        self.checked = {i.index for i in self.items if i.default_accept and i.acceptable}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self.items[index.row()].acceptable:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        col = index.column()
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.CheckStateRole and col == 0 and item.acceptable:
            return Qt.CheckState.Checked if item.index in self.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and item.change in COLOURS:
            return QBrush(QColor(COLOURS[item.change]))
        if role == Qt.ItemDataRole.ToolTipRole and col >= 3:
            return item.reason or _change_text(item) or item.title
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole):
            return ("", item.change_label, item.kind_label, item.title, _change_text(item), item.reason)[col]
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        item = self.items[index.row()]
        if not item.acceptable:
            return False
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self.checked.add(item.index)
        else:
            self.checked.discard(item.index)
        self.dataChanged.emit(index, index, [role])
        return True

    def set_all(self, predicate: Any, on: bool) -> None:
        for item in self.items:
            if item.acceptable and predicate(item):
                (self.checked.add if on else self.checked.discard)(item.index)
        if self.items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.items) - 1, 0))


class _Filter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.change: str | None = None
        self.text = ""

    def set(self, change: str | None, text: str) -> None:
        self.beginFilterChange()
        self.change, self.text = change, text.casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        item: PreviewItem = self.sourceModel().items[row]
        if self.change and item.change.value != self.change:
            return False
        return not self.text or self.text in f"{item.title} {item.kind_label} {_change_text(item)}".casefold()


def summary_html(preview: ImportPreview) -> str:
    m = preview.manifest
    docs = ", ".join(n.split("/", 1)[-1] for n in preview.documents) or "нет"
    lines = [
        ("Отправитель", m.sender.text), ("Получатель", m.recipient.text), ("Период", m.period_text),
        ("Пакет", f"№ {m.sequence} от {format_datetime(m.created_at)} (UTC), {m.direction_text}"),
        ("Подпись", f"действительна — {preview.signer}"), ("Подписанные документы", docs),
        ("Записи", preview.summary + (f"; замечаний: {preview.remarks}" if preview.remarks else "")),
    ]
    rows = "".join(f"<tr><td style='color:#555;padding-right:12px'>{escape(a)}</td><td>{escape(b)}</td></tr>"
                   for a, b in lines)
    remarks = incoming_remarks(preview)
    notes = "".join(f"<li>{escape(r.cell)} — <b>{escape(r.text)}</b>{' (' + escape(r.author) + ')' if r.author else ''}"
                    "</li>" for r in remarks)
    extra = f"<p><b>Замечания Министерства к значениям:</b></p><ul>{notes}</ul>" if notes else ""
    return f"<table>{rows}</table>{extra}"


def item_html(item: PreviewItem | None) -> str:
    if item is None:
        return ""
    head = f"<h3>{escape(item.kind_label)}: {escape(item.title)}</h3><p><b>{escape(item.change_label)}</b>"
    if item.reason:
        head += f" — {escape(item.reason)}"
    head += "</p>"
    if not item.differences:
        return head
    table = "<table border='1' cellspacing='0' cellpadding='4'>"
    if item.change is Change.NEW:
        rows = "".join(f"<tr><td>{escape(f)}</td><td><b>{escape(n)}</b></td></tr>" for f, _o, n in item.differences)
        return f"{head}{table}<tr><th>Поле</th><th>В пакете</th></tr>{rows}</table>"
    rows = "".join(f"<tr><td>{escape(f)}</td><td>{escape(o)}</td><td><b>{escape(n)}</b></td></tr>"
                   for f, o, n in item.differences)
    return f"{head}{table}<tr><th>Поле</th><th>Было (в этой базе)</th><th>Стало (в пакете)</th></tr>{rows}</table>"


class ImportPreviewDialog(QDialog):
    """``exec()`` → Accepted with ``decision`` = ("accept", indexes) | ("reject", reason); Rejected = cancel."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.decision: tuple[str, Any] | None = None
        self.setWindowTitle(f"Загрузка пакета обмена — {preview.file_name}")
        self.resize(1100, 700)
        header = QLabel(summary_html(preview), self)
        header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = PreviewModel(preview, self)
        self.proxy = _Filter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((70, 110, 170, 420, 260)):
            self.table.setColumnWidth(col, width)
        self.detail = QTextBrowser(self)
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.detail.setHtml(item_html(self.proxy.data(cur, PreviewModel.ItemRole))))

        self.kind_filter = QComboBox(self)
        self.kind_filter.addItem("Все записи", None)
        for change in Change:
            n = preview.count(change)
            if n:
                self.kind_filter.addItem(f"{change.label} ({n})", change.value)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Поиск (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.kind_filter.currentIndexChanged.connect(self._refilter)
        self.search.textChanged.connect(self._refilter)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

        self.count = QLabel(self)
        self.check_all = QPushButton("Отметить новые и изменённые", self)
        self.uncheck_all = QPushButton("Снять отметки", self)
        self.accept_button = QPushButton("Принять отмеченные", self)
        self.accept_button.setDefault(True)
        self.accept_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.reject_button = QPushButton("Отклонить пакет…", self)
        self.cancel_button = QPushButton("Отмена", self)
        self.check_all.clicked.connect(lambda: self._mark(True))
        self.uncheck_all.clicked.connect(lambda: self._mark(False))
        self.accept_button.clicked.connect(self._accept)
        self.reject_button.clicked.connect(self._reject_package)
        self.cancel_button.clicked.connect(self.reject)
        self.model.dataChanged.connect(lambda *_: self._update_count())

        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.check_all)
        filters.addWidget(self.uncheck_all)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        for b in (self.accept_button, self.reject_button, self.cancel_button):
            buttons.addWidget(b)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        if preview.duplicate:
            layout.addWidget(QLabel(f"<b>{escape(preview.duplicate_text)}</b>", self))
            self.accept_button.setEnabled(False)
            self.reject_button.setEnabled(False)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._update_count()
        self.table.setFocus()
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))

    def _refilter(self) -> None:
        self.proxy.set(self.kind_filter.currentData(), self.search.text())

    def _mark(self, on: bool) -> None:
        self.model.set_all(lambda i: (i.default_accept if on else True), on)
        self._update_count()

    def _update_count(self) -> None:
        n = len(self.model.checked)
        self.count.setText(f"Отмечено к приёму: {n} из {len(self.model.items)}")
        self.accept_button.setEnabled(not self.preview.duplicate and (n > 0 or self.preview.remarks > 0
                                                                       or bool(self.preview.documents)))

    def selected_indexes(self) -> list[int]:
        return sorted(self.model.checked)

    def _accept(self) -> None:
        self.decision = ("accept", self.selected_indexes())
        self.accept()

    def _reject_package(self) -> None:
        reason, ok = QInputDialog.getText(self, "Отклонить пакет", "Причина отклонения (попадёт в журнал):")
        if ok:
            self.decision = ("reject", reason.strip())
            self.accept()
