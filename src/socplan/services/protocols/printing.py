"""Printed documents: the protocol of a meeting (PDF, .docx) and «Информация об исполнении решений …»
(PDF in the layout of seed 000, .xlsx). Every PDF is recorded in the journal of reports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError, ValidationErrors
from socplan.formatting import format_date, format_date_verbal
from socplan.services.context import AppContext
from socplan.services.protocols.bodies import get_body
from socplan.services.protocols.control import AssignmentFilter, list_assignments
from socplan.services.protocols.meetings import meeting_detail
from socplan.services.protocols.rows import DecisionRow

FORMATS = ("pdf", "xlsx", "docx")


# ---------------------------------------------------------------- «Информация об исполнении решений»

def execution_report_text(ctx: AppContext, body_id: int, flt: AssignmentFilter | None = None) -> rules.ExecutionReportText:
    """Seed 000: rows grouped by protocol, numbered through; organisations «(далее – …)» at first mention."""
    body = get_body(ctx, body_id)
    flt = replace(flt or AssignmentFilter(), body_id=body_id)
    rows = list_assignments(ctx, flt)
    names = rules.AbbreviationRenderer()
    subtitle = "об исполнении решений " + names.name(body.name_genitive, body.short_name)
    short_gen = body.short_name_genitive or body.name_genitive
    groups: list[rules.ExecutionGroupText] = []
    current: int | None = None
    bucket: list[rules.ExecutionRowText] = []
    caption = ""
    for number, r in enumerate(rows, start=1):
        if r.meeting_id != current:
            if bucket:
                groups.append(rules.ExecutionGroupText(caption, tuple(bucket)))
            current, bucket = r.meeting_id, []
            caption = f"Протокол заседания {short_gen} от {format_date_verbal(r.meeting_date, year_word='года')}"
            if r.meeting_number:
                caption += f" №\u00a0{r.meeting_number}"
        bucket.append(rules.ExecutionRowText(
            number, rules.protocol_point_label_lines(r.question, r.point, r.subpoint), r.text,
            names.items(x.named() for x in r.responsibles), rules.execution_cell(r.control_status, r.execution_info)))
    if bucket:
        groups.append(rules.ExecutionGroupText(caption, tuple(bucket)))
    return rules.ExecutionReportText("ИНФОРМАЦИЯ", subtitle, tuple(groups), _filter_note(ctx, flt))


def _filter_note(ctx: AppContext, flt: AssignmentFilter) -> str:
    note = flt.describe()
    if flt.organisation_id is not None:
        from socplan.services.reference import list_organisations

        org = next((o for o in list_organisations(ctx) if o.id == flt.organisation_id), None)
        if org is not None:
            note = "; ".join(x for x in (note, f"ответственный: {org.short_name}") if x)
    return note


def prepared_by(ctx: AppContext) -> tuple[str, str]:
    """Who prepared a report, for its signature block: the user's position and «И.О. Фамилия» (a blank line
    to sign by hand where the settings do not name the user)."""
    from socplan.services.reports.signer import prepared_by as of_user

    return of_user(ctx.user)


@dataclass(frozen=True)
class GeneratedDocument:
    data: bytes
    title: str
    file_name: str
    fmt: str


def execution_report(ctx: AppContext, body_id: int, out: Path, fmt: str = "pdf",
                     flt: AssignmentFilter | None = None) -> Path:
    """Write the report to ``out`` (pdf or xlsx); the PDF is recorded in the journal of reports."""
    doc = build_execution_report(ctx, body_id, fmt, flt, file_name=Path(out).name)
    return _write(Path(out), doc.data)


def build_execution_report(ctx: AppContext, body_id: int, fmt: str = "pdf", flt: AssignmentFilter | None = None,
                           *, file_name: str = "") -> GeneratedDocument:
    """The report's bytes (for the preview or a file); the PDF is recorded in the journal of reports."""
    fmt = fmt.lower()
    if fmt not in ("pdf", "xlsx"):
        raise SocPlanError("Отчёт об исполнении решений формируется в PDF или XLSX.")
    report = execution_report_text(ctx, body_id, flt)
    body = get_body(ctx, body_id)
    title = f"Информация об исполнении решений {body.short_name_genitive or body.name_genitive}"
    params = {"body_id": body_id, "filter": report.filter_note, "format": fmt}
    signer = prepared_by(ctx)
    if fmt == "xlsx":
        from socplan.io.protocols_files import execution_report_xlsx

        data = execution_report_xlsx(report, signer)
    else:
        from socplan.reports.protocols_documents import execution_report_pdf

        data = execution_report_pdf(report, author=ctx.user.name, signer=signer)
    file_name = file_name or f"{title}.{fmt}"
    _record(ctx, "decisions_execution", title, params, data, file_name, fmt)
    return GeneratedDocument(data, title, file_name, fmt)


# ---------------------------------------------------------------- the protocol

