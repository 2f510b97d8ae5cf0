"""PDF of the protocols capability: the printed protocol (DOCUMENTS.md §3) and «Информация об исполнении
решений …» in the layout of seed 000."""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Paragraph, Table, TableStyle

from socplan.domain import protocols as rules
from socplan.domain.protocols import ExecutionReportText, ProtocolText
from socplan.reports.document import TEXT_PT, DocumentBuilder, DocumentSpec, style, text
from socplan.reports.fonts import SERIF_BOLD
from socplan.reports.signature_company import keep_with_signature

#: column widths of seed 000's table on landscape A4 (mm)
EXECUTION_WIDTHS = (12, 30, 88, 52, 85)


def execution_report_pdf(report: ExecutionReportText, *, author: str = "", signer: tuple[str, str] | None = None,
                         creation_date: dt.datetime | None = None) -> bytes:
    """Seed 000: heading «ИНФОРМАЦИЯ», «об исполнении решений …», the table grouped by protocols; then the
    signature block of who prepared it (``signer``: position, «И.О. Фамилия»). Laid out again with the last row
    cut off the table when the block would otherwise stand alone on the last page."""
    doc, mark = _compose_execution_report(report, author, signer, creation_date, cut_tail=False)
    data = doc.build_bytes()
    if signer and mark.page and doc.signature_boxes and doc.signature_boxes[-1].page > mark.page:
        doc, mark = _compose_execution_report(report, author, signer, creation_date, cut_tail=True)
        data = doc.build_bytes()
    return data


class _PageMark(Flowable):
    """Takes no room; remembers the page it landed on (where the table ended)."""

    page = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.page = self.canv.getPageNumber()


def _compose_execution_report(report: ExecutionReportText, author: str, signer: tuple[str, str] | None,
                              creation_date: dt.datetime | None, *, cut_tail: bool) -> tuple[DocumentBuilder, _PageMark]:
    doc = DocumentBuilder(DocumentSpec(title=f"{report.title} {report.subtitle}", author=author,
                                       subject="Контроль исполнения решений коллегиального органа",
                                       landscape=True, creation_date=creation_date))
    doc.heading(report.title, space_after_mm=0)
    doc.heading(report.subtitle, bold=False, space_after_mm=2 if report.filter_note else 6)
    if report.filter_note:
        doc.paragraph(f"({report.filter_note})", size=11, indent=False, align="center", space_after_mm=4)
    mark = _PageMark()
    if not any(g.rows for g in report.groups):
        doc.paragraph("Поручений, отвечающих условиям отбора, нет.", indent=False, align="center")
        if signer:
            _signature(doc, *signer)
        return doc, mark
    parts = _execution_tables(report, doc.frame_width, cut_tail=cut_tail)
    for part in parts:
        doc.flowable(part)
    doc.flowable(mark)
    if signer:  # never alone on the last page: the cut-off last row goes over with it
        start = len(doc.story) - 2 if len(parts) > 1 else len(doc.story)
        _signature(doc, *signer)
        keep_with_signature(doc, start)
    return doc, mark


#: a last row of more lines than this leaves only its last lines to go with the signature
TAIL_LINES = 12


def _execution_tables(report: ExecutionReportText, frame_width: float, *, cut_tail: bool) -> list[LongTable]:
    """The table (``_execution_table``); with ``cut_tail`` in two: the body, and the last row — or the last three
    lines of a long one — under the repeated header as a table of its own (it goes with the signature block)."""
    data, commands, widths, row_starts, captions = _execution_table(report, frame_width)
    n = len(data)
    cut = row_starts[-1] if row_starts and n - row_starts[-1] <= TAIL_LINES else n - 3
    if cut - 1 in captions:  # a caption stays with its first row
        cut -= 1
    if not cut_tail or cut <= 1:
        return [_table(data, commands, widths, list(range(n)))]
    return [_table(data, commands, widths, list(range(cut))),
            _table(data, commands, widths, [0] + list(range(cut, n)))]


