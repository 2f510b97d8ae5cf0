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


def page_words(data: bytes, tmp_path: Path, name: str, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of one page, in points from the sheet's top-left corner."""
    path = tmp_path / name
    path.write_bytes(data)
    xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml)]


def test_programme_list_columns_follow_their_content(demo_ctx, tmp_path: Path) -> None:
    """Seed 003 «ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ» on landscape A4 (13 columns): the first page holds the first event's rows
    (it used to hold the header and nothing: the event's name, in a 12 mm column, was a 40-line row that went to
    page 2); the name column is wider than any money column, and a money column is no wider than its figures need
    (column pitch under 25 mm: «1 508 844 500,00» at 8 pt is 21 mm with the padding); no text in the right margin."""
    from socplan.services.plans import plans
    from socplan.services.plans.reports import plan_document

    prog = next(p for p in plans.list_plans(demo_ctx) if p.kind == "programme")
    pdf = plan_document(demo_ctx, prog.id).pdf
    sizes, _ = pdf_pages(pdf, tmp_path, "programme.pdf")
    assert len(sizes) <= 8  # 24 pages before
    words = page_words(pdf, tmp_path, "programme.pdf", 1)
    first = " ".join(w for w, *_ in words)
    assert "1.1 Предоставление субсидий" in first and "35 000 010,00" in first.replace("\u00a0", " ")
    name = next(w for w in words if w[0] == "Предоставление")
    line = sorted((w for w in words if abs(w[2] - name[2]) < 1), key=lambda w: w[1])  # the event's first line
    years = next(w for w in line if w[0].startswith("2024"))
    sums = [w for w in line if re.fullmatch(r"\d{3},\d\d", w[0])]  # the last group of each sum, right-aligned
    pitches = [b[3] - a[3] for a, b in zip(sums, sums[1:])]
    assert len(sums) == len(prog_years := range(prog.year_from, prog.year_to + 2)), (len(sums), prog_years)
    name_width = years[1] - name[1]
    assert name_width > max(pitches), (name_width, pitches)
    assert max(pitches) < 25 * 72 / 25.4, pitches
    width = sizes[0][0]
    assert max(w[3] for w in words) <= width - 15 * 72 / 25.4, "text in the 15 mm right margin"


def test_protocol_lines_in_the_body_size(demo_ctx, tmp_path: Path) -> None:
    """«Время: …, Форма проведения: …», «Ответственные: …» and «Голосовали: …» are printed in the body's 14 pt
    like the rest of the protocol (they were 12 pt for no reason)."""
    from socplan.services.protocols import meetings, printing

    m = next(m for m in meetings.list_meetings(demo_ctx) if not printing.protocol_missing(demo_ctx, m.id))
    pdf = printing.build_protocol(demo_ctx, m.id, "pdf").data
    sizes, _ = pdf_pages(pdf, tmp_path, "p.pdf")
    words = [w for page in range(1, len(sizes) + 1) for w in page_words(pdf, tmp_path, "p.pdf", page)]
    body = next(w for w in words if w[0] == "Кворум")
    height = body[4] - body[2]
    for label in ("Время:", "Ответственные:", "Голосовали:"):
        found = [w for w in words if w[0] == label]
        assert found, label
        for w in found:
            assert abs((w[4] - w[2]) - height) < 0.3, (label, w[4] - w[2], height)


def test_full_width_tables_stay_inside_the_margins(tmp_path: Path) -> None:
    """GOST margins 20/10 mm (portrait): a table as wide as the text lines up with the text (the engine's tables
    stuck 2 mm out of the text on both sides, their rules on the margins, a right-aligned sum past the text's edge)."""
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec(title="Поля"))
    doc.paragraph("Текст документа от левого поля до правого поля, выровненный по ширине строки, " * 3)
    doc.table([["Муниципальное образование", "Сумма, руб."]], [["Тарский муниципальный район", "1 234 567,89"]] * 3,
              [150, 40], align=["left", "right"])
    words = page_words(doc.build_bytes(), tmp_path, "margins.pdf", 1)
    assert max(w[3] for w in words) <= A4[0] - 10 * 72 / 25.4
    assert min(w[1] for w in words) >= 20 * 72 / 25.4
    text_right = max(w[3] for w in words if w[0] == "ширине" or w[0] == "поля,")
    sums_right = max(w[3] for w in words if w[0] == "567,89")
    assert text_right - 4 < sums_right <= text_right  # the table's right edge is the text's (less the cell padding)
