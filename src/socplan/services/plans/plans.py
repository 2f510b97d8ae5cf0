"""Use cases on plans and their events: create, edit (drafts only), approve, revise, move and renumber."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from socplan.db.models.plans import (
    ControlPoint,
    Plan,
    PlanEvent,
    PlanEventFinancing,
    PlanEventOrganisation,
    PlanEventResult,
    PlanEventResultValue,
)
from socplan.db.models.reference import Organisation
from socplan.domain import plans as rules
from socplan.domain.deadlines import parse_deadline
from socplan.domain.errors import ConflictError, NotFoundError, ValidationError, ValidationErrors
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.plans.rows import EventInput, EventRow, FinancingRow, PlanInput, PlanRow, ResultRow
from socplan.services.record_versions import check_seen, stale_as_conflict
from socplan.services.reference import get_or_create_organisation, organisation_by_short_name



# ---------------------------------------------------------------- rows

def plan_row(session: Session, p: Plan) -> PlanRow:
    count = session.scalar(select(func.count(PlanEvent.id)).where(PlanEvent.plan_id == p.id)) or 0
    status = rules.PlanStatus(p.status)
    return PlanRow(p.id, p.title, p.kind, rules.PLAN_KINDS.get(p.kind, p.kind), p.year_from, p.year_to,
                   p.owner_id, p.owner.short_name if p.owner else "", p.basis, p.approval_word,
                   p.approval_position, p.approval_name, p.approval_date, p.status, status.label, p.revision,
                   p.previous_id, p.reporting, count)


def event_row(e: PlanEvent, depth: int, today: dt.date) -> EventRow:
    d = parse_deadline(e.deadline_text)
    execs = tuple(p.organisation.short_name for p in e.participants if p.role == "executor")
    ctrls = tuple(p.organisation.short_name for p in e.participants if p.role == "controller")
    fin = tuple(FinancingRow(f.source, f.year, f.amount)
                for f in sorted(e.financing, key=lambda f: (f.source != "", f.source, f.year or 0)))
    res = tuple(ResultRow(r.name, r.unit.short_name if r.unit else r.unit_text,
                          tuple((v.year, v.value) for v in r.values))
                for r in sorted(e.results, key=lambda r: r.position))
    points = e.points
    next_due = None
    status, overdue = "", False
    if points:
        open_points = [p for p in points if rules.PointStatus(p.status).is_open]
        overdue = any(rules.is_overdue(p.due_date, rules.PointStatus(p.status), today) for p in points)
        if open_points:
            nxt = min(open_points, key=lambda p: p.due_date)
            next_due, status = nxt.due_date, nxt.status
        elif any(p.status == "failed" for p in points):
            status = "failed"
        else:
            status = "done"
    label = rules.PointStatus(status).label if status else ""
    return EventRow(e.id, e.plan_id, e.parent_id, e.number, depth, e.text, e.form, e.deadline_text,
                    d.kind.value, d.describe(), d.is_recognised, e.anchor_date, d.needs_anchor, execs, ctrls,
                    e.executors_text, e.source_code, fin, res, next_due, status, label, overdue, len(points),
                    e.version or 0)


# ---------------------------------------------------------------- helpers

def _plan(session: Session, plan_id: int) -> Plan:
    p = session.get(Plan, plan_id)
    if p is None:
        raise NotFoundError(f"План № {plan_id} не найден (возможно, удалён). Обновите список.")
    return p


def _event(session: Session, event_id: int) -> PlanEvent:
    e = session.get(PlanEvent, event_id)
    if e is None:
        raise NotFoundError(f"Мероприятие № {event_id} не найдено (возможно, удалено). Обновите список.")
    return e


def ensure_editable(p: Plan) -> None:
    if p.status != rules.PlanStatus.DRAFT.value:
        raise ConflictError(
            f"План «{_short(p.title)}» (редакция {p.revision}) имеет статус «{rules.PlanStatus(p.status).label}» "
            "и не изменяется. Чтобы внести изменения, создайте новую редакцию (кнопка «Новая редакция»).")


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def validate_plan(data: PlanInput) -> None:
    errors = []
    if not data.title.strip():
        errors.append(ValidationError("title", "Укажите наименование плана."))
    if not (2000 <= data.year_from <= 2100) or not (2000 <= data.year_to <= 2100):
        errors.append(ValidationError("year_from", "Годы периода должны быть в пределах 2000–2100."))
    elif data.year_to < data.year_from:
        errors.append(ValidationError("year_to", "Год окончания раньше года начала периода."))
    if data.kind not in rules.PLAN_KINDS:
        errors.append(ValidationError("kind", "Неизвестный вид плана."))
    if data.reporting not in ("monthly", "quarterly", "semiannual", "annual"):
        errors.append(ValidationError("reporting", "Неизвестная периодичность отчётности."))
    if errors:
        raise ValidationErrors(errors)


def resolve_organisation(session: Session, name: str, *, create: bool = False) -> Organisation | None:
    """An organisation by short name, or by full name; created when ``create`` (imports, demo)."""
    name = name.strip()
    org = organisation_by_short_name(session, name)
    if org is None:
        org = session.scalars(select(Organisation).where(Organisation.full_name == name)).first()
    if org is None and create:
        org = get_or_create_organisation(session, name, name[:255])
    return org


def _set_participants(session: Session, e: PlanEvent, executors: tuple[str, ...], controllers: tuple[str, ...],
                      create: bool) -> None:
    missing = []
    items: list[PlanEventOrganisation] = []
    for role, names in (("executor", executors), ("controller", controllers)):
        seen = set()
        for pos, name in enumerate(names):
            org = resolve_organisation(session, name, create=create)
            if org is None:
                missing.append(name)
                continue
            if org.id in seen:
                continue
            seen.add(org.id)
            items.append(PlanEventOrganisation(organisation=org, organisation_id=org.id, role=role, position=pos))
    if missing:
        raise ValidationError("executors", "Нет в справочнике организаций: " + "; ".join(missing)
                              + ". Добавьте их в справочник или разрешите создание при импорте.")
    # keep rows that stay (a delete-then-insert of the same pair would break the unique constraint)
    current = {(x.organisation_id, x.role): x for x in e.participants}
    result = []
    for item in items:
        kept = current.pop((item.organisation_id, item.role), None)
        if kept is not None:
            if kept.position != item.position:
                kept.position = item.position
            result.append(kept)
        else:
            result.append(item)
    e.participants = result


def _set_financing(e: PlanEvent, financing: tuple[FinancingRow, ...]) -> None:
    e.financing = [PlanEventFinancing(source=f.source, year=f.year, amount=Decimal(f.amount)) for f in financing]


def _set_results(session: Session, e: PlanEvent, results: tuple[ResultRow, ...]) -> None:
    from socplan.db.models.reference import Unit

    out = []
    for pos, r in enumerate(results):
        unit = session.scalars(select(Unit).where((Unit.short_name == r.unit) | (Unit.name == r.unit))).first()
        out.append(PlanEventResult(name=r.name, unit=unit, unit_text=r.unit, position=pos,
                                   values=[PlanEventResultValue(year=y, value=v) for y, v in r.values]))
    e.results = out


def apply_event_input(session: Session, e: PlanEvent, data: EventInput, *, create_orgs: bool = False) -> None:
    if not data.text.strip():
        raise ValidationError("text", "Укажите содержание мероприятия.")
    e.text = data.text.strip()
    e.form = data.form.strip()
    e.deadline_text = data.deadline_text.strip()
    e.deadline_kind = parse_deadline(e.deadline_text).kind.value
    e.executors_text = data.executors_text
    e.anchor_date = data.anchor_date
    e.source_code = data.source_code
    _set_participants(session, e, data.executors, data.controllers, create_orgs)
    if data.financing is not None:
        _set_financing(e, data.financing)
    if data.results is not None:
        _set_results(session, e, data.results)


def renumber(session: Session, plan: Plan) -> None:
    """Numbers «1», «1.1» … follow the tree order (position among siblings)."""
    session.flush()
    events = session.scalars(select(PlanEvent).where(PlanEvent.plan_id == plan.id)).all()
    children: dict[int | None, list[PlanEvent]] = {}
    for e in events:
        children.setdefault(e.parent_id, []).append(e)

    def walk(parent_id: int | None, prefix: str, key: str) -> None:
        kids = sorted(children.get(parent_id, []), key=lambda x: (x.position, x.id))
        for i, (kid, num) in enumerate(zip(kids, rules.number_children(prefix, len(kids)))):
            kid.position = i
            if kid.number != num:
                kid.number = num
            sk = f"{key}{i + 1:04d}."
            if kid.sort_key != sk:
                kid.sort_key = sk
            walk(kid.id, num, sk)

    walk(None, "", "")
    session.flush()


def create_plan_in(session: Session, data: PlanInput, *, create_owner: bool = False) -> Plan:
    validate_plan(data)
    owner = resolve_organisation(session, data.owner_short_name, create=create_owner) if data.owner_short_name else None
    if data.owner_short_name and owner is None:
        raise ValidationError("owner", f"Организация «{data.owner_short_name}» не найдена в справочнике.")
    p = Plan(title=data.title.strip(), kind=data.kind, year_from=data.year_from, year_to=data.year_to, owner=owner,
             basis=data.basis, approval_word=data.approval_word, approval_position=data.approval_position,
             approval_name=data.approval_name, approval_date=data.approval_date, reporting=data.reporting,
             status="draft", revision=1)
    session.add(p)
    session.flush()
    return p


def add_event_in(session: Session, plan: Plan, data: EventInput, parent: PlanEvent | None = None,
                 *, create_orgs: bool = False, renumber_now: bool = True) -> PlanEvent:
    siblings = session.scalar(select(func.count(PlanEvent.id)).where(
        PlanEvent.plan_id == plan.id,
        PlanEvent.parent_id.is_(None) if parent is None else PlanEvent.parent_id == parent.id)) or 0
    e = PlanEvent(plan=plan, parent=parent, position=siblings, text="")
    session.add(e)
    apply_event_input(session, e, data, create_orgs=create_orgs)
    if renumber_now:
        renumber(session, plan)
    return e


# ---------------------------------------------------------------- plans

def list_plans(ctx: AppContext) -> list[PlanRow]:
    with ctx.uow() as s:
        plans = s.scalars(select(Plan).order_by(Plan.year_from.desc(), Plan.title, Plan.revision)).all()
        return [plan_row(s, p) for p in plans]


def get_plan(ctx: AppContext, plan_id: int) -> PlanRow:
    with ctx.uow() as s:
        return plan_row(s, _plan(s, plan_id))


def create_plan(ctx: AppContext, data: PlanInput) -> PlanRow:
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Создание плана") as s:
        p = create_plan_in(s, data)
        row = plan_row(s, p)
        s.commit()
        return row


def update_plan(ctx: AppContext, plan_id: int, data: PlanInput) -> PlanRow:
    require(ctx, Action.EDIT_PLANS)
    validate_plan(data)
    with ctx.uow(reason="Изменение реквизитов плана") as s:
        p = _plan(s, plan_id)
        ensure_editable(p)
        owner = resolve_organisation(s, data.owner_short_name) if data.owner_short_name else None
        if data.owner_short_name and owner is None:
            raise ValidationError("owner", f"Организация «{data.owner_short_name}» не найдена в справочнике.")
        p.title, p.kind, p.year_from, p.year_to, p.owner = data.title.strip(), data.kind, data.year_from, \
            data.year_to, owner
        p.basis, p.approval_word, p.approval_position = data.basis, data.approval_word, data.approval_position
        p.approval_name, p.approval_date, p.reporting = data.approval_name, data.approval_date, data.reporting
        s.flush()
        row = plan_row(s, p)
        s.commit()
        return row


def delete_plan(ctx: AppContext, plan_id: int) -> None:
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Удаление плана") as s:
        p = _plan(s, plan_id)
        if p.status != "draft":
            raise ConflictError("Удалить можно только проект плана. Утверждённый план переведите в архив.")
        for nxt in s.scalars(select(Plan).where(Plan.previous_id == p.id)):
            nxt.previous_id = p.previous_id
        s.delete(p)
        s.commit()


def set_plan_status(ctx: AppContext, plan_id: int, status: str, *, today: dt.date | None = None) -> PlanRow:
    """проект → утверждён (control points generated, previous revision archived) → исполнен / архив."""
    require(ctx, Action.EDIT_PLANS)
    from socplan.services.plans.control import generate_control_points

    new = rules.PlanStatus(status)
    with ctx.uow(reason=f"План: статус «{new.label}»") as s:
        p = _plan(s, plan_id)
        old = rules.PlanStatus(p.status)
        if new not in rules.PLAN_TRANSITIONS[old]:
            raise ConflictError(f"Нельзя перевести план из статуса «{old.label}» в «{new.label}».")
        if new is rules.PlanStatus.APPROVED:
            if not p.approval_date:
                p.approval_date = today or dt.date.today()
            if p.previous is not None and p.previous.status == "approved":
                p.previous.status = rules.PlanStatus.ARCHIVED.value
        p.status = new.value
        s.flush()
        if new is rules.PlanStatus.APPROVED:
            generate_control_points(s, p)
        row = plan_row(s, p)
        s.commit()
        return row


def create_revision(ctx: AppContext, plan_id: int) -> PlanRow:
    """A frozen (approved) plan is changed through a new revision: a draft copy of it with every event."""
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Новая редакция плана") as s:
        old = _plan(s, plan_id)
        if old.status == "draft":
            raise ConflictError("Это проект плана — его можно изменять без новой редакции.")
        newer = s.scalar(select(Plan.id).where(Plan.previous_id == old.id))
        if newer:
            raise ConflictError("У этой редакции уже есть следующая; измените последнюю редакцию плана.")
        p = Plan(title=old.title, kind=old.kind, year_from=old.year_from, year_to=old.year_to, owner=old.owner,
                 basis=old.basis, approval_word=old.approval_word, approval_position=old.approval_position,
                 approval_name=old.approval_name, approval_date=None, reporting=old.reporting,
                 status="draft", revision=old.revision + 1, previous=old)
        s.add(p)
        s.flush()
        mapping: dict[int, PlanEvent] = {}
        old_events = s.scalars(select(PlanEvent).where(PlanEvent.plan_id == old.id)
                               .order_by(PlanEvent.sort_key)).all()
        for e in old_events:
            parent_copy = mapping.get(e.parent_id) if e.parent_id else None
            c = PlanEvent(plan_id=p.id, parent_id=parent_copy.id if parent_copy else None, position=e.position,
                          number=e.number, sort_key=e.sort_key, text=e.text, form=e.form,
                          deadline_text=e.deadline_text, deadline_kind=e.deadline_kind, anchor_date=e.anchor_date,
                          executors_text=e.executors_text, source_code=e.source_code)
            s.add(c)
            c.participants = [PlanEventOrganisation(organisation=x.organisation, role=x.role, position=x.position)
                              for x in e.participants]
            c.financing = [PlanEventFinancing(source=f.source, year=f.year, amount=f.amount) for f in e.financing]
            c.results = [PlanEventResult(name=r.name, unit=r.unit, unit_text=r.unit_text, position=r.position,
                                         values=[PlanEventResultValue(year=v.year, value=v.value)
                                                 for v in r.values]) for r in e.results]
            s.add(c)
            mapping[e.id] = c
            s.flush()
        row = plan_row(s, p)
        s.commit()
        return row


def _snapshots(s: Session, plan_id: int) -> list[rules.EventSnapshot]:
    out = []
    events = s.scalars(select(PlanEvent).where(PlanEvent.plan_id == plan_id).order_by(PlanEvent.sort_key)
                       .options(selectinload(PlanEvent.participants))).all()
    for e in events:
        execs = ", ".join(x.organisation.short_name for x in e.participants if x.role == "executor")
        ctrls = ", ".join(x.organisation.short_name for x in e.participants if x.role == "controller")
        who = execs + (f"; контроль – {ctrls}" if ctrls else "")
        out.append(rules.EventSnapshot(e.number, e.text, e.form, e.deadline_text, who))
    return out


def revision_diff(ctx: AppContext, old_plan_id: int, new_plan_id: int) -> list[rules.EventChange]:
    with ctx.uow() as s:
        _plan(s, old_plan_id), _plan(s, new_plan_id)
        return rules.diff_revisions(_snapshots(s, old_plan_id), _snapshots(s, new_plan_id))


def plan_revisions(ctx: AppContext, plan_id: int) -> list[PlanRow]:
    """Every revision of the plan, oldest first."""
    with ctx.uow() as s:
        p = _plan(s, plan_id)
        while p.previous is not None:
            p = p.previous
        chain = [p]
        while True:
            nxt = s.scalars(select(Plan).where(Plan.previous_id == chain[-1].id)).first()
            if nxt is None:
                break
            chain.append(nxt)
        return [plan_row(s, x) for x in chain]


# ---------------------------------------------------------------- events

def list_events(ctx: AppContext, plan_id: int, today: dt.date | None = None) -> list[EventRow]:
    today = today or dt.date.today()
    with ctx.uow() as s:
        _plan(s, plan_id)
        events = s.scalars(
            select(PlanEvent).where(PlanEvent.plan_id == plan_id).order_by(PlanEvent.sort_key)
            .options(selectinload(PlanEvent.participants).selectinload(PlanEventOrganisation.organisation),
                     selectinload(PlanEvent.financing), selectinload(PlanEvent.points),
                     selectinload(PlanEvent.results).selectinload(PlanEventResult.values),
                     selectinload(PlanEvent.results).selectinload(PlanEventResult.unit))).all()
        return [event_row(e, e.number.count("."), today) for e in events]


def add_event(ctx: AppContext, plan_id: int, data: EventInput, parent_id: int | None = None) -> EventRow:
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Добавление мероприятия") as s:
        p = _plan(s, plan_id)
        ensure_editable(p)
        parent = _event(s, parent_id) if parent_id else None
        e = add_event_in(s, p, data, parent)
        row = event_row(e, e.number.count("."), dt.date.today())
        s.commit()
        return row


def update_event(ctx: AppContext, event_id: int, data: EventInput, *, seen_version: int | None = None) -> EventRow:
    """``seen_version``: ``EventRow.version`` when the user opened the event; saved by someone else since —
    ConflictError, nothing overwritten (services/record_versions.py)."""
    require(ctx, Action.EDIT_PLANS)
    with stale_as_conflict("Мероприятие плана") as record, ctx.uow(reason="Изменение мероприятия") as s:
        e = _event(s, event_id)
        record.name = f"Мероприятие {e.number} плана «{e.plan.title}»"
        check_seen(e, seen_version, record.name)
        ensure_editable(e.plan)
        apply_event_input(s, e, data)
        s.flush()
        row = event_row(e, e.number.count("."), dt.date.today())
        s.commit()
        return row


def move_event(ctx: AppContext, event_id: int, new_parent_id: int | None, new_position: int) -> EventRow:
    """Move an event (with its sub-items) under another parent / to another place; everything is renumbered."""
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Перемещение мероприятия") as s:
        e = _event(s, event_id)
        p = e.plan
        ensure_editable(p)
        parent = _event(s, new_parent_id) if new_parent_id else None
        anc = parent
        while anc is not None:
            if anc.id == e.id:
                raise ConflictError("Нельзя переместить мероприятие внутрь его собственного подпункта.")
            anc = anc.parent
        if parent is not None and parent.plan_id != p.id:
            raise ConflictError("Мероприятие можно перемещать только внутри своего плана.")
        siblings = s.scalars(select(PlanEvent).where(
            PlanEvent.plan_id == p.id, PlanEvent.id != e.id,
            PlanEvent.parent_id.is_(None) if parent is None else PlanEvent.parent_id == parent.id)
            .order_by(PlanEvent.position, PlanEvent.id)).all()
        new_position = max(0, min(new_position, len(siblings)))
        siblings.insert(new_position, e)
        e.parent = parent
        for i, sib in enumerate(siblings):
            sib.position = i
        renumber(s, p)
        row = event_row(e, e.number.count("."), dt.date.today())
        s.commit()
        return row


def set_anchor_date(ctx: AppContext, event_id: int, anchor: dt.date | None) -> EventRow:
    """The date of the event a relative deadline counts from («со дня проведения заседания»): execution
    data, allowed on an approved plan; the control point is generated from it."""
    require(ctx, Action.EDIT_PLANS)
    from socplan.services.plans.control import generate_control_points

    with ctx.uow(reason="Дата события для относительного срока") as s:
        e = _event(s, event_id)
        e.anchor_date = anchor
        s.flush()
        if e.plan.status == "approved":
            generate_control_points(s, e.plan, event_ids=[e.id])
        s.refresh(e)
        row = event_row(e, e.number.count("."), dt.date.today())
        s.commit()
        return row


def count_points(session: Session, plan_id: int) -> int:
    return session.scalar(select(func.count(ControlPoint.id)).join(PlanEvent).where(PlanEvent.plan_id == plan_id)) or 0
