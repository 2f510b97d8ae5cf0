"""Headless commands, run in-process as ``socplan …``: explicit databases, Russian usage, one-line errors."""

import json
import sqlite3

import pytest

from socplan.app import gui_database_argument, main

DISTRICT = "Азовский немецкий национальный муниципальный район"
INIT = ["db", "init", "--role", "район", "--territory", DISTRICT,
        "--org-full", "Управление социальной защиты населения Азовского района", "--org-short", "УСЗН Азово",
        "--inn", "5503012345", "--user", "Иванова Мария Петровна", "--position", "главный специалист"]


def _count(path, table):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_help_lists_the_foundation_commands_in_russian(capsys):
    from socplan.cli import build_parser

    text = build_parser().format_help()
    for command in ("db", "demo"):
        assert command in text
    assert "Без команды открывается окно программы" in text
    assert main(["plans", "report", "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Использование: socplan plans report")
    assert "показать эту справку и выйти" in shown and "параметры:" in shown
    assert "usage:" not in shown and "show this help" not in shown and "options:" not in shown


def test_db_init_creates_reference_data_and_no_demo_records(tmp_path, capsys):
    from socplan.services.settings import load_settings

    db = tmp_path / "work.sqlite"
    assert main(["--db", str(db), *INIT, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["role"] == "district" and out["territory"] == DISTRICT and out["organisation"] == "УСЗН Азово"
    assert _count(db, "territory") == 34 and _count(db, "unit") == 21
    assert _count(db, "ind_form") == 4 and _count(db, "ind_indicator") > 100 and _count(db, "ind_component") > 0
    for table in ("person", "plan", "pr_meeting", "pr_body", "ind_value", "ind_submission", "subsidy_round",
                  "report_record", "exchange_package"):
        assert _count(db, table) == 0, table
    conn = sqlite3.connect(db)
    info = dict(conn.execute("SELECT key, value FROM database_info"))
    assert info["kind"] == "working" and info["org_inn"] == "5503012345"
    assert conn.execute("SELECT o.full_name FROM exchange_identity i JOIN organisation o ON o.id = i.organisation_id"
                        ).fetchone() == ("Управление социальной защиты населения Азовского района",)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE reason LIKE '%демонстрац%'").fetchone() == (0,)
    conn.close()
    settings = load_settings()
    assert settings.db_path == str(db) and settings.user_name == "Иванова Мария Петровна"
    # the new database is the default one now: commands without --db use it
    assert main(["plans", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


class _Terminal:
    """Standard input of a person at the keyboard (the answers themselves come through ``input``)."""

    def isatty(self) -> bool:
        return True


def test_db_init_asks_at_the_keyboard_for_what_is_missing(tmp_path, capsys, monkeypatch):
    """``socplan db init`` without options, typed in a terminal: it asks in Russian, one question after another,
    and the new database belongs to the district and organisation typed in."""
    from socplan.db.database import open_database
    from socplan.services.installation import installation_info

    answers = iter(["Район", DISTRICT, "Управление социальной защиты населения Азовского района", "УСЗН Азово",
                    "Иванова Мария Петровна", "главный специалист"])
    asked: list[str] = []

    def keyboard(prompt: str = "") -> str:
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", keyboard)
    path = tmp_path / "work.sqlite"
    assert main(["--db", str(path), "db", "init"]) == 0
    assert asked == ["Кто эта установка (министерство или район): ",
                     "Район (как в справочнике; список — socplan db init --territories): ",
                     "Полное наименование организации: ", "Сокращённое наименование организации: ",
                     "Ваши ФИО: ", "Ваша должность: "]
    assert f"Рабочая база создана: {path}" in capsys.readouterr().out
    db = open_database(path)
    try:
        info = installation_info(db)
        assert (info.role, info.territory, info.organisation) == ("district", DISTRICT, "УСЗН Азово")
        assert not db.is_demo
    finally:
        db.close()


def test_db_init_without_a_terminal_asks_nothing_and_names_the_missing_options(tmp_path, capsys, monkeypatch):
    def keyboard(prompt: str = "") -> str:
        raise AssertionError(f"asked «{prompt}» with no one at the keyboard")

    monkeypatch.setattr("builtins.input", keyboard)
    path = tmp_path / "work.sqlite"
    assert main(["--db", str(path), "db", "init", "--role", "министерство"]) == 2
    err = capsys.readouterr().err
    assert "Для создания рабочей базы укажите: --org-full, --org-short" in err
    assert not path.exists()


def test_db_init_refuses_an_existing_file_and_says_what_is_missing(tmp_path, capsys):
    db = tmp_path / "work.sqlite"
    assert main(["--db", str(db), *INIT]) == 0
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db), *INIT]) == 1
    assert "уже существует" in capsys.readouterr().err
    assert db.read_bytes() == before
    assert main(["--db", str(tmp_path / "other.sqlite"), "db", "init", "--role", "район"]) == 2
    err = capsys.readouterr().err
    assert "--territory" in err and "--org-full" in err and "--user" in err
    assert not (tmp_path / "other.sqlite").exists()
    assert main(["--db", str(tmp_path / "x.sqlite"), "db", "init", "--role", "губерния"]) == 2
    assert "вид установки «губерния»" in capsys.readouterr().err


def test_a_missing_database_is_an_error_that_says_how_to_create_it(tmp_path, capsys):
    from socplan.services.settings import data_dir

    missing = tmp_path / "опечатка.sqlite"
    for args in (["--db", str(missing), "db", "upgrade"], ["--db", str(missing), "plans", "list"]):
        assert main(args) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"socplan --db {missing} db init" in err
    assert not missing.exists()
    # no database chosen at all: no implicit demo, no new file in the data folder
    assert main(["plans", "list"]) == 1
    assert "socplan db init" in capsys.readouterr().err
    assert not list(data_dir().glob("*.sqlite"))


def test_db_upgrade_check_backup(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), *INIT]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "db", "upgrade", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    from socplan.db.migrate import script_heads

    assert out["database"] == str(db) and out["revisions"] == sorted(script_heads())
    assert main(["--db", str(db), "db", "check", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", str(db), "db", "backup", str(copy)]) == 0
    assert "Резервная копия записана" in capsys.readouterr().out
    assert _count(copy, "territory") == 34
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".socplan-")] == []  # no temporary left


def test_db_option_before_after_and_with_equals(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert main([*INIT[:2], f"--db={db}", *INIT[2:]]) == 0
    capsys.readouterr()
    for args in (["--db", str(db), "db", "check"], [f"--db={db}", "db", "check"], ["db", "check", "--db", str(db)],
                 ["db", "check", f"--db={db}"], ["db", "--db", str(db), "check"]):
        assert main(args) == 0, args
        assert str(db) in capsys.readouterr().out
    assert gui_database_argument([f"--db={db}"]) == (True, str(db))
    assert gui_database_argument(["--db", str(db)]) == (True, str(db))
    assert gui_database_argument([]) == (True, None)
    assert gui_database_argument(["db", "check"]) == (False, None)


def test_db_check_exits_1_on_broken_references(tmp_path, capsys):
    db = tmp_path / "fk.sqlite"
    assert main(["--db", str(db), *INIT]) == 0
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO person (last_name, first_name, middle_name, position, organisation_id) "
                 "VALUES ('Иванов', 'Иван', '', '', 777)")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["--db", str(db), "db", "check"]) == 1
    assert "ссылочная целостность" in capsys.readouterr().out


