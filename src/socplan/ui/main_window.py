"""Main window: navigation list of sections, the section stack, menus, status bar with the open database.

The window can be built before any database is open (``MainWindow(None, …)``): its frame — title, menus, the
section list, «Открытие базы данных…» in the status bar — is painted at once, without SQLAlchemy or the models
imported; :meth:`MainWindow.attach` then gives it the open database (title, demo banner, status, the last
section with its data) and emits :attr:`MainWindow.data_shown` once that section shows its data.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QPushButton,
                               QScrollArea, QSizePolicy, QSplitter, QStackedWidget, QVBoxLayout, QWidget)

from socplan import APP_NAME
from socplan.services.settings import config_dir
from socplan.ui.icons import decorate
from socplan.ui.memory import restore_layout, save_layout
from socplan.ui.section_menu import decorate_section, fill_actions_menu
from socplan.ui.sections import SECTIONS, SectionSpec
from socplan.ui.tasks import TaskRunner

if TYPE_CHECKING:  # types only: the window's frame is shown before the database layer is imported
    from socplan.services.context import AppContext
    from socplan.services.notices import StartupNotices
    from socplan.ui.env import UiEnv

OPENING_TEXT = "Открытие базы данных…"


class MainWindow(QMainWindow):
    #: the database is attached and the section on screen shows its data (its background loading finished)
    data_shown = Signal()

    def __init__(self, ctx: AppContext | None, *, on_switch_database: Callable[[], None] | None = None,
                 on_settings: Callable[[], None] | None = None, on_restore: Callable[[], None] | None = None,
                 on_about: Callable[[], None] | None = None, on_backup: Callable[[], None] | None = None,
                 qsettings: QSettings | None = None, on_change_user: Callable[[], None] | None = None,
                 on_create_database: Callable[[], object] | None = None,
                 on_open_demo: Callable[[], object] | None = None) -> None:
        super().__init__()
        self.ctx: AppContext | None = None
        self.env: UiEnv | None = None  # set by attach()
        self.data_loaded = False
        self._on_change_user = on_change_user
        self._on_create_database = on_create_database
        # the window's memory lives beside the application's settings (tests point that folder to tmp)
        self.qsettings = qsettings or QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)
        self.runner = TaskRunner(self)
        self.setWindowTitle(APP_NAME)
        screen = self.screen().availableGeometry()
        self.resize(min(1280, int(screen.width() * 0.9)), min(800, int(screen.height() * 0.9)))

        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(210)
        self.nav.setMaximumWidth(300)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 11pt; } "
                               "QListWidget#navigation::item { padding: 8px 10px; }")
        self.stack = QStackedWidget(self)
        self.sections: dict[str, QWidget] = {}
        self._specs: list[SectionSpec] = list(SECTIONS)
        for i, spec in enumerate(self._specs):
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.title} (Ctrl+{i + 1})")
            self.nav.addItem(item)
            placeholder = QWidget(self)
            self.stack.addWidget(placeholder)
        self.nav.currentRowChanged.connect(self.show_section_at)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1050])
        central = QWidget(self)
        self._column = QVBoxLayout(central)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self.demo_banner: QFrame | None = None
        self._column.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.notices_label = QLabel(self)
        self.notices_label.setObjectName("notices")
        self.notices_label.setMinimumWidth(1)  # long texts must not widen the window
        self.notices_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.notices_label)
        self.db_label = QLabel(OPENING_TEXT, self)
        self.db_label.setMinimumWidth(1)
        self.db_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.statusBar().addPermanentWidget(self.db_label)

        self._needs_database: list[QAction] = []  # enabled by attach(): every command but «Выход»
        self._build_menus(on_switch_database, on_settings, on_restore, on_about, on_backup, on_create_database,
                          on_open_demo)
        self._restore_geometry()
        if ctx is not None:
            self.attach(ctx)

    def attach(self, ctx: AppContext) -> None:
        """The open database: title (with «ДЕМОНСТРАЦИОННАЯ БАЗА»), the demo banner, the status bar, the commands,
        and the last section built with its data; :attr:`data_shown` follows when its loading has finished."""
        from socplan.ui.env import UiEnv

        self.ctx = ctx
        self.env = UiEnv(ctx=ctx, runner=self.runner, window=self)
        demo = " — ДЕМОНСТРАЦИОННАЯ БАЗА" if ctx.db.is_demo else ""
        self.setWindowTitle(f"{APP_NAME}{demo} — {ctx.db.url or ctx.db.path.name}")
        if ctx.db.is_demo:
            self.demo_banner = _demo_banner(self, self._on_create_database)
            self._column.insertWidget(0, self.demo_banner)
            self.demo_banner.show()  # a child added to a shown window is shown only when asked
        self.update_status()
        for action in self._needs_database:
            action.setEnabled(True)
        self._restore_section()
        if self.runner.busy:  # a section that loads in the background shows its data when that work is done
            self.runner.idle.connect(self._announce_data, Qt.ConnectionType.SingleShotConnection)
        else:
            self._announce_data()

    def _announce_data(self) -> None:
        self.update()  # the whole window repaints with the data (the next paint is the one that shows them)
        self.data_loaded = True
        self.data_shown.emit()

    # ------------------------------------------------------------ sections
    def show_section_at(self, row: int) -> None:
        if row < 0:
            return
        if self.env is None:  # no database yet: the list shows the section that attach() will build
            if self.nav.currentRow() != row:
                self.nav.setCurrentRow(row)
            return
        spec = self._specs[row]
        if spec.key not in self.sections:
            module_name, func = spec.factory.split(":")
            widget = getattr(importlib.import_module(module_name), func)(self.env)
            decorate_section(widget)
            restore_layout(self.qsettings, spec.key, widget)
            # A section wider than a small laptop screen scrolls instead of widening the window.
            holder = QScrollArea(self)
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setWidget(widget)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, holder)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.sections[spec.key] = widget
        self.stack.setCurrentIndex(row)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)

    def show_section(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(self._specs) if s.key == key)
        self.show_section_at(row)
        return self.sections[key]

    def current_section_key(self) -> str:
        row = self.nav.currentRow()
        return self._specs[row].key if row >= 0 else ""

    # ------------------------------------------------------------ chrome
    def load_notices(self, on_loaded: Callable[[StartupNotices], None] | None = None) -> None:
        """Overdue events and assignments, counted in the background and shown in the status bar."""
        from socplan.services.notices import startup_notices

        def shown(notices: StartupNotices) -> None:
            self.notices_label.setText(notices.text())
            self.notices_label.setStyleSheet("" if notices.empty else "color: #b00020; font-weight: bold;")
            if on_loaded is not None:
                on_loaded(notices)

        self.runner.run("Проверка сроков", lambda _p, _c: startup_notices(self.ctx), shown, show_dialog=False)

    def update_status(self) -> None:
        if self.ctx is None:
            self.db_label.setText(OPENING_TEXT)
            return
        user = (self.ctx.user.signature if self.ctx.user.id is not None
                else self.ctx.user.name or "пользователь не указан (Файл → Настройки)")
        kind = "Демонстрационная база" if self.ctx.db.is_demo else "База данных"
        self.db_label.setText(f"{kind}: {self.ctx.db.label}   |   {user}")

    def _build_menus(self, switch_db, settings, restore, about, backup, create_db=None, open_demo=None) -> None:  # noqa: ANN001
        file_menu = self.menuBar().addMenu("&Файл")

        def add(menu, text: str, slot, shortcut: QKeySequence | str | None = None, *,  # noqa: ANN001
                always: bool = False) -> QAction:
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if slot is None:
                action.setEnabled(False)
            else:
                action.triggered.connect(slot)
                if self.ctx is None and not always:  # before the database is open only «Выход» works
                    action.setEnabled(False)
                    self._needs_database.append(action)
            menu.addAction(action)
            return decorate(action)

        add(file_menu, "Открыть базу данных…", switch_db, "Ctrl+O")
        add(file_menu, "Создать рабочую базу…", create_db)
        add(file_menu, "Открыть демонстрационную базу", open_demo)
        add(file_menu, "Сделать резервную копию…", backup)
        add(file_menu, "Восстановить из копии…", restore)
        file_menu.addSeparator()
        add(file_menu, "Настройки…", settings, "Ctrl+,")
        add(file_menu, "Сменить пользователя…", getattr(self, "_on_change_user", None))
        file_menu.addSeparator()
        add(file_menu, "Выход", self.close, QKeySequence.StandardKey.Quit, always=True)

        go_menu = self.menuBar().addMenu("&Переход")
        for i, spec in enumerate(self._specs):
            add(go_menu, spec.title, lambda _c=False, r=i: self.show_section_at(r), f"Ctrl+{i + 1}")

        # every command of the section on screen, with its keys (nothing only on a tool bar)
        self.actions_menu = self.menuBar().addMenu("&Действия")
        self.actions_menu.aboutToShow.connect(
            lambda: fill_actions_menu(self.actions_menu, self.sections.get(self.current_section_key())))

        help_menu = self.menuBar().addMenu("&Справка")
        self.guide_action = add(help_menu, "Руководство пользователя", self.open_user_guide, "F1")
        add(help_menu, "О программе", about)

    def open_user_guide(self):  # noqa: ANN201 - the preview dialog, or None when the file is missing
        """«Руководство пользователя» (resources/guide/rukovodstvo.pdf) in the in-app PDF viewer, offline."""
        from PySide6.QtWidgets import QMessageBox

        from socplan.resources import resource_path
        from socplan.ui.reports.preview import show_report_preview

        path = resource_path("guide", "rukovodstvo.pdf")
        try:
            pdf = path.read_bytes()
        except OSError:
            QMessageBox.warning(self, APP_NAME, f"Не найден файл руководства «{path}». Переустановите программу.")
            return None
        return show_report_preview(self.env, pdf, "Руководство пользователя", "Руководство пользователя СоцПлан.pdf")

    def _restore_geometry(self) -> None:
        geometry = self.qsettings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        last = str(self.qsettings.value("main_window/section", "plans"))
        keys = [s.key for s in self._specs]
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)  # highlighted at once, built by attach()

    def _restore_section(self) -> None:
        self.show_section_at(max(self.nav.currentRow(), 0))

    def save_state(self) -> None:
        self.qsettings.setValue("main_window/geometry", self.saveGeometry())
        self.qsettings.setValue("main_window/section", self.current_section_key())
        for key, widget in self.sections.items():
            save_layout(self.qsettings, key, widget)
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()  # the runner has already waited for the background work (its close filter)
        super().closeEvent(event)


def _demo_banner(window: QWidget, on_create_database: Callable[[], object] | None) -> QFrame:
    """The demo is never mistaken for real data: a banner over every section, with the way to a working base."""
    banner = QFrame(window)
    banner.setObjectName("demoBanner")
    banner.setStyleSheet("QFrame#demoBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }")
    row = QHBoxLayout(banner)
    row.setContentsMargins(12, 6, 12, 6)
    text = QLabel("<b>Демонстрационная база.</b> Данные условные, из исходных документов; документы печатаются "
                  "с отметкой «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ». Для работы создайте рабочую базу.", banner)
    text.setWordWrap(True)
    row.addWidget(text, 1)
    button = QPushButton("Создать рабочую базу…", banner)
    button.setObjectName("createWorkingDatabase")
    if on_create_database is None:
        button.setEnabled(False)
    else:
        button.clicked.connect(lambda _c=False: on_create_database())
    row.addWidget(button)
    return banner
