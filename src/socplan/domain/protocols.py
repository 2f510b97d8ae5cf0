"""Rules of collegial bodies: quorum, voting, numbering of decisions, «(далее – …)» abbreviations.

Sources: seed 002 Appendix 4 (statute of the working group: §5.2 the deputy replaces the absent chair,
§5.6 quorum, §5.9 decision and casting vote, §5.10 who signs), seed 000 (numbering «подпункт 1 пункта 2
вопроса № 4», abbreviations «Министерство … (далее – Минтруд)» at first mention, short name afterwards).
Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Generic, Iterable, Mapping, Sequence, TypeVar

from socplan.domain.errors import ValidationError, ValidationErrors

NBSP = "\u00a0"
DASH = "\u2013"  # the spaced en dash of «(далее – …)»

# ---------------------------------------------------------------- vocabularies

BODY_KINDS = {
    "council": "совет",
    "working_group": "рабочая группа",
    "commission": "комиссия",
    "public_council": "общественный совет",
}

ROLE_CHAIR = "chair"
ROLE_DEPUTY = "deputy"
ROLE_SECRETARY = "secretary"
ROLE_MEMBER = "member"
ROLES = {
    ROLE_CHAIR: "председатель",
    ROLE_DEPUTY: "заместитель председателя",
    ROLE_SECRETARY: "секретарь",
    ROLE_MEMBER: "член",
}

MEETING_FORMS = {"in_person": "очное", "absentee": "заочное"}

STATUS_ON_CONTROL = "on_control"
STATUS_DONE = "done"
STATUS_NOT_DONE = "not_done"
STATUS_REMOVED = "removed"
STATUS_POSTPONED = "postponed"
CONTROL_STATUSES = {
    STATUS_ON_CONTROL: "на контроле",
    STATUS_DONE: "выполнено",
    STATUS_NOT_DONE: "не выполнено",
    STATUS_REMOVED: "снято с контроля",
    STATUS_POSTPONED: "срок перенесён",
}
#: statuses whose deadline is still being watched (overdue / due-soon lists)
OPEN_STATUSES = frozenset({STATUS_ON_CONTROL, STATUS_POSTPONED})

VOTE_FOR = "for"
VOTE_AGAINST = "against"
VOTE_ABSTAIN = "abstain"
VOTE_CHOICES = {VOTE_FOR: "за", VOTE_AGAINST: "против", VOTE_ABSTAIN: "воздержался"}

OUTCOME_ADOPTED = "adopted"
OUTCOME_REJECTED = "rejected"
OUTCOME_NO_QUORUM = "no_quorum"
OUTCOME_NOT_COUNTED = "not_counted"
OUTCOMES = {
    OUTCOME_ADOPTED: "принято",
    OUTCOME_REJECTED: "не принято",
    OUTCOME_NO_QUORUM: "не принято: нет кворума",
    OUTCOME_NOT_COUNTED: "принято (голоса не подсчитывались)",
}


# ---------------------------------------------------------------- quorum

@dataclass(frozen=True)
class QuorumRule:
    """Share of the members that must be present; ``strict`` means «более» instead of «не менее»."""

    numerator: int = 1
    denominator: int = 2
    strict: bool = False

    def describe(self) -> str:
        share = "половины" if (self.numerator, self.denominator) == (1, 2) else f"{self.numerator}/{self.denominator}"
        return f"{'более' if self.strict else 'не менее'} {share} членов"


@dataclass(frozen=True)
class QuorumStatus:
    members: int
    present: int
    required: int
    reached: bool

    def text(self) -> str:
        if self.members == 0:
            return "Состав органа на дату заседания не внесён: кворум не определяется."
        verdict = "Кворум есть" if self.reached else "Кворума нет"
        return (f"{verdict}: присутствуют {self.present} из {self.members} членов "
                f"(нужно не менее {self.required}).")


def quorum_required(members: int, rule: QuorumRule = QuorumRule()) -> int:
    """Appendix 4 §5.6: the meeting is competent if at least half of the members are present."""
    if members <= 0:
        return 0
    product = members * rule.numerator
    if rule.strict:
        return product // rule.denominator + 1
    return -(-product // rule.denominator)  # ceiling


def quorum_status(members: int, present: int, rule: QuorumRule = QuorumRule()) -> QuorumStatus:
    """Appendix 4 §5.6: quorum of ``present`` members out of ``members``."""
    required = quorum_required(members, rule)
    return QuorumStatus(members, present, required, members > 0 and present >= required)


# ---------------------------------------------------------------- voting

@dataclass(frozen=True)
class DecisionRule:
    """Share of those present that must vote «за»; whether the presiding person's vote breaks a tie."""

    numerator: int = 1
    denominator: int = 2
    strict: bool = False
    casting_vote: bool = True

    def describe(self) -> str:
        share = "половины" if (self.numerator, self.denominator) == (1, 2) else f"{self.numerator}/{self.denominator}"
        text = f"за — {'более' if self.strict else 'не менее'} {share} присутствующих"
        return text + ("; при равенстве голосов решает голос председательствующего" if self.casting_vote else "")


