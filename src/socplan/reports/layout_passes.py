"""Helpers of the engine's layout passes: where flowables landed, and a table's rows re-cut into two tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from reportlab.platypus import ActionFlowable, KeepTogether, SimpleDocTemplate, Spacer

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
    new_index = {old: new for new, old in enumerate(rows)}
    out: list[tuple] = []
    for command in commands:
        name, (c1, r1), (c2, r2), *rest = command
        a, b = (r1 + total if r1 < 0 else r1), (r2 + total if r2 < 0 else r2)
        kept = [new_index[r] for r in range(a, b + 1) if r in new_index]
        if not kept:
            continue
        if name == "SPAN" and len(kept) != b - a + 1:
            continue
        out.append((name, (c1, min(kept)), (c2, max(kept)), *rest))
    return out


__all__ = ["TableSource", "TrackingTemplate", "is_content", "slice_commands"]
