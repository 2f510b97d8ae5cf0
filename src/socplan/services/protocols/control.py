"""Control of execution: assignments (decisions with responsible bodies), their status, execution info,
documents with SHA-256, overdue and due-soon lists, the reminder shown at start-up."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from socplan.db.models.protocols import AgendaItem, ControlDocument, Decision, DecisionResponsible, Meeting
from socplan.domain import protocols as rules
from socplan.domain.errors import NotFoundError, SocPlanError, ValidationError, ValidationErrors
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.protocols.rows import DecisionRow, DocumentRow, decision_name, decision_row
from socplan.services.record_versions import check_seen, stale_as_conflict

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class AssignmentFilter:
    body_id: int | None = None
    statuses: tuple[str, ...] = ()  # empty: every status
    organisation_id: int | None = None  # responsible body
    date_from: dt.date | None = None  # meetings held in the period
    date_to: dt.date | None = None
    only_assignments: bool = True

    def describe(self) -> str:
        parts = []
        if self.statuses:
            parts.append("статус: " + ", ".join(rules.CONTROL_STATUSES[s] for s in self.statuses))
        if self.date_from or self.date_to:
            a = f"с {self.date_from:%d.%m.%Y} " if self.date_from else ""
            b = f"по {self.date_to:%d.%m.%Y}" if self.date_to else ""
            parts.append(f"заседания {a}{b}".strip())
        return "; ".join(parts)


@dataclass(frozen=True)
class ControlInput:
    status: str
    execution_info: str = ""
    execution_date: dt.date | None = None
    new_due_date: dt.date | None = None  # «срок перенесён»


@dataclass(frozen=True)
class Reminder:
    overdue: tuple[DecisionRow, ...]
    due_soon: tuple[DecisionRow, ...]

    @property
    def empty(self) -> bool:
        return not self.overdue and not self.due_soon

    def text(self) -> str:
        lines = []
        if self.overdue:
            lines.append(f"Просрочено поручений: {len(self.overdue)}")
            lines += [f"  • {r.body_short}, {r.label} (протокол от {r.meeting_date:%d.%m.%Y}) — срок "
                      f"{r.due_date:%d.%m.%Y}" for r in self.overdue]
        if self.due_soon:
            lines.append(f"Срок исполнения подходит: {len(self.due_soon)}")
            lines += [f"  • {r.body_short}, {r.label} — до {r.due_date:%d.%m.%Y}" for r in self.due_soon]
        return "\n".join(lines)


def list_assignments(ctx: AppContext, flt: AssignmentFilter = AssignmentFilter()) -> list[DecisionRow]:
    """Decisions in the order of the report: by meeting date, question, point, sub-point."""
    with ctx.uow() as s:
        query = (select(Decision).join(AgendaItem).join(Meeting)
                 .options(contains_eager(Decision.agenda_item).contains_eager(AgendaItem.meeting)
                          .joinedload(Meeting.body),
                          selectinload(Decision.responsibles).joinedload(DecisionResponsible.organisation),
                          selectinload(Decision.documents).defer(ControlDocument.content))
                 .order_by(Meeting.date, Meeting.id, AgendaItem.number, Decision.point, Decision.subpoint))
        if flt.body_id is not None:
            query = query.where(Meeting.body_id == flt.body_id)
        if flt.only_assignments:
            query = query.where(Decision.control_status != "")
        if flt.statuses:
            query = query.where(Decision.control_status.in_(flt.statuses))
        if flt.date_from:
            query = query.where(Meeting.date >= flt.date_from)
        if flt.date_to:
            query = query.where(Meeting.date <= flt.date_to)
        if flt.organisation_id is not None:
            query = query.where(Decision.id.in_(select(DecisionResponsible.decision_id).where(
                DecisionResponsible.organisation_id == flt.organisation_id)))
        return [decision_row(d) for d in s.scalars(query)]


def get_decision(ctx: AppContext, decision_id: int) -> DecisionRow:
    with ctx.uow() as s:
        d = s.get(Decision, decision_id)
        if d is None:
            raise NotFoundError("Поручение не найдено: обновите список.")
        return decision_row(d)


def overdue(ctx: AppContext, today: dt.date | None = None) -> list[DecisionRow]:
    today = today or dt.date.today()
    rows = list_assignments(ctx, AssignmentFilter(statuses=tuple(rules.OPEN_STATUSES)))
    return sorted((r for r in rows if rules.is_overdue(r.control_status, r.due_date, today)),
                  key=lambda r: (r.due_date, r.meeting_date))


def due_soon(ctx: AppContext, today: dt.date | None = None, days: int = 7) -> list[DecisionRow]:
    today = today or dt.date.today()
    rows = list_assignments(ctx, AssignmentFilter(statuses=tuple(rules.OPEN_STATUSES)))
    return sorted((r for r in rows if rules.is_due_soon(r.control_status, r.due_date, today, days)),
                  key=lambda r: (r.due_date, r.meeting_date))


def reminders(ctx: AppContext, today: dt.date | None = None, days: int = 7) -> Reminder:
    """What to remind the secretary of at start-up: overdue assignments and those due within ``days``."""
    return Reminder(tuple(overdue(ctx, today)), tuple(due_soon(ctx, today, days)))


def update_control(ctx: AppContext, decision_id: int, data: ControlInput, *,
                   seen_version: int | None = None) -> DecisionRow:
    """Change the status of an assignment; the audit log keeps who changed what and when. ``seen_version``:
    ``DecisionRow.version`` when the user opened it; changed by someone else since — ConflictError."""
    require(ctx, Action.EDIT_PROTOCOLS)
    errors: list[ValidationError] = []
    if data.status not in rules.CONTROL_STATUSES:
        errors.append(ValidationError("status", "Выберите статус поручения из списка."))
    if data.status == rules.STATUS_DONE and not data.execution_info.strip():
        errors.append(ValidationError("execution_info", "Для статуса «выполнено» опишите, как исполнено поручение."))
    if data.status == rules.STATUS_POSTPONED and data.new_due_date is None:
        errors.append(ValidationError("new_due_date", "Укажите новый срок исполнения."))
    if errors:
        raise ValidationErrors(errors)
    with stale_as_conflict("Поручение") as record, \
            ctx.uow(reason=f"Контроль исполнения: {rules.CONTROL_STATUSES[data.status]}") as s:
        d = s.get(Decision, decision_id)
        if d is None:
            raise NotFoundError("Поручение не найдено: обновите список.")
        record.name = decision_name(d)
        check_seen(d, seen_version, record.name)
        if not d.control_status:
            raise SocPlanError("Это решение не является поручением: у него нет ответственных или оно не принято.")
        meeting_date = d.agenda_item.meeting.date
        if data.execution_date and data.execution_date < meeting_date:
            raise ValidationErrors([ValidationError(
                "execution_date", f"Дата исполнения раньше даты заседания ({meeting_date:%d.%m.%Y}).")])
        if data.status == rules.STATUS_POSTPONED:
            if data.new_due_date <= meeting_date:
                raise ValidationErrors([ValidationError("new_due_date", "Новый срок должен быть позже даты заседания.")])
            if d.original_due_date is None:
                d.original_due_date = d.due_date
            d.due_date = data.new_due_date
        d.control_status = data.status
        d.execution_info = data.execution_info.strip()
        d.execution_date = data.execution_date or (dt.date.today() if data.status == rules.STATUS_DONE else None)
        s.commit()
        return decision_row(d)


# ---------------------------------------------------------------- documents

def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attach_document(ctx: AppContext, decision_id: int, path: Path, description: str = "") -> DocumentRow:
    require(ctx, Action.EDIT_PROTOCOLS)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise SocPlanError(f"Файл «{path.name}» больше 50 МБ. Приложите его сжатую копию или выдержку.")
        data = path.read_bytes()
    except OSError as exc:
        raise SocPlanError(f"Не удалось прочитать файл «{path.name}»: {exc.strerror or exc}. Проверьте путь и права.") from exc
    with ctx.uow(reason=f"Документ об исполнении: {path.name}") as s:
        d = s.get(Decision, decision_id)
        if d is None:
            raise NotFoundError("Поручение не найдено: обновите список.")
        digest = sha256_of(data)
        if any(x.sha256 == digest for x in d.documents):
            raise SocPlanError(f"Этот документ уже приложен (совпадает SHA-256): «{path.name}».")
        doc = ControlDocument(decision=d, file_name=path.name, sha256=digest, size=len(data), content=data,
                              description=description.strip())
        s.add(doc)
        s.commit()
        return DocumentRow(doc.id, doc.file_name, doc.sha256, doc.size, doc.description, doc.added_at)


def export_document(ctx: AppContext, document_id: int, target: Path) -> Path:
    """Save an attached document; its SHA-256 is checked so a damaged copy is never handed out silently."""
    with ctx.uow() as s:
        doc = s.get(ControlDocument, document_id)
        if doc is None:
            raise NotFoundError("Документ не найден: обновите список.")
        data = doc.content or b""
        if sha256_of(data) != doc.sha256:
            raise SocPlanError(f"Документ «{doc.file_name}» повреждён: контрольная сумма SHA-256 не совпадает.")
    from socplan.atomic import save_failed, write_bytes

    target = Path(target)
    try:
        write_bytes(target, data)  # whole or not at all
    except OSError as exc:
        raise SocPlanError(save_failed(target, exc)) from exc
    return target


def delete_document(ctx: AppContext, document_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление документа об исполнении") as s:
        doc = s.get(ControlDocument, document_id)
        if doc is None:
            raise NotFoundError("Документ не найден: обновите список.")
        s.delete(doc)
        s.commit()


def restore_control(ctx: AppContext, snapshot: DecisionRow) -> DecisionRow:
    """Put an assignment's control fields back as they were in ``snapshot`` (undo of a status change)."""
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Отмена изменения статуса поручения") as s:
        d = s.get(Decision, snapshot.id)
        if d is None:
            raise NotFoundError("Поручение не найдено: возможно, его удалили.")
        d.control_status, d.execution_info = snapshot.control_status, snapshot.execution_info
        d.execution_date, d.due_date = snapshot.execution_date, snapshot.due_date
        d.original_due_date = snapshot.original_due_date
        s.commit()
        return decision_row(d)