@dataclass(frozen=True)
class Votes:
    votes_for: int
    against: int
    abstained: int

    @property
    def total(self) -> int:
        return self.votes_for + self.against + self.abstained

    def text(self) -> str:
        return f"«за» – {self.votes_for}, «против» – {self.against}, «воздержались» – {self.abstained}"


@dataclass(frozen=True)
class Outcome:
    code: str
    explanation: str

    @property
    def adopted(self) -> bool:
        return self.code in (OUTCOME_ADOPTED, OUTCOME_NOT_COUNTED)

    @property
    def label(self) -> str:
        return OUTCOMES[self.code]


def validate_votes(votes: Votes, present: int) -> None:
    """Vote counts are non-negative and cannot exceed the members present."""
    errors: list[ValidationError] = []
    for name, value, label in (("votes_for", votes.votes_for, "за"), ("against", votes.against, "против"),
                               ("abstained", votes.abstained, "воздержались")):
        if value < 0:
            errors.append(ValidationError(name, f"Число голосов «{label}» не может быть отрицательным."))
    if not errors and votes.total > present:
        errors.append(ValidationError(
            "votes_for", f"Проголосовало {votes.total}, а присутствуют только {present} членов. "
            "Проверьте числа «за», «против», «воздержались» или список присутствующих."))
    if errors:
        raise ValidationErrors(errors)


def casting_role(presiding_role: str | None) -> str | None:
    """Appendix 4 §5.2, §5.9: the chair, or the deputy acting as chair, holds the casting vote."""
    return presiding_role if presiding_role in (ROLE_CHAIR, ROLE_DEPUTY) else None


def decision_outcome(votes: Votes | None, present: int, quorum: QuorumStatus | None = None,
                     rule: DecisionRule = DecisionRule(), presiding_role: str | None = None,
                     presiding_vote: str | None = None) -> Outcome:
    """Appendix 4 §5.9: adopted if «за» ≥ half of those present; a tie is decided by the presiding chair/deputy."""
    if quorum is not None and quorum.members > 0 and not quorum.reached:
        return Outcome(OUTCOME_NO_QUORUM, "Заседание неправомочно: нет кворума, решение не может быть принято.")
    if votes is None:
        return Outcome(OUTCOME_NOT_COUNTED, "Голоса по решению не подсчитывались (отражено как принятое).")
    validate_votes(votes, present)
    if votes.votes_for == votes.against and votes.votes_for > 0 and rule.casting_vote:
        role = casting_role(presiding_role)
        who = "председателя" if role == ROLE_CHAIR else "заместителя председателя, исполняющего обязанности председателя"
        if role is None:
            return Outcome(OUTCOME_REJECTED, "Равенство голосов; председатель и его заместитель не председательствовали, "
                                             "решающего голоса нет — решение не принято.")
        if presiding_vote == VOTE_FOR:
            return Outcome(OUTCOME_ADOPTED, f"Равенство голосов; решающий голос {who} — «за».")
        if presiding_vote == VOTE_AGAINST:
            return Outcome(OUTCOME_REJECTED, f"Равенство голосов; решающий голос {who} — «против».")
        nominative = "председатель" if role == ROLE_CHAIR else "заместитель председателя, исполняющий обязанности председателя,"
        return Outcome(OUTCOME_REJECTED, f"Равенство голосов; {nominative} не голосовал «за» или «против» — "
                                         "решение не принято. Укажите его голос.")
    needed = present * rule.numerator
    have = votes.votes_for * rule.denominator
    passed = have > needed if rule.strict else have >= needed
    if passed and votes.votes_for > 0:
        return Outcome(OUTCOME_ADOPTED, f"За проголосовали {votes.votes_for} из {present} присутствующих.")
    return Outcome(OUTCOME_REJECTED, f"За проголосовали {votes.votes_for} из {present} присутствующих — "
                                     f"меньше требуемого ({rule.describe()}).")