def _table(data: list[list], commands: list[tuple], widths: list[float], rows: list[int]) -> LongTable:
    """A table of the given ``rows`` (the header row 0 repeated on every page) with their style commands."""
    table = LongTable([data[r] for r in rows], colWidths=widths, repeatRows=1, splitByRow=True)
    table.setStyle(TableStyle(_slice(commands, rows, len(data))))
    return table


def _slice(commands: list[tuple], rows: list[int], total: int) -> list[tuple]:
    """Style commands for the chosen ``rows`` (ascending) of a table of ``total`` rows, re-numbered; a command
    over several rows is repeated for each run of consecutive chosen rows; «splitlast» commands kept."""
    new = {old: i for i, old in enumerate(rows)}
    out = []
    for name, (c1, r1), (c2, r2), *rest in commands:
        if isinstance(r1, str) or isinstance(r2, str):
            out.append((name, (c1, r1), (c2, r2), *rest))
            continue
        first, last = r1 % total, r2 % total
        chosen = [new[r] for r in range(first, last + 1) if r in new]
        runs: list[list[int]] = []
        for i in chosen:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        out += [(name, (c1, run[0]), (c2, run[-1]), *rest) for run in runs]
    return out


def _signature(doc: DocumentBuilder, position: str, name: str) -> None:
    """The one call for a signature block (the engine's: position — stamp space — «И.О. Фамилия»)."""
    doc.signature(position, name)


def _execution_table(report: ExecutionReportText, frame_width: float
                     ) -> tuple[list[list], list[tuple], list[float], list[int], set[int]]:
    """The engine's table look; a tall row continues on the next page line by line.

    Every row is pre-wrapped into the lines its cells will show and laid out as thin sub-rows of one boxed
    row (a line of each column per sub-row), so the page breaks between any two lines of a row and pages
    fill up. (ReportLab's own ``splitInRow`` draws the repeated header twice next to spanned caption rows.)
    At least two lines of a row stay together at a page foot or head; a group caption «Протокол заседания …»
    is kept with the first lines of its first row; the header row repeats on every page.
    Returns the cells, the style commands, the column widths, the first sub-row of each row, the caption rows.
    """
    widths = [w * mm for w in EXECUTION_WIDTHS]
    scale = min(1.0, frame_width / sum(widths))
    widths = [w * scale for w in widths]
    size = 11
    head = style(size, align=TA_CENTER, leading=size * 1.15)
    left = style(size, align=TA_LEFT, leading=size * 1.15)
    centre = style(size, align=TA_CENTER, leading=size * 1.15)
    caption = style(size, bold=True, align=TA_CENTER, leading=size * 1.15)
    data: list[list] = [[Paragraph(text(h), head) for h in report.header]]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        # a row continued on the next page is closed by a rule at the foot of this one
        ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), 0.5, colors.black),
    ]

    def boxed(first: int, last: int) -> None:  # rules, not BOX: a table cut inside a row adds no line
        commands.extend([("LINEABOVE", (0, first), (-1, first), 0.5, colors.black),
                         ("LINEBELOW", (0, last), (-1, last), 0.5, colors.black),
                         ("LINEBEFORE", (0, first), (-1, last), 0.5, colors.black),
                         ("LINEAFTER", (-1, first), (-1, last), 0.5, colors.black)])

    boxed(0, 0)
    row_starts: list[int] = []
    captions: set[int] = set()
    for group in report.groups:
        data.append([Paragraph(text(group.caption), caption), "", "", "", ""])
        caption_row = len(data) - 1
        captions.add(caption_row)
        commands.append(("SPAN", (0, caption_row), (-1, caption_row)))
        commands.extend([("LINEABOVE", (0, caption_row), (-1, caption_row), 0.5, colors.black),
                         ("LINEBELOW", (0, caption_row), (-1, caption_row), 0.5, colors.black),
                         ("LINEBEFORE", (0, caption_row), (0, caption_row), 0.5, colors.black),
                         ("LINEAFTER", (-1, caption_row), (-1, caption_row), 0.5, colors.black)])
        for index, r in enumerate(group.rows):
            cells = [str(r.number), r.point, r.content, r.responsibles, r.execution]
            lines = [_wrap(value, width - 2 * _PAD, left) for value, width in zip(cells, widths)]
            height = max(len(x) for x in lines)
            first = len(data)
            row_starts.append(first)
            for i in range(height):
                data.append([Paragraph(text(column[i]) if i < len(column) else "", centre if c == 0 else left)
                             for c, column in enumerate(lines)])
            last = len(data) - 1
            if last > first:
                commands.append(("BOTTOMPADDING", (0, first), (-1, last - 1), 0))
                commands.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
                # no single line of a row alone at the foot or the head of a page
                commands.append(("NOSPLIT", (0, first), (-1, min(first + 1, last))))
                commands.append(("NOSPLIT", (0, max(first, last - 1)), (-1, last)))
            if index == 0:  # the caption never stays alone at the bottom of a page
                commands.append(("NOSPLIT", (0, caption_row), (-1, min(first + 1, last))))
            boxed(first, last)
    return data, commands, widths, row_starts, captions


