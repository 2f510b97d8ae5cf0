"""Stable UUIDs and versions of exchanged records (``exchange_record``), read and written in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from socplan.db.base import utcnow
from socplan.db.bulk_insert import insert_rows
from socplan.db.models.exchange import ExchangeRecord
from socplan.domain.exchange import new_uuid, new_uuids

_CHUNK = 900  # SQLite's bound-parameter limit is generous today, but stay portable
LOAD_ALL_SLACK = 20_000  # see ``load_for``
BULK_ROWS = 10_000  # rows per executemany: the driver's copies of the parameters stay small


@dataclass
class Mapping:
    id: int
    local_id: int
    uuid: str
    version: int
    synced_hash: str


def chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]



def load_mappings(session: Session, entity: str, local_ids: Iterable[int] | None = None) -> dict[int, Mapping]:
    """local id → mapping for one entity (all of them when ``local_ids`` is None)."""
    cols = (ExchangeRecord.id, ExchangeRecord.local_id, ExchangeRecord.uuid, ExchangeRecord.version,
            ExchangeRecord.synced_hash)
    result: dict[int, Mapping] = {}
    if local_ids is None:
        for row in session.execute(select(*cols).where(ExchangeRecord.entity == entity)):
            result[row.local_id] = Mapping(*row)
        return result
    for chunk in chunks(sorted(set(local_ids))):
        for row in session.execute(select(*cols).where(ExchangeRecord.entity == entity,
                                                       ExchangeRecord.local_id.in_(chunk))):
            result[row.local_id] = Mapping(*row)
    return result


def load_for(session: Session, entity: str, local_ids: Iterable[int], uuids: Iterable[str] = ()) -> dict[int, Mapping]:
    """local id → mapping for the given local records and UUIDs of one entity (a superset may come back).

    While the mapping table is not much larger than the request, all of the entity's mappings are read in one
    query (the cheapest plan for a first import into a young database). A database of a region holds millions:
    then only the asked local ids and UUIDs are looked up, by index, ``_CHUNK`` at a time.
    """
    local_ids = set(local_ids)
    uuids = set(uuids)
    top = session.scalar(select(func.max(ExchangeRecord.id))) or 0  # an upper bound of the table's size, by index
    if top <= 4 * (len(local_ids) + len(uuids)) + LOAD_ALL_SLACK:
        return load_mappings(session, entity)
    result = load_mappings(session, entity, local_ids)
    known = {m.uuid for m in result.values()}
    cols = (ExchangeRecord.id, ExchangeRecord.local_id, ExchangeRecord.uuid, ExchangeRecord.version,
            ExchangeRecord.synced_hash)
    for chunk in chunks(sorted(u for u in uuids if u not in known)):
        for row in session.execute(select(*cols).where(ExchangeRecord.entity == entity,
                                                       ExchangeRecord.uuid.in_(chunk))):
            result[row.local_id] = Mapping(*row)
    return result


def uuid_index(mappings: dict[int, Mapping]) -> dict[str, Mapping]:
    return {m.uuid: m for m in mappings.values()}


def ensure_uuids(session: Session, entity: str, local_ids: Iterable[int]) -> dict[int, Mapping]:
    """Give every listed record a UUID (version 1, never synced) where it has none yet."""
    ids = sorted(set(local_ids))
    existing = load_mappings(session, entity, ids)
    missing = [i for i in ids if i not in existing]
    if missing:
        rows = [{"entity": entity, "local_id": i, "uuid": new_uuid(), "version": 1, "synced_hash": ""} for i in missing]
        session.execute(insert(ExchangeRecord), rows)
        existing.update(load_mappings(session, entity, missing))
    return existing


def mark_synced(session: Session, entity: str, updates: list[tuple[int, str, int, str]],
                known: dict[int, Mapping]) -> None:
    """After a send or an accepted receive: (local_id, uuid, version, content hash) become the synced state.

    New mappings go to the driver as tuples in executemany batches (``db/bulk_insert.py``); the entity and the time
    are written into the statement once."""
    now = utcnow()
    t = ExchangeRecord.__table__
    to_update, to_insert = [], []
    if not known:  # none of them has a mapping yet (a first import): all new
        to_insert = updates
    for row in updates if known else ():
        local_id, uuid, version, digest = row
        m = known.get(local_id)
        if m is None:
            to_insert.append(row)
        elif (m.uuid, m.version, m.synced_hash) != (uuid, version, digest):
            to_update.append({"_id": m.id, "_uuid": uuid, "_version": version, "_hash": digest, "_at": now})
    if to_update:
        # A UUID can move from one local record to another only through its own row: free it first.
        session.connection().execute(
            update(t).where(t.c.id == bindparam("_id")).values(
                uuid=bindparam("_uuid"), version=bindparam("_version"), synced_hash=bindparam("_hash"),
                synced_at=bindparam("_at")), to_update)
    if to_insert:
        insert_rows(session.connection(), t, ("local_id", "uuid", "version", "synced_hash"), to_insert,
                    constants={"entity": entity, "synced_at": now})


def sync_sent(session: Session, entity: str, digests: list[tuple[int, str]]) -> dict[int, tuple[str, int]]:
    """After forming a package: each (local id, content hash) gets its UUID and version (version + 1 when the
    content changed since the last exchange); returns local id → (uuid, version). New mappings in one insert."""
    existing = load_for(session, entity, [i for i, _ in digests])
    now = utcnow()
    result: dict[int, tuple[str, int]] = {}
    to_insert, to_update = [], []
    fresh = iter(new_uuids(sum(1 for local_id, _ in digests if local_id not in existing)))
    for local_id, digest in digests:
        m = existing.get(local_id)
        if m is None:
            uuid = next(fresh)
            to_insert.append({"entity": entity, "local_id": local_id, "uuid": uuid, "version": 1,
                              "synced_hash": digest, "synced_at": now})
            result[local_id] = (uuid, 1)
            continue
        version = m.version if m.synced_hash in ("", digest) else m.version + 1
        result[local_id] = (m.uuid, version)
        if m.synced_hash != digest or m.version != version:
            to_update.append({"_id": m.id, "_version": version, "_hash": digest, "_at": now})
    t = ExchangeRecord.__table__
    for chunk in chunks(to_insert, BULK_ROWS):
        session.connection().execute(insert(t), chunk)
    if to_update:
        session.connection().execute(update(t).where(t.c.id == bindparam("_id")).values(
            version=bindparam("_version"), synced_hash=bindparam("_hash"), synced_at=bindparam("_at")), to_update)
    return result
