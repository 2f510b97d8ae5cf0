"""Alembic environment, driven from code (``socplan.db.migrate``); no alembic.ini."""

from __future__ import annotations

from alembic import context

from socplan.db.base import Base
import socplan.db.models  # noqa: F401  (fills Base.metadata)

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from socplan.db.engine import create_sqlite_engine
        from pathlib import Path

        engine = create_sqlite_engine(Path(config.get_main_option("socplan.db_path")))
        with engine.connect() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
