"""What a section needs from the window: services context, task runner, a way to show messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the main window's frame is built before the database layer is imported
    from socplan.services.context import AppContext
    from socplan.ui.tasks import TaskRunner


@dataclass
class UiEnv:
    ctx: AppContext
    runner: TaskRunner
    window: QWidget

    def notify(self, text: str, timeout_ms: int = 8000) -> None:
        """A short confirmation («Сохранено…») in the window's status bar, in the normal colour."""
        status = getattr(self.window, "statusBar", None)
        if callable(status):
            status().showMessage(text, timeout_ms)
