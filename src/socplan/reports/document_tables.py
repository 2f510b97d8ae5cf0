"""Tables of the document engine (:mod:`socplan.reports.document`): building a bordered GOST table from plain rows.

Column widths fitted to the longest syllable with Russian hyphenation, header rows and the «1 2 3 …» row repeated,
caption rows across the table, row ranges kept on one page, a row taller than a page continued in the next row.
``DocumentBuilder.table`` calls :func:`build_table` with its page geometry and keeps the result in its story.
"""

from __future__ import annotations

from typing import Any, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from socplan.reports.fonts import SERIF, SERIF_BOLD
from socplan.reports.layout_passes import FillingTable, TableSource
from socplan.reports.styles import MIN_FIGURES_TABLE_PT, MIN_TABLE_PT, TABLE_PT, style, text
from socplan.reports.table_rows import remap_commands, row_height, spanned_row_heights, split_tall_rows
from socplan.reports.typography import fit_columns, min_text_width, tie, widest_word

CELL_PADDING = 3  # left and right padding of a table cell, points
NARROW_CELL_PADDING = 1.5  # a wide financial table's cells (13 columns on landscape A4)
CELL_TOP_PADDING, CELL_BOTTOM_PADDING = 2, 3


def build_table(header_rows: Sequence[Sequence[str]], rows: Sequence[Sequence[Any]], col_widths_mm: Sequence[float],
                *, frame_width: float, body_height: float, number_row: bool = False, font_size: float = TABLE_PT,
                align: Sequence[str] | None = None, group_rows: Sequence[int] = (),
                spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (), bold_rows: Sequence[int] = (),
                fill_column: int | None = None, min_font_size: float = MIN_TABLE_PT, cell_padding: float = CELL_PADDING,
                keep_rows: Sequence[tuple[int, int]] = ()) -> tuple[FillingTable, TableSource]:
    """A bordered table; header rows (and the «1 2 3 …» row) repeat on every page; a tall row splits.

    ``frame_width``: the width between the margins less the frame padding; ``body_height``: the page's height
    between the top and bottom margins. Returns the table for the story and its source (the engine re-cuts the
    table from it at page feet).

    ``group_rows``: indexes (into ``rows``) of full-width caption rows (e.g. «Протокол заседания … от …»).
    ``align``: per column, "left" | "center" | "right". Cells may be plain values or Flowables.
    ``font_size`` is at least ``MIN_TABLE_PT`` (10 pt); only a wide financial table may ask for less with
    ``min_font_size`` (never under ``MIN_FIGURES_TABLE_PT``, see styles.py). Cells wrap with Russian
    hyphenation; a column too narrow for a word's longest syllable is widened at the expense of columns with
    room to spare. ``fill_column``: that column takes the frame width the others leave (size the others to
    their content with :meth:`content_width_mm`). ``cell_padding``: left and right, points (a wide financial
    table may narrow it to ``NARROW_CELL_PADDING``). ``keep_rows``: (first, last) indexes into ``rows`` of
    rows printed on one page (an event with its sources' rows) when together they take at most a quarter page; a
    group caption row always keeps with the row under it on the same terms.
    """
    font_size = max(font_size, max(MIN_FIGURES_TABLE_PT, min(min_font_size, MIN_TABLE_PT)))
    widths = [w * mm for w in col_widths_mm]
    if fill_column is not None:
        widths[fill_column] = max(10 * mm, frame_width - (sum(widths) - widths[fill_column]))
    total = sum(widths)
    if total > frame_width + 0.5:
        scale = frame_width / total
        widths = [w * scale for w in widths]
    n_cols = len(widths)
    group_set, bold_set = set(group_rows), set(bold_rows)
    widths, narrow = fit_widths(widths, header_rows, rows, font_size, group_set, bold_set, spans,
                                      number_row, cell_padding, fill_column)
    head_styles = [style(font_size, bold=False, align=TA_CENTER, leading=font_size * 1.15, hyphenate=narrow[i])
                   for i in range(n_cols)]
    aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
    col_styles = [style(font_size, align=aligns[(align or [])[i]] if align and i < len(align) else TA_LEFT,
                        leading=font_size * 1.15, hyphenate=narrow[i]) for i in range(n_cols)]
    bold_styles = [ParagraphStyle(name=s.name + "b", parent=s, fontName=SERIF_BOLD) for s in col_styles]
    data: list[list[Any]] = [[Paragraph(text(c, hyphenate=narrow[min(j, n_cols - 1)]), head_styles[min(j, n_cols - 1)])
                              if not isinstance(c, Flowable) else c for j, c in enumerate(r)] for r in header_rows]
    if number_row:
        data.append([Paragraph(str(i + 1), head_styles[i]) for i in range(n_cols)])
    n_head = len(data)
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), cell_padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), cell_padding),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_TOP_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_BOTTOM_PADDING),
    ]
    for i, row in enumerate(rows):
        r = n_head + i
        if i in group_set:
            data.append([Paragraph(text(row[0]), style(font_size, bold=True, align=TA_CENTER))]
                        + [""] * (n_cols - 1))
            commands.append(("SPAN", (0, r), (-1, r)))
            continue
        styles = bold_styles if i in bold_set else col_styles
        data.append([c if isinstance(c, Flowable) else Paragraph(text(c, hyphenate=narrow[j]), styles[j])
                     for j, c in enumerate(row)])
    locked: set[int] = set()
    for (c1, r1), (c2, r2) in spans:
        commands.append(("SPAN", (c1, r1), (c2, r2)))
        a, b = sorted((r1 % len(data), r2 % len(data)))
        locked.update(range(a, b + 1))
    _keep_rows(data, widths, n_head, commands, list(keep_rows) + [(g, g + 1) for g in group_set],
               len(rows), cell_padding, body_height)
    data, commands, locked, heights = _cut_tall_rows(data, widths, n_head, commands, locked, body_height, cell_padding)
    table = FillingTable.of(data, widths, commands, n_head, heights)
    return table, TableSource(data, widths, commands, n_head, frozenset(locked))

