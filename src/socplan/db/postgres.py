"""The PostgreSQL back-end: a shared database on the Ministry's office server (psycopg 3).

The address is ``postgresql://user@host[:port]/dbname``. The password is never part of it and never
stored by the application: libpq finds it itself (``PGPASSWORD``, ``~/.pgpass`` / ``PGPASSFILE``,
``PGSERVICE`` service files) or the GUI asks for it and passes it for this connection only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from socplan import APP_ID
from socplan.db import migrate
from socplan.db.errors import DatabaseOpenError
from socplan.db.opened import Database
# the engine's own operations, below the open database (pg_engine.py); their names stay reachable here
from socplan.db.pg_engine import (ACCESS_DENIED, ServerAccessDenied, access_denied, backup_to,  # noqa: F401
                                  create_postgres_engine, find_tool, integrity_problems, libpq_conninfo)

#: Key of the advisory lock that serialises schema upgrades of several clients starting at once.
MIGRATION_LOCK_KEY = 0x50C91A4


def parse_server_url(location: str) -> URL:
    """``postgresql://user@host/db`` → SQLAlchemy URL for psycopg 3; a password in it is refused."""
    try:
        url = make_url(location.strip())
    except ArgumentError as exc:
        raise DatabaseOpenError(
            f"Адрес сервера «{location}» записан неверно. Пример: postgresql://ivanova@server.mintrud.local/socplan"
        ) from exc
    if url.password:
        raise DatabaseOpenError(
            "Пароль в адресе базы данных не указывается и программой не хранится. Уберите его из адреса и "
            "задайте пароль через переменную PGPASSWORD, файл .pgpass (PGPASSFILE) или файл служб PGSERVICE."
        )
    if not url.database:
        raise DatabaseOpenError(
            f"В адресе «{location}» не указано имя базы данных. Пример: postgresql://ivanova@server/socplan"
        )
    return url.set(drivername="postgresql+psycopg")


def display_url(url: URL | str) -> str:
    """The address as a user writes it (no driver name, never a password)."""
    if isinstance(url, str):
        url = make_url(url)
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def local_path(url: URL) -> Path:
    """A local stand-in for ``Database.path``: the folder next to it keeps this server's pg_dump copies."""
    base = os.environ.get("SOCPLAN_DATA_DIR")
    if not base:
        from platformdirs import user_data_dir

        base = user_data_dir(APP_ID, appauthor=False)
    name = re.sub(r"[^\w.-]+", "_", f"{url.host or 'local'}-{url.port or 5432}-{url.database}")
    return Path(base) / "server" / f"{name}.pg"


class PasswordRequired(DatabaseOpenError):
    """The server wants a password that libpq did not find (PGPASSWORD, .pgpass): the GUI asks for it."""


def _connection_error(url: URL, exc: Exception) -> DatabaseOpenError:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    hint = ("Проверьте адрес, имя пользователя и пароль (PGPASSWORD или .pgpass), "
            "и что сервер доступен; если нужно, обратитесь к администратору сервера.")
    if "password" in first.lower() or "парол" in first.lower():
        return PasswordRequired(f"Не удалось подключиться к базе «{display_url(url)}»: {first}. Пароль не подошёл "
                                "или не задан: введите его или задайте через PGPASSWORD или файл .pgpass.")
    return DatabaseOpenError(f"Не удалось подключиться к базе «{display_url(url)}»: {first}. {hint}")


