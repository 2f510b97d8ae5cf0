"""A window closed while its background work runs waits for that work: nothing touches the database after the
window (and then the database) is closed. Work not yet started is dropped, the running work is asked to stop and
waited for, and no result is delivered to the closed window (a test's database is closed, on PostgreSQL even
dropped, right after its window: a query still running then failed the test at teardown)."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget

from socplan.domain.errors import Cancelled
from socplan.ui.tasks import TaskRunner


def test_closing_the_window_waits_for_its_running_work_and_drops_the_queued(qtbot) -> None:  # noqa: ANN001
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    started = threading.Event()
    log: list[str] = []
    delivered: list[object] = []

    def slow(_progress, cancelled):  # noqa: ANN001, ANN202 - up to 3 s unless asked to stop
        started.set()
        for _ in range(300):
            if cancelled():
                log.append("остановлена по просьбе")
                raise Cancelled()
            time.sleep(0.01)
        log.append("дошла до конца")
        return "сводка"

    def queued(_progress, _cancelled):  # noqa: ANN001, ANN202
        log.append("очередная запущена")
        return "что сдать"

    runner.run("Сводка", slow, delivered.append, delivered.append, show_dialog=False)
    runner.run("Что сдать", queued, delivered.append, delivered.append, show_dialog=False)
    assert started.wait(5)
    window.close()
    # when close() returns the running work has finished and the queued one will never run
    assert log == ["остановлена по просьбе"]
    assert not runner.busy
    qtbot.wait(100)
    assert log == ["остановлена по просьбе"] and delivered == []  # nothing delivered into the closed window

    window.show()  # shown again, the window's runner works as before
    runner.run("Снова", lambda _p, _c: "готово", delivered.append, show_dialog=False)
    qtbot.waitUntil(lambda: delivered == ["готово"], timeout=3000)


def test_work_that_ignores_cancel_is_still_waited_for(qtbot) -> None:  # noqa: ANN001
    """A query cannot be interrupted half-way: the window waits until it has returned."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    started, finished = threading.Event(), threading.Event()

    def query(_progress, _cancelled):  # noqa: ANN001, ANN202
        started.set()
        time.sleep(0.3)
        finished.set()
        return 1

    runner.run("Запрос", query, show_dialog=False)
    assert started.wait(5)
    window.close()
    assert finished.is_set()


def test_closing_the_window_lets_the_users_own_action_finish(qtbot) -> None:  # noqa: ANN001
    """An action the user started (an import, a save — shown with a progress dialog) is not a load that can be
    thrown away: closing the window in the moment before its dialog appears neither stops it nor drops it when
    it is queued behind a load; the window waits until it has written."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner = TaskRunner(window)
    started = threading.Event()
    log: list[str] = []

    def load(_progress, cancelled):  # noqa: ANN001, ANN202
        started.set()
        while not cancelled():
            time.sleep(0.01)
        raise Cancelled()

    def save(_progress, cancelled):  # noqa: ANN001, ANN202
        for _ in range(20):
            if cancelled():
                log.append("сохранение остановлено")
                raise Cancelled()
            time.sleep(0.01)
        log.append("сохранено")
        return "сохранено"

    runner.run("Сводка", load, show_dialog=False)
    runner.run("Сохранение", save)  # queued behind the load; its dialog would show after 0,4 s
    assert started.wait(5)
    window.close()
    assert log == ["сохранено"]
    assert not runner.busy