def test_errors_are_russian_one_line_and_exit_1(tmp_path, capsys):
    from socplan.cli.log import log_path

    bad = tmp_path / "bad.sqlite"
    bad.write_text("не база")
    assert main(["--db", str(bad), "db", "check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Ошибка: Файл «bad.sqlite» не является базой данных СоцПлан")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"журнале «{log_path()}»" in err
    log = log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "DatabaseOpenError" in log and "db check" in log


def test_unexpected_failure_is_one_line_with_the_traceback_in_the_log(tmp_path, capsys, monkeypatch):
    from socplan.cli.log import log_path
    from socplan.services.plans import plans

    db = tmp_path / "work.sqlite"
    assert main(["--db", str(db), *INIT]) == 0
    capsys.readouterr()
    monkeypatch.setattr(plans, "list_plans", lambda ctx: 1 / 0)
    assert main(["--db", str(db), "plans", "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "ZeroDivisionError" in err
    assert "ZeroDivisionError: division by zero" in log_path().read_text(encoding="utf-8")


def test_wrong_usage_is_one_russian_line_and_exit_2(tmp_path, capsys):
    cases = [
        (["plans", "report", "--plan", "x", "--out", "a.pdf"], "параметр --plan: недопустимое значение «x» (нужно целое число)"),
        (["plans", "report", "--out", "a.pdf"], "не указаны обязательные аргументы: --plan"),
        (["plans", "status", "--plan", "1", "готов"], "статус «готов» не подходит; возможны: утверждён"),
        (["subsidies", "report", "1", "a.pdf", "--kind", "отчёт"], "вид документа «отчёт»"),
        (["plans", "lst"], "недопустимое значение «lst»; возможны: «list»"),
        (["plans", "list", "--bogus"], "лишние или неизвестные аргументы: --bogus"),
        (["db", "check", "--db"], "после параметра нужно указать значение"),
    ]
    for args, expected in cases:
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("Ошибка: ") and expected in err, err
        assert err.count("\n") == 1 and "usage" not in err and "error:" not in err


def test_option_values_in_russian(demo_db_template, tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    db.write_bytes(demo_db_template.read_bytes())
    assert main(["--db", str(db), "plans", "list", "--json"]) == 0
    plans = json.loads(capsys.readouterr().out)
    executed = next(p["id"] for p in plans if p["status"] == "executed")
    assert main(["--db", str(db), "plans", "status", "--plan", str(executed), "архив"]) == 0
    assert "статус «архив»" in capsys.readouterr().out
    plan = plans[0]["id"]
    out = tmp_path / "план.pdf"
    assert main(["--db", str(db), "plans", "report", "--plan", str(plan), "--kind", "план", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_demo_reset_rebuilds_and_backs_up(tmp_path, capsys):
    db = tmp_path / "demo.sqlite"
    assert main(["--db", str(db), "demo", "--reset", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reset"] is True
    assert _count(db, "territory") == 34
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM database_info WHERE key = 'kind'").fetchone() == ("demo",)
    conn.execute("DELETE FROM audit_log")
    conn.commit()
    conn.close()
    assert main(["--db", str(db), "demo", "--reset"]) == 0
    assert list((tmp_path / "backups").glob("demo-перед-сбросом-*.sqlite"))


def test_demo_builds_a_new_file_without_reset_and_keeps_an_existing_one(tmp_path, capsys):
    """``socplan --db new.sqlite demo``: there is nothing to reset, so the demo is built (no «Укажите --reset»
    for a file that does not exist); a second ``demo`` without ``--reset`` keeps the file and says how to rebuild."""
    db = tmp_path / "новая-демо.sqlite"
    assert main(["--db", str(db), "demo"]) == 0
    assert f"Демонстрационная база создана: {db}" in capsys.readouterr().out
    assert _count(db, "territory") == 34
    before = db.stat().st_mtime_ns
    assert main(["--db", str(db), "demo"]) == 2
    err = capsys.readouterr().err
    assert "уже есть" in err and "--reset" in err
    assert db.stat().st_mtime_ns == before


def test_demo_reset_never_replaces_a_working_database(tmp_path, capsys):
    work = tmp_path / "work.sqlite"
    assert main(["--db", str(work), *INIT]) == 0
    before = _count(work, "audit_log")
    capsys.readouterr()
    assert main(["--db", str(work), "demo", "--reset"]) == 1
    assert "рабочая база, а не демонстрационная" in capsys.readouterr().err
    assert _count(work, "person") == 0 and _count(work, "audit_log") == before


def test_demo_reset_without_db_uses_the_demo_file(capsys):
    from socplan.services.settings import default_db_path, demo_db_path, load_settings

    assert main(["demo", "--reset"]) == 0
    assert demo_db_path().exists() and not default_db_path().exists()
    assert load_settings().db_path == ""  # the demo never becomes the working database
    assert str(demo_db_path()) in capsys.readouterr().out


@pytest.mark.parametrize("command", [["protocols", "list"], ["plans", "list"]])
def test_a_closed_pipe_is_quiet(tmp_path, demo_db_template, command):
    """``socplan protocols list | head``: the reader is gone before the first line; no «BrokenPipeError», no
    traceback («true» exits at once, long before Python has started)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    db = tmp_path / "demo.sqlite"
    db.write_bytes(demo_db_template.read_bytes())
    src = Path(__file__).resolve().parents[2] / "src"
    env = dict(os.environ, PYTHONPATH=str(src))
    socplan = f"{sys.executable} -m socplan --db {db} {' '.join(command)}"
    result = subprocess.run(["bash", "-c", f"{socplan} | true; echo ${{PIPESTATUS[0]}}"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.stderr == ""
    assert result.stdout.strip() == "0"
