"""Table rows taller than a page: cut them, before layout, into a row and its continuation rows.

reportlab cannot place a row taller than the frame (LayoutError: form «РМ» with long indicator names), and its
own in-row splitting (``splitInRow``) moved text between cells of neighbouring rows in our tests. Here each
cell's paragraph is split at a line boundary (``Paragraph.split``): the first part stays in the row, the rest goes
to a continuation row under it (other cells empty), so no text is lost or repeated and every row fits a page.
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
                    vertical_padding: float, locked: set[int]) -> tuple[list[list[Any]], list[tuple[int, int]]]:
    """``data`` with every body row taller than ``limit`` cut into pieces no taller than it.

    Returns the new rows and, per old row, (first, last) index of its pieces in the new rows. Rows in
    ``locked`` (inside a vertical span) are left whole.
    """
    out: list[list[Any]] = []
    where: list[tuple[int, int]] = []
    for r, row in enumerate(data):
        start = len(out)
        if r < n_head or r in locked or row_height(row, inner_widths, vertical_padding) <= limit:
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


__all__ = ["split_tall_rows", "remap_commands", "row_height"]
