"""Forming a package («Сформировать пакет»): select the records for the recipient and period, give them stable
UUIDs and versions, sign the manifest, write the ``.spkg`` file and the journal entry in one unit of work."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from socplan import __version__
from socplan.db.audit import write_audit
from socplan.db.models.exchange import ExchangePackage, ExchangeRemark
from socplan.db.models.indicators import Indicator, IndicatorForm
from socplan.db.models.plans import Plan, PlanEvent, PlanEventOrganisation
from socplan.db.models.reference import Organisation, Territory
from socplan.db.models.reports import ReportRecord
from socplan.db.models.subsidies import SubsidyApplication, SubsidyRound
from socplan.domain.errors import Cancelled, SocPlanError, ValidationError
from socplan.domain.roles import Action
from socplan.domain.exchange import (
    Manifest,
    Party,
    content_hash,
    new_uuid,
    package_file_name,
    period_overlaps,
)
from socplan.io.exchange_package import build_package, write_file_atomically
from socplan.services.context import AppContext, ProgressCallback, no_progress
from socplan.services.exchange import records as rec
from socplan.services.bulk import paused_collector
from socplan.services.exchange.kinds import KIND_BY_NAME, Kind, Resolver, converters, row_to_wire
from socplan.services.exchange.setup import require_identity
from socplan.services.permissions import require_territory

#: What each direction carries by default (kinds in dependency order).
DEFAULT_KINDS = {
    "to_ministry": ("indicator_value", "form_state", "control_point", "subsidy_application", "subsidy_document"),
    "to_district": ("territory", "organisation", "unit", "person", "indicator_form", "indicator",
                    "indicator_component", "indicator_value", "form_state", "plan", "plan_event", "control_point",
                    "subsidy_round"),
}
REMARKS_ENTRY = "data/remarks.json"


@dataclass(frozen=True)
class ExportRequest:
    recipient_territory: str
    period_from: dt.date
    period_to: dt.date
    recipient_organisation: str = ""
    kinds: tuple[str, ...] = ()  # empty: the direction's defaults
    forms: tuple[str, ...] = ()  # indicator form codes; empty: all
    plan_ids: tuple[int, ...] = ()  # empty: plans overlapping the period
    report_ids: tuple[int, ...] = ()  # signed reports from the reports journal
    report_files: tuple[Path, ...] = ()
    include_remarks: bool = True


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sequence: int
    sha256: str
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    documents: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        parts = [f"{KIND_BY_NAME[k].label.lower() if k in KIND_BY_NAME else k}: {n}" for k, n in self.counts.items()]
        return "; ".join(parts) or "нет записей"


@dataclass
class _Scope:
    direction: str
    territory_id: int  # whose data: the district's own (to_ministry) or the recipient's (to_district)
    territory: str
    start: dt.date
    end: dt.date
    forms: tuple[str, ...]
    plan_ids: tuple[int, ...]
    event_ids: set[int] = field(default_factory=set)


def load_signer(pkcs12_path: str | Path, password: str) -> Any:
    """Open this office's signing key (.pfx/.p12); the password is used once and not kept."""
    from socplan.signing.certificates import load_pkcs12

    return load_pkcs12(pkcs12_path, password)


def _form_filter(scope: _Scope, column: Any) -> Any:
    return column.in_(select(IndicatorForm.id).where(IndicatorForm.code.in_(scope.forms))) if scope.forms else True


