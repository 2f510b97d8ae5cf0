"""Issue 14: every document type printed from the demo data — every plan, meeting, indicator form, subsidy round
and report — in PDF, DOCX and XLSX: produced, A4 on every page, and no placeholder («№ ____», «Вопрос № »)
where the data has the value. Each XLSX prints on A4, fitted to the width, with its header rows repeated on every
page and frozen on screen, in the documents' font; each DOCX is A4 with GOST margins."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest

from socplan.domain.indicators import Period

A4 = (595.28, 841.89)


def pdf_pages(data: bytes, tmp_path: Path, name: str) -> tuple[list[tuple[float, float]], str]:
    """(page sizes in points, the text) of a PDF."""
    assert data.startswith(b"%PDF"), name
    path = tmp_path / name
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return sizes, " ".join(text.replace("\u00a0", " ").split())


def assert_a4(data: bytes, tmp_path: Path, name: str) -> str:
    sizes, text = pdf_pages(data, tmp_path, name)
    assert sizes, name
    for w, h in sizes:
        assert sorted((round(w, 0), round(h, 0))) == [595, 842], (name, w, h)
    return text


def assert_xlsx(data: bytes, name: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert int(ws.page_setup.paperSize) == 9, (name, ws.title)  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, (name, ws.title)
        fonts = {c.font.name for row in ws.iter_rows(max_row=min(ws.max_row, 40)) for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}, (name, ws.title, fonts)
        if ws.max_row > 3 and ws.title != "Сводка":  # a table: header repeated on every page and frozen
            assert ws.print_title_rows, (name, ws.title)
            assert ws.freeze_panes, (name, ws.title)


def assert_docx(data: bytes, name: str) -> None:
    from docx import Document
    from docx.shared import Mm

    section = Document(io.BytesIO(data)).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1), name
    assert [round(x / Mm(1)) for x in (section.left_margin, section.right_margin, section.top_margin,
                                       section.bottom_margin)] == [20, 10, 20, 20], name


def test_protocols_every_meeting_and_body(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.protocols import meetings, printing
    from socplan.services.protocols.bodies import list_bodies

    all_meetings = meetings.list_meetings(demo_ctx)
    assert len(all_meetings) == 6
    for m in all_meetings:
        draft = bool(printing.protocol_missing(demo_ctx, m.id))
        detail = meetings.meeting_detail(demo_ctx, m.id)
        pdf = printing.build_protocol(demo_ctx, m.id, "pdf", draft=draft).data
        text = assert_a4(pdf, tmp_path, f"protocol-{m.id}.pdf")
        if m.number:
            assert f"ПРОТОКОЛ № {m.number}" in text and "№ ____" not in text, m.id
        for item in detail.agenda:
            if item.title:
                assert f"{item.number}. " + " ".join(item.title.split()[:4]) in text, (m.id, item.number)
        if all(item.title for item in detail.agenda):
            assert "Вопрос № " not in text and "наименование вопроса не внесено" not in text, m.id
        if m.presiding_name:
            assert m.presiding_name.replace("\u00a0", " ") in text, m.id
        if m.secretary_name:
            assert m.secretary_name.replace("\u00a0", " ") in text, m.id
        assert ("ПРОЕКТ" in text) == draft, m.id
        assert_docx(printing.build_protocol(demo_ctx, m.id, "docx", draft=draft).data, f"protocol-{m.id}.docx")
    for body in list_bodies(demo_ctx):
        for fmt in ("pdf", "xlsx"):
            data = printing.build_execution_report(demo_ctx, body.id, fmt).data
            if fmt == "pdf":
                assert_a4(data, tmp_path, f"execution-{body.id}.pdf")
            else:
                assert_xlsx(data, f"execution-{body.id}.xlsx")


def test_plans_every_plan_and_its_execution_report(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.plans import plans
    from socplan.services.plans.reports import execution_report, plan_document

    all_plans = plans.list_plans(demo_ctx)
    assert len(all_plans) == 4
    for p in all_plans:
        text = assert_a4(plan_document(demo_ctx, p.id).pdf, tmp_path, f"plan-{p.id}.pdf")
        assert "УТВЕРЖДАЮ" in text or "Приложение" in text or "Государственная программа" in text, p.id
        for word in ("Редакция", "статус:", "changed_by"):
            assert word not in text, (p.id, word)
        report = execution_report(demo_ctx, p.id, dt.date(p.year_from, 1, 1), dt.date(p.year_to, 12, 31),
                                  today=dt.date(2026, 12, 1))
        text = assert_a4(report.pdf, tmp_path, f"execution-{p.id}.pdf")
        for word in ("not_started", "changed_by", "Редакция", "без контрольной точки"):
            assert word not in text, (p.id, word)
        assert_xlsx(report.xlsx, f"execution-{p.id}.xlsx")


def test_indicators_every_form(demo_ctx, tmp_path: Path) -> None:
    from socplan.reports.indicators_achievement import build_xlsx
    from socplan.services.indicators.catalogue import list_forms
    from socplan.services.indicators.report import achievement_report

    forms = list_forms(demo_ctx)
    assert len(forms) == 4
    for form in forms:
        built = achievement_report(demo_ctx, form.code, "Омская область", Period(2024))
        text = assert_a4(built.pdf, tmp_path, f"indicators-{form.code}.pdf")
        assert "нет значения:" not in text, form.code  # «плановое значение не установлено», in words
        out = build_xlsx(built.report, tmp_path / f"indicators-{form.code}.xlsx")
        assert_xlsx(out.read_bytes(), f"indicators-{form.code}.xlsx")


def test_subsidies_every_round_and_document(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.subsidies.reports import build_pdf, protocol_xlsx, _signer
    from socplan.services.subsidies.rounds import calculate_round, list_rounds

    rounds = list_rounds(demo_ctx)
    assert len(rounds) == 2
    for r in rounds:
        calc = calculate_round(demo_ctx, r.id)
        kinds = ["protocol", "distribution", "efficiency", "clawback"] + (["rating"] if calc.result12 else [])
        for kind in kinds:
            text = assert_a4(build_pdf(calc, kind, _signer(demo_ctx)), tmp_path, f"subsidy-{r.id}-{kind}.pdf")
            for word in ("MB_i", "V_i", "РБО_i", "г.."):
                assert word not in text, (r.id, kind, word)
        assert_xlsx(protocol_xlsx(calc), f"subsidy-{r.id}.xlsx")


@pytest.mark.parametrize("fmt", ["xlsx"])
def test_indicator_template_print_setup(demo_ctx, tmp_path: Path, fmt: str) -> None:
    from socplan.services.indicators.excel import export_template

    out = tmp_path / f"t.{fmt}"
    export_template(demo_ctx, "ГП", "Тарский муниципальный район", Period(2025), out)
    assert_xlsx(out.read_bytes(), "template")
