"""Meetings: attendance and quorum, agenda questions, decisions with responsible bodies, deadlines and votes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.protocols import (AgendaItem, Attendance, Body, Decision, DecisionResponsible, Meeting)
from socplan.db.models.reference import Organisation, Person
from socplan.domain import protocols as rules
from socplan.domain import speeches as speech_rules
from socplan.domain.errors import NotFoundError, ValidationError, ValidationErrors
from socplan.domain.reference import initials_surname
from socplan.domain.roles import Action
from socplan.services.permissions import require
from socplan.services.context import AppContext
from socplan.services.record_versions import check_seen, stale_as_conflict
from socplan.services.plans.calendar import load_calendar
from socplan.services.protocols.deadlines import decision_deadline
from socplan.services.protocols.rows import (AgendaRow, AttendeeRow, DecisionRow, MeetingDetail, MeetingRow, decision_name,
                                             agenda_row, body_row, decision_row, meeting_row, member_facts, member_row,
                                             quorum_of, speech_row)


@dataclass(frozen=True)
class InvitedInput:
    name: str
    position: str = ""
    person_id: int | None = None


@dataclass(frozen=True)
class MeetingInput:
    body_id: int
    date: dt.date | None
    number: str = ""
    time: str = ""
    place: str = ""
    form: str = "in_person"
    presiding_id: int | None = None
    secretary_id: int | None = None
    member_ids: tuple[int, ...] = ()
    invited: tuple[InvitedInput, ...] = ()


@dataclass(frozen=True)
class AgendaInput:
    number: int
    title: str
    speakers: str = ""
    heard: str = ""


@dataclass(frozen=True)
class ResponsibleInput:
    organisation_id: int | None = None
    text: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class DecisionInput:
    point: int
    text: str
    subpoint: int | None = None
    responsibles: tuple[ResponsibleInput, ...] = ()
    deadline_text: str = ""
    due_date: dt.date | None = None  # set by hand when the wording gives no date
    votes: rules.Votes | None = None
    presiding_vote: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- reading

def list_meetings(ctx: AppContext, body_id: int | None = None) -> list[MeetingRow]:
    with ctx.uow() as s:
        query = select(Meeting).order_by(Meeting.date.desc(), Meeting.id.desc())
        if body_id is not None:
            query = query.where(Meeting.body_id == body_id)
        return [meeting_row(m) for m in s.scalars(query)]


def _meeting(s: Session, meeting_id: int) -> Meeting:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFoundError("Заседание не найдено: возможно, его удалили. Обновите список.")
    return meeting


def _attendee(a: Attendance, roles: dict[int, str]) -> AttendeeRow:
    p = a.person
    if p is not None:
        return AttendeeRow(a.person_id, " ".join(x for x in (p.last_name, p.first_name, p.middle_name) if x),
                           initials_surname(p.last_name, p.first_name, p.middle_name), a.position or p.position,
                           a.invited, roles.get(a.person_id or 0, ""))
    return AttendeeRow(None, a.name, a.name, a.position, a.invited, "")


def meeting_detail(ctx: AppContext, meeting_id: int) -> MeetingDetail:
    with ctx.uow() as s:
        m = _meeting(s, meeting_id)
        members = tuple(member_row(x) for x in sorted(m.body.memberships, key=lambda x: (x.sort_order, x.id))
                        if member_row(x).active_on(m.date))
        roles = {x.person_id: x.role for x in members}
        agenda = tuple(agenda_row(a) for a in m.agenda)
        return MeetingDetail(meeting_row(m), body_row(m.body), members,
                             tuple(_attendee(a, roles) for a in m.attendance), agenda)


def preview_quorum(ctx: AppContext, body_id: int, day: dt.date, member_ids: tuple[int, ...]) -> rules.QuorumStatus:
    """Live quorum while the secretary ticks the attendance (nothing saved)."""
    with ctx.uow() as s:
        body = s.get(Body, body_id)
        if body is None:
            raise NotFoundError("Коллегиальный орган не найден.")
        active = {m.person_id for m in rules.members_on(member_facts(body), day)}
        rule = rules.QuorumRule(body.quorum_numerator, body.quorum_denominator, body.quorum_strict)
        return rules.quorum_status(len(active), len(set(member_ids) & active), rule)


# ---------------------------------------------------------------- meetings

def save_meeting(ctx: AppContext, data: MeetingInput, meeting_id: int | None = None) -> MeetingRow:
    """Create or change a meeting and its attendance; outcomes of its decisions are recomputed."""
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Сведения о заседании") as s:
        meeting = save_meeting_in(s, data, meeting_id)
        s.commit()
        return meeting_row(meeting)


def save_meeting_in(s: Session, data: MeetingInput, meeting_id: int | None = None) -> Meeting:
    """``save_meeting`` inside the caller's session (the demo loader): same checks, nothing committed."""
    body = s.get(Body, data.body_id)
    if body is None:
        raise ValidationErrors([ValidationError("body_id", "Выберите коллегиальный орган.")])
    active = [m.person_id for m in rules.members_on(member_facts(body), data.date)] if data.date else []
    invited_keys = [str(i.person_id) if i.person_id else i.name for i in data.invited]
    rules.validate_meeting(rules.MeetingCheck(
        data.date, body.founded, list(data.member_ids), active, invited_keys, data.form, data.number,
        data.presiding_id))
    if any(not (i.name.strip() or i.person_id) for i in data.invited):
        raise ValidationErrors([ValidationError("invited", "У приглашённого не указаны ФИО.")])
    if data.number.strip():
        clash = s.scalar(select(Meeting).where(Meeting.body_id == body.id, Meeting.number == data.number.strip(),
                                               Meeting.id != (meeting_id or 0),
                                               Meeting.date.between(dt.date(data.date.year, 1, 1),
                                                                    dt.date(data.date.year, 12, 31))))
        if clash:
            raise ValidationErrors([ValidationError(
                "number", f"Протокол № {data.number} за {data.date.year} год уже есть "
                f"(заседание {clash.date:%d.%m.%Y}). Укажите другой номер.")])
    meeting = _meeting(s, meeting_id) if meeting_id else Meeting(body=body)
    s.add(meeting)
    meeting.date, meeting.number, meeting.time = data.date, data.number.strip(), data.time.strip()
    meeting.place, meeting.form = data.place.strip() or body.default_place, data.form
    meeting.presiding_id, meeting.secretary_id = data.presiding_id, data.secretary_id
    meeting.attendance.clear()
    s.flush()
    order = 0
    for pid in data.member_ids:
        order += 1
        meeting.attendance.append(Attendance(person_id=pid, invited=False, sort_order=order))
    for inv in data.invited:
        order += 1
        meeting.attendance.append(Attendance(person_id=inv.person_id, invited=True, name=inv.name.strip(),
                                             position=inv.position.strip(), sort_order=order))
    s.add(meeting)
    s.flush()
    _recompute_outcomes(meeting)
    check_speakers_present(meeting)
    return meeting


