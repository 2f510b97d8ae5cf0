"""The start path paints the main window's frame first and gives it the database right after that paint.

What a user sees: the window (title «СоцПлан», menus, the section list, «Открытие базы данных…» in the status
bar) at once; then the title with «ДЕМОНСТРАЦИОННАЯ БАЗА», the banner and the last section with its rows. A
database that cannot be opened still asks the same Russian question, now over the window.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from socplan.services.settings import Settings, demo_db_path
from socplan.ui.app import DEMO, Application
from socplan.ui.main_window import OPENING_TEXT

SRC = Path(__file__).resolve().parents[2] / "src"

# The real start (``socplan`` with no arguments → run_gui), watched from outside: what was imported and shown
# at the window's first paint, and what is shown at its first paint after ``data_shown``.
PROBE = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import socplan.ui.app as ui_app
from socplan.app import main

LAYER = ("sqlalchemy", "alembic", "socplan.db.database", "socplan.db.models", "socplan.services.context")
seen = {}
_start = ui_app.Application.start

def watched_start(self, **kwargs):
    window = _start(self, **kwargs)

    class Paints(QObject):
        def eventFilter(self, obj, event):
            if event.type() != QEvent.Type.Paint:
                return False
            if "first" not in seen:
                seen["first"] = {"layer": sorted(m for m in LAYER if m in sys.modules), "title": window.windowTitle(),
                                 "status": window.db_label.text(), "sections": sorted(window.sections),
                                 "nav": [window.nav.item(i).text() for i in range(window.nav.count())]}
            elif window.data_loaded and "data" not in seen:
                plans = window.sections["plans"].plans_tab.plans.visible_rows()
                seen["data"] = {"title": window.windowTitle(), "status": window.db_label.text(),
                                "banner": window.demo_banner is not None and window.demo_banner.isVisible(),
                                "section": window.current_section_key(), "plans": [p.title for p in plans]}
                QTimer.singleShot(0, QApplication.quit)
            return False

    window._paints = Paints(window)
    window.installEventFilter(window._paints)
    QTimer.singleShot(60000, QApplication.quit)
    return window

ui_app.Application.start = watched_start
code = main([])
print("SEEN " + json.dumps(seen, ensure_ascii=True))
raise SystemExit(code)
"""


def test_the_window_is_painted_before_the_database_layer_is_imported(tmp_path, demo_db_template):
    """A fresh process (nothing imported by the test run): at the first paint SQLAlchemy and the models are not
    loaded and the window says «Открытие базы данных…»; its next paint after ``data_shown`` shows the demo's
    title and banner and the plans of «Планы мероприятий» (the last section of a fresh configuration)."""
    _demo_in_place(demo_db_template)
    env = dict(os.environ, PYTHONPATH=str(SRC), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=180,
                          encoding="utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("SEEN "))[5:])
    first, data = seen["first"], seen["data"]
    assert first["layer"] == []  # nothing of the database layer before the user sees the window
    assert first["title"] == "СоцПлан" and first["status"] == OPENING_TEXT and first["sections"] == []
    assert first["nav"][0] == "Планы мероприятий" and len(first["nav"]) == 8
    assert data["title"] == "СоцПлан — ДЕМОНСТРАЦИОННАЯ БАЗА — socplan-demo.sqlite"
    assert data["banner"] is True and data["status"].startswith("Демонстрационная база: ")
    assert data["section"] == "plans" and len(data["plans"]) == 4
    assert any("независимой оценки" in title for title in data["plans"])


def _demo_in_place(template) -> None:  # noqa: ANN001
    """The demo database where a first start looks for it (the program's data folder)."""
    demo = demo_db_path()
    demo.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, demo)


def _start(tmp_path, section: str):  # noqa: ANN001, ANN202
    """The window started as a user starts it, its last section remembered as ``section``."""
    qsettings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    qsettings.setValue("main_window/section", section)
    app = Application(Settings(), qsettings)
    return app, app.start()


def _commands(window) -> dict[str, bool]:  # noqa: ANN001
    return {a.text(): a.isEnabled() for a in window.menuBar().actions()[0].menu().actions() if a.text()}


