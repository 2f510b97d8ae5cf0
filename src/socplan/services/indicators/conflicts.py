"""Optimistic locking of indicator values: who saved what meanwhile, retries of racing transactions.

A sheet remembers each cell's row version when loaded; saving compares it with the row now in the
database. A cell changed meanwhile to a value other than the one being saved is a conflict: nothing is
saved and the user sees both values and chooses. Two saves racing on the server are serialised by an
advisory lock; a lost race (stale row version, a duplicate new cell, a deadlock or serialization failure
reported by PostgreSQL) is retried from the start, where the version check then reports it properly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Mapping, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from socplan.db.models.audit import AuditLog
from socplan.db.models.indicators import IndicatorValue
from socplan.domain.conflicts import CellConflict
from socplan.domain.errors import ConflictError
from socplan.formatting import format_number

T = TypeVar("T")
ATTEMPTS = 5
KIND_LABEL = {"plan": "план", "fact": "факт", "comment": "причина отклонения"}
#: PostgreSQL SQLSTATEs worth a retry: serialization_failure, deadlock_detected, unique_violation
RETRY_SQLSTATES = {"40001", "40P01", "23505"}


def value_versions(stored: Mapping[tuple[str, str, str], object]) -> dict[tuple[str, str, str], int]:
    return {key: getattr(v, "version", 1) for key, v in stored.items()}


def _last_author(session: Session, row_id: int, field: str) -> str:
    return session.scalar(select(AuditLog.user_name).where(
        AuditLog.entity == IndicatorValue.__tablename__, AuditLog.entity_id == str(row_id),
        AuditLog.field.in_((field, "")) if field else AuditLog.field == "").order_by(AuditLog.id.desc()).limit(1)) or ""


def find_conflicts(session: Session, stored: Mapping[tuple[str, str, str], IndicatorValue],
                   changes: list) -> list[CellConflict]:  # list[CellChange]
    out: list[CellConflict] = []
    for ch in changes:
        if ch.seen_version is None:
            continue
        comment = ch.kind == "comment"
        key = (ch.code, "" if comment else ch.component, "fact" if comment else ch.kind)
        row = stored.get(key)
        if (row.version if row is not None else 0) == ch.seen_version:
            continue
        field = "comment" if comment else "value"
        theirs = (row.comment if comment else row.value) if row is not None else ("" if comment else None)
        mine = ch.text if comment else ch.value
        if theirs == mine or theirs == ch.seen:
            continue  # the same value, or someone changed another field of the row
        where = f"стр. {ch.code}{' ' + ch.component if ch.component else ''}, {KIND_LABEL.get(ch.kind, ch.kind)}"
        out.append(CellConflict(ch.code, ch.component, ch.kind, where, mine, theirs,
                                row.version if row is not None else 0,
                                _last_author(session, row.id, field) if row is not None else ""))
    return out


def _show(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return "пусто"
    if isinstance(value, Decimal):
        return format_number(value)
    return f"«{value}»"


def conflict_message(territory: str, conflicts: list[CellConflict]) -> str:
    lines = [f"Пока форма по территории «{territory}» была открыта, другой пользователь сохранил другие значения:"]
    for c in conflicts:
        who = f" (сохранил(а) {c.changed_by})" if c.changed_by else ""
        lines.append(f"— {c.where}: ваше значение {_show(c.mine)}, в базе {_show(c.theirs)}{who}")
    lines.append("Ничего не сохранено. Выберите, какие значения оставить: свои (сохранить их поверх) "
                 "или значения из базы.")
    return "\n".join(lines)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, DBAPIError):
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)
        return code in RETRY_SQLSTATES
    return False


def with_write_retry(work: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run a write transaction again when it lost a race with another user (each try is a fresh transaction)."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (StaleDataError, IntegrityError, DBAPIError) as exc:
            if not _retryable(exc):
                raise
            if attempt == attempts:
                raise ConflictError(
                    "Не удалось сохранить: одновременно с вами эти данные сохраняли другие пользователи. "
                    "Обновите форму и повторите сохранение.") from exc
    raise AssertionError("unreachable")
