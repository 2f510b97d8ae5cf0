"""«Информация об исполнении решений» reproduces seed 000 from the demo data."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from socplan.domain import protocols as rules
from socplan.services.protocols.bodies import find_body
from socplan.services.protocols.control import AssignmentFilter, list_assignments
from socplan.services.protocols.printing import execution_report, execution_report_text


def _flat(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("[bookmark: _GoBack]", "")
    text = re.sub(r"-\n", "-", text)  # a hyphenated word broken at a line end
    return re.sub(r"\s+", " ", text).strip()


def seed_rows(seeds_dir: Path) -> list[dict[str, str]]:
    """The nine rows of seed 000 as (number, point, content, responsibles, execution)."""
    body = (seeds_dir / "000_7c62d1ecff473f02.txt").read_text(encoding="utf-8").split("Информация об исполнении", 1)[1]
    cells = re.split(r"\n ?\t", body)[1:]
    rows, i = [], 0
    while i < len(cells):
        if cells[i].strip().startswith("Протокол заседания"):
            i += 1
            continue
        no, point, content, resp, info = (_flat(c) for c in cells[i:i + 5])
        rows.append({"no": no, "point": point, "content": content, "resp": resp, "info": info})
        i += 5
    return rows


def pdf_text(path: Path, *crop: str) -> str:
    return subprocess.run(["pdftotext", "-raw", *crop, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_columns(path: Path) -> list[str]:
    """The text of each of the five columns, read page after page (pdftotext cropped to the column)."""
    from socplan.reports.protocols_documents import EXECUTION_WIDTHS

    mm = 72 / 25.4
    frame = 297 - 20 - 15
    scale = min(1.0, frame / sum(EXECUTION_WIDTHS))
    x, columns = 20.0, []
    for width, header in zip(EXECUTION_WIDTHS, ("№ п/п", "Пункт протокола", "Содержание поручения",
                                                "Ответственные", "Информация об исполнении")):
        w = width * scale
        crop = ["-x", str(int(x * mm) + 1), "-y", "45", "-W", str(int(w * mm) - 2), "-H", "600"]
        columns.append(_flat(pdf_text(path, *crop)).replace(header, " "))
        x += w
    return [re.sub(r"\s+", " ", c) for c in columns]


def test_report_text_reproduces_the_nine_rows(demo_ctx, seeds_dir: Path) -> None:
    body = find_body(demo_ctx, "Координационный совет")
    report = execution_report_text(demo_ctx, body.id)
    assert report.subtitle == ("об исполнении решений Координационного совета по обеспечению доступа "
                               "негосударственных организаций к предоставлению социальных услуг в Омской области "
                               "(далее – Координационный совет)")
    assert [g.caption for g in report.groups] == [
        "Протокол заседания Координационного совета от 30 июня 2021 года",
        "Протокол заседания Координационного совета от 1 октября 2021 года",
        "Протокол заседания Координационного совета от 30 декабря 2021 года",
        "Протокол заседания Координационного совета от 30 марта 2022 года"]
    ours = [r for g in report.groups for r in g.rows]
    expected = seed_rows(seeds_dir)
    assert len(ours) == len(expected) == 9
    for mine, seed in zip(ours, expected):
        assert str(mine.number) == seed["no"]
        assert _flat(mine.point) == seed["point"]
        assert _flat(mine.content) == seed["content"]
        assert _flat(mine.responsibles) == seed["resp"]
        assert _flat(mine.execution) == seed["info"]


def test_pdf_shows_the_seed_rows(demo_ctx, seeds_dir: Path, tmp_path: Path) -> None:
    body = find_body(demo_ctx, "Координационный совет")
    out = execution_report(demo_ctx, body.id, tmp_path / "исполнение.pdf")
    flat = _flat(pdf_text(out))
    for header in ("№ п/п", "Пункт протокола", "Содержание поручения", "Ответственные", "Информация об исполнении"):
        assert header in flat
    assert "Протокол заседания Координационного совета от 30 марта 2022 года" in flat
    points, contents, responsibles, execution = pdf_columns(out)[1:]
    for row in seed_rows(seeds_dir):
        assert row["point"] in points, row["no"]
        assert row["content"] in contents, row["no"]
        assert row["resp"] in responsibles, row["no"]
        assert row["info"] in execution, row["no"]
    # each first mention once, the short name afterwards (read column by column: a tall row is laid out
    # line by line, so the page's raw text interleaves the columns' lines)
    cells = " ".join((points, contents, responsibles, execution))
    assert cells.count("(далее – Минтруд)") == 1
    assert cells.count("(далее – Минздрав)") == 1


def test_filters_move_the_first_mention(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.reference import list_organisations

    body = find_body(demo_ctx, "Координационный совет")
    mrp = next(o for o in list_organisations(demo_ctx) if o.short_name == "МРП")
    report = execution_report_text(demo_ctx, body.id, AssignmentFilter(organisation_id=mrp.id))
    rows = [r for g in report.groups for r in g.rows]
    assert [r.number for r in rows] == [1, 2]
    assert rows[0].responsibles.startswith("Министерство региональной политики и массовых коммуникаций Омской "
                                           "области (далее – МРП)")
    assert rows[1].responsibles == "МРП, Администрация города Омска"
    assert "ответственный: МРП" in report.filter_note
    assert not list_assignments(demo_ctx, AssignmentFilter(body_id=body.id, statuses=(rules.STATUS_NOT_DONE,)))


def test_xlsx_export(demo_ctx, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    body = find_body(demo_ctx, "Координационный совет")
    out = execution_report(demo_ctx, body.id, tmp_path / "исполнение.xlsx", "xlsx")
    ws = load_workbook(out).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "ИНФОРМАЦИЯ"
    numbers = [r[0] for r in values if isinstance(r[0], int)]
    assert numbers == list(range(1, 10))
    assert any(r[0] == "Протокол заседания Координационного совета от 30 декабря 2021 года" for r in values)


def test_relative_deadline_anchored_at_meeting(demo_ctx) -> None:
    rows = list_assignments(demo_ctx, AssignmentFilter())
    point3 = next(r for r in rows if r.label == "пункт 3 вопроса №\u00a01")
    assert point3.deadline_text.startswith("В течение 5 дней после дня проведения заседания")
    assert point3.due_date.isoformat() == "2022-04-04"  # 30.03.2022 + 5 days
    first = next(r for r in rows if r.label == "пункт 5 вопроса №\u00a02")
    assert first.deadline_text == "в срок до 30 июня 2022 года" and first.due_date.isoformat() == "2022-06-30"


@pytest.mark.sqlite_only(reason="the command line given the database file; the server's command line is tested in tests/postgres")
def test_cli_report_and_overdue(demo_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from socplan.cli import run

    db_path = str(demo_db.path)
    demo_db.close()
    assert run(["--db", db_path, "protocols", "report-execution", "--body", "Координационный совет",
                "--out", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert run(["--db", db_path, "protocols", "overdue", "--json", "--date", "01.04.2022"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overdue"] == [] and data["due_soon"] == []
    assert run(["--db", db_path, "protocols", "report-execution", "--body", "нет такого",
                "--out", str(tmp_path / "x.pdf")]) == 1
    assert "не найден" in capsys.readouterr().err


def test_pages_are_filled_and_captions_kept_with_rows(demo_ctx, tmp_path: Path) -> None:
    """A tall row continues on the next page: every page but the last is written down to its foot, the
    header row is on every page and a «Протокол заседания …» caption never ends a page."""
    body = find_body(demo_ctx, "Координационный совет")
    out = execution_report(demo_ctx, body.id, tmp_path / "исполнение.pdf")
    pages = [p for p in pdf_text(out).split("\f") if p.strip()]
    assert len(pages) > 2
    for number, page in enumerate(pages, start=1):
        flat = _flat(page)
        assert "Содержание поручения" in flat and "Информация об исполнении" in flat, number
        lines = [x for x in page.splitlines() if x.strip()]
        assert not lines[-1].startswith("Протокол заседания"), number
    # the first page holds more than the first row (it used to end half empty after row 1)
    first = pages[0].split("от 1 октября 2021 года", 1)
    assert len(first) == 2 and first[1].strip().startswith("2 подпункт 1")
    # landscape A4 is 595 pt high, the bottom margin 20 mm (57 pt): the last 60 pt above it hold text — on every
    # page but the last two: the signature block takes the last row over with it (issue 14), which may end the
    # page before the last early
    for number in range(1, len(pages) - 1):
        band = pdf_text(out, "-f", str(number), "-l", str(number), "-y", "478", "-H", "60", "-x", "0", "-W", "842")
        assert band.strip(), f"страница {number} не заполнена до конца"


def test_report_is_signed_by_who_prepared_it(demo_ctx, tmp_path: Path) -> None:
    """Issue 14: the control-of-execution report ends with the signature block of who prepared it — the
    user's position and «И.О. Фамилия» (the demo user «Тестов Тест Тестович, главный специалист»)."""
    from openpyxl import load_workbook

    body = find_body(demo_ctx, "Координационный совет")
    pdf = execution_report(demo_ctx, body.id, tmp_path / "исполнение.pdf")
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.replace("\u00a0", " ").split("\f")
    last = [p for p in pages if p.strip()][-1]
    line = next(x for x in last.splitlines() if "Главный специалист" in x)
    assert line.split()[-2:] == ["Т.Т.", "Тестов"]  # position on the left, the name on the same line, right
    ws = load_workbook(execution_report(demo_ctx, body.id, tmp_path / "исполнение.xlsx", "xlsx")).active
    values = [v for row in ws.iter_rows(values_only=True) for v in row if v]
    assert "Главный специалист" in values and "Т.Т. Тестов" in values
    # printed on A4, the header row repeated on every page, frozen below the header
    assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows  # 9: A4
    assert ws.freeze_panes == f"A{int(ws.print_title_rows.split(':')[1].lstrip('$')) + 1}"


def test_a_user_named_by_one_word_prints_the_report_signed_with_that_word(demo_ctx, tmp_path: Path) -> None:
    """Settings may name the user by the surname alone («Иванова»): the report is built, and its signature block
    carries that surname as written (no initials to add). Before, printing stopped with a TypeError."""
    from dataclasses import replace

    from socplan.services.context import AppContext

    ctx = AppContext(demo_ctx.db, replace(demo_ctx.user, name="Иванова", position="ведущий специалист"))
    body = find_body(ctx, "Координационный совет")
    pdf = execution_report(ctx, body.id, tmp_path / "исполнение.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout.replace("\u00a0", " ")
    line = next(x for x in text.splitlines() if "Ведущий специалист" in x)
    assert line.split()[-1] == "Иванова"
