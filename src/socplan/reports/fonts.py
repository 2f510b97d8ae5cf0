"""The shipped serif family registered with reportlab (embedded in every PDF)."""

from __future__ import annotations

from functools import cache

from socplan.resources import font_path

SERIF = "LiberationSerif"
SERIF_BOLD = "LiberationSerif-Bold"
SERIF_ITALIC = "LiberationSerif-Italic"
SERIF_BOLDITALIC = "LiberationSerif-BoldItalic"


@cache
def register_fonts() -> str:
    """Register once; returns the regular font name. ``<b>``/``<i>`` in Paragraphs map to the family."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, key in ((SERIF, "serif"), (SERIF_BOLD, "serif-bold"), (SERIF_ITALIC, "serif-italic"),
                      (SERIF_BOLDITALIC, "serif-bolditalic")):
        pdfmetrics.registerFont(TTFont(name, str(font_path(key))))
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLDITALIC)
    # reportlab's table cells default to the non-embedded Helvetica (it then lands in every PDF that has a
    # table, even when each cell is a Paragraph): PDF/A forbids non-embedded fonts.
    from reportlab.platypus.tables import CellStyle

    CellStyle.fontname = SERIF
    return SERIF
