"""Opening a database file safely: checks, single-writer lock, backup, migration.

Every failure is a :class:`DatabaseOpenError` with a Russian message and leaves the file untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import socplan.db.audit  # noqa: F401  (registers the audit listener)
from socplan.db import backup, schema_version
from socplan.db.backend import backend_for, is_server_url
from socplan.db.engine import create_sqlite_engine, is_sqlite_file
from socplan.domain.errors import SocPlanError


class DatabaseOpenError(SocPlanError):
    pass


class DatabaseInUseError(DatabaseOpenError):
    pass


class DatabaseNotFoundError(DatabaseOpenError):
    """The file does not exist (or is empty): a database is never created implicitly."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"Файл базы данных «{path}» не найден. Проверьте путь или создайте рабочую базу "
                         f"(команда «socplan --db {path} db init» или «Файл → Создать рабочую базу…» в окне).")
        self.path = path


@dataclass
class Database:
    """An open database: engine, session factory, the lock that keeps other instances out."""

    path: Path
    engine: Engine
    _lock: FileLock | None = None
    #: the demo database (``database_info.kind = demo``): marked in the window and on every printed page
    is_demo: bool = False
    #: ``postgresql://user@host/db`` (no password) for a server database; empty for a SQLite file.
    url: str = ""
    _session_factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._session_factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self, *, user_name: str = "", user_position: str = "", reason: str = "") -> Iterator[Session]:
        """One unit of work: commits only when the caller calls ``commit()``; rolls back on error."""
        session = self._session_factory()
        session.info.update(user_name=user_name, user_position=user_position, reason=reason)
        try:
            yield session
        except BaseException as exc:
            session.rollback()
            if self.url:  # a refusal by the server's rights or row-level security, in Russian
                from socplan.db.postgres import access_denied

                denied = access_denied(exc)
                if denied is not None:
                    raise denied from exc
            raise
        finally:
            session.close()

    def read_info(self) -> dict[str, str]:
        """The ``database_info`` rows (empty before the schema exists)."""
        from sqlalchemy import inspect, text

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("database_info"):
                return {}
            return {k: v for k, v in conn.execute(text("SELECT key, value FROM database_info"))}

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def label(self) -> str:
        """What the user sees: the file path or the server address."""
        return self.url or str(self.path)

    def revisions(self) -> list[str]:
        return sorted(schema_version.stored(self.engine))

    def check(self) -> list[str]:
        return backend_for(self.engine).integrity_problems(self.engine)

    def backup(self, target: Path) -> Path:
        backup.backup_to_file(self.engine, target)
        return target

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None and self._lock.is_locked:
            self._lock.release()
        self._lock = None


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


def read_only_uri(path: Path) -> str:
    """A read-only SQLite URI that leaves no ``-wal``/``-shm`` files behind.

    A read-only connection to a WAL database creates both files and, being read-only, cannot remove them. When
    neither exists, no one has the database open and its file is complete, so it is opened as immutable (no
    shared memory, no journal); otherwise the files belong to whoever has it open and are used as they are.
    """
    path = Path(path)
    from urllib.parse import quote

    base = f"file:{quote(path.as_posix())}?mode=ro"
    in_use = any(Path(str(path) + suffix).exists() for suffix in ("-wal", "-shm"))
    return base if in_use else base + "&immutable=1"


def timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


__all__ = ["Database", "DatabaseInUseError", "DatabaseNotFoundError", "DatabaseOpenError", "open_database"]
