"""Backups before every migration and daily while in use (last 7 kept).

SQLite: the backup API (``.sqlite`` copies); PostgreSQL: ``pg_dump`` (``.dump`` copies, restore with pg_restore).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from socplan.db.backend import backend_for
from socplan.db.engine import BUSY_TIMEOUT_MS, DiskFullError, backup_to, is_disk_full, is_sqlite_file, read_only_uri
from socplan.db.errors import DatabaseOpenError

DAILY_KEEP = 7


def default_backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup_to_file(engine: Engine, target: Path) -> Path:
    """A copy through SQLite's backup API (a full disk leaves no half-written copy and a Russian message), or
    ``pg_dump`` of a server database (the back-end decides)."""
    import sqlite3

    backend = backend_for(engine)
    if backend.name != "sqlite":
        backend.backup_to(engine, target)
        return target
    try:
        backup_to(engine, target)
    except (sqlite3.Error, DiskFullError) as exc:
        Path(target).unlink(missing_ok=True)
        if isinstance(exc, DiskFullError) or is_disk_full(exc):
            raise DiskFullError(f"Недостаточно места на диске для резервной копии «{Path(target).name}»; база не "
                                "изменена. Освободите место на диске и повторите.") from exc
        raise
    return target


def online_backup(db_path: Path, target: Path) -> Path:
    """``db backup``: copy a database file that may be open in the application right now.

    The source is read through SQLite's backup API on a read-only connection (no lock of ours, so a running
    window does not refuse it; the copy is one consistent snapshot even while the window writes). The copy is
    written beside the target and renamed at the end, so a failure never leaves half a file.
    """
    import os
    import sqlite3

    db_path, target = Path(db_path), Path(target)
    if not db_path.is_file():
        raise DatabaseOpenError(f"Файл базы данных «{db_path}» не найден. Укажите существующий файл.")
    if not is_sqlite_file(db_path):
        raise DatabaseOpenError(f"Файл «{db_path.name}» не является базой данных СоцПлан (это не файл SQLite). "
                                "Копия не сделана.")
    if target.resolve() == db_path.resolve():
        raise DatabaseOpenError("Копию нельзя записать поверх самой базы. Укажите другой файл.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseOpenError(f"Не удалось создать папку «{target.parent}»: {exc.strerror}.") from exc
    part = target.with_name(target.name + ".part")
    try:
        source = sqlite3.connect(read_only_uri(db_path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dest = sqlite3.connect(str(part))
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a self-contained file: no -wal beside the copy
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(part, target)
    except sqlite3.Error as exc:
        for leftover in (part, Path(str(part) + "-journal")):
            leftover.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise DiskFullError(f"Недостаточно места на диске для резервной копии «{target.name}»; база не "
                                "изменена. Освободите место на диске и повторите.") from exc
        raise DatabaseOpenError(f"Не удалось сделать копию базы «{db_path.name}»: файл повреждён или недоступен "
                                "для чтения. База не изменена.") from exc
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise DatabaseOpenError(f"Не удалось записать копию «{target}»: {exc.strerror}. База не изменена.") from exc
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
