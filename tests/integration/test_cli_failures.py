"""Every command that writes a file, run the ways it goes wrong in an office: an output folder that cannot be
written or does not exist, a missing input, a malformed input, a wrong option. Each time: one Russian line on
stderr, a non-zero exit code (2 for wrong usage), no traceback, no file left behind, the database unchanged
(no journal entry for the export that failed)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from socplan.app import main

DEMO13 = Path(__file__).resolve().parents[2] / "resources" / "demo" / "subsidies" / "app13_2025.json"


@dataclass(frozen=True)
class Command:
    """``args(out)`` — the command writing to ``out``; the broken variants replace one argument each."""

    name: str
    args: tuple[str, ...]  # OUT stands for the output file
    suffix: str
    missing: tuple[str, str]  # (argument to replace, its value pointing at nothing)
    wrong: tuple[str, ...]  # a wrong option appended
    uses_db: bool = True
    malformed: tuple[str, str] | None = None  # (argument to replace, malformed value) when not the database
    extra: dict = field(default_factory=dict)


COMMANDS = [
    Command("plans report", ("plans", "report", "--plan", "1", "--out", "OUT"), ".pdf", ("1", "9999"),
            ("--kind", "отчёт")),
    Command("plans report xlsx", ("plans", "report", "--plan", "1", "--out", "OUT"), ".xlsx", ("1", "9999"),
            ("--date", "--json")),
    Command("reports export", ("reports", "export", "1", "--out", "OUT"), ".pdf", ("1", "9999"), ("--out",)),
    Command("indicators report", ("indicators", "report", "--form", "ГП", "--period", "2024", "--output", "OUT"),
            ".pdf", ("ГП", "НЕТ"), ("--bogus",)),
    Command("indicators export-template", ("indicators", "export-template", "--form", "ГП", "--territory",
                                           "Тарский муниципальный район", "--period", "2024", "-o", "OUT"),
            ".xlsx", ("Тарский муниципальный район", "Несуществующий район"), ("--period",)),
    Command("subsidies report", ("subsidies", "report", "1", "OUT"), ".pdf", ("1", "9999"), ("--kind", "отчёт")),
    Command("subsidies calc --pdf", ("subsidies", "calc", "INPUT", "--pdf", "OUT"), ".pdf", ("INPUT", "нет.json"),
            ("--pdf",), uses_db=False, malformed=("INPUT", "BROKEN")),
    Command("subsidies calc --xlsx", ("subsidies", "calc", "INPUT", "--xlsx", "OUT"), ".xlsx",
            ("INPUT", "нет.json"), ("--xlsx",), uses_db=False, malformed=("INPUT", "BROKEN")),
    Command("db backup", ("db", "backup", "OUT"), ".sqlite", ("--db", "--db"), ("--bogus",)),
    Command("protocols report-execution", ("protocols", "report-execution", "--body", "1", "--out", "OUT"), ".pdf",
            ("1", "нет такого органа"), ("--status", "готово")),
    # meeting 5 (the seed-002 working group) has every requisite a protocol for signing needs (issue 14)
    Command("protocols print", ("protocols", "print", "--meeting", "5", "--out", "OUT"), ".pdf", ("5", "9999"),
            ("--meeting", "первое")),
]
MODES = ["unwritable output", "missing output folder", "missing input", "missing database", "malformed input",
         "wrong option"]


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder the user may not write to; root ignores permissions, so then a kernel folder refusing writes."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/sys")
    folder = tmp_path / "только-чтение"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def _state(db: Path) -> tuple[str, list]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        counts = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("report_record", "audit_log", "plan", "ind_value", "subsidy_round")]
    finally:
        conn.close()
    return hashlib.sha256(db.read_bytes()).hexdigest(), counts


CASES = [(c, m) for c in COMMANDS for m in MODES if c.uses_db or m != "missing database"]


@pytest.mark.parametrize(("command", "mode"), CASES, ids=[f"{c.name}: {m}" for c, m in CASES])
def test_failure_is_one_russian_line_and_changes_nothing(command: Command, mode: str, demo_db_template: Path,
                                                         tmp_path: Path, capsys) -> None:
    db = tmp_path / "база.sqlite"
    shutil.copyfile(demo_db_template, db)
    before = _state(db)
    work = tmp_path / "вывод"
    work.mkdir()
    out = work / f"файл{command.suffix}"
    broken = tmp_path / "испорчен.json"
    broken.write_text('{"procedure": "app13", "year": ', encoding="utf-8")
    garbage = tmp_path / "не-база.sqlite"
    garbage.write_text("это не база данных", encoding="utf-8")

    args = [str(DEMO13) if a == "INPUT" else a for a in command.args]
    db_arg = str(db)
    if mode == "unwritable output":
        out = _unwritable_folder(tmp_path) / out.name
    elif mode == "missing output folder":
        out = work / "нет такой папки" / out.name
    elif mode == "missing input":
        old, new = command.missing
        if old == "--db":
            db_arg = str(tmp_path / "нет.sqlite")
        else:
            args[args.index(str(DEMO13) if old == "INPUT" else old)] = str(tmp_path / new) if old == "INPUT" else new
    elif mode == "missing database":
        db_arg = str(tmp_path / "опечатка.sqlite")
    elif mode == "malformed input":
        if command.malformed:
            args[args.index(str(DEMO13))] = str(broken)
        else:
            db_arg = str(garbage)
    elif mode == "wrong option":
        args += list(command.wrong)
    args = [str(out) if a == "OUT" else a for a in args]
    code = main(["--db", db_arg, *args])
    captured = capsys.readouterr()

    expected_code = 2 if mode == "wrong option" else 1
    assert code == expected_code, (code, captured.err)
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("Ошибка: ") and re.search("[а-яё]{4}", lines[0]), lines[0]
    assert "Traceback" not in captured.err and "Error" not in captured.err.replace("Ошибка", "")
    assert captured.out == ""
    assert not out.exists() and not any(p.name.startswith(".socplan-") for p in work.iterdir())
    assert not (work / "нет такой папки").exists()  # a missing folder is never created
    assert _state(db) == before
    if mode == "unwritable output":
        assert "запис" in lines[0]
    if mode == "missing output folder":
        assert "не существует" in lines[0]
    if mode == "missing database":
        assert "db init" in lines[0] and not (tmp_path / "опечатка.sqlite").exists()


def test_the_same_commands_succeed_and_say_where_the_file_is(demo_db_template: Path, tmp_path: Path, capsys) -> None:
    """The control: each command above writes its file atomically (no temporary left) when nothing is wrong."""
    db = tmp_path / "база.sqlite"
    shutil.copyfile(demo_db_template, db)
    for command in COMMANDS:
        out = tmp_path / f"{command.name.replace(' ', '_')}{command.suffix}"
        args = [str(out) if a == "OUT" else str(DEMO13) if a == "INPUT" else a for a in command.args]
        assert main(["--db", str(db), *args]) == 0, (command.name, capsys.readouterr().err)
        assert out.stat().st_size > 0, command.name
        assert str(out) in capsys.readouterr().out or command.name.startswith("subsidies calc")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".socplan-")]


def test_a_report_whose_file_cannot_be_written_leaves_no_journal_entry(demo_db_template: Path, tmp_path: Path,
                                                                        capsys, monkeypatch) -> None:
    """The disk fills up while the file is written (after the report was generated and journalled)."""
    db = tmp_path / "база.sqlite"
    shutil.copyfile(demo_db_template, db)
    before = _state(db)[1][0]

    def disk_full(self, data):  # noqa: ANN001
        raise OSError(28, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    out = tmp_path / "ход.pdf"
    assert main(["--db", str(db), "plans", "report", "--plan", "1", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"Не удалось записать файл «{out}»: на диске нет места" in err
    assert not out.exists()
    assert _state(db)[1][0] == before
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE reason LIKE 'Файл отчёта не записан%'").fetchone()[0] > 0
    conn.close()


@pytest.mark.parametrize("where", ["missing output folder", "unwritable output"])
@pytest.mark.parametrize("command", ["reports new-cert", "sign", "exchange certificate", "exchange export"])
def test_certificates_signatures_and_packages_check_the_folder_first(command: str, where: str, demo_db_template: Path,
                                                                      tmp_path: Path, capsys, monkeypatch) -> None:
    from socplan.reports.selftest import write_selftest_pdf

    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "пароль-проверки")
    db = tmp_path / "база.sqlite"
    shutil.copyfile(demo_db_template, db)
    pfx = tmp_path / "ключ.pfx"
    assert main(["--db", str(db), "reports", "new-cert", "--name", "Иванов Иван Иванович", "--out", str(pfx)]) == 0
    document = write_selftest_pdf(tmp_path / "документ.pdf")
    capsys.readouterr()
    before = _state(db)
    folder = tmp_path / "нет такой папки" if where == "missing output folder" else _unwritable_folder(tmp_path)
    args = {"reports new-cert": ["reports", "new-cert", "--name", "Петров Пётр", "--out", str(folder / "новый.pfx")],
            "sign": ["sign", str(document), "--cert", str(pfx), "--no-timestamp", "--out", str(folder / "п.pdf")],
            "exchange certificate": ["exchange", "certificate", "--pfx", str(pfx), "--out", str(folder / "я.cer")],
            "exchange export": ["exchange", "export", "--to", "Омская область", "--year", "2024", "--pfx", str(pfx),
                                "--out", str(folder)]}[command]
    code = main(["--db", str(db), *args])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("Ошибка: ") and "Traceback" not in err, err
    assert not (tmp_path / "нет такой папки").exists()
    assert _state(db) == before
