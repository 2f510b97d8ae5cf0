"""The meeting editor: date, place, form, protocol number, presiding person, attendance with live quorum."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractListModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListView, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget)

from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError, ValidationError, ValidationErrors
from socplan.services.context import AppContext
from socplan.services.protocols import bodies, meetings
from socplan.services.protocols.rows import BodyRow, MeetingDetail, MemberRow

ERROR_STYLE = "color: #b00020;"


def qdate(value: dt.date | None) -> QDate:
    value = value or dt.date.today()
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(parent: QWidget, value: dt.date | None) -> QDateEdit:
    edit = QDateEdit(qdate(value), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    return edit


class AttendanceModel(QAbstractListModel):
    """Members in force on the meeting date, each with a check box «присутствовал»."""

    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[MemberRow] = []
        self._present: set[int] = set()

    def set_members(self, members: list[MemberRow], present: set[int]) -> None:
        self.beginResetModel()
        self._members = list(members)
        self._present = {p for p in present if any(m.person_id == p for m in members)}
        self.endResetModel()
        self.changed.emit()

    def present_ids(self) -> tuple[int, ...]:
        return tuple(m.person_id for m in self._members if m.person_id in self._present)

    def members(self) -> list[MemberRow]:
        return list(self._members)

    def set_present(self, person_id: int, present: bool) -> None:
        for row, m in enumerate(self._members):
            if m.person_id == person_id:
                self.setData(self.index(row), Qt.CheckState.Checked if present else Qt.CheckState.Unchecked,
                             Qt.ItemDataRole.CheckStateRole)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self._members[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            role_text = f" ({m.role_label})" if m.role != rules.ROLE_MEMBER else ""
            return f"{m.full_name}{role_text} — {m.position}"
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if m.person_id in self._present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.position
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        pid = self._members[index.row()].person_id
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        (self._present.add if checked else self._present.discard)(pid)
        self.dataChanged.emit(index, index, [role])
        self.changed.emit()
        return True


class MeetingDialog(QDialog):
    """Create or edit a meeting; the quorum is recomputed whenever attendance or the date changes."""

    def __init__(self, ctx: AppContext, body: BodyRow, detail: MeetingDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.body, self.detail = ctx, body, detail
        self.meeting_id = detail.meeting.id if detail else None
        self.result_row = None
        self.setWindowTitle(f"Заседание — {body.display_short}")
        self.setMinimumWidth(760)
        m = detail.meeting if detail else None
        self.history = bodies.list_members(ctx, body.id)

        self.date = date_edit(self, m.date if m else dt.date.today())
        self.number = QLineEdit(m.number if m else "", self)
        self.number.setPlaceholderText("например: 3")
        self.time = QLineEdit(m.time if m else "", self)
        self.time.setInputMask("99:99;_")
        self.place = QLineEdit((m.place if m else body.default_place) or "", self)
        self.form = QComboBox(self)
        for code, label in rules.MEETING_FORMS.items():
            self.form.addItem(label, code)
        self.form.setCurrentIndex(max(self.form.findData(m.form if m else "in_person"), 0))
        self.presiding = QComboBox(self)
        self.secretary = QComboBox(self)
        self.attendance = AttendanceModel(self)
        self.attendance_view = QListView(self)
        self.attendance_view.setModel(self.attendance)
        self.attendance_view.setObjectName("attendance")
        all_button = QPushButton("Отметить всех", self)
        none_button = QPushButton("Снять все отметки", self)
        all_button.clicked.connect(lambda: self._mark_all(True))
        none_button.clicked.connect(lambda: self._mark_all(False))
        self.quorum_label = QLabel(self)
        self.quorum_label.setObjectName("quorum")
        self.quorum_label.setWordWrap(True)
        self.invited = QPlainTextEdit(self)
        self.invited.setTabChangesFocus(True)
        self.invited.setPlaceholderText("По одному на строку: Фамилия И.О. – должность, организация")
        self.invited.setFixedHeight(64)
        if detail:
            self.invited.setPlainText("\n".join(f"{a.name} – {a.position}" if a.position else a.name
                                                for a in detail.attendees if a.invited))
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("Дата заседания:", self.date)
        form.addRow("Номер протокола:", self.number)
        form.addRow("Время:", self.time)
        form.addRow("Место:", self.place)
        form.addRow("Форма:", self.form)
        form.addRow("Председательствующий:", self.presiding)
        form.addRow("Секретарь:", self.secretary)
        marks = QHBoxLayout()
        marks.addWidget(all_button)
        marks.addWidget(none_button)
        marks.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Присутствовали (члены по составу на дату заседания):", self))
        layout.addWidget(self.attendance_view, 1)
        layout.addLayout(marks)
        layout.addWidget(self.quorum_label)
        layout.addWidget(QLabel("Приглашенные:", self))
        layout.addWidget(self.invited)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        present = {a.person_id for a in detail.attendees if not a.invited and a.person_id} if detail else set()
        self._presiding_id = m.presiding_id if m else None
        self._secretary_id = m.secretary_id if m else None
        self.attendance.changed.connect(self._update_quorum)
        self.date.dateChanged.connect(lambda _d: self._load_members(set(self.attendance.present_ids())))
        self._load_members(present)

    # ------------------------------------------------------------ behaviour
    def _load_members(self, present: set[int]) -> None:
        day = pydate(self.date.date())
        members = [m for m in self.history if m.active_on(day)]
        self._presiding_id = self.presiding.currentData() or self._presiding_id
        self._secretary_id = self.secretary.currentData() or self._secretary_id
        for combo, current, preferred in ((self.presiding, self._presiding_id, rules.ROLE_CHAIR),
                                          (self.secretary, self._secretary_id, rules.ROLE_SECRETARY)):
            combo.clear()
            combo.addItem("—", None)
            for m in members:
                combo.addItem(f"{m.full_name} ({m.role_label})", m.person_id)
            wanted = current or next((m.person_id for m in members if m.role == preferred), None)
            combo.setCurrentIndex(max(combo.findData(wanted), 0))
        self.attendance.set_members(members, present)

    def _mark_all(self, present: bool) -> None:
        for m in self.attendance.members():
            self.attendance.set_present(m.person_id, present)

    def _update_quorum(self) -> None:
        status = rules.quorum_status(len(self.attendance.members()), len(self.attendance.present_ids()),
                                     self.body.quorum_rule)
        self.quorum_label.setText(status.text())
        colour = "#1b5e20" if status.reached else "#b00020"
        self.quorum_label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def _invited(self) -> tuple[meetings.InvitedInput, ...]:
        out = []
        for line in self.invited.toPlainText().splitlines():
            if not line.strip():
                continue
            name, _, position = line.replace(" - ", " – ").partition(" – ")
            out.append(meetings.InvitedInput(name.strip(), position.strip()))
        return tuple(out)

    def values(self) -> meetings.MeetingInput:
        time = self.time.text().strip()
        return meetings.MeetingInput(
            self.body.id, pydate(self.date.date()), number=self.number.text(),
            time="" if time in (":", "") else time, place=self.place.text(), form=self.form.currentData(),
            presiding_id=self.presiding.currentData(), secretary_id=self.secretary.currentData(),
            member_ids=self.attendance.present_ids(), invited=self._invited())

    def accept(self) -> None:
        try:
            self.result_row = meetings.save_meeting(self.ctx, self.values(), self.meeting_id)
        except (ValidationErrors, ValidationError, SocPlanError) as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()
