"""«ВЫСТУПИЛИ» (DOCUMENTS.md §3, seed 002's protocols): speakers in the discussion of each question with the gist
of what they said — recorded, checked (only those present or invited may speak), journaled, printed between
«СЛУШАЛИ» and «РЕШИЛИ» in the PDF and the .docx, kept by a database of the previous version."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.domain import speeches as rules
from socplan.domain.errors import PermissionDenied, ValidationErrors
from socplan.domain.roles import Role
from socplan.services.context import AppContext, User
from socplan.services.protocols import bodies, meetings, printing, speeches

NB = "\u00a0"


def _flat(value: str) -> str:
    return " ".join(value.replace(NB, " ").split())


def _demo(ctx):  # noqa: ANN001, ANN202
    """The demonstration meeting of the working group of seed 002 (17.04.2025)."""
    body = bodies.find_body(ctx, "рабочая группа")
    meeting = next(m for m in meetings.list_meetings(ctx, body.id) if m.quorum.present)
    return body, meetings.meeting_detail(ctx, meeting.id)


def _member(detail, surname: str):  # noqa: ANN001, ANN202
    return next(m for m in detail.members_on_date if m.full_name.startswith(surname + " "))


def _pdf_text(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "protocol.pdf"
    path.write_bytes(data)
    return _flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


# ---------------------------------------------------------------- domain

@pytest.mark.parametrize("typed", ["Иванова И.И.", "И.И. Иванова", "Иванова Ирина Ивановна", "иванова", "И. И. Иванова"])
def test_a_typed_name_is_found_among_those_present(typed: str) -> None:
    people = [rules.Participant(7, "Бикмаев Ильдар Анварович"), rules.Participant(None, "И.И. Иванова", True)]
    assert rules.find_participant(None, typed, people) == people[1]
    assert rules.find_participant(None, "Иванова П.С.", people) is None  # other initials: another person
    assert rules.find_participant(None, "Бикмаев И.А.", people).person_id == 7


def test_printed_line_and_name() -> None:
    assert rules.initials_first("Петров П.П.") == f"П.П.{NB}Петров"
    assert rules.speech_line(f"П.П.{NB}Петров", "эксперт", "о сроках") == f"П.П.{NB}Петров – эксперт: о сроках"
    assert rules.speech_line(f"П.П.{NB}Петров", "", "о сроках") == f"П.П.{NB}Петров: о сроках"
    assert rules.moved([1, 2, 3], 3, -1) == [1, 3, 2] and rules.moved([1, 2, 3], 1, -1) == [1, 2, 3]


def test_someone_not_at_the_meeting_cannot_speak() -> None:
    with pytest.raises(ValidationErrors) as exc:
        rules.validate_speech(person_id=None, name="Сидоров С.С.", gist="", question=2,
                              participants=[rules.Participant(7, "Бикмаев Ильдар Анварович")])
    assert [e.field for e in exc.value.errors] == ["speaker", "gist"]
    assert exc.value.errors[0].message.startswith("«Сидоров С.С.» не отмечен среди присутствовавших или "
                                                  "приглашённых на заседании, а выступить по вопросу № 2")
    assert "Введите суть выступления" in exc.value.errors[1].message


# ---------------------------------------------------------------- services

def test_demo_meeting_has_speakers_in_order(demo_ctx) -> None:
    _, detail = _demo(demo_ctx)
    spoke = {a.number: [(x.order, _flat(x.name)) for x in a.speeches] for a in detail.agenda}
    assert spoke == {1: [(1, "И.А. Бикмаев"), (2, "И.И. Иванова")], 2: [(1, "С.Р. Хаиржанова")]}
    invited = detail.agenda[0].speeches[1]
    assert invited.person_id is None
    assert invited.position == "главный специалист Департамента финансов Администрации города Омска"


def test_add_edit_move_remove_journaled(demo_ctx) -> None:
    _, detail = _demo(demo_ctx)
    item = detail.agenda[1]
    choices = speeches.speaker_choices(demo_ctx, item.id)
    assert len(choices) == 9 and choices[-1].invited and _flat(choices[-1].name) == "И.И. Иванова"
    zdanovich = _member(detail, "Зданович")
    assert any(c.person_id == zdanovich.person_id and c.position == zdanovich.position for c in choices)

    added = speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(
        zdanovich.person_id, position="директор департамента", gist="о сроках подготовки материалов"))
    assert added.order == 2 and _flat(added.line) == "Д.И. Зданович – директор департамента: о сроках подготовки материалов"
    typed = speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(
        name="Иванова И.И.", position="главный специалист", gist="о финансировании"))
    assert typed.order == 3 and typed.person_id is None and _flat(typed.name) == "И.И. Иванова"

    changed = speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(
        zdanovich.person_id, position="директор департамента", gist="о плане публикаций"), added.id)
    assert changed.order == 2 and changed.gist == "о плане публикаций"

    order = speeches.move_speech(demo_ctx, typed.id, -2)
    assert [x.id for x in order][0] == typed.id and [x.order for x in order] == [1, 2, 3]
    speeches.delete_speech(demo_ctx, order[1].id)
    left = speeches.list_speeches(demo_ctx, item.id)
    assert [(x.order, x.id) for x in left] == [(1, typed.id), (2, added.id)]
    back = speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(
        choices[0].person_id, position=choices[0].position, gist="вернули на место"), at=2)
    assert [x.id for x in speeches.list_speeches(demo_ctx, item.id)] == [typed.id, back.id, added.id]

    with demo_ctx.uow() as s:
        reasons = {r.reason for r in s.scalars(select(AuditLog).where(AuditLog.entity == "pr_speech"))}
    assert {"Выступления по вопросу повестки («ВЫСТУПИЛИ»)", "Удаление выступления («ВЫСТУПИЛИ»)",
            "Порядок выступлений («ВЫСТУПИЛИ»)"} <= reasons


def test_absent_member_is_refused_and_nothing_changes(demo_ctx) -> None:
    _, detail = _demo(demo_ctx)
    present = {a.person_id for a in detail.attendees}
    absent = next(m for m in detail.members_on_date if m.person_id not in present)
    item = detail.agenda[0]
    with pytest.raises(ValidationErrors, match="не отмечен среди присутствовавших или приглашённых"):
        speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(absent.person_id, gist="о сроках"))
    with pytest.raises(ValidationErrors, match="«Петров П.П.» не отмечен"):
        speeches.save_speech(demo_ctx, item.id, speeches.SpeechInput(name="Петров П.П.", gist="о сроках"))
    assert len(speeches.list_speeches(demo_ctx, item.id)) == 2


def test_unmarking_a_speaker_in_the_attendance_is_refused(demo_ctx) -> None:
    body, detail = _demo(demo_ctx)
    m = detail.meeting
    bikmaev = _member(detail, "Бикмаев")
    present = {a.person_id for a in detail.attendees}
    absent = next(x.person_id for x in detail.members_on_date if x.person_id not in present)
    # Бикмаев unmarked, an absent member marked instead (eight present still: the votes stay valid)
    members = tuple(a.person_id for a in detail.attendees if not a.invited and a.person_id != bikmaev.person_id)
    members += (absent,)
    data = meetings.MeetingInput(body.id, m.date, m.number, m.time, m.place, m.form, m.presiding_id, m.secretary_id,
                                 members, (meetings.InvitedInput("И.И. Иванова", "главный специалист"),))
    with pytest.raises(ValidationErrors, match="И.А. Бикмаев выступает по вопросу № 1"):
        meetings.save_meeting(demo_ctx, data, m.id)
    assert len(meetings.meeting_detail(demo_ctx, m.id).attendees) == 9  # nothing changed
    no_invited = meetings.MeetingInput(body.id, m.date, m.number, m.time, m.place, m.form, m.presiding_id,
                                       m.secretary_id, members[:-1] + (bikmaev.person_id,), ())
    with pytest.raises(ValidationErrors, match="И.И. Иванова выступает по вопросу № 1"):
        meetings.save_meeting(demo_ctx, no_invited, m.id)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DISTRICT])
def test_only_secretary_or_administrator_edits_speakers(demo_ctx, role: Role) -> None:
    _, detail = _demo(demo_ctx)
    item = detail.agenda[0]
    other = AppContext(demo_ctx.db, User("Иванов Иван Иванович", "аналитик", role=role, territory_id=None))
    first = item.speeches[0]
    for attempt in (lambda: speeches.save_speech(other, item.id, speeches.SpeechInput(first.person_id, gist="x")),
                    lambda: speeches.delete_speech(other, first.id),
                    lambda: speeches.move_speech(other, first.id, 1)):
        with pytest.raises(PermissionDenied):
            attempt()
    secretary = AppContext(demo_ctx.db, User("Шлегель Татьяна Николаевна", "секретарь", role=Role.SECRETARY))
    speeches.move_speech(secretary, first.id, 1)
    assert [x.id for x in speeches.list_speeches(demo_ctx, item.id)][1] == first.id


# ---------------------------------------------------------------- print

def test_pdf_prints_speakers_between_heard_and_decided(demo_ctx, tmp_path: Path) -> None:
    _, detail = _demo(demo_ctx)
    speeches.delete_speech(demo_ctx, detail.agenda[1].speeches[0].id)  # question 2: nobody spoke
    flat = _pdf_text(tmp_path, printing.build_protocol(demo_ctx, detail.meeting.id).data)
    first = flat.split("1. О ходе апробации")[2].split("2. О проведении информационной")[0]
    assert first.index("СЛУШАЛИ:") < first.index("ВЫСТУПИЛИ:") < first.index("РЕШИЛИ:")
    spoke = first.split("ВЫСТУПИЛИ:")[1].split("РЕШИЛИ:")[0].strip()
    assert spoke.startswith("И.А. Бикмаев – директор департамента образования Администрации города Омска: "
                            "предложил включить в информацию о реализации мероприятий апробации")
    assert ("И.И. Иванова – главный специалист Департамента финансов Администрации города Омска: о порядке "
            "финансового обеспечения") in spoke
    assert spoke.index("Бикмаев") < spoke.index("Иванова")
    assert flat.count("ВЫСТУПИЛИ:") == 1  # only where someone spoke


def test_docx_prints_speakers(demo_ctx) -> None:
    from docx import Document

    _, detail = _demo(demo_ctx)
    doc = printing.build_protocol(demo_ctx, detail.meeting.id, "docx")
    paragraphs = [_flat(p.text) for p in Document(io.BytesIO(doc.data)).paragraphs]
    labels = [p for p in paragraphs if p in ("СЛУШАЛИ:", "ВЫСТУПИЛИ:", "РЕШИЛИ:")]
    assert labels == ["СЛУШАЛИ:", "ВЫСТУПИЛИ:", "РЕШИЛИ:"] * 2
    at = paragraphs.index("ВЫСТУПИЛИ:")
    assert paragraphs[at + 1].startswith("И.А. Бикмаев – директор департамента образования Администрации города "
                                         "Омска: предложил")
    assert paragraphs[at + 2].startswith("И.И. Иванова – главный специалист Департамента финансов")
    assert paragraphs[at + 3] == "РЕШИЛИ:"


# ---------------------------------------------------------------- a database of the previous version

def test_database_before_speeches_opens_and_keeps_its_meetings(tmp_path: Path) -> None:
    from alembic import command

    from socplan.db import migrate
    from socplan.db.database import open_database
    from socplan.db.engine import create_sqlite_engine

    path = tmp_path / "old.sqlite"
    engine = create_sqlite_engine(path)
    cfg = migrate.alembic_config(engine)
    previous = sorted(h if h != "protocols_0002" else "protocols_0001" for h in migrate.script_heads()
                      if h != "versions_0001")  # row versions come with the upgrade too
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, previous)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO person (last_name, first_name, middle_name, position) "
                             "VALUES ('Елецкая', 'Инна', 'Борисовна', 'заместитель Мэра')")
        conn.exec_driver_sql(
            "INSERT INTO pr_body (kind, name, name_genitive, short_name, short_name_genitive, statute, default_place, "
            "quorum_numerator, quorum_denominator, quorum_strict, decision_numerator, decision_denominator, "
            "decision_strict, casting_vote, secretary_signs) VALUES ('working_group', 'Рабочая группа', "
            "'рабочей группы', 'рабочая группа', 'рабочей группы', '', 'г. Омск', 1, 2, 0, 1, 2, 0, 1, 1)")
        conn.exec_driver_sql("INSERT INTO pr_meeting (body_id, number, date, time, place, form) "
                             "VALUES (1, '7', '2024-05-16', '10:00', 'г. Омск', 'in_person')")
        conn.exec_driver_sql("INSERT INTO pr_attendance (meeting_id, person_id, invited, name, position, sort_order) "
                             "VALUES (1, 1, 0, '', '', 1)")
        conn.exec_driver_sql("INSERT INTO pr_agenda_item (meeting_id, number, title, speakers, heard) "
                             "VALUES (1, 1, 'О плане', 'Елецкая И.Б.', 'о плане на год')")
    engine.dispose()

    db = open_database(path)
    try:
        assert set(db.revisions()) == migrate.script_heads() and "protocols_0002" in db.revisions()
        ctx = AppContext(db, User("Тестов Тест Тестович", "главный специалист"))
        detail = meetings.meeting_detail(ctx, 1)
        item = detail.agenda[0]
        assert (detail.meeting.number, item.title, item.heard, item.speeches) == ("7", "О плане", "о плане на год", ())
        added = speeches.save_speech(ctx, item.id, speeches.SpeechInput(1, position="заместитель Мэра",
                                                                        gist="о сроках"))
        assert _flat(added.line) == "И.Б. Елецкая – заместитель Мэра: о сроках"
    finally:
        db.close()
    backup = next((tmp_path / "backups").glob("old-перед-обновлением-*.sqlite"))
    conn = sqlite3.connect(backup)
    try:
        assert ("protocols_0001",) in conn.execute("SELECT version_num FROM alembic_version").fetchall()
        assert conn.execute("SELECT title FROM pr_agenda_item").fetchall() == [("О плане",)]
    finally:
        conn.close()
    assert dt.date(2024, 5, 16) == detail.meeting.date