#: horizontal cell padding of the execution table (pt)
_PAD = 3


def _wrap(value: str, width: float, st) -> list[str]:  # noqa: ANN001
    """The lines a left-aligned cell shows: its own line breaks, then word wrap at ``width`` (1 pt to spare)."""
    lines: list[str] = []
    for paragraph in (value or "").split("\n"):
        lines.extend(simpleSplit(paragraph, st.fontName, st.fontSize, width - 1) or [""])
    return lines or [""]


def _two_columns(left: str, right: str, width: float) -> Table:
    st_left = style(TEXT_PT, align=0)
    st_right = style(TEXT_PT, align=2)
    table = Table([[Paragraph(text(left), st_left), Paragraph(text(right), st_right)]],
                  colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def protocol_pdf(protocol: ProtocolText, *, author: str = "", creation_date: dt.datetime | None = None) -> bytes:
    """DOCUMENTS.md §3: header, introductory part, agenda, «СЛУШАЛИ / РЕШИЛИ» per question, signatures."""
    spec = DocumentSpec(title=("Проект: " if protocol.draft else "") + f"{protocol.title} {protocol.subtitle}",
                        author=author, subject="Протокол заседания коллегиального органа", creation_date=creation_date)
    doc = DraftDocumentBuilder(spec) if protocol.draft else DocumentBuilder(spec)
    doc.heading(protocol.body_name.upper(), space_after_mm=6)
    doc.heading(protocol.title, space_after_mm=0)
    doc.heading(protocol.subtitle, bold=False, space_after_mm=4)
    doc.flowable(_two_columns(protocol.date_text, protocol.place, doc.frame_width))
    if protocol.time_form:
        doc.paragraph(protocol.time_form, indent=False, align="left")
    doc.spacer(4)

    def labelled(label: str, value: str) -> None:
        doc.paragraph(f"<b>{text(label)}</b> {text(value)}", indent=False, align="left", markup=True)

    presiding_word = protocol.signatures[0][0] if protocol.signatures else "Председательствующий"
    if protocol.presiding:
        labelled(presiding_word, f"– {protocol.presiding}")
    if protocol.secretary:
        labelled("Секретарь", f"– {protocol.secretary}")
    doc.spacer(2)
    appendix = rules.attendance_listed_separately(len(protocol.members))
    if appendix:  # «Присутствовали: 16 человек (список прилагается)»
        doc.paragraph(f"<b>{text(protocol.members_label)}</b> {len(protocol.members)} "
                      f"{rules.people_word(len(protocol.members))} (список прилагается)",
                      indent=False, align="left", markup=True)
    elif protocol.members:
        doc.paragraph(f"<b>{text(protocol.members_label)}</b>", indent=False, align="left", markup=True)
        for line in protocol.members:
            doc.paragraph(line, indent=False, align="left")
    if protocol.invited:
        doc.spacer(2)
        doc.paragraph("<b>Приглашенные:</b>", indent=False, align="left", markup=True)
        for line in protocol.invited:
            doc.paragraph(line, indent=False, align="left")
    if protocol.quorum:
        doc.spacer(2)
        doc.paragraph(protocol.quorum, indent=True)
    doc.spacer(4)
    # a label never stays alone at the foot of a page: it moves on with the lines it introduces
    doc.flowable(CondPageBreak(30 * mm))
    doc.paragraph("<b>ПОВЕСТКА ДНЯ:</b>", indent=False, align="left", markup=True)
    for line in protocol.agenda:
        doc.paragraph(line, indent=True)
    last_decision = len(doc.story)
    for q in protocol.questions:
        doc.spacer(5)
        doc.flowable(CondPageBreak(45 * mm))
        doc.paragraph(f"<b>{q.number}. {text(q.title)}</b>", indent=False, markup=True, align="justify")
        if q.heard:
            doc.paragraph("<b>СЛУШАЛИ:</b>", indent=False, align="left", markup=True)
            doc.paragraph(q.heard, indent=True)
        if q.spoke:  # DOCUMENTS.md §3: «ВЫСТУПИЛИ:» in the style of «СЛУШАЛИ:», only where someone spoke
            doc.flowable(CondPageBreak(25 * mm))
            doc.paragraph("<b>ВЫСТУПИЛИ:</b>", indent=False, align="left", markup=True)
            for line in q.spoke:
                doc.paragraph(line, indent=True)
        doc.flowable(CondPageBreak(25 * mm))
        doc.paragraph("<b>РЕШИЛИ:</b>", indent=False, align="left", markup=True)
        if not q.decisions:
            last_decision = len(doc.story)
            doc.paragraph("Принять информацию к сведению.", indent=True)
        for d in q.decisions:
            last_decision = len(doc.story)
            doc.paragraph(f"{d.number} {d.text}", indent=True)
            for extra in (d.responsibles, d.deadline, d.vote):
                if extra:
                    doc.paragraph(extra, indent=True)
    for position, name in protocol.signatures:
        _signature(doc, position, name)
    # the signatures never stand alone on the last page: the last decision goes over with them
    keep_with_signature(doc, last_decision)
    if appendix:
        _attendance_appendix(doc, protocol)
    return doc.build_bytes()


class DraftDocumentBuilder(DocumentBuilder):
    """A document not ready for signing: «ПРОЕКТ» across every page, light enough to read the text through."""

    def _on_page(self, canvas, doc) -> None:  # noqa: ANN001
        super()._on_page(canvas, doc)
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.35))
        canvas.setFont(SERIF_BOLD, 110)
        width, height = self.pagesize
        canvas.translate(width / 2, height / 2)
        canvas.rotate(55 if height > width else 30)
        canvas.drawCentredString(0, -35, "ПРОЕКТ")
        canvas.restoreState()
        canvas.saveState()  # and the usual mark of a draft in the top right corner of the sheet
        canvas.setFont(SERIF_BOLD, 14)
        canvas.drawRightString(width - self.right, height - 12 * mm, "ПРОЕКТ")
        canvas.restoreState()