def open_server_database(location: str, *, create: bool = True, migrate_schema: bool = True,
                         backup_dir: Path | None = None, password: str | None = None) -> Database:
    """Connect, check that the database is SocPlan's (or empty), and migrate it under an advisory lock."""
    url = parse_server_url(location)
    engine = create_postgres_engine(url, password=password)
    try:
        try:
            with engine.connect() as conn:
                tables = set(conn.execute(text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
                revisions: set[str] = set()
                if "alembic_version" in tables:
                    revisions = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        except DBAPIError as exc:
            raise _connection_error(url, exc) from exc
        if tables and "alembic_version" not in tables:
            raise DatabaseOpenError(
                f"База «{display_url(url)}» на сервере принадлежит другой программе. Ничего не изменено. "
                "Укажите другую базу данных."
            )
        unknown = revisions - migrate.known_revisions()
        if unknown:
            raise DatabaseOpenError(
                f"База данных «{display_url(url)}» создана более новой версией СоцПлан (схема "
                f"{', '.join(sorted(unknown))}). Ничего не изменено. Обновите программу."
            )
        if not revisions and not create:
            raise DatabaseOpenError(
                f"База данных «{display_url(url)}» на сервере пуста (не создана схема СоцПлан). "
                "Создайте её командой «socplan db upgrade --db АДРЕС»."
            )
        db = Database(path=local_path(url), engine=engine, url=display_url(url))
        if migrate_schema and migrate.needs_upgrade(engine):
            if revisions:
                from socplan.db import backup

                backup.backup_before_migration(engine, db.path, backup_dir)
            upgrade_locked(engine)
        return db
    except BaseException:
        engine.dispose()
        raise


def upgrade_locked(engine: Engine) -> None:
    """``alembic upgrade heads`` in one transaction holding an advisory lock: one client migrates, others wait."""
    from alembic import command

    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


# -- server logins and row-level security ---------------------------------------------------------------------

def register_login(engine: Engine, login: str, *, territory_id: int | None, user_name: str = "",
                   position: str = "", role: str = "", user_id: int | None = None,
                   manages_users: bool = False) -> None:
    """Bind an existing server login to a territory (``None``: the whole region) or to an application user
    (``user_id``: the user's role and territory then apply, also to row-level security) and give it the
    rights to work: reading and writing the application's tables, never the logins table or the schema
    version; the users table only for a login that ``manages_users`` (an administrator)."""
    from psycopg import sql

    from socplan.db.models.server import ServerLogin

    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r AND rolcanlogin"), {"r": login}).first()
        if not exists:
            raise DatabaseOpenError(
                f"На сервере нет учётной записи «{login}» с правом входа. Попросите администратора сервера создать "
                f"её (CREATE ROLE \"{login}\" LOGIN PASSWORD '…') и повторите."
            )
        table = ServerLogin.__table__
        conn.execute(table.delete().where(table.c.login == login))
        conn.execute(table.insert().values(login=login, territory_id=territory_id, user_name=user_name,
                                           position=position, role=role, user_id=user_id))
        raw = conn.connection.driver_connection  # psycopg: compose identifiers safely
        who = sql.Identifier(login).as_string(raw)
        schema = sql.Identifier(conn.execute(text("SELECT current_schema()")).scalar_one()).as_string(raw)
        for statement in (
            f"GRANT USAGE ON SCHEMA {schema} TO {who}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
            f"REVOKE INSERT, UPDATE, DELETE ON srv_login, alembic_version FROM {who}",
            *([] if manages_users else [f"REVOKE INSERT, UPDATE, DELETE ON app_user FROM {who}"]),
        ):
            conn.exec_driver_sql(statement)


@dataclass(frozen=True)
class LoginUser:
    login: str
    user_name: str
    position: str
    role: str
    territory_id: int | None


def login_user(engine: Engine) -> LoginUser | None:
    """Who is connected (``session_user``) according to the logins table — the bound application user's name,
    position, role and territory where the login is bound to one; ``None`` if not registered."""
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT l.login, COALESCE(u.name, l.user_name), COALESCE(u.position, l.position), "
            "COALESCE(u.role, l.role), CASE WHEN l.user_id IS NULL THEN l.territory_id ELSE u.territory_id END "
            "FROM srv_login l LEFT JOIN app_user u ON u.id = l.user_id WHERE l.login = session_user")).first()
    return LoginUser(*row) if row else None
