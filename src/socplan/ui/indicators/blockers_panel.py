"""«Что мешает представлению» under the entry grid: the list of what blocks submission, and for a violated control
ratio a field to explain it (the service ``completeness.explain_ratio``; the list is recomputed after saving)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.indicators import Period
from socplan.services.cycle import completeness
from socplan.ui.env import UiEnv

EXPLAINABLE = ("ratio", "warning")  # blockers a written explanation removes (the rest need values or comments)
CLI_HINT = " (socplan cycle explain"  # the service's text names the command; the window has the field instead


class BlockersPanel(QWidget):
    explained = Signal()

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.scope: tuple[str, int | str, Period] | None = None
        self.blockers: list[completeness.Blocker] = []
        self.title = QLabel("<b>Что мешает представлению</b>", self)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setMaximumHeight(130)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.explain_edit = QPlainTextEdit(self)
        self.explain_edit.setMaximumHeight(60)
        self.explain_edit.setPlaceholderText("Почему соотношение не выполняется (например: «в марте закрыто "
                                             "отделение, часть получателей переведена в соседний район»)")
        self.explain_button = QPushButton("Сохранить пояснение", self)
        self.recheck_button = QPushButton("Проверить снова", self)
        self.hide_button = QPushButton("Скрыть", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.explain_button, self.recheck_button, self.hide_button):
            buttons.addWidget(b)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        layout.addWidget(self.explain_edit)
        layout.addLayout(buttons)
        self.list.currentRowChanged.connect(self._selected)
        self.explain_button.clicked.connect(self.save_explanation)
        self.recheck_button.clicked.connect(self.refresh)
        self.hide_button.clicked.connect(self.hide)
        self._selected(-1)
        self.hide()

    def show_for(self, form: str, territory: int | str, period: Period) -> bool:
        """Show the list for this form; False (and hidden) when nothing on the list blocks it (the refusal
        was of another kind: a permission, the form's state)."""
        self.scope = (form, territory, period)
        self.title.setText(f"<b>Что мешает представлению</b> — форма {form}, {period.label}")
        self.status.clear()
        self.refresh()
        self.setVisible(bool(self.blockers))
        return bool(self.blockers)

    def refresh(self) -> None:
        if self.scope is None:
            return
        try:
            self.blockers = completeness.submission_blockers(self.env.ctx, *self.scope)
        except SocPlanError as exc:
            self.blockers = []
            self.status.setText(exc.message)
        self.list.clear()
        for n, b in enumerate(self.blockers, start=1):
            item = QListWidgetItem(f"{n}. {b.text.split(CLI_HINT)[0]}")
            if b.kind in EXPLAINABLE:
                item.setToolTip("Выберите строку и напишите пояснение ниже.")
            self.list.addItem(item)
        if not self.blockers:
            self.list.addItem("Ничего не мешает: форму можно представить.")
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        first = next((i for i, b in enumerate(self.blockers) if b.kind in EXPLAINABLE), -1)
        self.list.setCurrentRow(first)
        self._selected(first)

    def current(self) -> completeness.Blocker | None:
        row = self.list.currentRow()
        return self.blockers[row] if 0 <= row < len(self.blockers) else None

    def _selected(self, _row: int) -> None:
        b = self.current()
        can_explain = b is not None and b.kind in EXPLAINABLE
        self.explain_edit.setEnabled(can_explain)
        self.explain_button.setEnabled(can_explain)
        if can_explain:
            self.hint.setText(f"Пояснение к контрольному соотношению {b.code}:")
        elif b is not None:
            self.hint.setText("Это устраняется в таблице: введите значение или комментарий в строке "
                              f"{b.code} (столбец «Причина отклонения»).")
        else:
            self.hint.setText("")

    def save_explanation(self) -> None:
        b = self.current()
        if b is None or b.kind not in EXPLAINABLE or self.scope is None:
            return
        text = self.explain_edit.toPlainText().strip()
        if not text:
            self.status.setText("Напишите пояснение: почему соотношение не выполняется.")
            return
        try:
            completeness.explain_ratio(self.env.ctx, *self.scope, b.code, text)
        except SocPlanError as exc:
            self.status.setText(exc.message)
            self.status.setStyleSheet("color: #b00020;")
            return
        self.status.setStyleSheet("")
        self.status.setText(f"Пояснение к соотношению {b.code} сохранено.")
        self.explain_edit.clear()
        self.refresh()
        self.explained.emit()
