"""Printed documents of a subsidy round: the calculation protocol, the distribution annex to a draft act,
and the rating, efficiency and clawback tables (one engine: ``DocumentBuilder``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

from socplan.domain.subsidies.calculation import Calculation
from socplan.domain.subsidies.common import APP12
from socplan.formatting import format_date, format_date_verbal, format_number
from socplan.reports.document import FOOTNOTE_PT, DocumentBuilder, DocumentSpec, style, text
from socplan.reports.signature_company import keep_with_signature
from socplan.reports.subsidies_tables import (MONEY, TEXT, ReportTable, cell_text, clawback_table, efficiency_table,
                                              has_notation, notation_markup, protocol_tables, rating_table)

#: a signature line to sign by hand where the settings do not name the user
BLANK = "_______________"

PROGRAMME = "государственной программы Омской области «Социальная поддержка населения»"
SOURCE12 = ("Порядок предоставления и распределения субсидий местным бюджетам из областного бюджета в рамках "
            "реализации мероприятия «Предоставление субсидий местным бюджетам из областного бюджета в целях оказания "
            "финансовой поддержки социально ориентированным некоммерческим организациям» (приложение № 12 к "
            f"{PROGRAMME.replace('государственной программы', 'государственной программе')})")
SOURCE13 = ("Порядок предоставления и распределения субсидий бюджетам муниципальных образований Омской области из "
            "областного бюджета в рамках реализации мероприятий «Обустройство пешеходных переходов светофорами со "
            "звуковыми сигналами, оборудование светофоров звуковыми сигналами», «Обеспечение беспрепятственного "
            "доступа инвалидов и маломобильных групп населения к остановочным комплексам и пешеходным переходам на "
            "маршрутах общественного транспорта» (приложение № 13 к "
            f"{PROGRAMME.replace('государственной программы', 'государственной программе')})")


@dataclass(frozen=True)
class Signer:
    position: str  # «Главный специалист отдела …» (capitalised), or ""
    name: str  # «И.О. Фамилия», or ""


#: table text at least 10 pt (issue 14: 8 pt was unreadable on paper)
TABLE_FONT = 10


def _rich(value: str, size: float, align: int) -> Paragraph | str:
    """A cell with the rules' notation (subscript indexes) as a paragraph; plain text stays with the engine."""
    if not has_notation(value):
        return value
    return Paragraph(notation_markup(value), style(size, align=align, leading=size * 1.15))


def _table(doc: DocumentBuilder, t: ReportTable, *, font: float = TABLE_FONT, number: str = "",
           last: bool = False) -> int:
    """Title, table, notes; returns where in the story the table's closing part starts (``last``: after the
    table, else the end). The engine takes the last rows to a signature page that would hold too little."""
    title = f"{number} {t.title}".strip() + (f" ({t.clause} Порядка)" if t.clause else "")
    doc.flowable(CondPageBreak(45 * mm))  # a table title never stays alone at the foot of a page
    if t.title:
        doc.paragraph(notation_markup(title), bold=True, indent=False, align="left", size=12, space_after_mm=2,
                      markup=True)
    widths = [c.width_mm for c in t.columns]
    align = ["left" if c.kind == TEXT else "right" for c in t.columns]
    rows = [[_rich(cell_text(v, c.kind), font, TA_LEFT) if c.kind == TEXT else cell_text(v, c.kind)
             for v, c in zip(row, t.columns)] for row in t.rows]
    head = [[_rich(c.title, font, TA_CENTER) for c in t.columns]]
    if not rows:
        doc.paragraph("Нет данных.", indent=False, size=11)
    else:  # the engine moves the last rows (under the repeated header) to a signature that would stand alone
        doc.table(head, rows, widths, number_row=True, font_size=font, align=align, bold_rows=t.bold_rows)
    start = len(doc.story)
    for note in t.notes:
        doc.paragraph(notation_markup(note), size=FOOTNOTE_PT, indent=False, markup=True)
    doc.spacer(5)
    return start if last else len(doc.story)


def _closing(doc: DocumentBuilder, lines: list[str], position: str, name: str, start: int | None = None) -> None:
    """The closing lines and the signature block on one page, with the story from ``start`` (the last rows of
    the last table): the block never stands alone on the last page."""
    start = len(doc.story) if start is None else start
    for line in lines:
        doc.paragraph(line, size=12, indent=False, align="left")
    doc.signature(position, name)
    keep_with_signature(doc, start)


def _subject(calc: Calculation) -> str:
    return "Приложение № 12" if calc.info.procedure == APP12 else "Приложение № 13"


