"""Start-up timing: work that waits for a window's first paint, and the garbage collector's start-up pause."""

from __future__ import annotations

import gc
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FIRST_PAINT_FALLBACK_MS = 2000


class _FirstPaint(QObject):
    """Calls ``callback`` once, from the event loop, after the first paint of the watched widget."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self._fire)  # a window never painted (minimised) still gets it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._fire)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    _FirstPaint(widget, callback)


_startup_gc_paused = False


def pause_gc_for_startup() -> None:
    """Start-up allocates ≈120 000 long-lived objects (modules, classes, the ORM's mappers); the cyclic garbage
    collector would scan them all several times over (≈0,08 s). It pauses until the database layer is loaded
    (:func:`load_database_layer`), then those objects are frozen (:func:`gc.freeze`: never scanned again, they live
    as long as the process anyway) and the collector runs as usual for everything made from then on (the open
    database, the window's sections)."""
    global _startup_gc_paused
    if gc.isenabled():
        gc.disable()
        _startup_gc_paused = True


def load_database_layer() -> None:
    """Right after the first paint: SQLAlchemy, the models (their mappers configured) and the services' context —
    what opening any database needs — then the collector's start-up pause ends."""
    try:
        from sqlalchemy.orm import configure_mappers

        import socplan.db.database  # noqa: F401
        import socplan.db.models  # noqa: F401
        import socplan.services.context  # noqa: F401

        configure_mappers()
    finally:
        end_startup_gc_pause()


def end_startup_gc_pause() -> None:
    global _startup_gc_paused
    if _startup_gc_paused:
        _startup_gc_paused = False
        gc.freeze()
        gc.enable()
