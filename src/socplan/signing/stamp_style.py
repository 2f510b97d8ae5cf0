"""The visible stamp's text and style: «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ / Сертификат: … / Владелец: … /
Действителен: с … по …» in the document font (Liberation Serif). PAdES signing (:mod:`socplan.signing.pades`) and
GOST signing (:mod:`socplan.signing.gost_pdf`) draw the same stamp."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from socplan.resources import font_path
from socplan.signing.certificates import SignerMaterial
from socplan.signing.stamp_font import cached_subset

STAMP_HEADING = "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ"


def stamp_lines(signer: SignerMaterial) -> list[str]:
    info = signer.info
    return [STAMP_HEADING, f"Сертификат: {info.serial}", f"Владелец: {info.owner}",
            f"Действителен: с {info.valid_from:%d.%m.%Y} по {info.valid_to:%d.%m.%Y}"]


@cache
def _stamp_font_bytes() -> bytes:
    """The document font, cut to Latin + Cyrillic and rescaled to 1000 units per em.

    pyHanko 0.38 writes glyph widths (/W) and kerning in the font's own units, which PDF reads as 1/1000 em:
    Liberation Serif has 2048 units per em, so its stamp text came out spread over twice its width.
    """
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    font = TTFont(str(font_path("serif")))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x460),
                                 *range(0x2010, 0x2040), 0x2116])
    subsetter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font_factory(size: int) -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class _Factory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> Any:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            font = cached_subset(font_path("serif"), _stamp_font_bytes)
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(font),
                                    font_size=self.font_size, obj_stream=obj_stream)

    return _Factory(font_file="LiberationSerif", font_size=size)


def _stamp_style(signer: SignerMaterial) -> Any:
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    text = "\n".join(stamp_lines(signer)).replace("%", "%%")
    return TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=_font_factory(10), leading=13),
        border_width=1,
        background=None,
    )
