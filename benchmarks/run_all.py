"""Run every ``benchmarks/bench_*.py`` (each in its own process) and print their outputs.

    python benchmarks/run_all.py [-k WORD] [--timeout SECONDS]

``-k WORD`` runs only the benchmarks whose file name contains WORD. The exit code is 1 if any benchmark
failed or timed out (the others still run).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def discover(word: str | None = None) -> list[Path]:
    return [p for p in sorted(HERE.glob("bench_*.py")) if word is None or word in p.name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run all СоцПлан benchmarks and print their outputs.")
    parser.add_argument("-k", dest="word", help="only benchmarks whose file name contains this")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per benchmark (default 1800)")
    args = parser.parse_args(argv)

    scripts = discover(args.word)
    if not scripts:
        print("no benchmarks found", file=sys.stderr)
        return 1
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"

    failed: list[str] = []
    summary: list[tuple[str, str, float]] = []
    for script in scripts:
        print(f"=== {script.name} " + "=" * max(0, 70 - len(script.name)), flush=True)
        started = time.perf_counter()
        try:
            result = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True,
                                    text=True, encoding="utf-8", errors="replace", timeout=args.timeout)
            output, status = result.stdout + result.stderr, ("ok" if result.returncode == 0
                                                             else f"failed (exit {result.returncode})")
        except subprocess.TimeoutExpired as exc:
            partial = exc.stdout or ""
            output = partial.decode("utf-8", "replace") if isinstance(partial, bytes) else partial
            status = f"timed out after {args.timeout:.0f} s"
        elapsed = time.perf_counter() - started
        print(output.rstrip())
        if status != "ok":
            failed.append(script.name)
        summary.append((script.name, status, elapsed))
        print(flush=True)

    print("=== summary " + "=" * 60)
    for name, status, elapsed in summary:
        print(f"{name:40} {status:28} {elapsed:7.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
