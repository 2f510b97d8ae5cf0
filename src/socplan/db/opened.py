"""An open database: engine, session factory, the lock that keeps other instances out. What differs between
SQLite and PostgreSQL once a database is open is asked of :mod:`socplan.db.backend`; opening lives in
:mod:`socplan.db.database` (files) and :mod:`socplan.db.postgres` (a server), both above this module."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from filelock import FileLock
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

import socplan.db.audit  # noqa: F401  (registers the audit listener)
from socplan.db import backup, schema_version
from socplan.db.backend import backend_for


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
                from socplan.db.pg_engine import access_denied

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
