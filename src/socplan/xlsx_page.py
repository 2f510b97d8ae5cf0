"""Print setup of every Excel copy of a document (issue 14), shared by io/ and reports/: A4, fit to the page
width, the header rows repeated on every printed page, the header frozen on screen, the documents' font (Times New Roman — the PDF's Liberation
Serif is its metric-compatible twin), column widths that show the numbers, GOST margins."""

from __future__ import annotations

from typing import Any

FONT = "Times New Roman"
#: DOCUMENTS.md §1 margins in inches (left 20, right 10, top 20, bottom 20 mm)
MARGINS_IN = (20 / 25.4, 10 / 25.4, 20 / 25.4, 20 / 25.4)


def print_setup(ws: Any, *, header_first: int | None = None, header_last: int | None = None,
                landscape: bool = True, freeze: str | None = None, font: bool = True,
                fit_numbers: bool = True) -> None:
    """Apply the print setup to ``ws``. ``header_first``–``header_last``: the table's header rows (1-based),
    repeated on every page and frozen below (``freeze`` overrides the frozen cell)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    left, right, top, bottom = MARGINS_IN
    ws.page_margins.left, ws.page_margins.right = left, right
    ws.page_margins.top, ws.page_margins.bottom = top, bottom
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P"  # page number (Excel puts no number otherwise)
    if header_first is not None:
        last = header_last or header_first
        ws.print_title_rows = f"{header_first}:{last}"
        if freeze is None:
            freeze = f"A{last + 1}"
    if freeze:
        ws.freeze_panes = freeze
    if font:
        use_document_font(ws)
    if fit_numbers:
        widen_for_numbers(ws)


def use_document_font(ws: Any) -> None:
    """Every written cell in the documents' font, keeping its size and weight."""
    from copy import copy

    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            f = copy(cell.font)
            f.name = FONT
            cell.font = f


def widen_for_numbers(ws: Any) -> None:
    """A column holding numbers is at least as wide as its longest number shows («128 622 499 874,82»), so Excel
    never prints «####»."""
    from openpyxl.utils import get_column_letter

    need: dict[int, float] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, bool) or not isinstance(value, (int, float)) and type(value).__name__ != "Decimal":
                continue
            digits = len(f"{abs(value):,.2f}") + (1 if value < 0 else 0)
            need[cell.column] = max(need.get(cell.column, 0), digits * 1.15 + 2)
    for column, width in need.items():
        dim = ws.column_dimensions[get_column_letter(column)]
        if (dim.width or 8.43) < width:
            dim.width = width


__all__ = ["print_setup", "use_document_font", "widen_for_numbers", "FONT"]
