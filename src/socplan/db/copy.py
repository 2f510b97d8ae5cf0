"""Copying a whole database between back-ends (SQLite ↔ PostgreSQL), verified table by table.

Rows are read and written through the models' column types, so exact decimals, money in kopecks,
dates and binary contents arrive unchanged. Afterwards every table is compared on both sides by its
row count and a SHA-256 over all rows in primary-key order (values in a back-end-neutral text form).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import Connection, Integer, Table, func, insert, select, text

import socplan.db.models  # noqa: F401  (fills Base.metadata)
from socplan.db.base import Base
from socplan.db.database import Database, DatabaseOpenError

CHUNK = 2000


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sha256 == self.target_sha256


def _neutral(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return str(value)


def _ordered(table: Table):  # noqa: ANN202
    keys = list(table.primary_key.columns) or list(table.columns)
    return select(table).order_by(*keys)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 of the table's rows in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for row in conn.execute(_ordered(table)).yield_per(CHUNK):
        digest.update("\x1f".join(_neutral(v) for v in row).encode("utf-8"))
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def tables() -> list[Table]:
    """Every application table, parents before children."""
    return list(Base.metadata.sorted_tables)


def _non_empty(conn: Connection) -> list[str]:
    return [t.name for t in tables() if conn.execute(select(func.count()).select_from(t)).scalar_one()]


def copy_database(source: Database, target: Database,
                  progress: Callable[[str, int], None] | None = None) -> list[TableCheck]:
    """Copy every row of ``source`` into the empty, migrated ``target``; all-or-nothing; then verify."""
    if source.revisions() != target.revisions():
        raise DatabaseOpenError(
            f"Версии схемы различаются: источник {', '.join(source.revisions()) or '—'}, "
            f"цель {', '.join(target.revisions())}. Обновите источник командой «socplan db upgrade --db …»."
        )
    with source.engine.connect() as src, target.engine.begin() as dst:
        busy = _non_empty(dst)
        if busy:
            raise DatabaseOpenError(
                f"База «{target.label}» не пуста (есть записи в таблицах: {', '.join(busy[:5])}"
                f"{'…' if len(busy) > 5 else ''}). Копировать можно только в пустую базу; ничего не изменено."
            )
        for table in tables():
            rows = 0
            result = src.execute(_ordered(table)).yield_per(CHUNK)
            for part in result.partitions(CHUNK):
                dst.execute(insert(table), [dict(r._mapping) for r in part])
                rows += len(part)
            if progress is not None:
                progress(table.name, rows)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst)
    checks = []
    with source.engine.connect() as src, target.engine.connect() as dst:
        for table in tables():
            n_src, h_src = table_digest(src, table)
            n_dst, h_dst = table_digest(dst, table)
            checks.append(TableCheck(table.name, n_src, n_dst, h_src, h_dst))
    return checks


def _reset_sequences(conn: Connection) -> None:
    """Rows were inserted with their ids: move each serial sequence past the largest id."""
    for table in tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1,"
                              " false)"))
