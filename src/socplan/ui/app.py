"""GUI start-up: fonts, settings, opening the database (with a way out of every error), the main window."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog,
                               QWidget)

from socplan import APP_ID, APP_NAME
from socplan.db.backend import is_server_url
from socplan.db.database import Database, DatabaseNotFoundError, DatabaseOpenError, open_database
from socplan.domain.errors import SocPlanError
from socplan.services import demo, maintenance
from socplan.services.context import AppContext, User
from socplan.services.settings import Settings, data_dir, demo_db_path, load_settings, save_settings
from socplan.ui.dialogs import DB_FILTER, RestoreDialog, SettingsDialog, show_about
from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow
from socplan.ui.translations import install_russian

DAILY_BACKUP_INTERVAL_MS = 60 * 60 * 1000
DEMO = "demo"  # the answer «open the demo» of the start-up question

FIRST_PAINT_FALLBACK_MS = 2000


class _FirstPaint(QObject):
    """Calls ``callback`` once, from the event loop, after the first paint of the watched widget."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self._fire)  # a window never painted (minimised) still gets it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    _FirstPaint(widget, callback)


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(APP_ID)
        QCoreApplication.setApplicationName(APP_ID)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationDisplayName(APP_NAME)
    install_russian(app)
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))  # «1 234,5», «01.12.2026» in Qt's fields
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


