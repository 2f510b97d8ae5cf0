"""The Excel entry template written as a stream (openpyxl write-only mode) with named cell styles.

The same layout, protection, validation and check sums as described in :mod:`socplan.io.indicators_excel`;
a cell gets one of a few named styles (one style record per kind of cell) instead of five style objects
each, which openpyxl would hash and look up per cell. Text that came from the catalogue or a district
(labels, units, reasons) is always written as text, never as a formula, even when it starts with «=».
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from socplan.io.indicators_excel import (COLUMNS, FIRST_ROW, FORMAT, HEADER_ROW,
                                         KEYS_SHEET, PROTECTION_PASSWORD, SHEET, TemplateSpec, _locked_text, _num,
                                         _row_label, row_check, structure_hash, version_rows)

NUMBER_FORMAT = "#,##0.########"
#: the documents' font in every Excel copy (the PDF's Liberation Serif is its metric-compatible twin)
FONT = "Times New Roman"
#: DOCUMENTS.md §1 margins in inches (left 20, right 10, top 20, bottom 20 mm)
MARGINS_IN = (20 / 25.4, 10 / 25.4, 20 / 25.4, 20 / 25.4)

try:  # the shared «text is never a formula» rule (an apostrophe before =, +, -, @ …), where the package has it
    from socplan.xlsx_safe import safe_value as _outside_text  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older tree: the cell is still written as a string cell
    def _outside_text(value: object) -> object:
        return value


def _styles():  # noqa: ANN202
    """Named styles: (locked | open) × (text | number), the bold label, the header and the title."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    grey = PatternFill("solid", fgColor="EDEDED")
    white = PatternFill("solid", fgColor="FFFFFF")
    locked, unlocked = Protection(locked=True), Protection(locked=False)

    def style(name: str, **kw) -> NamedStyle:  # noqa: ANN003
        return NamedStyle(name=name, **kw)

    plain, bold = Font(name=FONT), Font(name=FONT, bold=True)
    return [
        style("sp_text", font=plain),
        style("sp_cell", font=plain, border=border, alignment=wrap, protection=locked),
        style("sp_label", font=bold, border=border, alignment=wrap, protection=locked),
        style("sp_closed", font=plain, border=border, alignment=wrap, protection=locked, fill=grey),
        style("sp_closed_num", font=plain, border=border, alignment=wrap, protection=locked, fill=grey,
              number_format=NUMBER_FORMAT),
        style("sp_open", font=plain, border=border, alignment=wrap, protection=unlocked, fill=white),
        style("sp_open_num", font=plain, border=border, alignment=wrap, protection=unlocked, fill=white,
              number_format=NUMBER_FORMAT),
        style("sp_header", font=bold, border=border,
              alignment=Alignment(wrap_text=True, horizontal="center", vertical="center")),
        style("sp_title", font=Font(name=FONT, bold=True, size=12), alignment=Alignment(wrap_text=True)),
    ]


def _print_setup(ws, spec: TemplateSpec) -> None:  # noqa: ANN001
    """A4 landscape, fit to the page width, the header row on every printed page, GOST margins, page numbers;
    the plan and fact columns wide enough for their longest number (Excel prints «####» otherwise)."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left, ws.page_margins.right, ws.page_margins.top, ws.page_margins.bottom = MARGINS_IN
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for letter, values in (("D", [r.plan for r in spec.rows]), ("E", [r.fact for r in spec.rows])):
        digits = [len(f"{abs(v):,.2f}") + (v < 0) for v in values if v is not None]
        if digits and max(digits) * 1.15 + 2 > ws.column_dimensions[letter].width:
            ws.column_dimensions[letter].width = max(digits) * 1.15 + 2


class _OutCell:
    """What openpyxl's write-only row writer reads of a cell. One object is reused for every cell of the sheet:
    the stream writes each cell before the next one is made, so no cell object, style copy or style lookup is
    made per cell (openpyxl would make two cell objects per value and look its style record up by hash)."""

    __slots__ = ("parent", "coordinate", "style_id", "data_type", "_value")
    _comment = None
    hyperlink = None
    has_style = True


def _stream(ws, style_ids: dict[str, int]):  # noqa: ANN001, ANN202
    """Make ``ws.append`` take rows of (value, style name, text?) and write them through one reused cell.

    Text is a string cell (never a formula, even «=…» typed by someone; outside text neutralised by the shared
    rule) with openpyxl's own checks of a text cell (cut at 32 767 characters, control characters refused);
    numbers are numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import IllegalCharacterError

    illegal = ILLEGAL_CHARACTERS_RE.search
    out = _OutCell()
    out.parent = ws
    letters = [None] + [get_column_letter(n) for n in range(1, 27)]

    def to_row(values, row_idx: int):  # noqa: ANN001, ANN202
        for col, (value, style, text) in enumerate(values, start=1):
            out.coordinate = f"{letters[col]}{row_idx}"
            out.style_id = style_ids[style]
            if isinstance(value, str):
                value = (_outside_text(value) if text else value)[:32767]
                if illegal(value):
                    raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
                out.data_type = "s"
            else:
                out.data_type = "b" if isinstance(value, bool) else "n"
            out._value = value
            yield out

    ws._values_to_row = to_row  # the write-only sheet's hook that turns an appended row into cells


