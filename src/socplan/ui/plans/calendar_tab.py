"""«Производственный календарь»: non-working holidays and transferred working days per year (administrator)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.formatting import format_date, parse_date
from socplan.services.plans.calendar import reset_calendar_year, save_calendar_year, work_calendar


class CalendarTab(QWidget):
    def __init__(self, ctx) -> None:  # noqa: ANN001
        super().__init__()
        self.ctx = ctx
        self.year = QComboBox(self)
        self.holidays = QPlainTextEdit(self)
        self.holidays.setPlaceholderText("Нерабочие праздничные дни и дни переноса, по одной дате ДД.ММ.ГГГГ в строке")
        self.working = QPlainTextEdit(self)
        self.working.setPlaceholderText("Рабочие субботы/воскресенья (перенос), ДД.ММ.ГГГГ")
        self.status = QComboBox(self)
        self.status.addItem("утверждён", "approved")
        self.status.addItem("проект", "draft")
        self.source = QLineEdit(self)
        self.info = QLabel(self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        save = QPushButton("Сохранить", self)
        save.clicked.connect(self.save)
        reset = QPushButton("Восстановить из поставки", self)
        reset.clicked.connect(self.reset)
        new_year = QPushButton("Добавить год…", self)
        new_year.clicked.connect(self.add_year)
        form = QFormLayout()
        form.addRow("Год:", self.year)
        form.addRow("Выходные и праздничные дни:", self.holidays)
        form.addRow("Рабочие дни (переносы):", self.working)
        form.addRow("Статус:", self.status)
        form.addRow("Основание:", self.source)
        buttons = QHBoxLayout()
        for b in (save, reset, new_year):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.year.currentIndexChanged.connect(self.show_year)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        self.cal = work_calendar(self.ctx)
        current = select or self.year.currentData() or dt.date.today().year
        self.year.blockSignals(True)
        self.year.clear()
        for y in self.cal.known_years():
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.show_year()

    def show_year(self) -> None:
        y = self.year.currentData()
        if y is None:
            return
        data = self.cal.years[y]
        self.holidays.setPlainText("\n".join(format_date(d) for d in sorted(data.holidays)))
        self.working.setPlainText("\n".join(format_date(d) for d in sorted(data.working_days)))
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        self.source.setText(data.source)
        self.info.setText(f"Рабочих дней в {y} году: {self.cal.working_days_in_year(y)}")
        self.error.setText("")

    def _dates(self, edit: QPlainTextEdit, what: str) -> list[dt.date]:
        out = []
        for n, line in enumerate(edit.toPlainText().splitlines(), start=1):
            if line.strip():
                try:
                    out.append(parse_date(line.strip(), field=what))
                except SocPlanError as exc:
                    raise SocPlanError(f"{what}, строка {n}: {exc.message}") from exc
        return out

    def save(self) -> None:
        y = self.year.currentData()
        try:
            save_calendar_year(self.ctx, y, self._dates(self.holidays, "Выходные дни"),
                               self._dates(self.working, "Рабочие дни"), self.status.currentData(),
                               self.source.text().strip())
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        self.reload(y)

    def reset(self) -> None:
        y = self.year.currentData()
        try:
            reset_calendar_year(self.ctx, y)
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        self.reload(y)

    def add_year(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        y, ok = QInputDialog.getInt(self, "Новый год календаря", "Год:", dt.date.today().year + 1, 2000, 2100)
        if not ok:
            return
        if y in self.cal.years:
            QMessageBox.information(self, "Календарь", f"Календарь на {y} год уже есть.")
            return
        save_calendar_year(self.ctx, y, [dt.date(y, 1, d) for d in range(1, 9)], [], "draft",
                           "Добавлен администратором: уточните праздники и переносы")
        self.reload(y)
