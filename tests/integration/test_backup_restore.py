import datetime as dt
import sqlite3

import pytest
from sqlalchemy import select

from socplan.db import backup
from socplan.db.models import Territory
from socplan.services import maintenance


@pytest.mark.sqlite_only(reason="SQLite backup files (the backup API, .sqlite copies); pg_dump copies are tested in tests/postgres")
def test_daily_backups_keep_the_last_seven(empty_db):
    for day in range(1, 11):
        backup.daily_backup(empty_db.engine, empty_db.path, today=dt.date(2026, 11, day))
    kept = sorted(p.name for p in (empty_db.path.parent / "backups").glob("test-????-??-??.sqlite"))
    assert kept == [f"test-2026-11-{d:02d}.sqlite" for d in range(4, 11)]


@pytest.mark.sqlite_only(reason="SQLite backup files (the backup API, .sqlite copies); pg_dump copies are tested in tests/postgres")
def test_daily_backup_is_made_once_a_day(empty_db):
    first = backup.daily_backup(empty_db.engine, empty_db.path, today=dt.date(2026, 11, 22))
    second = backup.daily_backup(empty_db.engine, empty_db.path, today=dt.date(2026, 11, 22))
    assert first is not None and second is None


@pytest.mark.sqlite_only(reason="SQLite backup files (the backup API, .sqlite copies); pg_dump copies are tested in tests/postgres")
def test_backup_is_a_consistent_sqlite_copy(ctx, tmp_path):
    with ctx.uow() as s:
        s.add(Territory(name="Район до копии", kind="district"))
        s.commit()
    target = ctx.db.backup(tmp_path / "copy.sqlite")
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT name FROM territory").fetchall() == [("Район до копии",)]
    conn.close()


@pytest.mark.sqlite_only(reason="SQLite backup files (the backup API, .sqlite copies); pg_dump copies are tested in tests/postgres")
def test_restore_from_backup_brings_back_the_old_state(ctx, tmp_path):
    with ctx.uow() as s:
        s.add(Territory(name="Было", kind="district"))
        s.commit()
    copy = ctx.db.backup(tmp_path / "b" / "copy.sqlite")
    with ctx.uow() as s:
        s.scalar(select(Territory)).name = "Стало"
        s.commit()
    restored = maintenance.restore_from_backup(ctx.db, copy)
    try:
        with restored.session() as s:
            assert s.scalars(select(Territory.name)).all() == ["Было"]
        names = [b.path.name for b in maintenance.list_backups(restored)]
        assert any("перед-восстановлением" in n for n in names)
    finally:
        restored.close()
        ctx.db.close = lambda: None  # already closed by restore


@pytest.mark.sqlite_only(reason="SQLite backup files (the backup API, .sqlite copies); pg_dump copies are tested in tests/postgres")
def test_restore_refuses_a_non_database(ctx, tmp_path):
    import pytest

    from socplan.db.database import DatabaseOpenError

    bad = tmp_path / "bad.sqlite"
    bad.write_text("нет")
    with pytest.raises(DatabaseOpenError, match="не является резервной копией"):
        maintenance.restore_from_backup(ctx.db, bad)
