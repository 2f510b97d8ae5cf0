"""Meetings of a body: the list, the quorum, the agenda and its decisions, printing the protocol."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QSizePolicy,
                               QSplitter, QToolBar, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services.protocols import bodies, meetings, printing
from socplan.services.protocols.rows import AgendaRow, DecisionRow, MeetingDetail, MeetingRow
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.env import UiEnv
from socplan.ui.protocols.decision_dialog import DecisionDialog
from socplan.ui.protocols.meeting_dialog import MeetingDialog
from socplan.ui.protocols.speeches_panel import SpeechesPanel
from socplan.ui.protocols.undo import DecisionCommand
from socplan.ui.tasks import show_error

MEETING_COLUMNS = [
    Column("Дата", lambda r: r.date, 90),
    Column("№ протокола", lambda r: r.number, 90),
    Column("Форма", lambda r: r.form_label, 80),
    Column("Кворум", lambda r: ("есть" if r.quorum.reached else "нет") if r.quorum.members else "—", 70),
    Column("Вопросов", lambda r: r.agenda_count, 80, align_right=True),
    Column("Решений", lambda r: r.decision_count, 80, align_right=True),
    Column("Председательствующий", lambda r: r.presiding_name, 160),
]
AGENDA_COLUMNS = [
    Column("№", lambda r: r.number, 40, align_right=True),
    Column("Вопрос", lambda r: r.title or "(формулировка не внесена)", 420),
    Column("Докладчики", lambda r: r.speakers, 160),
]
DECISION_COLUMNS = [
    Column("Пункт", lambda r: r.label, 200),
    Column("Решение", lambda r: r.text, 380),
    Column("Ответственные", lambda r: r.responsibles_text, 200),
    Column("Срок", lambda r: r.due_date, 90),
    Column("Итог", lambda r: r.outcome_label, 150),
    Column("Контроль", lambda r: r.status_label, 110),
]


def _button(parent: QWidget, text: str, slot, shortcut: str = "") -> QAction:  # noqa: ANN001
    """A command for a tool bar row (a narrow window moves the rest into the bar's «››» menu)."""
    action = QAction(text, parent)
    action.triggered.connect(lambda _c=False: slot())
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({shortcut})")
        parent.addAction(action)
    return action


def _bar(parent: QWidget, title: str = "") -> QToolBar:
    bar = QToolBar(parent)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    if title:
        bar.addWidget(QLabel(title, parent))
        spacer = QWidget(parent)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
    return bar


class MeetingsTab(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.detail: MeetingDetail | None = None
        self.undo_stack = QUndoStack(self)
        self.body_combo = QComboBox(self)
        self.body_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.body_combo.setMinimumContentsLength(30)
        self.body_combo.setObjectName("body")
        self.meetings = RecordListView(MEETING_COLUMNS, parent=self)
        self.meetings.detail_view.hide()
        self.quorum = QLabel(self)
        self.quorum.setObjectName("meeting_quorum")
        self.quorum.setWordWrap(True)
        self.agenda = RecordListView(AGENDA_COLUMNS, lambda r: self._agenda_html(r), parent=self)
        self.decisions = RecordListView(DECISION_COLUMNS, lambda r: self._decision_html(r), parent=self)
        self.speeches = SpeechesPanel(env.ctx, self.undo_stack, self._load_detail, self)

        top = QHBoxLayout()
        top.addWidget(QLabel("Орган:", self))
        top.addWidget(self.body_combo, 1)
        meeting_bar = _bar(self)
        self.new_meeting = _button(self, "Новое заседание…", self.add_meeting, "Ctrl+N")
        meeting_bar.addAction(self.new_meeting)
        meeting_bar.addAction(_button(self, "Изменить заседание…", self.edit_meeting))
        meeting_bar.addAction(_button(self, "Удалить заседание", self.delete_meeting))
        meeting_bar.addAction(_button(self, "Протокол (PDF)…", self.print_pdf, "Ctrl+P"))
        meeting_bar.addAction(_button(self, "Протокол (DOCX)…", self.print_docx))
        top.addWidget(meeting_bar, 2)

        agenda_bar = _bar(self, "<b>Повестка дня</b>")
        agenda_bar.addAction(_button(self, "Добавить вопрос…", self.add_question))
        agenda_bar.addAction(_button(self, "Изменить вопрос…", self.edit_question))
        agenda_bar.addAction(_button(self, "Удалить вопрос", self.delete_question))
        decision_bar = _bar(self, "<b>РЕШИЛИ</b>")
        decision_bar.addAction(_button(self, "Добавить пункт…", self.add_decision))
        decision_bar.addAction(_button(self, "Добавить подпункт…", self.add_subpoint))
        decision_bar.addAction(_button(self, "Изменить пункт…", self.edit_decision))
        decision_bar.addAction(_button(self, "Удалить пункт", self.delete_decision))
        decision_bar.addAction(_button(self, "Отменить", self.undo_stack.undo, "Ctrl+Z"))

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.quorum)
        right_layout.addWidget(agenda_bar)
        right_layout.addWidget(self.agenda, 2)
        right_layout.addWidget(self.speeches, 2)
        right_layout.addWidget(decision_bar)
        right_layout.addWidget(self.decisions, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.meetings)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([440, 860])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.body_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.meetings.current_changed.connect(lambda _r: self._load_detail())
        self.meetings.activated.connect(lambda _r: self.edit_meeting())
        self.agenda.current_changed.connect(self._show_decisions)
        self.agenda.current_changed.connect(self._show_speeches)
        self.decisions.activated.connect(lambda _r: self.edit_decision())
        QShortcut(QKeySequence("F5"), self, activated=self.reload)
        QShortcut(QKeySequence.StandardKey.Redo, self, activated=self.undo_stack.redo)
        self.load_bodies()

    # ------------------------------------------------------------ loading
    def load_bodies(self, select_id: int | None = None) -> None:
        current = select_id or self.body_combo.currentData()
        self.body_combo.blockSignals(True)
        self.body_combo.clear()
        for b in bodies.list_bodies(self.env.ctx):
            self.body_combo.addItem(f"{b.display_short} ({b.kind_label})", b.id)
        self.body_combo.setCurrentIndex(max(self.body_combo.findData(current), 0))
        self.body_combo.blockSignals(False)
        self.reload()

    def body_id(self) -> int | None:
        return self.body_combo.currentData()

    def reload(self) -> None:
        body_id = self.body_id()
        self.meetings.set_rows(meetings.list_meetings(self.env.ctx, body_id) if body_id else [])
        if self.meetings.current_row() is None and self.meetings.visible_rows():
            self.meetings.select_where(lambda _r: True)
        self._load_detail()

    def _load_detail(self) -> None:
        row: MeetingRow | None = self.meetings.current_row()
        self.detail = meetings.meeting_detail(self.env.ctx, row.id) if row else None
        if self.detail is None:
            self.quorum.setText("Выберите заседание или создайте новое (Ctrl+N).")
            self.agenda.set_rows([])
            self._show_decisions(None)
            self._show_speeches(None)
            return
        q = self.detail.meeting.quorum
        self.quorum.setText(f"<b>{escape(self.detail.meeting.title)}</b>, {escape(self.detail.meeting.place)}. "
                            f"{escape(q.text())}")
        self.agenda.set_rows(self.detail.agenda)
        if self.agenda.current_row() is None and self.detail.agenda:
            self.agenda.select_where(lambda _r: True)
        self._show_decisions(self.agenda.current_row())
        self._show_speeches(self.agenda.current_row())

    def _show_decisions(self, item: AgendaRow | None) -> None:
        if item is not None and self.detail is not None:
            item = next((a for a in self.detail.agenda if a.id == item.id), item)
        self.decisions.set_rows(item.decisions if item else [])

    def _show_speeches(self, item: AgendaRow | None) -> None:
        if item is not None and self.detail is not None:
            item = next((a for a in self.detail.agenda if a.id == item.id), item)
        self.speeches.show_item(item)

    def _agenda_html(self, r: AgendaRow) -> str:
        return (f"<p style='font-size:11pt'>Вопрос № {r.number}. {escape(r.title)}</p><p><b>Докладчики:</b> {escape(r.speakers)}</p>"
                f"<p><b>СЛУШАЛИ:</b> {escape(r.heard)}</p>")

    def _decision_html(self, r: DecisionRow) -> str:
        votes = r.votes.text() if r.votes else "не подсчитывались"
        return (f"<p style='font-size:11pt'>{escape(r.label)}</p><p>{escape(r.text)}</p><p><b>Ответственные:</b> "
                f"{escape(r.responsibles_text)}<br><b>Срок:</b> {escape(r.deadline_text)} "
                f"{r.due_date.strftime('(%d.%m.%Y)') if r.due_date else ''}<br><b>Голосовали:</b> {escape(votes)}"
                f"<br><b>Итог:</b> {escape(r.outcome_label)}<br><b>Контроль:</b> {escape(r.status_label or '—')}</p>")

    # ------------------------------------------------------------ meetings
    def _body(self):  # noqa: ANN202
        if self.body_id() is None:
            raise SocPlanError("Сначала добавьте коллегиальный орган на вкладке «Органы и составы».")
        return bodies.get_body(self.env.ctx, self.body_id())

    def add_meeting(self) -> MeetingDialog | None:
        return self._open_meeting(None)

    def edit_meeting(self) -> MeetingDialog | None:
        if self.detail is None:
            return None
        return self._open_meeting(self.detail)

    def _open_meeting(self, detail: MeetingDetail | None) -> MeetingDialog | None:
        try:
            dialog = MeetingDialog(self.env.ctx, self._body(), detail, self)
        except SocPlanError as exc:
            show_error(self, exc)
            return None
        dialog.accepted.connect(lambda: self._after_meeting(dialog))
        dialog.open()
        return dialog

    def _after_meeting(self, dialog: MeetingDialog) -> None:
        self.reload()
        if dialog.result_row is not None:
            self.meetings.select_where(lambda r: r.id == dialog.result_row.id)

    def delete_meeting(self) -> None:
        if self.detail is None:
            return
        answer = QMessageBox.question(self, "Удаление заседания",
                                      f"Удалить {self.detail.meeting.title} со всеми вопросами и решениями?")
        if answer == QMessageBox.StandardButton.Yes:
            meetings.delete_meeting(self.env.ctx, self.detail.meeting.id)
            self.reload()

    # ------------------------------------------------------------ agenda
    def _agenda_fields(self) -> list[FieldSpec]:
        return [FieldSpec("number", "Номер вопроса"), FieldSpec("title", "Вопрос", "multiline"),
                FieldSpec("speakers", "Докладчики", placeholder="И.О. Фамилия, должность"),
                FieldSpec("heard", "СЛУШАЛИ", "multiline")]

    def _save_agenda(self, values: dict, item_id: int | None) -> AgendaRow:
        number = values["number"].strip()
        if not number.isdigit():
            from socplan.domain.errors import ValidationError

            raise ValidationError("number", "Номер вопроса — целое число, например 2.")
        return meetings.save_agenda_item(self.env.ctx, self.detail.meeting.id, meetings.AgendaInput(
            int(number), values["title"], values["speakers"], values["heard"]), item_id)

    def add_question(self) -> FormDialog | None:
        if self.detail is None:
            return None
        number = meetings.next_agenda_number(self.env.ctx, self.detail.meeting.id)
        dialog = FormDialog("Вопрос повестки", self._agenda_fields(), {"number": str(number)},
                            lambda v: self._save_agenda(v, None), self)
        dialog.accepted.connect(self._load_detail)
        dialog.open()
        return dialog

    def edit_question(self) -> None:
        item: AgendaRow | None = self.agenda.current_row()
        if item is None:
            return
        values = {"number": str(item.number), "title": item.title, "speakers": item.speakers, "heard": item.heard}
        dialog = FormDialog("Вопрос повестки", self._agenda_fields(), values, lambda v: self._save_agenda(v, item.id), self)
        dialog.accepted.connect(self._load_detail)
        dialog.open()

    def delete_question(self) -> None:
        item: AgendaRow | None = self.agenda.current_row()
        if item is None:
            return
        if QMessageBox.question(self, "Удаление вопроса", f"Удалить вопрос № {item.number} и его решения?") \
                == QMessageBox.StandardButton.Yes:
            meetings.delete_agenda_item(self.env.ctx, item.id)
            self._load_detail()

    # ------------------------------------------------------------ decisions
    def _open_decision(self, decision: DecisionRow | None, subpoint_of: int | None = None) -> DecisionDialog | None:
        item: AgendaRow | None = self.agenda.current_row()
        if item is None or self.detail is None:
            QMessageBox.information(self, "Решение", "Сначала выберите или добавьте вопрос повестки.")
            return None
        item = next((a for a in self.detail.agenda if a.id == item.id), item)
        dialog = DecisionDialog(self.env.ctx, self.detail.meeting.id, item, decision, self, subpoint_of=subpoint_of)
        dialog.accepted.connect(lambda: self._after_decision(item.id, decision, dialog.result_row))
        dialog.open()
        return dialog

    def _after_decision(self, item_id: int, before: DecisionRow | None, after: DecisionRow | None) -> None:
        self.undo_stack.push(DecisionCommand(self.env.ctx, item_id, before, after, self._load_detail))
        self._load_detail()

    def add_decision(self) -> DecisionDialog | None:
        return self._open_decision(None)

    def add_subpoint(self) -> DecisionDialog | None:
        current: DecisionRow | None = self.decisions.current_row()
        if current is None:
            QMessageBox.information(self, "Подпункт", "Выберите пункт, к которому добавляется подпункт.")
            return None
        return self._open_decision(None, current.point)

    def edit_decision(self) -> DecisionDialog | None:
        current = self.decisions.current_row()
        return self._open_decision(current) if current is not None else None

    def delete_decision(self) -> None:
        current: DecisionRow | None = self.decisions.current_row()
        if current is None:
            return
        if QMessageBox.question(self, "Удаление решения", f"Удалить {current.label}? (Отменить: Ctrl+Z)") \
                == QMessageBox.StandardButton.Yes:
            self.remove_decision(current)

    def remove_decision(self, current: DecisionRow) -> None:
        meetings.delete_decision(self.env.ctx, current.id)
        self.undo_stack.push(DecisionCommand(self.env.ctx, current.agenda_item_id, current, None, self._load_detail))
        self._load_detail()

    # ------------------------------------------------------------ printing
    def _draft_or_cancel(self, meeting_id: int) -> bool | None:
        """True — print the «ПРОЕКТ» version (the user agreed), False — final, None — the user cancelled."""
        missing = printing.protocol_missing(self.env.ctx, meeting_id)
        if not missing:
            return False
        answer = QMessageBox.question(
            self, "Протокол не готов к подписанию",
            "Для подписания в протоколе не хватает: " + ", ".join(missing) + ".\n\n"
            "Сформировать проект с отметкой «ПРОЕКТ» на каждой странице?")
        return True if answer == QMessageBox.StandardButton.Yes else None

    def print_pdf(self) -> None:
        if self.detail is None:
            return
        meeting_id = self.detail.meeting.id
        draft = self._draft_or_cancel(meeting_id)
        if draft is None:
            return

        def done(doc: printing.GeneratedDocument) -> None:
            from socplan.ui.reports.preview import show_report_preview

            self.last_preview = show_report_preview(self.env, doc.data, doc.title, doc.file_name)

        self.env.runner.run("Формирование протокола", lambda _p, _c: printing.build_protocol(self.env.ctx, meeting_id, draft=draft),
                            done, cancellable=False)

    def print_docx(self, target: str | None = None) -> None:
        if self.detail is None:
            return
        meeting_id = self.detail.meeting.id
        draft = self._draft_or_cancel(meeting_id)
        if draft is None:
            return
        if not target:
            target, _ = QFileDialog.getSaveFileName(
                self, "Сохранить протокол для редактирования",
                str(Path.home() / f"Протокол {self.detail.meeting.date:%d.%m.%Y}.docx"), "Документ Word (*.docx)")
        if not target:
            return
        self.env.runner.run("Формирование протокола (DOCX)",
                            lambda _p, _c: printing.protocol_document(self.env.ctx, meeting_id, Path(target), "docx",
                                                                       draft=draft),
                            lambda path: self.window().statusBar().showMessage(f"Протокол сохранён: {path}", 8000)
                            if hasattr(self.window(), "statusBar") else None, cancellable=False)
