"""Opening databases from the window: a server (asking for the password), the demo and a new working database,
with a progress bar for work done on the GUI thread. The database layer is imported inside the functions: the
start path imports this module before the window's first paint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QProgressDialog, QWidget

from socplan import APP_NAME
from socplan.services.settings import data_dir, demo_db_path

if TYPE_CHECKING:
    from socplan.db.database import Database


def open_server(url: str, parent: QWidget | None = None) -> Database:
    """A shared server database; asks for the password when libpq found none (never saved)."""
    from socplan.db.database import DatabaseOpenError, open_database
    from socplan.db.postgres import PasswordRequired, open_server_database

    try:
        return open_database(url)
    except PasswordRequired as exc:
        password, ok = QInputDialog.getText(
            parent, APP_NAME, f"{exc.message}\n\nПароль (программа его не сохраняет):", QLineEdit.EchoMode.Password)
        if not ok:
            raise DatabaseOpenError("Подключение к серверу отменено: пароль не введён.") from exc
        return open_server_database(url, password=password)


class _Progress:
    """A modal progress bar for work done on the GUI thread before the window exists."""

    def __init__(self, title: str, parent: QWidget | None, shown: bool) -> None:
        self.title = title
        self.dialog = None
        if shown:
            self.dialog = QProgressDialog(title, "", 0, 0, parent)
            self.dialog.setWindowTitle(APP_NAME)
            self.dialog.setCancelButton(None)
            self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            self.dialog.setMinimumDuration(0)
            self.dialog.show()

    def __call__(self, done: int, total: int, text: str = "") -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(total)
            self.dialog.setLabelText(f"{self.title}\n{text}")
            self.dialog.setValue(done)  # a modal dialog repaints here

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()


def open_with_demo(path: Path | None = None, parent: QWidget | None = None, *, show_progress: bool = False) -> Database:
    """Open the demo database (its own file); the first time it is created and filled, with a progress bar."""
    from socplan.services import demo

    path = Path(path) if path is not None else demo_db_path()
    if path.parent == data_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    progress = _Progress("Создание демонстрационной базы…", parent, show_progress and not path.exists())
    try:
        return demo.open_demo(path, progress)
    finally:
        progress.close()


def create_working_database(path: Path, answers, parent: QWidget | None = None) -> Database:  # noqa: ANN001
    from socplan.services.installation import create_working_database as create

    progress = _Progress("Создание рабочей базы…", parent, True)
    try:
        return create(path, answers, progress)
    finally:
        progress.close()
