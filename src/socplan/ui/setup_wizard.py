"""«Создать рабочую базу…»: a short wizard — who this installation is, the organisation, the user and the file.

The wizard only collects and checks the answers; ``services.installation`` creates the database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QRadioButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from socplan.domain.errors import ValidationErrors
from socplan.services.installation import REGION, InstallationInput, reference_territories, validate
from socplan.services.settings import Settings, data_dir, default_db_path

DB_FILTER = "База данных СоцПлан (*.sqlite *.db);;Все файлы (*)"
MINISTRY_FULL = "Министерство труда и социального развития Омской области"
MINISTRY_SHORT = "Минтруд"


def suggested_path() -> Path:
    """The default place, or a free name beside it when a database is already there."""
    path = default_db_path()
    n = 2
    while path.exists():
        path = data_dir() / f"socplan-{n}.sqlite"
        n += 1
    return path


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("errors")
    label.setWordWrap(True)
    label.setStyleSheet("color:#b00020")
    return label


class _WhoPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Кто работает в этой базе")
        self.setSubTitle("Рабочая база создаётся без демонстрационных данных: только справочники территорий и "
                         "единиц измерения и каталог показателей с методиками расчёта.")
        self.ministry = QRadioButton("Министерство труда и социального развития Омской области", self)
        self.district = QRadioButton("Район (управление социальной защиты населения)", self)
        group = QButtonGroup(self)
        group.addButton(self.ministry)
        group.addButton(self.district)
        self.territory = QComboBox(self)
        self.territory.addItems([t for t in reference_territories() if t != REGION])
        self.territory.setEnabled(False)
        self.district.toggled.connect(self.territory.setEnabled)
        self.district.toggled.connect(self.completeChanged)
        self.ministry.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ministry)
        layout.addWidget(self.district)
        form = QFormLayout()
        form.addRow("Район или город:", self.territory)
        layout.addLayout(form)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802
        return self.ministry.isChecked() or self.district.isChecked()

    @property
    def role(self) -> str:
        return "ministry" if self.ministry.isChecked() else "district"


class _OrganisationPage(QWizardPage):
    def __init__(self, who: _WhoPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.who = who
        self.setTitle("Организация")
        self.setSubTitle("Реквизиты попадают в отчёты и в пакеты обмена.")
        self.full_name = QLineEdit(self)
        self.full_name.setPlaceholderText("например: Управление социальной защиты населения … района")
        self.short_name = QLineEdit(self)
        self.short_name.setPlaceholderText("например: УСЗН … района")
        self.inn = QLineEdit(self)
        self.inn.setPlaceholderText("10 или 12 цифр (необязательно)")
        self.address = QLineEdit(self)
        self.phone = QLineEdit(self)
        form = QFormLayout(self)
        form.addRow("Полное наименование:", self.full_name)
        form.addRow("Сокращённое наименование:", self.short_name)
        form.addRow("ИНН:", self.inn)
        form.addRow("Адрес:", self.address)
        form.addRow("Телефон:", self.phone)
        self.full_name.textChanged.connect(self.completeChanged)
        self.short_name.textChanged.connect(self.completeChanged)

    def initializePage(self) -> None:  # noqa: N802
        if self.who.role == "ministry" and not self.full_name.text():
            self.full_name.setText(MINISTRY_FULL)
            self.short_name.setText(MINISTRY_SHORT)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.full_name.text().strip() and self.short_name.text().strip())


class _UserPage(QWizardPage):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Пользователь и файл базы")
        self.setSubTitle("ФИО и должность попадают в отчёты и в журнал изменений.")
        self.user_name = QLineEdit(settings.user_name, self)
        self.user_name.setPlaceholderText("например: Иванова Мария Петровна")
        self.position = QLineEdit(settings.user_position, self)
        self.position.setPlaceholderText("например: главный специалист отдела …")
        self.path = QLineEdit(str(suggested_path()), self)
        browse = QPushButton("Выбрать…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.errors = _error_label(self)
        form = QFormLayout(self)
        form.addRow("Ваши ФИО:", self.user_name)
        form.addRow("Ваша должность:", self.position)
        form.addRow("Файл базы данных:", row)
        form.addRow(self.errors)
        for edit in (self.user_name, self.position, self.path):
            edit.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Файл новой рабочей базы", self.path.text(), DB_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self) -> bool:  # noqa: N802
        return all(e.text().strip() for e in (self.user_name, self.position, self.path))


class SetupWizard(QWizard):
    """Collects an :class:`InstallationInput` and the file; «Создать» checks everything before closing."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Создание рабочей базы")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumWidth(680)
        self.who = _WhoPage(self)
        self.organisation = _OrganisationPage(self.who, self)
        self.user = _UserPage(settings, self)
        for page in (self.who, self.organisation, self.user):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, "Далее >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Назад")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Создать")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Отмена")

    def answers(self) -> InstallationInput:
        o = self.organisation
        return InstallationInput(
            role=self.who.role, territory=REGION if self.who.role == "ministry" else self.who.territory.currentText(),
            org_full_name=o.full_name.text().strip(), org_short_name=o.short_name.text().strip(),
            user_name=self.user.user_name.text().strip(), user_position=self.user.position.text().strip(),
            org_inn=o.inn.text().strip(), org_address=o.address.text().strip(), org_phone=o.phone.text().strip())

    def target_path(self) -> Path:
        return Path(self.user.path.text().strip()).expanduser()

    def validateCurrentPage(self) -> bool:  # noqa: N802
        if self.currentPage() is not self.user:
            return super().validateCurrentPage()
        problems: list[str] = []
        try:
            validate(self.answers())
        except ValidationErrors as exc:
            problems += [e.message for e in exc.errors]
        target = self.target_path()
        if target.exists():
            problems.append(f"Файл «{target}» уже существует: выберите другое имя.")
        elif not target.parent.is_dir():
            problems.append(f"Папка «{target.parent}» не найдена: выберите другую.")
        self.user.errors.setText("\n".join(problems))
        return not problems
