"""Importing a package: verify (nothing written), preview (new / changed side by side / conflicts / refused),
then apply what the user accepted — or reject — in one unit of work, with the journal entry.

Importing the same package twice changes nothing; a package older than one already imported from the same
sender is refused; values of a form marked «принято» here are locked (an incoming difference is a conflict
that cannot be accepted until the mark is removed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.base import utcnow
from socplan.db.models.exchange import ExchangeDocument, ExchangePackage, ExchangeRemark, ExchangeSenderState
from socplan.domain.errors import Cancelled, SocPlanError
from socplan.domain.roles import Action
from socplan.domain.exchange import DEFAULT_LIMITS, Change, Manifest, PackageLimits, SequenceVerdict
from socplan.io.exchange_package import VerifiedPackage, read_package_file
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.exchange import records as rec
from socplan.services.bulk import paused_collector
from socplan.services.exchange.compare import PreviewItem, _parse_entries, _preview_items, match_records, read_basis
from socplan.services.exchange.kinds import KIND_BY_NAME, RecordProblem, Resolver, converters, wire_to_columns
from socplan.services.exchange.scope import check_records
from socplan.services.exchange.setup import require_identity
from socplan.services.exchange.writing import write_records
from socplan.services.exchange.verify import sender_state, sequence_verdict, verify_package
from socplan.services.permissions import require

__all__ = ["ImportPreview", "ImportResult", "PreviewItem", "preview_import", "apply_import", "reject_import",
           "import_file", "result_label", "IncomingRemark", "incoming_remarks"]


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
    package: VerifiedPackage = field(repr=False, compare=False)  # without its data entries once they are parsed
    parsed: Any = field(default=None, repr=False, compare=False)  # the data entries, parsed once
    compared: Any = field(default=None, repr=False, compare=False)  # (basis, matches): what the preview compared

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



@dataclass(frozen=True)
class IncomingRemark:
    """A remark of the Ministry in a package («на доработку»), shown in the preview before it is accepted."""

    cell: str  # «Тарский муниципальный район: ГП/1 А, факт, 2024 г.»
    text: str
    author: str


def incoming_remarks(preview: ImportPreview) -> list[IncomingRemark]:
    """The remarks the package carries, with the value each one is about (read from the package, writes nothing)."""
    if not preview.parsed:
        return []
    _incoming, remarks = preview.parsed
    kind = KIND_BY_NAME["indicator_value"]
    out = []
    for r in remarks:
        text = r.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        target = r.get("target")
        try:
            cell = kind.describe(target) if isinstance(target, dict) else "значение не указано"
        except Exception:  # noqa: BLE001 - a malformed target is shown as such, the remark is not dropped
            cell = "значение не распознано"
        out.append(IncomingRemark(str(cell), text.strip(), str(r.get("author", ""))))
    return out


# ------------------------------------------------------------------ use cases
def _require_import(ctx: AppContext, s: Session, manifest: Manifest) -> None:
    """Districts' packages are loaded by the Ministry's analyst (or administrator); the Ministry's packages by a
    district officer only when they are addressed to its territory (domain/roles.py)."""
    if manifest.direction == "to_ministry":
        require(ctx, Action.IMPORT_DISTRICT_PACKAGES)
        return
    from socplan.db.models.reference import Territory

    tid = s.scalar(select(Territory.id).where(Territory.name == manifest.recipient.territory))
    require(ctx, Action.IMPORT_RETURNS, tid if tid is not None else 0, manifest.recipient.territory)


def preview_import(ctx: AppContext, path: Path | None = None, *, data: bytes | None = None,
                   progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False,
                   limits: PackageLimits = DEFAULT_LIMITS) -> ImportPreview:
    """Verify the package and compare its records with this database. Writes nothing."""
    file_name = Path(path).name if path is not None else "пакет"
    if data is None:
        data = read_package_file(Path(path), limits)
    progress(0, 3, "Проверка подписи и контрольных сумм")
    with paused_collector(), ctx.uow() as s:
        pkg = verify_package(s, data, file_name, limits)
        _require_import(ctx, s, pkg.manifest)
        verdict, previous = sequence_verdict(s, pkg)
        signer = f"{pkg.signer.signer}" + (f", {pkg.signer.position}" if pkg.signer.position else "")
        docs = tuple(n for n in pkg.entries if n.startswith("reports/"))
        if verdict is SequenceVerdict.DUPLICATE:
            when = f"{previous.processed_at:%d.%m.%Y %H:%M}" if previous else ""
            return ImportPreview(file_name, pkg.sha256, pkg.manifest, signer, True,
                                 f"Этот пакет уже загружен {when} (результат: {_RESULTS.get(previous.result, '')}). "
                                 "Повторная загрузка ничего не изменит.", (), docs, 0, pkg)
        progress(1, 3, "Чтение данных")
        incoming, remarks = _parse_entries(pkg)
        # The data entries live on as ``parsed``; their bytes (tens of MB for a year of values) are not kept twice.
        pkg = replace(pkg, entries={n: b for n, b in pkg.entries.items() if not n.startswith("data/")})
        check_records(s, pkg.manifest, require_identity(s).role, incoming, remarks)
        basis = read_basis(s, incoming)
        matches = match_records(basis, incoming, progress, cancelled)
        s.rollback()  # nothing is written by a preview
        preview = ImportPreview(file_name, pkg.sha256, pkg.manifest, signer, False, "", _preview_items(matches),
                                docs, len(remarks), pkg, (incoming, remarks), (basis, matches))
    progress(3, 3, "Готово")
    return preview


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
    state = sender_state(s, m) or ExchangeSenderState(territory=m.sender.territory, organisation=m.sender.organisation)
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
        _require_import(ctx, s, preview.manifest)
        verdict, _ = sequence_verdict(s, preview.package)
        if verdict is SequenceVerdict.DUPLICATE:
            return ImportResult("duplicate", "Этот пакет уже загружен.", 0, 0)
        _journal(s, ctx, preview, "rejected", text, 0, len(preview.items))
        s.commit()
    return ImportResult("rejected", text, 0, len(preview.items))


def apply_import(ctx: AppContext, preview: ImportPreview, accepted: Iterable[int] | None = None,
                 progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False) -> ImportResult:
    """Apply the accepted records (indexes of ``preview.items``; None: every new and changed record).

    Everything is re-checked inside the transaction; a record whose situation changed since the preview is
    re-classified (a refused or locked one is never applied, nor is one that became a conflict since the preview
    showed it as new or changed: the user did not see that conflict). All or nothing: cancel leaves nothing written.
    """
    if preview.duplicate:
        return ImportResult("duplicate", preview.duplicate_text, 0, 0)
    chosen = ({i.index for i in preview.items if i.change is Change.NEW or i.change is Change.CHANGED}
              if accepted is None else set(accepted))  # «accept all»: what ``PreviewItem.default_accept`` says
    reason = f"Загрузка пакета обмена № {preview.manifest.sequence} от {preview.manifest.sender.text}"
    with paused_collector(), ctx.uow(reason=reason) as s:
        _require_import(ctx, s, preview.manifest)
        verdict, _ = sequence_verdict(s, preview.package)
        if verdict is SequenceVerdict.DUPLICATE:
            return ImportResult("duplicate", "Этот пакет уже загружен; повторная загрузка ничего не изменила.", 0, 0)
        incoming, remarks = preview.parsed  # set by every preview that is not a duplicate
        check_records(s, preview.manifest, require_identity(s).role, incoming, remarks, contents_checked=True)
        # The comparison's basis is read again inside this transaction: unchanged since the preview, its verdicts
        # hold; otherwise every record is compared again (what changed here meanwhile is never overwritten blindly).
        basis = read_basis(s, incoming)
        seen_basis, seen_matches = preview.compared
        matches = seen_matches if basis == seen_basis else match_records(basis, incoming, lambda *a: None, cancelled)
        try:
            seen_conflicts = {i.index for i in preview.items if i.change is Change.CONFLICT}
            applied, skipped, problems = write_records(s, matches, chosen, seen_conflicts, progress, cancelled)
        except IntegrityError as exc:
            raise SocPlanError("Пакет не удалось применить: записи пакета противоречат данным этой базы "
                               f"({str(exc.orig)[:200]}). Ничего не записано. Сообщите отправителю.") from exc
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
