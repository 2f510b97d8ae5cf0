"""Dialogs of the plans section: plan and event forms, execution of a control point, report period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QListView, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)
from PySide6.QtCore import QStringListModel

from socplan.domain.deadlines import parse_deadline
from socplan.domain.errors import SocPlanError, ValidationError
from socplan.domain.plans import PLAN_KINDS, PointStatus
from socplan.formatting import format_date, parse_date
from socplan.services.plans import control
from socplan.services.plans.rows import EventInput, EventRow, PlanInput, PlanRow, PointRow
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.env import UiEnv

REPORTING = [("quarterly", "ежеквартально"), ("semiannual", "1 раз в полугодие"), ("annual", "ежегодно"),
             ("monthly", "ежемесячно")]


def _names(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.replace("\n", ";").split(";") if x.strip())


def _year(text: str, field: str) -> int:
    try:
        return int(str(text).strip())
    except ValueError as exc:
        raise ValidationError(field, "Укажите год числом, например 2025.") from exc


def plan_dialog(env: UiEnv, row: PlanRow | None, save) -> FormDialog:  # noqa: ANN001
    fields = [
        FieldSpec("title", "Наименование плана", "multiline"),
        FieldSpec("kind", "Вид", "choice", list(PLAN_KINDS.items())),
        FieldSpec("year_from", "Год начала", placeholder="2025", max_length=4),
        FieldSpec("year_to", "Год окончания", placeholder="2026", max_length=4),
        FieldSpec("owner", "Организация (сокращённо)", placeholder="Минтруд"),
        FieldSpec("basis", "Основание (приложение к …)", "multiline"),
        FieldSpec("approval_word", "Гриф", placeholder="УТВЕРЖДАЮ"),
        FieldSpec("approval_position", "Должность утверждающего", "multiline"),
        FieldSpec("approval_name", "И.О. Фамилия утверждающего", placeholder="И.П. Варнавская"),
        FieldSpec("approval_date", "Дата утверждения", placeholder="ДД.ММ.ГГГГ", max_length=10),
        FieldSpec("reporting", "Отчётность по «постоянно»", "choice", REPORTING),
    ]
    today = dt.date.today()
    values: dict[str, Any] = {"kind": "events", "year_from": today.year, "year_to": today.year,
                              "approval_word": "УТВЕРЖДАЮ", "reporting": "quarterly"}
    if row is not None:
        values = {"title": row.title, "kind": row.kind, "year_from": row.year_from, "year_to": row.year_to,
                  "owner": row.owner_short_name, "basis": row.basis, "approval_word": row.approval_word,
                  "approval_position": row.approval_position, "approval_name": row.approval_name,
                  "approval_date": format_date(row.approval_date), "reporting": row.reporting}

    def to_input(v: dict[str, Any]) -> Any:
        data = PlanInput(title=v["title"].strip(), year_from=_year(v["year_from"], "year_from"),
                         year_to=_year(v["year_to"], "year_to"), kind=v["kind"], owner_short_name=v["owner"].strip(),
                         basis=v["basis"].strip(), approval_word=v["approval_word"].strip(),
                         approval_position=v["approval_position"].strip(), approval_name=v["approval_name"].strip(),
                         approval_date=parse_date(v["approval_date"], field="approval_date")
                         if v["approval_date"].strip() else None, reporting=v["reporting"])
        return save(data)

    return FormDialog("План мероприятий" if row is None else f"План: редакция {row.revision}", fields, values,
                      to_input, env.window)


def event_input_from_row(r: EventRow) -> EventInput:
    return EventInput(r.text, r.form, r.deadline_text, r.executors, r.controllers, r.executors_text, r.anchor_date,
                      r.source_code)


def event_dialog(env: UiEnv, row: EventRow | None, save) -> FormDialog:  # noqa: ANN001
    fields = [
        FieldSpec("text", "Мероприятие", "multiline"),
        FieldSpec("form", "Форма реализации / результат", "multiline"),
        FieldSpec("deadline", "Срок исполнения (как в документе)", placeholder="I квартал 2025 – 2026 гг."),
        FieldSpec("executors", "Исполнители (через «;»)", placeholder="ДСО; УДСП"),
        FieldSpec("controllers", "Контроль (через «;»)", placeholder="ДСО"),
        FieldSpec("executors_text", "Исполнители — текст для печати", "multiline"),
    ]
    values: dict[str, Any] = {}
    if row is not None:
        values = {"text": row.text, "form": row.form, "deadline": row.deadline_text,
                  "executors": "; ".join(row.executors), "controllers": "; ".join(row.controllers),
                  "executors_text": row.executors_text}
    dialog: FormDialog

    def to_input(v: dict[str, Any]) -> Any:
        return save(EventInput(v["text"].strip(), v["form"].strip(), v["deadline"].strip(), _names(v["executors"]),
                               _names(v["controllers"]), v["executors_text"].strip(),
                               row.anchor_date if row else None, row.source_code if row else ""))

    dialog = FormDialog("Мероприятие" if row is None else f"Мероприятие {row.number}", fields, values, to_input,
                        env.window)
    # show at once how the deadline is understood
    hint = QLabel(dialog)
    hint.setWordWrap(True)
    deadline_edit = dialog.editors["deadline"]

    def update_hint() -> None:
        d = parse_deadline(deadline_edit.text())
        hint.setText(f"Срок распознан: {d.describe()}" if d.is_recognised else
                     "Срок не распознан — он будет сохранён как есть и отмечен «не распознано».")
        hint.setStyleSheet("" if d.is_recognised else "color: #8a3b00;")

    deadline_edit.textChanged.connect(update_hint)
    update_hint()
    dialog.layout().insertWidget(1, hint)
    return dialog


def _qdate(d: dt.date | None) -> QDate:
    d = d or dt.date.today()
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class PointDialog(QDialog):
    """Execution of one control point: status, information, date, reporter, new due date, documents."""

    def __init__(self, env: UiEnv, point: PointRow, organisations: list[str]) -> None:
        super().__init__(env.window)
        self.env, self.point = env, point
        self.result_row: PointRow | None = None
        self.setWindowTitle(f"Исполнение: мероприятие {point.event_number}, {point.period_label}")
        self.setMinimumWidth(620)
        form = QFormLayout()
        title = QLabel(f"<b>{point.event_number}</b> {point.event_text}<br>Срок: {format_date(point.due_date)} "
                       f"({point.deadline_text})", self)
        title.setWordWrap(True)
        self.status = QComboBox(self)
        for st in PointStatus:
            self.status.addItem(st.label, st.value)
        self.status.setCurrentIndex(max(0, self.status.findData(point.status)))
        self.new_due = QDateEdit(_qdate(point.due_date + dt.timedelta(days=30)), self)
        self.new_due.setCalendarPopup(True)
        self.new_due.setDisplayFormat("dd.MM.yyyy")
        self.info = QPlainTextEdit(point.info, self)
        self.info.setTabChangesFocus(True)
        self.reported_on = QDateEdit(_qdate(point.reported_on), self)
        self.reported_on.setCalendarPopup(True)
        self.reported_on.setDisplayFormat("dd.MM.yyyy")
        self.reporter = QComboBox(self)
        self.reporter.addItem("—", "")
        for name in organisations:
            self.reporter.addItem(name, name)
        self.reporter.setCurrentIndex(max(0, self.reporter.findData(point.reporter)))
        self.documents = QStringListModel(self)
        docs_view = QListView(self)
        docs_view.setModel(self.documents)
        docs_view.setMaximumHeight(80)
        attach = QPushButton("Приложить документ…", self)
        attach.clicked.connect(self._attach)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form.addRow(title)
        form.addRow("Статус:", self.status)
        form.addRow("Новый срок (при переносе):", self.new_due)
        form.addRow("Информация об исполнении:", self.info)
        form.addRow("Дата отметки:", self.reported_on)
        form.addRow("Отчитался исполнитель:", self.reporter)
        row = QHBoxLayout()
        row.addWidget(docs_view, 1)
        row.addWidget(attach)
        holder = QWidget(self)
        holder.setLayout(row)
        form.addRow("Документы:", holder)
        history = control.point_history(env.ctx, point.id)
        labels = {"status": "статус", "info": "информация", "due_date": "срок", "reported_on": "дата отметки"}

        def shown(field: str, value: str) -> str:
            if field == "status" and value in {st.value for st in PointStatus}:
                return PointStatus(value).label
            return value

        lines = [f"{h[0]:%d.%m.%Y %H:%M} {h[1]}: {labels[h[2]]} «{shown(h[2], h[3])}» → «{shown(h[2], h[4])}»"
                 for h in history if h[2] in labels]
        if lines:
            hist = QLabel("<br>".join(lines[-6:]), self)
            hist.setWordWrap(True)
            hist.setStyleSheet("color: #555;")
            form.addRow("История изменений:", hist)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.status.currentIndexChanged.connect(self._sync)
        self._sync()
        self._reload_docs()

    def _sync(self) -> None:
        self.new_due.setEnabled(self.status.currentData() == PointStatus.POSTPONED.value)

    def _reload_docs(self) -> None:
        docs = control.list_documents(self.env.ctx, self.point.id)
        self.documents.setStringList([f"{d.file_name} ({d.size} байт, SHA-256 {d.sha256[:12]}…)" for d in docs])

    def _attach(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Документ об исполнении")
        if name:
            self.attach_file(Path(name))

    def attach_file(self, path: Path) -> None:
        try:
            control.attach_document(self.env.ctx, self.point.id, path.name, path.read_bytes())
        except (OSError, SocPlanError) as exc:
            self.error.setText(getattr(exc, "message", str(exc)))
            return
        self._reload_docs()

    def accept(self) -> None:
        status = self.status.currentData()
        try:
            self.result_row = control.report_point(
                self.env.ctx, self.point.id, status, self.info.toPlainText(),
                reported_on=_pydate(self.reported_on.date()), reporter_short_name=self.reporter.currentData(),
                new_due_date=_pydate(self.new_due.date()) if status == PointStatus.POSTPONED.value else None)
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        super().accept()


class PeriodDialog(QDialog):
    """Report period: presets (квартал, полугодие, 9 месяцев, год) or any dates; also the xlsx copy."""

    PRESETS = [("I квартал", 1, 3), ("I полугодие", 1, 6), ("9 месяцев", 1, 9), ("Год", 1, 12),
               ("II квартал", 4, 6), ("III квартал", 7, 9), ("IV квартал", 10, 12), ("II полугодие", 7, 12)]

    def __init__(self, parent: QWidget, plan: PlanRow) -> None:
        super().__init__(parent)
        self.setWindowTitle("Информация о ходе реализации плана")
        today = dt.date.today()
        year = min(max(today.year, plan.year_from), plan.year_to)
        self.year = QComboBox(self)
        for y in range(plan.year_from, plan.year_to + 1):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(self.year.findData(year))
        self.preset = QComboBox(self)
        for name, m1, m2 in self.PRESETS:
            self.preset.addItem(name, (m1, m2))
        self.preset.setCurrentIndex(3)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd.MM.yyyy")
        self.xlsx = QCheckBox("Сохранить также в Excel (.xlsx)", self)
        form = QFormLayout(self)
        form.addRow("Год:", self.year)
        form.addRow("Период:", self.preset)
        form.addRow("С:", self.date_from)
        form.addRow("По:", self.date_to)
        form.addRow(self.xlsx)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Сформировать")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.year.currentIndexChanged.connect(self._apply)
        self.preset.currentIndexChanged.connect(self._apply)
        self._apply()

    def _apply(self) -> None:
        y = self.year.currentData()
        m1, m2 = self.preset.currentData()
        end = (dt.date(y, m2, 28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        self.date_from.setDate(_qdate(dt.date(y, m1, 1)))
        self.date_to.setDate(_qdate(end))

    def period(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())
