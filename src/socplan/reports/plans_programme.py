"""Programme events in the layout of seed 003 (appendices 4 and 8 of the state programme): «ПЕРЕЧЕНЬ
МЕРОПРИЯТИЙ» — № п/п, the event, its years, the participant, the source of financing and the financing by year
with the total, the «1 2 3 …» column-number row under the two header rows; per complex of events its caption and
the «ВСЕГО по …» rows."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from socplan.formatting import format_money

if TYPE_CHECKING:
    from socplan.reports.document import DocumentBuilder
    from socplan.reports.plans_documents import PlanDocData, PlanDocEvent

#: «Всего, в том числе:» as seed 003 words the total over the sources
TOTAL_WORDS = "Всего, в том числе:"
FONT = 7.5  # the seed prints this 13-column table on landscape A4: money needs the room (DOCUMENTS.md §4)


def _sources(e: PlanDocEvent) -> list[str]:
    seen: list[str] = []
    for source, _year, _amount in e.financing:
        if source not in seen:
            seen.append(source)
    return sorted(seen, key=lambda s: (s != "", s))


def _money_rows(grid: dict[tuple[str, int | None], Decimal], sources: list[str], years: tuple[int, ...]
                ) -> list[list[str]]:
    """One row per source: its name («Всего, в том числе:» for the total), the amounts by year, the total."""
    return [[TOTAL_WORDS if s == "" else s] + [format_money(grid.get((s, y))) for y in years]
            + [format_money(grid.get((s, None)))] for s in sources]


def programme_table(doc: DocumentBuilder, data: PlanDocData) -> None:
    years = data.years
    n = len(years)
    header = [["№ п/п", "Наименование мероприятия", "Срок реализации (год)", "Участник", "Источник",
               "Финансовое обеспечение, рублей"] + [""] * n,
              ["", "", "", "", ""] + [f"{y} год" for y in years] + ["Итого по годам реализации"]]
    spans = [((c, 0), (c, 1)) for c in range(5)] + [((5, 0), (5 + n, 0))]
    rows: list[list[str]] = []
    groups: list[int] = []
    bold: list[int] = []
    totals: list[int] = []  # «ВСЕГО по …» rows: the words across the first two columns
    complex_total: dict[tuple[str, int | None], Decimal] = {}
    complex_sources: list[str] = []
    complex_name = ""

    def close_complex() -> None:
        if not complex_name or not complex_total:
            return
        first = len(rows)
        for k, money in enumerate(_money_rows(complex_total, complex_sources, years)):
            rows.append(([f"ВСЕГО по {_dative(complex_name)}", "", "", "Х"] if k == 0 else ["", "", "", ""]) + money)
            bold.append(len(rows) - 1)
        totals.append(first)

    for e in data.events:
        if e.is_group and not e.financing:
            close_complex()
            complex_name, complex_total, complex_sources = e.text, {}, []
            groups.append(len(rows))
            rows.append([f"{e.number}. {e.text}"])
            continue
        sources = _sources(e) or [""]
        grid = {(s, y): a for s, y, a in e.financing}
        for k, money in enumerate(_money_rows(grid, sources, years)):
            lead = [e.number, e.text, e.deadline, e.executors] if k == 0 else ["", "", "", ""]
            rows.append(lead + money)
        for (s, y), amount in grid.items():
            complex_total[(s, y)] = complex_total.get((s, y), Decimal(0)) + amount
            if s not in complex_sources:
                complex_sources.append(s)
        complex_sources.sort(key=lambda s: (s != "", s))
    close_complex()
    widths = [8, 42, 15, 16, 21] + [19.5] * n + [23]
    head = 3  # two header rows and the column numbers
    spans += [((0, head + r), (1, head + r)) for r in totals]
    doc.table(header, rows, widths, number_row=True, font_size=FONT, group_rows=groups, bold_rows=bold,
              align=["center", "left", "center", "left", "left"] + ["right"] * (n + 1), spans=spans)


def _dative(name: str) -> str:
    """«Комплекс процессных мероприятий "…"» → «комплексу процессных мероприятий "…"» (seed 003's «ВСЕГО по …»)."""
    for nominative, dative in (("Комплекс ", "комплексу "), ("Региональный проект ", "региональному проекту "),
                               ("Ведомственный проект ", "ведомственному проекту ")):
        if name.startswith(nominative):
            return dative + name[len(nominative):]
    return name


__all__ = ["programme_table"]
