"""Headless commands of the protocols capability: the execution report, overdue and due-soon assignments,
the printed protocol."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from socplan.cli.common import add_json_flag, choice, open_context, output_files, print_json
from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError
from socplan.formatting import parse_date


#: Statuses as users type them (the words shown on screen), or the internal English names.
STATUS_WORDS = {**{label: key for key, label in rules.CONTROL_STATUSES.items()},
                **{key: key for key in rules.CONTROL_STATUSES}}


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    parser = sub.add_parser("protocols", help="протоколы заседаний и контроль исполнения решений")
    commands = parser.add_subparsers(dest="protocols_command", metavar="ДЕЙСТВИЕ")

    report = commands.add_parser("report-execution", help="«Информация об исполнении решений …» (PDF или XLSX)")
    report.add_argument("--body", required=True, help="орган: сокращённое наименование, часть названия или номер")
    report.add_argument("--out", required=True, help="файл отчёта (.pdf или .xlsx)")
    report.add_argument("--status", action="append", type=choice(STATUS_WORDS, "статус"),
                        metavar="СТАТУС", help="только поручения с этим статусом (можно несколько раз): "
                        + ", ".join(rules.CONTROL_STATUSES.values()))
    report.add_argument("--responsible", help="только поручения этой организации (сокращённое наименование)")
    report.add_argument("--from", dest="date_from", help="заседания с даты ДД.ММ.ГГГГ")
    report.add_argument("--to", dest="date_to", help="заседания по дату ДД.ММ.ГГГГ")
    add_json_flag(report)
    report.set_defaults(handler=_report_execution)

    overdue = commands.add_parser("overdue", help="просроченные поручения и поручения со сроком в ближайшие дни")
    overdue.add_argument("--date", help="на дату ДД.ММ.ГГГГ (по умолчанию — сегодня)")
    overdue.add_argument("--days", type=int, default=7, help="«срок подходит»: дней вперёд (по умолчанию 7)")
    add_json_flag(overdue)
    overdue.set_defaults(handler=_overdue)

    protocol = commands.add_parser("print", help="протокол заседания (PDF или DOCX)")
    protocol.add_argument("--meeting", type=int, required=True, help="номер заседания в базе (см. list)")
    protocol.add_argument("--out", required=True, help="файл (.pdf или .docx)")
    protocol.add_argument("--draft", action="store_true",
                          help="проект с отметкой «ПРОЕКТ»: печатается, даже если реквизиты протокола не заполнены")
    add_json_flag(protocol)
    protocol.set_defaults(handler=_print_protocol)

    listing = commands.add_parser("list", help="органы и их заседания")
    add_json_flag(listing)
    listing.set_defaults(handler=_list)
    parser.set_defaults(handler=lambda _a: parser.print_help())


def _format_of(out: Path, allowed: tuple[str, ...]) -> str:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise SocPlanError(f"Расширение файла «{out.name}» не подходит: укажите " + " или ".join(f".{a}" for a in allowed))
    return fmt


def _report_execution(args: argparse.Namespace) -> int:
    from socplan.services.protocols.bodies import find_body
    from socplan.services.protocols.control import AssignmentFilter
    from socplan.services.protocols.printing import execution_report
    from socplan.services.reference import list_organisations

    out = Path(args.out)
    fmt = _format_of(out, ("pdf", "xlsx"))
    with open_context(args) as ctx:
        body = find_body(ctx, args.body)
        org_id = None
        if args.responsible:
            org = next((o for o in list_organisations(ctx) if o.short_name.casefold() == args.responsible.casefold()), None)
            if org is None:
                raise SocPlanError(f"Организация «{args.responsible}» не найдена в справочнике (нужно сокращённое наименование).")
            org_id = org.id
        flt = AssignmentFilter(body_id=body.id, statuses=tuple(args.status or ()), organisation_id=org_id,
                               date_from=parse_date(args.date_from or "", field="from"),
                               date_to=parse_date(args.date_to or "", field="to"))
        with output_files(out, ctx=ctx) as (tmp,):
            execution_report(ctx, body.id, tmp, fmt, flt)
        path = out
    if args.json:
        print_json({"file": str(path), "body": body.display_short, "format": fmt})
    else:
        print(f"Отчёт сохранён: {path}")
    return 0


def _assignment_json(r) -> dict:  # noqa: ANN001
    return {"id": r.id, "body": r.body_short, "meeting_date": r.meeting_date, "point": r.label.replace("\u00a0", " "),
            "text": r.text, "responsibles": r.responsibles_text, "deadline": r.deadline_text, "due_date": r.due_date,
            "status": r.control_status, "status_label": r.status_label}


def _overdue(args: argparse.Namespace) -> int:
    from socplan.services.protocols.control import reminders

    day = parse_date(args.date or "", field="date") or dt.date.today()
    with open_context(args) as ctx:
        found = reminders(ctx, day, args.days)
    if args.json:
        print_json({"date": day, "overdue": [_assignment_json(r) for r in found.overdue],
                    "due_soon": [_assignment_json(r) for r in found.due_soon]})
    else:
        print(found.text() if not found.empty else f"На {day:%d.%m.%Y} просроченных поручений нет.")
    return 0


def _print_protocol(args: argparse.Namespace) -> int:
    from socplan.services.protocols.printing import protocol_document

    out = Path(args.out)
    fmt = _format_of(out, ("pdf", "docx"))
    with open_context(args) as ctx, output_files(out, ctx=ctx) as (tmp,):
        protocol_document(ctx, args.meeting, tmp, fmt, draft=args.draft)
    path = out
    if args.json:
        print_json({"file": str(path), "format": fmt})
    else:
        print(f"Протокол сохранён: {path}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from socplan.services.protocols.bodies import list_bodies
    from socplan.services.protocols.meetings import list_meetings

    with open_context(args) as ctx:
        bodies = list_bodies(ctx)
        meetings = list_meetings(ctx)
    if args.json:
        print_json([{"id": b.id, "name": b.name, "short_name": b.short_name, "kind": b.kind_label,
                     "meetings": [{"id": m.id, "date": m.date, "number": m.number, "quorum": m.quorum.text()}
                                  for m in meetings if m.body_id == b.id]} for b in bodies])
        return 0
    for b in bodies:
        print(f"{b.id}. {b.display_short} ({b.kind_label})")
        for m in meetings:
            if m.body_id == b.id:
                print(f"   заседание {m.id}: {m.title}; решений: {m.decision_count}")
    return 0
