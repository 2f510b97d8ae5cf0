"""Recording a meeting of the working group of seed 002: attendance, quorum, votes, control, the protocol."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from socplan.db.models.audit import AuditLog
from socplan.db.models.protocols import Decision, Meeting
from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError, ValidationErrors
from socplan.services.protocols import bodies, control, meetings, printing


def _group(ctx):  # noqa: ANN001, ANN202
    body = bodies.find_body(ctx, "рабочая группа")
    members = bodies.list_members(ctx, body.id)
    by_role = {m.role: m for m in members}
    return body, members, by_role


def _meeting(ctx, present: int = 8, presiding_role: str = rules.ROLE_CHAIR):  # noqa: ANN001, ANN202
    body, members, by_role = _group(ctx)
    ids = [m.person_id for m in members if m.role != rules.ROLE_CHAIR or presiding_role == rules.ROLE_CHAIR]
    chosen = ids[:present]
    presiding = by_role[presiding_role].person_id
    if presiding not in chosen:
        chosen[-1] = presiding
    return body, meetings.save_meeting(ctx, meetings.MeetingInput(
        body.id, dt.date(2023, 6, 15), number="3", time="10:00", place="г. Омск, ул. Гагарина, 32/1",
        presiding_id=presiding, secretary_id=by_role[rules.ROLE_SECRETARY].person_id, member_ids=tuple(chosen),
        invited=(meetings.InvitedInput("Иванов И.И.", "представитель НКО"),)))


def test_working_group_of_seed_002_has_twelve_members(demo_ctx) -> None:
    body, members, by_role = _group(demo_ctx)
    assert len(members) == 12
    assert by_role[rules.ROLE_CHAIR].full_name == "Елецкая Инна Борисовна"
    assert by_role[rules.ROLE_DEPUTY].full_name == "Бикмаев Ильдар Анварович"
    assert by_role[rules.ROLE_SECRETARY].full_name == "Шлегель Татьяна Николаевна"
    assert body.quorum_rule == rules.QuorumRule(1, 2) and body.decision_rule.casting_vote


def test_meeting_quorum_votes_and_control(demo_ctx) -> None:
    body, m = _meeting(demo_ctx, present=6, presiding_role=rules.ROLE_DEPUTY)
    assert m.quorum.reached and (m.quorum.present, m.quorum.members, m.quorum.required) == (6, 12, 6)
    item = meetings.save_agenda_item(demo_ctx, m.id, meetings.AgendaInput(
        1, "О формировании муниципального социального заказа", "Бикмаев И.А.", "о ходе апробации"))
    responsibles = meetings.parse_responsibles(demo_ctx, "Администрация города Омска, руководители учреждений")
    assert responsibles[0].organisation_id is not None and responsibles[1].text == "руководители учреждений"
    tie = meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        1, "Подготовить предложения по показателям", responsibles=responsibles,
        deadline_text="в течение 10 рабочих дней со дня проведения заседания",
        votes=rules.Votes(3, 3, 0), presiding_vote=rules.VOTE_FOR))
    assert tie.outcome == rules.OUTCOME_ADOPTED  # tie broken by the presiding deputy
    assert tie.control_status == rules.STATUS_ON_CONTROL
    assert tie.due_date == dt.date(2023, 6, 29)  # 10 working days after Thu 15.06.2023: 16, 19–23, 26–29
    lost = meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        2, "Рассмотреть вопрос повторно", responsibles=responsibles, votes=rules.Votes(2, 3, 1)))
    assert lost.outcome == rules.OUTCOME_REJECTED and not lost.is_assignment
    with pytest.raises(ValidationErrors, match="Проголосовало 7, а присутствуют только 6"):
        meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(3, "Текст", votes=rules.Votes(4, 2, 1)))
    with pytest.raises(SocPlanError, match="без текста"):
        meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(3, "  "))
    with pytest.raises(SocPlanError, match="уже есть пункт 1"):
        meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(1, "Дубль"))

    assert [r.id for r in control.overdue(demo_ctx, dt.date(2023, 7, 3))] == [tie.id]
    assert [r.id for r in control.due_soon(demo_ctx, dt.date(2023, 6, 26))] == [tie.id]
    done = control.update_control(demo_ctx, tie.id, control.ControlInput(
        rules.STATUS_DONE, "Предложения направлены письмом", dt.date(2023, 6, 28)))
    assert done.status_label == "выполнено"
    assert not control.overdue(demo_ctx, dt.date(2023, 7, 3))
    with demo_ctx.uow() as s:
        audited = s.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.entity == "pr_decision", AuditLog.field == "control_status"))
    assert audited >= 1


def test_postponed_deadline_and_documents(demo_ctx, tmp_path: Path) -> None:
    _, m = _meeting(demo_ctx)
    item = meetings.save_agenda_item(demo_ctx, m.id, meetings.AgendaInput(1, "Вопрос"))
    d = meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        1, "В срок до 1 сентября 2023 года представить отчёт",
        responsibles=meetings.parse_responsibles(demo_ctx, "Минтруд")))
    assert d.deadline_text == "В срок до 1 сентября 2023 года" and d.due_date == dt.date(2023, 9, 1)
    moved = control.update_control(demo_ctx, d.id, control.ControlInput(
        rules.STATUS_POSTPONED, "по письму Минтруда", new_due_date=dt.date(2023, 10, 2)))
    assert moved.due_date == dt.date(2023, 10, 2) and moved.original_due_date == dt.date(2023, 9, 1)
    letter = tmp_path / "письмо.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    doc = control.attach_document(demo_ctx, d.id, letter, "ответ Минтруда")
    assert len(doc.sha256) == 64
    with pytest.raises(SocPlanError, match="уже приложен"):
        control.attach_document(demo_ctx, d.id, letter)
    assert control.export_document(demo_ctx, doc.id, tmp_path / "копия.pdf").read_bytes() == b"%PDF-1.4 letter"
    (tmp_path / "не папка").write_text("файл")  # saved «into» a file: a Russian reason, nothing written
    with pytest.raises(SocPlanError, match="Не удалось сохранить файл .*в пути есть файл вместо папки"):
        control.export_document(demo_ctx, doc.id, tmp_path / "не папка" / "копия.pdf")


def test_bad_meetings_are_refused_and_nothing_saved(demo_ctx) -> None:
    body, members, by_role = _group(demo_ctx)
    ids = tuple(m.person_id for m in members)
    with demo_ctx.uow() as s:
        before = s.scalar(select(func.count()).select_from(Meeting))
    with pytest.raises(ValidationErrors, match="дважды"):
        meetings.save_meeting(demo_ctx, meetings.MeetingInput(body.id, dt.date(2023, 6, 1), member_ids=ids[:3] + ids[:1]))
    bodies.save_body(demo_ctx, bodies.BodyInput(body.kind, body.name, body.name_genitive, body.short_name,
                                                body.short_name_genitive, founded=dt.date(2023, 4, 1)), body.id)
    with pytest.raises(ValidationErrors, match="раньше даты создания органа"):
        meetings.save_meeting(demo_ctx, meetings.MeetingInput(body.id, dt.date(2023, 3, 1), member_ids=ids[:7]))
    with pytest.raises(ValidationErrors, match="не входит в состав"):
        outsider = demo_ctx  # a person not in the membership: Варнавская from the reference data
        from socplan.services.reference import list_people

        other = next(p.id for p in list_people(outsider) if p.last_name == "Варнавская")
        meetings.save_meeting(demo_ctx, meetings.MeetingInput(body.id, dt.date(2023, 6, 1), member_ids=(other,)))
    with demo_ctx.uow() as s:
        assert s.scalar(select(func.count()).select_from(Meeting)) == before


def test_meeting_without_quorum_adopts_nothing(demo_ctx) -> None:
    _, m = _meeting(demo_ctx, present=5)
    assert not m.quorum.reached
    item = meetings.save_agenda_item(demo_ctx, m.id, meetings.AgendaInput(1, "Вопрос"))
    d = meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        1, "Поручить", responsibles=meetings.parse_responsibles(demo_ctx, "Минтруд"), votes=rules.Votes(5, 0, 0)))
    assert d.outcome == rules.OUTCOME_NO_QUORUM and not d.is_assignment


def test_printed_protocol_pdf_and_docx(demo_ctx, tmp_path: Path) -> None:
    from docx import Document

    _, m = _meeting(demo_ctx)
    item = meetings.save_agenda_item(demo_ctx, m.id, meetings.AgendaInput(
        1, "Об апробации механизмов", "Бикмаев И.А.", "Бикмаев И.А. – о плане апробации"))
    meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        1, "Информацию принять к сведению.", votes=rules.Votes(8, 0, 0)))
    meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        2, "Представить предложения.", responsibles=meetings.parse_responsibles(demo_ctx, "Минтруд, Минтруд"),
        deadline_text="в срок до 1 июля 2023 года", votes=rules.Votes(7, 1, 0)))
    pdf = printing.protocol_document(demo_ctx, m.id, tmp_path / "protocol.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.replace("\u00a0", " ").split())
    for expected in ("ПРОТОКОЛ № 3", "заседания рабочей группы по организации", "15.06.2023", "Председатель – И.Б. Елецкая",
                     "Присутствовали:", "Приглашенные:", "Иванов И.И. – представитель НКО", "ПОВЕСТКА ДНЯ:",
                     "СЛУШАЛИ:", "РЕШИЛИ:", "1. Информацию принять к сведению.",
                     "Ответственные: Министерство труда и социального развития Омской области (далее – Минтруд), Минтруд.",
                     "Срок: в срок до 1 июля 2023 года.",
                     "Голосовали: за – 7, против – 1, воздержались – 0. Решение принято.",
                     "Кворум имеется: присутствуют 8 из 12", "Елецкая", "Председатель", "И.Б. Елецкая"):
        assert expected in flat, expected
    docx = printing.protocol_document(demo_ctx, m.id, tmp_path / "protocol.docx", "docx")
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert "ПРОТОКОЛ № 3" in [p.replace("\u00a0", " ") for p in paragraphs]
    assert "РЕШИЛИ:" in paragraphs
    from socplan.services.reports.registry import list_reports

    assert [r.kind for r in list_reports(demo_ctx)][:1] == ["protocol"]


def test_membership_over_time(demo_ctx) -> None:
    from socplan.services.reference import list_people

    body, members, by_role = _group(demo_ctx)
    chair = by_role[rules.ROLE_CHAIR]
    with pytest.raises(ValidationErrors, match="уже входит в состав"):
        bodies.save_member(demo_ctx, body.id, bodies.MemberInput(chair.person_id, rules.ROLE_MEMBER))
    _meeting(demo_ctx)
    with pytest.raises(SocPlanError, match="отмечен на заседаниях"):
        bodies.delete_member(demo_ctx, by_role[rules.ROLE_SECRETARY].id)
    newcomer = next(p.id for p in list_people(demo_ctx) if p.last_name == "Варнавская")
    with pytest.raises(ValidationErrors, match="уже есть председатель"):
        bodies.save_member(demo_ctx, body.id, bodies.MemberInput(newcomer, rules.ROLE_CHAIR))
    # the chair leaves on 31.08.2023, the newcomer chairs from 01.09.2023
    bodies.save_member(demo_ctx, body.id, bodies.MemberInput(chair.person_id, rules.ROLE_CHAIR, chair.position,
                                                             None, dt.date(2023, 8, 31)), chair.id)
    bodies.save_member(demo_ctx, body.id, bodies.MemberInput(newcomer, rules.ROLE_CHAIR, "",
                                                             dt.date(2023, 9, 1)))
    assert len(bodies.list_members(demo_ctx, body.id, dt.date(2023, 8, 1))) == 12
    on_sept = bodies.list_members(demo_ctx, body.id, dt.date(2023, 9, 5))
    assert len(on_sept) == 12 and any(m.person_id == newcomer and m.role == rules.ROLE_CHAIR for m in on_sept)
    # a meeting in September counts the September membership: the old chair is no longer a member
    with pytest.raises(ValidationErrors, match="не входит в состав"):
        meetings.save_meeting(demo_ctx, meetings.MeetingInput(body.id, dt.date(2023, 9, 5),
                                                              member_ids=(chair.person_id,)))
