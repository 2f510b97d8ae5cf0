"""Printed documents of plans: the plan as approved (layout of seed 001 with «УТВЕРЖДАЮ») and
«Информация о ходе реализации плана … за <период>» (PDF and xlsx). Input is plain data, no database."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Callable

from socplan.formatting import format_date, format_number
from socplan.reports.document import DocumentBuilder, DocumentSpec
from socplan.reports.plans_data import PlanDocData, PlanDocEvent  # noqa: F401  (the documents' input, re-exported)
from socplan.reports.signature_company import keep_with_signature

_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
               "октября", "ноября", "декабря"]


def approval_date_text(value: dt.date | None) -> str:
    """«"23" декабря 2024 года» as in the approval block of seed 001."""
    if value is None:
        return "«___» ____________ 20__ года"
    return f"«{value.day:02d}» {_MONTHS_GEN[value.month - 1]} {value.year} года"


def plan_pdf(data: PlanDocData) -> bytes:
    """The plan as a document: approval block, «ПЛАН», title, the table of events (seed 001 layout)."""
    has_financing = any(e.financing for e in data.events)
    doc = DocumentBuilder(DocumentSpec(title=data.title, author=data.author, subject="План мероприятий",
                                       landscape=has_financing or data.kind == "approbation"))
    if data.basis:
        doc.paragraph(data.basis, align="right", indent=False, size=12, space_after_mm=4)
    if data.approval_word and data.approval_name:
        doc.approval_block(data.approval_position, data.approval_name, approval_date_text(data.approval_date),
                           word=data.approval_word)
    doc.heading(data.heading, space_after_mm=2)
    # «ПЛАН / Министерства труда …» (seed 001): the word is the heading, the title goes on without it
    title = data.title
    for word in (data.heading, "Мероприятия"):  # «ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ / государственной программы …»
        if word and title.casefold().startswith(word.casefold() + " "):
            title = title[len(word) + 1:]
            break
    doc.paragraph(title, align="center", indent=False, space_after_mm=6)
    if data.targets:
        doc.paragraph("1. Целевые показатели реализации Плана", align="center", indent=False, space_after_mm=3)
        n = len(data.targets_header) - 2
        doc.table([list(data.targets_header)], [list(r) for r in data.targets],
                  [11, 95] + [19] * n if not has_financing else [14, 150] + [24] * n,
                  align=["center", "left"] + ["center"] * n)
        doc.spacer(6)
        # the section title goes to the next page unless the table's header and its first event fit under it
        from reportlab.platypus import CondPageBreak
        from reportlab.lib.units import mm

        doc.flowable(CondPageBreak(70 * mm))
        doc.paragraph("2. План", align="center", indent=False, space_after_mm=3)
    if data.kind == "approbation":
        _approbation_table(doc, data)
    elif data.kind == "campaign":
        _campaign_table(doc, data)
    elif has_financing:
        from socplan.reports.plans_programme import programme_table

        programme_table(doc, data)
    else:
        rows, bold = [], []
        for i, e in enumerate(data.events):
            rows.append([e.number, e.text, e.form, "" if e.is_group and not e.deadline else e.deadline, e.executors])
            if e.is_group:
                bold.append(i)
        widths = [14, 95, 60, 50, 58] if has_financing else [11, 60, 38, 36, 40]
        # seed 001: the header repeats on every page, no «1 2 3 …» row under it
        doc.table([["№", "Мероприятия", "Форма реализации", "Сроки исполнения", "Ответственные исполнители"]],
                  rows, widths, align=["center", "left", "left", "left", "left"],
                  keep_rows=[(i, i + 1) for i in bold])  # «11 Проведение опросов, в том числе:» with its 11.1
    if any(e.results for e in data.events):
        doc.spacer(6)
        doc.heading("Результаты мероприятий", space_after_mm=2)
        rrows = []
        for e in data.events:
            for k, (name, unit, values) in enumerate(e.results):
                by_year = dict(values)
                rrows.append([e.number if k == 0 else "", e.text if k == 0 else "", name or "—", unit]
                             + [format_number(by_year.get(y), empty="–") for y in data.years])
        n = len(data.years)
        doc.table([["№", "Наименование мероприятия", "Наименование результата", "Единица измерения"]
                   + [f"{y} год" for y in data.years]], rrows, [9, 60, 40, 25] + [17] * n, number_row=True,
                  font_size=8, align=["center", "left", "left", "left"] + ["right"] * n)
    return doc.build_bytes()


def _approbation_table(doc: DocumentBuilder, data: PlanDocData) -> None:
    """Seed 002, Appendix 2: «№ п/п | Этап апробации | Мероприятие | Срок исполнения | Результат | Ответственные
    исполнители», the column numbers under the header. A stage («1.» and its name) is printed on the row of its
    first event («1.1. …»), as the seed's text has it (the seed merges the cells down its events; reportlab cannot
    break such a SPAN across pages, and a stage runs over a page)."""
    rows: list[list[str]] = []
    stage: tuple[str, str] | None = None
    stage_first = 0
    for e in data.events:
        if e.is_group:
            stage, stage_first = (f"{e.number}.", e.text), len(rows)
        elif stage is None:
            rows.append([f"{e.number}.", e.text, "", e.deadline, e.form, e.executors])
        else:
            lead = list(stage) if len(rows) == stage_first else ["", ""]
            rows.append(lead + [f"{e.number}. {e.text}", e.deadline, e.form, e.executors])
    doc.table([["№ п/п", "Этап апробации", "Мероприятие", "Срок исполнения", "Результат", "Ответственные исполнители"]],
              rows, [12, 50, 75, 30, 45, 50], number_row=True, align=["center", "left", "left", "left", "left", "left"])


def _campaign_table(doc: DocumentBuilder, data: PlanDocData) -> None:
    """Seed 004: «№ п/п | Мероприятие | Дата проведения/ периодичность | Ответственный исполнитель»."""
    rows = [[e.number, e.text, e.deadline, e.executors] for e in data.events]
    doc.table([["№ п/п", "Мероприятие", "Дата проведения/ периодичность", "Ответственный исполнитель"]], rows,
              [12, 88, 35, 45], align=["center", "left", "left", "left"])


@dataclass(frozen=True)
class ExecutionLine:
    number: str
    text: str
    deadline: str
    executors: str
    status: str
    info: str
    is_group: bool = False
    overdue: bool = False


@dataclass(frozen=True)
class ExecutionData:
    plan_title: str
    period_text: str  # «I полугодие 2025 года» / «01.01.2025 – 30.06.2025»
    as_of: dt.date
    lines: tuple[ExecutionLine, ...]
    done: int
    total: int
    overdue: int
    signer_position: str = ""
    signer_name: str = ""
    author: str = ""
    executor_mark: str = ""


def execution_title(data: ExecutionData) -> str:
    return f"Информация о ходе реализации плана {data.plan_title} за {data.period_text}"


def totals_text(data: ExecutionData) -> str:
    return f"Итого: выполнено {data.done} из {data.total}, просрочено {data.overdue} (по состоянию на " \
           f"{format_date(data.as_of)})."


def execution_pdf(data: ExecutionData, progress: Callable[[int, int, str], None] | None = None) -> bytes:
    """«Информация о ходе реализации плана … за <период>»: events with deadline, executors, status and
    execution info; totals «выполнено N из M, просрочено K»."""
    title = execution_title(data)
    doc = DocumentBuilder(DocumentSpec(title=title[:250], author=data.author, subject="Исполнение плана",
                                       landscape=True))
    doc.heading("ИНФОРМАЦИЯ", space_after_mm=1)
    doc.paragraph(title[len("Информация "):], align="center", indent=False, space_after_mm=6)
    rows, bold = [], []
    for i, line in enumerate(data.lines):
        status = line.status + (" (просрочено)" if line.overdue and "просроч" not in line.status else "")
        rows.append([line.number, line.text, line.deadline, line.executors, status, line.info])
        if line.is_group:
            bold.append(i)
    if progress:
        progress(1, 3, "Вёрстка таблицы")
    doc.table([["№", "Мероприятие", "Срок исполнения", "Ответственные исполнители", "Статус",
                "Информация об исполнении"]], rows, [12, 78, 38, 45, 28, 76], number_row=True, font_size=11,
              align=["center", "left", "left", "left", "left", "left"], bold_rows=bold)
    doc.spacer(4)
    start = len(doc.story)
    doc.paragraph(totals_text(data), indent=False, bold=True)
    if data.signer_name:
        doc.signature(data.signer_position, data.signer_name)
        keep_with_signature(doc, start)  # never alone on the last page: the totals come with it
    if data.executor_mark:
        doc.executor_mark(data.executor_mark)
    if progress:
        progress(2, 3, "Формирование PDF")
    return doc.build_bytes()


def execution_xlsx(data: ExecutionData) -> bytes:
    """The same report as an Excel workbook (one sheet, header, wrapped text, totals row)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Исполнение плана"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([execution_title(data)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    ws["A1"].font = Font(bold=True, size=12)
    ws["A1"].alignment = Alignment(wrap_text=True, horizontal="center")
    ws.row_dimensions[1].height = 48
    header = ["№", "Мероприятие", "Срок исполнения", "Ответственные исполнители", "Статус",
              "Информация об исполнении"]
    ws.append(header)
    ws.append([str(i) for i in range(1, 7)])
    for r in (2, 3):
        for c in range(1, 7):
            cell = ws.cell(r, c)
            cell.font = Font(bold=(r == 2))
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            cell.border = border
    for line in data.lines:
        ws.append([line.number, line.text, line.deadline, line.executors,
                   line.status + (" (просрочено)" if line.overdue and "просроч" not in line.status else ""),
                   line.info])
        r = ws.max_row
        for c in range(1, 7):
            cell = ws.cell(r, c)
            cell.alignment = wrap
            cell.border = border
            if line.is_group:
                cell.font = Font(bold=True)
    ws.append([])
    ws.append([totals_text(data)])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for col, width in zip("ABCDEF", (7, 60, 26, 32, 18, 60)):
        ws.column_dimensions[col].width = width
    from socplan.xlsx_page import print_setup

    print_setup(ws, header_first=2, header_last=3, landscape=True)
    out = io.BytesIO()
    from socplan.xlsx_safe import save_workbook

    save_workbook(wb, out)
    return out.getvalue()


__all__ = ["PlanDocData", "PlanDocEvent", "ExecutionData", "ExecutionLine", "plan_pdf", "execution_pdf",
           "execution_xlsx", "execution_title", "approval_date_text"]
