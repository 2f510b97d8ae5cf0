"""Application settings (database file, current user) kept as JSON in the user's config folder.

``SOCPLAN_CONFIG_DIR`` and ``SOCPLAN_DATA_DIR`` override the folders (tests, portable installs).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from socplan import APP_ID
from socplan.db.backend import is_server_url


def config_dir() -> Path:
    return Path(os.environ.get("SOCPLAN_CONFIG_DIR") or user_config_dir(APP_ID, appauthor=False))


def data_dir() -> Path:
    return Path(os.environ.get("SOCPLAN_DATA_DIR") or user_data_dir(APP_ID, appauthor=False))


def default_db_path() -> Path:
    """Where a working database is created unless the user picks another file."""
    return data_dir() / "socplan.sqlite"


def demo_db_path() -> Path:
    """The demo database: its own file, never the working one."""
    return data_dir() / "socplan-demo.sqlite"


@dataclass
class Settings:
    db_path: str = ""
    user_name: str = ""
    user_position: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def database_path(self) -> Path | str:
        """The database file, or a saved server profile ``postgresql://user@host/db`` (never a password)."""
        if self.db_path and is_server_url(self.db_path):
            return self.db_path
        return Path(self.db_path) if self.db_path else default_db_path()

    @property
    def working_database(self) -> Path | str | None:
        """The database to open: the one chosen (a file, or a saved server profile ``postgresql://…``), else a
        working database at the default place; None before a working database was created (the window then
        opens the demo, the command line says what to do)."""
        if self.db_path:
            return self.db_path if is_server_url(self.db_path) else Path(self.db_path)
        return default_db_path() if default_db_path().exists() else None


def settings_file() -> Path:
    return config_dir() / "settings.json"


def load_settings() -> Settings:
    path = settings_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {k: raw[k] for k in ("db_path", "user_name", "user_position", "extra") if k in raw}
    return Settings(**known)


def save_settings(settings: Settings) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