def _vote_line(d: DecisionRow, casting: str = "") -> str:
    """«Голосовали: …» with the outcome; in a tie, whose casting vote decided (Appendix 4 §5.9)."""
    if d.outcome == rules.OUTCOME_NO_QUORUM:
        return "Решение не принято: заседание неправомочно (нет кворума)."
    if d.votes is None:
        return ""
    outcome = "Решение принято." if d.outcome == rules.OUTCOME_ADOPTED else "Решение не принято."
    return f"Голосовали: {rules.votes_line(d.votes)}. {casting + ' ' if casting else ''}{outcome}"


def _casting_note(d: DecisionRow, present: int, quorum: rules.QuorumStatus, rule: rules.DecisionRule,
                  presiding_role: str | None) -> str:
    """The domain's explanation of a tie («Равенство голосов; решающий голос председателя — «за».»), else ""."""
    v = d.votes
    if v is None or v.votes_for != v.against or not v.votes_for or not rule.casting_vote:
        return ""
    try:
        outcome = rules.decision_outcome(v, present, quorum, rule, presiding_role, d.presiding_vote or None)
    except ValidationErrors:
        return ""
    return outcome.explanation if outcome.code in (rules.OUTCOME_ADOPTED, rules.OUTCOME_REJECTED) else ""


#: what a draft shows where a requisite is not recorded yet (the final version is refused instead)
BLANK = "_______________"


