"""Writing an imported template: the changed values and their journal rows, in bulk, in the caller's transaction.

Core ``insert()`` / ``update()`` with lists of parameters (executemany), in chunks, each chunk's journal rows
written right after it: the memory held stays that of one chunk, not of 40 000 rows of dictionaries. The journal
says the same as the ORM listener would (an «insert» row with the new row as JSON, an «update» row per changed
field with old and new), under one time stamp, user and reason.
"""

from __future__ import annotations

from decimal import Decimal
from json.encoder import encode_basestring as _quote  # json.dumps' quoting with ensure_ascii=False
from typing import Callable, Iterator

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.models.audit import AuditLog
from socplan.db.base import utcnow
from socplan.db.models.indicators import IndicatorValue
from socplan.domain.indicators import Period

_AUDIT_INSERT = insert(AuditLog)
#: rows per statement and per batch of journal rows
CHUNK = 2_000

Key = tuple[str, str, str]  # indicator code, component, plan|fact


def _text(value: object) -> str | None:
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def row_json(territory_id: int, period: Period) -> Callable[[int, str, str, object, str], str]:
    """The journal text of a new row of this sheet — exactly what the ORM listener writes, ``json.dumps`` (with
    ``ensure_ascii=False``) of every column as text — with the sheet's own part made once, the rest quoted by
    json's own quoting."""
    middle = (f', "territory_id": {_quote(str(territory_id))}, "year": {_quote(str(period.year))}, '
              f'"period_kind": {_quote(period.kind)}, "period_no": {_quote(str(period.number))}, "kind": ')

    def text(indicator_id: int, component: str, kind: str, value: object, comment: str) -> str:
        shown = "null" if value is None else _quote(_text(value))
        return (f'{{"indicator_id": {_quote(str(indicator_id))}, "component": {_quote(component)}{middle}'
                f'{_quote(kind)}, "value": {shown}, "qualifier": "", "comment": {_quote(comment)}}}')
    return text


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class ChangeWriter:
    """Writes an import's changes chunk by chunk in the caller's transaction, all under one time stamp, user and
    reason: each :meth:`write` call inserts the new rows and updates the stored ones of one chunk with their journal
    rows; :meth:`summary` adds the import's own journal row. Nothing is committed here."""

    def __init__(self, session: Session, territory_id: int, period: Period) -> None:
        self.session = session
        self.territory_id, self.period = territory_id, period
        info = session.info
        self.who = {"at": utcnow(), "user_name": info.get("user_name", ""),
                    "user_position": info.get("user_position", ""), "reason": info.get("reason", "")}
        self.journal = row_json(territory_id, period)
        # the new ids come back with each row's own key (batched «insert many values»: asking for them in parameter
        # order would make SQLite insert one row per statement)
        self.insert = insert(IndicatorValue).returning(IndicatorValue.id, IndicatorValue.indicator_id,
                                                       IndicatorValue.component, IndicatorValue.kind)
        self.updates = {name: update(IndicatorValue).where(IndicatorValue.id == bindparam("row_id")).values(
            {getattr(IndicatorValue, name): bindparam("v", type_=getattr(IndicatorValue, name).type),
             IndicatorValue.version: IndicatorValue.version + 1}) for name in ("value", "comment")}

    def write(self, changes: list[tuple[Key, str, object]], stored: dict, indicator_ids: dict[str, int]) -> None:
        """``changes`` ((code, component, kind), "value" | "comment", new) over the ``stored`` rows (``StoredValue``
        by key): new rows inserted, stored rows updated with their version raised, every change journaled."""
        session, who = self.session, self.who
        conn = session.connection()
        new_rows: dict[Key, list] = {}  # key -> [value, comment] of a row that does not exist yet
        updates: list[tuple[int, str, object, object]] = []  # row id, field, old, new
        for key, field_name, value in changes:
            row = stored.get(key)
            if row is None:
                new_rows.setdefault(key, [None, ""])[0 if field_name == "value" else 1] = value
            else:
                updates.append((row.id, field_name, getattr(row, field_name), value))

        territory_id, period, journal = self.territory_id, self.period, self.journal
        for chunk in _chunks(list(new_rows.items())):
            rows = [{"indicator_id": indicator_ids[code], "component": component, "territory_id": territory_id,
                     "year": period.year, "period_kind": period.kind, "period_no": period.number, "kind": kind,
                     "value": value, "qualifier": "", "comment": comment}
                    for (code, component, kind), (value, comment) in chunk]
            ids = {(i, c, k): row_id for row_id, i, c, k in conn.execute(self.insert, rows).all()}
            self._journal(conn, [dict(who, action="insert", entity="ind_value", field="", old=None,
                                       entity_id=str(ids[(r["indicator_id"], r["component"], r["kind"])]),
                                       new=journal(r["indicator_id"], r["component"], r["kind"], r["value"],
                                                   r["comment"]))
                                  for r in rows])

        for field_name in ("value", "comment"):
            batch = [(row_id, new) for row_id, name, _old, new in updates if name == field_name]
            for chunk in _chunks(batch):
                conn.execute(self.updates[field_name], [{"row_id": row_id, "v": new} for row_id, new in chunk])
        for chunk in _chunks(updates):
            self._journal(conn, [dict(who, action="update", entity="ind_value", entity_id=str(row_id), field=name,
                                       old=_text(old), new=_text(new)) for row_id, name, old, new in chunk])

    @staticmethod
    def _journal(conn, rows: list[dict]) -> None:  # noqa: ANN001
        """Journal rows with every column given (what :func:`write_audit` would complete row by row)."""
        if rows:
            conn.execute(_AUDIT_INSERT, rows)

    def summary(self, summary: dict) -> None:
        write_audit(self.session, [dict(self.who, **summary)])
