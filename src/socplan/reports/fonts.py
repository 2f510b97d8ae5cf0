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
    # the same for paragraphs without a style font and for charts' strings and labels (graphics defaults)
    from reportlab.graphics import shapes
    from reportlab.lib.styles import ParagraphStyle

    ParagraphStyle.defaults["fontName"] = SERIF
    ParagraphStyle.defaults["bulletFontName"] = SERIF
    shapes.STATE_DEFAULTS["fontName"] = SERIF
    return SERIF


#: The base-14 fonts reportlab knows without embedding them, drawn with the embedded family instead.
STANDARD_TO_EMBEDDED = {
    **{name: SERIF for name in ("Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats")},
    **{name: SERIF_BOLD for name in ("Helvetica-Bold", "Times-Bold", "Courier-Bold")},
    **{name: SERIF_ITALIC for name in ("Helvetica-Oblique", "Times-Italic", "Courier-Oblique")},
    **{name: SERIF_BOLDITALIC for name in ("Helvetica-BoldOblique", "Times-BoldItalic", "Courier-BoldOblique")},
}


def embedded_font(name: str) -> str:
    """``name``, or the embedded font that replaces a base-14 font (never written without embedding)."""
    return STANDARD_TO_EMBEDDED.get(name, name)


def _canvas_class() -> type:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject

    class _TextObject(PDFTextObject):
        def _setFont(self, psfontname, size):  # noqa: ANN001, ANN202, N802 - reportlab's signature
            return super()._setFont(embedded_font(psfontname), size)

        def setFont(self, psfontname, size, leading=None):  # noqa: ANN001, ANN202, N802
            return super().setFont(embedded_font(psfontname), size, leading)

    class EmbeddedFontsCanvas(Canvas):
        """A canvas on which no base-14 font can land in the file: charts, tables or hand-drawn strings that
        ask for Helvetica/Times/Courier get the embedded Liberation Serif (PDF/A forbids non-embedded fonts)."""

        def setFont(self, psfontname, size, leading=None):  # noqa: ANN001, ANN202, N802
            return super().setFont(embedded_font(psfontname), size, leading)

        def beginText(self, x=0, y=0, direction=None):  # noqa: ANN001, ANN202, N802
            return _TextObject(self, x, y, direction=direction)

    return EmbeddedFontsCanvas


def __getattr__(name: str):  # noqa: ANN202 - reportlab is imported lazily
    if name == "EmbeddedFontsCanvas":
        register_fonts()
        cls = _canvas_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)
