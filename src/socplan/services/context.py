"""What every service needs: the open database and who is working (for reports and the audit log)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from socplan.db.database import Database
from socplan.reports.marks import DEMO_MARK, page_mark

#: progress(done, total, text) -> None; services call it and check ``cancelled()`` between steps.
ProgressCallback = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str = "") -> None:  # noqa: ARG001
    return None


@dataclass(frozen=True)
class User:
    name: str = ""
    position: str = ""


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
