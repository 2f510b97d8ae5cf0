"""Helpers of the hardening trials: a database that cannot grow (SQLite's ``max_page_count``), content
fingerprints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # importlib mode: make the helpers importable


@pytest.fixture
def full_disk(monkeypatch):  # noqa: ANN001, ANN201
    """Every database opened from now on cannot grow beyond ``limit["pages"]`` pages (1: not at all)."""
    from sqlalchemy import event

    import socplan.db.database as database
    from socplan.db.engine import create_sqlite_engine

    limit = {"pages": 1}

    def limited(path):  # noqa: ANN001, ANN202
        engine = create_sqlite_engine(path)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection, _record):  # noqa: ANN001
            dbapi_connection.execute(f"PRAGMA max_page_count={limit['pages']}")

        return engine

    monkeypatch.setattr(database, "create_sqlite_engine", limited)
    return limit
