"""Optimistic locking of records people edit together at the Ministry: plan events, protocol decisions (and
their execution info), subsidy applications.

Each such row has a ``version`` column (SQLAlchemy ``version_id_col``, migration ``versions_0001``): every
UPDATE checks the version it read and bumps it. Two ways a save can come too late, both refused with the
same Russian :class:`ConflictError` naming the record — nothing is overwritten silently:

* the caller passes ``seen_version`` — the version shown to the user when the record was opened — and the
  record has been saved by someone else since (:func:`check_seen`);
* another transaction changed the row between reading and writing: SQLAlchemy's ``StaleDataError``
  (:func:`stale_as_conflict`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from socplan.domain.errors import ConflictError


def conflict(what: str) -> ConflictError:
    return ConflictError(
        f"{what}: запись уже изменил другой пользователь после того, как вы её открыли. Ваши изменения не "
        "сохранены, его изменения не перезаписаны. Обновите запись (откройте её заново) и внесите свои "
        "изменения ещё раз.")


def check_seen(obj: object, seen_version: int | None, what: str) -> None:
    """``seen_version``: the record's version when the user opened it (``None``: not checked)."""
    if seen_version is not None and getattr(obj, "version", None) != seen_version:
        raise conflict(what)


@dataclass
class Record:
    """What the message names; the service sets it once the record is loaded («Мероприятие 2.1 плана …»)."""

    name: str


@contextmanager
def stale_as_conflict(name: str) -> Iterator[Record]:
    record = Record(name)
    try:
        yield record
    except StaleDataError as exc:
        raise conflict(record.name) from exc


__all__ = ["conflict", "check_seen", "Record", "stale_as_conflict"]