# ---------------------------------------------------------------- numbering

def question_label(number: int) -> str:
    """«Вопрос № 2» (seed 000)."""
    return f"Вопрос №{NBSP}{number}"


def protocol_point_label(question: int, point: int, subpoint: int | None = None) -> str:
    """Seed 000 «Пункт протокола»: «пункт 5 вопроса № 2», «подпункт 1 пункта 2 вопроса № 4»."""
    if subpoint:
        return f"подпункт {subpoint} пункта {point} вопроса №{NBSP}{question}"
    return f"пункт {point} вопроса №{NBSP}{question}"


def protocol_point_label_lines(question: int, point: int, subpoint: int | None = None) -> str:
    """The same label broken into lines as in the table cell of seed 000."""
    if subpoint:
        return f"подпункт {subpoint}\nпункта {point}\nвопроса №{NBSP}{question}"
    return f"пункт {point}\nвопроса №{NBSP}{question}"


def decision_number(point: int, subpoint: int | None = None) -> str:
    """Number printed before a decision under «РЕШИЛИ»: «2.» for a point, «1)» for a sub-point."""
    return f"{subpoint})" if subpoint else f"{point}."


def protocol_title_number(number: str) -> str:
    return f"ПРОТОКОЛ №{NBSP}{number}".strip()


def next_point(existing: Iterable[tuple[int, int | None]], point: int | None = None) -> tuple[int, int | None]:
    """The next free number: a new point after the last one, or the next sub-point of ``point``."""
    pairs = list(existing)
    if point is None:
        return (max((p for p, _s in pairs), default=0) + 1, None)
    return (point, max((s or 0 for p, s in pairs if p == point), default=0) + 1)


def validate_numbering(pairs: Sequence[tuple[int, int | None]]) -> None:
    """Points and sub-points are positive and unique within a question."""
    seen: set[tuple[int, int | None]] = set()
    for point, sub in pairs:
        if point <= 0 or (sub is not None and sub <= 0):
            raise ValidationError("point", "Номер пункта и подпункта должен быть положительным числом.")
        key = (point, sub or None)
        if key in seen:
            what = f"подпункт {sub} пункта {point}" if sub else f"пункт {point}"
            raise ValidationError("point", f"В вопросе уже есть {what}. Выберите другой номер.")
        seen.add(key)


# ---------------------------------------------------------------- «(далее – …)»

@dataclass(frozen=True)
class Named:
    """An organisation (or body) with its full and short names; ``text`` alone is a plain wording."""

    full: str = ""
    short: str = ""
    suffix: str = ""  # «совместно с органами исполнительной власти Омской области»
    text: str = ""


def abbreviation_first_mention(full: str, short: str) -> str:
    """DOCUMENTS §6: «полное наименование (далее – Сокращение)» at the first use."""
    if not short or short.strip() == full.strip():
        return full
    return f"{full} (далее {DASH} {short})"


