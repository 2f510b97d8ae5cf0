"""Bad database files: a clear Russian message, the file untouched, another one can be chosen."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from socplan.db.database import DatabaseInUseError, DatabaseOpenError, lock_path, open_database


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "отчёт.sqlite"
    path.write_text("Это не база данных, а текст.", encoding="utf-8")
    before = _digest(path)
    with pytest.raises(DatabaseOpenError, match="не является базой данных СоцПлан"):
        open_database(path)
    assert _digest(path) == before


def test_corrupted_database_is_refused_and_left_untouched(empty_db_template, tmp_path):
    path = tmp_path / "broken.sqlite"
    data = bytearray(empty_db_template.read_bytes())
    data[100:] = b"\xff" * (len(data) - 100)  # keep the 100-byte header, destroy every page
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(DatabaseOpenError, match="повреждён"):
        open_database(path)
    assert _digest(path) == before


def test_database_of_a_newer_version_is_refused(empty_db_template, tmp_path):
    path = tmp_path / "newer.sqlite"
    path.write_bytes(empty_db_template.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseOpenError, match="более новой версией"):
        open_database(path)
    assert _digest(path) == before


def test_other_programs_sqlite_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOpenError, match="другой программы"):
        open_database(path)


def test_missing_folder_is_never_created(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    with pytest.raises(DatabaseOpenError, match="Папка .* не найдена"):
        open_database(blocker / "sub" / "db.sqlite", create=True)
    with pytest.raises(DatabaseOpenError, match="Папка .* не найдена"):
        open_database(tmp_path / "нет" / "db.sqlite", create=True)
    assert not (tmp_path / "нет").exists()


def test_a_missing_file_is_never_created_implicitly(tmp_path):
    from socplan.db.database import DatabaseNotFoundError

    for path in (tmp_path / "нет.sqlite", tmp_path / "опечатка" / "нет.sqlite"):
        with pytest.raises(DatabaseNotFoundError, match="не найден.*db init"):
            open_database(path)
        assert not path.exists()
    empty = tmp_path / "пустой.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(DatabaseNotFoundError):
        open_database(empty)
    assert empty.read_bytes() == b""


def test_second_instance_is_told_the_database_is_in_use(tmp_path):
    path = tmp_path / "shared.sqlite"
    first = open_database(path, create=True)
    try:
        with pytest.raises(DatabaseInUseError, match="уже открыта"):
            open_database(path)
    finally:
        first.close()
    again = open_database(path)  # released: opens
    again.close()


def test_stale_lock_file_left_by_a_crash_does_not_block(tmp_path):
    path = tmp_path / "crashed.sqlite"
    open_database(path, create=True).close()
    lock_path(path).write_text("12345")  # a lock file nobody holds
    db = open_database(path)
    db.close()


def test_earlier_version_is_migrated_with_backup_and_keeps_data(tmp_path):
    from alembic import command

    from socplan.db import migrate
    from socplan.db.engine import create_sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = create_sqlite_engine(path)
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO territory (name, kind, okato, sort_order) VALUES ('Омская область', 'region', '', 0)")
    engine.dispose()

    db = open_database(path)
    try:
        assert set(db.revisions()) == migrate.script_heads()
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name FROM territory").scalar() == "Омская область"
    finally:
        db.close()
    backups = list((tmp_path / "backups").glob("old-перед-обновлением-*.sqlite"))
    if migrate.script_heads() != {"0001"}:
        assert len(backups) == 1
        conn = sqlite3.connect(backups[0])
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        conn.close()
