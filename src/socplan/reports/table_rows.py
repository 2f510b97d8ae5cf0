"""Table rows taller than a page: cut them, before layout, into a row and its continuation rows.

reportlab cannot place a row taller than the frame (LayoutError: form «РМ» with long indicator names), and its
own in-row splitting (``splitInRow``) moved text between cells of neighbouring rows in our tests. Here each
cell's paragraph is split at a line boundary (``Paragraph.split``): the first part stays in the row, the rest goes
to a continuation row under it (other cells empty), so no text is lost or repeated and every row fits a page.
:func:`cut_row_at` cuts the same way during layout, at a page foot (``layout_passes.FillingTable``).
"""

from __future__ import annotations

from typing import Any, Sequence

from reportlab.platypus import Flowable, Paragraph


def _cell_height(cell: Any, width: float) -> float:
    if isinstance(cell, Flowable):
        return cell.wrap(width, 1e6)[1]
    return 0.0


def row_height(row: Sequence[Any], inner_widths: Sequence[float], vertical_padding: float) -> float:
    return max((_cell_height(c, w) for c, w in zip(row, inner_widths)), default=0.0) + vertical_padding


def split_tall_rows(data: list[list[Any]], inner_widths: Sequence[float], n_head: int, limit: float,
                    vertical_padding: float, locked: set[int], heights: Sequence[float] | None = None
                    ) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """``data`` with every body row taller than ``limit`` cut into pieces no taller than it (``heights``: the rows'
    heights when the caller has measured them).

    Returns the new rows and, per old row, (first, last) index of its pieces in the new rows. Rows in
    ``locked`` (inside a vertical span) are left whole.
    """
    out: list[list[Any]] = []
    where: list[tuple[int, int]] = []
    for r, row in enumerate(data):
        start = len(out)
        height = heights[r] if heights is not None and r >= n_head and r not in locked else None
        if r < n_head or r in locked or (height if height is not None else
                                         row_height(row, inner_widths, vertical_padding)) <= limit:
            out.append(row)
            where.append((start, start))
            continue
        rest = list(row)
        while True:
            if row_height(rest, inner_widths, vertical_padding) <= limit:
                out.append(rest)
                break
            head, tail = [], []
            for cell, width in zip(rest, inner_widths):
                if isinstance(cell, Paragraph) and _cell_height(cell, width) > limit - vertical_padding:
                    parts = cell.split(width, limit - vertical_padding)
                    if len(parts) == 2:
                        head.append(parts[0])
                        tail.append(parts[1])
                        continue
                head.append(cell)
                tail.append("")
            if all(t == "" for t in tail):  # nothing could be split: leave the row to reportlab
                out.append(rest)
                break
            out.append(head)
            rest = tail
        where.append((start, len(out) - 1))
    return out, where


def remap_commands(commands: Sequence[tuple], where: Sequence[tuple[int, int]], total_old: int) -> list[tuple]:
    """Style commands of the old rows, moved to the new rows (a command on a cut row covers all its pieces)."""
    out = []
    for name, (c1, r1), (c2, r2), *rest in commands:
        if r1 < 0 or r2 < 0 or r1 >= total_old or r2 >= total_old:
            out.append((name, (c1, r1), (c2, r2), *rest))
            continue
        out.append((name, (c1, where[r1][0]), (c2, where[r2][1]), *rest))
    return out


def spanned_row_heights(data: list[list[Any]], widths: Sequence[float], commands: Sequence[tuple],
                        cell_padding: float, padding: float) -> list[float]:
    """Each row's height, a cell spanning columns measured across all of them."""
    n_rows, n_cols = len(data), len(widths)
    cell_w: dict[tuple[int, int], float | None] = {}
    for name, (c1, r1), (c2, r2), *_ in commands:
        if name != "SPAN":
            continue
        c1, c2, r1, r2 = c1 % n_cols, c2 % n_cols, r1 % n_rows, r2 % n_rows
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cell_w[(r, c)] = sum(widths[c1:c2 + 1]) - 2 * cell_padding if c == c1 else None
    heights = []
    for r, row in enumerate(data):
        tallest = 0.0
        for c, cell in enumerate(row[:n_cols]):
            width = cell_w.get((r, c), widths[c] - 2 * cell_padding)
            if width is not None and isinstance(cell, Flowable):
                tallest = max(tallest, cell.wrap(width, 1e6)[1])
        heights.append(tallest + padding)
    return heights


#: A row is cut at a page foot only when at least this much room (points) is left for its first part.
MIN_CUT_ROOM = 30


def _padding(commands: Sequence[tuple], name: str, default: float) -> float:
    for command in commands:
        if command[0] == name and command[1] == (0, 0) and command[2] == (-1, -1):
            default = command[3]
    return default


def cut_row_at(data: list[list[Any]], commands: Sequence[tuple], widths: Sequence[float], row: int,
               room: float) -> tuple[list[Any], list[Any]] | None:
    """Row ``row`` cut so that its first part is at most ``room`` high: (first part, the rest), or None when a cell
    cannot be cut there (a drawing, a paragraph whose two first or two last lines would stand alone)."""
    pad = _padding(commands, "LEFTPADDING", 6) + _padding(commands, "RIGHTPADDING", 6)
    vertical = _padding(commands, "TOPPADDING", 3) + _padding(commands, "BOTTOMPADDING", 3)
    head, tail = [], []
    heights = [_cell_height(c, w - pad) if isinstance(c, Flowable) else 0.0 for c, w in zip(data[row], widths)]
    tallest = heights.index(max(heights))
    for k, (cell, width) in enumerate(zip(data[row], widths)):
        inner = width - pad
        if not isinstance(cell, Flowable) or _cell_height(cell, inner) <= room - vertical:
            head.append(cell)
            tail.append("")
            continue
        if not isinstance(cell, Paragraph):
            return None
        parts = cell.split(inner, room - vertical)
        if len(parts) == 2:
            head.append(parts[0])
            tail.append(parts[1])
        elif k == tallest:  # the row's longest text cannot leave two lines here: the row moves whole
            return None
        else:  # too few lines to leave two on each side: the whole cell goes on with the rest of the row
            head.append("")
            tail.append(cell)
    if all(t == "" for t in tail) or all(h == "" or not isinstance(h, Flowable) for h in head):
        return None
    return head, tail


__all__ = ["split_tall_rows", "remap_commands", "row_height", "spanned_row_heights", "cut_row_at"]
