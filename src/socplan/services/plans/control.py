"""Execution control: control points generated from deadlines, reports of execution, documents, overdue."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.models.plans import ControlPoint, ControlPointDocument, Plan, PlanEvent, PlanEventOrganisation
from socplan.db.models.reference import Organisation
from socplan.domain import plans as rules
from socplan.domain.calendar import WorkCalendar
from socplan.domain.deadlines import DeadlineKind, Periodicity, parse_deadline
from socplan.domain.relative_deadlines import UNDETERMINED, ControlDate, relative_control_dates
from socplan.domain.errors import ConflictError, NotFoundError, ValidationError
from socplan.domain.roles import Action
from socplan.services.permissions import require, require_among
from socplan.services.context import AppContext
from socplan.services.plans.calendar import load_calendar
from socplan.services.plans.rows import DocumentRow, PointFilter, PointRow

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def _label_for(deadline, due: dt.date, plan_reporting: Periodicity) -> str:  # noqa: ANN001
    k = deadline.kind
    if k is DeadlineKind.PERIODIC and deadline.periodicity is not None:
        per = plan_reporting if deadline.periodicity is Periodicity.CONSTANT else deadline.periodicity
        if deadline.due_day_next_month:
            due = due.replace(day=1) - dt.timedelta(days=1)
        return rules.period_label(due, per.months)
    if k is DeadlineKind.QUARTER and deadline.quarters:
        q1, q2 = deadline.quarters
        roman = ["I", "II", "III", "IV"]
        q = roman[q1 - 1] if q1 == q2 else f"{roman[q1 - 1]} – {roman[q2 - 1]}"
        return f"{q} квартал {due.year}"
    if k is DeadlineKind.MONTH:
        return rules.period_label(due, 1)
    if k is DeadlineKind.YEAR:
        return f"{due.year} год"
    return f"срок {due:%d.%m.%Y}"


def planned_points(plan: Plan, event: PlanEvent, calendar: WorkCalendar) -> list[tuple[dt.date, str]]:
    """(due date, period label) of the control points an event's deadline gives within the plan's period.

    A relative deadline («в течение 10 рабочих дней со дня …») is never silently out of control: without the
    anchor date the end of the period its text names is the fallback point («IV квартал 2025 · срок не
    определён»); with the anchor its due date is kept even after the plan's period («· после периода плана»)."""
    d = parse_deadline(event.deadline_text)
    reporting = Periodicity(plan.reporting)
    start, end = dt.date(plan.year_from, 1, 1), dt.date(plan.year_to, 12, 31)
    if d.kind is DeadlineKind.RELATIVE:
        return [(c.due, _relative_label(d, c)) for c in relative_control_dates(d, start, end, event.anchor_date,
                                                                               calendar)]
    dates = d.control_dates(start, end, event.anchor_date, calendar, reporting=reporting)
    return [(x, _label_for(d, x, reporting)) for x in dates]


def _relative_label(deadline, point: ControlDate) -> str:  # noqa: ANN001
    if point.after_period:
        return f"срок {point.due:%d.%m.%Y} · после периода плана"
    if point.fallback:
        if deadline.quarters:
            return f"{_label_for(replace(deadline, kind=DeadlineKind.QUARTER), point.due, Periodicity.ANNUAL)}" \
                   " · срок не определён"
        return f"{point.due.year} год · срок не определён"
    return f"срок {point.due:%d.%m.%Y}"


def generate_control_points(session: Session, plan: Plan, *, event_ids: Iterable[int] | None = None,
                            calendar: WorkCalendar | None = None) -> int:
    """Create the control points the deadlines call for; points already reported on are kept, untouched
    points no longer called for are removed. Bulk insert (one audit summary row). Returns points added."""
    cal = calendar or load_calendar(session)
    q = select(PlanEvent).where(PlanEvent.plan_id == plan.id)
    if event_ids is not None:
        q = q.where(PlanEvent.id.in_(list(event_ids)))
    events = session.scalars(q).all()
    ids = [e.id for e in events]
    existing: dict[int, dict[dt.date, tuple[int, str]]] = {}
    for chunk in range(0, len(ids), 500):
        rows = session.execute(select(ControlPoint.event_id, ControlPoint.original_due_date, ControlPoint.id,
                                      ControlPoint.status).where(ControlPoint.event_id.in_(ids[chunk:chunk + 500])))
        for event_id, due, pid, status in rows:
            existing.setdefault(event_id, {})[due] = (pid, status)
    to_insert: list[dict] = []
    to_delete: list[int] = []
    for e in events:
        wanted = planned_points(plan, e, cal)
        have = existing.get(e.id, {})
        wanted_dates = {d for d, _ in wanted}
        for due, label in wanted:
            if due not in have:
                iso = due.isoformat()  # SQLAlchemy's Date stores ISO text on SQLite
                to_insert.append((e.id, iso, iso, label, "not_started", ""))
        for due, (pid, status) in have.items():
            if due not in wanted_dates and status == "not_started":
                to_delete.append(pid)
    if to_delete:
        for chunk in range(0, len(to_delete), 500):
            session.execute(delete(ControlPoint).where(ControlPoint.id.in_(to_delete[chunk:chunk + 500])))
    if to_insert:
        # one prepared statement, executemany (the ORM bulk path is ~5× slower for 100 000 rows)
        conn = session.connection()
        mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"  # psycopg / sqlite3
        conn.exec_driver_sql(
            "INSERT INTO plan_control_point (event_id, due_date, original_due_date, period_label, status, info) "
            f"VALUES ({', '.join([mark] * 6)})", to_insert)
    if to_insert or to_delete:
        write_audit(session, [{"action": "insert", "entity": "plan_control_point", "entity_id": f"plan={plan.id}",
                               "field": "generate",
                               "new": f"добавлено контрольных точек: {len(to_insert)}, удалено: {len(to_delete)}"}])
    session.expire_all()
    return len(to_insert)


