"""GUI start-up: fonts, settings, opening the database (with a way out of every error), the main window."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog,
                               QWidget)

from socplan import APP_ID, APP_NAME
from socplan.db.backend import is_server_url
from socplan.db.database import Database, DatabaseOpenError, open_database
from socplan.domain.errors import SocPlanError
from socplan.services import demo, maintenance
from socplan.services.context import AppContext, User
from socplan.services.settings import Settings, load_settings, save_settings
from socplan.ui.dialogs import DB_FILTER, RestoreDialog, SettingsDialog, show_about
from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow

DAILY_BACKUP_INTERVAL_MS = 60 * 60 * 1000


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_ID)
        QCoreApplication.setApplicationName(APP_ID)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationDisplayName(APP_NAME)
    register_fonts(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def open_server(url: str, parent: QWidget | None = None) -> Database:
    """A shared server database; asks for the password when libpq found none (never saved)."""
    from socplan.db.postgres import PasswordRequired, open_server_database

    try:
        return open_database(url)
    except PasswordRequired as exc:
        password, ok = QInputDialog.getText(
            parent, APP_NAME, f"{exc.message}\n\nПароль (программа его не сохраняет):", QLineEdit.EchoMode.Password)
        if not ok:
            raise DatabaseOpenError("Подключение к серверу отменено: пароль не введён.") from exc
        return open_server_database(url, password=password)


def open_with_demo(path: Path | str, parent: QWidget | None = None, *, show_progress: bool = False) -> Database:
    """Open (create, migrate) the database; a new file is filled with the demo data, with a progress bar.
    A shared server database (``postgresql://…``) is opened as it is: no demo data there."""
    db = open_server(path, parent) if is_server_url(path) else open_database(path)
    try:
        if db.backend == "sqlite" and demo.is_empty(db):
            dialog = None
            if show_progress:
                dialog = QProgressDialog("Создание базы данных с демонстрационными данными…", "", 0, 0, parent)
                dialog.setWindowTitle(APP_NAME)
                dialog.setCancelButton(None)
                dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
                dialog.setMinimumDuration(0)
                dialog.show()

            def progress(done: int, total: int, text: str = "") -> None:
                if dialog is not None:
                    dialog.setMaximum(total)
                    dialog.setLabelText(f"Создание базы данных с демонстрационными данными…\n{text}")
                    dialog.setValue(done)  # a modal dialog repaints here

            try:
                demo.load_demo(db, progress)
            finally:
                if dialog is not None:
                    dialog.close()
                    dialog.deleteLater()
    except BaseException:
        db.close()
        raise
    return db


class Application:
    """Owns the open database and the main window; switches databases on request."""

    def __init__(self, settings: Settings, qsettings: QSettings | None = None) -> None:
        self.settings = settings
        self.qsettings = qsettings
        self.db: Database | None = None
        self.window: MainWindow | None = None
        self._timer = QTimer()
        self._timer.timeout.connect(self._daily_backup)

    # ------------------------------------------------------------ opening
    def open_initial(self, parent: QWidget | None = None) -> bool:
        path = self.settings.database_path
        while True:
            try:
                self.db = open_with_demo(path, parent, show_progress=True)
                return True
            except SocPlanError as exc:
                choice = self._ask_other_database(exc.message, parent)
                if choice is None:
                    return False
                path = choice

    def _ask_other_database(self, message: str, parent: QWidget | None) -> Path | None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(message)
        other = box.addButton("Открыть другую…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("Создать новую…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Выход", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is other:
            path, _ = QFileDialog.getOpenFileName(parent, "Открыть базу данных", "", DB_FILTER)
        elif box.clickedButton() is new:
            path, _ = QFileDialog.getSaveFileName(parent, "Создать базу данных", "socplan.sqlite", DB_FILTER)
        else:
            return None
        return Path(path) if path else None

    def context(self) -> AppContext:
        assert self.db is not None
        user = User(self.settings.user_name, self.settings.user_position)
        if self.db.backend == "postgresql":  # on a shared server the user is the one who logged in
            from socplan.db.postgres import login_user

            found = login_user(self.db.engine)
            if found is not None:
                user = User(found.user_name or found.login, found.position)
        return AppContext(self.db, user)

    def show_window(self) -> MainWindow:
        self.window = MainWindow(
            self.context(), on_switch_database=self.switch_database, on_settings=self.edit_settings,
            on_restore=self.restore, on_about=self.about, on_backup=self.backup_now, qsettings=self.qsettings)
        self.window.show()
        self.window.load_notices(self._remind)
        self._daily_backup()
        self._timer.start(DAILY_BACKUP_INTERVAL_MS)
        return self.window

    def _replace_window(self, db: Database) -> None:
        old_window, old_db = self.window, self.db
        if old_window is not None:
            old_window.save_state()
            old_window.runner.wait()
        self.db = db
        self.settings.db_path = db.url or str(db.path)  # a server profile: the address, never a password
        save_settings(self.settings)
        self.show_window()
        if old_window is not None:
            old_window.deleteLater()
            old_window.hide()
        if old_db is not None and old_db is not db:
            old_db.close()

    # ------------------------------------------------------------ actions
    def switch_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Открыть или создать базу данных",
                                              str(self.settings.database_path), DB_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.open_path(Path(path))

    def open_path(self, path: Path | str) -> bool:
        if self.db is not None and _same_database(path, self.db):
            return True
        try:
            db = open_with_demo(path, self.window, show_progress=True)
        except SocPlanError as exc:
            QMessageBox.warning(self.window, APP_NAME, exc.message)
            return False
        self._replace_window(db)
        return True

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.window)
        if not dialog.exec():
            return
        new = dialog.result_settings(self.settings)
        db_changed = self.db is None or not _same_database(new.database_path, self.db)
        self.settings.user_name, self.settings.user_position = new.user_name, new.user_position
        save_settings(self.settings)
        if db_changed:
            self.open_path(new.database_path)
        elif self.window is not None:
            self.window.ctx.user = User(new.user_name, new.user_position)
            self.window.update_status()

    def about(self) -> None:
        assert self.db is not None
        show_about(maintenance.about(self.db), self.window)

    def backup_now(self) -> None:
        assert self.db is not None
        path, _ = QFileDialog.getSaveFileName(self.window, "Резервная копия", f"{self.db.path.stem}-копия.sqlite", DB_FILTER)
        if path:
            self.db.backup(Path(path))
            QMessageBox.information(self.window, APP_NAME, f"Резервная копия записана:\n{path}")

    def restore(self) -> None:
        assert self.db is not None
        dialog = RestoreDialog(maintenance.list_backups(self.db), self.window)
        if not dialog.exec() or dialog.selected_path() is None:
            return
        try:
            restored = maintenance.restore_from_backup(self.db, dialog.selected_path())
        except SocPlanError as exc:
            QMessageBox.warning(self.window, APP_NAME, exc.message)
            return
        self.db = None  # closed by restore
        self._replace_window(restored)
        QMessageBox.information(self.window, APP_NAME, "База данных восстановлена из резервной копии.")

    def _remind(self, notices) -> None:  # noqa: ANN001
        """A non-modal reminder at start-up when something is overdue or due soon."""
        if notices.empty or self.window is None:
            return
        box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, "Напоминание о сроках", parent=self.window)
        box.setInformativeText(notices.text() + "\n\nСписки — в разделах «Планы мероприятий» и «Протоколы и поручения».")
        box.setModal(False)
        box.open()
        self.reminder_box = box

    def _daily_backup(self) -> None:
        """Today's copy (SQLite backup API) on the database worker, so a large file never blocks the window."""
        if self.db is None or self.window is None:
            return
        db, window = self.db, self.window

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError) and self.window is window:
                window.statusBar().showMessage("Не удалось сделать ежедневную резервную копию: нет места или доступа "
                                               "к папке резервных копий.", 10000)
            elif not isinstance(exc, OSError):
                raise exc

        window.runner.run("Ежедневная резервная копия", lambda _p, _c: maintenance.daily_backup(db),
                          on_error=failed, show_dialog=False)

    def shutdown(self) -> None:
        self._timer.stop()
        if self.db is not None:
            self.db.close()
            self.db = None