@dataclass
class AbbreviationRenderer:
    """Seed 000: the full name with «(далее – Short)» at its first mention in a document, the short name after."""

    mentioned: set[str] = field(default_factory=set)

    def name(self, full: str, short: str) -> str:
        key = (short or full).strip()
        if key in self.mentioned:
            return short or full
        self.mentioned.add(key)
        return abbreviation_first_mention(full, short)

    def item(self, item: Named) -> str:
        if not item.full and not item.short:
            return item.text
        rendered = self.name(item.full or item.short, item.short)
        return f"{rendered} {item.suffix}".strip() if item.suffix else rendered

    def items(self, items: Iterable[Named]) -> str:
        return ", ".join(self.item(i) for i in items)


# ---------------------------------------------------------------- membership and attendance

@dataclass(frozen=True)
class MemberOnDate:
    person_id: int
    role: str
    date_from: dt.date | None
    date_to: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return (self.date_from is None or self.date_from <= day) and (self.date_to is None or day <= self.date_to)


def members_on(members: Iterable[MemberOnDate], day: dt.date) -> list[MemberOnDate]:
    """Membership in force on the date of the meeting."""
    return [m for m in members if m.active_on(day)]


def presiding_role(members: Iterable[MemberOnDate], day: dt.date, person_id: int | None) -> str | None:
    for m in members_on(members, day):
        if m.person_id == person_id:
            return m.role
    return None


def validate_membership(role: str, date_from: dt.date | None, date_to: dt.date | None,
                        founded: dt.date | None, others: Iterable[MemberOnDate], person_id: int) -> None:
    """A member is not included twice at once; one chair at a time; dates in order and after founding."""
    errors: list[ValidationError] = []
    if role not in ROLES:
        errors.append(ValidationError("role", "Выберите роль члена из списка."))
    if date_from and date_to and date_to < date_from:
        errors.append(ValidationError("date_to", "Дата исключения из состава раньше даты включения."))
    if founded and date_from and date_from < founded:
        errors.append(ValidationError("date_from", f"Орган создан {founded:%d.%m.%Y}: включить в состав раньше нельзя."))
    start, end = date_from or dt.date.min, date_to or dt.date.max
    for other in others:
        o_start, o_end = other.date_from or dt.date.min, other.date_to or dt.date.max
        if o_start <= end and start <= o_end:
            if other.person_id == person_id:
                errors.append(ValidationError("person_id", "Этот человек уже входит в состав в указанный период."))
            elif role == ROLE_CHAIR and other.role == ROLE_CHAIR:
                errors.append(ValidationError("role", "У органа уже есть председатель в этот период; "
                                                      "сначала укажите дату окончания его полномочий."))
    if errors:
        raise ValidationErrors(errors)


@dataclass(frozen=True)
class MeetingCheck:
    date: dt.date | None
    founded: dt.date | None
    member_ids_present: Sequence[int]
    member_ids_active: Sequence[int]
    invited_keys: Sequence[str] = ()
    form: str = "in_person"
    number: str = ""
    presiding_id: int | None = None


def validate_meeting(check: MeetingCheck) -> None:
    """Date after the body's founding; nobody listed twice; attendance not larger than the membership."""
    errors: list[ValidationError] = []
    if check.date is None:
        errors.append(ValidationError("date", "Укажите дату заседания."))
    elif check.founded and check.date < check.founded:
        errors.append(ValidationError(
            "date", f"Дата заседания {check.date:%d.%m.%Y} раньше даты создания органа "
            f"({check.founded:%d.%m.%Y}). Проверьте дату."))
    if check.form not in MEETING_FORMS:
        errors.append(ValidationError("form", "Выберите форму заседания: очное или заочное."))
    present = list(check.member_ids_present)
    if len(set(present)) != len(present):
        errors.append(ValidationError("attendance", "Один и тот же член органа указан в списке присутствующих дважды."))
    invited = [k.strip().casefold() for k in check.invited_keys]
    if len(set(invited)) != len(invited):
        errors.append(ValidationError("invited", "Один и тот же приглашённый указан дважды."))
    active = set(check.member_ids_active)
    if len(set(present)) > len(active):
        errors.append(ValidationError(
            "attendance", f"Присутствующих членов ({len(set(present))}) больше, чем членов в составе на дату "
            f"заседания ({len(active)}). Отметьте лишних как приглашённых или исправьте состав."))
    elif set(present) - active:
        errors.append(ValidationError(
            "attendance", "В списке присутствующих есть человек, который не входит в состав на дату заседания. "
            "Укажите его среди приглашённых."))
    if set(present) & set(int(k) for k in check.invited_keys if k.isdigit()):
        errors.append(ValidationError("invited", "Член органа не может одновременно быть приглашённым."))
    if check.presiding_id is not None and present and check.presiding_id not in present:
        errors.append(ValidationError("presiding_id", "Председательствующий должен быть среди присутствующих членов."))
    if errors:
        raise ValidationErrors(errors)


