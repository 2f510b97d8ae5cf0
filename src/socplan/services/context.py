"""What every service needs: the open database and who is working (for permissions, reports and the audit log)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from socplan.db.database import Database
from socplan.domain.roles import Role
from socplan.reports.marks import DEMO_MARK, page_mark

#: progress(done, total, text) -> None; services call it and check ``cancelled()`` between steps.
ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str = "") -> None:  # noqa: ARG001
    return None


@dataclass(frozen=True)
class User:
    """Who works. ``role`` and ``territory_id`` decide what the services allow (domain/roles.py).

    The default role is administrator: a database made before users existed (and the demo database) has no
    user table entries, and the one person working on it could do everything — that stays so until an
    administrator registers users (``socplan users add``); from then on the CLI and the window take the role
    from the user table, never from this default.
    """

    name: str = ""
    position: str = ""
    role: Role = Role.ADMINISTRATOR
    territory_id: int | None = None  # a district officer's territory
    territory_name: str = ""
    id: int | None = None  # the app_user row; None for the implicit user of a database without users

    @property
    def signature(self) -> str:
        """How the journal names the user: «Иванов И. И. (специалист района, Любинский район)»."""
        who = self.name or "пользователь не указан"
        extra = ", ".join(filter(None, (self.role.label, self.territory_name)))
        return f"{who} ({extra})"


@dataclass
class AppContext:
    db: Database
    user: User = User()

    @contextmanager
    def uow(self, reason: str = "") -> Iterator[Session]:
        """One unit of work per use case; the caller commits explicitly."""
        page_mark.set(DEMO_MARK if self.db.is_demo else "")  # documents built from the demo say so on every page
        with self.db.session(user_name=self.user.name, user_position=self.user.position, reason=reason) as s:
            yield s
