"""«ВЫСТУПИЛИ» of the selected question in the meetings tab: the speakers in the order they spoke, with add, change,
remove and move — by buttons or from the keyboard (Insert, Enter, Delete, Ctrl+↑/↓) — each undoable (Ctrl+Z)."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.permissions import can
from socplan.services.protocols import speeches
from socplan.services.protocols.rows import AgendaRow, SpeechRow
from socplan.ui.common.table import Column, RecordTableModel
from socplan.ui.protocols.speech_dialog import SpeechDialog
from socplan.ui.protocols.undo import MoveSpeechCommand, SpeechCommand
from socplan.ui.tasks import show_error

SPEECH_COLUMNS = [
    Column("№", lambda r: r.order, 36, align_right=True),
    Column("Выступивший", lambda r: r.name.replace("\u00a0", " "), 150),
    Column("Должность", lambda r: r.position, 220),
    Column("Суть выступления", lambda r: r.gist, 400),
]


class SpeechesPanel(QWidget):
    """``refresh`` reloads the meeting (the tab then calls ``show_item`` with fresh rows)."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, refresh: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.undo_stack, self.refresh = ctx, undo_stack, refresh
        self.item: AgendaRow | None = None
        self.aliases: dict[int, int] = {}  # ids of speakers put back by undo
        self.last_dialog: SpeechDialog | None = None
        self.model = RecordTableModel(SPEECH_COLUMNS, parent=self)
        self.table = QTableView(self)
        self.table.setObjectName("speeches")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(4 * 24 + 30)  # four speakers visible without scrolling
        for i, column in enumerate(SPEECH_COLUMNS):
            self.table.setColumnWidth(i, column.width)
        self.table.doubleClicked.connect(lambda _i: self.edit_speech())
        self.table.setToolTip("Insert — добавить, Enter — изменить, Delete — удалить, Ctrl+↑/↓ — переставить, "
                              "Ctrl+Z — отменить")

        bar = QHBoxLayout()
        bar.addWidget(QLabel("<b>ВЫСТУПИЛИ</b>", self))
        bar.addStretch(1)
        self.buttons = {}
        for key, text, slot in (("add", "Добавить выступление…", self.add_speech),
                                ("edit", "Изменить…", self.edit_speech),
                                ("remove", "Удалить", self.delete_speech),
                                ("up", "Выше", lambda: self.move(-1)),
                                ("down", "Ниже", lambda: self.move(1))):
            button = QPushButton(text, self)
            button.setObjectName(f"speech_{key}")
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.empty = QLabel("Никто не выступал: в протоколе по этому вопросу не будет раздела «ВЫСТУПИЛИ».", self)
        self.empty.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        # keys act while the list has the focus, so Delete in another list never removes a speaker
        self.table.installEventFilter(self)
        self.show_item(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
            actions = {Qt.Key.Key_Insert: self.add_speech, Qt.Key.Key_Return: self.edit_speech,
                       Qt.Key.Key_Enter: self.edit_speech, Qt.Key.Key_Delete: self.delete_speech}
            if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if not ctrl and key in actions:
                actions[key]()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ showing
    def show_item(self, item: AgendaRow | None) -> None:
        current = self.current_row()
        keep = current.id if current is not None and self.item is not None and item is not None \
            and item.id == self.item.id else None
        self.item = item
        rows = list(item.speeches) if item else []
        self.model.set_rows(rows)
        self.empty.setVisible(item is not None and not rows)
        editable = can(self.ctx, Action.EDIT_PROTOCOLS)  # the service checks again
        for key, button in self.buttons.items():
            button.setEnabled(editable and item is not None and (key == "add" or bool(rows)))
        if keep is not None:
            self.select(keep)

    def current_row(self) -> SpeechRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select(self, speech_id: int) -> None:
        for r, row in enumerate(self.model.rows):
            if row.id == speech_id:
                self.table.selectRow(r)
                self.table.setCurrentIndex(self.model.index(r, 0))
                return

    # ------------------------------------------------------------ editing
    def _open(self, speech: SpeechRow | None) -> SpeechDialog | None:
        if self.item is None:
            QMessageBox.information(self, "ВЫСТУПИЛИ", "Сначала выберите или добавьте вопрос повестки.")
            return None
        try:
            dialog = SpeechDialog(self.ctx, self.item, speech, self)
        except SocPlanError as exc:
            show_error(self, exc)
            return None
        item_id = self.item.id
        dialog.accepted.connect(lambda: self._after_edit(item_id, speech, dialog.result_row))
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def _after_edit(self, item_id: int, before: SpeechRow | None, after: SpeechRow | None) -> None:
        self.undo_stack.push(SpeechCommand(self.ctx, item_id, before, after, self.refresh, self.aliases))
        self.refresh()
        if after is not None:
            self.select(after.id)
            self.table.setFocus()

    def add_speech(self) -> SpeechDialog | None:
        return self._open(None)

    def edit_speech(self) -> SpeechDialog | None:
        current = self.current_row()
        return self._open(current) if current is not None else None

    def delete_speech(self) -> None:
        current = self.current_row()
        if current is None:
            return
        if QMessageBox.question(self, "Удаление выступления",
                                f"Удалить выступление: {current.name.replace(chr(0xA0), ' ')}? (Отменить: Ctrl+Z)") \
                == QMessageBox.StandardButton.Yes:
            self.remove(current)

    def remove(self, current: SpeechRow) -> None:
        try:
            speeches.delete_speech(self.ctx, current.id)
        except SocPlanError as exc:
            show_error(self, exc)
            return
        self.undo_stack.push(SpeechCommand(self.ctx, current.agenda_item_id, current, None, self.refresh,
                                           self.aliases))
        self.refresh()

    def move(self, delta: int) -> None:
        current = self.current_row()
        if current is None:
            return
        try:
            rows = speeches.move_speech(self.ctx, current.id, delta)
        except SocPlanError as exc:
            show_error(self, exc)
            return
        target = next(r.order for r in rows if r.id == current.id)
        if target != current.order:
            self.undo_stack.push(MoveSpeechCommand(self.ctx, current.id, current.order, target, self.refresh,
                                                   self.aliases))
        self.refresh()
        self.select(current.id)
        self.table.setFocus()
