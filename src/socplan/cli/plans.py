"""Headless commands of the plans capability: list, import, report, overdue, approve, calendar."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from socplan.cli.common import add_json_flag, choice, open_context, output_files, print_json
from socplan.domain.errors import SocPlanError
from socplan.formatting import format_date, parse_date


REPORT_KINDS = {"исполнение": "execution", "план": "plan", "execution": "execution", "plan": "plan"}
PLAN_STATUSES = {"утверждён": "approved", "утвержден": "approved", "исполнен": "executed", "в_архиве": "archived",
                 "архив": "archived", "approved": "approved", "executed": "executed", "archived": "archived"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    parser = sub.add_parser("plans", help="планы мероприятий: сроки, исполнители, контроль исполнения")
    commands = parser.add_subparsers(dest="plans_command", metavar="ДЕЙСТВИЕ")

    listing = commands.add_parser("list", help="планы (или мероприятия одного плана с --plan)")
    listing.add_argument("--plan", type=int, help="номер плана: показать его мероприятия")
    add_json_flag(listing)
    listing.set_defaults(handler=_list)

    imp = commands.add_parser("import", help="импорт плана из таблицы .docx или .xlsx")
    imp.add_argument("file", help="файл .docx или .xlsx")
    imp.add_argument("--title", help="наименование плана (по умолчанию — имя файла)")
    imp.add_argument("--years", required=True, help="период: 2025 или 2025-2026")
    imp.add_argument("--owner", default="", help="организация-владелец (сокращённое наименование)")
    imp.add_argument("--map", help="сопоставление столбцов через запятую: number,text,form,deadline,executors "
                                   "(пусто — не импортировать столбец)")
    imp.add_argument("--create-missing", action="store_true",
                     help="создать в справочнике организации-исполнителей, которых там нет")
    imp.add_argument("--dry-run", action="store_true", help="только предварительный просмотр, без записи")
    add_json_flag(imp)
    imp.set_defaults(handler=_import)

    report = commands.add_parser("report", help="отчёт о ходе реализации плана (PDF, XLSX) или сам план (PDF)")
    report.add_argument("--plan", type=int, required=True, help="номер плана (см. plans list)")
    report.add_argument("--out", required=True, help="файл: .pdf или .xlsx")
    report.add_argument("--kind", type=choice(REPORT_KINDS, "вид отчёта"), default="execution",
                        metavar="исполнение|план",
                        help="исполнение — информация о ходе реализации (по умолчанию); план — план как документ")
    report.add_argument("--from", dest="date_from", help="начало периода ДД.ММ.ГГГГ (по умолчанию 1 января)")
    report.add_argument("--to", dest="date_to", help="конец периода ДД.ММ.ГГГГ (по умолчанию сегодня)")
    report.add_argument("--date", help="по состоянию на дату ДД.ММ.ГГГГ (по умолчанию — сегодня)")
    add_json_flag(report)
    report.set_defaults(handler=_report)

    overdue = commands.add_parser("overdue", help="просроченные контрольные точки утверждённых планов")
    overdue.add_argument("--date", help="на дату ДД.ММ.ГГГГ (по умолчанию — сегодня)")
    overdue.add_argument("--org", default="", help="только мероприятия этой организации (сокращённое наименование)")
    add_json_flag(overdue)
    overdue.set_defaults(handler=_overdue)

    points = commands.add_parser("control-points", help="сформировать контрольные точки утверждённого плана заново "
                                                        "(после обновления: сроки «в течение … со дня …» без даты "
                                                        "события получают контроль по окончании периода)")
    points.add_argument("--plan", type=int, required=True, help="номер плана (см. plans list)")
    add_json_flag(points)
    points.set_defaults(handler=_control_points)

    status = commands.add_parser("status", help="сменить статус плана: утверждён | исполнен | в_архиве")
    status.add_argument("--plan", type=int, required=True)
    status.add_argument("status", type=choice(PLAN_STATUSES, "статус"), metavar="утверждён|исполнен|в_архиве",
                        help="новый статус (можно и approved | executed | archived)")
    add_json_flag(status)
    status.set_defaults(handler=_status)

    cal = commands.add_parser("calendar", help="производственный календарь: рабочие дни по годам")
    add_json_flag(cal)
    cal.set_defaults(handler=_calendar)
    parser.set_defaults(handler=lambda _a: parser.print_help())


def _years(text: str) -> tuple[int, int]:
    parts = [p.strip() for p in text.replace("–", "-").split("-") if p.strip()]
    try:
        ys = [int(p) for p in parts]
    except ValueError as exc:
        raise SocPlanError(f"Период «{text}» не понят: укажите год (2025) или годы (2025-2026).") from exc
    if len(ys) == 1:
        return ys[0], ys[0]
    if len(ys) == 2:
        return ys[0], ys[1]
    raise SocPlanError(f"Период «{text}» не понят: укажите год (2025) или годы (2025-2026).")


def _list(args: argparse.Namespace) -> int:
    from socplan.services.plans.plans import list_events, list_plans

    with open_context(args) as ctx:
        if args.plan:
            rows = list_events(ctx, args.plan)
            if args.json:
                print_json(rows)
                return 0
            for e in rows:
                due = f" | ближайший срок {format_date(e.next_due)}" if e.next_due else ""
                flag = " | ПРОСРОЧЕНО" if e.overdue else ""
                print(f"{e.number:6} {e.text[:70]} | {e.deadline_text or '—'} [{e.deadline_description}]{due}{flag}")
            return 0
        rows = list_plans(ctx)
        if args.json:
            print_json(rows)
            return 0
        for p in rows:
            print(f"{p.id:4}  {p.status_label:10} ред.{p.revision}  {p.period_text:16} {p.event_count:4} мероприятий  "
                  f"{p.title[:90]}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from socplan.services.plans.importing import confirm_import, import_problems, preview_import
    from socplan.services.plans.rows import PlanInput

    path = Path(args.file)
    y1, y2 = _years(args.years)
    mapping = [m.strip() for m in args.map.split(",")] if args.map else None
    plan = PlanInput(args.title or path.stem, y1, y2, owner_short_name=args.owner)
    with open_context(args) as ctx:
        preview = preview_import(ctx, path, mapping)
        if args.dry_run:
            # the same checks as the real import: the table, the plan's data (period, owner), missing executors
            errors = [e.message for e in import_problems(ctx, preview, plan, create_missing=args.create_missing)]
            if args.json:
                print_json({"preview": preview, "errors": errors, "can_import": preview.can_import and not errors})
            else:
                _print_preview(preview, False)
                for message in errors:
                    print("Ошибка: " + message, file=sys.stderr)
                print("Проверка пройдена: импорт возможен." if preview.can_import and not errors else
                      "Импорт невозможен: исправьте ошибки выше.")
            return 0 if preview.can_import and not errors else 1  # the check failed (1), not wrong usage (2)
        if not args.json:
            _print_preview(preview, False)
        row = confirm_import(ctx, path, plan, mapping, create_missing=args.create_missing)
        if args.json:
            print_json(row)
        else:
            print(f"Импортирован план № {row.id}: {row.event_count} мероприятий (статус «{row.status_label}»).")
    return 0


def _print_preview(preview, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        print_json(preview)
        return
    names = preview.field_names
    print("Столбцы: " + "; ".join(f"«{h}» → {names.get(m, m)}" for h, m in zip(preview.header, preview.mapping)))
    for e in preview.events:
        mark = "" if e.deadline_recognised else "  ← не распознано"
        print(f"{e.number:6} {e.text[:60]} | {e.deadline or '—'} [{e.deadline_description}]{mark}")
    for m in preview.missing:
        print(f"Нет в справочнике: {m.short_name}" + (f" ({m.full_name})" if m.full_name != m.short_name else ""))
    for p in preview.problems:
        print("Ошибка: " + p, file=sys.stderr)
    for u in preview.unrecognised:
        print("Внимание: " + u)


def _report(args: argparse.Namespace) -> int:
    from socplan.services.plans.plans import get_plan
    from socplan.services.plans.reports import execution_report, plan_document

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "xlsx"):
        raise SocPlanError(f"Расширение файла «{out.name}» не подходит: укажите .pdf или .xlsx")
    today = parse_date(args.date, field="date") if args.date else dt.date.today()
    with open_context(args) as ctx, output_files(out, ctx=ctx) as (tmp,):
        if args.kind == "plan":
            if fmt != "pdf":
                raise SocPlanError("План как документ формируется в PDF: укажите файл .pdf")
            result = plan_document(ctx, args.plan)
        else:
            plan = get_plan(ctx, args.plan)
            start = parse_date(args.date_from, field="from") if args.date_from else dt.date(
                max(plan.year_from, min(today.year, plan.year_to)), 1, 1)
            end = parse_date(args.date_to, field="to") if args.date_to else min(today, dt.date(plan.year_to, 12, 31))
            result = execution_report(ctx, args.plan, start, end, today=today, with_xlsx=(fmt == "xlsx"))
        data = result.xlsx if fmt == "xlsx" else result.pdf
        tmp.write_bytes(data)
    if args.json:
        print_json({"file": str(out), "title": result.title, "report_id": result.record_id, "size": len(data)})
    else:
        print(f"Сформирован отчёт «{result.title[:120]}»: {out} (запись в журнале № {result.record_id})")
    return 0


def _overdue(args: argparse.Namespace) -> int:
    from socplan.services.plans.control import overdue_points, undetermined_deadlines

    today = parse_date(args.date, field="date") if args.date else dt.date.today()
    with open_context(args) as ctx:
        rows = overdue_points(ctx, today=today, organisation_short_name=args.org)
        pending = undetermined_deadlines(ctx, today)
        if args.org:
            ids = {p.event_id for p in rows}
            pending = [u for u in pending if u.event_id in ids]
        if args.json:
            print_json({"date": today, "count": len(rows), "items": rows, "undetermined": pending})
            return 0
        print(f"Просрочено контрольных точек на {format_date(today)}: {len(rows)}")
        for p in rows:
            print(f"{format_date(p.due_date)}  {p.event_number:6} {p.event_text[:60]} | {p.executors[:50]} | "
                  f"{p.status_label} | {p.period_label} | {p.plan_title[:40]}")
        if pending:
            print(f"Относительные сроки без даты события или за пределами плана: {len(pending)}")
            for u in pending:
                fallback = f" (контроль до даты события — {format_date(u.fallback_due)})" if u.fallback_due else ""
                print(f"  {u.event_number:6} {u.event_text[:60]} | {u.message}{fallback} | {u.plan_title[:40]}")
    return 0


def _control_points(args: argparse.Namespace) -> int:
    from socplan.services.plans.control import regenerate_control_points

    with open_context(args) as ctx:
        added = regenerate_control_points(ctx, args.plan)
    if args.json:
        print_json({"plan": args.plan, "added": added})
    else:
        print(f"План № {args.plan}: добавлено контрольных точек — {added}; точки с отметками исполнения сохранены.")
    return 0


def _status(args: argparse.Namespace) -> int:
    from socplan.services.plans.plans import set_plan_status

    with open_context(args) as ctx:
        row = set_plan_status(ctx, args.plan, args.status)
        if args.json:
            print_json(row)
        else:
            print(f"План № {row.id}: статус «{row.status_label}».")
    return 0


def _calendar(args: argparse.Namespace) -> int:
    from socplan.services.plans.calendar import work_calendar

    with open_context(args) as ctx:
        cal = work_calendar(ctx)
        rows = [{"year": y, "working_days": cal.working_days_in_year(y), "status": cal.years[y].status,
                 "source": cal.years[y].source} for y in cal.known_years()]
        if args.json:
            print_json(rows)
        else:
            for r in rows:
                draft = " (проект)" if r["status"] == "draft" else ""
                print(f"{r['year']}: рабочих дней {r['working_days']}{draft}")
    return 0
