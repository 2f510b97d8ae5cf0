"""The entry grid's table: Enter moves down, Tab right, invalid text refused in the cell, Ctrl+V pastes a block
matched to the form's rows (see paste.py)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QPolygonF
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QLineEdit, QStyledItemDelegate, QTableView,
                               QToolTip, QWidget)

from socplan.domain.errors import ValidationError
from socplan.ui.indicators.grid_model import REMARK_MARK, REMARK_ROLE, EntryGridModel

class CellDelegate(QStyledItemDelegate):
    """A line editor that refuses invalid text in the cell: Enter/Tab keep the editor open with the reason."""

    def __init__(self, view: EntryTable) -> None:
        super().__init__(view)
        self.view = view

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: ANN001
        editor = QLineEdit(parent)
        editor.setProperty("row", index.row())
        editor.setProperty("column", index.column())
        editor.installEventFilter(self)
        return editor

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:  # noqa: ANN001
        super().paint(painter, option, index)
        if index.data(REMARK_ROLE):
            # a cell with the Ministry's remark: a coloured corner, as a note in a spreadsheet
            rect, size = option.rect, min(9.0, option.rect.height() / 2)
            corner = QPointF(rect.right() + 1, rect.top())
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(REMARK_MARK)
            painter.drawPolygon(QPolygonF([corner - QPointF(size, 0), corner, corner + QPointF(0, size)]))
            painter.restore()

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            model: EntryGridModel = self.view.model()
            try:
                model.parse(editor.property("row"), editor.property("column"), editor.text())
            except ValidationError as exc:
                editor.setStyleSheet("background: #FDE2E1;")
                editor.setToolTip(exc.message)
                QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), exc.message, editor)
                self.view.rejected_text(exc.message)
                return True
        return super().eventFilter(editor, event)


class EntryTable(QTableView):
    """Enter moves down to the next editable cell, Tab moves right; Ctrl+V pastes a block from Excel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_rejected = lambda text: None
        self.on_pasted = lambda count, refused: None
        self.setItemDelegate(CellDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(False)

    def rejected_text(self, text: str) -> None:
        self.on_rejected(text)

    def move_down(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        model = self.model()
        for row in range(index.row() + 1, model.rowCount()):
            if model.editable(row, index.column()):
                self.setCurrentIndex(model.index(row, index.column()))
                return

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    def keyPressEvent(self, event) -> None:  # noqa: ANN001
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_down()
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            for index in self.selectedIndexes():
                if self.model().editable(index.row(), index.column()):
                    self.model().setData(index, "")
            return
        super().keyPressEvent(event)

    def paste(self) -> None:
        """Match the block to the form's rows, show where each value goes, apply it as one undo step."""
        from socplan.ui.indicators.paste import PastePreviewDialog, plan_paste

        index = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        model = self.model()
        if not index.isValid() or not text or model is None:
            return
        plan = plan_paste(model, index.row(), index.column(), text)
        if plan.blocked:
            self.on_rejected(plan.blocked)
            return
        if not plan.moves:
            self.on_rejected("Ничего не вставлено." + ("\n" + "\n".join(plan.refused[:15]) if plan.refused else ""))
            return
        single = len(plan.moves) == 1 and not plan.refused and "\t" not in text.strip() and "\n" not in text.strip()
        if not single and PastePreviewDialog(model, plan, self).exec() != PastePreviewDialog.DialogCode.Accepted:
            return
        model.apply_moves(plan.moves, f"Вставка из буфера обмена ({len(plan.moves)} яч.)")
        self.on_pasted(len(plan.moves), plan.refused)