def _same_database(location: Path | str, db: Database) -> bool:
    if is_server_url(location):
        return str(location).strip() == db.url
    return not db.url and Path(location).resolve() == db.path


def run_gui(db_path: str | None = None) -> int:
    app = ensure_app()
    settings = load_settings()
    if db_path:
        settings.db_path = db_path if is_server_url(db_path) else str(Path(db_path).resolve())
    controller = Application(settings)
    if not controller.open_initial():
        return 1
    if db_path or not settings.db_path:
        settings.db_path = controller.db.url or str(controller.db.path)  # type: ignore[union-attr]
        save_settings(settings)
    controller.show_window()
    code = app.exec()
    controller.shutdown()
    return code


def run_selftest() -> int:
    """Frozen-bundle smoke test: temp database, migrate, demo data, main window offscreen, a PDF."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from socplan.reports.selftest import write_selftest_pdf

    with tempfile.TemporaryDirectory(prefix="socplan-selftest-") as tmp:
        os.environ["SOCPLAN_CONFIG_DIR"] = tmp
        app = ensure_app()
        try:
            db = open_with_demo(Path(tmp) / "selftest.sqlite")
        except SocPlanError as exc:
            print(f"Самопроверка не пройдена: {exc.message}", file=sys.stderr)
            return 1
        window = MainWindow(AppContext(db, User("Самопроверка", "")), qsettings=QSettings(str(Path(tmp) / "q.ini"), QSettings.Format.IniFormat))
        window.show()
        for i in range(window.nav.count()):
            window.show_section_at(i)
        app.processEvents()
        pdf = write_selftest_pdf(Path(tmp) / "selftest.pdf")
        ok = pdf.stat().st_size > 1000 and window.isVisible()
        window.close()
        db.close()
        del window
        print("Самопроверка пройдена: база создана и обновлена, демо-данные загружены, окно открыто, PDF записан."
              if ok else "Самопроверка не пройдена: окно или PDF не созданы.")
        return 0 if ok else 1


__all__ = ["Application", "ensure_app", "run_gui", "run_selftest"]
