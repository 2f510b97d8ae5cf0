"""«ВЫСТУПИЛИ» of an agenda question: add, change, remove and reorder the speakers and the gist of what they said.

Every change is one unit of work with a reason for the journal (audit log) and goes through the protocol-editing
guard (secretary or administrator). A speaker must be present at the meeting or invited (``domain.speeches``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from socplan.db.models.protocols import AgendaItem, Speech
from socplan.db.models.reference import Person
from socplan.domain import speeches as rules
from socplan.domain.errors import NotFoundError
from socplan.domain.reference import initials_surname
from socplan.domain.roles import Action
from socplan.services.context import AppContext
from socplan.services.permissions import require
from socplan.services.protocols.meetings import participants
from socplan.services.protocols.rows import SpeechRow, speech_row


@dataclass(frozen=True)
class SpeechInput:
    """A member present or an invited person in the reference (``person_id``), or a name typed by hand (an invited
    person is recorded by name); ``position`` is printed after the name."""

    person_id: int | None = None
    name: str = ""
    position: str = ""
    gist: str = ""


@dataclass(frozen=True)
class SpeakerChoice:
    """One line of the speaker list in the editor: who may speak at this meeting, with the position to print."""

    person_id: int | None
    name: str  # «И.О. Фамилия»
    position: str
    invited: bool

    @property
    def label(self) -> str:
        who = f"{self.name} – {self.position}" if self.position else self.name
        return who.replace("\u00a0", " ") + (" (приглашённый)" if self.invited else "")


def _item(s: Session, agenda_item_id: int) -> AgendaItem:
    item = s.get(AgendaItem, agenda_item_id)
    if item is None:
        raise NotFoundError("Вопрос повестки не найден: возможно, его удалили. Обновите список.")
    return item


def _speech(s: Session, speech_id: int) -> Speech:
    speech = s.get(Speech, speech_id)
    if speech is None:
        raise NotFoundError("Выступление не найдено: возможно, его удалили. Обновите список.")
    return speech


def _rows(item: AgendaItem) -> list[SpeechRow]:
    return [speech_row(x, order) for order, x in enumerate(item.speeches, start=1)]


def _renumber(item: AgendaItem, order: list[Speech]) -> None:
    for n, x in enumerate(order, start=1):
        x.sort_order = n


def list_speeches(ctx: AppContext, agenda_item_id: int) -> list[SpeechRow]:
    with ctx.uow() as s:
        return _rows(_item(s, agenda_item_id))


def speaker_choices(ctx: AppContext, agenda_item_id: int) -> list[SpeakerChoice]:
    """The members marked present (in the order of the attendance) and the invited persons of the meeting."""
    with ctx.uow() as s:
        meeting = _item(s, agenda_item_id).meeting
        positions = {m.person_id: m.position for m in meeting.body.memberships}
        out = []
        for a in meeting.attendance:
            p = a.person
            if p is not None:
                out.append(SpeakerChoice(a.person_id, initials_surname(p.last_name, p.first_name, p.middle_name),
                                         a.position or positions.get(a.person_id) or p.position, a.invited))
            else:
                out.append(SpeakerChoice(None, rules.initials_first(a.name), a.position, a.invited))
        return sorted(out, key=lambda c: c.invited)


def save_speech(ctx: AppContext, agenda_item_id: int, data: SpeechInput, speech_id: int | None = None,
                at: int | None = None) -> SpeechRow:
    """Add a speaker at the end (or at place ``at``, 1-based — how undo puts a removed one back) or change one."""
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Выступления по вопросу повестки («ВЫСТУПИЛИ»)") as s:
        speech = save_speech_in(s, _item(s, agenda_item_id), data, speech_id, at)
        s.commit()
        return speech_row(speech, speech.agenda_item.speeches.index(speech) + 1)


def save_speech_in(s: Session, item: AgendaItem, data: SpeechInput, speech_id: int | None = None,
                   at: int | None = None) -> Speech:
    """``save_speech`` inside the caller's session (the demo loader): same checks, nothing committed."""
    if data.person_id is not None and s.get(Person, data.person_id) is None:
        raise NotFoundError("Человек не найден в справочнике: обновите список.")
    found = rules.validate_speech(person_id=data.person_id, name=data.name, gist=data.gist,
                                  participants=participants(item.meeting), question=item.number)
    speech = _speech(s, speech_id) if speech_id else Speech(sort_order=len(item.speeches) + 1)
    if speech_id and speech.agenda_item_id != item.id:
        raise NotFoundError("Выступление относится к другому вопросу повестки: обновите список.")
    speech.person_id = found.person_id
    speech.name = "" if found.person_id is not None else found.name.strip()  # as the protocol lists them
    speech.position, speech.gist = data.position.strip(), data.gist.strip()
    if not speech_id:
        order = list(item.speeches)
        place = len(order) if at is None else max(0, min(len(order), at - 1))
        order.insert(place, speech)
        item.speeches.append(speech)
        _renumber(item, order)
    s.add(speech)
    s.flush()
    s.expire(item, ["speeches"])
    return speech


def delete_speech(ctx: AppContext, speech_id: int) -> None:
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Удаление выступления («ВЫСТУПИЛИ»)") as s:
        speech = _speech(s, speech_id)
        item = speech.agenda_item
        item.speeches.remove(speech)
        s.delete(speech)
        _renumber(item, list(item.speeches))
        s.commit()


def move_speech(ctx: AppContext, speech_id: int, delta: int) -> list[SpeechRow]:
    """Move a speaker ``delta`` places up (negative) or down; returns the question's speakers in the new order."""
    require(ctx, Action.EDIT_PROTOCOLS)
    with ctx.uow(reason="Порядок выступлений («ВЫСТУПИЛИ»)") as s:
        speech = _speech(s, speech_id)
        item = speech.agenda_item
        by_id = {x.id: x for x in item.speeches}
        _renumber(item, [by_id[i] for i in rules.moved(list(by_id), speech_id, delta)])
        s.commit()
        s.expire(item, ["speeches"])
        return _rows(item)


__all__ = ["SpeakerChoice", "SpeechInput", "delete_speech", "list_speeches", "move_speech", "save_speech",
           "save_speech_in", "speaker_choices"]
