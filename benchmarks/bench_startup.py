"""Start-up benchmark: СоцПлан up to its first painted main window on the demo database, against a bare
PySide6 ``QMainWindow`` start, both in fresh processes (``python -c``), offscreen, median of N runs.

    python benchmarks/bench_startup.py [--runs N]

Measured per process: wall time from spawn to the first paint of the main window, wall time of the whole
process (start-up + quit), and peak resident memory (``ru_maxrss`` of the child from ``os.wait4``; on
Windows the child reports its own peak working set). Runs of the two programs alternate so that drift of
the machine affects both equally. Also listed: heavy libraries already imported when the window is shown
(reportlab, openpyxl, pyHanko, … must be imported lazily, where they are used) and which socplan module
imported each of them first.
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
         "PySide6.QtPrintSupport", "PySide6.QtSvg")

# Shared by both children: report at the first paint of the main window, then quit the event loop.
_PROBE = r'''
import os, sys, time, json
T0 = float(os.environ["BENCH_T0"])
HEAVY = json.loads(os.environ["BENCH_HEAVY"])
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
    import resource
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss

def watch(window):
    """Report when ``window`` is first painted, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    class _FirstPaint(QObject):
        done = False
        def eventFilter(self, obj, event):
            if not self.done and event.type() == QEvent.Type.Paint:
                self.done = True
                shown = time.time()
                loaded = sorted(m for m in HEAVY if m in sys.modules)
                print("BENCH " + json.dumps({"shown": shown - T0, "visible": window.isVisible(), "heavy": loaded,
                                             "who": FIRST_IMPORTER, "phases": PHASES,
                                             "peak_kb_self": _peak_kb()}), flush=True)
                QTimer.singleShot(0, QApplication.quit)
            return False

    window._bench_filter = _FirstPaint(window)
    window.installEventFilter(window._bench_filter)
    QTimer.singleShot(20000, QApplication.quit)  # never hang the benchmark
'''

# The real start path: ``socplan`` (socplan.app.main → run_gui → Application → the demo file), with the
# window reported at its first paint.
APP_CHILD = _PROBE + r'''
PHASES["interpreter"] = time.time() - T0
import socplan.ui.app as _ui_app
from socplan.app import main
PHASES["imports"] = time.time() - T0
_show_window = _ui_app.Application.show_window
def _show_and_watch(self):
    PHASES["database"] = time.time() - T0  # CLI parser, settings, open + migration check + demo check
    window = _show_window(self)
    PHASES["window"] = time.time() - T0  # main window built and shown, last section created, daily backup
    watch(window)
    return window
_ui_app.Application.show_window = _show_and_watch
code = main([])  # the README's first command: no database chosen yet → the demo (its own file)
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


def run_child(code: str, env: dict[str, str]) -> dict[str, object]:
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
        env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
        env.update(QT_QPA_PLATFORM="offscreen", SOCPLAN_CONFIG_DIR=str(home / "config"),
                   SOCPLAN_DATA_DIR=str(home / "data"), XDG_CONFIG_HOME=str(home / "xdg"),
                   BENCH_DB=str(home / "demo.sqlite"), BENCH_HEAVY=json.dumps(HEAVY))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH", "")) if p)

        # First start on a new file: create, migrate, load the demo data, daily backup (reported, not compared).
        first = run_child(APP_CHILD, env)
        run_child(BASELINE_CHILD, env)  # warm-up of the baseline (file cache, fontconfig)
        who = run_child(APP_CHILD, dict(env, BENCH_WHO="1"))

        app_runs, base_runs = [], []
        for _ in range(args.runs):
            base_runs.append(run_child(BASELINE_CHILD, env))
            app_runs.append(run_child(APP_CHILD, env))

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

    rows = [("shown", "to first painted window, s", 2, 1.0), ("total", "whole process, s", 2, 1.0),
            ("peak_kb", "peak memory (RSS), MB", 0, 1 / 1024)]
    print(f"Start-up to a shown main window: fresh processes, offscreen, median of {args.runs}")
    print(f"{'':30}{'bare QMainWindow':>18}{'СоцПлан, demo DB':>18}{'ratio':>9}")
    for key, label, decimals, scale in rows:
        base, app = med(base_runs, key), med(app_runs, key)
        print(f"{label:30}{fmt(base * scale, decimals):>18}{fmt(app * scale, decimals):>18}{fmt(app / base):>8}×")
    help_s, qt_s = statistics.median(help_times), statistics.median(qt_times)
    print(f"{'socplan --help, s':30}{fmt(qt_s):>18}{fmt(help_s):>18}{fmt(help_s / qt_s):>8}×  "
          "(baseline: python -c \"import PySide6.QtWidgets\")")
    print(f"first start on a new file (migrate + demo data + backup): {fmt(float(first['shown']))} s, "
          f"peak {fmt(float(first['peak_kb']) / 1024, 0)} MB")
    phases = [("interpreter", "Python interpreter start"),
              ("imports", "imports (socplan.ui.app, PySide6, SQLAlchemy, alembic, models)"),
              ("database", "CLI parser, settings, open database, migration and demo checks"),
              ("window", "main window built and shown (+ last section, daily backup)"),
              ("shown", "first paint")]
    print("where СоцПлан's start-up time goes (median end of each phase since spawn, s):")
    previous = 0.0
    for key, label in phases:
        ends = [float(r["shown"] if key == "shown" else r["phases"][key]) for r in app_runs]  # type: ignore[index]
        end = statistics.median(ends)
        print(f"  {label:66} {fmt(end):>6}  (+{fmt(end - previous)})")
        previous = end
    heavy = who["heavy"]
    if heavy:
        print("heavy libraries imported before the window is shown (should be lazy):")
        for name in heavy:  # type: ignore[union-attr]
            print(f"  {name:24} first imported via {who['who'].get(name, '?')}")  # type: ignore[union-attr]
    else:
        print("heavy libraries imported before the window is shown: none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
