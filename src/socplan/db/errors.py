"""Why a database could not be opened (or copied, or backed up): each with a Russian message saying what to do.

Below every module that opens, backs up or copies a database, so that they all raise the same errors."""

from __future__ import annotations

from pathlib import Path

from socplan.domain.errors import SocPlanError


class DatabaseOpenError(SocPlanError):
    pass


class DatabaseInUseError(DatabaseOpenError):
    pass


class DatabaseNotFoundError(DatabaseOpenError):
    """The file does not exist (or is empty): a database is never created implicitly."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"Файл базы данных «{path}» не найден. Проверьте путь или создайте рабочую базу "
                         f"(команда «socplan --db {path} db init» или «Файл → Создать рабочую базу…» в окне).")
        self.path = path
