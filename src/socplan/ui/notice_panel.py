"""The reminder of overdue items at start-up: a panel across the top of the window, not a dialog.

It never blocks work: the user reads it, opens the lists from it, closes it, or chooses «Не показывать
сегодня» (remembered in the window settings until tomorrow).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QToolBar, QWidget

from socplan.services.notices import StartupNotices
from socplan.ui.icons import icon

HIDDEN_ON_KEY = "reminders/hidden_on"


def hidden_today(settings: QSettings, today: dt.date | None = None) -> bool:
    return str(settings.value(HIDDEN_ON_KEY, "")) == (today or dt.date.today()).isoformat()


class NoticePanel(QToolBar):
    """A fixed bar under the menu: the text, links to the lists, «Не показывать сегодня», «Закрыть»."""

    def __init__(self, window: QMainWindow, notices: StartupNotices, settings: QSettings,
                 today: dt.date | None = None) -> None:
        super().__init__("Напоминание о сроках", window)
        self.setObjectName("notice_panel")
        self.setMovable(False)
        self.setFloatable(False)
        self.setAllowedAreas(Qt.ToolBarArea.TopToolBarArea)
        self.toggleViewAction().setVisible(False)
        self.settings, self.today = settings, today or dt.date.today()
        box = QWidget(self)
        box.setObjectName("notice_box")
        box.setStyleSheet("QWidget#notice_box { background: #FFF4D6; border: 1px solid #E0B84C; }")
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 8, 4)
        mark = QLabel(box)
        mark.setPixmap(icon("warning").pixmap(20, 20))
        self.label = QLabel(f"Напоминание о сроках. {notices.text()}", box)
        self.label.setToolTip(notices.text())
        # one line that may be cut on a narrow window (the full text is in the tool tip and the status bar);
        # a wrapped label would make the bar as tall as its narrowest width needs
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(mark)
        row.addWidget(self.label, 1)
        self.plans_button = QPushButton("Просроченные мероприятия", box)
        self.assignments_button = QPushButton("Контроль поручений", box)
        self.hide_today_button = QPushButton("Не показывать сегодня", box)
        self.close_button = QPushButton("Закрыть", box)
        self.plans_button.setVisible(bool(notices.overdue_plan_points or notices.undetermined_deadlines))
        self.assignments_button.setVisible(bool(notices.overdue_assignments or notices.due_soon_assignments))
        for b in (self.plans_button, self.assignments_button, self.hide_today_button, self.close_button):
            row.addWidget(b)
        self.addWidget(box)
        self.plans_button.clicked.connect(lambda: self._open(window, "plans"))
        self.assignments_button.clicked.connect(lambda: self._open(window, "protocols"))
        self.hide_today_button.clicked.connect(self.hide_for_today)
        self.close_button.clicked.connect(self.dismiss)

    def _open(self, window: QMainWindow, key: str) -> None:
        show = getattr(window, "show_section", None)
        if show is None:
            return
        section = show(key)
        if key == "protocols" and hasattr(section, "show_overdue"):
            section.show_overdue()
        elif key == "plans" and hasattr(section, "overdue_tab"):
            section.setCurrentWidget(section.overdue_tab)

    def hide_for_today(self) -> None:
        self.settings.setValue(HIDDEN_ON_KEY, self.today.isoformat())
        self.settings.sync()
        self.dismiss()

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()


def show_notice_panel(window: QMainWindow, notices: StartupNotices, settings: QSettings,
                      today: dt.date | None = None) -> NoticePanel | None:
    """Show the panel unless there is nothing to say or the user hid it for today."""
    if notices.empty or hidden_today(settings, today):
        return None
    panel = NoticePanel(window, notices, settings, today)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, panel)
    return panel
