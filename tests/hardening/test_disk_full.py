"""A full disk (SQLite's ``max_page_count``): the command says «Недостаточно места на диске …; база не изменена»
in Russian — never the driver's English text with the SQL and its parameters — and the database is unchanged;
``demo --reset`` too (the old database stays as it was, no temporary file is left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening_helpers import content_fingerprint

from socplan.cli import run

pytestmark = pytest.mark.sqlite_only(reason="the command line on a database file, and SQLite file behaviour (locks, journal, page count); the server is tested in tests/postgres")



def _plan_table(path: Path, events: int = 400) -> Path:
    lines = ["№\tМероприятие\tСрок исполнения\tОтветственные исполнители"]
    lines += [f"{n}\tМероприятие номер {n}: " + "подробное описание " * 20 + f"\tдо 01.12.2025\tМинтруд"
              for n in range(1, events + 1)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _assert_disk_full(err: str) -> None:
    assert "Недостаточно места на диске" in err and "база не изменена" in err, err
    assert "Traceback" not in err and "INSERT" not in err and "disk is full" not in err, err


def test_an_import_on_a_full_disk_changes_nothing(demo_db, tmp_path, capsys, full_disk):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    before = content_fingerprint(db)
    table = _plan_table(tmp_path / "план.txt")
    assert run(["--db", str(db), "plans", "import", str(table), "--years", "2025", "--title", "Большой план"]) == 1
    _assert_disk_full(capsys.readouterr().err)
    assert content_fingerprint(db) == before


def test_the_same_import_succeeds_with_room(demo_db, tmp_path, capsys):  # noqa: ANN001
    """The control case: without the cap the same file is imported."""
    db = demo_db.path
    demo_db.close()
    before = content_fingerprint(db)
    table = _plan_table(tmp_path / "план.txt")
    assert run(["--db", str(db), "plans", "import", str(table), "--years", "2025", "--title", "Большой план"]) == 0
    assert content_fingerprint(db) != before


def test_demo_reset_on_a_full_disk_leaves_the_old_database(demo_db, tmp_path, capsys, full_disk):  # noqa: ANN001
    db = demo_db.path
    with demo_db.session() as s:  # a change of the user's that a failed reset must not lose
        from socplan.db.models.reference import Territory

        s.get(Territory, 1).okato = "12345"
        s.commit()
    demo_db.close()
    before = content_fingerprint(db)
    full_disk["pages"] = 300  # the new demo database needs far more
    assert run(["--db", str(db), "demo", "--reset"]) == 1
    err = capsys.readouterr().err
    _assert_disk_full(err)
    assert f"«{db.name}»" in err, err
    assert content_fingerprint(db) == before
    leftovers = [p.name for p in db.parent.iterdir() if ".новая" in p.name]
    assert not leftovers, leftovers


def test_a_backup_on_a_full_disk_leaves_no_half_copy(demo_db, tmp_path, monkeypatch):  # noqa: ANN001
    """The backup API's own SQLITE_FULL (the copy cannot grow) becomes the Russian message; no partial file."""
    import sqlite3

    from socplan.db.engine import DiskFullError

    real_connect = sqlite3.connect

    def capped(target, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        conn = real_connect(target, *args, **kwargs)
        if str(target).endswith("копия.sqlite"):
            conn.execute("PRAGMA max_page_count=1")
        return conn

    monkeypatch.setattr(sqlite3, "connect", capped)
    target = tmp_path / "копия.sqlite"
    with pytest.raises(DiskFullError) as info:
        demo_db.backup(target)
    assert "Недостаточно места на диске" in info.value.message and "база не изменена" in info.value.message
    assert not target.exists()
