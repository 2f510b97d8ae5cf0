"""Immutable rows the protocols services hand out (the GUI, CLI and reports never see ORM objects)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socplan.db.models.protocols import AgendaItem, Body, Decision, DecisionResponsible, Meeting, Membership, Speech
from socplan.domain import protocols as rules
from socplan.domain.reference import full_name, initials_surname
from socplan.domain.speeches import initials_first, speech_line


@dataclass(frozen=True)
class BodyRow:
    id: int
    kind: str
    kind_label: str
    name: str
    name_genitive: str
    short_name: str
    short_name_genitive: str
    founded: dt.date | None
    statute: str
    default_place: str
    quorum_rule: rules.QuorumRule
    decision_rule: rules.DecisionRule
    secretary_signs: bool

    @property
    def display_short(self) -> str:
        """For lists: «Рабочая группа» even when the statute writes «(далее – рабочая группа)»."""
        name = self.short_name or self.name
        return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class MemberRow:
    id: int
    body_id: int
    person_id: int
    full_name: str
    initials_surname: str
    role: str
    role_label: str
    position: str
    date_from: dt.date | None
    date_to: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return (self.date_from is None or self.date_from <= day) and (self.date_to is None or day <= self.date_to)


@dataclass(frozen=True)
class ResponsibleRow:
    organisation_id: int | None
    full_name: str
    short_name: str
    text: str
    suffix: str

    def named(self) -> rules.Named:
        return rules.Named(self.full_name, self.short_name, self.suffix, self.text)

    @property
    def short_text(self) -> str:
        if self.organisation_id is None:
            return self.text
        return f"{self.short_name} {self.suffix}".strip()


@dataclass(frozen=True)
class DocumentRow:
    id: int
    file_name: str
    sha256: str
    size: int
    description: str
    added_at: dt.datetime


@dataclass(frozen=True)
class DecisionRow:
    id: int
    agenda_item_id: int
    meeting_id: int
    meeting_date: dt.date
    meeting_number: str
    body_id: int
    body_short: str
    question: int
    point: int
    subpoint: int | None
    label: str
    text: str
    deadline_text: str
    due_date: dt.date | None
    original_due_date: dt.date | None
    votes: rules.Votes | None
    presiding_vote: str
    outcome: str
    outcome_label: str
    control_status: str
    status_label: str
    execution_info: str
    execution_date: dt.date | None
    responsibles: tuple[ResponsibleRow, ...]
    documents: tuple[DocumentRow, ...]
    version: int = 0  # optimistic locking: pass it back as ``seen_version`` when saving the edited decision

    @property
    def responsibles_text(self) -> str:
        return ", ".join(r.short_text for r in self.responsibles)

    @property
    def is_assignment(self) -> bool:
        return bool(self.control_status)


@dataclass(frozen=True)
class SpeechRow:
    """One «ВЫСТУПИЛИ» entry: ``name`` as printed («И.О. Фамилия»), ``line`` the whole printed line."""

    id: int
    agenda_item_id: int
    order: int  # 1, 2, … in the order they spoke
    person_id: int | None
    name: str
    position: str
    gist: str
    line: str


@dataclass(frozen=True)
class AgendaRow:
    id: int
    meeting_id: int
    number: int
    title: str
    speakers: str  # «Докладчики» (who was heard, «СЛУШАЛИ»)
    heard: str
    decisions: tuple[DecisionRow, ...]
    speeches: tuple[SpeechRow, ...] = ()  # «ВЫСТУПИЛИ»


@dataclass(frozen=True)
class AttendeeRow:
    person_id: int | None
    name: str
    initials_surname: str
    position: str
    invited: bool
    role: str


@dataclass(frozen=True)
class MeetingRow:
    id: int
    body_id: int
    body_short: str
    number: str
    date: dt.date
    time: str
    place: str
    form: str
    form_label: str
    presiding_id: int | None
    presiding_name: str
    secretary_id: int | None
    secretary_name: str
    quorum: rules.QuorumStatus
    agenda_count: int
    decision_count: int

    @property
    def title(self) -> str:
        number = f" № {self.number}" if self.number else ""
        return f"Заседание{number} от {self.date:%d.%m.%Y}"


@dataclass(frozen=True)
class MeetingDetail:
    meeting: MeetingRow
    body: BodyRow
    members_on_date: tuple[MemberRow, ...]
    attendees: tuple[AttendeeRow, ...]
    agenda: tuple[AgendaRow, ...]


# ---------------------------------------------------------------- converters

def body_row(b: Body) -> BodyRow:
    return BodyRow(
        b.id, b.kind, rules.BODY_KINDS.get(b.kind, b.kind), b.name, b.name_genitive or b.name, b.short_name,
        b.short_name_genitive or b.short_name, b.founded, b.statute, b.default_place,
        rules.QuorumRule(b.quorum_numerator, b.quorum_denominator, b.quorum_strict),
        rules.DecisionRule(b.decision_numerator, b.decision_denominator, b.decision_strict, b.casting_vote),
        b.secretary_signs)


def member_row(m: Membership) -> MemberRow:
    p = m.person
    return MemberRow(m.id, m.body_id, m.person_id, full_name(p.last_name, p.first_name, p.middle_name),
                     initials_surname(p.last_name, p.first_name, p.middle_name), m.role,
                     rules.ROLES.get(m.role, m.role), m.position or p.position, m.date_from, m.date_to)


def member_facts(body: Body) -> list[rules.MemberOnDate]:
    return [rules.MemberOnDate(m.person_id, m.role, m.date_from, m.date_to) for m in body.memberships]


def quorum_of(meeting: Meeting) -> rules.QuorumStatus:
    body = meeting.body
    active = {m.person_id for m in rules.members_on(member_facts(body), meeting.date)}
    present = {a.person_id for a in meeting.attendance if not a.invited and a.person_id in active}
    rule = rules.QuorumRule(body.quorum_numerator, body.quorum_denominator, body.quorum_strict)
    return rules.quorum_status(len(active), len(present), rule)


def responsible_row(r: DecisionResponsible) -> ResponsibleRow:
    o = r.organisation
    return ResponsibleRow(r.organisation_id, o.full_name if o else "", o.short_name if o else "", r.text, r.suffix)


def decision_name(d: Decision) -> str:
    """How a conflict message names a decision: «Пункт 2.1 протокола № 3 от 12.03.2026 (Совет …)»."""
    item, meeting = d.agenda_item, d.agenda_item.meeting
    label = rules.protocol_point_label(item.number, d.point, d.subpoint)
    return (f"{label[:1].upper()}{label[1:]} протокола № {meeting.number} от {meeting.date:%d.%m.%Y} "
            f"({meeting.body.short_name or meeting.body.name})")


def decision_row(d: Decision) -> DecisionRow:
    item = d.agenda_item
    meeting = item.meeting
    votes = None
    if d.votes_for is not None:
        votes = rules.Votes(d.votes_for, d.votes_against or 0, d.votes_abstained or 0)
    return DecisionRow(
        d.id, item.id, meeting.id, meeting.date, meeting.number, meeting.body_id,
        meeting.body.short_name or meeting.body.name, item.number, d.point, d.subpoint,
        rules.protocol_point_label(item.number, d.point, d.subpoint), d.text, d.deadline_text, d.due_date,
        d.original_due_date, votes, d.presiding_vote, d.outcome, rules.OUTCOMES.get(d.outcome, ""),
        d.control_status, rules.CONTROL_STATUSES.get(d.control_status, ""), d.execution_info, d.execution_date,
        tuple(responsible_row(r) for r in d.responsibles),
        tuple(DocumentRow(x.id, x.file_name, x.sha256, x.size, x.description, x.added_at) for x in d.documents),
        d.version or 0)


def speech_row(x: Speech, order: int) -> SpeechRow:
    p = x.person
    name = initials_surname(p.last_name, p.first_name, p.middle_name) if p is not None else initials_first(x.name)
    return SpeechRow(x.id, x.agenda_item_id, order, x.person_id, name, x.position, x.gist,
                     speech_line(name, x.position, x.gist))


def agenda_row(a: AgendaItem) -> AgendaRow:
    return AgendaRow(a.id, a.meeting_id, a.number, a.title, a.speakers, a.heard,
                     tuple(decision_row(d) for d in a.decisions),
                     tuple(speech_row(x, order) for order, x in enumerate(a.speeches, start=1)))


def person_name(p) -> str:  # noqa: ANN001
    return initials_surname(p.last_name, p.first_name, p.middle_name) if p is not None else ""


def meeting_row(m: Meeting) -> MeetingRow:
    decisions = sum(len(a.decisions) for a in m.agenda)
    return MeetingRow(m.id, m.body_id, m.body.short_name or m.body.name, m.number, m.date, m.time, m.place, m.form,
                      rules.MEETING_FORMS.get(m.form, m.form), m.presiding_id, person_name(m.presiding),
                      m.secretary_id, person_name(m.secretary), quorum_of(m), len(m.agenda), decisions)
