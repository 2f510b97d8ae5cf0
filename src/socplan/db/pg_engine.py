"""The PostgreSQL engine and what an open server database does differently (the counterpart of
:mod:`socplan.db.engine` for SQLite): creating the engine (a typed password kept in memory only), the
integrity check, ``pg_dump`` backups and the Russian message for a refusal by the server's rights.

Opening a server database (checks, migration under an advisory lock) and the server's logins live in
:mod:`socplan.db.postgres`, above the open database."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import weakref
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, create_engine, text
from sqlalchemy.engine import URL

from socplan import APP_ID
from socplan.db.errors import DatabaseOpenError
from socplan.domain.errors import SocPlanError

_typed_passwords: "weakref.WeakKeyDictionary[Engine, str]" = weakref.WeakKeyDictionary()


def libpq_conninfo(url: URL) -> str:
    """The address for libpq tools (pg_dump): the same user, host, port and database, no password."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def create_postgres_engine(url: URL, *, password: str | None = None) -> Engine:
    connect_args: dict[str, object] = {"connect_timeout": 10, "application_name": APP_ID}
    if password:
        connect_args["password"] = password  # typed in the GUI for this connection; never saved
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    if password:
        _typed_passwords[engine] = password  # in memory only, for pg_dump of the same session
    return engine


def integrity_problems(engine: Engine) -> list[str]:
    """The server enforces references itself; report constraints left unvalidated and schema drift."""
    problems: list[str] = []
    with engine.connect() as conn:
        for table, name in conn.execute(text(
                "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace "
                "WHERE n.nspname = current_schema() AND NOT c.convalidated")):
            problems.append(f"Ограничение «{name}» таблицы «{table}» не проверено сервером (NOT VALID)")
    from socplan.db import migrate

    missing = migrate.script_heads() - migrate.current_revisions(engine)
    if missing:
        problems.append(f"Схема базы не обновлена до текущей версии (нет {', '.join(sorted(missing))})")
    return problems


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` values drawn from the id column's sequence (what its default would draw, row by row): sequences
    never give a value twice, so the rows of a bulk insert can name their ids whatever other sessions insert."""
    sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar()
    if sequence is None:
        raise RuntimeError(f"{table.name}: у столбца id нет последовательности")
    return list(conn.execute(text("SELECT nextval(:s) FROM generate_series(1, :n)"),
                             {"s": sequence, "n": count}).scalars())


def find_tool(name: str) -> str | None:
    """A PostgreSQL client program on PATH or in Debian's /usr/lib/postgresql/N/bin (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(re.search(r"/(\d+)/bin/", p).group(1)), reverse=True)  # type: ignore[union-attr]
    return candidates[0] if candidates else None


def backup_to(engine: Engine, target: Path) -> None:
    """``pg_dump --format=custom`` of the whole database into ``target`` (restore with ``pg_restore``)."""
    pg_dump = find_tool("pg_dump")
    if pg_dump is None:
        raise DatabaseOpenError(
            "Для резервной копии базы на сервере PostgreSQL нужна программа pg_dump: установите клиент "
            "PostgreSQL (пакет postgresql-client) или обратитесь к администратору сервера."
        )
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    password = _typed_passwords.get(engine)
    if password:
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={libpq_conninfo(engine.url)}"],
        capture_output=True, text=True, env=env, timeout=3600, check=False,
    )
    if result.returncode != 0:
        target.unlink(missing_ok=True)
        raise DatabaseOpenError(f"pg_dump не смог сделать резервную копию: {result.stderr.strip()}")


ACCESS_DENIED = {"42501"}  # insufficient_privilege, also «new row violates row-level security policy»


class ServerAccessDenied(SocPlanError):
    """The server refused: rights of the login or row-level security."""


def access_denied(exc: BaseException) -> ServerAccessDenied | None:
    """A Russian message for a refusal by the server's rights or row-level security; else ``None``."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if code not in ACCESS_DENIED:
        return None
    return ServerAccessDenied(
        "Сервер базы данных отказал: у вашей учётной записи нет прав на это действие (например, данные другой "
        "территории видны и изменяются только её пользователями). Ничего не изменено; при необходимости "
        "обратитесь к администратору."
    )