def test_frame_first_then_the_demo_and_the_last_section(qapp, qtbot, tmp_path, demo_db_template):
    _demo_in_place(demo_db_template)
    app, window = _start(tmp_path, "reference")
    try:
        # the frame, before the event loop has run: nothing of the database yet, only «Выход» works
        assert window.windowTitle() == "СоцПлан" and window.db_label.text() == OPENING_TEXT
        assert window.sections == {} and window.demo_banner is None and app.db is None
        assert window.current_section_key() == "reference"  # the last section is highlighted at once
        commands = _commands(window)
        assert commands["Выход"] and not commands["Открыть базу данных…"] and not commands["Настройки…"]
        shown = []
        window.data_shown.connect(lambda: shown.append(window.windowTitle()))
        qtbot.waitUntil(lambda: window.data_loaded, timeout=20000)
        assert shown == ["СоцПлан — ДЕМОНСТРАЦИОННАЯ БАЗА — socplan-demo.sqlite"]
        assert window.demo_banner is not None and window.demo_banner.isVisible()
        assert window.demo_banner.findChild(QPushButton, "createWorkingDatabase").text() == "Создать рабочую базу…"
        assert window.db_label.text().startswith("Демонстрационная база: ")
        assert list(window.sections) == ["reference"]  # only the section on screen is built
        assert window.sections["reference"].entity_tabs["Территории"].list.model.rowCount() == 34
        assert all(_commands(window).values())
        qtbot.waitUntil(lambda: window.notices_label.text() != "", timeout=20000)  # notices after the data
    finally:
        window.close()
        app.shutdown()


def test_a_corrupted_database_at_start_is_the_same_question_over_the_window(qapp, qtbot, tmp_path, monkeypatch):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 100)
    asked = []
    monkeypatch.setattr(Application, "_ask_other_database",
                        lambda self, message, parent, missing=False: asked.append((message, parent, missing)))
    app = Application(Settings(db_path=str(bad)), QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = app.start()
    try:
        qtbot.waitUntil(lambda: app.exit_code is not None, timeout=20000)
        message, parent, missing = asked[0]
        assert "не является базой данных" in message and parent is window and missing is False
        assert app.exit_code == 1 and app.db is None and not window.isVisible()  # «Выход»: the program ends
        assert bad.read_bytes() == b"garbage" * 100
    finally:
        window.close()
        app.shutdown()


def test_a_missing_file_at_start_asks_and_the_demo_chosen_opens(qapp, qtbot, tmp_path, monkeypatch, demo_db_template):
    _demo_in_place(demo_db_template)
    missing_file = tmp_path / "опечатка" / "work.sqlite"
    asked = []

    def answer(self, message, parent, missing=False):  # noqa: ANN001, ANN202
        asked.append((message, missing))
        return DEMO

    monkeypatch.setattr(Application, "_ask_other_database", answer)
    app = Application(Settings(db_path=str(missing_file)),
                      QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    window = app.start()
    try:
        qtbot.waitUntil(lambda: window.data_loaded or app.exit_code is not None, timeout=20000)
        assert app.start_error is None and app.exit_code is None
        assert asked and "не найден" in asked[0][0] and asked[0][1] is True
        assert "ДЕМОНСТРАЦИОННАЯ БАЗА" in window.windowTitle() and app.db.is_demo
        assert not missing_file.parent.exists()  # no file made behind the user's back
        assert window.sections["plans"].plans_tab.plans.visible_rows()
    finally:
        window.close()
        app.shutdown()


QUIT_PROBE = r"""
import sys
import socplan.ui.app as ui_app
from socplan.app import main

def answer(self, message, parent, missing=False):
    print("ASKED " + message.replace("\n", " ") + " | over the window: " + str(parent is self.window), flush=True)
    return None  # «Выход»

ui_app.Application._ask_other_database = answer
raise SystemExit(main(sys.argv[1:]))
"""


def test_quitting_at_a_corrupted_file_ends_the_program_with_code_1(tmp_path):
    """``socplan --db bad.sqlite``: the window's frame, then the same message as before over it; «Выход» ends the
    program (exit code 1) and leaves the file as it was."""
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"garbage" * 100)
    env = dict(os.environ, PYTHONPATH=str(SRC), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", QUIT_PROBE, "--db", str(bad)], env=env, capture_output=True,
                          text=True, timeout=180, encoding="utf-8")
    assert done.returncode == 1, done.stderr[-3000:]
    asked = [line for line in done.stdout.splitlines() if line.startswith("ASKED ")]
    assert len(asked) == 1 and "не является базой данных СоцПлан" in asked[0]
    assert asked[0].endswith("over the window: True")
    assert bad.read_bytes() == b"garbage" * 100


def test_a_last_section_that_loads_in_the_background_is_shown_with_its_data(qapp, qtbot, tmp_path, demo_db_template):
    """«Сдача отчётности» gathers its board on the worker thread: ``data_shown`` waits for it (the summary is
    there when the window says its data are shown), and the start-up notices come only after that."""
    from socplan.ui.cycle.section import BoardView

    _demo_in_place(demo_db_template)
    app, window = _start(tmp_path, "cycle")
    try:
        at_data = []
        window.data_shown.connect(lambda: at_data.append((window.sections["cycle"].findChild(BoardView).summary.text(),
                                                          window.runner.busy, window.notices_label.text())))
        qtbot.waitUntil(lambda: window.data_loaded, timeout=30000)
        summary, busy, notices = at_data[0]
        assert summary and not busy and notices == ""
        assert window.current_section_key() == "cycle" and "ДЕМОНСТРАЦИОННАЯ БАЗА" in window.windowTitle()
    finally:
        window.close()
        app.shutdown()
