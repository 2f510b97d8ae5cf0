"""Importing a package: verify (nothing written), preview (new / changed side by side / conflicts / refused),
then apply what the user accepted — or reject — in one unit of work, with the journal entry.

Importing the same package twice changes nothing; a package older than one already imported from the same
sender is refused; values of a form marked «принято» here are locked (an incoming difference is a conflict
that cannot be accepted until the mark is removed).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.base import utcnow
from socplan.db.models.exchange import ExchangeDocument, ExchangePackage, ExchangeRemark, ExchangeSenderState
from socplan.domain.errors import Cancelled, SocPlanError
from socplan.domain.exchange import (
    DEFAULT_LIMITS,
    Change,
    ChangeVerdict,
    Manifest,
    PackageLimits,
    PackageRefused,
    SequenceVerdict,
    check_sequence,
    classify_change,
    content_hash,
)
from socplan.domain.indicators import FormState
from socplan.io.exchange_package import VerifiedPackage, open_package, read_package_file
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.exchange import records as rec
from socplan.services.exchange.export import REMARKS_ENTRY
from socplan.services.exchange.kinds import (
    KIND_BY_NAME,
    KINDS,
    NATURAL_LOOKUPS,
    Kind,
    RecordProblem,
    Resolver,
    converters,
    field_label,
    key_of,
    lookup_value,
    _freeze,
    row_to_wire,
    safe_describe,
    value_text,
    wire_to_columns,
)
from socplan.services.exchange.setup import require_identity, trusted_der

MAX_RECORDS = 2_000_000
LOCKED_TEXT = "значение формы, принятой здесь («принято»), отличается от присланного; чтобы изменить его, снимите отметку «принято»"


@dataclass(frozen=True)
class PreviewItem:
    index: int
    kind: str
    kind_label: str
    uuid: str
    title: str
    change: Change
    reason: str = ""
    differences: tuple[tuple[str, str, str], ...] = ()  # (field, old, new)
    acceptable: bool = True

    @property
    def change_label(self) -> str:
        return self.change.label

    @property
    def default_accept(self) -> bool:
        return self.change in (Change.NEW, Change.CHANGED)


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    sha256: str
    manifest: Manifest
    signer: str
    duplicate: bool
    duplicate_text: str
    items: tuple[PreviewItem, ...]
    documents: tuple[str, ...]
    remarks: int
    package: VerifiedPackage = field(repr=False, compare=False)
    parsed: Any = field(default=None, repr=False, compare=False)  # the data entries, parsed once

    def count(self, change: Change) -> int:
        return sum(1 for i in self.items if i.change is change)

    @property
    def summary(self) -> str:
        parts = [f"{c.label}: {self.count(c)}" for c in Change if self.count(c)]
        return "; ".join(parts) or "записей нет"


@dataclass(frozen=True)
class ImportResult:
    result: str  # applied | partial | rejected | duplicate
    text: str
    applied: int
    skipped: int
    problems: tuple[str, ...] = ()


# ------------------------------------------------------------------ verification
def _authenticator(session: Session) -> tuple[Callable[[bytes, bytes], Any], Callable[[Manifest, Any], None]]:
    from socplan.signing.cms import verify_detached
    from socplan.signing.errors import SigningError

    everyone = trusted_der(session)
    state: dict[str, bytes] = {}

    def verdict_error(status: Any) -> PackageRefused:
        who = f"«{status.signer}»" + (f" (серийный номер {status.serial})" if status.serial else "")
        if status.verdict == "modified":
            return PackageRefused("signature", "Пакет отклонён: манифест изменён после подписания (подпись не "
                                               "совпадает). Ничего не загружено. Запросите пакет заново.")
        if status.verdict == "expired":
            return PackageRefused("expired", f"Пакет отклонён: срок действия сертификата отправителя {who} истёк "
                                             f"{status.valid_to:%d.%m.%Y}. Ничего не загружено. Попросите отправителя "
                                             "подписать пакет действующим сертификатом.")
        if status.verdict == "untrusted":
            return PackageRefused("untrusted", f"Пакет отклонён: сертификат отправителя {who} не входит в доверенные "
                                               "для обмена. Ничего не загружено. Если вы доверяете владельцу, добавьте "
                                               "его сертификат в «Обмен → Доверенные сертификаты».")
        return PackageRefused("signature", f"Пакет отклонён: подпись недействительна ({status.text}). "
                                           "Ничего не загружено.")

    def authenticate(manifest_raw: bytes, signature: bytes) -> Any:
        try:
            status = verify_detached(manifest_raw, signature, trusted=everyone)
        except SigningError as exc:
            raise PackageRefused("signature", f"Пакет отклонён: подпись повреждена — {exc.message} "
                                              "Ничего не загружено.") from exc
        if not status.ok:
            raise verdict_error(status)
        now = utcnow()
        # A self-signed trust anchor is accepted by path validation whatever its dates: check them here.
        if status.valid_to is not None and status.valid_to < now:
            raise verdict_error(replace(status, verdict="expired"))
        if status.valid_from is not None and status.valid_from > now:
            raise PackageRefused("expired", f"Пакет отклонён: сертификат отправителя «{status.signer}» начинает "
                                            f"действовать только {status.valid_from:%d.%m.%Y}. Ничего не загружено.")
        state["manifest"], state["signature"] = manifest_raw, signature
        return status

    def authorise(manifest: Manifest, status: Any) -> None:
        own = trusted_der(session, manifest.sender.territory)
        if not own:
            raise PackageRefused("untrusted", f"Пакет отклонён: для территории «{manifest.sender.territory}» нет "
                                              "доверенных сертификатов. Ничего не загружено.")
        check = verify_detached(state["manifest"], state["signature"], trusted=own)
        if not check.ok:
            raise PackageRefused("untrusted", f"Пакет отклонён: сертификат «{status.signer}» не является доверенным "
                                              f"для территории «{manifest.sender.territory}», от имени которой "
                                              "подписан пакет. Ничего не загружено.")

    return authenticate, authorise


def verify_package(session: Session, data: bytes, file_name: str = "",
                   limits: PackageLimits = DEFAULT_LIMITS) -> VerifiedPackage:
    me = require_identity(session)
    authenticate, authorise = _authenticator(session)
    return open_package(data, authenticate=authenticate, recipient=me.party, authorise=authorise, limits=limits,
                        file_name=file_name)


def _sender_state(session: Session, manifest: Manifest) -> ExchangeSenderState | None:
    return session.scalar(select(ExchangeSenderState).where(
        ExchangeSenderState.territory == manifest.sender.territory,
        ExchangeSenderState.organisation == manifest.sender.organisation))


def _sequence(session: Session, pkg: VerifiedPackage) -> tuple[SequenceVerdict, ExchangePackage | None]:
    state = _sender_state(session, pkg.manifest)
    previous = session.scalar(select(ExchangePackage).where(ExchangePackage.direction == "received",
                                                            ExchangePackage.sha256 == pkg.sha256).limit(1))
    known = {pkg.sha256} if previous is not None else set()
    verdict = check_sequence(pkg.manifest, state.last_sequence if state else 0, state.last_sha256 if state else "",
                             pkg.sha256, known)
    return verdict, previous


# ------------------------------------------------------------------ parsing data entries
@dataclass
class _Incoming:
    index: int
    kind: Kind
    uuid: str
    version: int
    data: dict[str, Any]
    digest: str
    problem: str = ""


def _parse_entries(pkg: VerifiedPackage) -> tuple[list[_Incoming], list[dict[str, Any]]]:
    incoming: list[_Incoming] = []
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
                item = _Incoming(index, kind, raw["uuid"][:36], raw.get("version", 1), raw["data"],
                                 content_hash(raw["data"]))
            else:
                item = _Incoming(index, kind, "", 0, {}, "", "запись имеет неверную структуру")
            incoming.append(item)
            index += 1
    return incoming, remarks


# ------------------------------------------------------------------ classification
@dataclass
class _Match:
    item: _Incoming
    local_id: int | None
    local_data: dict[str, Any] | None
    verdict: ChangeVerdict
    columns: dict[str, Any] | None = None


def _local_rows(session: Session, kind: Kind, items: list[_Incoming], resolver: Resolver) -> list[Any]:
    t = kind.table
    stmt = select(t)
    if kind.name in ("indicator_value", "form_state"):
        territories = {_freeze(i.data.get("territory")) for i in items}
        years = {i.data.get("year") for i in items if type(i.data.get("year")) is int}
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


def _classify(session: Session, incoming: list[_Incoming], progress: ProgressCallback,
              cancelled: Callable[[], bool]) -> list[_Match]:
    resolver = Resolver(session)
    accepted = resolver.accepted_forms()
    by_kind: dict[str, list[_Incoming]] = {}
    for item in incoming:
        by_kind.setdefault(item.kind.name, []).append(item)
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
        rows = _local_rows(session, kind, items, resolver)
        mappings = rec.load_mappings(session, kind.entity)
        by_uuid = rec.uuid_index(mappings)
        local_by_id: dict[int, Any] = {r.id: r for r in rows}
        local_by_key: dict[tuple, int] = {}
        local_wire: dict[int, dict[str, Any]] = {}
        if kind.key:
            for r in rows:
                wire = row_to_wire(kind, r, resolver, conv)
                local_wire[r.id] = wire
                local_by_key[key_of(kind, wire)] = r.id
        for item in items:
            if item.problem:
                matches.append(_Match(item, None, None, ChangeVerdict(Change.REFUSED, item.problem)))
                continue
            try:
                _check_refs(kind, item.data, resolver, pending)
                wire_to_columns(kind, item.data, _NoRefs(), conv)
            except RecordProblem as exc:
                matches.append(_Match(item, None, None, ChangeVerdict(Change.REFUSED, str(exc))))
                continue
            m = by_uuid.get(item.uuid)
            local_id = m.local_id if m is not None and _exists(kind, session, m.local_id, local_by_id) else None
            if local_id is None and kind.key:
                local_id = local_by_key.get(key_of(kind, item.data))
                m = mappings.get(local_id) if local_id is not None else None
            if local_id is None:
                matches.append(_Match(item, None, None, ChangeVerdict(Change.NEW)))
                continue
            row = local_by_id.get(local_id) or session.execute(select(kind.table).where(kind.table.c.id == local_id)).first()
            wire = local_wire.get(local_id) or row_to_wire(kind, row, resolver, conv)
            local_hash = content_hash(wire)
            synced = m.synced_hash if m is not None and m.synced_hash and m.uuid == item.uuid else None
            verdict = classify_change(item.digest, local_hash, synced, incoming_version=item.version,
                                      synced_version=m.version if synced else 0,
                                      locked=_is_locked(kind, row, resolver, accepted), locked_reason=LOCKED_TEXT)
            matches.append(_Match(item, local_id, wire, verdict))
    return matches


def _exists(kind: Kind, session: Session, local_id: int, known: dict[int, Any]) -> bool:
    if local_id in known:
        return True
    row = session.execute(select(kind.table).where(kind.table.c.id == local_id)).first()
    if row is not None:
        known[local_id] = row
    return row is not None


class _NoRefs:
    """Type-checks plain columns without resolving references (done separately)."""

    def to_local(self, lookup: str, wire: Any, what: str) -> int:
        return 0


def _check_refs(kind: Kind, data: dict[str, Any], resolver: Resolver, pending: dict[str, set[Any]]) -> None:
    from socplan.services.exchange.kinds import REF_WHAT

    for ref in kind.refs:
        wire = data.get(ref.wire)
        if wire is None:
            continue
        if _freeze(wire) in resolver.maps(ref.lookup)[1] or _freeze(wire) in pending.get(ref.lookup, ()):
            continue
        shown = " / ".join(map(str, wire)) if isinstance(wire, list) else wire
        raise RecordProblem(f"{REF_WHAT.get(ref.lookup, ref.lookup)} «{shown}» нет ни в этой базе, ни в пакете")


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
        kind = m.item.kind
        locked = m.verdict.change is Change.CONFLICT and m.verdict.reason == LOCKED_TEXT
        title = safe_describe(kind, m.item.data) or m.item.uuid
        items.append(PreviewItem(
            m.item.index, kind.name, kind.label, m.item.uuid, title, m.verdict.change, m.verdict.reason,
            _differences(kind, m.local_data, m.item.data) if m.verdict.change is not Change.REFUSED else (),
            acceptable=m.verdict.change in (Change.NEW, Change.CHANGED, Change.CONFLICT) and not locked))
    return tuple(items)


# ------------------------------------------------------------------ use cases
def preview_import(ctx: AppContext, path: Path | None = None, *, data: bytes | None = None,
                   progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False,
                   limits: PackageLimits = DEFAULT_LIMITS) -> ImportPreview:
    """Verify the package and compare its records with this database. Writes nothing."""
    file_name = Path(path).name if path is not None else "пакет"
    if data is None:
        data = read_package_file(Path(path), limits)
    progress(0, 3, "Проверка подписи и контрольных сумм")
    with ctx.uow() as s:
        pkg = verify_package(s, data, file_name, limits)
        verdict, previous = _sequence(s, pkg)
        signer = f"{pkg.signer.signer}" + (f", {pkg.signer.position}" if pkg.signer.position else "")
        docs = tuple(n for n in pkg.entries if n.startswith("reports/"))
        if verdict is SequenceVerdict.DUPLICATE:
            when = f"{previous.processed_at:%d.%m.%Y %H:%M}" if previous else ""
            return ImportPreview(file_name, pkg.sha256, pkg.manifest, signer, True,
                                 f"Этот пакет уже загружен {when} (результат: {_RESULTS.get(previous.result, '')}). "
                                 "Повторная загрузка ничего не изменит.", (), docs, 0, pkg)
        progress(1, 3, "Чтение данных")
        incoming, remarks = _parse_entries(pkg)
        matches = _classify(s, incoming, progress, cancelled)
        s.rollback()  # nothing is written by a preview
    progress(3, 3, "Готово")
    return ImportPreview(file_name, pkg.sha256, pkg.manifest, signer, False, "", _preview_items(matches), docs,
                         len(remarks), pkg, (incoming, remarks))


_RESULTS = {"applied": "принят", "partial": "принят частично", "rejected": "отклонён", "sent": "отправлен",
            "duplicate": "повтор"}


def result_label(result: str) -> str:
    return _RESULTS.get(result, result)


def _journal(s: Session, ctx: AppContext, preview: ImportPreview, result: str, text: str, applied: int,
             skipped: int) -> ExchangePackage:
    m = preview.manifest
    row = ExchangePackage(
        direction="received", package_uuid=m.package_id, file_name=preview.file_name, sha256=preview.sha256,
        size=preview.package.size, sequence=m.sequence, sender_territory=m.sender.territory,
        sender_organisation=m.sender.organisation, recipient_territory=m.recipient.territory,
        recipient_organisation=m.recipient.organisation, period_from=m.period_from, period_to=m.period_to,
        created_at=m.created_at, user_name=ctx.user.name, signer=preview.signer, result=result, result_text=text,
        contents=_contents(m), applied=applied, skipped=skipped)
    s.add(row)
    state = _sender_state(s, m) or ExchangeSenderState(territory=m.sender.territory, organisation=m.sender.organisation)
    state.last_sequence, state.last_sha256, state.updated_at = m.sequence, preview.sha256, utcnow()
    s.add(state)
    s.flush()
    return row


def _contents(m: Manifest) -> str:
    from socplan.services.exchange.export import _contents_text

    return _contents_text(dict(m.contents), tuple(e.name for e in m.entries if e.name.startswith("reports/")))


def reject_import(ctx: AppContext, preview: ImportPreview, reason: str = "") -> ImportResult:
    """The user rejected the whole package: only the journal records it (with the sequence, so it is not re-offered
    as new)."""
    if preview.duplicate:
        return ImportResult("duplicate", preview.duplicate_text, 0, 0)
    text = "Пакет отклонён пользователем" + (f": {reason}" if reason else "")
    with ctx.uow(reason="Отклонение пакета обмена") as s:
        verdict, _ = _sequence(s, preview.package)
        if verdict is SequenceVerdict.DUPLICATE:
            return ImportResult("duplicate", "Этот пакет уже загружен.", 0, 0)
        _journal(s, ctx, preview, "rejected", text, 0, len(preview.items))
        s.commit()
    return ImportResult("rejected", text, 0, len(preview.items))


def apply_import(ctx: AppContext, preview: ImportPreview, accepted: Iterable[int] | None = None,
                 progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False) -> ImportResult:
    """Apply the accepted records (indexes of ``preview.items``; None: every new and changed record).

    Everything is re-checked inside the transaction; a record whose situation changed since the preview is
    re-classified (a refused or locked one is never applied). All or nothing: cancel leaves nothing written.
    """
    if preview.duplicate:
        return ImportResult("duplicate", preview.duplicate_text, 0, 0)
    chosen = ({i.index for i in preview.items if i.default_accept} if accepted is None else set(accepted))
    with ctx.uow(reason=f"Загрузка пакета обмена № {preview.manifest.sequence} от {preview.manifest.sender.text}") as s:
        verdict, _ = _sequence(s, preview.package)
        if verdict is SequenceVerdict.DUPLICATE:
            return ImportResult("duplicate", "Этот пакет уже загружен; повторная загрузка ничего не изменила.", 0, 0)
        incoming, remarks = preview.parsed or _parse_entries(preview.package)
        matches = _classify(s, incoming, lambda *a: None, cancelled)
        applied, skipped, problems = _apply(s, matches, chosen, progress, cancelled)
        new_remarks = _apply_remarks(s, remarks)
        remark_count = len(new_remarks)
        total = len(matches)
        result = "applied" if applied + remark_count and skipped == 0 else ("partial" if applied + remark_count else "rejected")
        text = f"Принято записей: {applied} из {total}" + (f"; замечаний: {remark_count}" if remark_count else "")
        if problems:
            text += f"; не применено: {len(problems)}"
        journal = _journal(s, ctx, preview, result, text, applied, skipped)
        for name, content in preview.package.entries.items():
            if name.startswith("reports/"):
                from socplan.domain.exchange import sha256_hex

                s.add(ExchangeDocument(package_id=journal.id, name=name[len("reports/"):], sha256=sha256_hex(content),
                                       data=content))
        for remark in new_remarks:
            remark.package_id = journal.id
        write_audit(s, [{"action": "import", "entity": "exchange_package", "entity_id": str(journal.id),
                         "new": f"пакет № {preview.manifest.sequence} от «{preview.manifest.sender.text}»: {text}"}])
        if cancelled():
            raise Cancelled()
        s.commit()
    return ImportResult(result, text, applied, skipped, tuple(problems))


def _apply(s: Session, matches: list[_Match], chosen: set[int], progress: ProgressCallback,
           cancelled: Callable[[], bool]) -> tuple[int, int, list[str]]:
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
        mappings = rec.load_mappings(s, kind.entity)
        inserts: list[tuple[_Match, dict[str, Any]]] = []
        updates: list[tuple[_Match, dict[str, Any]]] = []
        synced: list[tuple[int, str, int, str]] = []
        for m in todo:
            change = m.verdict.change
            take = m.item.index in chosen and change in (Change.NEW, Change.CHANGED, Change.CONFLICT) \
                and m.verdict.reason != LOCKED_TEXT
            if change is Change.UNCHANGED and m.local_id is not None:
                synced.append((m.local_id, m.item.uuid, m.item.version, m.item.digest))
                continue
            if not take:
                skipped += 1
                continue
            try:
                values = wire_to_columns(kind, m.item.data, resolver, conv)
            except RecordProblem as exc:
                problems.append(f"{kind.label}: {safe_describe(kind, m.item.data)} — {exc}")
                skipped += 1
                continue
            (inserts if m.local_id is None else updates).append((m, values))
        if kind.self_ref or kind.uuid_lookup:
            # Parents first; children resolve their parent through the resolver as soon as it exists.
            for m, values in inserts:
                try:
                    values = wire_to_columns(kind, m.item.data, resolver, conv)
                except RecordProblem as exc:
                    problems.append(f"{kind.label}: {safe_describe(kind, m.item.data)} — {exc}")
                    skipped += 1
                    continue
                new_id = s.connection().execute(insert(t).values(**_defaults(kind, values))).inserted_primary_key[0]
                m.local_id = new_id
                _remember(kind, resolver, new_id, m.item)
                synced.append((new_id, m.item.uuid, m.item.version, m.item.digest))
                applied += 1
        elif inserts:
            rows = [_defaults(kind, v) for _, v in inserts]
            result = s.connection().execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), rows)
            for (m, _), (new_id,) in zip(inserts, result.all()):
                m.local_id = new_id
                _remember(kind, resolver, new_id, m.item)
                synced.append((new_id, m.item.uuid, m.item.version, m.item.digest))
            applied += len(inserts)
        if inserts:
            audit.append({"action": "insert", "entity": t.name, "entity_id": "пакет",
                          "new": f"{kind.label}: добавлено {len(inserts)}"})
        if updates:
            for m, values in updates:
                s.connection().execute(update(t).where(t.c.id == m.local_id).values(**values))
                for label, old, new in _differences(kind, m.local_data, m.item.data):
                    audit.append({"action": "update", "entity": t.name, "entity_id": str(m.local_id),
                                  "field": label, "old": old, "new": new})
                synced.append((m.local_id, m.item.uuid, m.item.version, m.item.digest))
            applied += len(updates)
        rec.mark_synced(s, kind.entity, _dedupe_uuids(s, kind, synced, mappings), mappings)
        if kind.uuid_lookup:
            resolver.invalidate(kind.uuid_lookup)
    write_audit(s, audit)
    return applied, skipped, problems


def _dedupe_uuids(s: Session, kind: Kind, synced: list[tuple[int, str, int, str]],
                  mappings: dict[int, rec.Mapping]) -> list[tuple[int, str, int, str]]:
    """An incoming UUID already held by another local mapping row of this entity: drop that stale row first."""
    by_uuid = rec.uuid_index(mappings)
    from socplan.db.models.exchange import ExchangeRecord

    stale = [by_uuid[u].id for local_id, u, _, _ in synced if u in by_uuid and by_uuid[u].local_id != local_id]
    if stale:
        s.connection().execute(ExchangeRecord.__table__.delete().where(ExchangeRecord.__table__.c.id.in_(stale)))
        for local_id in [m.local_id for m in mappings.values() if m.id in stale]:
            mappings.pop(local_id, None)
    return synced


def _defaults(kind: Kind, values: dict[str, Any]) -> dict[str, Any]:
    """Column defaults the ORM would apply (Core inserts do not see Python-side defaults)."""
    out = dict(values)
    for col in kind.table.columns:
        if col.name in out or col.primary_key:
            continue
        if col.default is not None and getattr(col.default, "is_scalar", False):
            out[col.name] = col.default.arg
        elif col.default is not None and callable(getattr(col.default, "arg", None)):
            out[col.name] = col.default.arg(None)
    return out


def _remember(kind: Kind, resolver: Resolver, new_id: int, item: _Incoming) -> None:
    if kind.uuid_lookup:
        resolver.remember(kind.uuid_lookup, new_id, item.uuid)
    natural = NATURAL_LOOKUPS.get(kind.name)
    if natural:
        resolver.remember(natural, new_id, lookup_value(kind, item.data))
        if kind.name == "indicator":
            resolver.invalidate("_indicator_form")


def _apply_remarks(s: Session, remarks: list[dict[str, Any]]) -> list[ExchangeRemark]:
    """Remarks on values («на доработку»): attached to the local value found by UUID or by its natural key."""
    if not remarks:
        return []
    kind = KIND_BY_NAME["indicator_value"]
    resolver = Resolver(s)
    mappings = rec.load_mappings(s, kind.entity)
    by_uuid = rec.uuid_index(mappings)
    known = rec.load_mappings(s, ExchangeRemark.__tablename__)
    known_uuids = {m.uuid for m in known.values()}
    conv = converters(kind)
    created: list[ExchangeRemark] = []
    new_maps = []
    for r in remarks:
        uuid, text = r.get("uuid"), r.get("text")
        if not isinstance(uuid, str) or not isinstance(text, str) or not text.strip() or uuid in known_uuids:
            continue
        target_uuid = r.get("target_uuid")
        local_id = by_uuid[target_uuid].local_id if isinstance(target_uuid, str) and target_uuid in by_uuid else None
        if local_id is None and isinstance(r.get("target"), dict):
            try:
                cols = wire_to_columns(kind, r["target"], resolver, conv)
            except RecordProblem:
                continue
            t = kind.table
            local_id = s.scalar(select(t.c.id).where(*(t.c[k] == cols.get(k) for k in (
                "indicator_id", "component", "territory_id", "year", "period_kind", "period_no", "kind"))))
        if local_id is None:
            continue
        remark = ExchangeRemark(entity=kind.entity, local_id=local_id, record_uuid=str(r.get("target_uuid", ""))[:36],
                                text=text.strip()[:10000], author=str(r.get("author", ""))[:500],
                                created_at=_when(r.get("created_at")))
        s.add(remark)
        s.flush()
        new_maps.append((remark.id, uuid[:36], 1, ""))
        known_uuids.add(uuid)
        created.append(remark)
    rec.mark_synced(s, ExchangeRemark.__tablename__, new_maps, {})
    return created


def _when(value: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return utcnow()


def import_file(ctx: AppContext, path: Path, *, accept_all: bool = False, accept_conflicts: bool = False,
                progress: ProgressCallback = no_progress) -> tuple[ImportPreview, ImportResult | None]:
    """Headless import: preview, then (if asked) accept every new and changed record, and conflicts if asked."""
    preview = preview_import(ctx, path, progress=progress)
    if not accept_all:
        return preview, None
    chosen = [i.index for i in preview.items
              if i.default_accept or (accept_conflicts and i.change is Change.CONFLICT and i.acceptable)]
    return preview, apply_import(ctx, preview, chosen, progress)
