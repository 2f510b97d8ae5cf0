"""Concurrent edits: the second person to save a changed value is told, with both values, and chooses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socplan.domain.errors import ConflictError


@dataclass(frozen=True)
class CellConflict:
    """One cell that someone else saved after this user loaded it."""

    code: str
    component: str
    kind: str  # plan | fact | comment
    where: str  # «стр. 1.1, факт»
    mine: Decimal | str | None  # what this user wants to save
    theirs: Decimal | str | None  # what is in the database now
    theirs_version: int  # save again with this version to keep «mine» deliberately
    changed_by: str = ""  # who saved «theirs» (from the audit log)


class ValueConflictError(ConflictError):
    """Nothing was saved: ``conflicts`` lists both values of every cell changed by someone else meanwhile."""

    def __init__(self, message: str, conflicts: list[CellConflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts
