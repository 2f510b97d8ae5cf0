"""DOCUMENTS.md §3: a large attendance is printed as a number «(список прилагается)» with the list appended."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from socplan.domain import protocols as rules
from socplan.domain.reference import PersonInput
from socplan.services import reference
from socplan.services.protocols import bodies, meetings, printing

NEW_MEMBERS = [("Абрамова", "Галина", "Петровна"), ("Белов", "Олег", "Игоревич"), ("Волкова", "Нина", "Сергеевна"),
               ("Гусев", "Пётр", "Андреевич"), ("Дёмина", "Ольга", "Юрьевна"), ("Ершов", "Максим", "Ильич"),
               ("Жукова", "Алла", "Викторовна"), ("Зуев", "Роман", "Павлович")]


def _pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [p.replace("\u00a0", " ") for p in out.split("\f") if p.strip()]


def _meeting(ctx, extra: int):  # noqa: ANN001, ANN202
    """A meeting of seed 002's working group (12 members) with ``extra`` members added and everybody present."""
    body = bodies.find_body(ctx, "рабочая группа")
    for last, first, middle in NEW_MEMBERS[:extra]:
        person = reference.save_person(ctx, PersonInput(last, first, middle, "член общественного совета"))
        bodies.save_member(ctx, body.id, bodies.MemberInput(person.id, rules.ROLE_MEMBER))
    members = bodies.list_members(ctx, body.id, dt.date(2023, 6, 15))
    by_role = {m.role: m.person_id for m in members}
    meeting = meetings.save_meeting(ctx, meetings.MeetingInput(
        body.id, dt.date(2023, 6, 15), number="7", place="г. Омск", presiding_id=by_role[rules.ROLE_CHAIR],
        secretary_id=by_role[rules.ROLE_SECRETARY], member_ids=tuple(m.person_id for m in members)))
    meetings.save_agenda_item(ctx, meeting.id, meetings.AgendaInput(1, "О плане работы на второе полугодие"))
    return meeting, members


def test_large_attendance_goes_to_an_appendix(demo_ctx, tmp_path: Path) -> None:
    meeting, members = _meeting(demo_ctx, extra=8)
    assert len(members) == 20
    out = printing.protocol_document(demo_ctx, meeting.id, tmp_path / "протокол.pdf")
    pages = _pages(out)
    first = " ".join(pages[0].split())
    assert "Присутствовали: 20 человек (список прилагается)" in first
    start = next(i for i, p in enumerate(pages) if "Приложение" in p)
    assert start >= 1 and "Абрамова" not in " ".join(" ".join(p.split()) for p in pages[:start])
    assert "ПОВЕСТКА ДНЯ" in first
    # the signatures close the protocol before the appendix, which starts on a new page
    assert "Председатель" in " ".join(pages[start - 1].split())
    appendix = " ".join(" ".join(p.split()) for p in pages[start:])
    assert "Приложение к протоколу заседания рабочей группы" in appendix and "от 15.06.2023 № 7" in appendix
    assert "СПИСОК присутствовавших на заседании" in appendix
    assert "1. Г.П. Абрамова – член общественного совета" in appendix and "20. " in appendix
    for m in members:  # every member present is on the list
        assert m.full_name.split()[0] in appendix, m.full_name


def test_fifteen_present_are_listed_in_the_text(demo_ctx, tmp_path: Path) -> None:
    meeting, members = _meeting(demo_ctx, extra=3)
    assert len(members) == 15
    out = printing.protocol_document(demo_ctx, meeting.id, tmp_path / "протокол.pdf")
    text = " ".join(" ".join(p.split()) for p in _pages(out))
    assert "список прилагается" not in text and "Приложение к протоколу" not in text
    assert "Г.П. Абрамова" in text and "П.А. Гусев" not in text


def test_docx_protocol_follows_the_same_rule(demo_ctx, tmp_path: Path) -> None:
    from docx import Document

    meeting, members = _meeting(demo_ctx, extra=8)
    out = printing.protocol_document(demo_ctx, meeting.id, tmp_path / "протокол.docx", fmt="docx")
    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert "Присутствовали: 20 человек (список прилагается)" in paragraphs
    start = paragraphs.index("СПИСОК")
    assert "Абрамова" not in " ".join(paragraphs[:start])
    listed = [p for p in paragraphs[start:] if p[:1].isdigit()]
    assert len(listed) == 20 and listed[0].startswith("1. Г.П.\u00a0Абрамова")  # NBSP keeps initials with the surname


def test_people_word_agrees_with_the_number() -> None:
    assert [rules.people_word(n) for n in (1, 2, 4, 5, 11, 12, 16, 21, 22, 112)] == [
        "человек", "человека", "человека", "человек", "человек", "человек", "человек", "человек", "человека", "человек"]
