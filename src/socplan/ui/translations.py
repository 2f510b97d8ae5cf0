"""Qt's own texts in Russian: buttons of message boxes, file dialogs, context menus of text fields.

PySide6 ships ``qtbase_ru.qm`` but loads no translation by itself; the frozen bundle keeps the ``_ru.qm`` files
(packaging/socplan.spec) under the PySide6 package folder, where the fallbacks below find them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_installed: list[QTranslator] = []


def translation_dirs() -> list[Path]:
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    return [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), package / "Qt" / "translations",
            package / "translations"]


def install_russian(app: QCoreApplication) -> bool:
    """Load qtbase_ru once per application; True when Qt's texts are Russian."""
    if _installed:
        return True
    for folder in translation_dirs():
        translator = QTranslator(app)
        if translator.load("qtbase_ru", str(folder)):
            app.installTranslator(translator)
            _installed.append(translator)
            return True
    return False
