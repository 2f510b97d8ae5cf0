"""The «ВЫСТУПИЛИ» editor of one speaker: who (from those present or invited, or typed), position, the gist."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services.context import AppContext
from socplan.services.protocols import speeches
from socplan.services.protocols.rows import AgendaRow, SpeechRow

ERROR_STYLE = "color: #b00020;"
#: the last line of the speaker list: a name typed by hand (it must still be among those present or invited)
TYPED = "typed"


class SpeechDialog(QDialog):
    """Add or change one speaker of question ``item``; the service checks and saves, errors stay in the dialog."""

    def __init__(self, ctx: AppContext, item: AgendaRow, speech: SpeechRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item, self.speech = ctx, item, speech
        self.result_row: SpeechRow | None = None
        self.setWindowTitle(f"ВЫСТУПИЛИ — вопрос № {item.number}")
        self.setMinimumWidth(640)
        self.choices = speeches.speaker_choices(ctx, item.id)

        self.speaker = QComboBox(self)
        self.speaker.setObjectName("speaker")
        for index, c in enumerate(self.choices):
            self.speaker.addItem(c.label, index)
        self.speaker.addItem("Другой участник (ввести фамилию и инициалы)…", TYPED)
        self.name = QLineEdit(self)
        self.name.setObjectName("speaker_name")
        self.name.setPlaceholderText("Фамилия И.О. — из присутствовавших или приглашённых")
        self.position = QLineEdit(self)
        self.position.setObjectName("speaker_position")
        self.position.setPlaceholderText("должность, как её напечатать в протоколе")
        self.gist = QPlainTextEdit(self)
        self.gist.setObjectName("gist")
        self.gist.setTabChangesFocus(True)
        self.gist.setPlaceholderText("суть выступления, например: «предложил дополнить план мероприятием …»")
        self.gist.setMinimumHeight(90)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow("&Выступивший:", self.speaker)
        form.addRow("&Фамилия И.О.:", self.name)
        form.addRow("&Должность:", self.position)
        form.addRow("&Суть выступления:", self.gist)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Вопрос № {item.number}. {item.title}", self, wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.speaker.currentIndexChanged.connect(self._on_speaker)
        if speech is not None:
            self._show(speech)
        else:
            self._on_speaker()
        self.speaker.setFocus()

    def _show(self, speech: SpeechRow) -> None:
        index = next((i for i, c in enumerate(self.choices)
                      if (speech.person_id is not None and c.person_id == speech.person_id)
                      or (speech.person_id is None and c.person_id is None and c.name == speech.name)), None)
        self.speaker.blockSignals(True)
        self.speaker.setCurrentIndex(index if index is not None else self.speaker.count() - 1)
        self.speaker.blockSignals(False)
        self.name.setText(speech.name.replace("\u00a0", " "))
        self.name.setEnabled(index is None)
        self.position.setText(speech.position)
        self.gist.setPlainText(speech.gist)

    def _on_speaker(self) -> None:
        data = self.speaker.currentData()
        typed = data == TYPED
        self.name.setEnabled(typed)
        if typed:
            self.name.clear()
            self.position.clear()
            self.name.setFocus()
            return
        choice = self.choices[data]
        self.name.setText(choice.name.replace("\u00a0", " "))
        self.position.setText(choice.position)

    def values(self) -> speeches.SpeechInput:
        data = self.speaker.currentData()
        if data == TYPED:
            return speeches.SpeechInput(None, self.name.text(), self.position.text(), self.gist.toPlainText())
        choice = self.choices[data]
        return speeches.SpeechInput(choice.person_id, "" if choice.person_id else choice.name, self.position.text(),
                                    self.gist.toPlainText())

    def accept(self) -> None:
        try:
            self.result_row = speeches.save_speech(self.ctx, self.item.id, self.values(),
                                                   self.speech.id if self.speech else None)
        except SocPlanError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()
