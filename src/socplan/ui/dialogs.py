"""Settings, «О программе», restore-from-backup dialogs."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from socplan import APP_NAME
from socplan.services.settings import Settings

if TYPE_CHECKING:  # types only: the start path imports this module before the database layer
    from socplan.services.maintenance import AboutInfo, BackupInfo

DB_FILTER = "База данных СоцПлан (*.sqlite *.db);;Все файлы (*)"


class SettingsDialog(QDialog):
    """Database file (open another / create new) and the current user (reports, audit log)."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Настройки")
        self.setMinimumWidth(620)
        self.db_edit = QLineEdit(str(settings.database_path), self)
        self.db_edit.setToolTip("Файл .sqlite или адрес общей базы на сервере: postgresql://логин@сервер/база "
                                "(без пароля: его спросят при подключении или возьмут из PGPASSWORD/.pgpass)")
        open_button = QPushButton("Открыть…", self)
        new_button = QPushButton("Создать…", self)
        open_button.clicked.connect(self._open)
        new_button.clicked.connect(self._new)
        db_row = QHBoxLayout()
        db_row.addWidget(self.db_edit, 1)
        db_row.addWidget(open_button)
        db_row.addWidget(new_button)
        self.name_edit = QLineEdit(settings.user_name, self)
        self.name_edit.setPlaceholderText("например: Иванова Мария Петровна")
        self.position_edit = QLineEdit(settings.user_position, self)
        self.position_edit.setPlaceholderText("например: главный специалист отдела …")
        form = QFormLayout()
        form.addRow("База данных (файл или адрес сервера):", db_row)
        form.addRow("Ваши ФИО:", self.name_edit)
        form.addRow("Ваша должность:", self.position_edit)
        hint = QLabel("ФИО и должность попадают в отчёты и в журнал изменений.", self)
        hint.setStyleSheet("color:#555")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Открыть базу данных", str(Path(self.db_edit.text()).parent), DB_FILTER)
        if path:
            self.db_edit.setText(path)

    def _new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Создать базу данных", str(Path(self.db_edit.text()).parent / "новая.sqlite"), DB_FILTER)
        if path:
            self.db_edit.setText(path)

    def result_settings(self, base: Settings) -> Settings:
        return Settings(db_path=self.db_edit.text().strip(), user_name=self.name_edit.text().strip(),
                        user_position=self.position_edit.text().strip(), extra=dict(base.extra))


def about_html(info: AboutInfo) -> str:
    return (f"<h2>{APP_NAME}</h2><p>Версия {escape(info.version)}</p>"
            f"<p>Планы мероприятий, протоколы и поручения, показатели, субсидии, отчёты и электронная подпись "
            f"для органов социальной защиты.</p>"
            f"<p><b>База данных:</b> {escape(info.database_path)}<br>"
            f"<b>Версия схемы:</b> {escape(', '.join(info.schema_revisions))}</p>"
            f"<p>Шрифты Liberation — лицензия SIL Open Font License 1.1.</p>")


def show_about(info: AboutInfo, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setWindowTitle("О программе")
    box.setText(about_html(info))
    box.open()
    return box


class RestoreDialog(QDialog):
    def __init__(self, backups: list[BackupInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Восстановить из копии")
        self.setMinimumWidth(640)
        self.list = QListWidget(self)
        for b in backups:
            item = QListWidgetItem(b.label)
            item.setData(256, str(b.path))
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        other = QPushButton("Другой файл…", self)
        other.clicked.connect(self._other)
        self.chosen: Path | None = None
        warn = QLabel("Текущее состояние базы будет сохранено в отдельную копию перед восстановлением.", self)
        warn.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Восстановить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Резервные копии (новые сверху):", self))
        layout.addWidget(self.list)
        layout.addWidget(other)
        layout.addWidget(warn)
        layout.addWidget(buttons)

    def _other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Резервная копия", "", DB_FILTER)
        if path:
            self.chosen = Path(path)
            self.accept()

    def selected_path(self) -> Path | None:
        if self.chosen is not None:
            return self.chosen
        item = self.list.currentItem()
        return Path(item.data(256)) if item else None
