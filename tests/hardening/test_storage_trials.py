"""Storage trials kept in the suite: kill -9 of an import at random moments (all or nothing, integrity ok, the next
start fine), `db backup` while the application has the database open and writes, a database from the first
migration (upgraded, data kept), a newer-schema and a damaged file (refused in Russian, file and folder as they
were: no .lock, -wal or -shm left)."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hardening_helpers import content_fingerprint

from socplan.cli import run

pytestmark = pytest.mark.sqlite_only(reason="the command line on a database file, and SQLite file behaviour (locks, journal, page count); the server is tested in tests/postgres")


SRC = Path(__file__).resolve().parents[2] / "src"


def _folder(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# ------------------------------------------------------------------ kill -9 during an import
def _plan_table(path: Path, events: int) -> Path:
    lines = ["№\tМероприятие\tСрок исполнения\tОтветственные исполнители"]
    lines += [f"{n}\tМероприятие номер {n}: " + "описание " * 10 + "\tдо 01.12.2025\tМинтруд"
              for n in range(1, events + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _plans(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT p.title, count(e.id) FROM plan p LEFT JOIN plan_event e ON e.plan_id = p.id "
                                 "GROUP BY p.id").fetchall())
    finally:
        conn.close()


def test_kill_9_during_an_import_leaves_all_or_nothing(demo_db, tmp_path):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    events = 300
    table = _plan_table(tmp_path / "план.txt", events)
    before = _plans(db)
    env = dict(os.environ, PYTHONPATH=str(SRC))
    command = [sys.executable, "-m", "socplan", "--db", str(db), "plans", "import", str(table), "--years", "2025",
               "--create-missing"]
    moments = random.Random(15).sample([x / 10 for x in range(8, 45)], 4)  # seconds after the start
    outcomes = []
    for n, moment in enumerate(moments, start=1):
        proc = subprocess.Popen(command + ["--title", f"План {n}"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=moment)
            outcomes.append("finished")
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            outcomes.append("killed")
        assert _integrity(db) == "ok"
        now = _plans(db)
        for title, count in now.items():  # every plan is whole: all its events or (not there at all)
            if title not in before:
                assert count == events, (moment, title, count)
        assert set(now) - set(before) <= {f"План {i}" for i in range(1, n + 1)}
    assert "killed" in outcomes
    from socplan.db.database import open_database

    reopened = open_database(db)  # the next start is fine (a killed process's lock is released by the OS)
    try:
        assert reopened.check() == []
    finally:
        reopened.close()


# ------------------------------------------------------------------ online backup
def test_db_backup_works_while_the_application_writes(demo_db, tmp_path, capsys):  # noqa: ANN001
    """The window holds the database (its lock) and keeps writing; `db backup` makes sound copies anyway."""
    from socplan.db.models.reference import Unit

    stop = threading.Event()
    written = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            with demo_db.session() as s:
                s.add(Unit(code=f"Т{n}", name=f"единица {n}", short_name=f"е{n}"))
                s.commit()
            written.append(n)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        (tmp_path / "копии").mkdir()  # a missing output folder is an error, never created silently (issue 12)
        for i in range(3):
            target = tmp_path / "копии" / f"копия-{i}.sqlite"
            assert run(["--db", str(demo_db.path), "db", "backup", str(target)]) == 0, capsys.readouterr().err
            copies.append(target)
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join()
    assert written, "the writer must have written while the copies were made"
    for copy in copies:
        assert _integrity(copy) == "ok"
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("SELECT count(*) FROM territory").fetchone()[0] > 0
        finally:
            conn.close()
    assert not [p for p in copies[0].parent.iterdir() if p.suffix != ".sqlite"]  # no -wal, -shm or .part


def test_db_backup_of_a_closed_database_leaves_its_folder_as_it_was(demo_db, tmp_path_factory):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    (db.parent / (db.name + ".lock")).unlink(missing_ok=True)
    folder = _folder(db)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    target = tmp_path_factory.mktemp("копии") / "копия.sqlite"
    assert run(["--db", str(db), "db", "backup", str(target)]) == 0
    assert _folder(db) == folder and hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert content_fingerprint(target) == content_fingerprint(db)


# ------------------------------------------------------------------ older and newer schemas, damaged files
def _newer(path: Path, template: Path) -> Path:
    path.write_bytes(template.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    conn.commit()
    conn.close()  # a clean close: no -wal or -shm beside it
    return path


@pytest.mark.parametrize("kind", ["newer", "damaged"])
def test_a_refused_file_and_its_folder_stay_as_they_were(empty_db_template, tmp_path, capsys, kind):  # noqa: ANN001
    folder = tmp_path / "папка"
    folder.mkdir()
    path = folder / "база.sqlite"
    if kind == "newer":
        _newer(path, empty_db_template)
        phrase = "более новой версией"
    else:
        blob = bytearray(empty_db_template.read_bytes())
        blob[100:108] = b"\x0d\xff\xff\xff\xff\x00\x00\x00"  # the schema page's header: cells beyond the page
        path.write_bytes(bytes(blob))
        phrase = "повреждён"
    names = _folder(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert run(["--db", str(path), "plans", "list"]) == 1
    err = capsys.readouterr().err
    assert phrase in err and "Файл не изменён" in err and "Traceback" not in err, err
    assert _folder(path) == names, _folder(path) - names
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_database_from_the_first_migration_is_upgraded_and_keeps_its_data(tmp_path, capsys):  # noqa: ANN001
    import json

    from alembic import command

    from socplan.db import migrate
    from socplan.db.engine import create_sqlite_engine

    path = tmp_path / "старая.sqlite"
    engine = create_sqlite_engine(path)
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO territory (name, kind, okato, sort_order) "
                             "VALUES ('Омская область', 'region', '52', 0)")
    engine.dispose()
    assert run(["--db", str(path), "db", "upgrade", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["revisions"]) == migrate.script_heads()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT name, okato FROM territory").fetchall() == [("Омская область", "52")]
    finally:
        conn.close()


def test_db_check_is_a_reader_and_leaves_the_folder_as_it_was(demo_db, capsys):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    (db.parent / (db.name + ".lock")).unlink(missing_ok=True)
    folder = _folder(db)
    assert run(["--db", str(db), "db", "check", "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    assert _folder(db) == folder, _folder(db) - folder