def regenerate_control_points(ctx: AppContext, plan_id: int) -> int:
    require(ctx, Action.EDIT_PLANS)
    with ctx.uow(reason="Формирование контрольных точек") as s:
        p = s.get(Plan, plan_id)
        if p is None:
            raise NotFoundError("План не найден.")
        if p.status not in ("approved", "executed"):
            raise ConflictError("Контрольные точки формируются для утверждённого плана. Сначала утвердите план.")
        n = generate_control_points(s, p)
        s.commit()
        return n


# ---------------------------------------------------------------- queries

def _point_query(f: PointFilter, today: dt.date):  # noqa: ANN202
    q = (select(ControlPoint.id, ControlPoint.event_id, ControlPoint.due_date, ControlPoint.original_due_date,
                ControlPoint.period_label, ControlPoint.status, ControlPoint.info, ControlPoint.reported_on,
                ControlPoint.reporter_id, PlanEvent.number, PlanEvent.text, PlanEvent.deadline_text,
                PlanEvent.executors_text, Plan.id, Plan.title)
         .join(PlanEvent, ControlPoint.event_id == PlanEvent.id).join(Plan, PlanEvent.plan_id == Plan.id))
    if f.plan_id is not None:
        q = q.where(Plan.id == f.plan_id)
    elif not f.include_closed_plans:
        q = q.where(Plan.status == "approved")
    if f.status:
        q = q.where(ControlPoint.status == f.status)
    if f.due_from:
        q = q.where(ControlPoint.due_date >= f.due_from)
    if f.due_to:
        q = q.where(ControlPoint.due_date <= f.due_to)
    if f.overdue_only:
        q = q.where(ControlPoint.status.in_(["not_started", "in_progress", "postponed"]),
                    ControlPoint.due_date < today)
    if f.organisation_short_name:
        sub = (select(PlanEventOrganisation.event_id).join(Organisation)
               .where(Organisation.short_name == f.organisation_short_name))
        q = q.where(PlanEvent.id.in_(sub))
    return q.order_by(ControlPoint.due_date, PlanEvent.sort_key)


def _executors_by_event(session: Session, plan_ids: set[int]) -> dict[int, str]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(PlanEventOrganisation.event_id, Organisation.short_name, PlanEventOrganisation.role)
        .join(Organisation).join(PlanEvent, PlanEvent.id == PlanEventOrganisation.event_id)
        .where(PlanEvent.plan_id.in_(plan_ids))
        .order_by(PlanEventOrganisation.role.desc(), PlanEventOrganisation.position))
    for eid, name, role in rows:
        out.setdefault(eid, []).append(name if role == "executor" else f"контроль – {name}")
    return {k: ", ".join(v) for k, v in out.items()}


def list_points(ctx: AppContext, f: PointFilter | None = None) -> list[PointRow]:
    f = f or PointFilter()
    today = f.today or dt.date.today()
    statuses = {s.value: s for s in rules.PointStatus}
    with ctx.uow() as s:
        rows = s.execute(_point_query(f, today)).all()
        execs = _executors_by_event(s, {r[13] for r in rows}) if rows else {}
        docs = dict(s.execute(select(ControlPointDocument.point_id, func.count(ControlPointDocument.id))
                              .group_by(ControlPointDocument.point_id)).all())
        reporters = dict(s.execute(select(Organisation.id, Organisation.short_name)).all())
        out = []
        for (pid, eid, due, orig, label, status, info, reported_on, reporter_id, number, text, deadline,
             executors_text, plan_id, plan_title) in rows:
            st = statuses[status]
            out.append(PointRow(pid, eid, plan_id, plan_title, number, text, deadline,
                                execs.get(eid, executors_text), due, orig, label, status, st.label, info,
                                reported_on, reporters.get(reporter_id, "") if reporter_id else "",
                                rules.is_overdue(due, st, today), rules.deadline_colour(due, st, today).value,
                                docs.get(pid, 0)))
        return out


