"""Start-up benchmark: СоцПлан from spawn to its main window painted on the demo database, against a bare
PySide6 ``QMainWindow`` start, both in fresh processes (``python -c``), offscreen, median of N runs.

    python benchmarks/bench_startup.py [--runs N]

The real start path (``socplan`` → ``socplan.app.main`` → ``run_gui``) paints the main window's frame first
(title, menus, the section list, «Открытие базы данных…») and opens the database right after that paint. Both
moments are reported, each against the same bare baseline (a shown 1280×800 ``QMainWindow``, to its first
paint):

- **first paint**: the first paint of the real main window (the very window the user then works in; no splash);
- **data shown**: the first paint of that window after it emitted ``MainWindow.data_shown`` — the database is
  open (migration and demo checks), the title says «ДЕМОНСТРАЦИОННАЯ БАЗА», the banner is there and the last
  section (a fresh configuration: «Планы мероприятий») shows its rows, its background loading finished.

The data figure is also set against the bare libraries doing the same work: a shown ``QMainWindow`` that, after
its first paint, imports SQLAlchemy's ORM package, reads the rows «Планы мероприятий» shows (the plans, the first
plan's events, all control points) from the same demo file into a list, a tree and a table, and paints them. That
is the floor of any window that shows those rows through SQLAlchemy (SQLAlchemy alone imports asyncio and ssl).

The СоцПлан process quits after the data paint, so its whole-process time and its peak memory include the data.
Like an installed copy, the children import compiled bytecode (kept in a cache folder of the run, made by the
first start; ``PYTHONDONTWRITEBYTECODE`` is dropped for them). Memory: the peak resident set (``VmHWM`` of ``/proc/self/status``; elsewhere ``ru_maxrss``, on Windows the peak
working set) at the first paint and at the end of the process. Runs of the two programs alternate so that drift
of the machine affects both equally. Also listed: whether SQLAlchemy was already imported at the first paint
(it must not be: the frame is shown before the database layer loads), heavy libraries already imported when
the window is shown and when the data are shown (reportlab, openpyxl, pyHanko, … must be imported lazily, where
they are used) and which socplan module imported each of them first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Libraries that must not be imported just to show the window.
HEAVY = ("reportlab", "openpyxl", "pyhanko", "pyhanko_certvalidator", "docx", "lxml", "fontTools", "uharfbuzz",
         "PIL", "cryptography", "aiohttp", "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts",
         "PySide6.QtPrintSupport", "PySide6.QtSvg", "babel")

#: The database layer: not imported before the first paint of the main window.
DATABASE_LAYER = ("sqlalchemy", "alembic", "socplan.db.models", "socplan.db.database")

# Shared by both children: report at the first paint of the main window (and, for СоцПлан, at the first paint
# after the window says its data are shown), then quit the event loop.
_PROBE = r'''
import os, sys, time, json
T0 = float(os.environ["BENCH_T0"])
HEAVY = json.loads(os.environ["BENCH_HEAVY"])
DATABASE_LAYER = json.loads(os.environ["BENCH_DATABASE_LAYER"])
FIRST_IMPORTER = {}
PHASES = {}  # name -> seconds since spawn

class _WhoImports:
    """Records the chain of socplan frames that first imports each heavy library (diagnostics only)."""
    def find_spec(self, name, path=None, target=None):
        if name in HEAVY and name not in FIRST_IMPORTER:
            frame, chain = sys._getframe(1), []
            while frame is not None:
                filename = frame.f_code.co_filename.replace("\\", "/")
                if "/socplan/" in filename:
                    chain.append(filename.split("/socplan/", 1)[-1] + ":" + str(frame.f_lineno))
                frame = frame.f_back
            FIRST_IMPORTER[name] = " <- ".join(chain) or "?"
        return None

if os.environ.get("BENCH_WHO"):
    sys.meta_path.insert(0, _WhoImports())

def _peak_kb():
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes
        class PMC(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (n, ctypes.c_size_t) for n in ("PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage", "PagefileUsage",
                "PeakPagefileUsage")]
        pmc = PMC(); pmc.cb = ctypes.sizeof(PMC)
        ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(), ctypes.byref(pmc), pmc.cb)
        return pmc.PeakWorkingSetSize // 1024
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss

def _loaded(names):
    return sorted(m for m in names if m in sys.modules)

def watch(window, wait_for_data=False):
    """Report when ``window`` is first painted (and, with ``wait_for_data``, first painted after its
    ``data_shown`` signal), then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    result = {}

    class _Paints(QObject):
        data_announced = False
        def eventFilter(self, obj, event):
            if event.type() != QEvent.Type.Paint:
                return False
            now = time.time() - T0
            if "shown" not in result:
                result.update(shown=now, visible=window.isVisible(), heavy=_loaded(HEAVY),
                              database_layer=_loaded(DATABASE_LAYER), peak_kb_shown=_peak_kb())
                if wait_for_data and not self.data_announced:
                    return False
            elif not self.data_announced:
                return False
            result.update(data=now, title=window.windowTitle(), heavy_data=_loaded(HEAVY), who=FIRST_IMPORTER,
                          phases=PHASES, peak_kb_self=_peak_kb())
            print("BENCH " + json.dumps(result), flush=True)
            window.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
            return False

    paints = _Paints(window)
    window._bench_filter = paints
    if wait_for_data:
        def announced():
            PHASES["data_shown"] = time.time() - T0
            paints.data_announced = True
        window.data_shown.connect(announced)
    window.installEventFilter(paints)
    QTimer.singleShot(60000, QApplication.quit)  # never hang the benchmark
