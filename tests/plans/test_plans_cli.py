"""Headless commands: socplan plans list / overdue --json / report / import."""

from __future__ import annotations

import pytest

import json
import subprocess

from socplan.cli import run


@pytest.mark.sqlite_only(reason="the command line given the database file; the server's command line is tested in tests/postgres")
def test_overdue_json_and_report(demo_db, tmp_path, capsys) -> None:
    args = ["--db", str(demo_db.path)]
    demo_db.close()  # the command opens the file itself (single-writer lock)
    assert run(args + ["plans", "overdue", "--date", "01.04.2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["date"] == "2025-04-01" and data["count"] == len(data["items"]) > 0
    assert all(item["due_date"] < "2025-04-01" and item["overdue"] for item in data["items"])
    assert run(args + ["plans", "list", "--json"]) == 0
    plans = json.loads(capsys.readouterr().out)
    nok = next(p for p in plans if p["kind"] == "events")
    out = tmp_path / "ход.pdf"
    assert run(args + ["plans", "report", "--plan", str(nok["id"]), "--out", str(out), "--from", "01.01.2025",
                       "--to", "30.06.2025", "--date", "10.07.2025", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["report_id"] > 0 and out.stat().st_size == info["size"]
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "выполнено 3 из 11, просрочено 7" in " ".join(text.split())
    assert run(args + ["plans", "report", "--plan", "9999", "--out", str(out)]) == 1
    assert "План № 9999 не найден" in capsys.readouterr().err


@pytest.mark.sqlite_only(reason="the command line given the database file; the server's command line is tested in tests/postgres")
def test_import_dry_run(empty_db, seeds_dir, tmp_path, capsys) -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=0, cols=4)
    for line in (seeds_dir / "004_55f169782c496c58.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            cells = t.add_row().cells
            for i, v in enumerate(line.split("\t")[:4]):
                cells[i].text = v
    path = tmp_path / "кампания.docx"
    d.save(str(path))
    args = ["--db", str(empty_db.path)]
    empty_db.close()
    # the dry run checks what the real import checks: executors missing without --create-missing stop both
    assert run(args + ["plans", "import", str(path), "--years", "2017", "--dry-run"]) == 1
    captured = capsys.readouterr()
    assert "март 2017 [март 2017 г.]" in captured.out and "Нет в справочнике" in captured.out
    assert "Ошибка: Нет в справочнике организаций" in captured.err and "--create-missing" in captured.err
    assert run(args + ["plans", "import", str(path), "--years", "2026-2025", "--create-missing", "--dry-run"]) == 1
    assert "Год окончания раньше года начала периода." in capsys.readouterr().err
    assert run(args + ["plans", "import", str(path), "--years", "2017", "--owner", "Нет такой", "--create-missing",
                       "--dry-run"]) == 1
    assert "Организация «Нет такой» не найдена в справочнике." in capsys.readouterr().err
    assert run(args + ["plans", "import", str(path), "--years", "2017", "--create-missing", "--dry-run"]) == 0
    assert "Проверка пройдена: импорт возможен." in capsys.readouterr().out
    assert run(args + ["plans", "import", str(path), "--years", "2026-2025", "--create-missing"]) == 1
    assert "Год окончания раньше года начала периода." in capsys.readouterr().err
    assert run(args + ["plans", "import", str(path), "--years", "2017"]) == 1
    assert "Нет в справочнике организаций" in capsys.readouterr().err
    assert run(args + ["plans", "import", str(path), "--years", "2017", "--create-missing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["event_count"] == 12
