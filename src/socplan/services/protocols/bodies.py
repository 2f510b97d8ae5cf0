"""Collegial bodies and their membership over time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from socplan.db.models.protocols import Body, Meeting, Membership
from socplan.db.models.reference import Person
from socplan.domain import protocols as rules
from socplan.domain.errors import InUseError, NotFoundError, ValidationError, ValidationErrors
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.protocols.rows import BodyRow, MemberRow, body_row, member_row


@dataclass(frozen=True)
class BodyInput:
    kind: str
    name: str
    name_genitive: str = ""
    short_name: str = ""
    short_name_genitive: str = ""
    founded: dt.date | None = None
    statute: str = ""
    default_place: str = ""
    quorum_rule: rules.QuorumRule = rules.QuorumRule()
    decision_rule: rules.DecisionRule = rules.DecisionRule()
    secretary_signs: bool = True


@dataclass(frozen=True)
class MemberInput:
    person_id: int
    role: str
    position: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def list_bodies(ctx: AppContext) -> list[BodyRow]:
    with ctx.uow() as s:
        return [body_row(b) for b in s.scalars(select(Body).order_by(Body.name))]


def get_body(ctx: AppContext, body_id: int) -> BodyRow:
    with ctx.uow() as s:
        return body_row(_body(s, body_id))


def find_body(ctx: AppContext, name: str) -> BodyRow:
    """By id, short name or (a part of) the full name — for the command line."""
    needle = name.strip().casefold()
    bodies = list_bodies(ctx)
    if needle.isdigit():
        found = [b for b in bodies if b.id == int(needle)]
    else:
        found = [b for b in bodies if needle in (b.short_name.casefold(), b.name.casefold())] or \
            [b for b in bodies if needle in b.name.casefold() or needle in b.short_name.casefold()]
    if len(found) != 1:
        known = "; ".join(f"{b.id} — {b.display_short}" for b in bodies)
        what = "не найден" if not found else "указан неоднозначно"
        raise NotFoundError(f"Коллегиальный орган «{name}» {what}. Есть: {known}.")
    return found[0]


def _body(s, body_id: int) -> Body:  # noqa: ANN001
    body = s.get(Body, body_id)
    if body is None:
        raise NotFoundError("Коллегиальный орган не найден: возможно, его удалили. Обновите список.")
    return body


def validate_body(data: BodyInput) -> None:
    errors: list[ValidationError] = []
    if data.kind not in rules.BODY_KINDS:
        errors.append(ValidationError("kind", "Выберите вид органа: совет, рабочая группа, комиссия или общественный совет."))
    if not data.name.strip():
        errors.append(ValidationError("name", "Заполните поле «Наименование»."))
    for field, rule in (("quorum", data.quorum_rule), ("decision", data.decision_rule)):
        if rule.numerator <= 0 or rule.denominator <= 0 or rule.numerator > rule.denominator:
            errors.append(ValidationError(field, "Доля должна быть дробью от 1/1 до 1/N, например 1/2 (половина)."))
    if errors:
        raise ValidationErrors(errors)


def save_body(ctx: AppContext, data: BodyInput, body_id: int | None = None) -> BodyRow:
    require(ctx, Action.EDIT_PROTOCOLS)
    validate_body(data)
    with ctx.uow(reason="Изменение сведений о коллегиальном органе") as s:
        body = _body(s, body_id) if body_id else Body()
        if body_id and data.founded:
            first = s.scalar(select(Meeting.date).where(Meeting.body_id == body_id).order_by(Meeting.date).limit(1))
            if first and first < data.founded:
                raise ValidationErrors([ValidationError(
                    "founded", f"Есть заседание от {first:%d.%m.%Y}, раньше указанной даты создания.")])
        body.kind, body.name = data.kind, data.name.strip()
        body.name_genitive, body.short_name = data.name_genitive.strip(), data.short_name.strip()
        body.short_name_genitive, body.founded = data.short_name_genitive.strip(), data.founded
        body.statute, body.default_place = data.statute.strip(), data.default_place.strip()
        q, d = data.quorum_rule, data.decision_rule
        body.quorum_numerator, body.quorum_denominator, body.quorum_strict = q.numerator, q.denominator, q.strict
        body.decision_numerator, body.decision_denominator = d.numerator, d.denominator
        body.decision_strict, body.casting_vote = d.strict, d.casting_vote
        body.secretary_signs = data.secretary_signs
        s.add(body)
        s.commit()
        return body_row(body)


def delete_body(ctx: AppContext, body_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление коллегиального органа") as s:
        body = _body(s, body_id)
        if body.meetings:
            raise InUseError(f"Нельзя удалить: у органа {len(body.meetings)} заседаний. Сначала удалите заседания.")
        s.delete(body)
        s.commit()


# ---------------------------------------------------------------- membership

def list_members(ctx: AppContext, body_id: int, on: dt.date | None = None) -> list[MemberRow]:
    """The whole history of the membership, or only those in force on ``on``."""
    with ctx.uow() as s:
        body = _body(s, body_id)
        rows = [member_row(m) for m in sorted(body.memberships, key=lambda m: (m.sort_order, m.id))]
    return [r for r in rows if on is None or r.active_on(on)]


def save_member(ctx: AppContext, body_id: int, data: MemberInput, member_id: int | None = None) -> MemberRow:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Изменение состава коллегиального органа") as s:
        body = _body(s, body_id)
        person = s.get(Person, data.person_id) if data.person_id else None
        if person is None:
            raise ValidationErrors([ValidationError("person_id", "Выберите человека из справочника сотрудников.")])
        others = [rules.MemberOnDate(m.person_id, m.role, m.date_from, m.date_to)
                  for m in body.memberships if m.id != member_id]
        rules.validate_membership(data.role, data.date_from, data.date_to, body.founded, others, data.person_id)
        if member_id:
            member = s.get(Membership, member_id)
            if member is None or member.body_id != body_id:
                raise NotFoundError("Запись о членстве не найдена: обновите список.")
        else:
            member = Membership(body=body, sort_order=len(body.memberships) + 1)
        member.person_id, member.role = data.person_id, data.role
        member.position = data.position.strip() or person.position
        member.date_from, member.date_to = data.date_from, data.date_to
        s.add(member)
        s.commit()
        s.refresh(member)
        return member_row(member)


def delete_member(ctx: AppContext, member_id: int) -> None:
    """Only a membership never used in attendance can be deleted; otherwise set «по» (end date)."""
    require(ctx, Action.EDIT_PROTOCOLS)
    from socplan.db.models.protocols import Attendance

    with ctx.uow(reason="Исключение из состава коллегиального органа") as s:
        member = s.get(Membership, member_id)
        if member is None:
            raise NotFoundError("Запись о членстве не найдена: обновите список.")
        used = s.scalar(select(Attendance.id).join(Meeting).where(
            Meeting.body_id == member.body_id, Attendance.person_id == member.person_id).limit(1))
        if used:
            raise InUseError("Нельзя удалить: этот член органа отмечен на заседаниях. "
                             "Укажите дату окончания членства («по»), история сохранится.")
        s.delete(member)
        s.commit()
