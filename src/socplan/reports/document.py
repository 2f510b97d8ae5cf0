"""The one document engine every report uses: Russian office documents per GOST R 7.0.97-2016.

A4 portrait or landscape, margins 20 mm (left 30 mm for bound documents), the shipped serif font embedded
(14 pt text, 12 pt tables, 10–11 pt footnotes), page numbers centred at the top from page 2, table header
rows repeated on every page with the «1 2 3 …» column-number row, word-wrapped cells, the «УТВЕРЖДАЮ»
block, signature blocks (position — place for the signature or its stamp — И.О. Фамилия), footnotes,
document metadata. Callers pass plain text; the engine escapes it.

Usage::

    doc = DocumentBuilder(DocumentSpec(title="…", author="…", subject="…", landscape=True))
    doc.approval_block("Министр …", "И.П. Варнавская", "23 декабря 2024 года")
    doc.heading("ПЛАН")
    doc.table([["№", "Мероприятия", …]], rows, col_widths_mm=[12, 120, …], number_row=True)
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    doc.build(path)
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, LongTable, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, TableStyle)

from socplan.reports.fonts import SERIF, SERIF_BOLD, register_fonts
from socplan.reports.marks import page_mark
from socplan.reports.pdfa import apply_pdfa

CREATOR = "СоцПлан"
PRODUCER = "СоцПлан (ReportLab)"

TEXT_PT = 14
TABLE_PT = 12
FOOTNOTE_PT = 10.5

#: Space reserved for the visible electronic-signature stamp (width × height).
STAMP_WIDTH = 85 * mm
STAMP_HEIGHT = 26 * mm


@dataclass
class DocumentSpec:
    title: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    landscape: bool = False
    bound: bool = False  # left margin 30 mm for documents kept bound
    creation_date: dt.datetime | None = None  # fixed for reproducible output


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


def style(size: float = TEXT_PT, *, bold: bool = False, align: int = TA_JUSTIFY, indent_mm: float = 0,
          leading: float | None = None, space_after: float = 0) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}{bold}{align}{indent_mm}",
        fontName=SERIF_BOLD if bold else SERIF,
        fontSize=size,
        leading=leading or size * 1.2,
        alignment=align,
        firstLineIndent=indent_mm * mm,
        spaceAfter=space_after,
    )


def text(value: Any) -> str:
    """Plain text → Paragraph markup (escaped, line breaks kept)."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


class _SignatureFlowable(Flowable):
    """Position on the left, the stamp space in the middle, «И.О. Фамилия» on the right (one row)."""

    def __init__(self, position: str, name: str, boxes: list[SignatureBox], width: float) -> None:
        super().__init__()
        self.position, self.name, self.boxes = position, name, boxes
        self.avail = width
        self.pos_para = Paragraph(text(position), style(TEXT_PT, align=TA_LEFT))
        self.name_para = Paragraph(text(name), style(TEXT_PT, align=TA_RIGHT))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.avail = avail_width
        left_w = avail_width - STAMP_WIDTH - 45 * mm
        _, self.pos_h = self.pos_para.wrap(left_w, avail_height)
        _, self.name_h = self.name_para.wrap(45 * mm, avail_height)
        self.height = max(STAMP_HEIGHT, self.pos_h, self.name_h)
        return avail_width, self.height

    def draw(self) -> None:
        left_w = self.avail - STAMP_WIDTH - 45 * mm
        # position: last line level with the name, at the bottom of the row
        self.pos_para.drawOn(self.canv, 0, 0)
        self.name_para.drawOn(self.canv, self.avail - 45 * mm, 0)
        x1, y1 = self.canv.absolutePosition(left_w + 2 * mm, 0)
        x2, y2 = self.canv.absolutePosition(left_w + STAMP_WIDTH - 2 * mm, STAMP_HEIGHT)
        self.boxes.append(SignatureBox(self.canv.getPageNumber(), x1, y1, x2, y2, self.position, self.name))


