"""A small form dialog: labelled fields, Russian validation messages shown beside each field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError, ValidationError, ValidationErrors


@dataclass
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text | multiline | choice
    #: for choice: list of (value, text); the first entry may be (None, "—")
    choices: Sequence[tuple[Any, str]] = field(default_factory=list)
    placeholder: str = ""
    max_length: int = 0


class FormDialog(QDialog):
    """``save(values) -> result`` is called on OK; a ValidationError keeps the dialog open with messages."""

    def __init__(self, title: str, fields: Sequence[FieldSpec], values: dict[str, Any],
                 save: Callable[[dict[str, Any]], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(640)
        self._save = save
        self.result_value: Any = None
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in fields:
            editor: QWidget
            if spec.kind == "choice":
                combo = QComboBox(self)
                for value, text in spec.choices:
                    combo.addItem(text, value)
                current = values.get(spec.name)
                idx = combo.findData(current)
                combo.setCurrentIndex(max(idx, 0))
                editor = combo
            elif spec.kind == "multiline":
                edit = QPlainTextEdit(self)
                edit.setPlainText(str(values.get(spec.name) or ""))
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(70)
                editor = edit
            else:
                line = QLineEdit(self)
                line.setText(str(values.get(spec.name) or ""))
                line.setPlaceholderText(spec.placeholder)
                if spec.max_length:
                    line.setMaxLength(spec.max_length)
                editor = line
            editor.setObjectName(spec.name)
            error = QLabel(self)
            error.setStyleSheet("color: #b00020;")
            error.setWordWrap(True)
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            holder = QWidget(self)
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            form.addRow(spec.label + ":", holder)
            self.editors[spec.name] = editor
            self.errors[spec.name] = error
        self.general_error = QLabel(self)
        self.general_error.setStyleSheet("color: #b00020;")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[name] = editor.currentData()
            elif isinstance(editor, QPlainTextEdit):
                out[name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text()
        return out

    def show_errors(self, errors: Sequence[ValidationError]) -> None:
        for label in self.errors.values():
            label.hide()
        self.general_error.hide()
        for error in errors:
            label = self.errors.get(error.field)
            if label is None:
                self.general_error.setText(error.message)
                self.general_error.show()
            else:
                label.setText(error.message)
                label.show()
        if errors and errors[0].field in self.editors:
            self.editors[errors[0].field].setFocus()
        # make room for the (word-wrapped) messages instead of clipping them
        layout = self.layout()
        layout.activate()
        height = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
        self.resize(self.width(), max(self.height(), height))

    def accept(self) -> None:
        try:
            self.result_value = self._save(self.values())
        except ValidationErrors as exc:
            self.show_errors(exc.errors)
            return
        except ValidationError as exc:
            self.show_errors([exc])
            return
        except SocPlanError as exc:
            self.show_errors([ValidationError("", exc.message)])
            return
        super().accept()