def validate_decision_text(text: str) -> None:
    if not (text or "").strip():
        raise ValidationError("text", "Введите текст решения: решение без текста сохранить нельзя.")


def signers(presiding_role_: str | None, secretary_signs: bool) -> list[str]:
    """Appendix 4 §5.10: the protocol is signed by the chair or the presiding deputy; optionally the secretary."""
    first = "Председательствующий" if presiding_role_ != ROLE_CHAIR else "Председатель"
    return [first] + (["Секретарь"] if secretary_signs else [])


# ---------------------------------------------------------------- control of execution

def is_overdue(status: str, due: dt.date | None, today: dt.date) -> bool:
    """An open assignment whose due date has passed."""
    return status in OPEN_STATUSES and due is not None and due < today


def is_due_soon(status: str, due: dt.date | None, today: dt.date, days: int = 7) -> bool:
    """An open assignment due within ``days`` calendar days from today (today included)."""
    return status in OPEN_STATUSES and due is not None and today <= due <= today + dt.timedelta(days=days)


def execution_cell(status: str, info: str) -> str:
    """Seed 000 column «Информация об исполнении»: «Выполнено.» then the text of the execution info."""
    label = CONTROL_STATUSES.get(status, status)
    head = label[:1].upper() + label[1:] + "."
    return f"{head}\n{info.strip()}" if info and info.strip() else head


# ---------------------------------------------------------------- reading «Ответственные»

Key = TypeVar("Key")


_SPACES = re.compile(r"\s+")
_FURTHER = re.compile(r"^\s*\(далее\s*[–—-]\s*([^)]*)\)")


@dataclass(frozen=True)
class ResponsiblePart(Generic[Key]):
    key: Key | None  # the organisation recognised, or None for a plain wording
    text: str = ""  # plain wording (key is None)
    suffix: str = ""  # wording after the organisation's name


def normalise_spaces(value: str) -> str:
    return _SPACES.sub(" ", (value or "").replace("\u00a0", " ")).strip()


def split_responsibles(text: str, known: Mapping[str, Key]) -> list[ResponsiblePart[Key]]:
    """Seed 000 «Ответственные»: split a «Ответственные» cell; ``known`` maps full and short names to an organisation key."""
    rest = normalise_spaces(text)
    names = sorted(known, key=len, reverse=True)
    parts: list[ResponsiblePart[Key]] = []
    while rest:
        rest = rest.lstrip(" ,;")
        if not rest:
            break
        match = next((n for n in names if rest.startswith(n) and (len(rest) == len(n) or not rest[len(n)].isalnum())),
                     None)
        if match is None:
            cut = rest.find(",")
            chunk, rest = (rest, "") if cut < 0 else (rest[:cut], rest[cut + 1:])
            if chunk.strip():
                parts.append(ResponsiblePart(None, chunk.strip()))
            continue
        rest = rest[len(match):]
        further = _FURTHER.match(rest)
        if further:
            rest = rest[further.end():]
        suffix = ""
        if rest and not rest.lstrip().startswith((",", ";")):
            cut = rest.find(",")
            suffix, rest = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
        parts.append(ResponsiblePart(known[match], "", suffix.strip()))
    return parts


# ---------------------------------------------------------------- documents as text (built by services,
# drawn by reports/ as PDF and by io/ as .docx/.xlsx)

@dataclass(frozen=True)
class ExecutionRowText:
    number: int
    point: str
    content: str
    responsibles: str
    execution: str


