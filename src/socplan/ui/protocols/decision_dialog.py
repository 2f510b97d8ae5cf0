"""The decision editor: numbering, text, responsible bodies, deadline with its computed date, votes and outcome."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError, ValidationError, ValidationErrors
from socplan.formatting import format_date, parse_date
from socplan.services.context import AppContext
from socplan.services.protocols import meetings
from socplan.services.protocols.rows import AgendaRow, DecisionRow
from socplan.ui.protocols.meeting_dialog import ERROR_STYLE


class DecisionDialog(QDialog):
    def __init__(self, ctx: AppContext, meeting_id: int, item: AgendaRow, decision: DecisionRow | None = None,
                 parent: QWidget | None = None, *, subpoint_of: int | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id, self.item, self.decision = ctx, meeting_id, item, decision
        self.result_row: DecisionRow | None = None
        self.setWindowTitle(f"Решение по вопросу № {item.number}")
        self.setMinimumWidth(720)
        existing = [(d.point, d.subpoint) for d in item.decisions if not decision or d.id != decision.id]
        point, sub = (decision.point, decision.subpoint) if decision else rules.next_point(existing, subpoint_of)
        self.point = QSpinBox(self)
        self.point.setRange(1, 999)
        self.point.setValue(point)
        self.subpoint = QSpinBox(self)
        self.subpoint.setRange(0, 999)
        self.subpoint.setSpecialValueText("нет")
        self.subpoint.setValue(sub or 0)
        self.label = QLabel(self)
        self.text = QPlainTextEdit(decision.text if decision else "", self)
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.responsibles = QLineEdit(decision.responsibles_text if decision else "", self)
        self.responsibles.setObjectName("responsibles")
        self.responsibles.setPlaceholderText("сокращённые наименования через запятую: Минтруд, Минобразования, …")
        self.responsibles_hint = QLabel(self)
        self.responsibles_hint.setWordWrap(True)
        self.deadline = QLineEdit(decision.deadline_text if decision else "", self)
        self.deadline.setObjectName("deadline")
        self.deadline.setPlaceholderText("например: в срок до 1 мая 2022 года; в течение 5 дней после дня проведения заседания")
        self.deadline_hint = QLabel(self)
        self.deadline_hint.setWordWrap(True)
        self.due = QLineEdit(self)
        self.due.setObjectName("due")
        self.due.setPlaceholderText("ДД.ММ.ГГГГ — если дата не вычисляется из формулировки или перенесена")
        self.due.setMaximumWidth(420)
        self.voted = QCheckBox("Голосование проводилось", self)
        self.votes = [QSpinBox(self) for _ in range(3)]
        for spin, name in zip(self.votes, ("votes_for", "against", "abstained")):
            spin.setRange(0, 999)
            spin.setObjectName(name)
        self.presiding_vote = QComboBox(self)
        self.presiding_vote.addItem("—", "")
        for code, label in rules.VOTE_CHOICES.items():
            self.presiding_vote.addItem(label, code)
        if decision and decision.votes:
            self.voted.setChecked(True)
            for spin, value in zip(self.votes, (decision.votes.votes_for, decision.votes.against,
                                                decision.votes.abstained)):
                spin.setValue(value)
            self.presiding_vote.setCurrentIndex(max(self.presiding_vote.findData(decision.presiding_vote), 0))
        self.outcome = QLabel(self)
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        numbers = QHBoxLayout()
        numbers.addWidget(QLabel("пункт", self))
        numbers.addWidget(self.point)
        numbers.addWidget(QLabel("подпункт", self))
        numbers.addWidget(self.subpoint)
        numbers.addWidget(self.label, 1)
        votes = QHBoxLayout()
        for caption, spin in zip(("за", "против", "воздержались"), self.votes):
            votes.addWidget(QLabel(caption, self))
            votes.addWidget(spin)
        votes.addWidget(QLabel("председательствующий:", self))
        votes.addWidget(self.presiding_vote)
        votes.addStretch(1)
        form = QFormLayout()
        form.addRow("Номер:", numbers)
        form.addRow("Текст решения:", self.text)
        form.addRow("Ответственные:", self.responsibles)
        form.addRow("", self.responsibles_hint)
        form.addRow("Срок:", self.deadline)
        form.addRow("", self.deadline_hint)
        form.addRow("Дата контроля:", self.due)
        form.addRow("", self.voted)
        form.addRow("Голоса:", votes)
        form.addRow("Итог:", self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        for spin in (self.point, self.subpoint, *self.votes):
            spin.valueChanged.connect(self._refresh)
        self.voted.toggled.connect(self._refresh)
        self.presiding_vote.currentIndexChanged.connect(self._refresh)
        self.deadline.textChanged.connect(self._refresh_deadline)
        self.text.textChanged.connect(self._refresh_deadline)
        self.responsibles.textChanged.connect(self._refresh_responsibles)
        self._refresh()
        self._refresh_deadline()
        self._refresh_responsibles()
        if decision and decision.due_date:
            computed = meetings.deadline_preview(ctx, meeting_id, decision.deadline_text, decision.text).due
            if computed != decision.due_date:
                self.due.setText(format_date(decision.due_date))

    def _votes(self) -> rules.Votes | None:
        if not self.voted.isChecked():
            return None
        return rules.Votes(*(s.value() for s in self.votes))

    def _refresh(self) -> None:
        for w in (*self.votes, self.presiding_vote):
            w.setEnabled(self.voted.isChecked())
        self.label.setText(rules.protocol_point_label(self.item.number, self.point.value(), self.subpoint.value() or None))
        try:
            outcome = meetings.decision_outcome_preview(self.ctx, self.meeting_id, self._votes(),
                                                        self.presiding_vote.currentData() or "")
        except (ValidationErrors, ValidationError) as exc:
            self.outcome.setText(exc.message)
            self.outcome.setStyleSheet(ERROR_STYLE)
            return
        colour = "#1b5e20" if outcome.adopted else "#b00020"
        self.outcome.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.outcome.setText(f"{outcome.label[:1].upper()}{outcome.label[1:]}. {outcome.explanation}")

    def _refresh_deadline(self) -> None:
        found = meetings.deadline_preview(self.ctx, self.meeting_id, self.deadline.text(), self.text.toPlainText())
        if not found.recognised:
            self.deadline_hint.setText("Срок не распознан: формулировка сохранится как есть, дата контроля не вычисляется.")
            self.deadline_hint.setStyleSheet(ERROR_STYLE)
            return
        due = f"; контроль: {found.due:%d.%m.%Y}" if found.due else ""
        source = "" if self.deadline.text().strip() or not found.text else f" (из текста: «{found.text}»)"
        self.deadline_hint.setText(f"{found.description}{due}{source}")
        self.deadline_hint.setStyleSheet("color: #555;")

    def _refresh_responsibles(self) -> None:
        parts = meetings.parse_responsibles(self.ctx, self.responsibles.text())
        known = sum(1 for p in parts if p.organisation_id is not None)
        free = [p.text for p in parts if p.organisation_id is None]
        text = f"Из справочника организаций: {known}"
        if free:
            text += "; как формулировка: " + "; ".join(f"«{t}»" for t in free)
        self.responsibles_hint.setText(text if parts else "Без ответственных решение не ставится на контроль.")
        self.responsibles_hint.setStyleSheet("color: #555;")

    def values(self) -> meetings.DecisionInput:
        return meetings.DecisionInput(
            self.point.value(), self.text.toPlainText(), self.subpoint.value() or None,
            meetings.parse_responsibles(self.ctx, self.responsibles.text()), self.deadline.text(),
            parse_date(self.due.text(), field="due"), votes=self._votes(),
            presiding_vote=self.presiding_vote.currentData() or "")

    def accept(self) -> None:
        try:
            self.result_row = meetings.save_decision(self.ctx, self.item.id, self.values(),
                                                     self.decision.id if self.decision else None,
                                                     seen_version=self.decision.version if self.decision else None)
        except (ValidationErrors, ValidationError, SocPlanError) as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()
