"""GUI start-up: fonts, settings, opening the database (with a way out of every error), the main window."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from socplan import APP_ID, APP_NAME
from socplan.db.database import Database, DatabaseOpenError, open_database
from socplan.domain.errors import SocPlanError
from socplan.services import demo, maintenance
from socplan.services.context import AppContext, User
from socplan.services.settings import Settings, load_settings, save_settings
from socplan.ui.dialogs import DB_FILTER, RestoreDialog, SettingsDialog, show_about
from socplan.ui.fonts import register_fonts
from socplan.ui.main_window import MainWindow

DAILY_BACKUP_INTERVAL_MS = 60 * 60 * 1000
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
    register_fonts(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def open_with_demo(path: Path, parent: QWidget | None = None, *, show_progress: bool = False) -> Database:
    """Open (create, migrate) the database; a new one is filled with the demo data, with a progress bar."""
    db = open_database(path)
    try:
        if demo.is_empty(db):
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
        return AppContext(self.db, User(self.settings.user_name, self.settings.user_position))

    def show_window(self) -> MainWindow:
        self.window = MainWindow(
            self.context(), on_switch_database=self.switch_database, on_settings=self.edit_settings,
            on_restore=self.restore, on_about=self.about, on_backup=self.backup_now, qsettings=self.qsettings)
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
        self.settings.db_path = str(db.path)
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

    def open_path(self, path: Path) -> bool:
        if self.db is not None and Path(path).resolve() == self.db.path:
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
        db_changed = Path(new.database_path).resolve() != (self.db.path if self.db else None)
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


def run_gui(db_path: str | None = None) -> int:
    app = ensure_app()
    settings = load_settings()
    if db_path:
        settings.db_path = str(Path(db_path).resolve())
    controller = Application(settings)
    if not controller.open_initial():
        return 1
    if db_path or not settings.db_path:
        settings.db_path = str(controller.db.path)  # type: ignore[union-attr]
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
