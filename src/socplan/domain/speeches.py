"""«ВЫСТУПИЛИ» of a protocol (DOCUMENTS.md §3): who spoke in the discussion of a question and what they said.

A speaker is someone the protocol already lists: a member present at the meeting or an invited person. A name
typed by hand is matched against those lists by surname and initials («Иванова И.И.», «И.И. Иванова» and
«Иванова Ирина Ивановна» are the same person), so the protocol never names a speaker who was not there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from socplan.domain.errors import ValidationError, ValidationErrors

NBSP = "\u00a0"
DASH = "\u2013"


@dataclass(frozen=True)
class NameParts:
    surname: str
    initials: str  # «ИИ» without dots

    @property
    def key(self) -> str:
        return self.surname.casefold().replace("ё", "е")


def name_parts(name: str) -> NameParts | None:
    """«Иванова И.И.», «И.И. Иванова», «Иванова Ирина Ивановна», «Иванова» → surname and initials.

    An initial is a single letter (with or without its dot); the surname is the first longer word, wherever it
    stands. None for a text without a word of two letters or more."""
    words = [w.strip(".,;:()«»\"'") for w in (name or "").replace(NBSP, " ").replace(".", ". ").split()]
    words = [w for w in words if w]
    first_long = next((i for i, w in enumerate(words) if len(w) > 1), None)
    if first_long is None:
        return None
    surname = words[first_long]
    rest = words[:first_long] + words[first_long + 1:]
    return NameParts(surname, "".join(w[0].upper() for w in rest))


def same_person(a: str, b: str) -> bool:
    """Same surname, and the initials agree as far as both are given («Иванова» matches «Иванова И.И.»)."""
    pa, pb = name_parts(a), name_parts(b)
    if pa is None or pb is None or pa.key != pb.key:
        return False
    n = min(len(pa.initials), len(pb.initials))
    return pa.initials[:n] == pb.initials[:n]


def initials_first(name: str) -> str:
    """A name typed by hand as the protocol prints it: «Иванова И.И.» → «И.И. Иванова» (NBSP before the surname);
    a text that is not a person's name is left as typed."""
    parts = name_parts(name)
    if parts is None or not parts.initials:
        return (name or "").strip()
    return f"{'.'.join(parts.initials)}.{NBSP}{parts.surname}"


@dataclass(frozen=True)
class Participant:
    """Someone the protocol lists as present or invited: ``person_id`` where the reference knows the person."""

    person_id: int | None
    name: str
    invited: bool = False


def find_participant(person_id: int | None, name: str, participants: Iterable[Participant]) -> Participant | None:
    people = list(participants)
    if person_id is not None:
        return next((p for p in people if p.person_id == person_id), None)
    return next((p for p in people if same_person(p.name, name)), None)


def validate_speech(*, person_id: int | None, name: str, gist: str, participants: Iterable[Participant],
                    question: int) -> Participant:
    """A speaker must be present at the meeting or invited to it, and the gist is what the protocol prints.
    Returns the participant found; raises ``ValidationErrors`` with the field and what to do."""
    errors: list[ValidationError] = []
    found: Participant | None = None
    if person_id is None and not (name or "").strip():
        errors.append(ValidationError("speaker", "Выберите выступившего из присутствовавших или приглашённых "
                                                 "либо введите его фамилию и инициалы."))
    else:
        found = find_participant(person_id, name, participants)
        if found is None:
            who = f"«{name.strip()}»" if (name or "").strip() else "Выбранный человек"
            errors.append(ValidationError(
                "speaker", f"{who} не отмечен среди присутствовавших или приглашённых на заседании, а выступить "
                f"по вопросу № {question} может только участник заседания. Отметьте его в карточке заседания "
                "(«Присутствовали» или «Приглашенные») или выберите другого выступившего."))
    if not (gist or "").strip():
        errors.append(ValidationError("gist", "Введите суть выступления: она печатается в протоколе после "
                                              "«ВЫСТУПИЛИ:»."))
    if errors:
        raise ValidationErrors(errors)
    return found  # type: ignore[return-value]


def speech_line(name: str, position: str, gist: str) -> str:
    """«И.О. Фамилия – должность: суть выступления» (without a position: «И.О. Фамилия: суть выступления»)."""
    who = f"{name} {DASH} {position.strip()}" if position.strip() else name
    gist = gist.strip()
    return f"{who}: {gist}" if gist else who


def moved(ids: list[int], speech_id: int, delta: int) -> list[int]:
    """The order after moving ``speech_id`` by ``delta`` places (clamped to the list's ends)."""
    order = list(ids)
    i = order.index(speech_id)
    j = max(0, min(len(order) - 1, i + delta))
    order.insert(j, order.pop(i))
    return order


__all__ = ["NameParts", "Participant", "find_participant", "initials_first", "moved", "name_parts", "same_person",
           "speech_line", "validate_speech"]
