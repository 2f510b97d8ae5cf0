"""Page of a Word document per DOCUMENTS.md §1 (GOST R 7.0.97): A4, margins left 20 / right 10 / top 20 /
bottom 20 mm, Times New Roman 14, page numbers centred in the top margin from page 2, the title property cut to
what Word accepts (python-docx refuses more than 255 characters — PITFALLS.md)."""

from __future__ import annotations

from typing import Any

from socplan.marks import page_mark

#: GOST R 7.0.97 minimum margins, mm: left, right, top, bottom
MARGINS_MM = (20, 10, 20, 20)
#: distance of the page number from the top edge of the sheet (at least 10 mm)
HEADER_MM = 10
FONT = "Times New Roman"
TITLE_LIMIT = 255


def set_up_document(document: Any, *, size_pt: int = 14, landscape: bool = False, draft: bool = False) -> None:
    """A4 and GOST margins on every section, the font of the Normal style (East Asian and complex scripts too,
    so Word does not substitute Cyrillic), page numbers from page 2; «ПРОЕКТ» in the header of every page of a
    draft, «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» in that of a document made from the demo database."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size_pt)
    normal.paragraph_format.space_after = Pt(0)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    left, right, top, bottom = MARGINS_MM
    for section in document.sections:
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        else:
            section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.header_distance = Mm(HEADER_MM)
        section.different_first_page_header_footer = True
        _page_number(section.header.add_paragraph() if section.header.paragraphs[0].text else
                     section.header.paragraphs[0], size_pt=12)
        marks = (["ПРОЕКТ"] if draft else []) + ([page_mark.get()] if page_mark.get() else [])
        for text in marks:  # «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» on every page of a document made from the demo database
            for header in (section.header, section.first_page_header):
                _draft_mark(header.add_paragraph() if header.paragraphs[0].text or len(header.paragraphs[0].runs)
                            else header.paragraphs[0], text)


def _page_number(paragraph: Any, *, size_pt: int) -> None:
    """A PAGE field centred (Word computes the number; the first page has its own, empty header)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, instruction in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(size_pt)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
            run._r.append(element)
        else:
            run.text = "2"  # shown until Word updates the field


def _draft_mark(paragraph: Any, text: str = "ПРОЕКТ") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def set_title(document: Any, title: str) -> None:
    """The file's title property: the whole title where it fits, else cut at a word with «…» (the text keeps it)."""
    value = " ".join(title.split())
    if len(value) > TITLE_LIMIT:
        value = value[:TITLE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    document.core_properties.title = value


__all__ = ["set_up_document", "set_title", "MARGINS_MM", "FONT"]