class Application:
    """Owns the open database and the main window; switches databases on request."""

    def __init__(self, settings: Settings, qsettings: QSettings | None = None) -> None:
        self.settings = settings
        self.qsettings = qsettings
        self.db: Database | None = None
        self.user: User | None = None  # a registered user of the database (None: a database without users)
        self.window: MainWindow | None = None
        self._timer = QTimer()
        self._timer.timeout.connect(self._daily_backup)

    # ------------------------------------------------------------ opening
    def open_initial(self, parent: QWidget | None = None) -> bool:
        """The working database of the settings; before one is created, the demo (its own, marked file).
        A file that is missing or cannot be opened leads to a question, never to an implicit new database."""
        path = self.settings.working_database
        while True:
            try:
                self.db = (open_with_demo(None, parent, show_progress=True) if path is None
                           else open_server(str(path), parent) if is_server_url(path) else open_database(path))
                return True
            except SocPlanError as exc:
                choice = self._ask_other_database(exc.message, parent, missing=isinstance(exc, DatabaseNotFoundError))
                if choice is None:
                    return False
                if isinstance(choice, Database):
                    self.db = choice
                    return True
                path = None if choice == DEMO else choice

    def _ask_other_database(self, message: str, parent: QWidget | None, *, missing: bool = False):  # noqa: ANN202
        """Open another file (a Path), create a working database (an open Database), the demo (DEMO) or quit (None)."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question if missing else QMessageBox.Icon.Warning)
        box.setWindowTitle(APP_NAME)
        box.setText(message)
        if missing:
            box.setInformativeText("Создать новую рабочую базу, открыть другой файл или демонстрационную базу?")
        new = box.addButton("Создать рабочую базу…", QMessageBox.ButtonRole.AcceptRole)
        other = box.addButton("Открыть другую…", QMessageBox.ButtonRole.AcceptRole)
        show_demo = box.addButton("Открыть демонстрационную", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Выход", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is other:
            path, _ = QFileDialog.getOpenFileName(parent, "Открыть базу данных", "", DB_FILTER)
            return Path(path) if path else None
        if box.clickedButton() is new:
            return self._run_wizard(parent)
        if box.clickedButton() is show_demo:
            return DEMO
        return None

    def _run_wizard(self, parent: QWidget | None) -> Database | None:
        """The first-run wizard; the new working database becomes the default one."""
        from socplan.ui.setup_wizard import SetupWizard

        data_dir().mkdir(parents=True, exist_ok=True)
        wizard = SetupWizard(self.settings, parent)
        if not wizard.exec():
            return None
        answers = wizard.answers()
        try:
            db = create_working_database(wizard.target_path(), answers, parent)
        except SocPlanError as exc:
            QMessageBox.warning(parent, APP_NAME, exc.message)
            return None
        self.settings.user_name, self.settings.user_position = answers.user_name, answers.user_position
        self.settings.db_path = str(db.path)
        save_settings(self.settings)
        return db

    def context(self) -> AppContext:
        assert self.db is not None
        user = self.user or User(self.settings.user_name, self.settings.user_position)
        if self.user is None and self.db.backend == "postgresql":  # on a shared server: the one who logged in
            from socplan.db.postgres import login_user

            found = login_user(self.db.engine)
            if found is not None:
                user = User(found.user_name or found.login, found.position)
        return AppContext(self.db, user)

    def choose_user(self, db: Database, parent: QWidget | None = None) -> bool:
        """When the database has registered users, the person says who they are (False: chose «Выход»)."""
        from socplan.services.users import has_users

        self.user = None
        if not has_users(db):
            return True
        from socplan.ui.cycle.user_dialog import choose_user

        user = choose_user(db, self.settings.user_name, parent)
        if user is None:
            return False
        self.user = user
        self.settings.user_name, self.settings.user_position = user.name, user.position
        save_settings(self.settings)
        return True

    def show_window(self) -> MainWindow:
        self.window = MainWindow(
            self.context(), on_switch_database=self.switch_database, on_settings=self.edit_settings,
            on_restore=self.restore, on_about=self.about, on_backup=self.backup_now, qsettings=self.qsettings,
            on_change_user=self.change_user, on_create_database=self.create_database,
            on_open_demo=self.open_demo)
        self.window.show()
        after_first_paint(self.window, lambda window=self.window: self._start_background_work(window))
        return self.window

    def _start_background_work(self, window: MainWindow) -> None:
        """Overdue notices and today's backup, once the window has been painted (never before the user sees it)."""
        if self.window is not window:
            return
        window.load_notices(self._remind)
        self._daily_backup()
        self._timer.start(DAILY_BACKUP_INTERVAL_MS)

    def _replace_window(self, db: Database) -> None:
        old_window, old_db = self.window, self.db
        if old_window is not None:
            old_window.save_state()
            old_window.runner.wait()
        self.db = db
        if not db.is_demo:  # the demo is never remembered; a server profile: the address, never a password
            self.settings.db_path = db.url or str(db.path)
            save_settings(self.settings)
        self.show_window()
        if old_window is not None:
            old_window.deleteLater()
            old_window.hide()
        if old_db is not None and old_db is not db:
            old_db.close()

    # ------------------------------------------------------------ actions
    def switch_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Открыть базу данных",
                                              str(self.settings.database_path.parent), DB_FILTER)
        if path:
            self.open_path(Path(path))

    def create_database(self) -> bool:
        """«Создать рабочую базу…» (menu and the demo banner)."""
        if self.window is not None:
            self.window.runner.wait()
        db = self._run_wizard(self.window)
        if db is None:
            return False
        self._replace_window(db)
        return True

    def open_demo(self) -> bool:
        return self._open(lambda: open_with_demo(None, self.window, show_progress=True), demo_db_path())

    def open_path(self, path: Path | str) -> bool:
        """Open an existing database file (or a server database); a missing file is a question (create a
        working database?)."""
        try:
            if is_server_url(path):
                return self._open(lambda: open_server(str(path), self.window), path)
            return self._open(lambda: open_database(path), path)
        except DatabaseNotFoundError as exc:
            box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, exc.message, parent=self.window)
            create = box.addButton("Создать рабочую базу…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            return box.clickedButton() is create and self.create_database()

    def _open(self, opener, path: Path | str) -> bool:  # noqa: ANN001
        if self.db is not None and _same_database(path, self.db):
            return True
        try:
            db = opener()
        except DatabaseNotFoundError:
            raise
        except SocPlanError as exc:
            QMessageBox.warning(self.window, APP_NAME, exc.message)
            return False
        previous = self.user
        if not self.choose_user(db, self.window):
            self.user = previous
            db.close()
            return False
        self._replace_window(db)
        return True

    def edit_settings(self) -> None:
        import dataclasses

        shown = dataclasses.replace(self.settings, db_path=str(self.db.path) if self.db else self.settings.db_path)
        dialog = SettingsDialog(shown, self.window)
        if not dialog.exec():
            return
        new = dialog.result_settings(self.settings)
        db_changed = self.db is None or not _same_database(new.database_path, self.db)
        self.settings.user_name, self.settings.user_position = new.user_name, new.user_position
        save_settings(self.settings)
        if db_changed:
            self.open_path(new.database_path)
        elif self.window is not None and self.user is None:  # registered users are chosen, not typed
            self.window.ctx.user = User(new.user_name, new.user_position)
            self.window.update_status()

    def change_user(self) -> None:
        """«Файл → Сменить пользователя»: another registered user; the window is rebuilt for the new role."""
        from socplan.services.users import has_users

        assert self.db is not None
        if not has_users(self.db):
            QMessageBox.information(self.window, APP_NAME, "В этой базе нет зарегистрированных пользователей: имя и "
                                    "должность задаются в «Файл → Настройки». Пользователей добавляет администратор "
                                    "(socplan users add).")
            return
        previous = self.user
        if not self.choose_user(self.db, self.window):
            self.user = previous
            return
        self._replace_window(self.db)

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
        """A panel across the top of the window (never a dialog) when something is overdue or due soon."""
        from socplan.ui.notice_panel import show_notice_panel

        if self.window is not None:
            self.reminder_box = show_notice_panel(self.window, notices, self.window.qsettings)

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
    if not controller.choose_user(controller.db):  # type: ignore[arg-type]
        controller.shutdown()
        return 1
    if (db_path or not settings.db_path) and not controller.db.is_demo:  # type: ignore[union-attr]
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
        translated = install_russian(app)
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
        from socplan.ui.selftest_checks import bundle_problems

        problems = bundle_problems(window, Path(tmp))
        for problem in problems:
            print(f"Самопроверка: {problem}", file=sys.stderr)
        ok = pdf.stat().st_size > 1000 and window.isVisible() and translated and not problems
        window.close()
        db.close()
        del window
        print("Самопроверка пройдена: база создана и обновлена, демо-данные загружены, окно открыто, PDF записан, "
              "перевод Qt на русский загружен, просмотр и печать PDF, график и русская сортировка работают." if ok else
              "Самопроверка не пройдена: окно, PDF, перевод Qt на русский (qtbase_ru.qm), просмотр и печать PDF, "
              "график или русская сортировка не работают.")
        return 0 if ok else 1


__all__ = ["Application", "ensure_app", "run_gui", "run_selftest"]
