"""The completeness and timeliness board as an xlsx workbook: «Сводка» (territories × forms, coloured by
state) and «Подробно» (one row per cell). Plain data in, a file out; values from outside are written as text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass(frozen=True)
class BoardSheet:
    title: str
    summary: Sequence[str]  # lines under the title
    header: Sequence[str]  # «Территория», form codes…, «Сдано, %»
    rows: Sequence[Sequence[str]]
    fills: Sequence[Sequence[str]]  # hex colour per cell of ``rows`` («» — none)
    detail_header: Sequence[str]
    detail_rows: Sequence[Sequence[object]]


def write_board_xlsx(path: Path, sheet: BoardSheet) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "Сводка"
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=12)
    for n, line in enumerate(sheet.summary, start=2):
        ws.cell(n, 1, line)
    head = len(sheet.summary) + 3
    for col, title in enumerate(sheet.header, start=1):
        cell = ws.cell(head, col, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
    fills: dict[str, PatternFill] = {}
    for r, (row, colours) in enumerate(zip(sheet.rows, sheet.fills), start=head + 1):
        for c, (value, colour) in enumerate(zip(row, colours), start=1):
            cell = ws.cell(r, c, value)
            cell.data_type = "s"
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left" if c == 1 else "center")
            if colour:
                fills.setdefault(colour, PatternFill("solid", fgColor=colour.lstrip("#").upper()))
                cell.fill = fills[colour]
    ws.column_dimensions["A"].width = 34
    from openpyxl.utils import get_column_letter

    for c in range(2, len(sheet.header) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = ws.cell(head + 1, 2)

    detail = wb.create_sheet("Подробно")
    for col, title in enumerate(sheet.detail_header, start=1):
        cell = detail.cell(1, col, title)
        cell.font = Font(bold=True)
        cell.border = border
    for r, row in enumerate(sheet.detail_rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = detail.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"
    for c, width in enumerate((34, 10, 40, 16, 14, 14, 12, 12, 12), start=1):
        detail.column_dimensions[get_column_letter(c)].width = width
    detail.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    from socplan.xlsx_safe import mark_sheets

    mark_sheets(wb)  # «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» on a demo's sheets
    wb.save(path)
    return path


__all__ = ["BoardSheet", "write_board_xlsx"]
