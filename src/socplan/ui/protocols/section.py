"""Section «Протоколы и поручения»: bodies and membership, meetings, control of execution."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from socplan.ui.env import UiEnv
from socplan.ui.protocols.bodies_tab import BodiesTab
from socplan.ui.protocols.control_tab import ControlTab
from socplan.ui.protocols.meetings_tab import MeetingsTab


class ProtocolsSection(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.tabs = QTabWidget(self)
        self.meetings = MeetingsTab(env, self)
        self.control = ControlTab(env, self)
        self.bodies = BodiesTab(env, self)
        self.tabs.addTab(self.meetings, "Заседания и протоколы")
        self.tabs.addTab(self.control, "Контроль исполнения")
        self.tabs.addTab(self.bodies, "Органы и составы")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.bodies.bodies_changed.connect(self.meetings.load_bodies)
        self.bodies.bodies_changed.connect(self.control.load_choices)
        self.tabs.currentChanged.connect(self._on_tab)

    def _on_tab(self, index: int) -> None:
        if self.tabs.widget(index) is self.control:
            self.control.reload()

    def show_overdue(self) -> None:
        """Open the control tab on the overdue assignments (used by the start-up reminder)."""
        self.tabs.setCurrentWidget(self.control)
        self.control.show_overdue()


def create_section(env: UiEnv) -> QWidget:
    return ProtocolsSection(env)
