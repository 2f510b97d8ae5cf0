"""Undo in the meetings tab: an edit, an addition and a deletion of a decision or of a speaker («ВЫСТУПИЛИ»), and
a change of the speakers' order, can be taken back."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from PySide6.QtGui import QUndoCommand

from socplan.services.context import AppContext
from socplan.services.protocols import control, meetings, speeches
from socplan.services.protocols.rows import DecisionRow, SpeechRow


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


def resolve(aliases: dict[int, int], speech_id: int) -> int:
    """The current id of a speaker who was removed and put back by undo (it gets a new id each time)."""
    seen = set()
    while speech_id in aliases and speech_id not in seen:
        seen.add(speech_id)
        speech_id = aliases[speech_id]
    return speech_id


class SpeechCommand(QUndoCommand):
    """A «ВЫСТУПИЛИ» entry added (``before`` None), removed (``after`` None) or changed; a removed speaker comes
    back in the same place. ``aliases`` (shared by the tab's commands) follows the new ids of re-created rows."""

    def __init__(self, ctx: AppContext, agenda_item_id: int, before: SpeechRow | None, after: SpeechRow | None,
                 refresh: Callable[[], None], aliases: dict[int, int]) -> None:
        row = after or before
        verb = "изменение" if before and after else ("добавление" if after else "удаление")
        super().__init__(f"{verb} выступления: {row.name if row else ''}")
        self.ctx, self.item_id, self.before, self.after = ctx, agenda_item_id, before, after
        self.refresh, self.aliases = refresh, aliases
        self.key = row.id if row else 0
        self.first = True

    def _put(self, row: SpeechRow | None) -> None:
        current = resolve(self.aliases, self.key)
        if row is None:
            speeches.delete_speech(self.ctx, current)
        elif self.before is not None and self.after is not None:
            speeches.save_speech(self.ctx, self.item_id, speech_input(row), current)
        else:
            saved = speeches.save_speech(self.ctx, self.item_id, speech_input(row), at=row.order)
            self.aliases[current] = saved.id
        self.refresh()

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        self._put(self.after)

    def undo(self) -> None:
        self._put(self.before)


class MoveSpeechCommand(QUndoCommand):
    """A speaker moved from place ``source`` to ``target`` (1-based) in the order of «ВЫСТУПИЛИ»."""

    def __init__(self, ctx: AppContext, speech_id: int, source: int, target: int, refresh: Callable[[], None],
                 aliases: dict[int, int]) -> None:
        super().__init__("порядок выступлений")
        self.ctx, self.key, self.source, self.target = ctx, speech_id, source, target
        self.refresh, self.aliases = refresh, aliases
        self.first = True

    def redo(self) -> None:
        if self.first:
            self.first = False
            return
        speeches.move_speech(self.ctx, resolve(self.aliases, self.key), self.target - self.source)
        self.refresh()

    def undo(self) -> None:
        speeches.move_speech(self.ctx, resolve(self.aliases, self.key), self.source - self.target)
        self.refresh()


def speech_input(row: SpeechRow) -> speeches.SpeechInput:
    """What the editor would save to reproduce ``row``."""
    return speeches.SpeechInput(row.person_id, "" if row.person_id is not None else row.name, row.position, row.gist)
