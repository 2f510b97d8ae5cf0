"""Register the shipped fonts with Qt so nothing depends on system fonts (offscreen draws boxes otherwise)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from socplan.resources import FONT_FILES, font_path

UI_FAMILY = "Liberation Sans"
DOCUMENT_FAMILY = "Liberation Serif"


def register_fonts(app: QApplication) -> None:
    for key in FONT_FILES:
        QFontDatabase.addApplicationFont(str(font_path(key)))
    font = QFont(UI_FAMILY)
    font.setPointSize(10)
    app.setFont(font)