def write_template(path: Path, spec: TemplateSpec) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook(write_only=True)
    for named in _styles():
        wb.add_named_style(named)
    ws = wb.create_sheet(SHEET)

    style_ids = {}
    for named in wb._named_styles:  # one style record per named style, shared by its cells
        probe = WriteOnlyCell(ws)
        probe.style = named.name
        style_ids[named.name] = probe.style_id
    _stream(ws, style_ids)

    for letter, width in zip("ABCDEFGHIJ", (8, 70, 12, 16, 16, 40, 10, 6, 10, 10)):
        ws.column_dimensions[letter].width = width
    for letter in "GHIJ":  # hidden keys: row key, position, check sum, values of locked cells
        ws.column_dimensions[letter].hidden = True
    ws.row_dimensions[1].height = 45
    ws.merged_cells.add(CellRange("A1:F1"))
    ws.freeze_panes = f"C{FIRST_ROW}"
    _print_setup(ws, spec)

    validations: dict[tuple, DataValidation] = {}
    validated: dict[tuple, list[tuple[str, int]]] = {}

    def validation(maximum: Decimal | None, integer: bool) -> list[tuple[str, int]]:
        key = (maximum, integer)
        if key not in validations:
            kind = "whole" if integer else "decimal"
            if maximum is not None:
                dv = DataValidation(type=kind, operator="between", formula1="0", formula2=str(maximum), allow_blank=True)
                dv.error = f"Введите число от 0 до {str(maximum).replace('.', ',')}."
            else:
                dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
                dv.error = "Введите неотрицательное " + ("целое число." if integer else "число.")
            dv.errorTitle = "СоцПлан: недопустимое значение"
            dv.showErrorMessage = True
            validations[key] = dv
            validated[key] = []
        return validated[key]

    ws.append([(spec.form_name, "sp_title", True)])
    ws.append([(f"Территория: {spec.territory_name}", "sp_text", True)])
    ws.append([(f"Период: {spec.period_label}. Заполните белые ячейки; числа — с запятой (1 234,5).", "sp_text", True)])
    ws.append([])
    ws.append([(title, "sp_header", False) for title in COLUMNS])
    checks = []
    for n, row in enumerate(spec.rows):
        r = FIRST_ROW + n
        plan, fact = _num(row.plan), _num(row.fact)
        locked_values = _locked_text(None if row.plan_open else plan, None if row.fact_open else fact,
                                     row.plan_open, row.fact_open)
        check = row_check(n + 1, row.key, _row_label(row.number, row.label, row.unit), locked_values)
        checks.append(check)
        is_component = bool(row.key.split("|")[1])
        if row.plan_open:
            validation(row.maximum, row.integer).append(("D", r))
        if row.fact_open:
            validation(row.maximum, row.integer).append(("E", r))
        ws.append((
            (row.number, "sp_cell", True),
            (row.label, "sp_cell" if is_component else "sp_label", True),
            (row.unit, "sp_cell", True),
            (plan, "sp_open_num" if row.plan_open else "sp_closed_num", False),
            (fact, "sp_open_num" if row.fact_open else "sp_closed_num", False),
            (row.comment, "sp_open" if row.comment_open else "sp_closed", True),
            (row.key, "sp_cell", True),
            (n + 1, "sp_cell", False),
            (check, "sp_cell", True),
            (locked_values, "sp_cell", True),
        ))
    for key, coordinates in validated.items():  # one range list per rule, consecutive rows as one range
        validations[key].sqref = MultiCellRange(_ranges(coordinates))
        ws.data_validations.append(validations[key])
    ws.protection.sheet = True
    ws.protection.password = PROTECTION_PASSWORD
    ws.protection.formatColumns = False  # widths may be changed
    ws.protection.formatRows = False

    keys = wb.create_sheet(KEYS_SHEET)
    _stream(keys, style_ids)
    meta = [("format", FORMAT), ("form", spec.form_code), ("territory_id", str(spec.territory_id)),
            ("territory", spec.territory_name), ("period", spec.period_code), ("rows", str(len(spec.rows))),
            ("hash", structure_hash([(str(n), c) for n, c in enumerate(checks)]))]
    meta += version_rows(spec.versions)
    for k, v in meta:
        keys.append([(k, "sp_text", True), (v, "sp_text", True)])
    keys.sheet_state = "veryHidden"
    keys.protection.sheet = True
    keys.protection.password = PROTECTION_PASSWORD
    wb.security.lockStructure = True
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from socplan.xlsx_safe import mark_sheets

    mark_sheets(wb)  # «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» on a demo's sheets
    from socplan.atomic import replacing

    with replacing(path) as tmp:  # whole or not at all
        wb.save(tmp)
    return path


def _ranges(cells: list[tuple[str, int]]) -> str:
    """«D6:D9 E6 E8» from (column, row) cells: consecutive rows of a column become one range."""
    parts = []
    for column in sorted({c for c, _ in cells}):
        rows = sorted(r for c, r in cells if c == column)
        start = prev = rows[0]
        for r in rows[1:] + [None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            parts.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
            if r is not None:
                start = prev = r
    return " ".join(parts)
