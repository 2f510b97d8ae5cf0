"""Import of a plan from .docx / .xlsx: column mapping, preview with recognised deadlines, confirm."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTextBrowser, QVBoxLayout, QWidget)

from socplan.domain.errors import ImportFileError, SocPlanError
from socplan.io.plans_table import FIELDS
from socplan.services.plans.importing import ImportPreview, confirm_import, preview_import
from socplan.services.plans.rows import PlanInput, PlanRow
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.env import UiEnv

PREVIEW_COLUMNS = [
    Column("Строка", lambda e: e.row, 55),
    Column("№", lambda e: e.number, 50),
    Column("Мероприятие", lambda e: e.text, 320),
    Column("Срок исполнения", lambda e: e.deadline, 200),
    Column("Срок распознан как", lambda e: e.deadline_description, 180),
    Column("Исполнители", lambda e: ", ".join(e.executors), 200),
    Column("Контроль", lambda e: ", ".join(e.controllers), 120),
]


class ImportDialog(QDialog):
    def __init__(self, env: UiEnv, path: Path | None = None) -> None:
        super().__init__(env.window)
        self.env = env
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.result_row: PlanRow | None = None
        self.setWindowTitle("Импорт плана из таблицы Word или Excel")
        self.resize(1100, 720)
        self.file_label = QLabel("Файл не выбран", self)
        choose = QPushButton("Выбрать файл…", self)
        choose.clicked.connect(self._choose)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        self.mapping_box = QGroupBox("Сопоставление столбцов", self)
        self.mapping_grid = QGridLayout(self.mapping_box)
        self.combos: list[QComboBox] = []
        self.table = RecordListView(PREVIEW_COLUMNS, parent=self, search_placeholder="Поиск в предпросмотре")
        self.messages = QTextBrowser(self)
        self.messages.setMaximumHeight(130)
        self.title = QLineEdit(self)
        self.year_from = QSpinBox(self)
        self.year_to = QSpinBox(self)
        for w in (self.year_from, self.year_to):
            w.setRange(2000, 2100)
            w.setValue(dt.date.today().year)
        self.create_missing = QCheckBox("Создать в справочнике недостающие организации", self)
        form = QFormLayout()
        form.addRow("Наименование плана:", self.title)
        years = QHBoxLayout()
        years.addWidget(self.year_from)
        years.addWidget(QLabel("–", self))
        years.addWidget(self.year_to)
        years.addStretch(1)
        holder = QWidget(self)
        holder.setLayout(years)
        form.addRow("Период (годы):", holder)
        form.addRow(self.create_missing)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Импортировать")
        self.ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.messages)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        if path is not None:
            self.load(path)

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "План мероприятий", "",
                                              "Таблицы (*.docx *.xlsx);;Документ Word (*.docx);;Книга Excel (*.xlsx)")
        if name:
            self.load(Path(name))

    def load(self, path: Path, mapping: list[str] | None = None) -> None:
        self.path = path
        self.file_label.setText(str(path))
        if not self.title.text():
            self.title.setText(path.stem)
        try:
            self.preview = preview_import(self.env.ctx, path, mapping)
        except SocPlanError as exc:
            self.preview = None
            self.table.set_rows([])
            problems = getattr(exc, "problems", [])
            self.messages.setHtml(f"<p style='color:#b00020'>{exc.message}</p>" +
                                  "".join(f"<p>{p}</p>" for p in problems))
            self.ok.setEnabled(False)
            return
        self._fill_mapping(self.preview)
        self.table.set_rows(list(self.preview.events))
        self._show_messages(self.preview)

    def _fill_mapping(self, pv: ImportPreview) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.combos = []
        for i, (header, field) in enumerate(zip(pv.header, pv.mapping)):
            label = QLabel(header or f"Столбец {i + 1}", self.mapping_box)
            label.setWordWrap(True)
            combo = QComboBox(self.mapping_box)
            for key, name in FIELDS.items():
                combo.addItem(name, key)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.currentIndexChanged.connect(self._remap)
            self.mapping_grid.addWidget(label, 0, i)
            self.mapping_grid.addWidget(combo, 1, i)
            self.combos.append(combo)

    def _remap(self) -> None:
        if self.path is not None:
            self.load(self.path, [c.currentData() for c in self.combos])

    def _show_messages(self, pv: ImportPreview) -> None:
        parts = [f"<p>Мероприятий: <b>{len(pv.events)}</b>; сроков распознано: "
                 f"<b>{sum(1 for e in pv.events if e.deadline_recognised)}</b>.</p>"]
        parts += [f"<p style='color:#b00020'>{p}</p>" for p in pv.problems]
        parts += [f"<p style='color:#8a3b00'>{u}</p>" for u in pv.unrecognised]
        if pv.missing:
            parts.append("<p>Нет в справочнике организаций: " + "; ".join(m.short_name for m in pv.missing) + "</p>")
            self.create_missing.setText(f"Создать в справочнике недостающие организации ({len(pv.missing)})")
        self.create_missing.setEnabled(bool(pv.missing))
        self.messages.setHtml("".join(parts))
        self.ok.setEnabled(pv.can_import)

    def accept(self) -> None:
        if self.path is None or self.preview is None:
            return
        data = PlanInput(self.title.text().strip(), self.year_from.value(), self.year_to.value())
        try:
            self.result_row = confirm_import(self.env.ctx, self.path, data,
                                             [c.currentData() for c in self.combos] or None,
                                             create_missing=self.create_missing.isChecked())
        except ImportFileError as exc:
            self.messages.setHtml(f"<p style='color:#b00020'>{exc.message}</p>" +
                                  "".join(f"<p>{p}</p>" for p in exc.problems))
            return
        except SocPlanError as exc:
            self.messages.setHtml(f"<p style='color:#b00020'>{exc.message}</p>")
            return
        super().accept()
