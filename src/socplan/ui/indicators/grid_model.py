"""Qt model of the entry grid: one territory and period; indicators and components as rows; plan, fact,
deviation, achievement and the deviation reason as columns. Computed cells recalculate on every edit."""

from __future__ import annotations

from dataclasses import replace

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QUndoCommand, QUndoStack

from socplan.domain.errors import ValidationError
from socplan.domain.formula import FormulaValue
from socplan.domain.indicators import achievement, check_value, compute_sheet, deviation
from socplan.domain.methodology import computed_share_problem, reason_required, shortfall
from socplan.formatting import format_number, format_percent, parse_number
from socplan.services.indicators.entry import CellChange, CellRemark, Sheet, SheetRow

COLUMNS = ("№", "Показатель / компонент", "Ед. изм.", "План", "Факт", "Отклонение", "Достижение, %",
           "Причина отклонения")
COL_CODE, COL_NAME, COL_UNIT, COL_PLAN, COL_FACT, COL_DEV, COL_ACH, COL_COMMENT = range(8)
EDIT_KIND = {COL_PLAN: "plan", COL_FACT: "fact", COL_COMMENT: "comment"}
INPUT_COLUMNS = (COL_PLAN, COL_FACT, COL_COMMENT)

GREY = QBrush(QColor("#F1F1F1"))
COMPUTED = QBrush(QColor("#EAF2FB"))
ATTENTION = QBrush(QColor("#FDE2E1"))
REMARK = QBrush(QColor("#FFE8C2"))  # a cell the Ministry returned «на доработку» with a remark
REMARK_MARK = QColor("#E65100")  # the corner triangle the delegate paints on such a cell
#: the cell's remarks (tuple of CellRemark, empty when none) — read by the delegate and the remark panel
REMARK_ROLE = int(Qt.ItemDataRole.UserRole) + 1
STATUS_COLOURS = {"high": QColor("#2E7D32"), "satisfactory": QColor("#A86B00"), "low": QColor("#C62828")}


class SetCellCommand(QUndoCommand):
    def __init__(self, model: EntryGridModel, row: int, column: int, old: Any, new: Any) -> None:
        super().__init__(f"Изменение: стр. {model.sheet_row(row).code_label}, {COLUMNS[column]}")
        self.model, self.row, self.column, self.old, self.new = model, row, column, old, new

    def redo(self) -> None:
        self.model.apply(self.row, self.column, self.new)

    def undo(self) -> None:
        self.model.apply(self.row, self.column, self.old)