'''

# The real start path: ``socplan`` (socplan.app.main → run_gui → Application.start → the demo file), with the
# window reported at its first paint and at its first paint with the data.
APP_CHILD = _PROBE + r'''
PHASES["interpreter"] = time.time() - T0
import socplan.ui.app as _ui_app
from socplan.app import main
PHASES["imports"] = time.time() - T0
_start, _open_initial = _ui_app.Application.start, _ui_app.Application.open_initial
_load_database_layer = _ui_app.load_database_layer
def _start_and_watch(self, **kwargs):
    window = _start(self, **kwargs)
    PHASES["frame"] = time.time() - T0  # settings, the window's frame built and shown
    watch(window, wait_for_data=True)
    return window
def _load_and_note():
    PHASES["paint"] = time.time() - T0  # first paint done, the event loop calls the opening
    _load_database_layer()
    PHASES["layer"] = time.time() - T0  # SQLAlchemy, the models (mappers configured), the services' context
def _open_and_note(self, *args, **kwargs):
    opened = _open_initial(self, *args, **kwargs)
    PHASES["database"] = time.time() - T0  # open + migration check + demo check
    return opened
_ui_app.Application.start = _start_and_watch
_ui_app.load_database_layer = _load_and_note
_ui_app.Application.open_initial = _open_and_note
code = main([])  # the README's first command: no database chosen yet → the demo (its own file)
raise SystemExit(code)
'''

# The bare libraries showing the same rows: a shown QMainWindow and, after its first paint, SQLAlchemy (the ORM
# package, as СоцПлан uses it) reading the demo file's plans, the first plan's events and all control points into
# a list, a tree and a table — the rows «Планы мероприятий» shows — then the paint with them.
BASELINE_DATA_CHILD = _PROBE + r'''
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QApplication, QMainWindow, QSplitter, QListWidget, QTreeWidget, QTreeWidgetItem,
                               QTableWidget, QTableWidgetItem)
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("baseline")
window.resize(1280, 800)
window.show()