def _select_rows(session: Session, kind: Kind, scope: _Scope) -> list[Any]:
    t = kind.table
    stmt = select(t)
    years = (scope.start.year, scope.end.year)
    if kind.name == "indicator_form":
        stmt = stmt.where(IndicatorForm.code.in_(scope.forms)) if scope.forms else stmt
    elif kind.name == "indicator":
        stmt = stmt.where(_form_filter(scope, t.c.form_id))
    elif kind.name == "indicator_component":
        stmt = stmt.where(t.c.indicator_id.in_(select(Indicator.id).where(_form_filter(scope, Indicator.form_id))))
    elif kind.name == "indicator_value":
        stmt = stmt.where(t.c.territory_id == scope.territory_id, t.c.year.between(*years),
                          t.c.indicator_id.in_(select(Indicator.id).where(_form_filter(scope, Indicator.form_id))))
        if scope.direction == "to_district":
            stmt = stmt.where(t.c.kind == "plan")  # templates: the plans the district reports against
    elif kind.name == "form_state":
        stmt = stmt.where(t.c.territory_id == scope.territory_id, t.c.year.between(*years),
                          _form_filter(scope, t.c.form_id))
    elif kind.name == "plan":
        stmt = stmt.where(t.c.id.in_(scope.plan_ids))
    elif kind.name == "plan_event":
        stmt = stmt.where(t.c.id.in_(scope.event_ids)) if scope.event_ids else stmt.where(t.c.plan_id.in_(scope.plan_ids))
    elif kind.name == "control_point":
        stmt = stmt.where(t.c.due_date.between(scope.start, scope.end))
        if scope.direction == "to_ministry":
            stmt = stmt.where(or_(t.c.status != "not_started", t.c.reported_on.is_not(None), t.c.info != ""))
        if scope.event_ids:
            stmt = stmt.where(t.c.event_id.in_(scope.event_ids))
        elif scope.direction == "to_district":
            stmt = stmt.where(t.c.event_id.in_(select(PlanEvent.id).where(PlanEvent.plan_id.in_(scope.plan_ids))))
    elif kind.name == "subsidy_round":
        stmt = stmt.where(t.c.year.between(*years))
    elif kind.name == "subsidy_application":
        stmt = stmt.where(t.c.territory_id == scope.territory_id,
                          t.c.round_id.in_(select(SubsidyRound.id).where(SubsidyRound.year.between(*years))))
    elif kind.name == "subsidy_document":
        stmt = stmt.where(t.c.application_id.in_(select(SubsidyApplication.id).join(SubsidyRound).where(
            SubsidyApplication.territory_id == scope.territory_id, SubsidyRound.year.between(*years))))
    stmt = stmt.order_by(*(t.c[c] for c in kind.order_by))
    rows = session.execute(stmt).all()
    if kind.name in ("indicator_value", "form_state"):
        rows = [r for r in rows if period_overlaps(r.year, r.period_kind, r.period_no, scope.start, scope.end)]
    return rows


def _plans_in_scope(session: Session, scope: _Scope) -> tuple[int, ...]:
    if scope.plan_ids:
        return scope.plan_ids
    return tuple(session.scalars(select(Plan.id).where(Plan.year_from <= scope.end.year,
                                                       Plan.year_to >= scope.start.year)))


def _district_events(session: Session, scope: _Scope) -> set[int]:
    """The recipient district's events (an organisation of its territory takes part), with their parents."""
    orgs = select(Organisation.id).where(Organisation.territory_id == scope.territory_id)
    own = set(session.scalars(select(PlanEventOrganisation.event_id).join(PlanEvent).where(
        PlanEvent.plan_id.in_(scope.plan_ids), PlanEventOrganisation.organisation_id.in_(orgs))))
    own |= set(session.scalars(select(PlanEvent.id).where(
        PlanEvent.plan_id.in_(scope.plan_ids), or_(*(PlanEvent.executors_text.contains(p)
                                                     for p in _name_phrases(scope.territory))))))
    if not own:
        return set()
    parents = dict(session.execute(select(PlanEvent.id, PlanEvent.parent_id).where(PlanEvent.plan_id.in_(scope.plan_ids))).all())
    result = set()
    for event_id in own:
        while event_id is not None and event_id not in result:
            result.add(event_id)
            event_id = parents.get(event_id)
    return result


def _name_phrases(territory: str) -> list[str]:
    """How an executors cell names a territory: «Азовский …» in any case ending; «город Омск» / «города Омска»
    (a bare «Омск» would also match «Омской области»)."""
    words = territory.split()
    if words and words[0] == "город":
        return [territory, f"города {' '.join(words[1:])}а", f"г. {' '.join(words[1:])}"]
    return [words[0][:-2]] if words and len(words[0]) > 5 else [territory]


def _uuid_refs(session: Session, kind: Kind, rows: list[Any]) -> None:
    for ref in kind.refs:
        if ref.lookup.startswith("uuid:"):
            ids = [getattr(r, ref.column) for r in rows if getattr(r, ref.column) is not None]
            rec.ensure_uuids(session, ref.lookup[5:], ids)