class EntryGridModel(QAbstractTableModel):
    rejected = Signal(int, int, str)  # row, column, reason (invalid text refused)
    dirty_changed = Signal(bool)

    def __init__(self, sheet: Sheet, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._deferred = False
        self.set_sheet(sheet)

    # ------------------------------------------------------------ data
    def set_sheet(self, sheet: Sheet) -> None:
        self.beginResetModel()
        self.sheet = sheet
        #: True while another sheet is being loaded in the background: shown, scrollable, not editable
        self.locked = False
        self.rows: list[SheetRow] = list(sheet.rows)
        self.entered: dict[tuple[str, str, str], Decimal | None] = {}
        self.comments: dict[str, str] = {}
        for r in self.rows:
            if r.plan_editable:
                self.entered[(r.indicator.code, r.component, "plan")] = r.plan
            if r.fact_editable:
                self.entered[(r.indicator.code, r.component, "fact")] = r.fact
            if not r.component:
                self.comments[r.indicator.code] = r.comment
        self.original = dict(self.entered)
        self.original_comments = dict(self.comments)
        self.computed: dict[tuple[str, str, str], FormulaValue] = {}
        if not sheet.consolidated:
            self.recalculate(emit=False)
        self.undo_stack.clear()
        self.endResetModel()
        self.dirty_changed.emit(False)

    def set_remarks(self, remarks: dict) -> None:
        """Replace the open remarks (one was marked as dealt with) without touching the values being typed."""
        self.sheet = replace(self.sheet, remarks=remarks)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def sheet_row(self, row: int) -> SheetRow:
        return self.rows[row]

    def recalculate(self, emit: bool = True) -> None:
        """Computed indicators and components from the values as typed (pure domain calculation)."""
        self.computed = compute_sheet(list(self.sheet.definitions), self.entered)
        if emit and self.rows:
            self.dataChanged.emit(self.index(0, COL_PLAN), self.index(len(self.rows) - 1, COL_COMMENT))

    def value(self, row: int, kind: str) -> Decimal | None:
        r = self.rows[row]
        if self.sheet.consolidated:
            return r.plan if kind == "plan" else r.fact
        key = (r.indicator.code, r.component, kind)
        if key in self.entered:
            return self.entered[key]
        fv = self.computed.get(key)
        return fv.value if fv else None

    def reason(self, row: int, kind: str) -> str:
        r = self.rows[row]
        if self.sheet.consolidated:
            return r.fact_reason if kind == "fact" else r.plan_reason
        key = (r.indicator.code, r.component, kind)
        if key in self.entered:
            return ""
        fv = self.computed.get(key)
        return fv.reason if fv is not None and fv.value is None else ""

    def editable(self, row: int, column: int) -> bool:
        if self.locked or self.sheet.read_only:
            return False
        r = self.rows[row]
        if column == COL_PLAN:
            return r.plan_editable
        if column == COL_FACT:
            return r.fact_editable
        if column == COL_COMMENT:
            return not r.component
        return False

    def remarks(self, row: int, column: int) -> tuple[CellRemark, ...]:
        """The Ministry's open remarks on a plan/fact cell (loaded once with the sheet)."""
        if column not in (COL_PLAN, COL_FACT) or not self.sheet.remarks:
            return ()
        r = self.rows[row]
        return self.sheet.remarks.get((r.indicator.code, r.component, EDIT_KIND[column]), ())

    def share_problem(self, row: int, kind: str) -> str:
        """A share computed from the typed components outside 0–100 % — flagged on the cell at entry."""
        r = self.rows[row]
        if r.component or not r.indicator.formula:
            return ""
        return computed_share_problem(self.value(row, kind), r.indicator.share, f"Стр. {r.indicator.code}")

    def needs_comment(self, row: int) -> bool:
        r = self.rows[row]
        if r.component:
            return False
        return reason_required(self.value(row, "plan"), self.value(row, "fact"), r.indicator.direction,
                               self.sheet.comment_threshold) and not self.comments.get(r.indicator.code, "").strip()

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.editable(index.row(), index.column()):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _text(self, row: int, kind: str) -> str:
        value = self.value(row, kind)
        r = self.rows[row]
        if value is None:
            return ""
        if r.indicator.value_kind == "yesno" and not r.component:
            return "да" if value else "нет"
        decimals = r.indicator.decimals if not r.component else None
        text = format_number(value, decimals)
        if kind == "plan" and r.plan_qualifier:
            text = f"{r.plan_qualifier} {text}"
        return text

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        r = self.rows[row]
        ind = r.indicator
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_CODE:
                return r.code_label
            if col == COL_NAME:
                return r.label
            if col == COL_UNIT:
                return ind.unit_name if not r.component else ""
            if col in (COL_PLAN, COL_FACT):
                kind = EDIT_KIND[col]
                if role == Qt.ItemDataRole.EditRole:
                    value = self.value(row, kind)
                    return "" if value is None else format_number(value).replace("\u00a0", " ")
                text = self._text(row, kind)
                if not text and self.reason(row, kind) and not r.component:
                    return "не рассчитывается"
                return text
            if r.component:
                return ""
            plan, fact = self.value(row, "plan"), self.value(row, "fact")
            if col == COL_DEV:
                dev = deviation(plan, fact)
                return "" if dev is None else format_number(dev, ind.decimals)
            if col == COL_ACH:
                ach = achievement(plan, fact, ind.direction, self.sheet.thresholds)
                return format_percent(ach.percent) if ach.percent is not None else ("—" if ach.note else "")
            if col == COL_COMMENT:
                return self.comments.get(ind.code, "")
        if role == REMARK_ROLE:
            return self.remarks(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            remarks = self.remarks(row, col)
            if remarks:
                return "Замечание Министерства (форма возвращена на доработку):\n" + "\n".join(
                    f"• {m.line}" for m in remarks)
            if col in (COL_PLAN, COL_FACT):
                reason = self.reason(row, EDIT_KIND[col])
                if reason:
                    return f"Не рассчитывается: {reason}"
                share = self.share_problem(row, EDIT_KIND[col])
                if share:
                    return share
                if not self.editable(row, col) and (ind.formula and not r.component):
                    note = f" ({ind.formula_note})" if ind.formula_note else ""
                    return f"Рассчитывается: {ind.formula_computed or ind.formula}{note}"
            if col == COL_NAME:
                return r.label if len(r.label) > 60 else None
            if col == COL_ACH and not r.component:
                ach = achievement(self.value(row, "plan"), self.value(row, "fact"), ind.direction, self.sheet.thresholds)
                return f"Оценка: {ach.status.label}" + (f" ({ach.note})" if ach.note else "")
            if col == COL_COMMENT and self.needs_comment(row):
                if shortfall(self.value(row, "plan"), self.value(row, "fact"), ind.direction):
                    return "План не достигнут: укажите причины недостижения (нужны при любом недостижении плана)."
                return (f"Факт отклоняется от плана более чем на {format_number(self.sheet.comment_threshold)} %: "
                        "укажите причину отклонения.")
            if col in (COL_FACT,) and r.missing:
                return "Не представили данные: " + ", ".join(r.missing)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.remarks(row, col):
                return REMARK
            if col == COL_COMMENT and self.needs_comment(row):
                return ATTENTION
            if col in (COL_PLAN, COL_FACT) and self.share_problem(row, EDIT_KIND[col]):
                return ATTENTION
            if col in (COL_PLAN, COL_FACT, COL_COMMENT):
                if self.editable(row, col):
                    return None
                return COMPUTED if ind.formula and not r.component else GREY
            return GREY if col < COL_PLAN and not r.component else None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_ACH and not r.component:
            ach = achievement(self.value(row, "plan"), self.value(row, "fact"), ind.direction, self.sheet.thresholds)
            return STATUS_COLOURS.get(ach.status.value)
        if role == Qt.ItemDataRole.FontRole and not r.component and col in (COL_CODE, COL_NAME):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_PLAN, COL_FACT, COL_DEV, COL_ACH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # ------------------------------------------------------------ editing
    def parse(self, row: int, column: int, text: str) -> Decimal | str | None:
        """The typed text as a value, or ValidationError with the Russian reason."""
        r = self.rows[row]
        if column == COL_COMMENT:
            return text.strip()
        raw = text.strip()
        if r.indicator.value_kind == "yesno" and not r.component and raw.casefold() in ("да", "нет"):
            return Decimal(1 if raw.casefold() == "да" else 0)
        value = parse_number(raw, field=COLUMNS[column])
        if value is None:
            return None
        if r.component:
            if value < 0:
                raise ValidationError(COLUMNS[column], "Значение компонента не может быть отрицательным.")
            return value
        problem = check_value(value, r.indicator.limits, "Значение")
        if problem:
            raise ValidationError(COLUMNS[column], problem)
        return value

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable(index.row(), index.column()):
            return False
        row, col = index.row(), index.column()
        try:
            new = self.parse(row, col, "" if value is None else str(value))
        except ValidationError as exc:
            self.rejected.emit(row, col, exc.message)
            return False
        old = self.current(row, col)
        if old == new or (col == COL_COMMENT and (old or "") == (new or "")):
            return True
        self.undo_stack.push(SetCellCommand(self, row, col, old, new))
        return True

    def current(self, row: int, col: int) -> Any:
        r = self.rows[row]
        if col == COL_COMMENT:
            return self.comments.get(r.indicator.code, "")
        return self.entered.get((r.indicator.code, r.component, EDIT_KIND[col]))

    def apply(self, row: int, col: int, value: Any) -> None:
        """Set a cell without undo bookkeeping (used by the undo commands), then recalculate."""
        r = self.rows[row]
        if col == COL_COMMENT:
            self.comments[r.indicator.code] = value or ""
            self.dataChanged.emit(self.index(row, col), self.index(row, col))
        else:
            self.entered[(r.indicator.code, r.component, EDIT_KIND[col])] = value
            if not self._deferred:
                self.recalculate()
        self.dirty_changed.emit(self.is_dirty())

    def is_dirty(self) -> bool:
        return self.entered != self.original or self.comments != self.original_comments

    def changes(self) -> list[CellChange]:
        out = []
        versions = self.sheet.versions  # optimistic locking: what each cell's row was when loaded
        for key, value in self.entered.items():
            if self.original.get(key) != value:
                out.append(CellChange(key[0], key[1], key[2], value, seen_version=versions.get(key, 0),
                                      seen=self.original.get(key)))
        for code, text in self.comments.items():
            if self.original_comments.get(code, "") != text:
                out.append(CellChange(code, "", "comment", text=text, seen_version=versions.get((code, "", "fact"), 0),
                                      seen=self.original_comments.get(code, "")))
        return out

    def apply_moves(self, moves: list, title: str) -> None:
        """Set many cells (a paste) as one undo step, recalculating once at the end."""
        if not moves:
            return
        self._deferred = True
        try:
            self.undo_stack.beginMacro(title)
            for m in moves:
                self.undo_stack.push(SetCellCommand(self, m.row, m.column, m.old, m.new))
            self.undo_stack.endMacro()
        finally:
            self._deferred = False
        self.recalculate()