@dataclass(frozen=True)
class ExecutionGroupText:
    caption: str  # «Протокол заседания Координационного совета от 30 июня 2021 года»
    rows: tuple[ExecutionRowText, ...]


@dataclass(frozen=True)
class ExecutionReportText:
    """Seed 000: «ИНФОРМАЦИЯ об исполнении решений <органа> (далее – …)» and its five-column table."""

    title: str
    subtitle: str
    groups: tuple[ExecutionGroupText, ...]
    filter_note: str = ""
    header: tuple[str, ...] = ("№\nп/п", "Пункт\nпротокола", "Содержание поручения", "Ответственные",
                               "Информация об исполнении")


@dataclass(frozen=True)
class DecisionText:
    number: str  # «1.» or «1)»
    text: str
    responsibles: str
    deadline: str
    vote: str  # «Голосовали: …» with the outcome
    subpoint: bool = False


@dataclass(frozen=True)
class QuestionText:
    number: int
    title: str
    heard: str  # «СЛУШАЛИ»: «И.О. Фамилия – …»
    decisions: tuple[DecisionText, ...]
    spoke: tuple[str, ...] = ()  # «ВЫСТУПИЛИ»: «И.О. Фамилия – должность: суть выступления», in the order they spoke


@dataclass(frozen=True)
class ProtocolText:
    """DOCUMENTS.md §3: the printed protocol of a meeting."""

    body_name: str
    title: str  # «ПРОТОКОЛ № 3»
    subtitle: str  # «заседания рабочей группы …»
    date_text: str
    place: str
    time_form: str
    presiding: str
    secretary: str
    members: tuple[str, ...]
    invited: tuple[str, ...]
    quorum: str
    agenda: tuple[str, ...]
    questions: tuple[QuestionText, ...]
    signatures: tuple[tuple[str, str], ...]  # (position, «И.О. Фамилия»)
    members_label: str = "Присутствовали:"  # «Приняли участие в заочном голосовании:» for an absentee meeting
    draft: bool = False  # printed with «ПРОЕКТ» across every page: a requisite is still missing


def missing_protocol_requisites(*, number: str, presiding: str, secretary: str, secretary_signs: bool,
                                present: int, absentee: bool, untitled_questions: Sequence[int],
                                agenda_items: int) -> list[str]:
    """DOCUMENTS.md §3: what a protocol must show before it is signed — number, chair, secretary, those present,
    the agenda with each question's own title. Each missing requisite as the words a secretary reads."""
    missing: list[str] = []
    if not (number or "").strip():
        missing.append("номер протокола")
    if not (presiding or "").strip():
        missing.append("председательствующий")
    if secretary_signs and not (secretary or "").strip():
        missing.append("секретарь")
    if present <= 0:
        missing.append("участники заочного голосования" if absentee else "присутствовавшие члены")
    if agenda_items <= 0:
        missing.append("вопросы повестки дня")
    if untitled_questions:
        numbers = ", ".join(str(n) for n in untitled_questions)
        missing.append(f"наименование вопроса повестки № {numbers}" if len(untitled_questions) == 1
                       else f"наименования вопросов повестки № {numbers}")
    return missing


def votes_line(votes: Votes) -> str:
    """How a protocol records a vote (issue 14, seed practice): «за – 8, против – 0, воздержались – 0»."""
    return f"за – {votes.votes_for}, против – {votes.against}, воздержались – {votes.abstained}"


#: DOCUMENTS.md §3: for a large attendance the protocol gives the number of those present and the words
#: «(список прилагается)»; the list follows as an appendix. The guide's sources name 10 or 15 people as the
#: threshold; we list up to 15 names in the text.
ATTENDANCE_LIST_THRESHOLD = 15


def attendance_listed_separately(present: int) -> bool:
    """DOCUMENTS.md §3: more than ``ATTENDANCE_LIST_THRESHOLD`` present → «N человек (список прилагается)»."""
    return present > ATTENDANCE_LIST_THRESHOLD


def people_word(count: int) -> str:
    """«человек» / «человека» agreeing with the number: 1, 5–20, 21 человек; 2–4, 22 человека."""
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "человека"
    return "человек"
