"""Demo data of the protocols capability, built from the source documents (files under resources/demo/protocols/).

``bodies.json``: the Coordination council of seed 000 with its four meetings and nine decisions and their
execution info; the working group of seed 002 (statute Appendix 4, membership Appendix 5, 12 people added to
the reference ``Person``) and one demonstration meeting of it (attendance, presiding, invited, «СЛУШАЛИ»,
«ВЫСТУПИЛИ», votes — recorded through the meetings services so the quorum, vote, numbering and speaker rules
apply); the Общественный совет
по НОК of seed 001. Organisations are reused by short name.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.protocols import AgendaItem, Body, Decision, DecisionResponsible, Meeting, Membership
from socplan.db.models.reference import Organisation, Person
from socplan.domain import protocols as rules
from socplan.domain.reference import initials_surname
from socplan.resources import resource_path
from socplan.services.plans.calendar import load_calendar
from socplan.services.protocols.deadlines import decision_deadline
from socplan.services.protocols.meetings import (AgendaInput, DecisionInput, InvitedInput, MeetingInput,
                                                 ResponsibleInput, save_agenda_item_in, save_decision_in,
                                                 save_meeting_in)
from socplan.services.protocols.speeches import SpeechInput, save_speech_in


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _known_organisations(session: Session) -> dict[str, int]:
    known: dict[str, int] = {}
    for org in session.scalars(select(Organisation)):
        known.setdefault(rules.normalise_spaces(org.full_name), org.id)
        known[rules.normalise_spaces(org.short_name)] = org.id
    return known


def _body(data: dict) -> Body:
    quorum = data.get("quorum", [1, 2, False])
    decision = data.get("decision", [1, 2, False, True])
    return Body(kind=data["kind"], name=data["name"], name_genitive=data.get("name_genitive", ""),
                short_name=data.get("short_name", ""), short_name_genitive=data.get("short_name_genitive", ""),
                founded=_date(data.get("founded")), statute=data.get("statute", ""),
                default_place=data.get("default_place", ""), quorum_numerator=quorum[0],
                quorum_denominator=quorum[1], quorum_strict=quorum[2], decision_numerator=decision[0],
                decision_denominator=decision[1], decision_strict=decision[2], casting_vote=decision[3],
                secretary_signs=data.get("secretary_signs", True))


def _members(session: Session, body: Body, members: list[dict]) -> None:
    for order, m in enumerate(members, start=1):
        org = session.scalar(select(Organisation).where(Organisation.short_name == m["organisation"])) \
            if m.get("organisation") else None
        person = session.scalar(select(Person).where(Person.last_name == m["last_name"],
                                                     Person.first_name == m["first_name"],
                                                     Person.middle_name == m["middle_name"]))
        if person is None:
            person = Person(last_name=m["last_name"], first_name=m["first_name"], middle_name=m["middle_name"],
                            position=m["position"], organisation=org)
            session.add(person)
        body.memberships.append(Membership(person=person, role=m["role"], position=m["position"],
                                           date_from=_date(m.get("from")), date_to=_date(m.get("to")),
                                           sort_order=order))


def _member_people(body: Body) -> dict[str, Person]:
    """A member named in the demo file by surname or by full name."""
    people: dict[str, Person] = {}
    for m in body.memberships:
        p = m.person
        people[p.last_name] = p
        people[" ".join(x for x in (p.last_name, p.first_name, p.middle_name) if x)] = p
    return people


def _recorded_meeting(session: Session, body: Body, data: dict, known: dict[str, int]) -> None:
    """A meeting with attendance, agenda and votes, saved through the meetings services (their checks apply)."""
    people = _member_people(body)

    def person_id(name: str | None) -> int | None:
        return people[name].id if name else None

    session.flush()
    meeting = save_meeting_in(session, MeetingInput(
        body.id, _date(data["date"]), number=data.get("number", ""), time=data.get("time", ""),
        place=data.get("place", ""), form=data.get("form", "in_person"), presiding_id=person_id(data.get("presiding")),
        secretary_id=person_id(data.get("secretary")), member_ids=tuple(person_id(n) for n in data["present"]),
        invited=tuple(InvitedInput(i["name"], i.get("position", "")) for i in data.get("invited", []))))
    items = {}
    for a in data["agenda"]:
        speakers = ", ".join(initials_surname(p.last_name, p.first_name, p.middle_name) if (p := people.get(n)) else n
                             for n in a.get("speakers", []))
        items[a["number"]] = save_agenda_item_in(session, meeting, AgendaInput(
            a["number"], a["title"], speakers, a.get("heard", "")))
        for x in a.get("spoke", []):  # «ВЫСТУПИЛИ»: a member by surname or an invited person by name
            member = people.get(x["speaker"])
            position = next((m.position for m in body.memberships if member is not None and m.person_id == member.id),
                            "") or next((i.get("position", "") for i in data.get("invited", [])
                                         if i["name"] == x["speaker"]), "")
            save_speech_in(session, items[a["number"]], SpeechInput(
                member.id if member is not None else None, "" if member is not None else x["speaker"], position,
                x["gist"]))
    for d in data["decisions"]:
        votes = d.get("votes")
        save_decision_in(session, items[d["question"]], DecisionInput(
            d["point"], d["text"], subpoint=d.get("subpoint"), deadline_text=d.get("deadline", ""),
            responsibles=tuple(ResponsibleInput(p.key, p.text, p.suffix)
                               for p in rules.split_responsibles(d.get("responsibles", ""), known)),
            votes=rules.Votes(votes["for"], votes["against"], votes["abstained"]) if votes else None,
            presiding_vote=(votes or {}).get("presiding", "")))


def _meetings(session: Session, body: Body, meetings: list[dict], known: dict[str, int]) -> None:
    calendar = load_calendar(session)
    for data in meetings:
        if "present" in data:
            _recorded_meeting(session, body, data, known)
            continue
        meeting = Meeting(body=body, number=data.get("number", ""), date=_date(data["date"]),
                          place=data.get("place", body.default_place), form=data.get("form", "in_person"))
        session.add(meeting)
        items: dict[int, AgendaItem] = {}
        for d in data["decisions"]:
            q = d["question"]
            if q not in items:
                items[q] = AgendaItem(number=q, title=d.get("question_title", ""))
                meeting.agenda.append(items[q])
            deadline = decision_deadline(d.get("deadline", ""), d["text"], meeting.date, calendar)
            decision = Decision(point=d["point"], subpoint=d["subpoint"], text=d["text"],
                                deadline_text=deadline.text, due_date=deadline.due,
                                outcome=rules.OUTCOME_NOT_COUNTED,
                                control_status=d["status"] if d["responsibles"] else "",
                                execution_info=d["execution_info"])
            items[q].decisions.append(decision)
            for order, part in enumerate(rules.split_responsibles(d["responsibles"], known), start=1):
                decision.responsibles.append(DecisionResponsible(organisation_id=part.key, text=part.text,
                                                                 suffix=part.suffix, sort_order=order))


def load_demo(session: Session) -> None:
    """Fill the protocols tables from resources/demo/protocols/ (reference data is already loaded)."""
    with open(resource_path("demo", "protocols", "bodies.json"), encoding="utf-8") as fh:
        data = json.load(fh)
    known = _known_organisations(session)
    for body_data in data["bodies"]:
        body = _body(body_data)
        session.add(body)
        session.flush()
        _members(session, body, body_data.get("members", []))
        _meetings(session, body, body_data.get("meetings", []), known)
    session.flush()
