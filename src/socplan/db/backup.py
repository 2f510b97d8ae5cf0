"""Backups before every migration and daily while in use (last 7 kept).

SQLite: the backup API (``.sqlite`` copies); PostgreSQL: ``pg_dump`` (``.dump`` copies, restore with pg_restore).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from socplan.db.backend import backend_for

DAILY_KEEP = 7


def default_backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_to_file(engine: Engine, target: Path) -> Path:
    backend_for(engine).backup_to(engine, target)
    return target


def backup_before_migration(engine: Engine, db_path: Path, backup_dir: Path | None = None) -> Path:
    folder = backup_dir or default_backup_dir(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = backend_for(engine).backup_suffix
    return backup_to_file(engine, folder / f"{db_path.stem}-перед-обновлением-{stamp}{suffix}")


def daily_backup(engine: Engine, db_path: Path, backup_dir: Path | None = None,
                 today: dt.date | None = None) -> Path | None:
    """Make today's copy if there is none yet; keep the newest ``DAILY_KEEP`` daily copies.

    Not for a shared server database: its backups are the server's (``socplan db backup`` runs pg_dump on
    request); every user's program dumping the whole Ministry database daily would only load the server."""
    if backend_for(engine).name == "postgresql":
        return None
    folder = backup_dir or default_backup_dir(db_path)
    today = today or dt.date.today()
    suffix = backend_for(engine).backup_suffix
    target = folder / f"{db_path.stem}-{today:%Y-%m-%d}{suffix}"
    made = None
    if not target.exists():
        made = backup_to_file(engine, target)
    daily = sorted(folder.glob(f"{db_path.stem}-????-??-??{suffix}"))
    for old in daily[:-DAILY_KEEP]:
        old.unlink(missing_ok=True)
    return made


def list_backups(db_path: Path, backup_dir: Path | None = None) -> list[Path]:
    folder = backup_dir or default_backup_dir(db_path)
    if not folder.is_dir():
        return []
    found = [*folder.glob(f"{db_path.stem}-*.sqlite"), *folder.glob(f"{db_path.stem}-*.dump")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
