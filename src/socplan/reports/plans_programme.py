"""Programme events in the layout of seed 003 (appendices 4 and 8 of the state programme): «ПЕРЕЧЕНЬ
МЕРОПРИЯТИЙ» — № п/п, the event, its years, the participant, the source of financing and the financing by year
with the total, the «1 2 3 …» column-number row under the two header rows; per complex of events its caption and
the «ВСЕГО по …» rows."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from socplan.formatting import format_money

if TYPE_CHECKING:
    from socplan.reports.document import DocumentBuilder
    from socplan.reports.plans_data import PlanDocData, PlanDocEvent

#: «Всего, в том числе:» as seed 003 words the total over the sources
TOTAL_WORDS = "Всего, в том числе:"
#: the event's name keeps at least this width (about 25 characters a line); the type shrinks before it does
MIN_NAME_MM = 40
#: sizes tried, largest first: 10 pt (the engine's table minimum) down to the financial-table exception (styles.py)
SIZES = (10, 9.5, 9, 8.5, 8)
#: cell padding, points: 13 columns with the engine's 3 pt would take 14 mm from the name
PADDING = 1.5


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
    keep: list[tuple[int, int]] = []  # an event's (a total's) rows, one per source: on one page
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
        keep.append((first, len(rows) - 1))

    for e in data.events:
        if e.is_group and not e.financing:
            close_complex()
            complex_name, complex_total, complex_sources = e.text, {}, []
            groups.append(len(rows))
            rows.append([f"{e.number}. {e.text}"])
            continue
        sources = _sources(e) or [""]
        grid = {(s, y): a for s, y, a in e.financing}
        first = len(rows)
        for k, money in enumerate(_money_rows(grid, sources, years)):
            lead = [e.number, e.text, e.deadline, e.executors] if k == 0 else ["", "", "", ""]
            rows.append(lead + money)
        keep.append((first, len(rows) - 1))
        for (s, y), amount in grid.items():
            complex_total[(s, y)] = complex_total.get((s, y), Decimal(0)) + amount
            if s not in complex_sources:
                complex_sources.append(s)
        complex_sources.sort(key=lambda s: (s != "", s))
    close_complex()
    size, widths = _layout(doc, header, rows, groups, bold, n)
    head = 3  # two header rows and the column numbers
    spans += [((0, head + r), (1, head + r)) for r in totals]
    doc.table(header, rows, widths, number_row=True, font_size=size, min_font_size=size, group_rows=groups,
              bold_rows=bold, align=["center", "left", "center", "left", "left"] + ["right"] * (n + 1), spans=spans,
              fill_column=1, cell_padding=PADDING, keep_rows=keep)


def _layout(doc: DocumentBuilder, header: list[list[str]], rows: list[list[str]], groups: list[int],
            bold: list[int], n_years: int) -> tuple[float, list[float]]:
    """(font size, column widths in mm): every column as wide as its content — a sum on one line, the years, the
    participant and the source by their longest word («Всего, в том числе:» on as few lines as fit) — and the
    event's name gets the rest. The largest size from 10 pt at which the name keeps ``MIN_NAME_MM``."""
    body = [r for i, r in enumerate(rows) if i not in groups]
    plain = [r for i, r in enumerate(rows) if i not in groups and i not in bold]
    strong = [r for i, r in enumerate(rows) if i in bold]
    best: tuple[float, list[float]] | None = None
    for size in SIZES:
        def fit(col: int, extra: tuple[str, ...] = ()) -> float:
            # a sum's column holds its header's words too; a text column's header may hyphenate («Срок реали-зации»)
            words = [r[col] for r in plain if col < len(r)] + list(extra) + [h[col] for h in header if col >= 5 or col == 0]
            width = doc.content_width_mm(words, size, cell_padding=PADDING)
            bold_cells = [r[col] for r in strong if col < len(r) and col > 1]  # «ВСЕГО по …» spans the first two
            return max(width, doc.content_width_mm(bold_cells, size, bold=True, cell_padding=PADDING)) \
                if bold_cells else width

        widths = [fit(0), 0.0, fit(2), fit(3), fit(4, (TOTAL_WORDS.rsplit(" ", 1)[0].replace(" ", "\u00a0"),))]
        widths += [fit(5 + k) for k in range(n_years + 1)]
        rest = doc.frame_width / mm - sum(widths)
        widths[1] = rest
        best = (size, widths)
        if rest >= MIN_NAME_MM and body:
            break
    assert best is not None
    return best


def _dative(name: str) -> str:
    """«Комплекс процессных мероприятий "…"» → «комплексу процессных мероприятий "…"» (seed 003's «ВСЕГО по …»)."""
    for nominative, dative in (("Комплекс ", "комплексу "), ("Региональный проект ", "региональному проекту "),
                               ("Ведомственный проект ", "ведомственному проекту ")):
        if name.startswith(nominative):
            return dative + name[len(nominative):]
    return name


__all__ = ["programme_table"]
