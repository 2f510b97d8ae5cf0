"""Paste into the entry grid: a block copied from Excel is matched to the form's rows, shown in a preview and
applied as one undo step.

A block laid out like the application's own template (№ | Показатель | Ед. изм. | План | Факт | Причина)
is matched row by row through the indicator's number in its first column — never by position, because the
grid has rows without input cells (a computed component such as «5 · D») that a positional paste would skip
and so shift every value below. A header row («План», «Факт», «Причина отклонения») names the columns; the
title lines «Территория: …» and «Период: …» of the template must name the open form's territory and period.
A block without numbers (values only) goes from the current cell down, one grid row per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem,
                               QTextBrowser, QVBoxLayout, QWidget)

from socplan.domain.errors import ValidationError
from socplan.formatting import format_number
from socplan.ui.indicators.grid_model import COL_COMMENT, COL_FACT, COL_PLAN, COLUMNS, INPUT_COLUMNS, EntryGridModel

HEADER_KINDS = {"план": COL_PLAN, "факт": COL_FACT, "причина отклонения": COL_COMMENT, "причина": COL_COMMENT}
#: columns of the template relative to its «№» column
TEMPLATE_OFFSETS = {COL_PLAN: 3, COL_FACT: 4, COL_COMMENT: 5}
SHORT_OFFSETS = {COL_PLAN: 1, COL_FACT: 2, COL_COMMENT: 3}


@dataclass(frozen=True)
class PasteMove:
    row: int
    column: int
    old: Any
    new: Any


@dataclass
class PastePlan:
    moves: list[PasteMove] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    #: set when the whole block is refused (another territory or period)
    blocked: str = ""
    by_code: bool = False


def code_key(text: str) -> str:
    """«5 · D1», «5\u00a0·\u00a0D1» and «5·D1» are the same row number."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ")).casefold()


def _cells(text: str) -> list[list[str]]:
    """Excel's clipboard text: tab-separated, a cell with a line break or a tab is quoted («"a""b"»)."""
    import csv
    import io

    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    return [row if row else [""] for row in csv.reader(io.StringIO(text), dialect="excel-tab")]


def _header_columns(cells: list[str]) -> dict[int, int] | None:
    found = {i: HEADER_KINDS[c.strip().casefold()] for i, c in enumerate(cells) if c.strip().casefold() in HEADER_KINDS}
    return found or None


def _title_problem(model: EntryGridModel, line: list[str]) -> str:
    first = line[0].strip()
    sheet = model.sheet
    for prefix, expected, what in (("Территория:", sheet.territory_name, "территории"),
                                   ("Период:", sheet.period.label, "периода")):
        if first.startswith(prefix):
            named = first[len(prefix):].split(".")[0].strip()
            if named and named.casefold() != expected.casefold():
                return (f"Блок скопирован из формы другого {what}: «{named}», а открыта форма «{expected}». "
                        "Ничего не вставлено: откройте нужную форму или скопируйте значения из своей.")
    return ""


