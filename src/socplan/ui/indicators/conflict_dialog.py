"""The choice after a save conflict: both values of every cell, keep mine or take the saved ones."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QMessageBox, QWidget

from socplan.domain.conflicts import ValueConflictError
from socplan.services.indicators.entry import CellChange

#: the buttons' texts (tests press them by text)
KEEP_MINE = "Сохранить мои значения"
TAKE_THEIRS = "Оставить значения из базы"


def conflict_box(parent: QWidget, exc: ValueConflictError) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, "Значения изменены другим пользователем", exc.message,
                      QMessageBox.StandardButton.Cancel, parent)
    box.addButton(KEEP_MINE, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(TAKE_THEIRS, QMessageBox.ButtonRole.DestructiveRole)
    box.button(QMessageBox.StandardButton.Cancel).setText("Отмена (продолжить редактирование)")
    return box


def apply_choice(exc: ValueConflictError, changes: list[CellChange], keep_mine: bool) -> list[CellChange]:
    """The changes to send again: conflicting cells now against the saved version (mine) or dropped (theirs)."""
    by_key = {(c.code, c.component, c.kind): c for c in exc.conflicts}
    out = []
    for ch in changes:
        c = by_key.get((ch.code, ch.component, ch.kind))
        if c is None:
            out.append(ch)
        elif keep_mine:
            out.append(replace(ch, seen_version=c.theirs_version, seen=c.theirs))
    return out


def resolve_conflicts(parent: QWidget, exc: ValueConflictError, changes: list[CellChange]) -> list[CellChange] | None:
    """Ask the user; ``None`` when they cancel (their edits stay in the grid, nothing saved)."""
    box = conflict_box(parent, exc)
    box.exec()
    clicked = box.clickedButton()
    if clicked is None or clicked.text() not in (KEEP_MINE, TAKE_THEIRS):
        return None
    return apply_choice(exc, changes, keep_mine=clicked.text() == KEEP_MINE)
