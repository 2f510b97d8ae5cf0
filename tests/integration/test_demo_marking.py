"""The demo is never mistaken for real data: its own file, a mark in the database, «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» on
every printed page; a working database gets neither demo records nor the mark."""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from socplan.db.database import open_database
from socplan.services.context import AppContext, User

MARK = "ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ"


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.mark.sqlite_only(reason="the demo never goes to a server (demo data are SQLite only)")
def test_every_page_printed_from_the_demo_is_marked(demo_ctx, tmp_path):
    from socplan.services.protocols.bodies import find_body
    from socplan.services.protocols.printing import execution_report

    assert demo_ctx.db.is_demo
    body = find_body(demo_ctx, "Координационный совет")
    pages = _pages(execution_report(demo_ctx, body.id, tmp_path / "исполнение.pdf"))
    assert len(pages) > 3
    assert all(MARK in page for page in pages)


def test_sample_reports_in_the_demo_journal_are_marked(demo_ctx, tmp_path):
    from socplan.services.reports import registry

    rows = registry.list_reports(demo_ctx)
    assert rows
    for row in rows:
        pdf = tmp_path / f"{row.id}.pdf"
        pdf.write_bytes(registry.get_report_bytes(demo_ctx, row.id))
        assert all(MARK in page for page in _pages(pdf)), row.title


def test_a_working_database_prints_without_the_mark(tmp_path, demo_ctx):
    from socplan.services.installation import InstallationInput, create_working_database
    from socplan.domain.indicators import Period
    from socplan.services.indicators.report import build_achievement_report
    from socplan.services.plans.plans import list_plans

    list_plans(demo_ctx)  # the demo was used just before in this thread: the mark must not stick
    db = create_working_database(tmp_path / "work.sqlite", InstallationInput(
        "ministry", "Омская область", "Министерство труда и социального развития Омской области", "Минтруд",
        "Иванова Мария Петровна", "главный специалист"))
    try:
        assert not db.is_demo
        ctx = AppContext(db, User("Иванова Мария Петровна", "главный специалист"))
        assert list_plans(ctx) == []
        result = build_achievement_report(ctx, "ГП", "Омская область", Period.parse("2024"), tmp_path / "д.pdf")
        pages = _pages(Path(result["pdf"]))
        assert pages and not any(MARK in page for page in pages)
    finally:
        db.close()


def test_a_demo_made_by_an_earlier_version_is_recognised_on_upgrade(demo_db_template, tmp_path):
    """Before this version the demo had no mark: the migration finds it by the audit log of its loading."""
    path = tmp_path / "старая.sqlite"
    shutil.copyfile(demo_db_template, path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE database_info")
    conn.execute("DELETE FROM alembic_version WHERE version_num = 'setup_0001'")
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        assert db.is_demo
    finally:
        db.close()


def test_an_earlier_working_database_is_not_marked(empty_db_template, tmp_path):
    path = tmp_path / "рабочая.sqlite"
    shutil.copyfile(empty_db_template, path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE database_info")
    conn.execute("DELETE FROM alembic_version WHERE version_num = 'setup_0001'")
    conn.execute("INSERT INTO territory (name, kind, okato, sort_order) VALUES ('Омская область', 'region', '', 0)")
    conn.commit()
    conn.close()
    db = open_database(path)
    try:
        assert not db.is_demo and db.read_info() == {}
    finally:
        db.close()


def test_demo_data_never_go_into_a_database_with_data(tmp_path):
    from socplan.db.database import DatabaseOpenError
    from socplan.services.demo import load_demo
    from socplan.services.installation import InstallationInput, create_working_database

    db = create_working_database(tmp_path / "work.sqlite", InstallationInput(
        "district", "Тарский муниципальный район", "Управление социальной защиты населения Тарского района",
        "УСЗН Тара", "Петров Пётр Петрович", "специалист"))
    try:
        with pytest.raises(DatabaseOpenError, match="уже содержит данные"):
            load_demo(db)
        assert not db.is_demo
    finally:
        db.close()
    conn = sqlite3.connect(tmp_path / "work.sqlite")
    assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)
    conn.close()


def test_a_failed_creation_leaves_no_file(tmp_path, monkeypatch):
    from socplan.domain.errors import ValidationErrors
    from socplan.services import installation

    data = installation.InstallationInput("district", "Нет такого района", "Управление", "У", "И", "С")
    with pytest.raises(ValidationErrors, match="не найдена в справочнике районов"):
        installation.create_working_database(tmp_path / "w.sqlite", data)

    def broken(*_a, **_k):
        raise RuntimeError("сбой посередине")

    monkeypatch.setattr("socplan.services.indicators.demo.load_catalogue", broken)
    good = installation.InstallationInput("ministry", "Омская область", "Министерство", "Минтруд", "И", "С")
    with pytest.raises(RuntimeError):
        installation.create_working_database(tmp_path / "w.sqlite", good)
    assert list(tmp_path.iterdir()) == []


def _office_files(ctx: AppContext, out: Path) -> tuple[Path, Path]:
    """The execution report as .xlsx and a protocol as .docx, exported as the user does."""
    from socplan.services.protocols.bodies import find_body
    from socplan.services.protocols.meetings import list_meetings
    from socplan.services.protocols.printing import execution_report, protocol_document

    body = find_body(ctx, "Координационный совет")
    xlsx = execution_report(ctx, body.id, out / "исполнение.xlsx", "xlsx")
    meeting = list_meetings(ctx, body.id)[0]
    docx = protocol_document(ctx, meeting.id, out / "протокол.docx", "docx", draft=True)
    return xlsx, docx


def _xlsx_headers(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [ws.oddHeader.right.text or "" for ws in wb.worksheets]


def _docx_headers(path: Path) -> list[str]:
    from docx import Document

    return [" ".join(p.text for p in header.paragraphs) for section in Document(str(path)).sections
            for header in (section.header, section.first_page_header)]


def test_excel_and_word_files_from_the_demo_are_marked_and_from_a_working_database_not(demo_db_template, tmp_path):
    """The same data exported twice: from the demo file (every sheet's print header and every Word page header
    says «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ») and from a copy marked as a working database (no mark anywhere)."""
    demo_path, work_path = tmp_path / "демо.sqlite", tmp_path / "рабочая.sqlite"
    shutil.copyfile(demo_db_template, demo_path)
    shutil.copyfile(demo_db_template, work_path)
    conn = sqlite3.connect(work_path)
    conn.execute("UPDATE database_info SET value = 'working' WHERE key = 'kind'")
    conn.commit()
    conn.close()
    for path, marked in ((demo_path, True), (work_path, False)):
        db = open_database(path)
        try:
            assert db.is_demo is marked
            out = tmp_path / path.stem
            xlsx, docx = _office_files(AppContext(db, User("Тестов Тест Тестович", "главный специалист")), out)
        finally:
            db.close()
        sheets, pages = _xlsx_headers(xlsx), _docx_headers(docx)
        assert sheets and pages
        if marked:
            assert all(MARK in h for h in sheets), sheets
            assert all(MARK in h for h in pages), pages
        else:
            assert not any(MARK in h for h in sheets + pages), (sheets, pages)
