"""Writing the accepted records of a package (``importer.apply_import``): kind by kind in dependency order, new rows in
bulk with reserved ids (``db/bulk_insert.py``), changed rows in one executemany per set of columns, each record's
UUID mapping marked synced, the journal of changes in the same transaction."""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.bulk_insert import insert_rows, reserve_ids
from socplan.domain.errors import Cancelled
from socplan.domain.exchange import Change
from socplan.services.context import ProgressCallback
from socplan.services.exchange import records as rec
from socplan.services.exchange.compare import ABSENT, LOCKED_TEXT, _differences, _Incoming, _Match, item_columns
from socplan.services.exchange.kinds import (
    KINDS,
    NATURAL_LOOKUPS,
    Kind,
    RecordProblem,
    Resolver,
    converters,
    lookup_value,
    safe_describe,
)


def write_records(s: Session, matches: list[_Match], chosen: set[int], seen_conflicts: set[int],
                  progress: ProgressCallback, cancelled: Callable[[], bool]) -> tuple[int, int, list[str]]:
    """Write the ``chosen`` records (indexes) of ``matches``; returns (applied, skipped, problems). A conflict is
    written only when chosen as one (``seen_conflicts``: the conflicts the user was shown)."""
    resolver = Resolver(s)
    applied, skipped, problems = 0, 0, []
    by_kind: dict[str, list[_Match]] = {}
    for m in matches:
        by_kind.setdefault(m.item.kind.name, []).append(m)
    audit: list[dict[str, Any]] = []
    for step, kind in enumerate(KINDS):
        todo = by_kind.get(kind.name, [])
        if not todo:
            continue
        if cancelled():
            raise Cancelled()
        progress(step, len(KINDS), f"Запись: {kind.label.lower()}")
        conv = converters(kind)
        t = kind.table
        inserts: list[tuple[_Match, dict[str, Any]]] = []
        updates: list[tuple[_Match, dict[str, Any]]] = []
        synced: list[tuple[int, str, int, str]] = []
        refs = [(ref.column, resolver.maps(ref.lookup)[1]) for ref in kind.refs]
        for m in todo:
            change, item = m.verdict.change, m.item
            if change is Change.UNCHANGED and m.local_id is not None:
                synced.append((m.local_id, item.uuid, item.version, item.digest))
                continue
            if change not in _TAKEN or item.index not in chosen or m.verdict.reason == LOCKED_TEXT:
                skipped += 1
                continue
            if change is Change.CONFLICT and item.index not in seen_conflicts:
                problems.append(f"{kind.label}: {safe_describe(kind, item.data)} — {CHANGED_SINCE_PREVIEW}")
                skipped += 1
                continue
            values = item.plain
            try:
                if values is None:
                    raise KeyError
                for (column, local), wire in zip(refs, item.refs):  # references frozen when the package was read
                    if wire is not ABSENT:
                        values[column] = None if wire is None else local[wire]
            except (KeyError, TypeError):  # not checked yet, or a reference not (yet) here: the full resolution says
                try:
                    values = item_columns(item, resolver, conv)
                except RecordProblem as exc:
                    problems.append(f"{kind.label}: {safe_describe(kind, item.data)} — {exc}")
                    skipped += 1
                    continue
            (inserts if m.local_id is None else updates).append((m, values))
        if kind.self_ref or kind.uuid_lookup:
            # Parents first; children resolve their parent through the resolver as soon as it exists.
            for m, values in inserts:
                try:
                    values = item_columns(m.item, resolver, conv)
                except RecordProblem as exc:
                    problems.append(f"{kind.label}: {safe_describe(kind, m.item.data)} — {exc}")
                    skipped += 1
                    continue
                new_id = s.connection().execute(insert(t).values(**_defaults(kind, values))).inserted_primary_key[0]
                _remember(kind, resolver, new_id, m.item)
                synced.append((new_id, m.item.uuid, m.item.version, m.item.digest))
                applied += 1
        elif inserts:
            # The new rows name their ids (reserved first), so nothing is read back to learn them.
            groups: dict[tuple[str, ...], list[tuple[_Match, dict[str, Any]]]] = {}
            for m, values in inserts:
                values = _defaults(kind, values)
                groups.setdefault(tuple(values), []).append((m, values))
            conn = s.connection()
            remember = kind.uuid_lookup or NATURAL_LOOKUPS.get(kind.name)
            for columns, group in groups.items():
                ids = reserve_ids(conn, t, len(group))
                insert_rows(conn, t, ("id",) + columns,  # rows made batch by batch as the driver takes them
                            ((new_id, *values.values()) for new_id, (_, values) in zip(ids, group)))
                synced += [(new_id, m.item.uuid, m.item.version, m.item.digest) for new_id, (m, _) in zip(ids, group)]
                if remember:
                    for new_id, (m, _) in zip(ids, group):
                        _remember(kind, resolver, new_id, m.item)
            applied += len(inserts)
        if inserts:
            audit.append({"action": "insert", "entity": t.name, "entity_id": "пакет",
                          "new": f"{kind.label}: добавлено {len(inserts)}"})
        if updates:
            _update_rows(s, kind, updates)
            for m, values in updates:
                for label, old, new in _differences(kind, m.local_data, m.item.data):
                    audit.append({"action": "update", "entity": t.name, "entity_id": str(m.local_id),
                                  "field": label, "old": old, "new": new})
                synced.append((m.local_id, m.item.uuid, m.item.version, m.item.digest))
            applied += len(updates)
        mappings = rec.load_for(s, kind.entity, [x[0] for x in synced], [x[1] for x in synced])
        rec.mark_synced(s, kind.entity, _dedupe_uuids(s, kind, synced, mappings), mappings)
        if kind.uuid_lookup:
            resolver.invalidate(kind.uuid_lookup)
    write_audit(s, audit)
    return applied, skipped, problems