def _remarks(session: Session, scope: _Scope, resolver: Resolver) -> list[dict[str, Any]]:
    """Unresolved remarks written here on the recipient's values («на доработку»)."""
    kind = KIND_BY_NAME["indicator_value"]
    t = kind.table
    rows = session.execute(select(ExchangeRemark, t).join(t, and_(ExchangeRemark.entity == t.name,
                                                                  ExchangeRemark.local_id == t.c.id))
                           .where(ExchangeRemark.package_id.is_(None), ExchangeRemark.resolved.is_(False),
                                  t.c.territory_id == scope.territory_id)).all()
    if not rows:
        return []
    conv = converters(kind)
    maps = rec.ensure_uuids(session, t.name, [r[0].local_id for r in rows])
    remark_maps = rec.ensure_uuids(session, ExchangeRemark.__tablename__, [r[0].id for r in rows])
    out = []
    for row in rows:
        remark = row[0]
        target = row_to_wire(kind, row, resolver, conv)
        out.append({"uuid": remark_maps[remark.id].uuid, "target_kind": kind.name,
                    "target_uuid": maps[remark.local_id].uuid, "target": target, "text": remark.text,
                    "author": remark.author, "created_at": remark.created_at.isoformat()})
    return out


def _next_sequence(session: Session, recipient: Party) -> int:
    last = session.scalar(select(ExchangePackage.sequence).where(
        ExchangePackage.direction == "sent", ExchangePackage.recipient_territory == recipient.territory)
        .order_by(ExchangePackage.sequence.desc()).limit(1))
    return (last or 0) + 1


def _reports(session: Session, request: ExportRequest) -> dict[str, bytes]:
    docs: dict[str, bytes] = {}
    for report_id in request.report_ids:
        r = session.get(ReportRecord, report_id)
        if r is None:
            raise ValidationError("reports", f"Отчёт № {report_id} не найден в журнале отчётов.")
        docs[f"reports/{report_id:05d}-{_safe_name(r.file_name or r.title)}"] = r.data
    for path in request.report_files:
        try:
            docs[f"reports/{_safe_name(Path(path).name)}"] = Path(path).read_bytes()
        except OSError as exc:
            raise ValidationError("reports", f"Не удалось прочитать файл «{path}»: {exc.strerror}.") from exc
    return docs


