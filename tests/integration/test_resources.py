"""Resources are found the same way from the checkout, an installed wheel and the frozen bundle."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from socplan import resources

ROOT = Path(__file__).resolve().parents[2]


def test_checkout_layout_finds_fonts_demo_and_migrations():
    assert resources.font_path("serif").is_file()
    assert resources.resource_path("demo", "reference", "territories.csv").is_file()
    assert (resources.migrations_dir() / "env.py").is_file()


def test_frozen_layout_uses_meipass(monkeypatch, tmp_path):
    (tmp_path / "resources" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resources.resources_root.cache_clear()
    try:
        assert resources.resources_root() == tmp_path / "resources"
        assert resources.migrations_dir() == tmp_path / "socplan" / "db" / "migrations"
    finally:
        resources.resources_root.cache_clear()


@pytest.mark.slow
def test_wheel_carries_resources_and_migrations(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("socplan-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "socplan/_resources/fonts/LiberationSerif-Regular.ttf" in names
    assert "socplan/_resources/fonts/LICENSE-Liberation.txt" in names
    assert "socplan/_resources/demo/reference/territories.csv" in names
    assert "socplan/db/migrations/versions/0001_foundation.py" in names
    assert "socplan/db/migrations/script.py.mako" in names
