"""Engine creation. The only module that knows the database is SQLite."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select

from socplan.domain.errors import SocPlanError

BUSY_TIMEOUT_MS = 5000
SQLITE_FULL = 13


class DiskFullError(SocPlanError):
    """SQLite could not grow the file (disk full, quota, ``max_page_count``); the transaction was rolled back."""


def disk_full_message(name: str) -> str:
    return (f"Недостаточно места на диске для базы данных «{name}»; база не изменена. Освободите место на диске "
            "(или перенесите базу на другой диск) и повторите действие.")


def is_disk_full(exc: BaseException | None) -> bool:
    """SQLITE_FULL from the driver (its English text «database or disk is full» is never shown to the user)."""
    import sqlite3

    return isinstance(exc, sqlite3.Error) and (getattr(exc, "sqlite_errorcode", None) == SQLITE_FULL
                                               or "database or disk is full" in str(exc))


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{Path(path).as_posix()}"


def create_sqlite_engine(path: Path) -> Engine:
    """WAL, ``synchronous=FULL``, foreign keys on, a busy timeout — on every connection."""
    engine = create_engine(sqlite_url(path), connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):  # noqa: ANN001
        # pysqlite's own transaction handling is disabled so that BEGIN is ours (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "handle_error")
    def _disk_full(context):  # noqa: ANN001
        # Replaces the driver's English error (with the SQL and its parameters) by the Russian one; the unit of
        # work then rolls the transaction back, so nothing of it is written.
        if is_disk_full(context.original_exception):
            raise DiskFullError(disk_full_message(Path(path).name)) from context.original_exception

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN")

    return engine


def integrity_problems(engine: Engine) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check``, as Russian lines (empty list: all good)."""
    problems: list[str] = []
    with engine.connect() as conn:
        for (line,) in conn.exec_driver_sql("PRAGMA integrity_check").fetchall():
            if line != "ok":
                problems.append(f"Повреждение файла базы данных: {line}")
        for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
            table, rowid, parent, _fk = row
            problems.append(
                f"Нарушена ссылочная целостность: таблица «{table}», запись {rowid} ссылается "
                f"на отсутствующую запись таблицы «{parent}»"
            )
    return problems


def backup_to(engine: Engine, target: Path) -> None:
    """Online copy through SQLite's backup API (never a raw file copy of a live WAL database)."""
    import sqlite3

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = engine.raw_connection()
    try:
        dest = sqlite3.connect(str(target))
        try:
            raw.driver_connection.backup(dest)  # type: ignore[union-attr]
        finally:
            dest.close()
    finally:
        raw.close()


def reserve_ids(conn: Connection, table: Table, count: int) -> range:
    """The ``count`` ids SQLite would give the next rows itself (the largest ``id`` + 1, …; the documented rowid
    choice of a table without AUTOINCREMENT), for a bulk insert that names its ids instead of reading them back.

    Nothing can take them in between: SQLite has one writer, and a transaction that read a snapshot another
    connection has since written past fails on its first write (SQLITE_BUSY) — the unit of work rolls back — instead
    of inserting over it. A taken id would fail the primary key, never overwrite a row."""
    top = conn.execute(select(func.max(table.c.id))).scalar() or 0
    return range(top + 1, top + 1 + count)


def is_sqlite_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def read_only_uri(path: Path) -> str:
    """A read-only SQLite URI that leaves no ``-wal``/``-shm`` files behind.

    A read-only connection to a WAL database creates both files and, being read-only, cannot remove them. When
    neither exists, no one has the database open and its file is complete, so it is opened as immutable (no
    shared memory, no journal); otherwise the files belong to whoever has it open and are used as they are.
    """
    from urllib.parse import quote

    path = Path(path)

    base = f"file:{quote(path.as_posix())}?mode=ro"
    in_use = any(Path(str(path) + suffix).exists() for suffix in ("-wal", "-shm"))
    return base if in_use else base + "&immutable=1"
