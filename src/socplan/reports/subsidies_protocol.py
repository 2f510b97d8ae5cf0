"""Printed documents of a subsidy round: the calculation protocol, the distribution annex to a draft act,
and the rating, efficiency and clawback tables (one engine: ``DocumentBuilder``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import CondPageBreak, Paragraph, Table, TableStyle

from socplan.domain.subsidies.calculation import Calculation
from socplan.domain.subsidies.common import APP12
from socplan.formatting import format_date, format_date_verbal, format_number
from socplan.reports.document import DocumentBuilder, DocumentSpec, style, text
from socplan.reports.subsidies_tables import (MONEY, TEXT, ReportTable, cell_text, clawback_table, efficiency_table,
                                              protocol_tables, rating_table)

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
    position: str
    name: str


def _table(doc: DocumentBuilder, t: ReportTable, *, font: float = 9, number: str = "") -> None:
    title = f"{number} {t.title}".strip() + (f" ({t.clause} Порядка)" if t.clause else "")
    doc.flowable(CondPageBreak(45 * mm))  # a table title never stays alone at the foot of a page
    if t.title:
        doc.paragraph(title, bold=True, indent=False, align="left", size=12, space_after_mm=2)
    widths = [c.width_mm for c in t.columns]
    align = ["left" if c.kind == TEXT else "right" for c in t.columns]
    rows = [[cell_text(v, c.kind) for v, c in zip(row, t.columns)] for row in t.rows]
    if not rows:
        doc.paragraph("Нет данных.", indent=False, size=11)
    else:
        doc.table([[c.title for c in t.columns]], rows, widths, number_row=True, font_size=font, align=align,
                  bold_rows=t.bold_rows)
    for note in t.notes:
        doc.footnote(note)
    doc.spacer(5)


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
    for i, t in enumerate(protocol_tables(calc), start=1):
        _table(doc, t, number=f"{i}.", font=8 if t.key in ("trace", "distribution", "cofinancing", "rating") else 9)
    doc.signature(signer.position or "Расчёт выполнил", signer.name)
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
    _table(doc, table, font=10)
    doc.paragraph(f"Сформировано {format_date_verbal((created or dt.datetime.now()).date())}.", size=11, indent=False)
    doc.signature(signer.position or "Исполнитель", signer.name)
    return doc.build_bytes()
