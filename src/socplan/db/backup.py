"""Backups through SQLite's backup API: before every migration, daily while in use (last 7 kept)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from socplan.db.engine import DiskFullError, backup_to, is_disk_full

DAILY_KEEP = 7


def default_backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_to_file(engine: Engine, target: Path) -> Path:
    """A copy through SQLite's backup API; a full disk leaves no half-written copy and a Russian message."""
    import sqlite3

    try:
        backup_to(engine, target)
    except (sqlite3.Error, DiskFullError) as exc:
        Path(target).unlink(missing_ok=True)
        if isinstance(exc, DiskFullError) or is_disk_full(exc):
            raise DiskFullError(f"Недостаточно места на диске для резервной копии «{Path(target).name}»; база не "
                                "изменена. Освободите место на диске и повторите.") from exc
        raise
    return target


def backup_before_migration(engine: Engine, db_path: Path, backup_dir: Path | None = None) -> Path:
    folder = backup_dir or default_backup_dir(db_path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_to_file(engine, folder / f"{db_path.stem}-перед-обновлением-{stamp}.sqlite")


def daily_backup(engine: Engine, db_path: Path, backup_dir: Path | None = None,
                 today: dt.date | None = None) -> Path | None:
    """Make today's copy if there is none yet; keep the newest ``DAILY_KEEP`` daily copies."""
    folder = backup_dir or default_backup_dir(db_path)
    today = today or dt.date.today()
    target = folder / f"{db_path.stem}-{today:%Y-%m-%d}.sqlite"
    made = None
    if not target.exists():
        made = backup_to_file(engine, target)
    daily = sorted(folder.glob(f"{db_path.stem}-????-??-??.sqlite"))
    for old in daily[:-DAILY_KEEP]:
        old.unlink(missing_ok=True)
    return made


def list_backups(db_path: Path, backup_dir: Path | None = None) -> list[Path]:
    folder = backup_dir or default_backup_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_path.stem}-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