class ProtocolIncomplete(SocPlanError):
    """The final protocol cannot be printed: ``missing`` lists the requisites still to be recorded."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__("Протокол нельзя сформировать для подписания: не указаны " + ", ".join(missing) +
                         ". Заполните их в карточке заседания или сформируйте проект — он печатается с отметкой "
                         "«ПРОЕКТ».")


def protocol_missing(ctx: AppContext, meeting_id: int) -> list[str]:
    """The requisites (DOCUMENTS.md §3) the meeting still lacks; empty when the protocol can be signed."""
    return _missing(meeting_detail(ctx, meeting_id))


def _missing(detail) -> list[str]:  # noqa: ANN001
    m, body = detail.meeting, detail.body
    return rules.missing_protocol_requisites(
        number=m.number, presiding=m.presiding_name, secretary=m.secretary_name,
        secretary_signs=body.secretary_signs, present=sum(1 for a in detail.attendees if not a.invited),
        absentee=m.form == "absentee", untitled_questions=[a.number for a in detail.agenda if not a.title.strip()],
        agenda_items=len(detail.agenda))


def protocol_text(ctx: AppContext, meeting_id: int, *, draft: bool = False) -> rules.ProtocolText:
    """The protocol's text. The final version needs every requisite (``ProtocolIncomplete`` says which are
    missing); ``draft=True`` prints what there is, blanks for the rest, with «ПРОЕКТ» across the pages."""
    detail = meeting_detail(ctx, meeting_id)
    missing = _missing(detail)
    if missing and not draft:
        raise ProtocolIncomplete(missing)
    m, body = detail.meeting, detail.body
    names = rules.AbbreviationRenderer()
    member_roles = {x.person_id: x for x in detail.members_on_date}

    def person_line(a) -> str:  # noqa: ANN001
        member = member_roles.get(a.person_id)
        role = f" ({member.role_label} {body.short_name_genitive})" if member and member.role != rules.ROLE_MEMBER \
            and body.short_name_genitive else ""
        position = f" – {a.position}" if a.position else ""
        return f"{a.initials_surname}{position}{role}"  # DOCUMENTS.md §3: «И.О. Фамилия»

    members = sorted((a for a in detail.attendees if not a.invited), key=lambda a: a.name.casefold())
    invited = [a for a in detail.attendees if a.invited]
    quorum = m.quorum
    if quorum.members:
        quorum_text = (f"Кворум имеется: присутствуют {quorum.present} из {quorum.members} членов "
                       f"{body.short_name_genitive}." if quorum.reached else
                       f"Кворума нет: присутствуют {quorum.present} из {quorum.members} членов "
                       f"(нужно не менее {quorum.required}). Заседание неправомочно принимать решения.")
    else:
        quorum_text = ""
    presiding_role = member_roles[m.presiding_id].role if m.presiding_id in member_roles else None
    questions = []
    agenda = []
    for item in detail.agenda:
        title = item.title.strip() or f"{BLANK} (наименование вопроса не внесено)"
        agenda.append(f"{item.number}. {title}")
        heard = item.heard
        if item.speakers and item.speakers not in heard:
            heard = f"{item.speakers} – {heard}" if heard else item.speakers
        decisions = []
        for d in item.decisions:
            responsibles = names.items(x.named() for x in d.responsibles)
            deadline = d.deadline_text if d.deadline_text and d.deadline_text.casefold() not in d.text.casefold() else ""
            decisions.append(rules.DecisionText(
                rules.decision_number(d.point, d.subpoint), d.text,
                _sentence(f"Ответственные: {responsibles}") if responsibles else "",
                _sentence(f"Срок: {deadline}") if deadline else "",
                _vote_line(d, _casting_note(d, quorum.present if quorum.members else 10**6, quorum, body.decision_rule, presiding_role)),
                d.subpoint is not None))
        questions.append(rules.QuestionText(item.number, title, heard, tuple(decisions),
                                            tuple(x.line for x in item.speeches)))
    # Appendix 4 §5.10: signed by the presiding chair or deputy; the secretary too where the statute says so.
    # A name not recorded leaves the line to be filled in by hand.
    signatures = [(rules.signers(presiding_role, False)[0], m.presiding_name or BLANK)]
    if body.secretary_signs:
        signatures.append(("Секретарь", m.secretary_name or BLANK))
    presiding_att = next((a for a in detail.attendees if a.person_id == m.presiding_id), None)
    secretary_att = next((a for a in detail.attendees if a.person_id == m.secretary_id), None)
    number = m.number or "____"
    return rules.ProtocolText(
        body_name=body.name, title=rules.protocol_title_number(number),
        subtitle=f"заседания {body.name_genitive}" if body.name_genitive else "",
        date_text=format_date(m.date), place=m.place or body.default_place,
        time_form=", ".join(x for x in (f"Время: {m.time}" if m.time else "",
                                        f"Форма проведения: {m.form_label}") if x),
        presiding=_with_position(presiding_att) if presiding_att else (m.presiding_name or BLANK),
        secretary=_with_position(secretary_att) if secretary_att else (m.secretary_name or (
            BLANK if body.secretary_signs else "")),
        members=tuple(person_line(a) for a in members) or ((BLANK,) if missing else ()), invited=tuple(person_line(a) for a in invited),
        quorum=quorum_text, agenda=tuple(agenda), questions=tuple(questions), signatures=tuple(signatures),
        members_label="Приняли участие в заочном голосовании:" if m.form == "absentee" else "Присутствовали:",
        draft=bool(missing) or draft)


def _with_position(a) -> str:  # noqa: ANN001
    """«Председатель – И.Б. Елецкая, заместитель Мэра города Омска» (DOCUMENTS.md §3)."""
    return f"{a.initials_surname}, {a.position}" if a.position else a.initials_surname


def _sentence(value: str) -> str:
    return value if value.endswith(".") else value + "."


def protocol_document(ctx: AppContext, meeting_id: int, out: Path, fmt: str = "pdf", *, draft: bool = False) -> Path:
    """Write the protocol to ``out`` as PDF (recorded in the journal) or .docx (for editing before signing)."""
    doc = build_protocol(ctx, meeting_id, fmt, file_name=Path(out).name, draft=draft)
    return _write(Path(out), doc.data)


def build_protocol(ctx: AppContext, meeting_id: int, fmt: str = "pdf", *, file_name: str = "",
                   draft: bool = False) -> GeneratedDocument:
    """The protocol for signing, or with ``draft=True`` the «ПРОЕКТ» version (see ``protocol_text``)."""
    fmt = fmt.lower()
    if fmt not in ("pdf", "docx"):
        raise SocPlanError("Протокол формируется в PDF или DOCX.")
    protocol = protocol_text(ctx, meeting_id, draft=draft)
    if fmt == "docx":
        from socplan.io.protocols_files import protocol_docx

        data = protocol_docx(protocol)
    else:
        from socplan.reports.protocols_documents import protocol_pdf

        data = protocol_pdf(protocol, author=ctx.user.name)
    title = ("Проект: " if protocol.draft else "") + f"{protocol.title} {protocol.subtitle} от {protocol.date_text}"
    file_name = file_name or (f"{'Проект протокола' if protocol.draft else 'Протокол'} "
                              f"{protocol.date_text}.{fmt}").replace("\u00a0", " ")
    _record(ctx, "protocol", title, {"meeting_id": meeting_id, "format": fmt}, data, file_name, fmt)
    return GeneratedDocument(data, title, file_name, fmt)


def _write(out: Path, data: bytes) -> Path:
    from socplan.atomic import save_failed, write_bytes

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(out, data)  # whole or not at all: no «.tmp» left behind on a full disk
    except OSError as exc:
        raise SocPlanError(save_failed(out, exc)) from exc
    return out


def _record(ctx: AppContext, kind: str, title: str, params: dict, data: bytes, file_name: str, fmt: str) -> None:
    """PDFs go to the journal of reports (the journal keeps issued PDF documents)."""
    from socplan.services.permissions import require_document

    require_document(ctx, kind)  # issuing a protocol in any format is the secretary's (domain/roles.py)
    if fmt != "pdf":
        return
    from socplan.services.reports.registry import save_report

    save_report(ctx, kind=kind, title=title, params=params, data=data, file_name=file_name)