def protocol_pdf(calc: Calculation, signer: Signer, *, created: dt.datetime | None = None,
                 draft_mark: str = "") -> bytes:
    """The calculation protocol: inputs, every intermediate value with its clause, results; landscape A4."""
    doc = DocumentBuilder(DocumentSpec(title=f"Протокол расчёта субсидий на {calc.info.year} год",
                                       author=signer.name, subject=_subject(calc), landscape=True,
                                       creation_date=created, draft_mark=draft_mark))
    doc.heading("ПРОТОКОЛ РАСЧЁТА")
    kind = ("на оказание финансовой поддержки социально ориентированным некоммерческим организациям"
            if calc.result12 else "на обустройство пешеходных переходов светофорами со звуковыми сигналами и "
                                  "обеспечение доступа инвалидов и маломобильных групп населения к остановочным комплексам")
    doc.heading(f"размеров субсидий местным бюджетам из областного бюджета {kind} на {calc.info.year} год", bold=False)
    doc.paragraph(f"Основание: {SOURCE12 if calc.result12 else SOURCE13}.", size=12)
    if calc.info.title:
        doc.paragraph(f"Отбор: {calc.info.title}.", size=12)
    facts = []
    if calc.info.applications_deadline:
        facts.append(f"срок представления заявок — {format_date(calc.info.applications_deadline)}")
    if calc.info.selection_date:
        facts.append(f"дата проведения отбора — {format_date(calc.info.selection_date)}")
    if facts:
        doc.paragraph("; ".join(facts).capitalize() + ".", size=12)
    if calc.info.commission:
        doc.paragraph("Комиссия: " + "; ".join(calc.info.commission) + ".", size=12)
    doc.paragraph(f"Объём средств: {format_number(calc.budget, 2)} руб. Распределено: "
                  f"{format_number(calc.allocated, 2)} руб. Не распределено: {format_number(calc.unallocated, 2)} руб.",
                  size=12, space_after_mm=4)
    tables = protocol_tables(calc)
    start = 0
    for i, t in enumerate(tables, start=1):
        start = _table(doc, t, number=f"{i}.", last=i == len(tables))
    _closing(doc, [f"Распределено {format_number(calc.allocated, 2)} руб., не распределено "
                   f"{format_number(calc.unallocated, 2)} руб. из {format_number(calc.budget, 2)} руб.",
                   f"Расчёт выполнен {format_date((created or dt.datetime.now()).date())}."],
             "Расчёт выполнил" + (f"\n{signer.position}" if signer.position else ""), signer.name or BLANK, start)
    return doc.build_bytes()


def distribution_annex_pdf(calc: Calculation, *, created: dt.datetime | None = None, draft_mark: str = "") -> bytes:
    """The distribution table as an annex to a draft act («Распределение субсидий … на <год> год»)."""
    doc = DocumentBuilder(DocumentSpec(title=f"Распределение субсидий на {calc.info.year} год", subject=_subject(calc),
                                       creation_date=created, draft_mark=draft_mark))
    if calc.result12:
        act = "к распоряжению Министерства труда и социального развития Омской области"
        what = ("субсидий местным бюджетам из областного бюджета на оказание финансовой поддержки социально "
                "ориентированным некоммерческим организациям")
    else:  # App. 13 §9: the distribution is approved by a resolution of the Government
        act = "к постановлению Правительства Омской области"
        what = ("субсидий бюджетам муниципальных образований Омской области из областного бюджета на обустройство "
                "пешеходных переходов светофорами со звуковыми сигналами, оборудование светофоров звуковыми сигналами, "
                "обеспечение беспрепятственного доступа инвалидов и маломобильных групп населения к остановочным "
                "комплексам и пешеходным переходам на маршрутах общественного транспорта")
    doc.paragraph("ПРОЕКТ", align="right", indent=False, bold=True, size=12)
    mark = Paragraph(text(f"Приложение\n{act}\nот ____________ № ______"), style(12, align=TA_LEFT))
    block = Table([[None, mark]], colWidths=[doc.frame_width - 85 * mm, 85 * mm])
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    doc.flowable(block)
    doc.spacer(8)
    doc.heading("РАСПРЕДЕЛЕНИЕ")
    doc.heading(f"{what} на {calc.info.year}\u00a0год", bold=False)
    rows = [[m, cell_text(v, MONEY)] for m, v in sorted(calc.amounts().items(), key=lambda kv: _order(kv[0]))]
    rows.append(["Итого", cell_text(sum(calc.amounts().values(), Decimal(0)), MONEY)])
    doc.table([["Наименование муниципального образования Омской области", "Размер субсидии, рублей"]],
              rows, [120, 50], number_row=True, align=["left", "right"], bold_rows=[len(rows) - 1])
    return doc.build_bytes()


def _order(name: str) -> tuple[int, str]:
    """Omsk first, then the districts alphabetically (the order of the region's acts)."""
    return (0 if name.casefold().startswith("город") else 1, name.casefold())


def single_table_pdf(calc: Calculation, which: str, signer: Signer, *, created: dt.datetime | None = None,
                     draft_mark: str = "") -> bytes:
    """One table (rating | efficiency | clawback) as its own document."""
    table = {"rating": rating_table, "efficiency": efficiency_table, "clawback": clawback_table}[which](calc)
    doc = DocumentBuilder(DocumentSpec(title=f"{table.title} ({calc.info.year} год)", author=signer.name,
                                       subject=_subject(calc), landscape=True, creation_date=created,
                                       draft_mark=draft_mark))
    doc.heading(table.title.upper() if which != "efficiency" else "ОЦЕНКА ЭФФЕКТИВНОСТИ")
    doc.heading(f"{calc.info.procedure_label}; {calc.info.year} год", bold=False, size=12)
    table.title = ""
    start = _table(doc, table, last=True)
    _closing(doc, [f"Сформировано {format_date_verbal((created or dt.datetime.now()).date()).rstrip('.')}."],
             signer.position or "Исполнитель", signer.name or BLANK, start)
    return doc.build_bytes()
