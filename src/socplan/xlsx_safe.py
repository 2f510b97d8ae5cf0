"""Every xlsx the application writes goes out through here: text is text, never a live formula.

A top-level module (standard library only, openpyxl objects duck-typed) because both `io/` and `reports/` write
workbooks and the layer contract keeps those two independent.

openpyxl takes any ``str`` that begins with «=» for a formula, and Excel (or LibreOffice, or a CSV made from the
sheet) also evaluates text that begins with «+», «-», «@», a tab or a carriage return. Text that came in through an
import (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``) must not come back out as one. As OWASP recommends for CSV/
formula injection, such text is prefixed with an apostrophe and stored as a string cell; the application makes no
formulas of its own. Importers call :func:`restore` on text read from our own templates so that a round trip keeps
the user's text unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

#: first characters that make a spreadsheet evaluate a cell (OWASP "CSV injection")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    return text.startswith(DANGEROUS_PREFIXES) or (text.startswith(QUOTE) and text[1:2] != ""
                                                   and text[1:].startswith(DANGEROUS_PREFIXES + (QUOTE,)))


def neutralise(text: str) -> str:
    """The text as it may be written to a cell: an apostrophe before a formula-like start.

    «'» followed by a dangerous character (or by another «'») is quoted again, so that :func:`restore` is its
    exact inverse.
    """
    return QUOTE + text if _needs_quote(text) else text


def restore(value: Any) -> Any:
    """Inverse of :func:`neutralise` for text read back from a workbook we wrote (other values unchanged)."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def safe_value(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def seal(workbook: Any) -> int:
    """Make every text cell of every sheet a plain string cell; returns how many cells were neutralised."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                safe = neutralise(value)
                if safe != value or cell.data_type != "s":
                    cell.value = safe
                    cell.data_type = "s"
                    changed += safe != value
    return changed


def mark_sheets(workbook: Any) -> None:
    """«ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» in the print header of every sheet of a workbook made from the demo database
    (the mark of :mod:`socplan.marks`; nothing for a working database)."""
    from socplan.marks import page_mark

    mark = page_mark.get()
    if not mark:
        return
    for ws in workbook.worksheets:
        for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
            header.right.text = mark.replace("&", "&&")
            header.right.size = 12


def save_workbook(workbook: Any, target: str | Path | IO[bytes]) -> None:
    """Seal the workbook (see :func:`seal`), mark a demo's (see :func:`mark_sheets`) and save it (to a file:
    through a temporary file, see :mod:`socplan.atomic`). Every xlsx export of the application saves through this."""
    seal(workbook)
    mark_sheets(workbook)
    if isinstance(target, (str, Path)):
        from socplan.atomic import replacing

        with replacing(target) as tmp:  # a file appears whole or not at all
            workbook.save(tmp)
    else:
        workbook.save(target)
