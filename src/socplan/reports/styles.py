"""Paragraph styles and text escaping of the document engine (sizes per GOST R 7.0.97 practice)."""

from __future__ import annotations

from html import escape
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from socplan.reports.fonts import SERIF, SERIF_BOLD
from socplan.reports.typography import hyphenate_text, tie

TEXT_PT = 14
TABLE_PT = 12
MIN_TABLE_PT = 10  # table text is never smaller (a secretary must read it without a magnifier)
#: The one exception to ``MIN_TABLE_PT``: a wide financial table (seed 003's «ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ»: 13 columns, eight
#: of them sums like «1 508 844 500,00») whose figures cannot stand on one line at 10 pt on landscape A4 with room
#: left for the event's name. GOST R 7.0.97 allows smaller type in tables; the seed itself prints this table smaller.
#: The table asks for it with ``DocumentBuilder.table(min_font_size=…)`` and gets the largest size that fits.
MIN_FIGURES_TABLE_PT = 8
FOOTNOTE_PT = 10.5


def style(size: float = TEXT_PT, *, bold: bool = False, align: int = TA_JUSTIFY, indent_mm: float = 0,
          leading: float | None = None, space_after: float = 0, hyphenate: bool = False) -> ParagraphStyle:
    """A paragraph style in the document font. ``hyphenate``: for text hyphenated by ``text(…, hyphenate=True)``."""
    extra: dict[str, Any] = {}
    if hyphenate:  # the text carries soft hyphens (typography.hyphenate_text); a compound breaks after its «-»
        extra = dict(embeddedHyphenation=1)
    return ParagraphStyle(
        name=f"s{size}{bold}{align}{indent_mm}{hyphenate}",
        fontName=SERIF_BOLD if bold else SERIF,
        fontSize=size,
        leading=leading or size * 1.2,
        alignment=align,
        firstLineIndent=indent_mm * mm,
        spaceAfter=space_after,
        allowWidows=0,  # a paragraph's last line never stands alone at the head of a page
        allowOrphans=0,  # nor its first line at the foot
        **extra,
    )


def text(value: Any, *, hyphenate: bool = False) -> str:
    """Plain text → Paragraph markup (escaped, line breaks kept, Russian non-breaking spaces applied;
    ``hyphenate``: soft hyphens at Russian syllable boundaries, for narrow cells)."""
    value = tie("" if value is None else str(value))
    if hyphenate:
        value = hyphenate_text(value)
    return escape(value).replace("\n", "<br/>")


__all__ = ["style", "text", "TEXT_PT", "TABLE_PT", "MIN_TABLE_PT", "MIN_FIGURES_TABLE_PT", "FOOTNOTE_PT"]
