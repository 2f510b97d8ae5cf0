"""The demonstration meeting of the working group of seed 002 in the demo database: attendance, quorum (§5.6),
votes with the chair's casting vote (§5.9), deadlines and the printed protocol."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from socplan.domain import protocols as rules
from socplan.services.protocols import bodies, meetings, printing


def _demo_meeting(ctx):  # noqa: ANN001, ANN202
    body = bodies.find_body(ctx, "рабочая группа")
    recorded = [m for m in meetings.list_meetings(ctx, body.id) if m.quorum.present]
    assert len(recorded) == 1
    return body, meetings.meeting_detail(ctx, recorded[0].id)


def _plain(name: str) -> str:
    return name.replace("\u00a0", " ")


def _decisions(detail):  # noqa: ANN001, ANN202
    return [d for item in detail.agenda for d in item.decisions]


def test_demo_meeting_attendance_and_quorum(demo_ctx) -> None:
    body, detail = _demo_meeting(demo_ctx)
    m = detail.meeting
    assert (m.quorum.present, m.quorum.members, m.quorum.required, m.quorum.reached) == (8, 12, 6, True)
    assert m.quorum.text() == "Кворум есть: присутствуют 8 из 12 членов (нужно не менее 6)."
    roles = {x.person_id: x.role for x in detail.members_on_date}
    assert roles[m.presiding_id] == rules.ROLE_CHAIR and m.presiding_name == "И.Б.\u00a0Елецкая"
    assert roles[m.secretary_id] == rules.ROLE_SECRETARY and m.secretary_name == "Т.Н.\u00a0Шлегель"
    members = [a for a in detail.attendees if not a.invited]
    invited = [a for a in detail.attendees if a.invited]
    assert len(members) == 8 and len(invited) == 1
    assert m.presiding_id in {a.person_id for a in members}
    assert body.founded is None or m.date >= body.founded
    assert [(a.number, bool(a.speakers), bool(a.heard)) for a in detail.agenda] == [(1, True, True), (2, True, True)]


def test_demo_meeting_votes_deadlines_and_control(demo_ctx) -> None:
    _, detail = _demo_meeting(demo_ctx)
    decisions = _decisions(detail)
    assert [_plain(d.label) for d in decisions] == ["пункт 1 вопроса № 1", "пункт 2 вопроса № 1", "пункт 1 вопроса № 2"]
    assert all(d.votes is not None and d.outcome_label == "принято" for d in decisions)
    majority = decisions[1]
    assert majority.votes.votes_for > majority.votes.against
    assert majority.due_date == dt.date(2025, 6, 1)
    tie = decisions[2]
    # 10 working days from Thu 17.04.2025 by the production calendar: 18, 21–25, 28–30 April, then (1–4 May off) 5 May
    assert tie.due_date == dt.date(2025, 5, 5)
    for d in (majority, tie):
        assert d.control_status == rules.STATUS_ON_CONTROL
        assert d.responsibles and all(r.organisation_id is not None for r in d.responsibles)
        assert d.responsibles[0].short_name == "Департамент образования Администрации города Омска"


def test_tie_is_adopted_by_the_chairs_casting_vote(demo_ctx) -> None:
    _, detail = _demo_meeting(demo_ctx)
    tie = next(d for d in _decisions(detail) if d.votes.votes_for == d.votes.against)
    assert tie.votes.votes_for == 4 and tie.presiding_vote == rules.VOTE_FOR
    assert tie.outcome == rules.OUTCOME_ADOPTED and tie.outcome_label == "принято"
    # what the decision editor shows under «Итог:»
    shown = meetings.decision_outcome_preview(demo_ctx, detail.meeting.id, tie.votes, tie.presiding_vote)
    assert f"{shown.label[:1].upper()}{shown.label[1:]}. {shown.explanation}" == \
        "Принято. Равенство голосов; решающий голос председателя — «за»."
    # the same votes without the chair's «за» are not a decision: the casting vote is what adopts it
    against = meetings.decision_outcome_preview(demo_ctx, detail.meeting.id, tie.votes, rules.VOTE_AGAINST)
    abstained = meetings.decision_outcome_preview(demo_ctx, detail.meeting.id, tie.votes, rules.VOTE_ABSTAIN)
    assert against.label == abstained.label == "не принято"


def test_demo_protocol_pdf(demo_ctx, tmp_path: Path) -> None:
    _, detail = _demo_meeting(demo_ctx)
    doc = printing.build_protocol(demo_ctx, detail.meeting.id)
    pdf = tmp_path / "protocol.pdf"
    pdf.write_bytes(doc.data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.replace("\u00a0", " ").split())
    present = [a for a in detail.attendees if not a.invited]
    for expected in ("ПРОТОКОЛ № 1", "17.04.2025", "Председатель – И.Б. Елецкая, заместитель Мэра города Омска",
                     "Секретарь – Т.Н. Шлегель, главный специалист", "Присутствовали:", "Приглашенные:",
                     "Кворум имеется: присутствуют 8 из 12 членов рабочей группы.",
                     "СЛУШАЛИ: Л.В. Крючкова – о ходе реализации плана апробации", "СЛУШАЛИ: Д.И. Зданович –",
                     "РЕШИЛИ: 1. Информацию о ходе апробации",
                     "Голосовали: за – 8, против – 0, воздержались – 0. Решение принято.",
                     "Голосовали: за – 6, против – 1, воздержались – 1. Решение принято.",
                     "Голосовали: за – 4, против – 4, воздержались – 0. Равенство голосов; "
                     "решающий голос председателя — «за». Решение принято.",
                     "Ответственные: Департамент образования Администрации города Омска",
                     "Председатель И.Б. Елецкая"):
        assert expected in flat, expected
    for a in present:  # every member present as «И.О. Фамилия», not «Фамилия И.О.»
        assert _plain(a.initials_surname) in flat, a.initials_surname
        surname, *rest = a.name.split()
        assert f"{surname} {rest[0][0]}." not in flat
    absent = {_plain(m.initials_surname) for m in detail.members_on_date} - {_plain(a.initials_surname) for a in present}
    assert len(absent) == 4 and not any(name in flat for name in absent)
    # «Присутствовали:» lists the present members in alphabetical order of surnames
    listed = flat.split("Присутствовали:")[1].split("Приглашенные:")[0]
    positions = [listed.index(_plain(a.initials_surname)) for a in sorted(present, key=lambda a: a.name)]
    assert positions == sorted(positions)