def _attendance_appendix(doc: DocumentBuilder, protocol: ProtocolText) -> None:
    """DOCUMENTS.md §3: «Приложение к протоколу …» on a new page with the numbered list of those present."""
    doc.page_break()
    number = protocol.title.split("№", 1)[1].strip() if "№" in protocol.title else ""
    mark = "\n".join(x for x in ("Приложение", f"к протоколу {protocol.subtitle}".strip(),
                                  f"от {protocol.date_text}" + (f" №\u00a0{number}" if number else "")) if x)
    block = Table([[None, Paragraph(text(mark), style(TEXT_PT, align=TA_LEFT))]],
                  colWidths=[doc.frame_width - 90 * mm, 90 * mm])
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.flowable(block)
    doc.spacer(8)
    doc.heading("СПИСОК", space_after_mm=0)
    absentee = protocol.members_label.startswith("Приняли участие")
    doc.heading("участников заочного голосования" if absentee else "присутствовавших на заседании",
                bold=False, space_after_mm=6)
    # numbered with a hanging indent; an entry never splits between pages
    entry = style(TEXT_PT, align=TA_LEFT)
    rows = [[Paragraph(f"{index}.", entry), Paragraph(text(line), entry)]
            for index, line in enumerate(protocol.members, start=1)]
    listing = LongTable(rows, colWidths=[12 * mm, doc.frame_width - 12 * mm])
    listing.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.flowable(listing)


__all__ = ["DraftDocumentBuilder", "execution_report_pdf", "protocol_pdf"]
