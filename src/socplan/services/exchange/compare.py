"""Comparing a package's records with this database: parse the data entries (only after verification), match
each record by UUID or natural key, classify it three-way (new / unchanged / changed / conflict / refused)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from socplan.db.types import ExactDecimal
from socplan.domain.errors import Cancelled
from socplan.domain.exchange import Change, ChangeVerdict, PackageRefused, classify_change, content_hash
from socplan.domain.indicators import FormState
from socplan.io.exchange_package import VerifiedPackage
from socplan.services.context import ProgressCallback
from socplan.services.exchange import records as rec
from socplan.services.exchange.export import REMARKS_ENTRY
from socplan.services.exchange.kinds import (
    KIND_BY_NAME,
    KINDS,
    NATURAL_LOOKUPS,
    REF_WHAT,
    Kind,
    RecordProblem,
    Resolver,
    _freeze,
    converters,
    field_label,
    key_of,
    lookup_value,
    row_to_wire,
    safe_describe,
    value_text,
    wire_to_columns,
)

MAX_RECORDS = 2_000_000
LOCKED_TEXT = "значение формы, принятой здесь («принято»), отличается от присланного; чтобы изменить его, снимите отметку «принято»"


@dataclass(slots=True)
class PreviewItem:
    """One record of the preview. Its title and field-by-field differences are worked out when shown (a package
    of a year's values holds 80 000 records; the dialog shows a screenful at a time)."""

    index: int
    kind: str
    kind_label: str
    uuid: str
    change: Change
    reason: str = ""
    acceptable: bool = True
    data: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # as received
    local: dict[str, Any] | None = field(default=None, repr=False, compare=False)  # this base's record, wire form

    @property
    def title(self) -> str:
        return safe_describe(KIND_BY_NAME[self.kind], self.data) or self.uuid

    @property
    def differences(self) -> tuple[tuple[str, str, str], ...]:  # (field, old, new)
        if self.change is Change.REFUSED:
            return ()
        return _differences(KIND_BY_NAME[self.kind], self.local, self.data)

    @property
    def change_label(self) -> str:
        return self.change.label

    @property
    def default_accept(self) -> bool:
        return self.change in (Change.NEW, Change.CHANGED)


# ------------------------------------------------------------------ parsing data entries
@dataclass(slots=True)
class _Incoming:
    index: int
    kind: Kind
    uuid: str
    version: int
    data: dict[str, Any]
    digest: str
    problem: str = ""
    key: tuple | None = None  # the natural key (``key_of``), worked out once
    refs: tuple = ()  # each of the kind's references as looked up (``_freeze``d; ABSENT when not in the record)
    plain: dict[str, Any] | None = None  # plain columns, type-checked once (see ``plain_columns``)
    plain_problem: str = ""


ABSENT = object()


def _ref_values(kind: Kind, data: dict[str, Any], key: tuple | None) -> tuple:
    out = []
    for ref in kind.refs:
        wire = data.get(ref.wire, ABSENT)
        if type(wire) in _NESTED and key is not None and ref.wire in kind.key:
            out.append(key[kind.key.index(ref.wire)])  # frozen once already, for the key
        else:
            out.append(wire if type(wire) not in _NESTED else _freeze(wire))
    return tuple(out)


def plain_columns(item: _Incoming, conv: dict) -> dict[str, Any]:
    """The record's plain (non-reference) columns, converted and checked once per package: the data of a verified
    package does not change, so the preview and the apply share the result. Raises ``RecordProblem``."""
    if item.plain is None:
        if item.plain_problem:
            raise RecordProblem(item.plain_problem)
        try:
            item.plain = wire_to_columns(item.kind, item.data, None, conv, refs=False)
        except RecordProblem as exc:
            item.plain_problem = str(exc)
            raise
    return item.plain


def item_columns(item: _Incoming, resolver: Resolver, conv: dict) -> dict[str, Any]:
    """The table columns of a record: its checked plain columns and its references resolved now (they may have
    been created by earlier kinds of the same package). The record's own dict is completed in place (one dict per
    record, not two; the references are resolved again at each call)."""
    values = plain_columns(item, conv)
    for ref, wire in zip(item.kind.refs, item.refs):
        if wire is not ABSENT:
            values[ref.column] = resolver.to_local(ref.lookup, wire, REF_WHAT.get(ref.lookup, ref.lookup))
    return values


class Records(list):
    """A package's parsed records, in order. What the preview and the apply both need of them — the records of each
    kind, the territories and years of the values — is worked out once: a verified package does not change."""

    def by_kind(self) -> dict[str, list[_Incoming]]:
        cached = self.__dict__.get("_by_kind")
        if cached is None:
            cached = self.__dict__["_by_kind"] = _by_kind(self)
        return cached

    def periods(self, kind: Kind) -> tuple[set[Any], set[Any]]:
        """(territories as named on the wire, years) of the kind's records."""
        cached = self.__dict__.setdefault("_periods", {})
        if kind.name not in cached:
            datas = [i.data for i in self.by_kind().get(kind.name, ())]
            cached[kind.name] = ({_freeze(d.get("territory")) for d in datas},
                                 {y for y in map(_get_year, datas) if type(y) is int})
        return cached[kind.name]


def _get_year(data: dict[str, Any]) -> Any:
    return data.get("year")


def _parse_entries(pkg: VerifiedPackage) -> tuple[Records, list[dict[str, Any]]]:
    incoming = Records()
    remarks: list[dict[str, Any]] = []
    index = 0
    for entry in pkg.manifest.entries:
        if not entry.name.startswith("data/"):
            continue
        try:
            doc = json.loads(pkg.entries[entry.name].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PackageRefused("data", f"Пакет отклонён: элемент «{entry.name}» не является JSON. "
                                         "Ничего не загружено.") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("records"), list):
            raise PackageRefused("data", f"Пакет отклонён: элемент «{entry.name}» имеет неверную структуру.")
        if entry.name == REMARKS_ENTRY:
            remarks = [r for r in doc["records"] if isinstance(r, dict)]
            continue
        kind = KIND_BY_NAME.get(doc.get("kind", ""))
        if kind is None:
            raise PackageRefused("data", f"Пакет отклонён: неизвестный вид данных «{doc.get('kind')}» в "
                                         f"«{entry.name}». Обновите программу.")
        for raw in doc["records"]:
            if len(incoming) >= MAX_RECORDS:
                raise PackageRefused("limits", "Пакет отклонён: слишком много записей.")
            ok = isinstance(raw, dict) and isinstance(raw.get("uuid"), str) and isinstance(raw.get("data"), dict) \
                and isinstance(raw.get("version", 1), int)
            if ok:
                data = raw["data"]
                key = key_of(kind, data)
                item = _Incoming(index, kind, raw["uuid"][:36], raw.get("version", 1), data, content_hash(data),
                                 key=key, refs=_ref_values(kind, data, key))
            else:
                item = _Incoming(index, kind, "", 0, {}, "", "запись имеет неверную структуру")
            incoming.append(item)
            index += 1
    return incoming, remarks


# ------------------------------------------------------------------ classification
@dataclass(slots=True)
class _Match:
    item: _Incoming
    local_id: int | None
    local_data: dict[str, Any] | None
    verdict: ChangeVerdict
    columns: dict[str, Any] | None = None


_NEW = ChangeVerdict(Change.NEW)
_REPEATED = ChangeVerdict(Change.REFUSED, "запись повторяется в пакете (тот же идентификатор или ключ)")


@dataclass
class _KindBasis:
    rows: list[Any]  # this base's rows the package's records may match (exact decimals also as their stored text)
    mappings: dict[int, rec.Mapping]  # their UUID mappings and those of the package's UUIDs
    elsewhere: dict[int, Any]  # rows outside ``rows`` that a package UUID is mapped to, by id


@dataclass
class Basis:
    """Everything the comparison reads from this base. The comparison is a function of the package and its basis:
    when ``apply_import`` reads the same basis inside its transaction as the preview did, the preview's verdicts
    still hold; when anything differs (a value, a mapping, a lock, a reference), every record is compared again."""

    lookups: dict[str, Any]  # the resolver's maps (references, accepted forms, indicator → form)
    kinds: dict[str, _KindBasis]
    resolver: Resolver = field(compare=False)


def read_basis(session: Session, incoming: list[_Incoming]) -> Basis:
    """One query per kind for its rows and their mappings (and one for rows mapped elsewhere), the lookups its
    references need, the accepted forms."""
    resolver = Resolver(session)
    resolver.accepted_forms()
    by_kind = incoming.by_kind() if isinstance(incoming, Records) else _by_kind(incoming)
    kinds: dict[str, _KindBasis] = {}
    for kind in KINDS:
        items = by_kind.get(kind.name)
        if not items:
            continue
        for ref in kind.refs:
            resolver.maps(ref.lookup)
        if kind.name == "indicator_value":
            resolver.indicator_form()
        rows = _local_rows(session, kind, incoming.periods(kind) if isinstance(incoming, Records) else
                           Records(items).periods(kind), resolver)
        mappings = rec.load_for(session, kind.entity, [r.id for r in rows], [i.uuid for i in items])
        by_uuid = rec.uuid_index(mappings)
        ids = {r.id for r in rows}
        away = sorted({by_uuid[i.uuid].local_id for i in items if i.uuid in by_uuid} - ids)
        elsewhere: dict[int, Any] = {}
        for chunk in rec.chunks(away):
            elsewhere.update((r.id, r) for r in session.execute(_row_select(kind).where(kind.table.c.id.in_(chunk))))
        kinds[kind.name] = _KindBasis(rows, mappings, elsewhere)
    return Basis(resolver.loaded(), kinds, resolver)


def _by_kind(incoming: list[_Incoming]) -> dict[str, list[_Incoming]]:
    by_kind: dict[str, list[_Incoming]] = {}
    for item in incoming:
        by_kind.setdefault(item.kind.name, []).append(item)
    return by_kind


def _row_select(kind: Kind) -> Any:
    """A kind's whole rows; an exact decimal also as its stored text (``Decimal("1.0") == Decimal("1.00")``, but
    their wire texts and fingerprints differ: two bases are equal only when the stored texts are)."""
    t = kind.table
    texts = [type_coerce(c, String).label(f"_stored_{c.name}") for c in t.columns if isinstance(c.type, ExactDecimal)]
    return select(t, *texts)


def _local_rows(session: Session, kind: Kind, periods: tuple[set[Any], set[Any]], resolver: Resolver) -> list[Any]:
    """This base's rows of ``kind`` (values and form states: only those of the records' territories and years)."""
    t = kind.table
    stmt = _row_select(kind)
    if kind.name in ("indicator_value", "form_state"):
        territories, years = periods
        ids = [resolver.maps("territory")[1].get(x) for x in territories]
        stmt = stmt.where(t.c.territory_id.in_([i for i in ids if i is not None]), t.c.year.in_(years))
    return session.execute(stmt).all()


def _is_locked(kind: Kind, row: Any, resolver: Resolver, accepted: set[tuple]) -> bool:
    if kind.name == "indicator_value":
        form_id = resolver.indicator_form().get(row.indicator_id)
        return (form_id, row.territory_id, row.year, row.period_kind, row.period_no) in accepted
    if kind.name == "form_state":
        return row.state == FormState.ACCEPTED.value
    return False


def match_records(basis: Basis, incoming: list[_Incoming], progress: ProgressCallback,
                  cancelled: Callable[[], bool]) -> list[_Match]:
    """Each record matched by UUID or natural key against ``basis`` and classified three-way (reads nothing more)."""
    resolver = basis.resolver
    accepted = resolver.accepted_forms()
    by_kind = incoming.by_kind() if isinstance(incoming, Records) else _by_kind(incoming)
    # Records of this package that earlier kinds will create: references to them resolve at apply time.
    pending: dict[str, set[Any]] = {}
    for item in incoming:
        k = item.kind
        if k.uuid_lookup and item.uuid:
            pending.setdefault(k.uuid_lookup, set()).add(item.uuid)
        natural = NATURAL_LOOKUPS.get(k.name)
        if natural and k.key:
            pending.setdefault(natural, set()).add(lookup_value(k, item.data))
    matches: list[_Match] = []
    for step, kind in enumerate(KINDS):
        items = by_kind.get(kind.name)
        if not items:
            continue
        if cancelled():
            raise Cancelled()
        progress(step, len(KINDS), f"Сравнение: {kind.label.lower()}")
        conv = converters(kind)
        here = basis.kinds[kind.name]
        rows, mappings = here.rows, here.mappings
        by_uuid = rec.uuid_index(mappings)
        local_by_id: dict[int, Any] = {r.id: r for r in rows}
        local_by_key: dict[tuple, int] = {}
        local_wire: dict[int, dict[str, Any]] = {}
        if kind.key:
            for r in rows:
                wire = row_to_wire(kind, r, resolver, conv)
                local_wire[r.id] = wire
                local_by_key[key_of(kind, wire)] = r.id
        local_by_id.update(here.elsewhere)
        seen_uuids: set[str] = set()
        seen_keys: set[Any] = set()
        ref_maps = [(ref, resolver.maps(ref.lookup)[1], pending.get(ref.lookup, ())) for ref in kind.refs]
        for item in items:
            if item.problem:
                matches.append(_Match(item, None, None, ChangeVerdict(Change.REFUSED, item.problem)))
                continue
            key = item.key
            if item.uuid in seen_uuids or (key is not None and key in seen_keys):
                matches.append(_Match(item, None, None, _REPEATED))
                continue
            seen_uuids.add(item.uuid)
            if key is not None:
                seen_keys.add(key)
            try:
                _check_refs(item.refs, ref_maps)
                plain_columns(item, conv)
            except RecordProblem as exc:
                matches.append(_Match(item, None, None, ChangeVerdict(Change.REFUSED, str(exc))))
                continue
            m = by_uuid.get(item.uuid)
            local_id = m.local_id if m is not None and m.local_id in local_by_id else None
            if local_id is None and key is not None:
                local_id = local_by_key.get(key)
                m = mappings.get(local_id) if local_id is not None else None
            if local_id is None:
                matches.append(_Match(item, None, None, _NEW))
                continue
            row = local_by_id[local_id]
            wire = local_wire.get(local_id) or row_to_wire(kind, row, resolver, conv)
            local_hash = content_hash(wire)
            synced = m.synced_hash if m is not None and m.synced_hash and m.uuid == item.uuid else None
            verdict = classify_change(item.digest, local_hash, synced, incoming_version=item.version,
                                      synced_version=m.version if synced else 0,
                                      locked=_is_locked(kind, row, resolver, accepted), locked_reason=LOCKED_TEXT)
            matches.append(_Match(item, local_id, wire, verdict))
    return matches


def _check_refs(refs: tuple, ref_maps: list[tuple[Any, dict[Any, int], Any]]) -> None:
    """Every reference of a record (``_Incoming.refs``) names a record of this base or of the package
    (``ref_maps``: each reference with the base's lookup and the package's pending values)."""
    for (ref, known, pending), wire in zip(ref_maps, refs):
        if wire is None or wire is ABSENT or wire in known or wire in pending:
            continue
        shown = " / ".join(map(str, wire)) if isinstance(wire, tuple) else wire
        raise RecordProblem(f"{REF_WHAT.get(ref.lookup, ref.lookup)} «{shown}» нет ни в этой базе, ни в пакете")


_NESTED = (list, dict)


def _differences(kind: Kind, old: dict[str, Any] | None, new: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    out = []
    for name in kind.wire_fields():
        if old is None and name in kind.key and len(kind.key) > 1:
            continue  # a new record's identity is in its title already
        o = None if old is None else old.get(name)
        n = new.get(name)
        if old is not None and o == n:
            continue
        if old is None and (n is None or n == ""):
            continue
        out.append((field_label(kind, name), value_text(kind, name, o) if old is not None else "",
                    value_text(kind, name, n)))
    return tuple(out)


def _preview_items(matches: list[_Match]) -> tuple[PreviewItem, ...]:
    items = []
    for m in matches:
        kind, verdict = m.item.kind, m.verdict
        change = verdict.change
        locked = change is Change.CONFLICT and verdict.reason == LOCKED_TEXT
        items.append(PreviewItem(
            m.item.index, kind.name, kind.label, m.item.uuid, change, verdict.reason,
            acceptable=change in _ACCEPTABLE and not locked, data=m.item.data, local=m.local_data))
    return tuple(items)


_ACCEPTABLE = (Change.NEW, Change.CHANGED, Change.CONFLICT)
