"""PDF of the protocols capability: the printed protocol (DOCUMENTS.md §3) and «Информация об исполнении
решений …» in the layout of seed 000."""

from __future__ import annotations

import datetime as dt

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, Table, TableStyle

from socplan.domain import protocols as rules
from socplan.domain.protocols import ExecutionReportText, ProtocolText
from socplan.reports.document import TEXT_PT, DocumentBuilder, DocumentSpec, style, text
from socplan.reports.fonts import SERIF_BOLD

#: column widths of seed 000's table on landscape A4 (mm)
EXECUTION_WIDTHS = (12, 30, 88, 52, 85)


def execution_report_pdf(report: ExecutionReportText, *, author: str = "", signer: tuple[str, str] | None = None,
                         creation_date: dt.datetime | None = None) -> bytes:
    """Seed 000: heading «ИНФОРМАЦИЯ», «об исполнении решений …», the table grouped by protocols; then the
    signature block of who prepared it (``signer``: position, «И.О. Фамилия»)."""
    doc = DocumentBuilder(DocumentSpec(title=f"{report.title} {report.subtitle}", author=author,
                                       subject="Контроль исполнения решений коллегиального органа",
                                       landscape=True, creation_date=creation_date))
    doc.heading(report.title, space_after_mm=0)
    doc.heading(report.subtitle, bold=False, space_after_mm=2 if report.filter_note else 6)
    if report.filter_note:
        doc.paragraph(f"({report.filter_note})", size=11, indent=False, align="center", space_after_mm=4)
    if not any(g.rows for g in report.groups):
        doc.paragraph("Поручений, отвечающих условиям отбора, нет.", indent=False, align="center")
        if signer:
            _signature(doc, *signer)
    else:  # the signature is the table's last row: kept on one page with the last lines of the last row
        doc.flowable(_execution_table(report, doc.frame_width, _signature_block(doc, *signer) if signer else []))
    return doc.build_bytes()


def _signature_block(doc: DocumentBuilder, position: str, name: str) -> list:
    """The engine's signature block (``_signature``) as flowables to place elsewhere than the end of the story."""
    start = len(doc.story)
    _signature(doc, position, name)
    items = doc.story[start:]
    del doc.story[start:]
    flat: list = []
    for item in items:  # a table cell draws plain flowables: unwrap «keep together», drop page-break conditions
        if isinstance(item, CondPageBreak):
            continue
        flat.extend(item._content if isinstance(item, KeepTogether) else [item])
    return flat


def _signature(doc: DocumentBuilder, position: str, name: str) -> None:
    """The one call for a signature block (the engine's: position — stamp space — «И.О. Фамилия»)."""
    doc.signature(position, name)


def _execution_table(report: ExecutionReportText, frame_width: float, closing: list | None = None) -> LongTable:
    """The engine's table look; a tall row continues on the next page line by line.

    Every row is pre-wrapped into the lines its cells will show and laid out as thin sub-rows of one boxed
    row (a line of each column per sub-row), so the page breaks between any two lines of a row and pages
    fill up. (ReportLab's own ``splitInRow`` draws the repeated header twice next to spanned caption rows.)
    At least two lines of a row stay together at a page foot or head; a group caption «Протокол заседания …»
    is kept with the first lines of its first row; the header row repeats on every page.
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

    def boxed(first: int, last: int) -> None:
        for column in range(5):
            commands.append(("BOX", (column, first), (column, last), 0.5, colors.black))

    boxed(0, 0)
    for group in report.groups:
        data.append([Paragraph(text(group.caption), caption), "", "", "", ""])
        caption_row = len(data) - 1
        commands.append(("SPAN", (0, caption_row), (-1, caption_row)))
        commands.append(("BOX", (0, caption_row), (-1, caption_row), 0.5, colors.black))
        for index, r in enumerate(group.rows):
            cells = [str(r.number), r.point, r.content, r.responsibles, r.execution]
            lines = [_wrap(value, width - 2 * _PAD, left) for value, width in zip(cells, widths)]
            height = max(len(x) for x in lines)
            first = len(data)
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
    if closing:  # below the table, no rules; never alone: the last two lines of the last row go with it
        data.append([closing, "", "", "", ""])
        r = len(data) - 1
        commands += [("SPAN", (0, r), (-1, r)), ("LEFTPADDING", (0, r), (-1, r), 0),
                     ("RIGHTPADDING", (0, r), (-1, r), 0), ("NOSPLIT", (0, max(1, r - 2)), (-1, r))]
    table = LongTable(data, colWidths=widths, repeatRows=1, splitByRow=True)
    table.setStyle(TableStyle(commands))
    return table


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
        doc.paragraph(protocol.time_form, indent=False, align="left", size=12)
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
                    doc.paragraph(extra, indent=True, size=12)
    for position, name in protocol.signatures:
        _signature(doc, position, name)
    # the signatures never stand alone on the last page: the last decision goes over with them
    tail = doc.story[last_decision:]
    del doc.story[last_decision:]
    doc.flowable(KeepTogether(tail))
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
