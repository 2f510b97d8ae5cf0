"""The one small interface behind which SQLite and PostgreSQL differ.

Opening (file checks and lock for SQLite, a server connection for PostgreSQL) lives in
:mod:`socplan.db.database` and :mod:`socplan.db.postgres`; what an *open* database does differently —
integrity check, backup, the backup file's suffix — is chosen here from the engine's dialect.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:  # a type only: settings (and so `socplan --help`) must not import SQLAlchemy
    from sqlalchemy import Connection, Engine, Table

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_url(location: object) -> bool:
    """True for ``postgresql://user@host/dbname`` (a shared server database), False for a file path."""
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" | "postgresql"
    label: str  # Russian, for messages
    backup_suffix: str
    integrity_problems: Callable[[Engine], list[str]]
    backup_to: Callable[[Engine, Path], None]
    #: ``count`` new primary keys of ``table`` for rows this transaction inserts with explicit ids (bulk imports)
    reserve_ids: Callable[[Connection, Table, int], Sequence[int]]


def _sqlite() -> Backend:
    from socplan.db import engine as sqlite_engine

    return Backend("sqlite", "файл SQLite", ".sqlite", sqlite_engine.integrity_problems, sqlite_engine.backup_to,
                   sqlite_engine.reserve_ids)


def _postgresql() -> Backend:
    from socplan.db import pg_engine

    return Backend("postgresql", "сервер PostgreSQL", ".dump", pg_engine.integrity_problems, pg_engine.backup_to,
                   pg_engine.reserve_ids)


def backend_for(engine: Engine | Connection) -> Backend:
    if engine.dialect.name == "postgresql":
        return _postgresql()
    return _sqlite()
