"""Control of execution: assignments filtered by body, status, responsible body and period; overdue and
due-soon views; status changes with undo; documents; the report in the layout of seed 000 and its xlsx."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QSizePolicy, QToolBar, QVBoxLayout, QWidget)

from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError, ValidationError
from socplan.formatting import format_date, parse_date
from socplan.services.protocols import bodies, control, printing
from socplan.services.protocols.rows import DecisionRow
from socplan.services.reference import list_organisations
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.tasks import show_error

VIEW_ALL, VIEW_OVERDUE, VIEW_SOON = "all", "overdue", "soon"

COLUMNS = [
    Column("Орган", lambda r: r.body_short, 150),
    Column("Протокол от", lambda r: r.meeting_date, 90),
    Column("Пункт протокола", lambda r: r.label, 190),
    Column("Содержание поручения", lambda r: r.text, 360),
    Column("Ответственные", lambda r: r.responsibles_text, 200),
    Column("Срок", lambda r: r.due_date, 90),
    Column("Статус", lambda r: r.status_label, 110),
    Column("Исполнено", lambda r: r.execution_date, 90),
]


def assignment_html(r: DecisionRow) -> str:
    docs = "".join(f"<li>{escape(d.file_name)} — SHA-256 {d.sha256[:16]}…</li>" for d in r.documents)
    moved = f" (первоначально {format_date(r.original_due_date)})" if r.original_due_date else ""
    return (f"<p style='font-size:11pt'>{escape(r.body_short)}: {escape(r.label)} (протокол от {format_date(r.meeting_date)})</p>"
            f"<p>{escape(r.text)}</p><p><b>Ответственные:</b> {escape(r.responsibles_text)}<br>"
            f"<b>Срок:</b> {escape(r.deadline_text)} {format_date(r.due_date)}{moved}<br>"
            f"<b>Статус:</b> {escape(r.status_label)}</p><p>{escape(r.execution_info).replace(chr(10), '<br>')}</p>"
            + (f"<p><b>Документы:</b></p><ul>{docs}</ul>" if docs else ""))


class ControlCommand(QUndoCommand):
    """A status change already applied; undo restores the snapshot, redo applies it again."""

    def __init__(self, tab: ControlTab, before: DecisionRow, after: DecisionRow) -> None:
        super().__init__(f"статус поручения «{after.label}»: {after.status_label}")
        self.tab, self.before, self.after, self.first = tab, before, after, True

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        control.restore_control(self.tab.env.ctx, self.after)
        self.tab.reload()

    def undo(self) -> None:
        control.restore_control(self.tab.env.ctx, self.before)
        self.tab.reload()


class ControlTab(QWidget):
    def __init__(self, env, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.env = env
        self.undo_stack = QUndoStack(self)
        self.body = QComboBox(self)
        self.status = QComboBox(self)
        self.status.addItem("Все статусы", "")
        for code, label in rules.CONTROL_STATUSES.items():
            self.status.addItem(label, code)
        self.responsible = QComboBox(self)
        self.view = QComboBox(self)
        for code, label in ((VIEW_ALL, "Все поручения"), (VIEW_OVERDUE, "Просроченные"),
                            (VIEW_SOON, "Срок в ближайшие 7 дней")):
            self.view.addItem(label, code)
        for combo, chars in ((self.body, 14), (self.responsible, 14), (self.status, 10), (self.view, 10)):
            # long names must not widen the window past a 1280 px screen (the full text is in the list)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        self.date_from, self.date_to = QLineEdit(self), QLineEdit(self)
        for edit, text in ((self.date_from, "заседания с ДД.ММ.ГГГГ"), (self.date_to, "по ДД.ММ.ГГГГ")):
            edit.setPlaceholderText(text)
            edit.setMaximumWidth(150)
            edit.setMinimumWidth(90)
            edit.editingFinished.connect(self.reload)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        self.list = RecordListView(COLUMNS, assignment_html, parent=self)
        # two rows of filters: one row would be wider than a 1280 px screen
        filters, filters2 = QHBoxLayout(), QHBoxLayout()
        for row, label, widget in ((filters, "Орган:", self.body), (filters, "Ответственный:", self.responsible),
                                   (filters2, "Статус:", self.status), (filters2, "Показать:", self.view)):
            row.addWidget(QLabel(label, self))
            row.addWidget(widget, 1)
        filters2.addWidget(self.date_from)
        filters2.addWidget(self.date_to)
        actions = QHBoxLayout()
        # a tool bar of actions: on a narrow window the rest goes to its «››» menu (and all are in «Действия»)
        bar = QToolBar(self)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.buttons: dict[str, QAction] = {}
        for key, text, slot, keys in (("status", "Статус и исполнение…", self.edit_status, ""),
                                      ("attach", "Приложить документ…", self.attach, ""),
                                      ("save_doc", "Сохранить документ…", self.save_document, ""),
                                      ("undo", "Отменить", self.undo_stack.undo, "Ctrl+Z"),
                                      ("pdf", "Информация об исполнении (PDF)…", self.report_pdf, "Ctrl+P"),
                                      ("xlsx", "Экспорт в Excel…", self.report_xlsx, "")):
            action = QAction(text, self)
            action.triggered.connect(lambda _c=False, f=slot: f())
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            bar.addAction(action)
            self.buttons[key] = action
        actions.addWidget(bar, 3)
        self.message.setMinimumWidth(1)
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addLayout(actions)
        layout.addWidget(self.list, 1)
        QShortcut(QKeySequence.StandardKey.Redo, self, activated=self.undo_stack.redo)
        self.list.activated.connect(lambda _r: self.edit_status())
        self.load_choices()
        for combo in (self.body, self.status, self.responsible, self.view):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def load_choices(self) -> None:
        for combo in (self.body, self.responsible):
            combo.blockSignals(True)
        current_body = self.body.currentData()
        self.body.clear()
        self.body.addItem("Все органы", None)
        for b in bodies.list_bodies(self.env.ctx):
            self.body.addItem(b.display_short, b.id)
        self.body.setCurrentIndex(max(self.body.findData(current_body), 0))
        self.responsible.clear()
        self.responsible.addItem("Любой", None)
        for o in list_organisations(self.env.ctx):
            self.responsible.addItem(o.short_name, o.id)
        for combo in (self.body, self.responsible):
            combo.blockSignals(False)

    def current_filter(self) -> control.AssignmentFilter:
        statuses = (self.status.currentData(),) if self.status.currentData() else ()
        return control.AssignmentFilter(self.body.currentData(), statuses, self.responsible.currentData(),
                                        parse_date(self.date_from.text(), field="from"),
                                        parse_date(self.date_to.text(), field="to"))

    def reload(self) -> None:
        try:
            flt = self.current_filter()
        except ValidationError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("")
        rows = control.list_assignments(self.env.ctx, flt)
        view, today = self.view.currentData(), dt.date.today()
        if view == VIEW_OVERDUE:
            rows = [r for r in rows if rules.is_overdue(r.control_status, r.due_date, today)]
        elif view == VIEW_SOON:
            rows = [r for r in rows if rules.is_due_soon(r.control_status, r.due_date, today)]
        self.list.set_rows(rows)

    def show_overdue(self) -> None:
        self.view.setCurrentIndex(self.view.findData(VIEW_OVERDUE))

    # ------------------------------------------------------------ status
    def edit_status(self) -> FormDialog | None:
        row: DecisionRow | None = self.list.current_row()
        if row is None:
            return None
        fields = [FieldSpec("status", "Статус", "choice", list(rules.CONTROL_STATUSES.items())),
                  FieldSpec("execution_info", "Информация об исполнении", "multiline"),
                  FieldSpec("execution_date", "Дата исполнения", placeholder="ДД.ММ.ГГГГ"),
                  FieldSpec("new_due_date", "Новый срок (если срок перенесён)", placeholder="ДД.ММ.ГГГГ")]
        values = {"status": row.control_status, "execution_info": row.execution_info,
                  "execution_date": format_date(row.execution_date), "new_due_date": ""}

        def save(v: dict) -> DecisionRow:
            after = control.update_control(self.env.ctx, row.id, control.ControlInput(
                v["status"], v["execution_info"], parse_date(v["execution_date"], field="execution_date"),
                parse_date(v["new_due_date"], field="new_due_date")), seen_version=row.version)
            self.undo_stack.push(ControlCommand(self, row, after))
            return after

        dialog = FormDialog(f"Контроль исполнения: {row.label}", fields, values, save, self)
        dialog.accepted.connect(self.reload)
        dialog.open()
        return dialog

    # ------------------------------------------------------------ documents
    def attach(self, path: str | None = None) -> None:
        row: DecisionRow | None = self.list.current_row()
        if row is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Документ об исполнении", str(Path.home()), "Все файлы (*)")
        if not path:
            return
        try:
            control.attach_document(self.env.ctx, row.id, Path(path))
        except SocPlanError as exc:
            show_error(self, exc)
        self.reload()

    def save_document(self) -> None:
        row: DecisionRow | None = self.list.current_row()
        if row is None or not row.documents:
            QMessageBox.information(self, "Документы", "К выбранному поручению документы не приложены.")
            return
        doc = row.documents[-1]
        target, _ = QFileDialog.getSaveFileName(self, "Сохранить документ", str(Path.home() / doc.file_name))
        if target:
            try:
                control.export_document(self.env.ctx, doc.id, Path(target))
            except SocPlanError as exc:
                show_error(self, exc)

    # ------------------------------------------------------------ reports
    def _report_body(self) -> int | None:
        body_id = self.body.currentData()
        if body_id is None:
            QMessageBox.information(self, "Отчёт", "Выберите орган: отчёт формируется по решениям одного органа.")
        return body_id

    def report_pdf(self) -> None:
        body_id = self._report_body()
        if body_id is None:
            return
        flt = self.current_filter()

        def done(doc: printing.GeneratedDocument) -> None:
            from socplan.ui.reports.preview import show_report_preview

            self.last_preview = show_report_preview(self.env, doc.data, doc.title, doc.file_name)

        self.env.runner.run("Информация об исполнении решений",
                            lambda _p, _c: printing.build_execution_report(self.env.ctx, body_id, "pdf", flt),
                            done, cancellable=False)

    def report_xlsx(self, target: str | None = None) -> None:
        body_id = self._report_body()
        if body_id is None:
            return
        flt = self.current_filter()
        if not target:
            target, _ = QFileDialog.getSaveFileName(self, "Экспорт в Excel",
                                                    str(Path.home() / "Информация об исполнении решений.xlsx"),
                                                    "Книга Excel (*.xlsx)")
        if not target:
            return
        self.env.runner.run("Экспорт в Excel",
                            lambda _p, _c: printing.execution_report(self.env.ctx, body_id, Path(target), "xlsx", flt),
                            lambda path: (self.message.setText(""), self.env.notify(f"Сохранено: {path}")), cancellable=False)
