"""Hostile xlsx files against every xlsx reader: time to refusal and peak memory (RSS) of a fresh process.

    PYTHONPATH=src python benchmarks/bench_hostile_xlsx.py [--bomb-mb 1024]

Each hostile file (built by tests/hardening/hostile_xlsx.py; the zip bomb inflates to ``--bomb-mb`` MB) is read by
the plans, subsidies and indicators readers, each run in its own process. The figures are the reader call alone
(wall seconds) and the process's peak resident memory (which includes Python and openpyxl, ~40 MB). The goal
(issue 15): every file refused in under 2 s and under 200 MB. Prints one line per run and a verdict; exit code 1
when a run misses the goal or is not refused.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "hardening"))
sys.path.insert(0, str(ROOT / "src"))

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
reader, path = sys.argv[1], Path(sys.argv[2])
if reader == "plans":
    from socplan.io.plans_table import read_table as read
elif reader == "subsidies":
    from socplan.io.subsidies_xlsx import read_round_xlsx as read
else:
    from socplan.io.indicators_excel import read_template as read
import openpyxl  # imported before the clock starts: the figure is the reading alone
from socplan.domain.errors import SocPlanError
started = time.perf_counter()
try:
    read(path)
    outcome, message = "accepted", ""
except SocPlanError as exc:
    outcome, message = "refused", exc.message
except BaseException as exc:
    outcome, message = "crashed", f"{type(exc).__name__}: {exc}"[:200]
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "seconds": elapsed, "peak_mb": peak, "message": message}, ensure_ascii=False))
"""


def _indicators_base(folder: Path) -> bytes:
    from decimal import Decimal

    from socplan.io.indicators_excel import TemplateRow, TemplateSpec
    from socplan.io.indicators_template_writer import write_template

    row = TemplateRow("1|", "1", "Показатель", "чел.", Decimal(1), None, "", False, True, True)
    path = write_template(folder / "base.xlsx", TemplateSpec("ФОРМА", "Форма", 1, "Район", "2025", "2025 год", (row,)))
    return path.read_bytes()


def main(argv: list[str] | None = None) -> int:
    import hostile_xlsx

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=1024, help="size of the zip bomb after inflation, MB")
    args = parser.parse_args(argv)
    cases = dict(hostile_xlsx.HOSTILE, zip_bomb=lambda blob: hostile_xlsx.zip_bomb(blob, args.bomb_mb))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8")
    failures = 0
    worst_s, worst_mb = 0.0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bases = {"plans": hostile_xlsx.base_xlsx(("План",)), "subsidies": hostile_xlsx.base_xlsx(),
                 "indicators": _indicators_base(folder)}
        print(f"{'файл':<20} {'читатель':<11} {'размер':>9} {'секунды':>8} {'пик, МБ':>8}  итог")
        for case, build in cases.items():
            for reader, base in bases.items():
                path = folder / f"{case}-{reader}.xlsx"
                path.write_bytes(build(base))
                run = subprocess.run([sys.executable, "-c", CHILD, reader, str(path)], capture_output=True, text=True,
                                     env=env, timeout=300)
                try:
                    result = json.loads(run.stdout.strip().splitlines()[-1])
                except (IndexError, ValueError):
                    result = {"outcome": "crashed", "seconds": float("nan"), "peak_mb": float("nan"),
                              "message": run.stderr[-200:]}
                ok = result["outcome"] == "refused" and result["seconds"] < 2 and result["peak_mb"] < 200
                failures += not ok
                worst_s, worst_mb = max(worst_s, result["seconds"]), max(worst_mb, result["peak_mb"])
                size = path.stat().st_size
                print(f"{case:<20} {reader:<11} {size / 1024:>7.0f}КБ {result['seconds']:>8.3f} "
                      f"{result['peak_mb']:>8.1f}  {'ok' if ok else 'ПЛОХО'} {result['outcome']}: "
                      f"{result['message'][:90]}")
                path.unlink()
    print(f"\nхудшее время {worst_s:.3f} с, наибольший пик памяти {worst_mb:.1f} МБ; "
          f"{'все отклонены быстрее 2 с и меньше 200 МБ' if not failures else f'не уложились: {failures}'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
