"""Opening a database file safely: checks, single-writer lock, backup, migration.

Every failure is a :class:`DatabaseOpenError` with a Russian message and leaves the file untouched. The open
database (:class:`Database`, ``opened.py``) and the errors (``errors.py``) live below the opening code and are
reachable here under their old names.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from filelock import FileLock, Timeout

from socplan.db import backup, schema_version
from socplan.db.backend import is_server_url
from socplan.db.engine import create_sqlite_engine, is_sqlite_file, read_only_uri
from socplan.db.errors import DatabaseInUseError, DatabaseNotFoundError, DatabaseOpenError
from socplan.db.opened import Database


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _acquire_lock(db_path: Path) -> FileLock:
    # An OS-level lock (fcntl / msvcrt): a crashed instance releases it by itself (stale-lock recovery).
    lock = FileLock(str(lock_path(db_path)), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise DatabaseInUseError(
            f"База данных «{db_path}» уже открыта в другом окне СоцПлан или другим пользователем. "
            "Закройте другую копию программы или выберите другой файл."
        ) from exc
    except OSError as exc:
        raise DatabaseOpenError(
            f"Нет доступа к папке «{db_path.parent}»: {exc.strerror}. Выберите папку, в которую разрешена запись."
        ) from exc
    return lock


def open_database(path: Path | str, *, create: bool = False, migrate_schema: bool = True,
                  backup_dir: Path | None = None, lock: bool = True) -> Database:
    """Open the database file at ``path`` and migrate it.

    A missing (or empty) file is an error (:class:`DatabaseNotFoundError`) unless the caller creates a database
    on purpose (``create=True``: ``db init``, the first-run wizard, the demo, tests): never an implicit new one.
    ``path`` may also be a server address ``postgresql://user@host/dbname`` (see :mod:`socplan.db.postgres`):
    that database is created on the server by its administrator, so opening it creates only the schema (a
    working database's data arrive by ``socplan db copy``; demo data never go to a server).
    """
    if is_server_url(path):
        from socplan.db.postgres import open_server_database

        return open_server_database(str(path), create=True, migrate_schema=migrate_schema, backup_dir=backup_dir)
    path = Path(path).expanduser().resolve()
    exists = path.exists()
    if exists and path.is_dir():
        raise DatabaseOpenError(f"«{path}» — это папка, а не файл базы данных. Выберите файл.")
    if exists and path.stat().st_size == 0 and not create:
        raise DatabaseNotFoundError(path)
    if not exists:
        if not create:
            raise DatabaseNotFoundError(path)
        if not path.parent.is_dir():
            raise DatabaseOpenError(
                f"Папка «{path.parent}» не найдена. Создайте её или выберите другое место для базы данных.")
        if not os.access(path.parent, os.W_OK):
            raise DatabaseOpenError(
                f"В папку «{path.parent}» запрещена запись. Выберите другое место для базы данных."
            )
    elif path.stat().st_size > 0 and not is_sqlite_file(path):
        raise DatabaseOpenError(
            f"Файл «{path.name}» не является базой данных СоцПлан (это не файл SQLite). "
            "Файл не изменён. Выберите другой файл или создайте новую базу."
        )
    elif not os.access(path, os.W_OK):
        raise DatabaseOpenError(f"Файл «{path}» доступен только для чтения. Выберите файл, в который разрешена запись.")

    lock_existed = lock_path(path).exists()
    file_lock = _acquire_lock(path) if lock else None
    engine = None
    try:
        if exists:
            _check_existing(path)
        engine = create_sqlite_engine(path)
        db = Database(path=path, engine=engine, _lock=file_lock)
        if migrate_schema and schema_version.needs_upgrade(engine):
            from socplan.db import migrate  # Alembic only when an upgrade is due

            if exists and schema_version.stored(engine):
                backup.backup_before_migration(engine, path, backup_dir)
            migrate.upgrade(engine)
        db.is_demo = db.read_info().get("kind") == "demo"
        return db
    except BaseException:
        if engine is not None:
            engine.dispose()
        if file_lock is not None:
            file_lock.release()
            if not lock_existed:  # a refused open leaves the folder as it was
                lock_path(path).unlink(missing_ok=True)
        raise


def _check_existing(path: Path) -> None:
    """Corruption and version checks on a read-only connection, before anything is written."""
    import sqlite3

    uri = read_only_uri(path)
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchall()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions: set[str] = set()
            if "alembic_version" in tables:
                revisions = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(
            f"Файл «{path.name}» повреждён или не является базой данных. Файл не изменён. "
            "Восстановите базу из резервной копии или создайте новую."
        ) from exc
    if result != [("ok",)]:
        raise DatabaseOpenError(
            f"Файл «{path.name}» повреждён: {result[0][0]}. Файл не изменён. "
            "Восстановите базу из резервной копии («Файл → Восстановить из копии»)."
        )
    if tables and "alembic_version" not in tables:
        raise DatabaseOpenError(
            f"Файл «{path.name}» — база данных другой программы. Файл не изменён. Выберите другой файл."
        )
    unknown = revisions - schema_version.known()
    if unknown:
        raise DatabaseOpenError(
            f"База данных «{path.name}» создана более новой версией СоцПлан (схема {', '.join(sorted(unknown))}). "
            "Файл не изменён. Обновите программу, чтобы открыть эту базу."
        )


def timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


__all__ = ["Database", "DatabaseInUseError", "DatabaseNotFoundError", "DatabaseOpenError", "open_database"]