def participants(meeting: Meeting) -> list[speech_rules.Participant]:
    """Who may speak: the members marked present and the invited persons (DOCUMENTS.md §3)."""
    out = []
    for a in meeting.attendance:
        p = a.person
        name = " ".join(x for x in (p.last_name, p.first_name, p.middle_name) if x) if p is not None else a.name
        out.append(speech_rules.Participant(a.person_id, name, a.invited))
    return out


def check_speakers_present(meeting: Meeting) -> None:
    """An attendance change may not drop someone recorded under «ВЫСТУПИЛИ»: say who and where."""
    people = participants(meeting)
    for item in meeting.agenda:
        for x in item.speeches:
            if speech_rules.find_participant(x.person_id, x.name, people) is None:
                who = speech_row(x, 0).name.replace("\u00a0", " ")
                raise ValidationErrors([ValidationError("attendance", (
                    f"{who} выступает по вопросу № {item.number} («ВЫСТУПИЛИ»), но больше не отмечен среди "
                    "присутствовавших или приглашённых. Отметьте его снова или сначала удалите его выступление."))])


def delete_meeting(ctx: AppContext, meeting_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление заседания") as s:
        s.delete(_meeting(s, meeting_id))
        s.commit()


# ---------------------------------------------------------------- agenda

def save_agenda_item(ctx: AppContext, meeting_id: int, data: AgendaInput, item_id: int | None = None) -> AgendaRow:
    require(ctx, Action.EDIT_PROTOCOLS)
    _check_agenda_input(data)
    with ctx.uow(reason="Повестка заседания") as s:
        item = save_agenda_item_in(s, _meeting(s, meeting_id), data, item_id)
        s.commit()
        return agenda_row(item)


def _check_agenda_input(data: AgendaInput) -> None:
    errors: list[ValidationError] = []
    if data.number <= 0:
        errors.append(ValidationError("number", "Номер вопроса должен быть положительным числом."))
    if not data.title.strip():
        errors.append(ValidationError("title", "Введите формулировку вопроса повестки."))
    if errors:
        raise ValidationErrors(errors)


def save_agenda_item_in(s: Session, meeting: Meeting, data: AgendaInput, item_id: int | None = None) -> AgendaItem:
    """``save_agenda_item`` inside the caller's session (the demo loader): same checks, nothing committed."""
    _check_agenda_input(data)
    if any(a.number == data.number and a.id != item_id for a in meeting.agenda):
        raise ValidationErrors([ValidationError("number", f"Вопрос № {data.number} уже есть в повестке.")])
    item = s.get(AgendaItem, item_id) if item_id else AgendaItem(meeting=meeting)
    if item is None:
        raise NotFoundError("Вопрос повестки не найден: обновите список.")
    s.add(item)
    item.number, item.title = data.number, data.title.strip()
    item.speakers, item.heard = data.speakers.strip(), data.heard.strip()
    s.add(item)
    s.flush()
    return item


def delete_agenda_item(ctx: AppContext, item_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление вопроса повестки") as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise NotFoundError("Вопрос повестки не найден: обновите список.")
        s.delete(item)
        s.commit()


def next_agenda_number(ctx: AppContext, meeting_id: int) -> int:
    with ctx.uow() as s:
        return max((a.number for a in _meeting(s, meeting_id).agenda), default=0) + 1


# ---------------------------------------------------------------- decisions

def _present(meeting: Meeting) -> int:
    body = meeting.body
    active = {m.person_id for m in rules.members_on(member_facts(body), meeting.date)}
    present = {a.person_id for a in meeting.attendance if not a.invited and a.person_id in active}
    return len(present) if active else len(present) or 10**6  # no membership recorded: counts are not bounded


def _presiding_role(meeting: Meeting) -> str | None:
    return rules.presiding_role(member_facts(meeting.body), meeting.date, meeting.presiding_id)


def _outcome(meeting: Meeting, votes: rules.Votes | None, presiding_vote: str) -> rules.Outcome:
    body = meeting.body
    rule = rules.DecisionRule(body.decision_numerator, body.decision_denominator, body.decision_strict,
                              body.casting_vote)
    return rules.decision_outcome(votes, _present(meeting), quorum_of(meeting), rule, _presiding_role(meeting),
                                  presiding_vote or None)


def _apply_control(decision: Decision, adopted: bool) -> None:
    """An adopted decision with responsible bodies is under control; otherwise it is not an assignment."""
    if adopted and decision.responsibles:
        if not decision.control_status:
            decision.control_status = rules.STATUS_ON_CONTROL
    elif decision.control_status in ("", rules.STATUS_ON_CONTROL):
        decision.control_status = ""


def _recompute_outcomes(meeting: Meeting) -> None:
    for item in meeting.agenda:
        for d in item.decisions:
            votes = rules.Votes(d.votes_for, d.votes_against or 0, d.votes_abstained or 0) \
                if d.votes_for is not None else None
            try:
                outcome = _outcome(meeting, votes, d.presiding_vote)
            except ValidationErrors as exc:
                raise ValidationErrors([ValidationError("attendance", (
                    f"Решение {rules.protocol_point_label(item.number, d.point, d.subpoint)}: {exc.message} "
                    "Сначала исправьте голоса по этому решению."))]) from exc
            d.outcome = outcome.code
            _apply_control(d, outcome.adopted)


def decision_outcome_preview(ctx: AppContext, meeting_id: int, votes: rules.Votes | None,
                             presiding_vote: str = "") -> rules.Outcome:
    """The outcome the body's rule gives for these votes (shown live in the decision editor)."""
    with ctx.uow() as s:
        return _outcome(_meeting(s, meeting_id), votes, presiding_vote)


def save_decision(ctx: AppContext, agenda_item_id: int, data: DecisionInput,
                  decision_id: int | None = None, *, seen_version: int | None = None) -> DecisionRow:
    """``seen_version``: ``DecisionRow.version`` when the user opened the decision; saved by someone else since —
    ConflictError, nothing overwritten (services/record_versions.py)."""
    require(ctx, Action.EDIT_PROTOCOLS)
    _check_decision_input(data)
    with stale_as_conflict("Решение заседания") as record, ctx.uow(reason="Решение заседания") as s:
        item = s.get(AgendaItem, agenda_item_id)
        if item is None:
            raise NotFoundError("Вопрос повестки не найден: обновите список.")
        found = s.get(Decision, decision_id) if decision_id else None
        if found is not None:
            record.name = decision_name(found)
            check_seen(found, seen_version, record.name)
        decision = save_decision_in(s, item, data, decision_id)
        s.commit()
        return decision_row(decision)


def _check_decision_input(data: DecisionInput) -> None:
    rules.validate_decision_text(data.text)
    if data.presiding_vote and data.presiding_vote not in rules.VOTE_CHOICES:
        raise ValidationError("presiding_vote", "Голос председательствующего: «за», «против» или «воздержался».")


def save_decision_in(s: Session, item: AgendaItem, data: DecisionInput, decision_id: int | None = None) -> Decision:
    """``save_decision`` inside the caller's session (the demo loader): same checks and outcome, nothing committed."""
    _check_decision_input(data)
    meeting = item.meeting
    pairs = [(d.point, d.subpoint) for d in item.decisions if d.id != decision_id]
    rules.validate_numbering(pairs + [(data.point, data.subpoint or None)])
    outcome = _outcome(meeting, data.votes, data.presiding_vote)
    for r in data.responsibles:
        if r.organisation_id is not None and s.get(Organisation, r.organisation_id) is None:
            raise ValidationError("responsibles", "Организация не найдена в справочнике: обновите список.")
        if r.organisation_id is None and not r.text.strip():
            raise ValidationError("responsibles", "Пустая строка в списке ответственных.")
    deadline = decision_deadline(data.deadline_text, data.text, meeting.date, load_calendar(s))
    decision = s.get(Decision, decision_id) if decision_id else Decision(agenda_item=item)
    if decision is None:
        raise NotFoundError("Решение не найдено: обновите список.")
    s.add(decision)
    decision.point, decision.subpoint, decision.text = data.point, data.subpoint or None, data.text.strip()
    decision.deadline_text = deadline.text
    new_due = data.due_date or deadline.due
    if decision.control_status != rules.STATUS_POSTPONED:
        decision.due_date = new_due
    if data.votes is None:
        decision.votes_for = decision.votes_against = decision.votes_abstained = None
    else:
        decision.votes_for, decision.votes_against = data.votes.votes_for, data.votes.against
        decision.votes_abstained = data.votes.abstained
    decision.presiding_vote = data.presiding_vote
    decision.outcome = outcome.code
    decision.responsibles.clear()
    s.flush()
    for order, r in enumerate(data.responsibles, start=1):
        decision.responsibles.append(DecisionResponsible(
            organisation_id=r.organisation_id, text=r.text.strip() if r.organisation_id is None else "",
            suffix=r.suffix.strip(), sort_order=order))
    _apply_control(decision, outcome.adopted)
    s.add(decision)
    s.flush()
    return decision


def delete_decision(ctx: AppContext, decision_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление решения") as s:
        d = s.get(Decision, decision_id)
        if d is None:
            raise NotFoundError("Решение не найдено: обновите список.")
        s.delete(d)
        s.commit()


def parse_responsibles(ctx: AppContext, text: str) -> tuple[ResponsibleInput, ...]:
    """«Минобразования, Минтруд, органы местного самоуправления …» → organisations from the reference and wordings."""
    with ctx.uow() as s:
        known: dict[str, int] = {}
        for org in s.scalars(select(Organisation)):
            known.setdefault(rules.normalise_spaces(org.full_name), org.id)
            known[rules.normalise_spaces(org.short_name)] = org.id
    return tuple(ResponsibleInput(p.key, p.text, p.suffix) for p in rules.split_responsibles(text, known))


def people_choices(ctx: AppContext) -> list[tuple[int, str]]:
    with ctx.uow() as s:
        return [(p.id, " ".join(x for x in (p.last_name, p.first_name, p.middle_name) if x))
                for p in s.scalars(select(Person).order_by(Person.last_name, Person.first_name))]


def deadline_preview(ctx: AppContext, meeting_id: int, wording: str, decision_text: str):  # noqa: ANN201
    """The deadline the editor shows while typing: description and the computed due date (nothing saved)."""
    with ctx.uow() as s:
        meeting = _meeting(s, meeting_id)
        result = decision_deadline(wording, decision_text, meeting.date, load_calendar(s))
        s.rollback()
        return result
