"""Section of the indicators capability (made full by its issue)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from socplan.ui.env import UiEnv


def create_section(env: UiEnv) -> QWidget:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("Раздел готовится."))
    return widget
