"""The one place that knows where resources live: source checkout, installed wheel, frozen bundle.

The "are we frozen?" check (``sys._MEIPASS``) exists only here.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


@cache
def resources_root() -> Path:
    """Folder holding fonts, demo data, templates, icons."""
    candidates = []
    if is_frozen():
        candidates.append(Path(sys._MEIPASS) / "resources")  # type: ignore[attr-defined]
    candidates.append(_PACKAGE_DIR / "_resources")  # installed wheel (force-include)
    candidates.append(_PACKAGE_DIR.parents[1] / "resources")  # source checkout / editable install
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError(
        "Не найдена папка ресурсов СоцПлан (шрифты, демонстрационные данные). "
        "Переустановите программу. Проверены: " + ", ".join(str(c) for c in candidates)
    )


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def migrations_dir() -> Path:
    """Alembic scripts ship inside the package (and as data in the frozen bundle)."""
    if is_frozen():
        return Path(sys._MEIPASS) / "socplan" / "db" / "migrations"  # type: ignore[attr-defined]
    return _PACKAGE_DIR / "db" / "migrations"


FONT_FILES = {
    "serif": "LiberationSerif-Regular.ttf",
    "serif-bold": "LiberationSerif-Bold.ttf",
    "serif-italic": "LiberationSerif-Italic.ttf",
    "serif-bolditalic": "LiberationSerif-BoldItalic.ttf",
    "sans": "LiberationSans-Regular.ttf",
    "sans-bold": "LiberationSans-Bold.ttf",
}


def font_path(key: str) -> Path:
    return resource_path("fonts", FONT_FILES[key])