def overdue_points(ctx: AppContext, today: dt.date | None = None, organisation_short_name: str = "") -> list[PointRow]:
    return list_points(ctx, PointFilter(overdue_only=True, today=today or dt.date.today(),
                                        organisation_short_name=organisation_short_name))


def overdue_count(ctx: AppContext, today: dt.date | None = None) -> int:
    """Overdue control points of approved plans (for the main window's status bar at start-up)."""
    today = today or dt.date.today()
    with ctx.uow() as s:
        q = (select(func.count(ControlPoint.id)).join(PlanEvent, ControlPoint.event_id == PlanEvent.id)
             .join(Plan, PlanEvent.plan_id == Plan.id)
             .where(Plan.status == "approved",
                    ControlPoint.status.in_(["not_started", "in_progress", "postponed"]),
                    ControlPoint.due_date < today))
        return s.scalar(q) or 0


@dataclass(frozen=True)
class UndeterminedDeadline:
    """An event of an approved plan whose relative deadline has no anchor date yet, or whose due date falls after
    the plan's period: listed in the overdue view and the start-up reminder, never silently dropped."""

    plan_id: int
    plan_title: str
    event_id: int
    event_number: str
    event_text: str
    deadline_text: str
    message: str  # «срок не определён — укажите дату события» / «срок истекает после окончания периода плана»
    fallback_due: dt.date | None  # end of the period the text names (the control date until the anchor is known)
    due_date: dt.date | None = None  # with the anchor: the due date after the plan's period


def undetermined_deadlines(ctx: AppContext, today: dt.date | None = None, plan_id: int | None = None
                           ) -> list[UndeterminedDeadline]:
    """Relative deadlines of approved plans without the anchor date («срок не определён — укажите дату события»,
    with the fallback control date: the first end of a named period not before ``today``, else the last one)
    and those whose due date falls after the plan's period (a warning)."""
    today = today or dt.date.today()
    out: list[UndeterminedDeadline] = []
    with ctx.uow() as s:
        q = select(PlanEvent, Plan).join(Plan, PlanEvent.plan_id == Plan.id).where(PlanEvent.deadline_kind == "relative")
        q = q.where(Plan.id == plan_id) if plan_id is not None else q.where(Plan.status == "approved")
        cal = load_calendar(s)
        for event, plan in s.execute(q.order_by(Plan.id, PlanEvent.sort_key)).all():
            d = parse_deadline(event.deadline_text)
            start, end = dt.date(plan.year_from, 1, 1), dt.date(plan.year_to, 12, 31)
            points = relative_control_dates(d, start, end, event.anchor_date, cal)
            if event.anchor_date is None:
                later = [p.due for p in points if p.due >= today]
                fallback = later[0] if later else (points[-1].due if points else None)
                message = UNDETERMINED + ("" if fallback else "; период в тексте не назван — контрольной даты нет")
                out.append(UndeterminedDeadline(plan.id, plan.title, event.id, event.number, event.text,
                                                event.deadline_text, message, fallback))
            elif points and points[0].after_period:
                out.append(UndeterminedDeadline(plan.id, plan.title, event.id, event.number, event.text,
                                                event.deadline_text,
                                                f"срок {points[0].due:%d.%m.%Y} истекает после окончания периода "
                                                f"плана ({end:%d.%m.%Y})", None, points[0].due))
    return out


# ---------------------------------------------------------------- reporting execution

def report_point(ctx: AppContext, point_id: int, status: str, info: str = "", *,
                 reported_on: dt.date | None = None, reporter_short_name: str = "",
                 new_due_date: dt.date | None = None) -> PointRow:
    """Record execution of a control point; the status change is written to the audit log."""
    st = rules.PointStatus(status)
    with ctx.uow(reason=f"Исполнение мероприятия: «{st.label}»") as s:
        cp = s.get(ControlPoint, point_id)
        if cp is None:
            raise NotFoundError("Контрольная точка не найдена (возможно, план изменён). Обновите список.")
        _require_execution(ctx, s, cp.event)
        plan = cp.event.plan
        if plan.status not in ("approved", "executed"):
            raise ConflictError("Исполнение отмечается только по утверждённому плану.")
        if st is rules.PointStatus.POSTPONED:
            if new_due_date is None:
                raise ValidationError("new_due_date", "Укажите новый срок для переноса.")
            if new_due_date <= cp.due_date:
                raise ValidationError("new_due_date", "Новый срок должен быть позже прежнего "
                                      f"({cp.due_date:%d.%m.%Y}).")
            cp.due_date = new_due_date
        if st in (rules.PointStatus.DONE, rules.PointStatus.FAILED) and not info.strip():
            raise ValidationError("info", "Укажите информацию об исполнении.")
        reporter = None
        if reporter_short_name:
            reporter = s.scalars(select(Organisation).where(Organisation.short_name == reporter_short_name)).first()
            if reporter is None:
                raise ValidationError("reporter", f"Организация «{reporter_short_name}» не найдена в справочнике.")
        cp.status = st.value
        cp.info = info.strip()
        cp.reported_on = reported_on or dt.date.today()
        cp.reporter = reporter
        s.commit()
    return next(p for p in list_points(ctx, PointFilter(plan_id=plan.id)) if p.id == point_id)


