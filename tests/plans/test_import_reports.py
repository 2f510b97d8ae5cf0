"""Import of plans from .docx/.xlsx (seed 001 table) and the plan reports (PDF text checked with pdftotext)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from socplan.domain.errors import ImportFileError, ValidationError
from socplan.services.plans import plans
from socplan.services.plans.importing import confirm_import, preview_import
from socplan.services.plans.reports import execution_report, plan_document
from socplan.services.plans.rows import PlanInput
from socplan.services.reports.registry import list_reports


def _seed_rows(seeds_dir: Path) -> list[list[str]]:
    """Rows of seed 001's plan table as extracted: repeated headers and page-break continuation rows."""
    lines = (seeds_dir / "001_30047ea4ca5967a0.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("№\tМероприятия"))
    return [x.split("\t")[:5] for x in lines[start:] if "\t" in x]


def _docx(path: Path, rows: list[list[str]], merged_header: bool = True) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("ПЛАН")
    t = d.add_table(rows=0, cols=5)
    if merged_header:  # two header lines, «Сроки исполнения» merged vertically, like Word plans
        h1 = t.add_row().cells
        h2 = t.add_row().cells
        for i, name in enumerate(rows[0]):
            h1[i].text = name
        h1[0].merge(h2[0]); h1[1].merge(h2[1]); h1[3].merge(h2[3]); h1[4].merge(h2[4])
        h2[2].text = "(результат)"
        rows = rows[1:]
    for r in rows:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v
    d.save(str(path))
    return path


def test_docx_import_of_seed_001_table(ctx, seeds_dir, tmp_path) -> None:
    path = _docx(tmp_path / "план.docx", _seed_rows(seeds_dir))
    pv = preview_import(ctx, path)
    assert pv.mapping[:5] == ("number", "text", "form", "deadline", "executors")
    assert len(pv.events) == 32 and not pv.problems
    ev = {e.number: e for e in pv.events}
    assert ev["5.3"].deadline == "2025 – 2026 гг., в течение 5 рабочих дней со дня утверждения планов"
    assert ev["3.3"].deadline == "I квартал 2025 – 2026 гг." and ev["3.3"].deadline_recognised
    assert ev["1.1"].controllers == ("ДСО", "УДСП")  # short names from «(далее – ДСО)»
    assert {m.short_name for m in pv.missing} >= {"ДСО", "Общественный совет по НОК", "Аналитический отдел Министерства"}
    assert next(m for m in pv.missing if m.short_name == "ДСО").full_name == "департамент социального обслуживания Министерства"
    data = PlanInput("План НОК (импорт)", 2025, 2026)
    with pytest.raises(ValidationError, match="Нет в справочнике организаций"):
        confirm_import(ctx, path, data)
    assert plans.list_plans(ctx) == []  # nothing half-imported
    row = confirm_import(ctx, path, data, create_missing=True)
    assert row.event_count == 32 and row.status == "draft"
    numbers = [e.number for e in plans.list_events(ctx, row.id)]
    assert numbers[:4] == ["1", "1.1", "1.2", "2"] and numbers[-1] == "12.2"


def test_xlsx_import_with_column_mapping_and_bad_input(ctx, seeds_dir, tmp_path) -> None:
    from openpyxl import Workbook

    rows = _seed_rows(seeds_dir)
    wb = Workbook()
    ws = wb.active
    ws.append(["План мероприятий"])
    ws.append(["Пункт", "Содержание работ", "Что получится", "Когда", "Кто"])  # unusual names → mapping
    for r in rows[1:]:
        if r[0] != "№":  # no repeated header rows in this file: the header row is the renamed one
            ws.append(r)
    path = tmp_path / "план.xlsx"
    wb.save(path)
    with pytest.raises(ImportFileError, match="строка заголовка"):
        preview_import(ctx, path)
    ws.cell(2, 2).value = "Мероприятие"
    ws.cell(2, 4).value = "Срок"
    wb.save(path)
    pv = preview_import(ctx, path, ["number", "text", "form", "deadline", "executors"])
    assert len(pv.events) == 32
    with pytest.raises(ImportFileError, match="Одно поле выбрано для нескольких столбцов"):
        preview_import(ctx, path, ["number", "text", "text", "deadline", "executors"])
    # an event number out of sequence blocks the import
    ws.cell(5, 1).value = "1.5"
    wb.save(path)
    pv = preview_import(ctx, path)
    assert any("нарушает порядок" in p for p in pv.problems)
    with pytest.raises(ImportFileError) as exc:
        confirm_import(ctx, path, PlanInput("План", 2025, 2026), create_missing=True)
    assert any("1.5" in p for p in exc.value.problems)
    assert plans.list_plans(ctx) == []


def test_docx_without_table(ctx, tmp_path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Просто текст")
    d.save(str(tmp_path / "x.docx"))
    with pytest.raises(ImportFileError, match="нет таблицы"):
        preview_import(ctx, tmp_path / "x.docx")
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(ImportFileError, match="не поддерживается"):
        preview_import(ctx, tmp_path / "x.pdf")


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_plan_document_has_approval_block_and_table(demo_ctx, tmp_path) -> None:
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    r = plan_document(demo_ctx, nok.id)
    text = _pdf_text(r.pdf, tmp_path)
    assert "УТВЕРЖДАЮ" in text and "И.П. Варнавская" in text and "«23» декабря 2024 года" in text
    assert "ПЛАН" in text and "Сроки" in text and "Ответственные" in text
    assert "до 20 января" in text and "I – II квартал" in text
    assert any(x.kind == "plan" and x.id == r.record_id for x in list_reports(demo_ctx))


def test_execution_report_totals(demo_ctx, tmp_path) -> None:
    nok = next(p for p in plans.list_plans(demo_ctx) if p.kind == "events")
    r = execution_report(demo_ctx, nok.id, dt.date(2025, 1, 1), dt.date(2025, 6, 30), today=dt.date(2025, 7, 10))
    text = " ".join(_pdf_text(r.pdf, tmp_path).split())
    assert "ИНФОРМАЦИЯ" in text and "за I полугодие 2025 года" in text
    # points due in I half-year 2025: 12.1, 12.2 (20.01), 2.1–2.3, 3.3, 4 (31.03), 2.4, 6.1 (30.06), 7 (15.05)
    assert "Итого: выполнено 3 из 11, просрочено 7 (по состоянию на 01.07.2025)." in text
    from openpyxl import load_workbook
    import io

    ws = load_workbook(io.BytesIO(r.xlsx)).active
    assert ws["A1"].value.startswith("Информация о ходе реализации плана Министерства труда")
    values = [c.value for c in ws["F"] if c.value]
    assert any("Перечень организаций" in str(v) for v in values)
    assert any("срок перенесён с 15.05.2025 на 15.12.2025" in str(v) for v in values)
    assert any(str(c.value).startswith("Итого: выполнено 3 из 11") for c in ws["A"] if c.value)


def test_programme_plan_prints_financing_by_year_and_results(demo_ctx, tmp_path) -> None:
    prog = next(p for p in plans.list_plans(demo_ctx) if p.kind == "programme")
    text = _pdf_text(plan_document(demo_ctx, prog.id).pdf, tmp_path)
    assert "ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ" in text and "Финансовое обеспечение, рублей" in text  # seed 003 layout
    assert "Всего, в том" in text and "областной" in text
    assert "ВСЕГО по комплексу" in text
    assert "807 139 381,57" in text and "115 305 653,19" in text  # seed 003 Appendix 4, event 1 of part 2
    assert "Результаты мероприятий" in text and "33 600" in text and "тысяч человек" in text
