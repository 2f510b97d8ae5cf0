"""Builders of hostile xlsx files (used by the tests and by benchmarks/bench_hostile_xlsx.py).

Each takes an honest workbook (bytes) and changes its first worksheet — the sheet every reader of ours reads
first (plans: the first sheet, subsidies: «Отбор», indicators: «Форма») — or the zip around it.
"""

from __future__ import annotations

import io
import zipfile
from typing import Callable

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def base_xlsx(sheets: tuple[str, ...] = ("Отбор", "Заявки")) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    wb.active.append(["procedure", "app12"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def replace_parts(blob: bytes, parts: dict[str, bytes | Callable[[zipfile.ZipFile, str], None]],
                  extra: int = 0) -> bytes:
    """Copy a zip, replacing parts (bytes, or a function that streams the part into the new zip) and adding
    ``extra`` tiny entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        for name in names:
            new = parts.get(name)
            if new is None:
                dst.writestr(name, src.read(name))
            elif callable(new):
                new(dst, name)
            else:
                dst.writestr(name, new)
        for name, new in parts.items():
            if name not in names:
                new(dst, name) if callable(new) else dst.writestr(name, new)
        for i in range(extra):
            dst.writestr(f"customXml/item{i}.xml", b"<a/>")
    return out.getvalue()


def _sheet(body: str, dimension: str = "A1") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
            f"<sheetData>{body}</sheetData></worksheet>").encode()


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _padding(megabytes: int) -> Callable[[zipfile.ZipFile, str], None]:
    """A valid sheet with ``megabytes`` MB of spaces inside, streamed (never held in memory)."""
    def write(zf: zipfile.ZipFile, name: str) -> None:
        head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'.encode()
        chunk = b" " * (1024 * 1024)
        with zf.open(_deflated(name), "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")
    return write


def dimension_bomb(blob: bytes) -> bytes:
    """The trial's 9 KB file: A1:XFD1048576 declared, one cell in the last corner."""
    cell = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return replace_parts(blob, {SHEET: _sheet(cell, "A1:XFD1048576")})


def far_row(blob: bytes) -> bytes:
    """A modest declared dimension, but a value a million rows down."""
    return replace_parts(blob, {SHEET: _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>procedure</t></is></c></row>'
                                              '<row r="1048000"><c r="A1048000"><v>1</v></c></row>')})


def far_column(blob: bytes) -> bytes:
    return replace_parts(blob, {SHEET: _sheet('<row r="7"><c r="XFD7"><v>1</v></c></row>')})


def too_many_rows(blob: bytes, rows: int = 30_000) -> bytes:
    body = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, rows + 1))
    return replace_parts(blob, {SHEET: _sheet(body, f"A1:A{rows}")})


def zip_bomb(blob: bytes, megabytes: int = 300) -> bytes:
    """A sheet inflating to ``megabytes`` MB from well under 1 MB."""
    return replace_parts(blob, {SHEET: _padding(megabytes)})


def small_ratio_bomb(blob: bytes) -> bytes:
    """Under every size cap (3 MB) but compressed a thousandfold."""
    return replace_parts(blob, {SHEET: _padding(3)})


def shared_strings_bomb(blob: bytes) -> bytes:
    def write(zf: zipfile.ZipFile, name: str) -> None:
        with zf.open(_deflated(name), "w") as fh:
            fh.write(f'<?xml version="1.0"?><sst {NS} count="1" uniqueCount="1"><si><t>'.encode())
            for _ in range(40):
                fh.write(b"a" * (1024 * 1024))
            fh.write(b"</t></si></sst>")
    return replace_parts(blob, {"xl/sharedStrings.xml": write})


def many_entries(blob: bytes) -> bytes:
    return replace_parts(blob, {}, extra=1500)


def billion_laughs(blob: bytes) -> bytes:
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};&a{i - 1};&a{i - 1};">'
                                             for i in range(1, 12))
    xml = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet {NS}><sheetData><row r="1">'
           '<c r="A1" t="inlineStr"><is><t>&a11;</t></is></c></row></sheetData></worksheet>')
    return replace_parts(blob, {SHEET: xml.encode()})


def not_a_zip(blob: bytes) -> bytes:
    return b"PK\x03\x04 this is not a workbook" + b"\x00" * 100


def truncated(blob: bytes) -> bytes:
    return blob[: len(blob) // 2]


def garbage_sheet(blob: bytes) -> bytes:
    return replace_parts(blob, {SHEET: b"<worksheet><sheetData><row r='x'><c r='??'>"})


HOSTILE: dict[str, Callable[[bytes], bytes]] = {
    "dimension_bomb": dimension_bomb,
    "far_row": far_row,
    "far_column": far_column,
    "too_many_rows": too_many_rows,
    "zip_bomb": zip_bomb,
    "small_ratio_bomb": small_ratio_bomb,
    "shared_strings_bomb": shared_strings_bomb,
    "many_entries": many_entries,
    "billion_laughs": billion_laughs,
    "not_a_zip": not_a_zip,
    "truncated": truncated,
    "garbage_sheet": garbage_sheet,
}