def _keep_rows(data: list[list[Any]], widths: Sequence[float], n_head: int, commands: list[tuple],
               ranges: Sequence[tuple[int, int]], n_rows: int, cell_padding: float, body_height: float) -> None:
    """NOSPLIT for each range of body rows that takes at most a quarter of a page (a taller one may be cut)."""
    if not ranges:
        return
    heights = spanned_row_heights(data, widths, commands, cell_padding,
                                  CELL_TOP_PADDING + CELL_BOTTOM_PADDING)
    limit = body_height / 4  # a taller one is cut at the page foot instead
    for first, last in ranges:
        if not 0 <= first < last < n_rows:
            continue
        rows = range(n_head + first, n_head + last + 1)
        if sum(heights[r] for r in rows) <= limit:
            commands.append(("NOSPLIT", (0, rows[0]), (-1, rows[-1])))

def content_width_mm(values: Sequence[Any], font_size: float, *, bold: bool = False,
                     cell_padding: float = CELL_PADDING) -> float:
    """The width (mm, with the cell padding) a column needs so that no word of ``values`` is broken: its widest
    unbreakable word (a figure «115 305 653,19» is one, its groups are tied) at ``font_size``."""
    font = SERIF_BOLD if bold else SERIF
    widest = max((widest_word(tie(str(v)), font, font_size) for v in values if v not in (None, "")), default=0.0)
    return (widest + 2 * cell_padding + 1) / mm

def _cut_tall_rows(data: list[list[Any]], widths: Sequence[float], n_head: int, commands: list[tuple],
                   locked: set[int], body_height: float, cell_padding: float = CELL_PADDING
                   ) -> tuple[list[list[Any]], list[tuple], set[int], list[float] | None]:
    """A row taller than a page (under the repeated header) continues in the next row (table_rows).

    Also returns the rows' heights when they are exactly what reportlab would measure — every cell a paragraph,
    no span, no row cut — so that the table is not measured a second time; else None."""
    inner = [w - cell_padding - cell_padding for w in widths]  # as reportlab takes a cell's padding off
    padding = CELL_TOP_PADDING + CELL_BOTTOM_PADDING
    plain = not any(command[0] == "SPAN" for command in commands) and all(
        type(cell) is Paragraph for row in data for cell in row)
    heights = [row_height(row, inner, padding) for row in data] if plain else None
    header = sum(heights[:n_head]) if heights else sum(row_height(row, inner, padding) for row in data[:n_head])
    limit = body_height - header - 12
    # a caption across columns is measured in its first column only: never cut (it is short on paper)
    across = {r % len(data) for name, (c1, r1), (c2, r2), *_ in commands if name == "SPAN" and c1 != c2
              for r in range(r1 % len(data), r2 % len(data) + 1)}
    new_data, where = split_tall_rows(data, inner, n_head, limit, padding, locked | across, heights)
    if len(new_data) == len(data):
        return data, commands, locked, heights
    moved = {r for old in locked for r in range(where[old][0], where[old][1] + 1)}
    return new_data, remap_commands(commands, where, len(data)), moved, None

def fit_widths(widths: list[float], header_rows: Sequence[Sequence[Any]], rows: Sequence[Sequence[Any]],
                font_size: float, group_set: set[int], bold_set: set[int],
                spans: Sequence[tuple[tuple[int, int], tuple[int, int]]],
                number_row: bool, cell_padding: float = CELL_PADDING,
                fill_column: int | None = None) -> tuple[list[float], list[bool]]:
    """Each column at least as wide as its widest syllable chunk (with the hyphen) plus the cell padding;
    and, per column, whether it is narrower than its longest word (then its cells wrap with hyphenation)."""
    n_head = len(header_rows) + (1 if number_row else 0)
    spanned = {(c1 % len(widths), r1) for (c1, r1), (c2, r2) in spans if c1 != c2}
    minimums = [0.0] * len(widths)
    longest = [0.0] * len(widths)
    whole = [0.0] * len(widths)  # the widest word that fits whole: the column never gives that width away

    def visit(row: Sequence[Any], r: int, font: str) -> None:
        for j, cell in enumerate(row[:len(widths)]):
            if cell is None or isinstance(cell, Flowable) or (j, r) in spanned:
                continue
            value = tie(str(cell))
            word = widest_word(value, font, font_size) + 2 * cell_padding
            longest[j] = max(longest[j], word)
            if word > widths[j]:
                minimums[j] = max(minimums[j], min_text_width(value, font, font_size) + 2 * cell_padding + 1)
            else:
                whole[j] = max(whole[j], word)

    for r, row in enumerate(header_rows):
        visit(row, r, SERIF)
    for i, row in enumerate(rows):
        if i not in group_set:
            visit(row, n_head + i, SERIF_BOLD if i in bold_set else SERIF)
    # a column whose words all fit gives away only the width its longest word does not need
    minimums = [max(m, whole[j]) if m else min(w, longest[j]) for j, (m, w) in enumerate(zip(minimums, widths))]
    if fill_column is not None:  # the column that takes the rest gives first: the others keep their content width
        need = sum(max(0.0, m - w) for m, w in zip(minimums, widths))
        if widths[fill_column] - minimums[fill_column] >= need:
            minimums = [m if j == fill_column else max(m, widths[j]) for j, m in enumerate(minimums)]
    fitted = fit_columns(widths, minimums)
    return fitted, [longest[j] > fitted[j] for j in range(len(widths))]
