"""The start-up reminder of overdue and soon-due assignments.

Hook (main window, after it is shown)::

    from PySide6.QtCore import QTimer
    from socplan.ui.protocols.reminders import show_startup_reminders
    QTimer.singleShot(0, lambda: show_startup_reminders(window))

Nothing is shown when there is nothing to remind of.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox, QWidget

from socplan.services.context import AppContext
from socplan.services.protocols.control import Reminder
from socplan.services.protocols.control import reminders as collect


def reminders(ctx: AppContext, today: dt.date | None = None) -> Reminder:
    """Overdue assignments and those due within 7 days (plain data, for the window or a test)."""
    return collect(ctx, today)


def show_startup_reminders(window: QWidget, today: dt.date | None = None) -> QMessageBox | None:
    """A non-modal message; «Открыть контроль исполнения» switches to the overdue list."""
    found = reminders(window.ctx, today)  # type: ignore[attr-defined]
    if found.empty:
        return None
    box = QMessageBox(window)
    box.setWindowTitle("Контроль исполнения решений")
    box.setIcon(QMessageBox.Icon.Warning if found.overdue else QMessageBox.Icon.Information)
    box.setText("Есть поручения, требующие внимания.")
    box.setInformativeText(found.text())
    open_button = box.addButton("Открыть контроль исполнения", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Позже", QMessageBox.ButtonRole.RejectRole)

    def on_click(button) -> None:  # noqa: ANN001
        if button is open_button and hasattr(window, "show_section"):
            window.show_section("protocols").show_overdue()

    box.buttonClicked.connect(on_click)
    box.open()
    return box
