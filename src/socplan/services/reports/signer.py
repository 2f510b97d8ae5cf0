"""Who signs a report they prepared: the current user's position and «И.О. Фамилия» (GOST R 7.0.97: the position
on the left, the name on the right of the signature block)."""

from __future__ import annotations

from socplan.domain.reference import initials_surname_of
from socplan.services.context import User

#: the line to sign by hand where the settings do not name the user
BLANK = "_______________"


def prepared_by(user: User, default_position: str = "Исполнитель") -> tuple[str, str]:
    """(«Главный специалист отдела …», «Т.Т. Тестов»); the position capitalised as it starts the block."""
    name = initials_surname_of(user.name) or BLANK
    position = user.position.strip()
    return (position[:1].upper() + position[1:]) if position else default_position, name


__all__ = ["BLANK", "prepared_by"]
