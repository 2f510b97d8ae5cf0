"""Commands import only what they use: ``socplan --help`` lists the commands without the database layer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = """
import sys
from socplan.app import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in
                ('sqlalchemy', 'alembic', 'PySide6', 'openpyxl', 'reportlab', 'pyhanko')}
               | {m for m in sys.modules if m.startswith('socplan.db.models')})
print('HEAVY:' + ','.join(heavy), file=sys.stderr)
"""


def _heavy_modules(*args: str) -> tuple[list[str], str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line[len("HEAVY:"):].split(",") if m], done.stdout


def test_help_lists_the_commands_without_loading_the_database_layer() -> None:
    heavy, out = _heavy_modules("--help")
    assert "indicators" in out and "exchange" in out  # every command is listed
    assert heavy == []


def test_a_command_s_own_help_does_not_load_the_database_layer_either() -> None:
    heavy, out = _heavy_modules("indicators", "sheet", "--help")
    assert "--period" in out or "период" in out
    assert heavy == []
