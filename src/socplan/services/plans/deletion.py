"""Deleting an event with its sub-events as an undoable use case: the deletion returns a frozen snapshot of
the whole subtree, and ``restore_events`` puts it back at its place (numbering restored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from socplan.db.models.plans import (
    ControlPoint,
    ControlPointDocument,
    PlanEvent,
    PlanEventFinancing,
    PlanEventOrganisation,
    PlanEventResult,
    PlanEventResultValue,
)
from socplan.domain.errors import ConflictError
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.plans.plans import _event, _plan, ensure_editable, renumber


@dataclass(frozen=True)
class DocumentSnapshot:
    file_name: str
    sha256: str
    size: int
    added_at: dt.datetime | None
    content: bytes = field(repr=False)  # kept so that undo loses nothing


@dataclass(frozen=True)
class PointSnapshot:
    due_date: dt.date
    original_due_date: dt.date
    period_label: str
    status: str
    info: str
    reported_on: dt.date | None
    reporter_id: int | None
    documents: tuple[DocumentSnapshot, ...]


@dataclass(frozen=True)
class ParticipantSnapshot:
    organisation_id: int
    short_name: str
    role: str  # executor | controller
    position: int


@dataclass(frozen=True)
class FinancingSnapshot:
    source: str
    year: int | None
    amount: Decimal


@dataclass(frozen=True)
class ResultSnapshot:
    name: str
    unit_id: int | None
    unit_text: str
    position: int
    values: tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True)
class EventSnapshot:
    id: int  # the id the event had; reused on restore when still free
    parent_id: int | None
    position: int
    number: str
    text: str
    form: str
    deadline_text: str
    deadline_kind: str
    anchor_date: dt.date | None
    executors_text: str
    source_code: str
    participants: tuple[ParticipantSnapshot, ...]
    financing: tuple[FinancingSnapshot, ...]
    results: tuple[ResultSnapshot, ...]
    points: tuple[PointSnapshot, ...]


@dataclass(frozen=True)
class DeletedSubtree:
    """What «Удалить» removed: the event and its sub-events (parents before children)."""

    plan_id: int
    parent_number: str  # «» for a top-level event; the parent's number does not change by the deletion
    events: tuple[EventSnapshot, ...]

    @property
    def root(self) -> EventSnapshot:
        return self.events[0]


@dataclass(frozen=True)
class RestoredSubtree:
    root_id: int
    root_number: str
    ids: dict[int, int]  # old event id → id after restoring


def _snapshot_event(e: PlanEvent) -> EventSnapshot:
    return EventSnapshot(
        e.id, e.parent_id, e.position, e.number, e.text, e.form, e.deadline_text, e.deadline_kind, e.anchor_date,
        e.executors_text, e.source_code,
        tuple(ParticipantSnapshot(x.organisation_id, x.organisation.short_name, x.role, x.position)
              for x in e.participants),
        tuple(FinancingSnapshot(f.source, f.year, f.amount) for f in e.financing),
        tuple(ResultSnapshot(r.name, r.unit_id, r.unit_text, r.position, tuple((v.year, v.value) for v in r.values))
              for r in sorted(e.results, key=lambda r: r.position)),
        tuple(PointSnapshot(p.due_date, p.original_due_date, p.period_label, p.status, p.info, p.reported_on,
                            p.reporter_id,
                            tuple(DocumentSnapshot(d.file_name, d.sha256, d.size, d.added_at, d.content)
                                  for d in sorted(p.documents, key=lambda d: d.id)))
              for p in sorted(e.points, key=lambda p: (p.due_date, p.id))),
    )


def snapshot_subtree(session: Session, root: PlanEvent) -> DeletedSubtree:
    events = session.scalars(
        select(PlanEvent).where(PlanEvent.plan_id == root.plan_id)
        .options(selectinload(PlanEvent.participants).selectinload(PlanEventOrganisation.organisation),
                 selectinload(PlanEvent.financing),
                 selectinload(PlanEvent.results).selectinload(PlanEventResult.values),
                 selectinload(PlanEvent.points).selectinload(ControlPoint.documents))).all()
    children: dict[int | None, list[PlanEvent]] = {}
    for e in events:
        children.setdefault(e.parent_id, []).append(e)
    ordered: list[PlanEvent] = []

    def walk(e: PlanEvent) -> None:
        ordered.append(e)
        for kid in sorted(children.get(e.id, []), key=lambda x: (x.position, x.id)):
            walk(kid)

    walk(root)
    parent_number = root.parent.number if root.parent is not None else ""
    return DeletedSubtree(root.plan_id, parent_number, tuple(_snapshot_event(e) for e in ordered))


def delete_event(ctx: AppContext, event_id: int) -> DeletedSubtree:
    """Delete an event with its sub-events (drafts only); returns what was deleted, for «Отменить»."""
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Удаление мероприятия") as s:
        e = _event(s, event_id)
        p = e.plan
        ensure_editable(p)
        snapshot = snapshot_subtree(s, e)
        s.delete(e)
        s.flush()
        renumber(s, p)
        s.commit()
        return snapshot


def _resolve_parent(s: Session, snap: DeletedSubtree) -> PlanEvent | None:
    pid = snap.root.parent_id
    if pid is None:
        return None
    parent = s.get(PlanEvent, pid)
    if parent is not None and parent.plan_id == snap.plan_id:
        return parent
    # the parent itself was deleted and restored meanwhile: find it by its number
    parent = s.scalars(select(PlanEvent).where(PlanEvent.plan_id == snap.plan_id,
                                               PlanEvent.number == snap.parent_number)).first()
    if parent is None:
        raise ConflictError(f"Нельзя восстановить мероприятие {snap.root.number}: пункт {snap.parent_number}, "
                            "в который оно входило, удалён. Сначала восстановите его.")
    return parent


def restore_events(ctx: AppContext, snapshot: DeletedSubtree) -> RestoredSubtree:
    """Re-create a deleted subtree at its former place; the numbering of the plan returns to what it was."""
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Восстановление удалённого мероприятия") as s:
        p = _plan(s, snapshot.plan_id)
        ensure_editable(p)
        parent = _resolve_parent(s, snapshot)
        root = snapshot.root
        siblings = s.scalars(select(PlanEvent).where(
            PlanEvent.plan_id == p.id,
            PlanEvent.parent_id.is_(None) if parent is None else PlanEvent.parent_id == parent.id)
            .order_by(PlanEvent.position, PlanEvent.id)).all()
        position = max(0, min(root.position, len(siblings)))
        for i, sib in enumerate(siblings):
            sib.position = i if i < position else i + 1
        old_ids = [e.id for e in snapshot.events]
        taken = set(s.scalars(select(PlanEvent.id).where(PlanEvent.id.in_(old_ids))))
        ids: dict[int, int] = {}
        created: dict[int, PlanEvent] = {}
        for ev in snapshot.events:
            is_root = ev is root
            parent_id = (parent.id if parent is not None else None) if is_root else ids[ev.parent_id]
            e = PlanEvent(plan_id=p.id, parent_id=parent_id, position=position if is_root else ev.position,
                          number=ev.number, sort_key="", text=ev.text, form=ev.form,
                          deadline_text=ev.deadline_text, deadline_kind=ev.deadline_kind,
                          anchor_date=ev.anchor_date, executors_text=ev.executors_text, source_code=ev.source_code)
            if ev.id not in taken:
                e.id = ev.id  # same id as before: the other undo steps keep pointing at it
            e.participants = [PlanEventOrganisation(organisation_id=x.organisation_id, role=x.role,
                                                    position=x.position) for x in ev.participants]
            e.financing = [PlanEventFinancing(source=f.source, year=f.year, amount=f.amount) for f in ev.financing]
            e.results = [PlanEventResult(name=r.name, unit_id=r.unit_id, unit_text=r.unit_text, position=r.position,
                                         values=[PlanEventResultValue(year=y, value=v) for y, v in r.values])
                         for r in ev.results]
            e.points = [ControlPoint(due_date=pt.due_date, original_due_date=pt.original_due_date,
                                     period_label=pt.period_label, status=pt.status, info=pt.info,
                                     reported_on=pt.reported_on, reporter_id=pt.reporter_id,
                                     documents=[ControlPointDocument(file_name=d.file_name, sha256=d.sha256,
                                                                     size=d.size, content=d.content,
                                                                     **({"added_at": d.added_at}
                                                                        if d.added_at else {}))
                                                for d in pt.documents])
                        for pt in ev.points]
            s.add(e)
            s.flush()
            ids[ev.id] = e.id
            created[ev.id] = e
        renumber(s, p)
        new_root = created[root.id]
        result = RestoredSubtree(new_root.id, new_root.number, ids)
        s.commit()
        return result
