"""The one task runner for long work: background thread, progress dialog with cancel, result on the GUI thread.

Services take plain callbacks ``progress(done, total, text)`` and ``cancelled() -> bool``; the runner adapts
them to Qt. Database work is serialised: one worker thread runs tasks one after another.
"""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from socplan.domain.errors import Cancelled, SocPlanError

#: fn(progress, cancelled) -> result
TaskFn = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    def __init__(self, fn: TaskFn, signals: _Signals, cancel_event: threading.Event,
                 skipped: threading.Event) -> None:
        super().__init__()
        self.fn, self.signals, self.cancel_event, self.skipped = fn, signals, cancel_event, skipped
        self.setAutoDelete(True)

    def run(self) -> None:  # runs on the worker thread
        if self.skipped.is_set():  # a load whose window was closed before it started: it never runs
            return
        try:
            result = self.fn(lambda d, t, s="": self.signals.progress.emit(d, t, s), self.cancel_event.is_set)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class TaskHandle:
    def __init__(self, signals: _Signals, cancel_event: threading.Event) -> None:
        self.signals, self.cancel_event = signals, cancel_event
        self.done = threading.Event()
        #: the runner's window was closed before the result was delivered: no callback will be called
        self.dropped = threading.Event()
        #: a background load whose window was closed before it started: it never runs
        self.skipped = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()


#: how long closing a window waits for the loads it has running (a query cannot be interrupted half-way)
CLOSE_WAIT_MS = 10000
#: … and for an action the user started (an import, a save): it is never stopped by the closing
ACTION_WAIT_MS = 600_000


class TaskRunner(QObject):
    """``runner.run(title, fn, on_success)`` — shows a progress dialog after a short delay.

    The runner belongs to a window (its parent): when that window closes, the background loads
    (``show_dialog=False``) not yet started are dropped and the running one is asked to cancel; an action the user
    started (shown with a progress dialog: an import, a save) is neither stopped nor dropped. The closing waits for
    all of it, and no result reaches the closed window — so nothing runs on the database once the window is closed
    (and the database may be closed after it), and nothing the user asked to write is lost."""

    #: the last running task has finished (its result or error delivered, or dropped by the window's closing)
    idle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # database work is serialised
        self._parent = parent
        self._live: dict[_Signals, tuple[TaskHandle, Callable[[], None], bool]] = {}  # handle, finish, background
        if parent is not None:
            parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close and watched is self._parent:
            self.close_down()
        return False

    def run(self, title: str, fn: TaskFn, on_success: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, *, cancellable: bool = True,
            show_dialog: bool = True) -> TaskHandle:
        signals = _Signals()
        cancel_event = threading.Event()
        handle = TaskHandle(signals, cancel_event)
        dialog: QProgressDialog | None = None
        if show_dialog:
            dialog = QProgressDialog(title, "Отмена" if cancellable else "", 0, 0, self._parent)
            dialog.setWindowTitle("СоцПлан")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(cancel_event.set)

        @Slot(int, int, str)
        def on_progress(done: int, total: int, text: str) -> None:
            if dialog is not None and not handle.dropped.is_set():
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(f"{title}\n{text}")

        def finish() -> None:
            if handle.done.is_set():
                return
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            self._live.pop(signals, None)
            handle.done.set()

        @Slot(object)
        def on_finished(result: Any) -> None:
            if handle.dropped.is_set():  # the window closed: nobody to show the result to
                return
            finish()
            try:
                if on_success is not None:
                    on_success(result)
            finally:
                self._idle_if_done()

        @Slot(object, str)
        def on_failed(exc: BaseException, tb: str) -> None:
            if handle.dropped.is_set():
                if not isinstance(exc, Cancelled):
                    _log_after_close(exc)
                return
            finish()
            try:
                _deliver_error(exc, tb)
            finally:
                self._idle_if_done()

        def _deliver_error(exc: BaseException, tb: str) -> None:
            if on_error is not None:
                on_error(exc)
            elif self._parent is not None and shiboken6.isValid(self._parent) and not self._parent.isVisible():
                # the window was hidden while the work ran (its database may be closed too): nobody to show a
                # dialog to, and a modal box on a hidden window would hang the application — log it instead
                _log_after_close(exc)
            else:
                show_error(self._parent, exc, tb)

        signals.progress.connect(on_progress)
        signals.finished.connect(on_finished)
        signals.failed.connect(on_failed)
        self._live[signals] = (handle, finish, not show_dialog)
        self._pool.start(_Job(fn, signals, cancel_event, handle.skipped))
        return handle

    def close_down(self, msecs: int = CLOSE_WAIT_MS) -> bool:
        """The window closes: the background loads not yet started are dropped and the running one is asked to
        cancel; the user's own actions run to their end. The closing waits for all of it; no result of that work is
        delivered afterwards (a failure is logged). True when nothing runs any more."""
        pending = list(self._live.values())
        for handle, _finish, background in pending:
            handle.dropped.set()
            if background:
                handle.skipped.set()
                handle.cancel_event.set()
        actions = any(not background for _handle, _finish, background in pending)
        done = self._pool.waitForDone(ACTION_WAIT_MS if actions else msecs)
        for _handle, finish, _background in pending:
            finish()
        if pending:
            self.idle.emit()
        return done

    def _idle_if_done(self) -> None:
        if not self._live:  # the last result (or error) has been delivered to its callback
            self.idle.emit()

    @property
    def busy(self) -> bool:
        """A task is queued or running (its result not yet delivered on the GUI thread)."""
        return bool(self._live)

    def wait(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)


def _log_after_close(exc: BaseException) -> None:
    logging.getLogger("socplan").warning("Фоновая задача завершилась ошибкой после закрытия окна: %s",
                                         exc, exc_info=(type(exc), exc, exc.__traceback__))


def show_error(parent: QWidget | None, exc: BaseException, tb: str = "") -> None:
    """User errors are shown as they are; anything else as an apology with details for the administrator."""
    box = QMessageBox(parent)
    box.setWindowTitle("СоцПлан")
    if isinstance(exc, Cancelled):
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(exc.message)
    elif isinstance(exc, SocPlanError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(exc.message)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText("Не удалось выполнить действие из-за внутренней ошибки программы. "
                    "Данные не изменены. Сообщите администратору; подробности — в поле ниже.")
        box.setDetailedText(tb or repr(exc))
    box.exec()