def plan_paste(model: EntryGridModel, top: int, left: int, text: str) -> PastePlan:
    """Where each pasted value goes (nothing is changed here)."""
    lines = _cells(text)
    plan = PastePlan()
    codes = {code_key(r.code_label): i for i, r in enumerate(model.rows)}
    header_at, header = -1, None
    for n, line in enumerate(lines):
        problem = _title_problem(model, line)
        if problem:
            plan.blocked = problem
            return plan
        if header is None and (found := _header_columns(line)):
            header_at, header = n, found
    body = [(n, line) for n, line in enumerate(lines) if n > header_at and any(c.strip() for c in line)]
    code_col = None
    if header is not None:
        code_col = next((i for i, c in enumerate(lines[header_at]) if c.strip() == "№"), None)
    if code_col is None:
        matched = sum(1 for _n, line in body if code_key(line[0]) in codes)
        code_col = 0 if body and matched * 2 >= len(body) else None
    plan.by_code = code_col is not None

    def place(row: int, col: int, cell_text: str, where: str) -> None:
        if not model.editable(row, col):
            if cell_text.strip() and not _same_as_shown(model, row, col, cell_text):
                plan.refused.append(f"{where}, «{COLUMNS[col]}»: ячейка не заполняется (рассчитывается или "
                                    "закрыта) — значение не вставлено.")
            return
        try:
            new = model.parse(row, col, cell_text)
        except ValidationError as exc:
            plan.refused.append(f"{where}, «{COLUMNS[col]}»: {exc.message}")
            return
        old = model.current(row, col)
        if old != new and not (col == COL_COMMENT and (old or "") == (new or "")):
            plan.moves.append(PasteMove(row, col, old, new))

    if plan.by_code:
        for n, line in body:
            number = line[code_col].strip() if code_col < len(line) else ""
            row = codes.get(code_key(number))
            if row is None:
                plan.refused.append(f"Строка {n + 1} блока: показателя с номером «{number}» нет в форме — "
                                    "строка не вставлена.")
                continue
            if header is not None:
                columns = {col: i for i, col in header.items()}
            else:
                short = len(line) - code_col < 5 and _numeric(line[code_col + 1] if code_col + 1 < len(line) else "")
                offsets = SHORT_OFFSETS if short else TEMPLATE_OFFSETS
                columns = {offsets[col] + code_col: col for col in INPUT_COLUMNS}
            for i, col in columns.items():
                if i < len(line):
                    place(row, col, line[i], f"Стр. {model.rows[row].code_label}")
        return plan

    start = next((i for i, c in enumerate(INPUT_COLUMNS) if c >= left), len(INPUT_COLUMNS))
    for k, (n, line) in enumerate((n, line) for n, line in enumerate(lines) if n > header_at):
        row = top + k
        if row >= len(model.rows):
            plan.refused.append(f"Строки {n + 1}–{len(lines)} блока: блок длиннее таблицы — не вставлены.")
            break
        for offset, cell_text in enumerate(line):
            col = header.get(offset) if header is not None else (
                INPUT_COLUMNS[start + offset] if start + offset < len(INPUT_COLUMNS) else None)
            if col is None:
                if cell_text.strip():
                    plan.refused.append(f"Строка {n + 1} блока, столбец {offset + 1}: правее граф ввода — "
                                        "не вставлено.")
                continue
            place(row, col, cell_text, f"Стр. {model.rows[row].code_label}")
    return plan


def _numeric(text: str) -> bool:
    from socplan.formatting import parse_number

    try:
        return parse_number(text.strip()) is not None
    except ValidationError:
        return False


def _same_as_shown(model: EntryGridModel, row: int, col: int, text: str) -> bool:
    """A computed value copied along with the block is no conflict when it equals what the grid shows."""
    try:
        value = model.parse(row, col, text)
    except ValidationError:
        return False
    if col == COL_COMMENT:
        return (value or "") == model.current(row, col)
    return value == model.value(row, "plan" if col == COL_PLAN else "fact")


def shown(row_value: Any, column: int) -> str:
    if row_value is None or row_value == "":
        return ""
    return str(row_value) if column == COL_COMMENT else format_number(row_value)


class PastePreviewDialog(QDialog):
    """What goes where: row number, indicator, column, value now and the pasted value; refused rows below."""

    def __init__(self, model: EntryGridModel, plan: PastePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Вставка из буфера обмена — проверьте, куда попадут значения")
        self.resize(900, 520)
        self._rows: list[tuple[str, str, str]] = []
        how = ("Строки сопоставлены по номеру показателя (графа «№»)." if plan.by_code else
               "Значения идут вниз от текущей ячейки, по одной строке таблицы на строку блока.")
        intro = QLabel(f"Будет вставлено значений: {len(plan.moves)}. {how}", self)
        intro.setWordWrap(True)
        table = QTableWidget(len(plan.moves), 5, self)
        table.setObjectName("paste_preview")
        table.setHorizontalHeaderLabels(["№", "Показатель / компонент", "Графа", "Сейчас", "Будет"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, move in enumerate(plan.moves):
            r = model.sheet_row(move.row)
            number = r.code_label.replace("\u00a0", " ")
            values = (number, r.label, COLUMNS[move.column], shown(move.old, move.column), shown(move.new, move.column))
            self._rows.append((number, COLUMNS[move.column], values[4].replace("\u00a0", " ")))
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 3 and move.column != COL_COMMENT:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(i, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in (0, 2, 3, 4):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.refused = QTextBrowser(self)
        self.refused.setMaximumHeight(130)
        self.refused.setPlainText("Не вставляется:\n" + "\n".join(plan.refused) if plan.refused else "")
        self.refused.setVisible(bool(plan.refused))
        buttons = QDialogButtonBox(self)
        insert = buttons.addButton(f"Вставить ({len(plan.moves)})", QDialogButtonBox.ButtonRole.AcceptRole)
        insert.setDefault(True)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(table, 1)
        layout.addWidget(self.refused)
        layout.addWidget(QLabel("Вставку целиком отменяет Ctrl+Z.", self))
        layout.addWidget(buttons)

    def preview_rows(self) -> list[tuple[str, str, str]]:
        """(row number, column, pasted value) as shown — for a test or a screen reader."""
        return list(self._rows)

    def refused_text(self) -> str:
        return self.refused.toPlainText()
