"""Short write locks for one piece of work (a form's sheet for one territory and period).

PostgreSQL: a transaction-level advisory lock — writers of the same sheet queue up for the few
milliseconds of a save, readers (consolidation, reports) are never blocked, and the lock goes with the
transaction. SQLite needs none: it has one writer at a time anyway.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_key(*parts: object) -> int:
    """A stable signed 64-bit key for the parts (the same on every client)."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_for_write(session: Session, *parts: object) -> None:
    """Serialise writers of the same object until the end of this transaction (PostgreSQL only)."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(*parts)})


def consistent_read(session: Session) -> None:
    """Make every statement of this (reading) transaction see one snapshot — PostgreSQL's REPEATABLE READ.

    Must be the transaction's first statement. Values shown together with their row versions (optimistic
    locking) then belong together even while others save. SQLite transactions are snapshots already.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
