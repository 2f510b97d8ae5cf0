"""«Сроки сдачи»: the Ministry sets each form's due rule in words and sees the next due dates before saving."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.formatting import format_date
from socplan.services.cycle import due
from socplan.ui.env import UiEnv

WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
HEADERS = ("Форма", "Наименование", "Периодичность", "Срок сдачи")
EXAMPLES = {"month": "до 10-го числа месяца, следующего за отчётным периодом",
            "quarter": "до 20-го числа месяца, следующего за отчётным периодом",
            "year": "до 15 января"}


class RulesModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[due.FormDueRule] = []

    def set_rows(self, rows: list[due.FormDueRule]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        r = self.rows[index.row()]
        values = (r.form, r.form_name, r.periodicity or "—", r.text or "не установлен")
        return values[index.column()]


class DueRulesView(QWidget):
    """Forms × their rules; the editor below parses the text as it is typed and shows the next due dates."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.model = RulesModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.form_label = QLabel("Выберите форму в таблице.", self)
        self.form_label.setWordWrap(True)
        self.kind_combo = QComboBox(self)
        for code, label in (("month", "месяц"), ("quarter", "квартал"), ("year", "год")):
            self.kind_combo.addItem(label, code)
        self.rule_edit = QLineEdit(self)
        self.rule_edit.setPlaceholderText(EXAMPLES["month"])
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Сохранить срок", self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        editor = QFormLayout()
        editor.addRow(self.form_label)
        editor.addRow("Периодичность отчёта:", self.kind_combo)
        editor.addRow("Срок сдачи:", self.rule_edit)
        editor.addRow("Ближайшие сроки:", self.preview)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addLayout(buttons)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self.select_row(current.row()))
        self.rule_edit.textChanged.connect(self.update_preview)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = due.forms_with_rules(self.env.ctx)
        except SocPlanError as exc:
            self.message.setText(exc.message)
            return
        self.model.set_rows(rows)

    def current(self) -> due.FormDueRule | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def select_row(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            return
        self.table.selectRow(row)
        r = self.model.rows[row]
        self.form_label.setText(f"Форма «{r.form}» — {r.form_name}")
        if r.period_kind:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(r.period_kind))
        self.rule_edit.setText(r.text)
        self.message.clear()
        self.update_preview()

    def _kind_changed(self) -> None:
        self.rule_edit.setPlaceholderText(EXAMPLES[self.kind_combo.currentData()])
        self.update_preview()

    def update_preview(self) -> None:
        """Parse the text as typed; show the rule as it will be stored and the next four due dates."""
        text = self.rule_edit.text().strip()
        ok = False
        if not text:
            self.preview.setText("Введите срок словами, например: «" + EXAMPLES[self.kind_combo.currentData()] + "».")
        else:
            try:
                stored, dates = due.preview_due_dates(self.env.ctx, self.kind_combo.currentData(), text)
            except SocPlanError as exc:
                self.preview.setText(exc.message)
                self.preview.setStyleSheet("color: #b00020;")
            else:
                lines = [f"{p.label} — до {format_date(d)} ({WEEKDAYS[d.weekday()]})" for p, d in dates]
                self.preview.setText(f"Будет записано: «{stored}».\n" + "\n".join(lines)
                                     + "\nСрок, выпавший на выходной или праздник, перенесён на следующий рабочий день.")
                self.preview.setStyleSheet("")
                ok = True
        self.save_button.setEnabled(ok and self.current() is not None)

    def save(self) -> None:
        r = self.current()
        if r is None:
            self.message.setText("Выберите форму в таблице.")
            return
        row = self.table.currentIndex().row()
        try:
            info = due.set_due_rule(self.env.ctx, r.form, self.kind_combo.currentData(), self.rule_edit.text())
        except SocPlanError as exc:
            self.message.setText(exc.message)
            self.message.setStyleSheet("color: #b00020;")
            return
        self.refresh()
        self.select_row(row)
        self.message.setStyleSheet("")
        self.message.setText(f"Срок сдачи формы «{info.form}» ({info.periodicity}): {info.text}.")