def _safe_name(name: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_.,()№" else "_" for ch in name).strip(" .") or "документ"
    if not safe.lower().endswith(".pdf"):
        safe += ".pdf"
    return safe[:150]


def export_package(ctx: AppContext, request: ExportRequest, target: Path, signer: Any,
                   progress: ProgressCallback = no_progress, cancelled: Callable[[], bool] = lambda: False,
                   *, sign: Callable[[bytes], bytes] | None = None) -> ExportResult:
    """Form, sign and write a package. ``target``: a folder (a readable name is chosen) or a file path.

    ``signer``: this office's opened key (``load_signer``); ``sign`` overrides the signing function (tests).
    """
    if request.period_to < request.period_from:
        raise ValidationError("period", "Окончание периода раньше начала. Исправьте период.")
    with paused_collector(), ctx.uow(reason="Формирование пакета обмена") as s:
        me = require_identity(s)
        direction = "to_district" if me.role == "ministry" else "to_ministry"
        recipient_t = s.scalar(select(Territory).where(Territory.name == request.recipient_territory))
        if recipient_t is None:
            raise ValidationError("recipient", f"Получатель «{request.recipient_territory}» не найден в справочнике "
                                               "территорий.")
        if recipient_t.name == me.territory:
            raise ValidationError("recipient", "Получатель совпадает с отправителем. Выберите другую территорию.")
        own = s.scalar(select(Territory.id).where(Territory.name == me.territory))
        data_t = recipient_t if direction == "to_district" else s.get(Territory, own)
        require_territory(ctx, Action.EXPORT_PACKAGE, data_t)
        scope = _Scope(direction, data_t.id, data_t.name, request.period_from, request.period_to,
                       tuple(request.forms), tuple(request.plan_ids))
        kinds = request.kinds or DEFAULT_KINDS[direction]
        unknown = [k for k in kinds if k not in KIND_BY_NAME]
        if unknown:
            raise ValidationError("kinds", f"Неизвестный вид данных «{unknown[0]}». Допустимы: {', '.join(KIND_BY_NAME)}.")
        if any(k in kinds for k in ("plan", "plan_event", "control_point")):
            scope.plan_ids = _plans_in_scope(s, scope)
            if direction == "to_district":
                scope.event_ids = _district_events(s, scope)
        resolver = Resolver(s)
        entries: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        ordered = [k for k in KIND_BY_NAME if k in kinds]
        for step, name in enumerate(ordered):
            if cancelled():
                raise Cancelled()
            kind = KIND_BY_NAME[name]
            progress(step, len(ordered) + 2, f"Отбор: {kind.label.lower()}")
            rows = _select_rows(s, kind, scope)
            if not rows:
                continue
            _uuid_refs(s, kind, rows)
            for ref in kind.refs:
                if ref.lookup.startswith("uuid:"):
                    resolver.invalidate(ref.lookup)
            conv = converters(kind)
            wires = [row_to_wire(kind, row, resolver, conv) for row in rows]
            digests = [content_hash(w) for w in wires]
            ids = rec.sync_sent(s, kind.entity, [(row.id, d) for row, d in zip(rows, digests)])
            out = [{"uuid": ids[row.id][0], "version": ids[row.id][1], "data": w} for row, w in zip(rows, wires)]
            if kind.uuid_lookup:
                resolver.invalidate(kind.uuid_lookup)
            entries[f"data/{name}.json"] = json.dumps({"kind": name, "records": out}, ensure_ascii=False,
                                                      separators=(",", ":")).encode("utf-8")
            counts[name] = len(out)
        if request.include_remarks and direction == "to_district":
            remarks = _remarks(s, scope, resolver)
            if remarks:
                entries[REMARKS_ENTRY] = json.dumps({"kind": "remark", "records": remarks}, ensure_ascii=False,
                                                    separators=(",", ":")).encode("utf-8")
                counts["remark"] = len(remarks)
        docs = _reports(s, request)
        entries.update(docs)
        if not counts and not docs:
            raise SocPlanError("За выбранный период нет данных для пакета. Выберите другой период или виды данных.")
        if cancelled():
            raise Cancelled()
        progress(len(ordered), len(ordered) + 2, "Подписание")
        sender = Party(me.territory, me.organisation)
        recipient = Party(recipient_t.name, request.recipient_organisation)
        draft = Manifest(package_id=new_uuid(), direction=direction, sender=sender, recipient=recipient,
                         period_from=request.period_from, period_to=request.period_to,
                         created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0),
                         sequence=_next_sequence(s, recipient), app_version=__version__, entries=(),
                         author=", ".join(filter(None, (ctx.user.name, ctx.user.position))), contents=counts)
        if sign is None:
            from socplan.signing.cms import sign_detached

            def sign(raw: bytes) -> bytes:
                return sign_detached(raw, signer)
        manifest, blob = build_package(draft, entries, sign)
        target = Path(target)
        path = target / package_file_name(manifest) if target.is_dir() else target
        if path.suffix.lower() != ".spkg":
            path = path.with_name(path.name + ".spkg")
        from socplan.domain.exchange import sha256_hex

        digest = sha256_hex(blob)
        signer_text = ""
        if signer is not None and hasattr(signer, "info"):
            signer_text = f"{signer.info.owner} (серийный номер {signer.info.serial})"
        journal = ExchangePackage(
            direction="sent", package_uuid=manifest.package_id, file_name=path.name, sha256=digest, size=len(blob),
            sequence=manifest.sequence, sender_territory=sender.territory, sender_organisation=sender.organisation,
            recipient_territory=recipient.territory, recipient_organisation=recipient.organisation,
            period_from=manifest.period_from, period_to=manifest.period_to, created_at=manifest.created_at,
            user_name=ctx.user.name, signer=signer_text, result="sent", result_text="Пакет сформирован и подписан",
            contents=_contents_text(counts, docs), applied=sum(counts.values()))
        s.add(journal)
        s.flush()
        write_audit(s, [{"action": "export", "entity": "exchange_package", "entity_id": str(journal.id),
                         "new": f"пакет № {manifest.sequence} для «{recipient.text}»: {_contents_text(counts, docs)}"}])
        progress(len(ordered) + 1, len(ordered) + 2, "Запись файла")
        write_file_atomically(path, blob)
        try:
            s.commit()
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    progress(1, 1, "Готово")
    return ExportResult(path, manifest.sequence, digest, len(blob), counts, tuple(docs))


def _contents_text(counts: dict[str, int], docs: dict[str, bytes] | tuple = ()) -> str:
    from socplan.formatting import format_number
    from decimal import Decimal

    parts = []
    for name, n in counts.items():
        label = KIND_BY_NAME[name].label.lower() if name in KIND_BY_NAME else "замечания"
        parts.append(f"{label}: {format_number(Decimal(n), 0)}")
    if docs:
        parts.append(f"документы: {len(docs)}")
    return "; ".join(parts)
