"""Database maintenance: about-information, backups, restoring from a copy."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from socplan import __version__
from socplan.db import backup as db_backup
from socplan.db.database import Database, DatabaseOpenError, open_database, timestamp
from socplan.db.engine import is_sqlite_file


@dataclass(frozen=True)
class AboutInfo:
    version: str
    database_path: str
    schema_revisions: tuple[str, ...]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    label: str


def about(db: Database) -> AboutInfo:
    return AboutInfo(__version__, str(db.path), tuple(db.revisions()))


def list_backups(db: Database) -> list[BackupInfo]:
    import datetime as dt

    out = []
    for path in db_backup.list_backups(db.path):
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%d.%m.%Y %H:%M")
        out.append(BackupInfo(path, f"{when} — {path.name}"))
    return out


def daily_backup(db: Database) -> Path | None:
    return db_backup.daily_backup(db.engine, db.path)


def restore_from_backup(db: Database, source: Path) -> Database:
    """Replace the open database by a backup copy. The current state is backed up first.

    ``db`` is closed; the returned database is the restored, migrated one.
    """
    if db.backend == "postgresql":
        raise DatabaseOpenError(
            "Общую базу на сервере PostgreSQL восстанавливает администратор сервера из копии pg_dump "
            "(pg_restore в пустую базу). База не изменена."
        )
    source = Path(source)
    if not source.is_file() or not is_sqlite_file(source):
        raise DatabaseOpenError(f"Файл «{source.name}» не является резервной копией базы СоцПлан.")
    check = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise DatabaseOpenError(f"Резервная копия «{source.name}» повреждена. Выберите другую копию.")
    finally:
        check.close()
    path = db.path
    db.backup(db_backup.default_backup_dir(path) / f"{path.stem}-перед-восстановлением-{timestamp()}.sqlite")
    raw = db.engine.raw_connection()
    try:
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            src.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            src.close()
    finally:
        raw.close()
    db.close()
    return open_database(path)