def load():
    import sqlalchemy.orm
    from sqlalchemy import create_engine, text
    engine = create_engine("sqlite:///" + os.environ["BENCH_DEMO_DB"])
    with sqlalchemy.orm.Session(engine) as session:
        plans = session.execute(text("SELECT id, title FROM plan ORDER BY id")).all()
        events = session.execute(text("SELECT number, text, deadline_text, executors_text FROM plan_event "
                                      "WHERE plan_id = :p ORDER BY sort_key"), {"p": plans[0][0]}).all()
        points = session.execute(text("SELECT p.due_date, e.number, e.text, p.status FROM plan_control_point p "
                                      "JOIN plan_event e ON e.id = p.event_id ORDER BY p.due_date")).all()
    window.setWindowTitle("baseline — " + str(len(plans)) + " plans")
    splitter = QSplitter(window)
    listing = QListWidget(splitter)
    listing.addItems([title for _id, title in plans])
    tree = QTreeWidget(splitter)
    tree.addTopLevelItems([QTreeWidgetItem([str(v) for v in row]) for row in events])
    table = QTableWidget(len(points), 4, splitter)
    for r, row in enumerate(points):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    window.setCentralWidget(splitter)
    window.update()
    window.data_shown.emit()

from PySide6.QtCore import QObject, Signal
class _Announcer(QObject):
    data_shown = Signal()
