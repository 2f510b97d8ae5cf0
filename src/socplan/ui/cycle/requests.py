"""«Запросы»: reopening of accepted forms and extensions of due dates — the district asks, the Ministry grants
or refuses; a reopened form shows «изменено после принятия» (accepted and current values side by side)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QPushButton, QTableView, QTextBrowser, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.roles import Action
from socplan.formatting import format_date
from socplan.services.cycle import due, reopen
from socplan.services.permissions import can
from socplan.ui.env import UiEnv

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RequestLine:
    kind: str  # reopen | extension
    id: int
    form: str
    territory: str
    period: Any
    what: str
    reason: str
    requested_by: str
    status: str
    status_label: str


def load_lines(ctx, pending_only: bool) -> list[RequestLine]:  # noqa: ANN001
    lines = [RequestLine("reopen", r.id, r.form, r.territory, r.period, "открыть принятую форму", r.reason,
                         r.requested_by, r.status, r.status_label) for r in reopen.list_reopen_requests(ctx, pending_only)]
    lines += [RequestLine("extension", e.id, e.form, e.territory, e.period, f"продлить срок до {format_date(e.until)}",
                          e.reason, e.requested_by, e.status, e.status_label)
              for e in due.list_extensions(ctx, pending_only)]
    return lines


class RequestsModel(QAbstractTableModel):
    HEADERS = ("Запрос", "Форма", "Территория", "Период", "Причина", "Кто просит", "Решение")

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.lines: list[RequestLine] = []

    def set_lines(self, lines: list[RequestLine]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self.lines[index.row()]
        return (r.what, r.form, r.territory, r.period.label, r.reason, r.requested_by, r.status_label)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class RequestsView(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.pending = QCheckBox("Только нерассмотренные", self)
        self.pending.setChecked(True)
        self.grant_button = QPushButton("Разрешить", self)
        self.refuse_button = QPushButton("Отказать…", self)
        self.model = RequestsModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.changes = QTextBrowser(self)
        self.changes.setMaximumHeight(180)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        decides = can(env.ctx, Action.DECIDE_REOPEN) or can(env.ctx, Action.DECIDE_EXTENSION)
        self.grant_button.setVisible(decides)
        self.refuse_button.setVisible(decides)
        top = QHBoxLayout()
        for w in (self.pending, self.grant_button, self.refuse_button):
            top.addWidget(w)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Изменено после принятия (выбранная форма):", self))
        layout.addWidget(self.changes)
        self.pending.toggled.connect(self.refresh)
        self.grant_button.clicked.connect(lambda: self.decide(True))
        self.refuse_button.clicked.connect(lambda: self.decide(False))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_changes())
        self.refresh()

    def refresh(self) -> None:
        self.model.set_lines(load_lines(self.env.ctx, self.pending.isChecked()))
        self.changes.clear()

    def current(self) -> RequestLine | None:
        row = self.table.currentIndex().row()
        return self.model.lines[row] if 0 <= row < len(self.model.lines) else None

    def decide(self, grant: bool) -> None:
        line = self.current()
        if line is None:
            return
        note = ""
        if not grant:
            note, ok = QInputDialog.getText(self, "Отказ", "Причина отказа (её увидит район):")
            if not ok:
                return
        try:
            if line.kind == "reopen":
                reopen.decide_reopen(self.env.ctx, line.id, grant, note)
            else:
                due.decide_extension(self.env.ctx, line.id, grant, note)
        except SocPlanError as exc:
            self.message.setText(exc.message)
            self.message.setStyleSheet("color: #b00020;")
            return
        self.message.setStyleSheet("")
        self.message.setText(f"Запрос № {line.id}: {'разрешено' if grant else 'отказано'}.")
        self.refresh()

    def show_changes(self) -> None:
        line = self.current()
        if line is None or line.kind != "reopen":
            self.changes.clear()
            return
        rows = reopen.changes_after_acceptance(self.env.ctx, line.form, line.territory, line.period)
        if not rows:
            self.changes.setPlainText("После принятия значения не изменялись.")
            return
        body = "".join(f"<tr><td>{escape(r.code)}{' ' + escape(r.component) if r.component else ''}</td>"
                       f"<td>{escape(r.kind)}</td><td>{escape(r.accepted)}</td><td><b>{escape(r.now)}</b></td></tr>"
                       for r in rows)
        self.changes.setHtml("<table border=1 cellspacing=0 cellpadding=3><tr><th>Стр.</th><th>Вид</th>"
                             f"<th>Принято</th><th>Сейчас</th></tr>{body}</table>")
