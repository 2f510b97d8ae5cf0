"""«Кто работает?» — at start (and when the database changes) a user of the database is chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from socplan import APP_NAME
from socplan.db.database import Database
from socplan.services.context import AppContext, User
from socplan.services.users import list_users, user_for


class ChooseUserDialog(QDialog):
    def __init__(self, db: Database, last_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(f"{APP_NAME}: кто работает?")
        self.combo = QComboBox(self)
        for row in list_users(AppContext(db)):
            extra = ", ".join(filter(None, (row.role.label, row.territory, row.position)))
            self.combo.addItem(f"{row.name} — {extra}", row.name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(last_name)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Войти")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Выход")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("В этой базе работают зарегистрированные пользователи. Выберите себя: от роли "
                                "зависит, что можно делать, и ваше имя записывается в журнал изменений.", self,
                                wordWrap=True))
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.resize(560, 160)

    def chosen(self) -> User:
        return user_for(self.db, self.combo.currentData())


def choose_user(db: Database, last_name: str, parent: QWidget | None = None) -> User | None:
    """The chosen user (role and territory from the user table), or None when the person chose «Выход»."""
    dialog = ChooseUserDialog(db, last_name, parent)
    return dialog.chosen() if dialog.exec() else None