window._announcer = _Announcer(window)
window.data_shown = window._announcer.data_shown
watch(window, wait_for_data=True)
QTimer.singleShot(0, load)
code = app.exec()
raise SystemExit(code)
'''

BASELINE_CHILD = _PROBE + r'''
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("baseline")
window.resize(1280, 800)
window.show()
watch(window)
code = app.exec()
raise SystemExit(code)
'''


def run_child(code: str, env: dict[str, str], *, demo_title: bool = False) -> dict[str, object]:
    env = dict(env, BENCH_T0=repr(time.time()))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    peak_kb = None
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    else:
        proc.wait()
    total = time.perf_counter() - started
    lines = [line for line in out.splitlines() if line.startswith("BENCH ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"child failed (exit {proc.returncode}):\n{out[-2000:]}\n{err[-4000:]}")
    result = json.loads(lines[-1][6:])
    if not result["visible"]:
        raise SystemExit("child painted a window that is not visible")
    if demo_title and "ДЕМОНСТРАЦИОННАЯ БАЗА" not in result["title"]:
        raise SystemExit(f"the window with the data does not say it shows the demo: {result['title']!r}")
    result["total"] = total
    result["peak_kb"] = peak_kb if peak_kb is not None else result["peak_kb_self"]
    return result


def fmt(value: float, decimals: int = 2) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each program (median)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="socplan-bench-startup-") as tmp:
        home = Path(tmp)
        # As installed (a wheel or the frozen bundle carries compiled bytecode): the children keep the .pyc files
        # of socplan in a cache folder of their own, made by the first run, never beside the sources.
        env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_") and k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        env.update(QT_QPA_PLATFORM="offscreen", SOCPLAN_CONFIG_DIR=str(home / "config"),
                   SOCPLAN_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "xdg"),
                   BENCH_HEAVY=json.dumps(HEAVY), BENCH_DATABASE_LAYER=json.dumps(DATABASE_LAYER))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)

        # First start on a new file: create, migrate, load the demo data, daily backup (reported, not compared).
        first = run_child(APP_CHILD, env, demo_title=True)
        env["BENCH_DEMO_DB"] = str(home / "data" / "socplan-demo.sqlite")  # made by the first start
        run_child(BASELINE_CHILD, env)  # warm-up of the baselines (file cache, fontconfig, bytecode)
        run_child(BASELINE_DATA_CHILD, env)
        who = run_child(APP_CHILD, dict(env, BENCH_WHO="1"), demo_title=True)

        app_runs, base_runs, data_runs = [], [], []
        for _ in range(args.runs):
            base_runs.append(run_child(BASELINE_CHILD, env))
            data_runs.append(run_child(BASELINE_DATA_CHILD, env))
            app_runs.append(run_child(APP_CHILD, env, demo_title=True))

        # A headless command's start: ``socplan --help`` against importing PySide6.QtWidgets, alternating.
        help_times: list[float] = []
        qt_times: list[float] = []
        for n in range(args.runs):
            for argv, times in ((([sys.executable, "-m", "socplan", "--help"], help_times),
                                 ([sys.executable, "-c", "import PySide6.QtWidgets"], qt_times))[::1 if n % 2 else -1]):
                start = time.perf_counter()
                subprocess.run(argv, env=env, capture_output=True, check=True)
                times.append(time.perf_counter() - start)

    def med(runs: list[dict[str, object]], key: str) -> float:
        return statistics.median(float(r[key]) for r in runs)  # type: ignore[arg-type]

    def row(label: str, base: float, app: float, decimals: int = 2, note: str = "") -> None:
        print(f"{label:40}{fmt(base, decimals):>10}{fmt(app, decimals):>10}{fmt(app / base):>8}×  {note}")

    print(f"Start-up of the main window: fresh processes, offscreen, median of {args.runs}")
    print(f"{'':40}{'baseline':>10}{'СоцПлан':>10}{'ratio':>9}  baseline")
    bare, bare_data = "bare QMainWindow, first paint", "bare QMainWindow + SQLAlchemy reading the same rows"
    row("to first paint of the main window, s", med(base_runs, "shown"), med(app_runs, "shown"), note=bare)
    row("to the data shown (last section), s", med(base_runs, "shown"), med(app_runs, "data"), note=bare)
    row("", med(data_runs, "data"), med(app_runs, "data"), note=bare_data)
    row("whole process, s", med(base_runs, "total"), med(app_runs, "total"), note=bare + " (СоцПлан: with the data)")
    row("peak memory at first paint, MB", med(base_runs, "peak_kb_shown") / 1024,
        med(app_runs, "peak_kb_shown") / 1024, 0, note=bare)
    row("peak memory with the data shown, MB", med(base_runs, "peak_kb") / 1024, med(app_runs, "peak_kb") / 1024, 0,
        note=bare)
    row("", med(data_runs, "peak_kb") / 1024, med(app_runs, "peak_kb") / 1024, 0, note=bare_data)
    help_s, qt_s = statistics.median(help_times), statistics.median(qt_times)
    row("socplan --help, s", qt_s, help_s, note="python -c \"import PySide6.QtWidgets\"")
    print(f"first start on a new file (frame, then create + migrate + demo data): first paint "
          f"{fmt(float(first['shown']))} s, data shown {fmt(float(first['data']))} s, "
          f"peak {fmt(float(first['peak_kb']) / 1024, 0)} MB")
    phases = [("interpreter", "Python interpreter start"),
              ("imports", "imports (socplan.ui.app, PySide6; no database layer)"),
              ("frame", "settings, fonts, the window's frame built and shown"),
              ("shown", "first paint of the main window"),
              ("paint", "event loop calls the opening"),
              ("layer", "database layer imported: SQLAlchemy, models (mappers configured)"),
              ("database", "database opened (integrity, migration and demo checks)"),
              ("data_shown", "window given the data: title, banner, last section with its rows"),
              ("data", "first paint with the data")]
    print("where СоцПлан's start-up time goes (median end of each phase since spawn, s):")
    previous = 0.0
    for key, label in phases:
        ends = [float(r[key] if key in ("shown", "data") else r["phases"][key]) for r in app_runs]  # type: ignore[index]
        end = statistics.median(ends)
        print(f"  {label:70} {fmt(end):>6}  (+{fmt(end - previous)})")
        previous = end
    layer = sorted({m for r in app_runs for m in r["database_layer"]})  # type: ignore[union-attr]
    print("database layer imported at the first paint: " + (", ".join(layer) if layer else "none"))
    for key, when in (("heavy", "the window is first painted"), ("heavy_data", "the data are shown")):
        heavy = who[key]
        if heavy:
            print(f"heavy libraries imported when {when} (should be lazy):")
            for name in heavy:  # type: ignore[union-attr]
                print(f"  {name:24} first imported via {who['who'].get(name, '?')}")  # type: ignore[union-attr]
        else:
            print(f"heavy libraries imported when {when}: none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
