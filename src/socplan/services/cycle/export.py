"""The board on paper and in Excel: the same cells, colours and figures as on screen."""

from __future__ import annotations

from pathlib import Path

from socplan.domain.cycle import CellState
from socplan.formatting import format_date, format_percent
from socplan.io.cycle_excel import BoardSheet, write_board_xlsx
from socplan.services.cycle.board import Board, BoardCell

#: one colour per state, the same on screen, in xlsx and in PDF
STATE_COLOURS = {
    CellState.NOT_STARTED: "#e6e6e6",
    CellState.DRAFT: "#fff1b8",
    CellState.SUBMITTED: "#cfe2ff",
    CellState.RETURNED: "#ffd8a8",
    CellState.ACCEPTED: "#c7e9c0",
    CellState.OVERDUE: "#f5b7b1",
}


#: abbreviations for a wide board on paper (more than eight forms): the colour says the state as well
SHORT_LABELS = {CellState.NOT_STARTED: "—", CellState.DRAFT: "черн.", CellState.SUBMITTED: "пред.",
                CellState.RETURNED: "возвр.", CellState.ACCEPTED: "прин.", CellState.OVERDUE: "проср."}


def cell_text(cell: BoardCell, short: bool = False) -> str:
    """«просрочен, 5 дн.», «принят», «представлен, опозд. 3 дн.»; short: «проср. +5», «пред. +3»."""
    if short:
        return " ".join(filter(None, (SHORT_LABELS[cell.state], f"+{cell.days_late}" if cell.days_late else "",
                                      f"!{cell.flags}" if cell.flags else "")))
    text = cell.state.label
    if cell.days_late:
        text += f", {cell.days_late} дн." if cell.state is CellState.OVERDUE else f", опозд. {cell.days_late} дн."
    if cell.flags:
        text += f", !{cell.flags}"
    return text


def summary_lines(b: Board) -> list[str]:
    counts = b.counts()
    states = "; ".join(f"{s.label} — {counts.get(s, 0)}" for s in CellState)
    return [f"Ожидается отчётов: {b.expected}. {states}.",
            f"Сдано: {b.reported} ({format_percent(b.percent_complete, empty='—')}); "
            f"в срок: {b.in_time} ({format_percent(b.percent_on_time, empty='—')}). "
            f"Состояние на {format_date(b.today)}."]


def _grid(b: Board, short: bool = False) -> tuple[list[str], list[list[str]], list[list[str]]]:
    header = ["Территория", *[code for code, _n in b.forms], "Сдано, %"]
    rows, fills = [], []
    for t in b.territories:
        cells = [b.cell(t, code) for code, _n in b.forms]
        rows.append([t, *[cell_text(c, short) for c in cells], format_percent(b.territory_percent(t), empty="—")])
        fills.append(["", *[STATE_COLOURS[c.state] for c in cells], ""])
    rows.append(["Сдано по форме, %", *[format_percent(b.form_percent(code), empty="—") for code, _n in b.forms],
                 format_percent(b.percent_complete, empty="—")])
    fills.append([""] * len(header))
    return header, rows, fills


def board_title(b: Board) -> str:
    return f"Сведения о сдаче отчётности территориями за {b.period.label}"


def export_board_xlsx(b: Board, path: Path) -> Path:
    header, rows, fills = _grid(b)
    detail = [[c.territory, c.form, dict(b.forms)[c.form], c.state.label, format_date(c.due), format_date(c.submitted),
               c.days_late, "да" if c.on_time else "нет", c.flags]
              for t in b.territories for c in (b.cell(t, code) for code, _n in b.forms)]
    sheet = BoardSheet(board_title(b), summary_lines(b), header, rows, fills,
                       ["Территория", "Форма", "Наименование формы", "Состояние", "Срок", "Представлена",
                        "Дней просрочки", "В срок", "Предупреждений"], detail)
    return write_board_xlsx(path, sheet)


def export_board_pdf(b: Board, path: Path, author: str = "") -> Path:
    from socplan.reports.cycle_documents import board_pdf

    short = len(b.forms) > 8
    header, rows, fills = _grid(b, short)
    states = (", ".join(f"«{SHORT_LABELS[s]}» — {s.label}" for s in CellState) + "; «+N» — дней просрочки"
              if short else ", ".join(s.label for s in CellState))
    legend = ("Формы: " + "; ".join(f"{code} — {name}" for code, name in b.forms)
              + ". Цвет ячейки — состояние: " + states
              + "; «!N» — число значений, сильно отличающихся от прошлых периодов или других территорий.")
    data = board_pdf(board_title(b), f"состояние на {format_date(b.today)}", summary_lines(b), header, rows, fills,
                     legend, author)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


__all__ = ["STATE_COLOURS", "cell_text", "summary_lines", "export_board_xlsx", "export_board_pdf", "board_title"]
