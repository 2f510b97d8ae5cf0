"""Writes the audit log in the same transaction as every ORM change (insert, update, delete).

The user and the reason come from ``session.info`` (``user_name``, ``user_position``, ``reason``).
Bulk Core inserts bypass the ORM: services doing them call :func:`write_audit` themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from socplan.db.base import Base, utcnow
from socplan.db.models.audit import AuditLog


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} байт>"
    return str(value)


def _columns(obj: Base) -> dict[str, str | None]:
    mapper = inspect(obj).mapper
    return {attr.key: _text(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _entity_id(obj: Base) -> str:
    identity = inspect(obj).identity
    if identity:
        return ",".join(str(part) for part in identity)
    return ",".join(str(getattr(obj, c.key)) for c in inspect(obj).mapper.primary_key)


def write_audit(session: Session, rows: list[dict[str, Any]]) -> None:
    """Append audit rows (dicts with action, entity, entity_id, field, old, new) in this transaction."""
    if not rows:
        return
    info = session.info
    now = utcnow()
    for row in rows:
        row.setdefault("at", now)
        row.setdefault("user_name", info.get("user_name", ""))
        row.setdefault("user_position", info.get("user_position", ""))
        row.setdefault("reason", info.get("reason", ""))
        row.setdefault("field", "")
        row.setdefault("old", None)
        row.setdefault("new", None)
    session.connection().execute(insert(AuditLog), rows)


@event.listens_for(Session, "after_flush")
def _audit_after_flush(session: Session, _flush_context) -> None:  # noqa: ANN001
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Base) and getattr(obj, "__audit__", True):
            rows.append({
                "action": "insert", "entity": obj.__tablename__, "entity_id": _entity_id(obj),
                "new": json.dumps(_columns(obj), ensure_ascii=False),
            })
    for obj in session.dirty:
        if not (isinstance(obj, Base) and getattr(obj, "__audit__", True)):
            continue
        state = inspect(obj)
        version_col = state.mapper.version_id_col
        for attr in state.mapper.column_attrs:
            if version_col is not None and attr.columns[0] is version_col:
                continue  # the optimistic-locking counter is bookkeeping, not a change
            history = state.attrs[attr.key].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _text(old) == _text(new):
                continue
            rows.append({
                "action": "update", "entity": obj.__tablename__, "entity_id": _entity_id(obj),
                "field": attr.key, "old": _text(old), "new": _text(new),
            })
    for obj in session.deleted:
        if isinstance(obj, Base) and getattr(obj, "__audit__", True):
            rows.append({
                "action": "delete", "entity": obj.__tablename__, "entity_id": _entity_id(obj),
                "old": json.dumps(_columns(obj), ensure_ascii=False),
            })
    write_audit(session, rows)
