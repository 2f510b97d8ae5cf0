"""Documents of a subsidy round: generated from a calculation, recorded in the report journal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from pathlib import Path

from socplan.domain.errors import ValidationError
from socplan.domain.subsidies.calculation import Calculation
from socplan.services.context import AppContext
from socplan.services.permissions import require_document
from socplan.services.reports.registry import ReportRecordRow, record_report
from socplan.services.subsidies.rounds import calculate_round

if TYPE_CHECKING:
    from socplan.reports.subsidies_protocol import Signer

# The PDF/xlsx layer (reportlab, openpyxl) is imported on first use to keep start-up fast.


def _pdf():  # noqa: ANN202
    from socplan.reports import subsidies_protocol

    return subsidies_protocol


def protocol_xlsx(calc: Calculation) -> bytes:
    from socplan.reports.subsidies_xlsx import protocol_xlsx as build

    return build(calc)

KINDS = {
    "protocol": "Протокол расчёта субсидий",
    "distribution": "Распределение субсидий (приложение к проекту акта)",
    "rating": "Рейтинговая оценка заявок",
    "efficiency": "Оценка эффективности использования субсидий",
    "clawback": "Объём средств, подлежащий возврату",
}


@dataclass(frozen=True)
class GeneratedReport:
    data: bytes
    title: str
    file_name: str
    record: ReportRecordRow | None


def _signer(ctx: AppContext) -> Signer:
    """Who calculated: the user's position and «И.О. Фамилия» (issue 14: by name and position)."""
    from socplan.services.reports.signer import prepared_by

    position, name = prepared_by(ctx.user, default_position="")
    return _pdf().Signer(position, name if ctx.user.name.strip() else "")


#: the mark on every page of a document printed from an unsaved («что если») calculation; such a document
#: is a draft and the signing services refuse it
DRAFT_MARK = "ПРОЕКТ — расчёт не сохранён"


def build_pdf(calc: Calculation, kind: str, signer: Signer, *, draft_mark: str = "") -> bytes:
    if kind == "protocol":
        return _pdf().protocol_pdf(calc, signer, draft_mark=draft_mark)
    if kind == "distribution":
        return _pdf().distribution_annex_pdf(calc, draft_mark=draft_mark)
    if kind == "rating" and calc.result12 is None:
        raise ValidationError("kind", "Рейтинговая оценка есть только в отборе по Приложению № 12.")
    if kind in ("efficiency", "clawback") and not calc.clawbacks:
        raise ValidationError("kind", "По отбору нет сведений о достижении результатов: таблицы эффективности и "
                                      "возврата строятся после ввода фактических значений.")
    if kind in ("rating", "efficiency", "clawback"):
        return _pdf().single_table_pdf(calc, kind, signer, draft_mark=draft_mark)
    raise ValidationError("kind", f"Неизвестный вид документа «{kind}».")


def generate(ctx: AppContext, calc: Calculation, kind: str, *, round_id: int | None = None,
             what_if: bool = False) -> GeneratedReport:
    """Build a PDF and record it in the journal (kind «subsidies», parameters say which round and table)."""
    require_document(ctx, "subsidies")
    data = build_pdf(calc, kind, _signer(ctx), draft_mark=DRAFT_MARK if what_if else "")
    title = f"{KINDS[kind]} на {calc.info.year} год ({'Прил. 12' if calc.result12 else 'Прил. 13'})"
    if what_if:
        title = f"{DRAFT_MARK}: {title}"
    file_name = f"{KINDS[kind]} {calc.info.year}.pdf"
    with ctx.uow(reason=f"Печать: {KINDS[kind]}") as s:
        row = record_report(s, kind="subsidies", title=title, data=data, file_name=file_name,
                            params={"round_id": round_id, "document": kind, "procedure": calc.info.procedure,
                                    "year": calc.info.year, "what_if": what_if})
        s.commit()
    return GeneratedReport(data, title, file_name, row)


def generate_report(ctx: AppContext, round_id: int, kind: str, output: Path) -> Path:
    """A stored round's document written to ``output`` (PDF, or the protocol as xlsx by the extension)."""
    calc = calculate_round(ctx, round_id)
    output = Path(output)
    if output.suffix.lower() == ".xlsx":
        if kind != "protocol":
            raise ValidationError("kind", "В xlsx сохраняется протокол расчёта (все таблицы на отдельных листах).")
        output.write_bytes(protocol_xlsx(calc))
        return output
    output.write_bytes(generate(ctx, calc, kind, round_id=round_id).data)
    return output


def write_protocol_files(calc: Calculation, *, pdf: Path | None = None, xlsx: Path | None = None,
                         signer: Signer | None = None) -> None:
    """The protocol of a calculation from a file (headless ``calc``), without the database."""
    if pdf is not None:
        Path(pdf).write_bytes(_pdf().protocol_pdf(calc, signer or _pdf().Signer("", "")))
    if xlsx is not None:
        Path(xlsx).write_bytes(protocol_xlsx(calc))


def protocol_html(calc: Calculation) -> str:
    """The protocol's tables as HTML for the screen (the same tables as the PDF and xlsx)."""
    from html import escape

    from socplan.formatting import format_number
    from socplan.reports.subsidies_tables import TEXT, cell_text, notation_markup, protocol_tables

    parts = [f"<h3>Протокол расчёта: {escape(calc.info.procedure_label)}, {calc.info.year} год</h3>",
             f"<p>Объём средств: <b>{format_number(calc.budget, 2)}</b> руб.; распределено "
             f"<b>{format_number(calc.allocated, 2)}</b>; не распределено <b>{format_number(calc.unallocated, 2)}</b>.</p>"]
    for i, t in enumerate(protocol_tables(calc), start=1):
        parts.append(f"<h4>{i}. {notation_markup(t.title)}{f' ({escape(t.clause)} Порядка)' if t.clause else ''}</h4>")
        head = "".join(f"<th>{notation_markup(c.title)}</th>" for c in t.columns)
        body = []
        for j, row in enumerate(t.rows):
            cells = "".join(
                f"<td align='{'left' if c.kind == TEXT else 'right'}'{'' if c.kind == TEXT else ' nowrap'}>{'<b>' if j in t.bold_rows else ''}"
                f"{notation_markup(cell_text(v, c.kind)) if c.kind == TEXT else escape(cell_text(v, c.kind))}{'</b>' if j in t.bold_rows else ''}</td>"
                for v, c in zip(row, t.columns))
            body.append(f"<tr>{cells}</tr>")
        parts.append("<table border='1' cellspacing='0' cellpadding='3'>"
                     f"<tr style='background:#eee'>{head}</tr>{''.join(body)}</table>")
        parts += [f"<p style='font-size:small'>{notation_markup(n)}</p>" for n in t.notes]
    return "".join(parts)
