"""The calculation protocol as an xlsx workbook: one sheet per table, numbers as numbers, clause in each title."""

from __future__ import annotations

import io
from decimal import Decimal

from socplan.domain.subsidies.calculation import Calculation
from socplan.reports.subsidies_tables import (DEC, INT, MONEY, PCT, POINTS, TEXT, ReportTable, notation_plain,
                                              protocol_tables)

SHEET_NAMES = {"inputs": "Исходные данные", "documents": "Документы", "rating": "Рейтинг",
               "rating_basis": "Основания баллов", "selection": "Отбор", "distribution": "Распределение",
               "cofinancing": "Остаток и софинансирование", "summary": "Итоги", "efficiency": "Эффективность",
               "clawback": "Возврат", "trace": "Ход расчёта"}
FORMATS = {MONEY: "#,##0.00", INT: "#,##0", POINTS: "0.00", PCT: "0.00%", DEC: "0.0#####"}


def _value(value, kind: str):  # noqa: ANN001, ANN202
    if isinstance(value, bool):
        return "да" if value else "нет"
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value) if kind in (PCT, DEC) and value.as_tuple().exponent < -12 else value  # type: ignore[operator]
    return value


def _sheet(wb, t: ReportTable) -> None:  # noqa: ANN001
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(SHEET_NAMES.get(t.key, t.key)[:31])
    ws.append([notation_plain(t.title + (f" ({t.clause} Порядка)" if t.clause else ""))])
    ws["A1"].font = Font(bold=True)
    ws.append([notation_plain(c.title) for c in t.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(t.rows):
        ws.append([notation_plain(v) if isinstance(v, str) and c.kind == TEXT else _value(v, c.kind)
                   for v, c in zip(row, t.columns)])
        for j, c in enumerate(t.columns, start=1):
            cell = ws.cell(row=ws.max_row, column=j)
            if c.kind in FORMATS and not isinstance(cell.value, str):
                cell.number_format = FORMATS[c.kind]
            if c.kind == TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if i in t.bold_rows:
                cell.font = Font(bold=True)
    for note in t.notes:
        ws.append([notation_plain(note)])
    for j, c in enumerate(t.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(10, c.width_mm * 0.6)
    from socplan.xlsx_page import print_setup

    print_setup(ws, header_first=2, landscape=len(t.columns) > 5, freeze="B3")


def protocol_xlsx(calc: Calculation) -> bytes:
    """Every table of the protocol (inputs, intermediate values, results, the full trace) in one workbook."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Сводка"
    ws.append([f"Протокол расчёта субсидий на {calc.info.year} год"])
    ws.append([calc.info.procedure_label])
    if calc.info.title:
        ws.append([calc.info.title])
    ws.append(["Объём средств, руб.", calc.budget])
    ws.append(["Распределено, руб.", calc.allocated])
    ws.append(["Не распределено, руб.", calc.unallocated])
    for row in ws.iter_rows(min_row=ws.max_row - 2, max_row=ws.max_row, min_col=2, max_col=2):
        row[0].number_format = FORMATS[MONEY]
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 22
    from socplan.xlsx_page import print_setup

    print_setup(ws, landscape=False)
    for t in protocol_tables(calc):
        _sheet(wb, t)
    out = io.BytesIO()
    from socplan.xlsx_safe import save_workbook

    save_workbook(wb, out)
    return out.getvalue()
