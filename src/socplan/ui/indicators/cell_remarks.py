"""The Ministry's remarks on the district's entry cells: the notice above the grid, the panel under it, and
«Отметить замечание как учтённое» in the cell's context menu."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QInputDialog, QLabel, QMenu, QTableView, QTextBrowser

from socplan.domain.errors import SocPlanError
from socplan.services.indicators import entry
from socplan.ui.indicators.grid_model import COLUMNS, EntryGridModel

if TYPE_CHECKING:
    from socplan.services.indicators.entry import CellRemark
    from socplan.ui.env import UiEnv


class EntryView(Protocol):
    """What the remarks use of the entry view (``entry_view.EntryView``); this module does not import the view,
    the view imports this module."""

    env: UiEnv
    model: EntryGridModel | None
    table: QTableView
    message: QTextBrowser
    remarks_label: QLabel
    remark_panel: QLabel

    def show_problem(self, text: str) -> None: ...

RESOLVE_TEXT = "Отметить замечание как учтённое…"


def remarks_word(n: int) -> str:
    """«1 замечание», «3 замечания», «12 замечаний»."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} замечание"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} замечания"
    return f"{n} замечаний"


def update_remarks(view: EntryView) -> None:
    """The line above the grid and the panel under it, when the Ministry returned the form with remarks."""
    count = view.model.sheet.remark_count if view.model is not None else 0
    view.remarks_label.setText(f"Форма возвращена на доработку: {remarks_word(count)}. Ячейки с замечаниями "
                               "отмечены оранжевым уголком; замечание видно в подсказке и под таблицей. Учтённое "
                               "замечание отметьте в контекстном меню ячейки.")
    view.remarks_label.setVisible(count > 0)
    view.remark_panel.setVisible(count > 0)
    show_cell_remarks(view)


def show_cell_remarks(view: EntryView) -> None:
    if view.model is None or not view.model.sheet.remarks:
        view.remark_panel.clear()
        return
    remarks = current_remarks(view)
    if not remarks:
        view.remark_panel.setText("Выберите ячейку с оранжевым уголком, чтобы прочитать замечание Министерства.")
        return
    index = view.table.currentIndex()
    row = view.model.sheet_row(index.row())
    view.remark_panel.setText(f"Замечание Министерства — стр. {row.code_label}, {COLUMNS[index.column()]}:\n"
                              + "\n".join(f"• {m.line}" for m in remarks))


def current_remarks(view: EntryView) -> tuple[CellRemark, ...]:
    index = view.table.currentIndex()
    if view.model is None or not index.isValid():
        return ()
    return view.model.remarks(index.row(), index.column())


def add_menu_actions(view: EntryView, menu: QMenu) -> None:
    if current_remarks(view):
        menu.addSeparator()
        menu.addAction(RESOLVE_TEXT, lambda: resolve_current(view))


def resolve_current(view: EntryView) -> bool:
    """Ask for an optional comment, mark the cell's remarks as dealt with, refresh the marker and the notice."""
    remarks = current_remarks(view)
    if not remarks:
        return False
    index = view.table.currentIndex()
    row = view.model.sheet_row(index.row())
    listed = "\n".join(f"• {m.line}" for m in remarks)
    comment, ok = QInputDialog.getMultiLineText(
        view, "Замечание учтено", f"Стр. {row.code_label}, {COLUMNS[index.column()]}:\n{listed}\n\n"
        "Что сделано (необязательно; будет записано в журнал изменений):")
    if not ok:
        return False
    try:
        count = entry.resolve_cell_remarks(view.env.ctx, [m.id for m in remarks], comment)
    except SocPlanError as exc:
        view.show_problem(exc.message)
        return False
    # only the remarks change: drop them from the loaded sheet, keeping the values being typed
    key = next(k for k, v in view.model.sheet.remarks.items() if v == remarks)
    view.model.set_remarks({k: v for k, v in view.model.sheet.remarks.items() if k != key})
    update_remarks(view)
    left = view.model.sheet.remark_count
    view.message.setStyleSheet("")
    view.message.setPlainText(f"Отмечено как учтённое: {remarks_word(count)}. "
                              + (f"Осталось: {remarks_word(left)}." if left else "Все замечания учтены."))
    return True
