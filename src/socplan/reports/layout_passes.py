"""Helpers of the engine's layout passes: where flowables landed, and a table's rows re-cut into two tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from reportlab.platypus import ActionFlowable, KeepTogether, LongTable, SimpleDocTemplate, Spacer

from socplan.reports.signature_blocks import SignatureFlowable


@dataclass
class TableSource:
    """What a table was built from, so its last rows can be moved to the signature blocks' page."""

    data: list[list[Any]]
    widths: list[float]
    commands: list[tuple]
    n_head: int
    locked_rows: frozenset[int]  # rows inside a SPAN across rows (never separated)


def is_content(flowable: Any) -> bool:
    return not isinstance(flowable, (Spacer, ActionFlowable, SignatureFlowable, KeepTogether))


class TrackingTemplate(SimpleDocTemplate):
    """Remembers, in drawing order, on which page each flowable landed (to find signature blocks left alone)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.drawn: list[tuple[int, Any]] = []

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab's hook name
        self.drawn.append((self.page, flowable))


def slice_commands(commands: Sequence[tuple], rows: Sequence[int], total: int) -> list[tuple]:
    """Table style commands for a table made of ``rows`` (old indexes, ascending) of a ``total``-row table."""
    from bisect import bisect_left, bisect_right

    rows = list(rows)
    out: list[tuple] = []
    for command in commands:
        name, (c1, r1), (c2, r2), *rest = command
        a, b = (r1 + total if r1 < 0 else r1), (r2 + total if r2 < 0 else r2)
        first, last = bisect_left(rows, a), bisect_right(rows, b) - 1  # the new indexes of the old rows a…b
        if first > last:
            continue
        if name == "SPAN" and last - first != b - a:
            continue
        out.append((name, (c1, first), (c2, last), *rest))
    return out


#: style commands reportlab keeps as commands (lines, backgrounds, spans); every other one sets cell styles
_TABLE_COMMANDS = {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT", "ROUNDEDCORNERS"}


class FillingTable(LongTable):
    """A table whose row that does not fit at a page foot is cut there — its first lines stay on the page, the rest
    goes on under the repeated header — instead of moving whole and leaving the page's foot empty. A row inside a
    span or a NOSPLIT range, a drawing, or a paragraph that would leave one line alone moves whole as before
    (reportlab's own split). Made with :meth:`of`; reportlab's split parts are plain (they no longer cut)."""

    @classmethod
    def of(cls, data: list[list[Any]], widths: Sequence[float], commands: Sequence[tuple], n_head: int,
           heights: Sequence[float] | None = None) -> "FillingTable":
        """``heights``: the rows' heights, measured as reportlab measures them (the table is not measured again)."""
        from reportlab.platypus import TableStyle

        table = cls(data, colWidths=list(widths), repeatRows=n_head, splitByRow=True,
                    rowHeights=list(heights) if heights is not None else None)
        table.setStyle(TableStyle(list(commands)))
        table._fill = (data, list(widths), list(commands), n_head)
        return table

    def _part(self, rows: list[int], cut: list[Any] | None = None, at: int = -1) -> "FillingTable":
        """A part of this table made of its ``rows`` (``cut`` in place of row ``at``), made as reportlab makes its
        split parts: with the rows' heights and cell styles already worked out (re-applying every style command
        to every cell of the rest of the table on each page was quadratic in the rows)."""
        from reportlab.platypus.tables import LINECOMMANDS

        data, widths, commands, n_head = self._fill
        cut_at = at if cut is not None else -1
        part_data = [cut if r == cut_at else data[r] for r in rows]
        # the cells as this table holds them (normalised, as reportlab's split parts take them)
        cells = [["" if c is None else c for c in cut] if r == cut_at else self._cellvalues[r] for r in rows]
        heights = [None if r == cut_at else self._rowHeights[r] for r in rows]
        part_commands = slice_commands(commands, rows, len(data))
        table = type(self)(cells, colWidths=list(widths), repeatRows=n_head, splitByRow=True, rowHeights=heights,
                           cellStyles=[self._cellStyles[r] for r in rows], normalizedData=1)
        for command in part_commands:
            if command[0] in _TABLE_COMMANDS or command[0] in LINECOMMANDS:
                table._addCommand(command)
        table._fill = (part_data, list(widths), part_commands, n_head)
        return table

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803 - reportlab's names
        parts = self._cut_at_foot(availWidth, availHeight) if getattr(self, "_fill", None) else None
        return parts if parts is not None else super().split(availWidth, availHeight)

    def _cut_at_foot(self, avail_width: float, avail_height: float) -> list[Any] | None:
        from socplan.reports.table_rows import MIN_CUT_ROOM, cut_row_at

        data, widths, commands, n_head = self._fill
        self._calc(avail_width, avail_height)
        used, row = 0.0, None
        for r, height in enumerate(self._rowHeights):
            if used + height > avail_height:
                row = r
                break
            used += height
        total = len(data)
        if row is None or row < n_head:
            return None
        for name, (_c1, r1), (_c2, r2), *_ in commands:
            if name in ("SPAN", "NOSPLIT") and min(r1 % total, r2 % total) <= row <= max(r1 % total, r2 % total):
                return None  # a caption across columns, rows kept together: reportlab finds where to split
        cut = cut_row_at(data, commands, widths, row, avail_height - used) \
            if avail_height - used >= MIN_CUT_ROOM else None
        rest_rows = list(range(n_head)) + list(range(row, total))
        if cut is None:  # the row moves whole (as reportlab's split by rows), the parts still cut later rows
            if row == n_head:
                return None
            return [self._part(list(range(row))), self._part(rest_rows)]
        return [self._part(list(range(row + 1)), cut[0], row), self._part(rest_rows, cut[1], row)]


__all__ = ["TableSource", "TrackingTemplate", "FillingTable", "is_content", "slice_commands"]
