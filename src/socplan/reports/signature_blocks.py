"""Signature blocks (GOST R 7.0.97 п. 5.23) and signature spaces: what the engine draws and records for stamps.

See the «Signatures» section of :mod:`socplan.reports.document` for the API (``DocumentBuilder.signature``,
``DocumentBuilder.approval_block``).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from socplan.reports.fonts import SERIF
from socplan.reports.styles import TEXT_PT, style, text
from socplan.reports.typography import tie, widest_word

#: Space reserved for the visible electronic-signature stamp (width × height).
STAMP_WIDTH = 85 * mm
STAMP_HEIGHT = 26 * mm
#: The stamp inside the «УТВЕРЖДАЮ» block (the block is 90 mm wide).
APPROVAL_STAMP_WIDTH = 81 * mm
APPROVAL_STAMP_HEIGHT = 23 * mm


@dataclass(frozen=True)
class SignatureBox:
    """Where a signature block's stamp space landed: page (1-based) and rectangle in points."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float
    position: str
    name: str


class StampSpace(Flowable):
    """Empty space for a signature or its stamp; records where it landed (page and rectangle)."""

    def __init__(self, width: float, height: float, position: str, name: str, boxes: list[SignatureBox]) -> None:
        super().__init__()
        self.box_width, self.height, self.position, self.name, self.boxes = width, height, position, name, boxes

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.box_width = min(self.box_width, avail_width)
        return avail_width, self.height

    def draw(self) -> None:
        x1, y1 = self.canv.absolutePosition(0, 0)
        x2, y2 = self.canv.absolutePosition(self.box_width, self.height)
        self.boxes.append(SignatureBox(self.canv.getPageNumber(), x1, y1, x2, y2, self.position, self.name))


class SignatureFlowable(Flowable):
    """Position on the left, the stamp space in the middle, «И.О. Фамилия» on the right, one baseline."""

    def __init__(self, position: str, name: str, boxes: list[SignatureBox], width: float) -> None:
        super().__init__()
        self.position, self.name, self.boxes = position, name, boxes
        self.avail = width
        self.name_para = Paragraph(text(name), style(TEXT_PT, align=TA_RIGHT))
        # hyphenated only when a word of the position is wider than its column
        left_w, _ = self._columns(width)
        narrow = widest_word(tie(position), SERIF, TEXT_PT) > left_w
        self.pos_para = Paragraph(text(position, hyphenate=narrow), style(TEXT_PT, align=TA_LEFT, hyphenate=narrow))

    def _columns(self, avail_width: float) -> tuple[float, float]:
        """(position width, name width): the name column fits the name on one line, at least 30 mm."""
        name_w = max(30 * mm, stringWidth(tie(self.name), SERIF, TEXT_PT) + 2 * mm)
        return max(30 * mm, avail_width - STAMP_WIDTH - name_w), name_w

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.avail = avail_width
        left_w, name_w = self._columns(avail_width)
        _, self.pos_h = self.pos_para.wrap(left_w, avail_height)
        _, self.name_h = self.name_para.wrap(name_w, avail_height)
        self.height = max(STAMP_HEIGHT, self.pos_h, self.name_h)
        return avail_width, self.height

    def draw(self) -> None:
        left_w, name_w = self._columns(self.avail)
        # the position's last line and the name share the baseline at the bottom of the row
        self.pos_para.drawOn(self.canv, 0, 0)
        self.name_para.drawOn(self.canv, self.avail - name_w, 0)
        x1, y1 = self.canv.absolutePosition(left_w + 2 * mm, 0)
        x2, y2 = self.canv.absolutePosition(left_w + STAMP_WIDTH - 2 * mm, STAMP_HEIGHT)
        self.boxes.append(SignatureBox(self.canv.getPageNumber(), x1, y1, x2, y2, self.position, self.name))


__all__ = ["SignatureBox", "StampSpace", "SignatureFlowable", "STAMP_WIDTH", "STAMP_HEIGHT", "APPROVAL_STAMP_WIDTH",
           "APPROVAL_STAMP_HEIGHT"]
