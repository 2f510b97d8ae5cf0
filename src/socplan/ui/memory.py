"""What the application remembers of a person's choices between runs (QSettings of the main window):
splitter positions and column widths of every section, the entry grid's form/territory/period, the folders
last used in file dialogs. Window geometry and the last section are kept by the main window itself.

Widgets are found by their place in the section (class and order of creation), so no section has to name
its splitters or tables; a saved state that no longer fits (the layout changed) is ignored by Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSplitter, QTableView, QTreeView, QWidget


def settings_of(owner: Any) -> QSettings | None:
    """The window's settings for a section's env (or a window); None outside the main window (tests)."""
    window = getattr(owner, "window", owner)
    settings = getattr(window, "qsettings", None)
    return settings if isinstance(settings, QSettings) else None


def _headers(section: QWidget) -> list[QHeaderView]:
    return [view.horizontalHeader() if isinstance(view, QTableView) else view.header()
            for view in section.findChildren(QAbstractItemView) if isinstance(view, (QTableView, QTreeView))]


def _column_key(key: str, i: int, header: QHeaderView, count: int) -> str:
    """A table's place, its model's class and its column count: a state saved for another table (a panel added
    or built later shifts the order) is never restored into this one — Qt would then ask the model for
    columns it does not have."""
    model = header.model()
    return f"layout/{key}/columns{i}-{type(model).__name__ if model is not None else ''}-{count}"


def save_layout(settings: QSettings, key: str, section: QWidget) -> None:
    for i, splitter in enumerate(section.findChildren(QSplitter)):
        settings.setValue(f"layout/{key}/splitter{i}", splitter.saveState())
    for i, header in enumerate(_headers(section)):
        if header.count():
            settings.setValue(_column_key(key, i, header, header.count()), header.saveState())


def restore_layout(settings: QSettings, key: str, section: QWidget) -> None:
    for i, splitter in enumerate(section.findChildren(QSplitter)):
        state = settings.value(f"layout/{key}/splitter{i}")
        if state is not None:
            splitter.restoreState(state)
    for i, header in enumerate(_headers(section)):
        if header.count():
            state = settings.value(_column_key(key, i, header, header.count()))
            if state is not None:
                header.restoreState(state)
        else:  # the model is filled later: restore once the columns exist
            _restore_when_filled(header, settings, key, i)


def _restore_when_filled(header: QHeaderView, settings: QSettings, key: str, i: int) -> None:
    def filled(*_args: Any) -> None:
        if header.count():
            header.sectionCountChanged.disconnect(filled)
            state = settings.value(_column_key(key, i, header, header.count()))
            if state is not None:
                # after the view has set its default widths for the new model
                QTimer.singleShot(0, lambda: shiboken6.isValid(header) and header.restoreState(state))

    header.sectionCountChanged.connect(filled)


def last_folder(owner: Any, kind: str) -> str:
    """The folder last used for ``kind`` (e.g. «excel», «reports»), or the home folder."""
    settings = settings_of(owner)
    folder = str(settings.value(f"folders/{kind}", "")) if settings is not None else ""
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(owner: Any, kind: str, path: str | Path) -> None:
    settings = settings_of(owner)
    if settings is not None and str(path):
        settings.setValue(f"folders/{kind}", str(Path(path).parent))
