"""Undo of decision edits in the meetings tab: an edit, an addition and a deletion can be taken back."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtGui import QUndoCommand

from socplan.services.context import AppContext
from socplan.services.protocols import control, meetings
from socplan.services.protocols.rows import DecisionRow


def decision_input(row: DecisionRow) -> meetings.DecisionInput:
    """What the editor would save to reproduce ``row`` (responsibles, wording, manual date, votes)."""
    responsibles = tuple(meetings.ResponsibleInput(r.organisation_id, r.text, r.suffix) for r in row.responsibles)
    return meetings.DecisionInput(row.point, row.text, row.subpoint, responsibles, row.deadline_text,
                                  row.original_due_date or row.due_date, row.votes, row.presiding_vote)


class DecisionCommand(QUndoCommand):
    """``before``/``after`` are the decision before and after the change (None: it did not exist)."""

    def __init__(self, ctx: AppContext, agenda_item_id: int, before: DecisionRow | None, after: DecisionRow | None,
                 refresh: Callable[[], None]) -> None:
        what = (after or before).label if (after or before) else ""
        verb = "изменение" if before and after else ("добавление" if after else "удаление")
        super().__init__(f"{verb}: {what}")
        self.ctx, self.item_id, self.before, self.after, self.refresh = ctx, agenda_item_id, before, after, refresh
        self.current_id = after.id if after else None
        self.first = True

    def _put(self, row: DecisionRow | None) -> None:
        if row is None:
            if self.current_id is not None:
                meetings.delete_decision(self.ctx, self.current_id)
            self.current_id = None
        else:
            saved = meetings.save_decision(self.ctx, self.item_id, decision_input(row), self.current_id)
            if row.control_status and saved.control_status:
                control.restore_control(self.ctx, replace(row, id=saved.id))
            self.current_id = saved.id
        self.refresh()

    def redo(self) -> None:
        if self.first:  # the change is already made when the command is pushed
            self.first = False
            return
        self._put(self.after)

    def undo(self) -> None:
        self._put(self.before)
