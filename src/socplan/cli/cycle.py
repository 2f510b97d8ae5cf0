"""``socplan cycle``: the reporting cycle without a window — enter, submit, accept, return, reopen, due dates,
extensions, «Что сдать» and the completeness and timeliness board."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from socplan.cli.common import add_json_flag, open_context, print_json
from socplan.domain.errors import ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.formatting import format_date, format_percent


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ValidationError("period", str(exc)) from exc


def _date(text: str) -> dt.date:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValidationError("date", f"«{text}» — непонятная дата. Пример: 15.01.2026.")


def _pairs(items: list[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(what, f"«{item}»: нужно КОД=ЗНАЧЕНИЕ, например 1.1=125,5.")
        out.append((key.strip(), value.strip()))
    return out


def _scope(p: argparse.ArgumentParser, territory: bool = True) -> None:
    p.add_argument("--form", required=True, help="код формы")
    if territory:
        p.add_argument("--territory", required=True, help="территория")
    p.add_argument("--period", required=True, help="период: 2025, 2025-Q1, 2025-M03")


def register(sub: argparse._SubParsersAction) -> None:
    cyc = sub.add_parser("cycle", help="сдача отчётности: ввод, представление, приёмка, сроки, сводка")
    c = cyc.add_subparsers(dest="cycle_command", metavar="ДЕЙСТВИЕ", required=True)

    p = c.add_parser("enter", help="ввести значения: КОД=ЗНАЧЕНИЕ (факт), --plan КОД=…, --comment КОД=текст")
    _scope(p)
    p.add_argument("values", nargs="*", metavar="КОД=ЗНАЧЕНИЕ")
    p.add_argument("--plan", action="append", default=[], metavar="КОД=ЗНАЧЕНИЕ")
    p.add_argument("--comment", action="append", default=[], metavar="КОД=ТЕКСТ")
    p.set_defaults(handler=_enter)

    p = c.add_parser("blockers", help="что мешает представлению формы (код 1, если что-то мешает)")
    _scope(p)
    add_json_flag(p)
    p.set_defaults(handler=_blockers)

    for name, help_text in (("submit", "представить форму"), ("accept", "принять форму (Министерство)"),
                            ("close", "закрыть принятую форму (Министерство)")):
        p = c.add_parser(name, help=help_text + "; --territory можно указать несколько раз")
        p.add_argument("--form", required=True, help="код формы")
        p.add_argument("--territory", required=True, action="append", help="территория (можно несколько)")
        p.add_argument("--period", required=True, help="период: 2025, 2025-Q1, 2025-M03")
        p.add_argument("--reason", default="", help="пояснение (к предупреждениям контрольных соотношений)")
        p.set_defaults(handler=_state, target={"submit": FormState.SUBMITTED, "accept": FormState.ACCEPTED,
                                               "close": FormState.CLOSED}[name])

    p = c.add_parser("return", help="вернуть на доработку с замечаниями: --remark КОД[:план|факт]=текст")
    _scope(p)
    p.add_argument("--remark", action="append", default=[], metavar="КОД=ТЕКСТ")
    p.add_argument("--note", default="", help="общее примечание")
    p.set_defaults(handler=_return)

    p = c.add_parser("explain", help="пояснить невыполнение контрольного соотношения")
    _scope(p)
    p.add_argument("--rule", required=True, help="код контрольного соотношения")
    p.add_argument("--text", required=True, help="пояснение (пустое — снять)")
    p.set_defaults(handler=_explain)

    p = c.add_parser("reopen", help="запрос на открытие принятой формы: --reason …")
    _scope(p)
    p.add_argument("--reason", required=True)
    add_json_flag(p)
    p.set_defaults(handler=_reopen)

    p = c.add_parser("requests", help="запросы на открытие форм и продление сроков")
    p.add_argument("--pending", action="store_true", help="только нерассмотренные")
    add_json_flag(p)
    p.set_defaults(handler=_requests)

    for name, help_text in (("grant", "разрешить"), ("refuse", "отказать")):
        p = c.add_parser(name, help=f"{help_text}: открытие формы (reopen ID) или продление срока (extension ID)")
        p.add_argument("kind", choices=["reopen", "extension"])
        p.add_argument("id", type=int)
        p.add_argument("--note", default="", help="примечание (при отказе — обязательно)")
        p.set_defaults(handler=_decide, grant=name == "grant")

    p = c.add_parser("changes", help="«изменено после принятия»: принятые и текущие значения")
    _scope(p)
    add_json_flag(p)
    p.set_defaults(handler=_changes)

    p = c.add_parser("due", help="сроки сдачи: без аргументов — список; --form … --periodicity … «правило»")
    p.add_argument("--form")
    p.add_argument("--periodicity", default="", help="месяц, квартал, год")
    p.add_argument("rule", nargs="?", help="«до 10-го числа месяца, следующего за отчётным периодом», «до 15 января»")
    p.add_argument("--preview", action="store_true", help="только показать ближайшие сроки по правилу, не сохраняя")
    add_json_flag(p)
    p.set_defaults(handler=_due)

    p = c.add_parser("extend", help="запросить продление срока сдачи: --until ДАТА --reason …")
    _scope(p)
    p.add_argument("--until", required=True, help="новый срок, 20.02.2026")
    p.add_argument("--reason", required=True)
    add_json_flag(p)
    p.set_defaults(handler=_extend)

    p = c.add_parser("todo", help="«Что сдать»: формы и периоды территории, просроченные сначала")
    p.add_argument("--territory", help="территория (специалисту района — своя)")
    p.add_argument("--today", help="на дату (по умолчанию сегодня)")
    p.add_argument("--all", action="store_true", help="включая представленные и принятые")
    add_json_flag(p)
    p.set_defaults(handler=_todo)

    p = c.add_parser("board", help="сводка сдачи отчётности: территории × формы за период, %% сдано, %% в срок")
    p.add_argument("--period", required=True)
    p.add_argument("--form", action="append", help="только эти формы (можно несколько)")
    p.add_argument("--today", help="на дату (по умолчанию сегодня)")
    p.add_argument("--xlsx", metavar="ФАЙЛ.xlsx")
    p.add_argument("--pdf", metavar="ФАЙЛ.pdf")
    add_json_flag(p)
    p.set_defaults(handler=_board)


def _enter(args: argparse.Namespace) -> int:
    from socplan.formatting import parse_number
    from socplan.services.indicators.entry import CellChange, save_sheet

    def parse(item: tuple[str, str], kind: str) -> CellChange:
        code, _, component = item[0].partition(":")
        value = parse_number(item[1], field=item[0]) if item[1] else None
        return CellChange(code, component, kind, value)

    changes = [parse(i, "fact") for i in _pairs(args.values, "values")]
    changes += [parse(i, "plan") for i in _pairs(args.plan, "plan")]
    changes += [CellChange(code, "", "comment", text=text) for code, text in _pairs(args.comment, "comment")]
    with open_context(args) as ctx:
        result = save_sheet(ctx, args.form, args.territory, _period(args.period), changes)
    print(f"Сохранено изменений: {result.changed}. Нарушений контрольных соотношений: {len(result.violations)}.")
    for text in result.quality:
        print(f"Проверьте: {text}")
    return 0


def _blockers(args: argparse.Namespace) -> int:
    from socplan.services.cycle.completeness import submission_blockers

    with open_context(args) as ctx:
        found = submission_blockers(ctx, args.form, args.territory, _period(args.period))
    if args.json:
        print_json(found)
    elif not found:
        print("Форму можно представить: ничего не мешает.")
    else:
        print("Что мешает представлению:")
        for n, b in enumerate(found, start=1):
            print(f"{n}. {b.text}")
    return 1 if found else 0


def _state(args: argparse.Namespace) -> int:
    from socplan.services.indicators.entry import set_state

    period = _period(args.period)
    with open_context(args) as ctx:
        for territory in args.territory:
            new = set_state(ctx, args.form, territory, period, args.target, args.reason)
            print(f"{territory}: состояние формы — {new.label}")
    return 0


def _return(args: argparse.Namespace) -> int:
    from socplan.services.cycle.review import return_form

    remarks = {}
    for key, text in _pairs(args.remark, "remark"):
        code, _, kind = key.partition(":")
        remarks[(code, kind or "факт")] = text
    with open_context(args) as ctx:
        n = return_form(ctx, args.form, args.territory, _period(args.period), remarks, args.note)
    print(f"Форма возвращена на доработку. Замечаний: {n}.")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from socplan.services.cycle.completeness import explain_ratio

    with open_context(args) as ctx:
        explain_ratio(ctx, args.form, args.territory, _period(args.period), args.rule, args.text)
    print("Пояснение записано." if args.text.strip() else "Пояснение снято.")
    return 0


def _reopen(args: argparse.Namespace) -> int:
    from socplan.services.cycle.reopen import request_reopen

    with open_context(args) as ctx:
        row = request_reopen(ctx, args.form, args.territory, _period(args.period), args.reason)
    if args.json:
        print_json(row)
    else:
        print(f"Запрос на открытие № {row.id} направлен: {row.form}, {row.territory}, {row.period.label}.")
    return 0


def _requests(args: argparse.Namespace) -> int:
    from socplan.services.cycle.due import list_extensions
    from socplan.services.cycle.reopen import list_reopen_requests

    with open_context(args) as ctx:
        reopen = list_reopen_requests(ctx, args.pending)
        ext = list_extensions(ctx, args.pending)
    if args.json:
        print_json({"reopen": reopen, "extension": ext})
        return 0
    for r in reopen:
        print(f"reopen {r.id}\t{r.form}\t{r.territory}\t{r.period.label}\t{r.status_label}\t{r.reason}")
    for e in ext:
        print(f"extension {e.id}\t{e.form}\t{e.territory}\t{e.period.label}\tдо {format_date(e.until)}\t"
              f"{e.status_label}\t{e.reason}")
    if not reopen and not ext:
        print("Запросов нет.")
    return 0


def _decide(args: argparse.Namespace) -> int:
    from socplan.services.cycle.due import decide_extension
    from socplan.services.cycle.reopen import decide_reopen

    with open_context(args) as ctx:
        if args.kind == "reopen":
            row = decide_reopen(ctx, args.id, args.grant, args.note)
        else:
            row = decide_extension(ctx, args.id, args.grant, args.note)
    print(f"Запрос № {row.id}: {row.status_label}.")
    return 0


def _changes(args: argparse.Namespace) -> int:
    from socplan.services.cycle.reopen import changes_after_acceptance

    with open_context(args) as ctx:
        rows = changes_after_acceptance(ctx, args.form, args.territory, _period(args.period))
    if args.json:
        print_json(rows)
    elif not rows:
        print("После принятия значения не изменялись.")
    else:
        print("Изменено после принятия (стр., вид: было → стало):")
        for r in rows:
            print(f"{r.code}{' ' + r.component if r.component else ''}\t{r.kind}\t{r.accepted} → {r.now}")
    return 0


def _due(args: argparse.Namespace) -> int:
    from socplan.services.cycle.due import list_due_rules, preview_due_dates, set_due_rule

    with open_context(args) as ctx:
        if args.form or args.rule:
            if not ((args.form or args.preview) and args.rule and args.periodicity):
                raise ValidationError("rule", "Укажите --form, --periodicity и правило срока сдачи.")
            stored, dates = preview_due_dates(ctx, args.periodicity, args.rule)
            if not args.preview:
                info = set_due_rule(ctx, args.form, args.periodicity, args.rule)
                print(f"Форма {info.form} ({info.periodicity}): {info.text}")
            else:
                print(f"Правило: {stored}")
            print("Ближайшие сроки: " + "; ".join(f"{p.label} — до {format_date(d)}" for p, d in dates))
            return 0
        rules = list_due_rules(ctx)
    if args.json:
        print_json(rules)
    for r in rules if not args.json else []:
        print(f"{r.form}\t{r.periodicity}\t{r.text}")
    return 0


def _extend(args: argparse.Namespace) -> int:
    from socplan.services.cycle.due import request_extension

    with open_context(args) as ctx:
        row = request_extension(ctx, args.form, args.territory, _period(args.period), _date(args.until), args.reason)
    if args.json:
        print_json(row)
    else:
        print(f"Запрос на продление № {row.id} направлен: до {format_date(row.until)}.")
    return 0


def _todo(args: argparse.Namespace) -> int:
    from socplan.services.cycle.board import what_to_submit

    with open_context(args) as ctx:
        items = what_to_submit(ctx, args.territory, _date(args.today) if args.today else None, args.all)
    if args.json:
        print_json([{"form": i.form, "period": i.period.code, "period_label": i.period.label, "due": i.due,
                     "state": i.state.value, "state_label": i.state.label, "days_late": i.days_late} for i in items])
        return 0
    if not items:
        print("Сдавать нечего: все формы представлены.")
    for i in items:
        state = (f"просрочен на {i.days_late} дн." if i.overdue else
                 i.state.label + (f" (представлен с опозданием на {i.days_late} дн.)" if i.days_late else ""))
        print(f"{i.form}\t{i.period.label}\tсрок {format_date(i.due, empty='не установлен')}\t{state}")
    return 0


def _board(args: argparse.Namespace) -> int:
    from socplan.services.cycle.board import board
    from socplan.services.cycle.export import cell_text, export_board_pdf, export_board_xlsx, summary_lines

    with open_context(args) as ctx:
        b = board(ctx, _period(args.period), args.form, _date(args.today) if args.today else None)
        author = ctx.user.name
    if args.xlsx:
        export_board_xlsx(b, Path(args.xlsx))
    if args.pdf:
        export_board_pdf(b, Path(args.pdf), author)
    counts = b.counts()
    if args.json:
        print_json({"period": b.period.code, "today": b.today, "expected": b.expected, "reported": b.reported,
                    "on_time": b.in_time, "percent_complete": b.percent_complete,
                    "percent_on_time": b.percent_on_time,
                    "counts": {s.value: n for s, n in counts.items()},
                    "cells": [{"territory": c.territory, "form": c.form, "state": c.state.value, "due": c.due,
                               "submitted": c.submitted, "days_late": c.days_late, "on_time": c.on_time,
                               "flags": c.flags} for c in b.cells.values()]})
        return 0
    for line in summary_lines(b):
        print(line)
    print("\t".join(["Территория", *[code for code, _n in b.forms], "Сдано"]))
    for t in b.territories:
        print("\t".join([t, *[cell_text(b.cell(t, code)) for code, _n in b.forms],
                         format_percent(b.territory_percent(t), empty="—")]))
    for path in filter(None, (args.xlsx, args.pdf)):
        print(f"Записано: {path}")
    return 0
