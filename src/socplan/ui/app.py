"""GUI start-up: fonts, settings, opening the database (with a way out of every error), the main window.

The start path (:func:`run_gui`) paints the main window's frame first and opens the database from the event
loop right after that first paint, so nothing of the database layer (SQLAlchemy, the models, the services) is
imported before the user sees the window: those imports stay inside the functions below.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from socplan import APP_ID, APP_NAME
from socplan.db.backend import is_server_url
from socplan.domain.errors import SocPlanError
from socplan.services.settings import Settings, data_dir, demo_db_path, load_settings, save_settings
from socplan.ui.dialogs import DB_FILTER, RestoreDialog, SettingsDialog, show_about
from socplan.ui.first_paint import after_first_paint, end_startup_gc_pause, load_database_layer, pause_gc_for_startup
from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow
from socplan.ui.opening import create_working_database, open_server, open_with_demo
from socplan.ui.translations import install_russian

if TYPE_CHECKING:
    from socplan.db.database import Database
    from socplan.services.context import AppContext, User

DAILY_BACKUP_INTERVAL_MS = 60 * 60 * 1000
DEMO = "demo"  # the answer «open the demo» of the start-up question

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


class Application:
    """Owns the open database and the main window; switches databases on request."""

    def __init__(self, settings: Settings, qsettings: QSettings | None = None) -> None:
        self.settings = settings
        self.qsettings = qsettings
        self.db: Database | None = None
        self.user: User | None = None  # a registered user of the database (None: a database without users)
        self.window: MainWindow | None = None
        self.exit_code: int | None = None  # set when the start path gives up (the user chose «Выход»)
        self.start_error: BaseException | None = None  # an unexpected failure of the start path, re-raised by run_gui
        self._quit_on_failure = False
        self._timer = QTimer()
        self._timer.timeout.connect(self._daily_backup)

    # ------------------------------------------------------------ opening
    def open_initial(self, parent: QWidget | None = None) -> bool:
        """The working database of the settings; before one is created, the demo (its own, marked file).
        A file that is missing or cannot be opened leads to a question, never to an implicit new database."""
        from socplan.db.database import Database, DatabaseNotFoundError, open_database

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
        from socplan.services.context import AppContext, User

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

    def _new_window(self, ctx: AppContext | None) -> MainWindow:
        return MainWindow(
            ctx, on_switch_database=self.switch_database, on_settings=self.edit_settings,
            on_restore=self.restore, on_about=self.about, on_backup=self.backup_now, qsettings=self.qsettings,
            on_change_user=self.change_user, on_create_database=self.create_database,
            on_open_demo=self.open_demo)

    def show_window(self) -> MainWindow:
        """The window on the open database (a switch of databases builds a new one)."""
        self.window = self._new_window(self.context())
        self.window.show()
        after_first_paint(self.window, lambda window=self.window: self._start_background_work(window))
        return self.window

    def start(self, *, remember: bool = False, quit_on_failure: bool = False) -> MainWindow:
        """The start path: the window's frame is shown at once (title, menus, sections, «Открытие базы данных…»);
        right after its first paint the database is opened (questions and messages over the window), the user
        chosen and the window given the data (:meth:`MainWindow.attach`). ``remember``: a working database opened
        now becomes the default one (a file given on the command line, or no default yet). When nothing is opened
        («Выход») :attr:`exit_code` is set, the window hidden and, with ``quit_on_failure``, the event loop ended."""
        self._quit_on_failure = quit_on_failure
        self.window = self._new_window(None)
        self.window.show()
        after_first_paint(self.window, lambda window=self.window: self._open_after_first_paint(window, remember))
        return self.window

    def _open_after_first_paint(self, window: MainWindow, remember: bool) -> None:
        if self.window is not window:
            return
        try:
            load_database_layer()
            if not self.open_initial(window) or not self.choose_user(self.db, window):  # type: ignore[arg-type]
                self._give_up(window)
                return
            if remember and not self.db.is_demo:  # type: ignore[union-attr]
                self.settings.db_path = self.db.url or str(self.db.path)  # type: ignore[union-attr]
                save_settings(self.settings)
            # notices and today's backup after the paint that shows the data (never competing with its loading)
            window.data_shown.connect(lambda: after_first_paint(window, lambda: self._start_background_work(window)),
                                      Qt.ConnectionType.SingleShotConnection)
            window.attach(self.context())
            window.activateWindow()
        except BaseException as exc:  # noqa: BLE001 - never a window left saying «Открытие…»: run_gui re-raises it
            self.start_error = exc
            self._give_up(window)
        finally:
            end_startup_gc_pause()

    def _give_up(self, window: MainWindow) -> None:
        self.exit_code = 1
        window.hide()
        if self._quit_on_failure:
            QCoreApplication.exit(1)

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
        from socplan.db.database import DatabaseNotFoundError, open_database

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
        from socplan.db.database import DatabaseNotFoundError

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
            from socplan.services.context import User

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
        from socplan.services import maintenance

        assert self.db is not None
        show_about(maintenance.about(self.db), self.window)

    def backup_now(self) -> None:
        assert self.db is not None
        path, _ = QFileDialog.getSaveFileName(self.window, "Резервная копия", f"{self.db.path.stem}-копия.sqlite", DB_FILTER)
        if path:
            self.db.backup(Path(path))
            QMessageBox.information(self.window, APP_NAME, f"Резервная копия записана:\n{path}")

    def restore(self) -> None:
        from socplan.services import maintenance

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
        from socplan.services import maintenance

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
    """The window's frame first, then the database (see :meth:`Application.start`)."""
    pause_gc_for_startup()
    app = ensure_app()
    settings = load_settings()
    if db_path:
        settings.db_path = db_path if is_server_url(db_path) else str(Path(db_path).resolve())
    controller = Application(settings)
    controller.start(remember=bool(db_path or not settings.db_path), quit_on_failure=True)
    code = app.exec()
    controller.shutdown()
    if controller.start_error is not None:
        raise controller.start_error
    return controller.exit_code if controller.exit_code is not None else code


def run_selftest() -> int:
    """Frozen-bundle smoke test: temp database, migrate, demo data, main window offscreen, a PDF."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from socplan.reports.selftest import write_selftest_pdf
    from socplan.services.context import AppContext, User

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
