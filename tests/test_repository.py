"""House rules checked on the repository itself."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)


def test_readme_starts_with_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text.split("\n\n", 3)
    assert head[0] == "# СоцПлан"
    first, second = _readme_commands()[:2]
    assert "\n" not in first and "\n" not in second
    assert first.endswith("socplan") and "pytest" in second
    assert text.index(second) < text.index("The first command")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_layer_contracts_hold():
    """import-linter: domain imports nothing of ours or heavy; only ui/ imports PySide6; layers."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_domain_uses_only_the_standard_library():
    import ast

    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in (ROOT / "src" / "socplan" / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name != "__future__" and name.split(".")[0] not in stdlib and not name.startswith("socplan.domain"):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_frozen_check_lives_in_one_module():
    hits = [p for p in (ROOT / "src").rglob("*.py") if "_MEIPASS" in p.read_text(encoding="utf-8")]
    assert [p.name for p in hits] == ["resources.py"]


def test_fonts_ship_with_their_licence():
    fonts = ROOT / "resources" / "fonts"
    assert (fonts / "LiberationSerif-Regular.ttf").is_file()
    assert "SIL" in (fonts / "LICENSE-Liberation.txt").read_text(encoding="utf-8")