def executing_territories(session: Session, event: PlanEvent) -> dict[int, str]:
    """Territories whose organisations execute the event (or that its executors' text names, as the exchange does
    when it picks a district's events), with its parents' executors: id → name."""
    from socplan.db.models.reference import Territory
    from socplan.services.exchange.export import _name_phrases

    ids = [event.id]
    parent = event.parent_id
    while parent is not None and parent not in ids:
        ids.append(parent)
        parent = session.scalar(select(PlanEvent.parent_id).where(PlanEvent.id == parent))
    out = dict(session.execute(
        select(Territory.id, Territory.name).join(Organisation, Organisation.territory_id == Territory.id)
        .join(PlanEventOrganisation, PlanEventOrganisation.organisation_id == Organisation.id)
        .where(PlanEventOrganisation.event_id.in_(ids), PlanEventOrganisation.role == "executor",
               Territory.kind.in_(("city", "district")))).all())
    texts = [t or "" for t in session.scalars(select(PlanEvent.executors_text).where(PlanEvent.id.in_(ids)))]
    for tid, name in session.execute(select(Territory.id, Territory.name)
                                     .where(Territory.kind.in_(("city", "district")))).all():
        if tid not in out and any(p in text for p in _name_phrases(name) for text in texts):
            out[tid] = name
    return out


def _require_execution(ctx: AppContext, session: Session, event: PlanEvent) -> None:
    """A district officer marks only the events its territory executes (domain/roles.py); others by role."""
    territories = executing_territories(session, event) if ctx.user.role.value == "district" else {}
    require_among(ctx, Action.REPORT_EXECUTION, territories, f"мероприятие {event.number}".rstrip())


def attach_document(ctx: AppContext, point_id: int, file_name: str, content: bytes) -> DocumentRow:
    """Attach a document confirming execution; stored with its SHA-256."""
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ValidationError("file", "Файл больше 50 МБ; приложите документ меньшего размера.")
    with ctx.uow(reason="Документ об исполнении") as s:
        cp = s.get(ControlPoint, point_id)
        if cp is None:
            raise NotFoundError("Контрольная точка не найдена.")
        _require_execution(ctx, s, cp.event)
        doc = ControlPointDocument(point_id=cp.id, file_name=Path(file_name).name, content=content, size=len(content),
                                   sha256=hashlib.sha256(content).hexdigest())
        s.add(doc)
        s.flush()
        row = DocumentRow(doc.id, cp.id, doc.file_name, doc.sha256, doc.size, doc.added_at)
        s.commit()
        return row


def list_documents(ctx: AppContext, point_id: int) -> list[DocumentRow]:
    with ctx.uow() as s:
        docs = s.scalars(select(ControlPointDocument).where(ControlPointDocument.point_id == point_id)
                         .order_by(ControlPointDocument.id)).all()
        return [DocumentRow(d.id, d.point_id, d.file_name, d.sha256, d.size, d.added_at) for d in docs]


def document_content(ctx: AppContext, document_id: int) -> bytes:
    """The stored file, checked against its SHA-256 (a mismatch means the database was damaged)."""
    with ctx.uow() as s:
        d = s.get(ControlPointDocument, document_id)
        if d is None:
            raise NotFoundError("Документ не найден.")
        if hashlib.sha256(d.content).hexdigest() != d.sha256:
            raise ConflictError(f"Файл «{d.file_name}» повреждён: контрольная сумма не совпадает.")
        return bytes(d.content)


def point_history(ctx: AppContext, point_id: int) -> list[tuple[dt.datetime, str, str, str, str]]:
    """Audit trail of a control point: (when, who, field, old, new)."""
    from socplan.db.models.audit import AuditLog

    with ctx.uow() as s:
        rows = s.scalars(select(AuditLog).where(and_(AuditLog.entity == "plan_control_point",
                                                     or_(AuditLog.entity_id == str(point_id))))
                         .order_by(AuditLog.id)).all()
        return [(r.at, r.user_name, r.field, r.old or "", r.new or "") for r in rows]
