"""The one document engine every report uses: Russian office documents per GOST R 7.0.97-2016.

A4 portrait or landscape, margins 20 mm (left 30 mm for bound documents), the shipped serif font embedded
(14 pt text, 12 pt tables — never under 10 pt —, 10–11 pt footnotes), page numbers from page 2 centred in the
top margin (11–16 mm from the sheet's top edge), table header rows repeated on every page with the «1 2 3 …»
column-number row, word-wrapped cells with Russian hyphenation (:mod:`socplan.reports.typography`: a word is
never cut without «-»; a column too narrow for its longest syllable is widened), non-breaking spaces in
«№ 12», «И.О. Фамилия», «2025 г.», «15 %», the «УТВЕРЖДАЮ» block, signature blocks, footnotes, metadata.
Callers pass plain text; the engine escapes it and applies the typography. No document can use a
non-embedded font: any base-14 name (Helvetica, Times-Roman, Courier …) is drawn with the embedded serif.

Usage::

    doc = DocumentBuilder(DocumentSpec(title="…", author="…", subject="…", landscape=True))
    doc.approval_block("Министр …", "И.П. Варнавская", "23 декабря 2024 года")
    doc.heading("ПЛАН")
    doc.table([["№", "Мероприятия", …]], rows, col_widths_mm=[12, 120, …], number_row=True)
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    doc.build(path)

Signatures (GOST R 7.0.97 п. 5.23) — the one API for every document
--------------------------------------------------------------------
``doc.signature(position, name)`` adds one signature block per signer: the position from the left margin
(wrapped, hyphenated), the signature space in the middle (``STAMP_WIDTH`` × ``STAMP_HEIGHT``: the place of a
handwritten signature, or of the «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ» stamp), «И.О. Фамилия» ending at the
right margin, the position's last line and the name on one baseline. Call it once per signer, in signing order
(e.g. chair, then secretary; or «Расчёт выполнил», «Отчёт подготовил»)::

    doc.signature("Председательствующий", "И.Б. Елецкая")
    doc.signature("Секретарь", "А.В. Петрова")

Consecutive signature blocks stay together, and they never stand alone on a page: when they would, the last
table rows (or the last paragraph) move to the next page with them. ``approval_block`` reserves the approver's
signature space inside the «УТВЕРЖДАЮ» block on the first page. Every signature space is recorded
(``doc.signature_boxes`` after ``build``; and inside the PDF, catalog key ``/SocPlanStampBoxes``: page,
rectangle, «И.О. Фамилия», position), so :mod:`socplan.signing.pades` puts each signer's stamp in that signer's
own place, never over text or another stamp.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, LongTable, PageBreak, Paragraph, Spacer, TableStyle

from socplan.reports.document_tables import build_table, content_width_mm
from socplan.reports.fonts import SERIF, SERIF_BOLD, EmbeddedFontsCanvas, register_fonts
from socplan.reports.layout_passes import FillingTable, TableSource, TrackingTemplate, is_content, slice_commands
from socplan.reports.marks import page_mark
from socplan.reports.pdfa import apply_pdfa
from socplan.reports.signature_blocks import (APPROVAL_STAMP_HEIGHT, APPROVAL_STAMP_WIDTH, STAMP_HEIGHT, STAMP_WIDTH,
                                              SignatureBox, SignatureFlowable, StampSpace)
from socplan.reports.styles import FOOTNOTE_PT, MIN_FIGURES_TABLE_PT, MIN_TABLE_PT, TABLE_PT, TEXT_PT, style, text

CREATOR = "СоцПлан"
PRODUCER = "СоцПлан (ReportLab)"

FRAME_PADDING = 6  # reportlab's frame padding (SimpleDocTemplate), points: text starts this far inside the margin

#: Page numbers: baseline 15 mm below the sheet's top edge, i.e. the glyphs sit 11–16 mm from the edge,
#: inside the 20 mm top margin and clear of the text (GOST: at least 10 mm from the edge, centred).
PAGE_NUMBER_BASELINE = 15 * mm
PAGE_NUMBER_PT = 12
#: A heading (or a label paragraph) moves to the next page unless this much of what follows fits under it.
KEEP_WITH_NEXT_SPACE = 25 * mm
#: A signature block's page holds at least this much of the document before it (about three lines of text, or some
#: table rows); otherwise the closing lines and the last rows go over with the block.
COMPANY_HEIGHT = 3 * TEXT_PT * 1.2 - 1


@dataclass
class DocumentSpec:
    title: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    landscape: bool = False
    bound: bool = False  # left margin 30 mm for documents kept bound
    creation_date: dt.datetime | None = None  # fixed for reproducible output
    #: printed at the top of every page (e.g. «ПРОЕКТ — расчёт не сохранён»): a draft that is not to be signed
    draft_mark: str = ""


@dataclass
class _Signature:
    """A signature block waiting in the story (turned into flowables at build time, grouped with its neighbours)."""

    position: str
    name: str
    space_before_mm: float


class DocumentBuilder:
    def __init__(self, spec: DocumentSpec) -> None:
        register_fonts()
        self.spec = spec
        self.pagesize = landscape(A4) if spec.landscape else A4
        self.left = (30 if spec.bound else 20) * mm
        self.right = 10 * mm if not spec.landscape else 15 * mm
        self.top = 20 * mm
        self.bottom = 20 * mm
        self.story: list[Any] = []
        self.signature_boxes: list[SignatureBox] = []
        self.footnotes: list[str] = []
        self._tables: dict[int, TableSource] = {}
        self._kept_with_signature: set[int] = set()  # ids of flowables that go with the signature blocks after them
        #: after ``build``: how many times rows or a paragraph were moved to keep signature blocks company
        self.moved_to_signatures = 0

    @property
    def frame_width(self) -> float:
        """The width text and tables take: between the margins, less reportlab's frame padding on both sides (a
        table as wide as the margins stuck 2 mm out of the text on each side)."""
        return self.pagesize[0] - self.left - self.right - 2 * FRAME_PADDING

    # ------------------------------------------------------------ blocks
    def approval_block(self, position: str, name: str, date_text: str = "", word: str = "УТВЕРЖДАЮ") -> None:
        """«УТВЕРЖДАЮ» top right (block width ≤ 9 cm): position; the approver's signature space (where the
        electronic-signature stamp goes); ``_______________ И.О. Фамилия``; date."""
        width = 90 * mm
        st = style(TEXT_PT, align=TA_LEFT, leading=TEXT_PT * 1.15)
        inner = [Paragraph(text(word), st), Paragraph(text(position), st), Spacer(1, 1 * mm),
                 StampSpace(APPROVAL_STAMP_WIDTH, APPROVAL_STAMP_HEIGHT, position, name, self.signature_boxes),
                 Spacer(1, 1 * mm), Paragraph(f"_______________ {text(name)}", st)]
        if date_text:
            inner.append(Paragraph(text(date_text), st))
        table = LongTable([[None, inner]], colWidths=[self.frame_width - width, width])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        self.story += [table, Spacer(1, 8 * mm)]

    def heading(self, value: str, *, size: float = TEXT_PT, bold: bool = True, space_after_mm: float = 4) -> None:
        """A centred heading; it never stays alone at the foot of a page (it moves on with what follows)."""
        para = Paragraph(text(value), style(size, bold=bold, align=TA_CENTER, space_after=space_after_mm * mm))
        self._keep_with_next(para)
        self.story.append(para)

    def _keep_with_next(self, para: Paragraph) -> None:
        """Start a new page unless ``para`` and about three lines of what follows fit (reportlab's own
        keepWithNext would move a long table that follows to the next page with it)."""
        _, height = para.wrap(self.frame_width, self.pagesize[1])
        self.story.append(CondPageBreak(height + para.style.spaceAfter + KEEP_WITH_NEXT_SPACE))

    def paragraph(self, value: str, *, size: float = TEXT_PT, indent: bool = True, align: str = "justify",
                  bold: bool = False, markup: bool = False, space_after_mm: float = 0,
                  keep_with_next: bool = False) -> None:
        """A paragraph; ``keep_with_next`` for labels («ПОВЕСТКА ДНЯ:», «РЕШИЛИ:») that must not end a page."""
        aligns = {"justify": TA_JUSTIFY, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        para = Paragraph(value if markup else text(value),
                         style(size, bold=bold, align=aligns[align], indent_mm=12.5 if indent else 0,
                               space_after=space_after_mm * mm))
        if keep_with_next:
            self._keep_with_next(para)
        self.story.append(para)

    def spacer(self, height_mm: float) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def flowable(self, item: Flowable, *, keep_with_signature: bool = False) -> None:
        """Anything reportlab draws (a chart drawing, an image). ``keep_with_signature``: the item stands right before
        the signature blocks and goes to the next page with them when they do not fit together — the choice the
        engine makes after a first layout leaves the blocks alone on a page, made before it, so the document is
        laid out once. Only for a drawing or an image: a table or a paragraph taken that way is cut into parts."""
        if keep_with_signature:
            if isinstance(item, (Paragraph, LongTable, KeepTogether)):
                raise ValueError("keep_with_signature: only a drawing or an image")
            self._kept_with_signature.add(id(item))
        self.story.append(item)

    def table(self, header_rows: Sequence[Sequence[str]], rows: Sequence[Sequence[Any]], col_widths_mm: Sequence[float],
              **options: Any) -> None:
        """A bordered table (:func:`socplan.reports.document_tables.build_table`: its options, the rules of widths,
        header rows, caption rows, rows kept together and rows cut at a page foot)."""
        table, source = build_table(header_rows, rows, col_widths_mm, frame_width=self.frame_width,
                                    body_height=self.pagesize[1] - self.top - self.bottom, **options)
        self._tables[id(table)] = source
        self.story.append(table)

    #: the width a column needs so that no word of its values is broken (see document_tables.content_width_mm)
    content_width_mm = staticmethod(content_width_mm)

    def footnote(self, value: str) -> None:
        """A footnote directly under the preceding table/text («*» or a superscript digit in ``value``)."""
        self.story.append(Paragraph(text(value), style(FOOTNOTE_PT, align=TA_JUSTIFY)))

    def signature(self, position: str, name: str, *, space_before_mm: float = 10) -> None:
        """One signer's block: position — signature (or stamp) space — «И.О. Фамилия» (see the module docstring)."""
        self.story.append(_Signature(position, name, space_before_mm))

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
        if self.spec.draft_mark:
            canvas.setFont(SERIF_BOLD, 12)
            canvas.setFillColorRGB(0.55, 0, 0)
            canvas.drawRightString(self.pagesize[0] - self.right, self.pagesize[1] - 12 * mm, self.spec.draft_mark)
            canvas.setFillColorRGB(0, 0, 0)
        if page >= 2:
            canvas.setFont(SERIF, PAGE_NUMBER_PT)
            canvas.drawCentredString(self.left + FRAME_PADDING + self.frame_width / 2,
                                     self.pagesize[1] - PAGE_NUMBER_BASELINE,
                                     str(page))
        if page_mark.get():  # «ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ» on every page of a demo database's document
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

    def _preset_keep(self) -> dict[int, int]:
        """Runs of signature blocks whose preceding flowable was added with ``keep_with_signature``."""
        keep: dict[int, int] = {}
        run = 0
        for i, item in enumerate(self.story):
            if isinstance(item, _Signature) and (i == 0 or not isinstance(self.story[i - 1], _Signature)):
                if i > 0 and id(self.story[i - 1]) in self._kept_with_signature:
                    keep[run] = 1
                run += 1
        return keep

    def _compose(self, keep: dict[int, int], fresh: bool = True, preset: frozenset[int] = frozenset()
                 ) -> tuple[list[Flowable], list[tuple[int, int]]]:
        """The story as flowables: each run of signature blocks becomes one KeepTogether; ``keep`` maps a run's
        index to how many of the preceding flowables (a table's last rows count as one) join it; ``fresh``: the
        story's tables were laid out before (lay out new ones); ``preset``: runs kept by ``keep_with_signature``
        (not counted in ``moved_to_signatures``).
        Returns the flowables and, per run, (index of its KeepTogether, id of its first block)."""
        out: list[Flowable] = []
        runs: list[tuple[int, int]] = []
        i = 0
        while i < len(self.story):
            item = self.story[i]
            if not isinstance(item, _Signature):
                source = self._tables.get(id(item)) if fresh else None
                if source is not None:  # a table laid out once keeps stale state: lay out a fresh one
                    item = self._fresh_table(source)
                out.append(item)
                i += 1
                continue
            group: list[Flowable] = []
            first_block = None
            while i < len(self.story) and isinstance(self.story[i], _Signature):
                sig = self.story[i]
                block = SignatureFlowable(sig.position, sig.name, self.signature_boxes, self.frame_width)
                first_block = first_block or block
                group += [Spacer(1, sig.space_before_mm * mm), block]
                i += 1
            if keep.get(len(runs)):
                moved_before = self.moved_to_signatures
                group = self._take_company(out) + group
                if len(runs) in preset:
                    self.moved_to_signatures = moved_before
            out.append(KeepTogether(group))
            runs.append((len(out) - 1, id(first_block)))
        return out, runs

    @staticmethod
    def _forget_layout(flowables: Sequence[Any]) -> None:
        """reportlab marks a flowable that did not fit at a page foot (``_postponed``) and raises LayoutError when a
        marked one does not fit again: clear the marks of the first layout before laying out again."""
        for flowable in flowables:
            if hasattr(flowable, "_postponed"):
                del flowable._postponed
            inner = getattr(flowable, "_content", None)
            if isinstance(inner, list):
                DocumentBuilder._forget_layout(inner)

    def _fresh_table(self, source: TableSource, rows: Sequence[int] | None = None) -> LongTable:
        """A new table of ``rows`` (all by default) of a table the engine built."""
        total = len(source.data)
        rows = list(range(total)) if rows is None else list(rows)
        table = FillingTable.of([source.data[r] for r in rows], source.widths,
                                slice_commands(source.commands, rows, total), source.n_head)
        self._tables[id(table)] = source
        return table

    def _take_company(self, out: list[Flowable]) -> list[Flowable]:
        """Detach from the end of ``out`` what goes to the next page with the signature blocks: the closing
        paragraphs back to about three lines of text (``COMPANY_HEIGHT``), and, when they are fewer, the last rows
        of the table before them (its header repeats above them), with the spacers in between."""
        moved: list[Flowable] = []
        gathered = 0.0
        frame_h = self.pagesize[1] - self.top - self.bottom
        while gathered < COMPANY_HEIGHT:
            taken, height, go_on = self._take_one(out, frame_h)
            moved = taken + moved
            gathered += height
            if not go_on:
                break
        return moved

    def _take_one(self, out: list[Flowable], frame_h: float) -> tuple[list[Flowable], float, bool]:
        """The last content flowable of ``out`` (with the spacers after it) detached to go with the signature
        blocks: (what was taken, its height, whether more may be taken before it)."""
        moved: list[Flowable] = []
        while out and not is_content(out[-1]) and not isinstance(out[-1], (PageBreak, KeepTogether)):
            moved.insert(0, out.pop())
        if not out or not is_content(out[-1]):
            return moved, 0.0, False
        last = out.pop()

        def height(flowable: Flowable) -> float:
            return flowable.wrap(self.frame_width, frame_h)[1]

        source = self._tables.get(id(last))
        if source is None:
            if isinstance(last, Paragraph) and height(last) > frame_h / 2:  # its last two lines go
                parts = last.split(self.frame_width, height(last) - 2 * last.style.leading - 1)
                if len(parts) == 2:
                    out.append(parts[0])
                    self.moved_to_signatures += 1
                    return [parts[1]] + moved, 2 * last.style.leading, False
            if isinstance(last, Paragraph) or height(last) <= frame_h / 2:
                self.moved_to_signatures += 1
                return [last] + moved, height(last), isinstance(last, Paragraph)
            out.append(last)
            return moved, 0.0, False
        total = len(source.data)
        for take in (2, 1):
            while take < total - source.n_head and (total - take) in source.locked_rows and \
                    (total - take - 1) in source.locked_rows:
                take += 1  # never separate rows joined by a vertical span
            if total - source.n_head <= take:
                break
            tail = self._fresh_table(source, list(range(source.n_head)) + list(range(total - take, total)))
            if height(tail) <= frame_h / 2:
                out.append(self._fresh_table(source, range(total - take)))
                self.moved_to_signatures += 1
                return [tail] + moved, COMPANY_HEIGHT, False
        out.append(last)
        return moved, 0.0, False

    def _build(self, out: io.BytesIO) -> None:
        keep = self._preset_keep()
        preset = frozenset(keep)
        self.moved_to_signatures = 0
        for attempt in range(2):
            self.signature_boxes.clear()
            out.seek(0)
            out.truncate()
            if attempt:
                self.moved_to_signatures = 0
            story, runs = self._compose(keep, fresh=attempt > 0, preset=preset)
            template = self._template(out)
            template.build(story, onFirstPage=self._on_page, onLaterPages=self._on_page,
                           canvasmaker=EmbeddedFontsCanvas)
            alone = [index for index in self._runs_alone(template.drawn, runs) if index not in preset]
            if not alone or attempt:
                return
            keep = keep | {index: 1 for index in alone}
            self._forget_layout(self.story)

    @staticmethod
    def _runs_alone(drawn: list[tuple[int, Any]], runs: list[tuple[int, int]]) -> list[int]:
        """Indexes of signature runs whose page holds, before them, no table rows and less than about three lines of
        the document's text (``COMPANY_HEIGHT``): a signature must not stand (nearly) alone on its page."""
        alone = []
        first_blocks = {block_id: n for n, (_i, block_id) in enumerate(runs)}
        company: dict[int, float] = {}
        for page, flowable in drawn:
            if id(flowable) in first_blocks and company.get(page, 0.0) < COMPANY_HEIGHT:
                alone.append(first_blocks[id(flowable)])
            if is_content(flowable):
                tall = COMPANY_HEIGHT if not isinstance(flowable, Paragraph) else getattr(flowable, "height", 0.0)
                company[page] = company.get(page, 0.0) + tall
        return alone

    def _template(self, out: io.BytesIO) -> TrackingTemplate:
        # invariant=1: the file ID is a digest of the content only (reproducible); the dates are set by apply_pdfa
        return TrackingTemplate(
            out, pagesize=self.pagesize, leftMargin=self.left, rightMargin=self.right, topMargin=self.top,
            bottomMargin=self.bottom, title=self.spec.title, author=self.spec.author, subject=self.spec.subject,
            keywords=self.spec.keywords, creator=CREATOR, producer=PRODUCER, initialFontName=SERIF,
            initialFontSize=TEXT_PT, invariant=1 if self.spec.creation_date else 0, lang="ru-RU",
        )


__all__ = ["DocumentBuilder", "DocumentSpec", "SignatureBox", "style", "text", "TEXT_PT", "TABLE_PT", "FOOTNOTE_PT",
           "MIN_TABLE_PT", "MIN_FIGURES_TABLE_PT", "STAMP_WIDTH", "STAMP_HEIGHT", "APPROVAL_STAMP_WIDTH", "APPROVAL_STAMP_HEIGHT",
           "PAGE_NUMBER_BASELINE"]