class DocumentBuilder:
    def __init__(self, spec: DocumentSpec) -> None:
        register_fonts()
        self.spec = spec
        self.pagesize = landscape(A4) if spec.landscape else A4
        self.left = (30 if spec.bound else 20) * mm
        self.right = 10 * mm if not spec.landscape else 15 * mm
        self.top = 20 * mm
        self.bottom = 20 * mm
        self.story: list[Flowable] = []
        self.signature_boxes: list[SignatureBox] = []
        self.footnotes: list[str] = []

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left - self.right

    # ------------------------------------------------------------ blocks
    def approval_block(self, position: str, name: str, date_text: str = "", word: str = "УТВЕРЖДАЮ") -> None:
        """«УТВЕРЖДАЮ» top right: position, ``________ И.О. Фамилия``, date; block width ≤ 9 cm."""
        width = 90 * mm
        st = style(TEXT_PT, align=TA_LEFT, leading=TEXT_PT * 1.15)
        inner = [Paragraph(text(word), st), Paragraph(text(position), st), Spacer(1, 4 * mm),
                 Paragraph(f"_______________ {text(name)}", st)]
        if date_text:
            inner.append(Paragraph(text(date_text), st))
        table = LongTable([[None, inner]], colWidths=[self.frame_width - width, width])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self.story += [table, Spacer(1, 8 * mm)]

    def heading(self, value: str, *, size: float = TEXT_PT, bold: bool = True, space_after_mm: float = 4) -> None:
        self.story.append(Paragraph(text(value), style(size, bold=bold, align=TA_CENTER, space_after=space_after_mm * mm)))

    def paragraph(self, value: str, *, size: float = TEXT_PT, indent: bool = True, align: str = "justify",
                  bold: bool = False, markup: bool = False, space_after_mm: float = 0) -> None:
        aligns = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        self.story.append(Paragraph(value if markup else text(value),
                                    style(size, bold=bold, align=aligns[align], indent_mm=12.5 if indent else 0,
                                          space_after=space_after_mm * mm)))

    def spacer(self, height_mm: float) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def flowable(self, item: Flowable) -> None:
        """Anything reportlab draws (a chart drawing, an image)."""
        self.story.append(item)

    def table(self, header_rows: Sequence[Sequence[str]], rows: Sequence[Sequence[Any]], col_widths_mm: Sequence[float],
              *, number_row: bool = False, font_size: float = TABLE_PT, align: Sequence[str] | None = None,
              group_rows: Sequence[int] = (), spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
              bold_rows: Sequence[int] = ()) -> None:
        """A bordered table; header rows (and the «1 2 3 …» row) repeat on every page.

        ``group_rows``: indexes (into ``rows``) of full-width caption rows (e.g. «Протокол заседания … от …»).
        ``align``: per column, "left" | "center" | "right". Cells may be plain values or Flowables.
        """
        widths = [w * mm for w in col_widths_mm]
        total = sum(widths)
        if total > self.frame_width + 0.5:
            scale = self.frame_width / total
            widths = [w * scale for w in widths]
        head_style = style(font_size, bold=False, align=TA_CENTER, leading=font_size * 1.15)
        aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        col_styles = [style(font_size, align=aligns[(align or [])[i]] if align and i < len(align) else TA_LEFT,
                            leading=font_size * 1.15) for i in range(len(widths))]
        bold_styles = [ParagraphStyle(name=s.name + "b", parent=s, fontName=SERIF_BOLD) for s in col_styles]
        data: list[list[Any]] = [[Paragraph(text(c), head_style) if not isinstance(c, Flowable) else c for c in r]
                                 for r in header_rows]
        if number_row:
            data.append([Paragraph(str(i + 1), head_style) for i in range(len(widths))])
        n_head = len(data)
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), SERIF),
            ("FONTSIZE", (0, 0), (-1, -1), font_size),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        group_set, bold_set = set(group_rows), set(bold_rows)
        for i, row in enumerate(rows):
            r = n_head + i
            if i in group_set:
                data.append([Paragraph(text(row[0]), style(font_size, bold=True, align=TA_CENTER))] + [""] * (len(widths) - 1))
                commands.append(("SPAN", (0, r), (-1, r)))
                continue
            styles = bold_styles if i in bold_set else col_styles
            data.append([c if isinstance(c, Flowable) else Paragraph(text(c), styles[j]) for j, c in enumerate(row)])
        for (c1, r1), (c2, r2) in spans:
            commands.append(("SPAN", (c1, r1), (c2, r2)))
        table = LongTable(data, colWidths=widths, repeatRows=n_head, splitByRow=True)
        table.setStyle(TableStyle(commands))
        self.story.append(table)

    def footnote(self, value: str) -> None:
        """A footnote directly under the preceding table/text («*» or a superscript digit in ``value``)."""
        self.story.append(Paragraph(text(value), style(FOOTNOTE_PT, align=TA_JUSTIFY)))

    def signature(self, position: str, name: str, *, space_before_mm: float = 10) -> None:
        """Position — space for the signature (or the electronic-signature stamp) — «И.О. Фамилия»."""
        block = _SignatureFlowable(position, name, self.signature_boxes, self.frame_width)
        self.story.append(CondPageBreak(STAMP_HEIGHT + space_before_mm * mm))
        self.story.append(KeepTogether([Spacer(1, space_before_mm * mm), block]))

    def executor_mark(self, value: str) -> None:
        """«Отметка об исполнителе» — small text at the end (ФИО, phone)."""
        self.story += [Spacer(1, 10 * mm), Paragraph(text(value), style(FOOTNOTE_PT - 0.5, align=TA_LEFT))]

    # ------------------------------------------------------------ output
    def _on_page(self, canvas, doc) -> None:  # noqa: ANN001
        canvas.saveState()
        page = canvas.getPageNumber()
        if page == 1 and not getattr(canvas, "_socplan_pdfa", False):
            canvas._socplan_pdfa = True
            apply_pdfa(canvas._doc, title=self.spec.title, author=self.spec.author, subject=self.spec.subject,
                       keywords=self.spec.keywords, creator=CREATOR, created=self.spec.creation_date,
                       stamp_boxes=self.signature_boxes)
        if page >= 2:
            canvas.setFont(SERIF, 12)
            canvas.drawCentredString(self.left + self.frame_width / 2, self.pagesize[1] - 12 * mm, str(page))
        if page_mark.get():
            canvas.setFont(SERIF_BOLD, 10)
            canvas.setFillColor(colors.HexColor("#b00020"))
            canvas.drawRightString(self.pagesize[0] - self.right, self.pagesize[1] - 8 * mm, page_mark.get())
        canvas.restoreState()

    def build_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._build(buffer)
        return buffer.getvalue()

    def build(self, target: Path) -> Path:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = self.build_bytes()
        target.write_bytes(data)
        return target

    def _build(self, out: io.BytesIO) -> None:
        self.signature_boxes.clear()
        # invariant=1: the file ID is a digest of the content only (reproducible); the dates are set by apply_pdfa
        template = SimpleDocTemplate(
            out, pagesize=self.pagesize, leftMargin=self.left, rightMargin=self.right, topMargin=self.top,
            bottomMargin=self.bottom, title=self.spec.title, author=self.spec.author, subject=self.spec.subject,
            keywords=self.spec.keywords, creator=CREATOR, producer=PRODUCER, initialFontName=SERIF,
            initialFontSize=TEXT_PT, invariant=1 if self.spec.creation_date else 0, lang="ru-RU",
        )
        story = list(self.story)
        template.build(story, onFirstPage=self._on_page, onLaterPages=self._on_page)


__all__ = ["DocumentBuilder", "DocumentSpec", "SignatureBox", "style", "text", "TEXT_PT", "TABLE_PT", "FOOTNOTE_PT",
           "STAMP_WIDTH", "STAMP_HEIGHT"]
