"""Headless commands, run in-process as ``socplan …``."""

import json
import sqlite3

from socplan.app import main


def test_help_lists_the_foundation_commands():
    from socplan.cli import build_parser

    text = build_parser().format_help()
    for command in ("db", "demo"):
        assert command in text
    assert "Без команды открывается окно программы" in text


def test_db_upgrade_check_backup(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "db", "upgrade", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    from socplan.db.migrate import script_heads

    assert out["database"] == str(db) and out["revisions"] == sorted(script_heads())
    assert main(["--db", str(db), "db", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", str(db), "db", "backup", str(copy)]) == 0
    assert "Резервная копия записана" in capsys.readouterr().out
    assert copy.exists()


def test_db_check_exits_1_on_broken_references(tmp_path, capsys):
    db = tmp_path / "fk.sqlite"
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO person (last_name, first_name, middle_name, position, organisation_id) "
                 "VALUES ('Иванов', 'Иван', '', '', 777)")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(db), "db", "check"]) == 1
    assert "ссылочная целостность" in capsys.readouterr().out


def test_errors_are_russian_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("не база")
    assert main(["--db", str(bad), "db", "check"]) == 2
    assert "Ошибка: Файл «bad.sqlite» не является базой данных СоцПлан" in capsys.readouterr().err


def test_demo_reset_rebuilds_and_backs_up(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["--db", str(db), "demo", "--reset", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reset"] is True
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM territory").fetchone() == (34,)
    conn.execute("DELETE FROM audit_log")
    conn.commit()
    conn.close()
    assert main(["--db", str(db), "demo", "--reset"]) == 0
    assert list((tmp_path / "backups").glob("demo-перед-сбросом-*.sqlite"))
