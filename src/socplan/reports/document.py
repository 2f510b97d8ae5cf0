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
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, LongTable, PageBreak, Paragraph, Spacer, TableStyle

from socplan.reports.fonts import SERIF, SERIF_BOLD, EmbeddedFontsCanvas, register_fonts
from socplan.reports.layout_passes import FillingTable, TableSource, TrackingTemplate, is_content, slice_commands
from socplan.reports.marks import page_mark
from socplan.reports.pdfa import apply_pdfa
from socplan.reports.signature_blocks import (APPROVAL_STAMP_HEIGHT, APPROVAL_STAMP_WIDTH, STAMP_HEIGHT, STAMP_WIDTH,
                                              SignatureBox, SignatureFlowable, StampSpace)
from socplan.reports.styles import FOOTNOTE_PT, MIN_FIGURES_TABLE_PT, MIN_TABLE_PT, TABLE_PT, TEXT_PT, style, text
from socplan.reports.table_rows import remap_commands, row_height, spanned_row_heights, split_tall_rows
from socplan.reports.typography import fit_columns, min_text_width, tie, widest_word

CREATOR = "СоцПлан"
PRODUCER = "СоцПлан (ReportLab)"

CELL_PADDING = 3  # left and right padding of a table cell, points
FRAME_PADDING = 6  # reportlab's frame padding (SimpleDocTemplate), points: text starts this far inside the margin
NARROW_CELL_PADDING = 1.5  # a wide financial table's cells (13 columns on landscape A4)
CELL_TOP_PADDING, CELL_BOTTOM_PADDING = 2, 3

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
              *, number_row: bool = False, font_size: float = TABLE_PT, align: Sequence[str] | None = None,
              group_rows: Sequence[int] = (), spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
              bold_rows: Sequence[int] = (), fill_column: int | None = None,
              min_font_size: float = MIN_TABLE_PT, cell_padding: float = CELL_PADDING,
              keep_rows: Sequence[tuple[int, int]] = ()) -> None:
        """A bordered table; header rows (and the «1 2 3 …» row) repeat on every page; a tall row splits.

        ``group_rows``: indexes (into ``rows``) of full-width caption rows (e.g. «Протокол заседания … от …»).
        ``align``: per column, "left" | "center" | "right". Cells may be plain values or Flowables.
        ``font_size`` is at least ``MIN_TABLE_PT`` (10 pt); only a wide financial table may ask for less with
        ``min_font_size`` (never under ``MIN_FIGURES_TABLE_PT``, see styles.py). Cells wrap with Russian
        hyphenation; a column too narrow for a word's longest syllable is widened at the expense of columns with
        room to spare. ``fill_column``: that column takes the frame width the others leave (size the others to
        their content with :meth:`content_width_mm`). ``cell_padding``: left and right, points (a wide financial
        table may narrow it to ``NARROW_CELL_PADDING``). ``keep_rows``: (first, last) indexes into ``rows`` of
        rows printed on one page (an event with its sources' rows) when together they take at most a quarter page; a
        group caption row always keeps with the row under it on the same terms.
        """
        font_size = max(font_size, max(MIN_FIGURES_TABLE_PT, min(min_font_size, MIN_TABLE_PT)))
        widths = [w * mm for w in col_widths_mm]
        if fill_column is not None:
            widths[fill_column] = max(10 * mm, self.frame_width - (sum(widths) - widths[fill_column]))
        total = sum(widths)
        if total > self.frame_width + 0.5:
            scale = self.frame_width / total
            widths = [w * scale for w in widths]
        n_cols = len(widths)
        group_set, bold_set = set(group_rows), set(bold_rows)
        widths, narrow = self._fit_widths(widths, header_rows, rows, font_size, group_set, bold_set, spans,
                                          number_row, cell_padding, fill_column)
        head_styles = [style(font_size, bold=False, align=TA_CENTER, leading=font_size * 1.15, hyphenate=narrow[i])
                       for i in range(n_cols)]
        aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
        col_styles = [style(font_size, align=aligns[(align or [])[i]] if align and i < len(align) else TA_LEFT,
                            leading=font_size * 1.15, hyphenate=narrow[i]) for i in range(n_cols)]
        bold_styles = [ParagraphStyle(name=s.name + "b", parent=s, fontName=SERIF_BOLD) for s in col_styles]
        data: list[list[Any]] = [[Paragraph(text(c, hyphenate=narrow[min(j, n_cols - 1)]), head_styles[min(j, n_cols - 1)])
                                  if not isinstance(c, Flowable) else c for j, c in enumerate(r)] for r in header_rows]
        if number_row:
            data.append([Paragraph(str(i + 1), head_styles[i]) for i in range(n_cols)])
        n_head = len(data)
        commands: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), SERIF),
            ("FONTSIZE", (0, 0), (-1, -1), font_size),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), cell_padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), cell_padding),
            ("TOPPADDING", (0, 0), (-1, -1), CELL_TOP_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_BOTTOM_PADDING),
        ]
        for i, row in enumerate(rows):
            r = n_head + i
            if i in group_set:
                data.append([Paragraph(text(row[0]), style(font_size, bold=True, align=TA_CENTER))]
                            + [""] * (n_cols - 1))
                commands.append(("SPAN", (0, r), (-1, r)))
                continue
            styles = bold_styles if i in bold_set else col_styles
            data.append([c if isinstance(c, Flowable) else Paragraph(text(c, hyphenate=narrow[j]), styles[j])
                         for j, c in enumerate(row)])
        locked: set[int] = set()
        for (c1, r1), (c2, r2) in spans:
            commands.append(("SPAN", (c1, r1), (c2, r2)))
            a, b = sorted((r1 % len(data), r2 % len(data)))
            locked.update(range(a, b + 1))
        self._keep_rows(data, widths, n_head, commands, list(keep_rows) + [(g, g + 1) for g in group_set],
                        len(rows), cell_padding)
        data, commands, locked, heights = self._cut_tall_rows(data, widths, n_head, commands, locked, cell_padding)
        table = FillingTable.of(data, widths, commands, n_head, heights)
        self._tables[id(table)] = TableSource(data, widths, commands, n_head, frozenset(locked))
        self.story.append(table)

    def _keep_rows(self, data: list[list[Any]], widths: Sequence[float], n_head: int, commands: list[tuple],
                   ranges: Sequence[tuple[int, int]], n_rows: int, cell_padding: float) -> None:
        """NOSPLIT for each range of body rows that takes at most a quarter of a page (a taller one may be cut)."""
        if not ranges:
            return
        heights = spanned_row_heights(data, widths, commands, cell_padding,
                                      CELL_TOP_PADDING + CELL_BOTTOM_PADDING)
        limit = (self.pagesize[1] - self.top - self.bottom) / 4  # a taller one is cut at the page foot instead
        for first, last in ranges:
            if not 0 <= first < last < n_rows:
                continue
            rows = range(n_head + first, n_head + last + 1)
            if sum(heights[r] for r in rows) <= limit:
                commands.append(("NOSPLIT", (0, rows[0]), (-1, rows[-1])))

    @staticmethod
    def content_width_mm(values: Sequence[Any], font_size: float, *, bold: bool = False,
                         cell_padding: float = CELL_PADDING) -> float:
        """The width (mm, with the cell padding) a column needs so that no word of ``values`` is broken: its widest
        unbreakable word (a figure «115 305 653,19» is one, its groups are tied) at ``font_size``."""
        font = SERIF_BOLD if bold else SERIF
        widest = max((widest_word(tie(str(v)), font, font_size) for v in values if v not in (None, "")), default=0.0)
        return (widest + 2 * cell_padding + 1) / mm

    def _cut_tall_rows(self, data: list[list[Any]], widths: Sequence[float], n_head: int, commands: list[tuple],
                       locked: set[int], cell_padding: float = CELL_PADDING
                       ) -> tuple[list[list[Any]], list[tuple], set[int], list[float] | None]:
        """A row taller than a page (under the repeated header) continues in the next row (table_rows).

        Also returns the rows' heights when they are exactly what reportlab would measure — every cell a paragraph,
        no span, no row cut — so that the table is not measured a second time; else None."""
        inner = [w - cell_padding - cell_padding for w in widths]  # as reportlab takes a cell's padding off
        padding = CELL_TOP_PADDING + CELL_BOTTOM_PADDING
        plain = not any(command[0] == "SPAN" for command in commands) and all(
            type(cell) is Paragraph for row in data for cell in row)
        heights = [row_height(row, inner, padding) for row in data] if plain else None
        header = sum(heights[:n_head]) if heights else sum(row_height(row, inner, padding) for row in data[:n_head])
        limit = self.pagesize[1] - self.top - self.bottom - header - 12
        # a caption across columns is measured in its first column only: never cut (it is short on paper)
        across = {r % len(data) for name, (c1, r1), (c2, r2), *_ in commands if name == "SPAN" and c1 != c2
                  for r in range(r1 % len(data), r2 % len(data) + 1)}
        new_data, where = split_tall_rows(data, inner, n_head, limit, padding, locked | across, heights)
        if len(new_data) == len(data):
            return data, commands, locked, heights
        moved = {r for old in locked for r in range(where[old][0], where[old][1] + 1)}
        return new_data, remap_commands(commands, where, len(data)), moved, None

    @staticmethod
    def _fit_widths(widths: list[float], header_rows: Sequence[Sequence[Any]], rows: Sequence[Sequence[Any]],
                    font_size: float, group_set: set[int], bold_set: set[int],
                    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]],
                    number_row: bool, cell_padding: float = CELL_PADDING,
                    fill_column: int | None = None) -> tuple[list[float], list[bool]]:
        """Each column at least as wide as its widest syllable chunk (with the hyphen) plus the cell padding;
        and, per column, whether it is narrower than its longest word (then its cells wrap with hyphenation)."""
        n_head = len(header_rows) + (1 if number_row else 0)
        spanned = {(c1 % len(widths), r1) for (c1, r1), (c2, r2) in spans if c1 != c2}
        minimums = [0.0] * len(widths)
        longest = [0.0] * len(widths)
        whole = [0.0] * len(widths)  # the widest word that fits whole: the column never gives that width away

        def visit(row: Sequence[Any], r: int, font: str) -> None:
            for j, cell in enumerate(row[:len(widths)]):
                if cell is None or isinstance(cell, Flowable) or (j, r) in spanned:
                    continue
                value = tie(str(cell))
                word = widest_word(value, font, font_size) + 2 * cell_padding
                longest[j] = max(longest[j], word)
                if word > widths[j]:
                    minimums[j] = max(minimums[j], min_text_width(value, font, font_size) + 2 * cell_padding + 1)
                else:
                    whole[j] = max(whole[j], word)

        for r, row in enumerate(header_rows):
            visit(row, r, SERIF)
        for i, row in enumerate(rows):
            if i not in group_set:
                visit(row, n_head + i, SERIF_BOLD if i in bold_set else SERIF)
        # a column whose words all fit gives away only the width its longest word does not need
        minimums = [max(m, whole[j]) if m else min(w, longest[j]) for j, (m, w) in enumerate(zip(minimums, widths))]
        if fill_column is not None:  # the column that takes the rest gives first: the others keep their content width
            need = sum(max(0.0, m - w) for m, w in zip(minimums, widths))
            if widths[fill_column] - minimums[fill_column] >= need:
                minimums = [m if j == fill_column else max(m, widths[j]) for j, m in enumerate(minimums)]
        fitted = fit_columns(widths, minimums)
        return fitted, [longest[j] > fitted[j] for j in range(len(widths))]

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
