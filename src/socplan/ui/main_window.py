"""Main window: navigation list of sections, the section stack, menus, status bar with the open database."""

from __future__ import annotations

import importlib
from typing import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QFrame, QLabel, QListWidget, QListWidgetItem, QMainWindow, QScrollArea,
                               QSizePolicy, QSplitter, QStackedWidget, QWidget)

from socplan import APP_NAME
from socplan.services.context import AppContext
from socplan.services.notices import StartupNotices, startup_notices
from socplan.ui.env import UiEnv
from socplan.ui.sections import SECTIONS, SectionSpec
from socplan.ui.tasks import TaskRunner


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, on_switch_database: Callable[[], None] | None = None,
                 on_settings: Callable[[], None] | None = None, on_restore: Callable[[], None] | None = None,
                 on_about: Callable[[], None] | None = None, on_backup: Callable[[], None] | None = None,
                 qsettings: QSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.qsettings = qsettings or QSettings()
        self.runner = TaskRunner(self)
        self.env = UiEnv(ctx=ctx, runner=self.runner, window=self)
        self.setWindowTitle(f"{APP_NAME} — {ctx.db.url or ctx.db.path.name}")
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
        self.setCentralWidget(splitter)

        self.notices_label = QLabel(self)
        self.notices_label.setObjectName("notices")
        self.notices_label.setMinimumWidth(1)  # long texts must not widen the window
        self.notices_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.notices_label)
        self.db_label = QLabel(self)
        self.db_label.setMinimumWidth(1)
        self.db_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.statusBar().addPermanentWidget(self.db_label)
        self.update_status()

        self._build_menus(on_switch_database, on_settings, on_restore, on_about, on_backup)
        self._restore_state()

    # ------------------------------------------------------------ sections
    def show_section_at(self, row: int) -> None:
        if row < 0:
            return
        spec = self._specs[row]
        if spec.key not in self.sections:
            module_name, func = spec.factory.split(":")
            widget = getattr(importlib.import_module(module_name), func)(self.env)
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

        def shown(notices: StartupNotices) -> None:
            self.notices_label.setText(notices.text())
            self.notices_label.setStyleSheet("" if notices.empty else "color: #b00020; font-weight: bold;")
            if on_loaded is not None:
                on_loaded(notices)

        self.runner.run("Проверка сроков", lambda _p, _c: startup_notices(self.ctx), shown, show_dialog=False)

    def update_status(self) -> None:
        user = self.ctx.user.name or "пользователь не указан (Файл → Настройки)"
        self.db_label.setText(f"База данных: {self.ctx.db.label}   |   {user}")

    def _build_menus(self, switch_db, settings, restore, about, backup) -> None:  # noqa: ANN001
        file_menu = self.menuBar().addMenu("&Файл")

        def add(menu, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:  # noqa: ANN001
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if slot is None:
                action.setEnabled(False)
            else:
                action.triggered.connect(slot)
            menu.addAction(action)
            return action

        add(file_menu, "Открыть или создать базу данных…", switch_db, "Ctrl+O")
        add(file_menu, "Сделать резервную копию…", backup)
        add(file_menu, "Восстановить из копии…", restore)
        file_menu.addSeparator()
        add(file_menu, "Настройки…", settings, "Ctrl+,")
        file_menu.addSeparator()
        add(file_menu, "Выход", self.close, QKeySequence.StandardKey.Quit)

        go_menu = self.menuBar().addMenu("&Переход")
        for i, spec in enumerate(self._specs):
            add(go_menu, spec.title, lambda _c=False, r=i: self.show_section_at(r), f"Ctrl+{i + 1}")

        help_menu = self.menuBar().addMenu("&Справка")
        add(help_menu, "О программе", about, "F1")

    def _restore_state(self) -> None:
        geometry = self.qsettings.value("main_window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        last = str(self.qsettings.value("main_window/section", "plans"))
        keys = [s.key for s in self._specs]
        self.show_section_at(keys.index(last) if last in keys else 0)

    def save_state(self) -> None:
        self.qsettings.setValue("main_window/geometry", self.saveGeometry())
        self.qsettings.setValue("main_window/section", self.current_section_key())
        self.qsettings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        self.runner.wait(10000)
        super().closeEvent(event)
