"""Office files of the protocols capability: the execution report as .xlsx, the protocol as .docx
(for secretaries who edit the text before signing)."""

from __future__ import annotations

import io

from socplan.domain import protocols as rules
from socplan.domain.protocols import ExecutionReportText, ProtocolText

XLSX_WIDTHS = (7, 16, 60, 40, 70)


def execution_report_xlsx(report: ExecutionReportText, signer: tuple[str, str] | None = None) -> bytes:
    """The same table as the PDF: title rows, header, group captions merged across the five columns, the
    signature of who prepared it (position, «И.О. Фамилия»)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Исполнение решений"
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, width in enumerate(XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    row = 1
    for line, bold in ((report.title, True), (report.subtitle, False)):
        ws.cell(row=row, column=1, value=line).font = Font(bold=bold, size=12)
        ws.cell(row=row, column=1).alignment = centre
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 15 if bold else 45
        row += 1
    if report.filter_note:
        ws.cell(row=row, column=1, value=f"({report.filter_note})").alignment = centre
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        row += 1
    row += 1
    for col, title in enumerate(report.header, start=1):
        cell = ws.cell(row=row, column=col, value=title.replace("\n", " "))
        cell.font, cell.alignment, cell.border = Font(bold=True), centre, border
    header_row = row
    row += 1
    for group in report.groups:
        cell = ws.cell(row=row, column=1, value=group.caption)
        cell.font, cell.alignment = Font(bold=True), centre
        for col in range(1, 6):
            ws.cell(row=row, column=col).border = border
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        row += 1
        for r in group.rows:
            for col, value in enumerate((r.number, r.point.replace("\u00a0", " "), r.content, r.responsibles,
                                         r.execution), start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment, cell.border = wrap, border
            row += 1
    if signer:
        position, name = signer
        ws.cell(row=row + 1, column=1, value=position)
        ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=3)
        cell = ws.cell(row=row + 1, column=5, value=name.replace("\u00a0", " "))
        cell.alignment = Alignment(horizontal="right")
    from socplan.xlsx_page import print_setup

    print_setup(ws, header_first=header_row, landscape=True)
    from socplan.xlsx_safe import save_workbook

    buffer = io.BytesIO()
    save_workbook(wb, buffer)  # text from protocols goes out as text, never as a live formula
    return buffer.getvalue()


def protocol_docx(protocol: ProtocolText) -> bytes:
    """DOCUMENTS.md §3 in Word: A4 with GOST margins, Times New Roman 14, page numbers from page 2, justified,
    indent 1.25 cm, signatures with a tab stop; a draft has «ПРОЕКТ» in the header of every page."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Cm, Pt

    from socplan.io.docx_page import set_title, set_up_document

    document = Document()
    set_up_document(document, draft=protocol.draft)
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin

    def para(value: str = "", *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False,  # noqa: ANN001
             size: int | None = None, label: str = ""):  # noqa: ANN202
        p = document.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1.25)
        if label:
            run = p.add_run(label + " ")
            run.bold = True
        run = p.add_run(value)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        return p

    centre, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    para(protocol.body_name.upper(), bold=True, align=centre)
    para()
    para(protocol.title, bold=True, align=centre)
    para(protocol.subtitle, align=centre)
    para()
    p = para(protocol.date_text, align=left)
    p.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    p.add_run("\t" + protocol.place)
    if protocol.time_form:
        para(protocol.time_form, align=left)
    para()
    presiding_word = protocol.signatures[0][0] if protocol.signatures else "Председательствующий"
    if protocol.presiding:
        para(f"– {protocol.presiding}", label=presiding_word, align=left)
    if protocol.secretary:
        para(f"– {protocol.secretary}", label="Секретарь", align=left)
    appendix = rules.attendance_listed_separately(len(protocol.members))
    if appendix:  # DOCUMENTS.md §3: «Присутствовали: 16 человек (список прилагается)»
        count = len(protocol.members)
        para(f"{count} {rules.people_word(count)} (список прилагается)", label=protocol.members_label, align=left)
    elif protocol.members:
        para(protocol.members_label, bold=True, align=left)
        for line in protocol.members:
            para(line, align=left)
    if protocol.invited:
        para("Приглашенные:", bold=True, align=left)
        for line in protocol.invited:
            para(line, align=left)
    if protocol.quorum:
        para(protocol.quorum, indent=True)
    para()
    para("ПОВЕСТКА ДНЯ:", bold=True, align=left)
    for line in protocol.agenda:
        para(line, indent=True)
    for q in protocol.questions:
        para()
        para(f"{q.number}. {q.title}", bold=True)
        if q.heard:
            para("СЛУШАЛИ:", bold=True, align=left)
            para(q.heard, indent=True)
        if q.spoke:  # «ВЫСТУПИЛИ:» only where someone spoke
            para("ВЫСТУПИЛИ:", bold=True, align=left)
            for line in q.spoke:
                para(line, indent=True)
        para("РЕШИЛИ:", bold=True, align=left)
        if not q.decisions:
            para("Принять информацию к сведению.", indent=True)
        for d in q.decisions:
            para(f"{d.number} {d.text}", indent=True)
            for extra in (d.responsibles, d.deadline, d.vote):
                if extra:
                    para(extra, indent=True)
    # the signatures never alone on the last page: the last lines before them keep with them
    for before in document.paragraphs[-2:]:
        before.paragraph_format.keep_with_next = True
    for position, name in protocol.signatures:
        para().paragraph_format.keep_with_next = True
        p = para(position, align=left)
        p.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        p.add_run("\t" + name)
        p.paragraph_format.keep_with_next = True  # the chair's line stays with the secretary's
    p.paragraph_format.keep_with_next = False
    if appendix:  # the list of those present as an appendix on its own page
        from docx.enum.text import WD_BREAK

        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        number = protocol.title.split("№", 1)[1].strip() if "№" in protocol.title else ""
        for line in ("Приложение", f"к протоколу {protocol.subtitle}".strip(),
                     f"от {protocol.date_text}" + (f" № {number}" if number else "")):
            para(line, align=left).paragraph_format.left_indent = Cm(9)
        para()
        para("СПИСОК", bold=True, align=centre)
        absentee = protocol.members_label.startswith("Приняли участие")
        para("участников заочного голосования" if absentee else "присутствовавших на заседании", align=centre)
        para()
        for index, line in enumerate(protocol.members, start=1):
            para(f"{index}. {line}", align=left)
    set_title(document, ("Проект: " if protocol.draft else "") + f"{protocol.title} {protocol.subtitle}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