_TAKEN = frozenset({Change.NEW, Change.CHANGED, Change.CONFLICT})
CHANGED_SINCE_PREVIEW = ("изменено в этой базе после просмотра пакета, и теперь это конфликт; не применено, чтобы не "
                         "затереть правку (в следующем пакете отправителя запись будет показана как конфликт)")


def _update_rows(s: Session, kind: Kind, updates: list[tuple[_Match, dict[str, Any]]]) -> None:
    """Changed records in one executemany per set of columns (by primary key). The version column goes up by one
    (optimistic locking: an import is a change too) unless the record carries its own."""
    t = kind.table
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for m, values in updates:
        groups.setdefault(tuple(values), []).append({"_id": m.local_id, **{f"_{c}": v for c, v in values.items()}})
    for columns, params in groups.items():
        assignments: dict[str, Any] = {c: bindparam(f"_{c}") for c in columns}
        if "version" in t.c and "version" not in columns:
            assignments["version"] = t.c.version + 1
        stmt = update(t).where(t.c.id == bindparam("_id")).values(assignments)
        for chunk in rec.chunks(params, rec.BULK_ROWS):
            s.connection().execute(stmt, chunk)


def _dedupe_uuids(s: Session, kind: Kind, synced: list[tuple[int, str, int, str]],
                  mappings: dict[int, rec.Mapping]) -> list[tuple[int, str, int, str]]:
    """An incoming UUID already held by another local mapping row of this entity: drop that stale row first."""
    if not mappings:  # no mapping of this entity to hold any of the UUIDs
        return synced
    by_uuid = rec.uuid_index(mappings)
    from socplan.db.models.exchange import ExchangeRecord

    stale = {by_uuid[u].id for local_id, u, _, _ in synced if u in by_uuid and by_uuid[u].local_id != local_id}
    if stale:
        t = ExchangeRecord.__table__
        for chunk in rec.chunks(sorted(stale)):
            s.connection().execute(t.delete().where(t.c.id.in_(chunk)))
        for local_id in [m.local_id for m in mappings.values() if m.id in stale]:
            mappings.pop(local_id, None)
    return synced


def _defaults(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """Column defaults the ORM would apply (Core inserts do not see Python-side defaults)."""
    scalars, calls = _default_columns(kind)
    out = values if scalars.keys() <= values.keys() else {**scalars, **values}
    for name, make in calls:
        if name not in values:
            out[name] = make(None)
    return out


def _default_columns(kind: Kind) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    """A kind's Python-side column defaults, looked up once: (scalar values, (column, callable) pairs)."""
    cached = kind.__dict__.get("_default_columns")
    if cached is None:
        scalars, calls = {}, []
        for col in kind.table.columns:
            if col.primary_key or col.default is None:
                continue
            if getattr(col.default, "is_scalar", False):
                scalars[col.name] = col.default.arg
            elif callable(getattr(col.default, "arg", None)):
                calls.append((col.name, col.default.arg))
        cached = kind.__dict__["_default_columns"] = (scalars, tuple(calls))
    return cached


def _remember(kind: Kind, resolver: Resolver, new_id: int, item: _Incoming) -> None:
    if kind.uuid_lookup:
        resolver.remember(kind.uuid_lookup, new_id, item.uuid)
    natural = NATURAL_LOOKUPS.get(kind.name)
    if natural:
        resolver.remember(natural, new_id, lookup_value(kind, item.data))
        if kind.name == "indicator":
            resolver.invalidate("_indicator_form")
