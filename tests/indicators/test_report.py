"""Report «Сведения о достижении значений показателей» (PDF + xlsx) and the headless commands."""

from __future__ import annotations

import pytest

import json
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from socplan.cli import run
from socplan.domain.indicators import Period
from socplan.services.indicators.report import achievement_report, build_achievement_report
from socplan.services.reports.registry import record_report  # noqa: F401  (the journal exists)


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_region_report_pdf_and_xlsx(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    result = build_achievement_report(demo_ctx, "ГП", "Омская область", Period(2024), tmp_path / "r.pdf",
                                      tmp_path / "r.xlsx")
    text = _pdf_text(tmp_path / "r.pdf")
    assert "Сведения о достижении значений показателей" in text
    assert "Омская область, 2024 год" in text
    assert "0,0855 (2023)" in text  # base value of indicator 14 exactly as in the programme
    assert "Не представили данные:" in text and "Усть-Ишимский" in text
    assert "Достижение плановых значений" in text  # the chart
    assert result["record_id"] > 0 and len(result["missing"]) == 2
    ws = load_workbook(tmp_path / "r.xlsx")["Достижение"]
    codes = [ws.cell(r, 1).value for r in range(6, 6 + 18)]
    assert codes == [str(n) for n in range(1, 19)]


def test_district_report_recorded_in_journal(demo_ctx) -> None:  # noqa: ANN001
    built = achievement_report(demo_ctx, "ГП", "Тарский муниципальный район", Period(2024))
    assert built.pdf.startswith(b"%PDF")
    from socplan.services.reports.registry import list_reports

    rows = [r for r in list_reports(demo_ctx) if r.id == built.record_id]
    assert rows and rows[0].kind == "indicators" and "Тарский" in rows[0].title


@pytest.mark.sqlite_only(reason="the command line given the database file; the server's command line is tested in tests/postgres")
def test_cli_check_sheet_export_import_report(demo_db, tmp_path, capsys) -> None:  # noqa: ANN001
    db = str(demo_db.path)
    demo_db.close()
    assert run(["--db", db, "check"]) == 1  # seed 003's own slip in row 2 of the financing table
    out = capsys.readouterr().out
    assert "96\u00a0894\u00a0909,97 = 96\u00a0984\u00a0909,97" in out and "Ошибок:" in out
    assert run(["--db", db, "indicators", "sheet", "--form", "НОК", "--period", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert next(r for r in data["rows"] if r["code"] == "4")["plan"] == "19.4"
    xlsx = tmp_path / "t.xlsx"
    assert run(["--db", db, "indicators", "export-template", "--territory", "Тарский муниципальный район",
                "--period", "2025", "-o", str(xlsx), "--json"]) == 0
    capsys.readouterr()
    assert run(["--db", db, "indicators", "import", str(xlsx), "--territory", "Омский муниципальный район"]) == 1
    assert "другой территории" in capsys.readouterr().err
    assert run(["--db", db, "indicators", "import", str(xlsx), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 0
    assert run(["--db", db, "indicators", "report", "--period", "2024", "-o", str(tmp_path / "a.pdf")]) == 0
    assert (tmp_path / "a.pdf").stat().st_size > 10000


def test_every_form_prints_whatever_the_cell_lengths(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """Issue 14: form «РМ» (results of the programme's events, names of up to ~2 000 characters) failed with a
    reportlab LayoutError — a row taller than the page. Long cells wrap and a row continues on the next page."""
    from socplan.services.indicators.catalogue import list_forms

    for form in list_forms(demo_ctx):
        out = tmp_path / f"{form.code}.pdf"
        build_achievement_report(demo_ctx, form.code, "Омская область", Period(2024), out)
        raw = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(raw.replace("\u00a0", " ").split())
        assert form.name.split()[0] in text
        built = achievement_report(demo_ctx, form.code, "Омская область", Period(2024))
        pages = _pdf_text(out).split("\f")[:-1]
        # the header at the top of every page, once (reportlab's splitInRow repeated it mid-page)
        assert [p.count("Наименование показателя") for p in pages[:-1]] == [1] * (len(pages) - 1), form.code
        assert pages[-1].count("Наименование показателя") <= 1, form.code
        for line in built.report.lines:  # every row's name is printed in full, word for word
            words = line.name.split()
            assert " ".join(words[:2]) in text and words[-1] in text, (form.code, line.code)


@pytest.mark.parametrize(("name", "signed"), [("Тестов Тест Тестович", ["Т.Т.", "Тестов"]), ("Иванова", ["Иванова"])])
def test_report_is_signed_by_who_prepared_it(demo_ctx, tmp_path, name, signed) -> None:  # noqa: ANN001
    """The report ends with the preparer's signature block: the position on the left, «И.О. Фамилия» on the
    right of the same line (one rule for every report: domain.reference.initials_surname_of)."""
    from dataclasses import replace

    from socplan.services.context import AppContext

    ctx = AppContext(demo_ctx.db, replace(demo_ctx.user, name=name, position="главный специалист"))
    out = tmp_path / "r.pdf"
    out.write_bytes(achievement_report(ctx, "ГП", "Тарский муниципальный район", Period(2024)).pdf)
    text = _pdf_text(out).replace("\u00a0", " ")
    line = next(x for x in text.splitlines() if "Главный специалист" in x)
    assert line.split()[-len(signed):] == signed
