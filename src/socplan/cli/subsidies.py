"""Headless commands of the subsidies capability: calculate a round from a file, list and report saved rounds."""

from __future__ import annotations

import argparse
from pathlib import Path

from socplan.cli.common import add_json_flag, choice, open_context, output_files, print_json
from socplan.formatting import format_money, format_number


def _load_input(path: Path):  # noqa: ANN202
    from socplan.services.subsidies.rounds import read_input_file

    return read_input_file(path)


def _print_summary(calc) -> None:  # noqa: ANN001
    print(f"{calc.info.procedure_label}, {calc.info.year} год")
    print(f"Бюджет: {format_money(calc.budget)} руб.; распределено {format_money(calc.allocated)}; "
          f"не распределено {format_money(calc.unallocated)}")
    amounts = calc.amounts()
    rows = calc.result12.municipalities if calc.result12 else calc.result13.municipalities
    for m in rows:
        score = f"{format_number(m.score, 2):>8} б." if hasattr(m, "score") else ""
        if m.passed:
            print(f"  {m.municipality:<55} {score} {format_money(amounts[m.municipality]):>16}")
        else:
            print(f"  {m.municipality:<55} {score} отказ: " + "; ".join(str(r) for r in m.reasons))
    for name, value in calc.clawback_totals().items():
        print(f"  Возврат: {name} — {format_money(value)} руб.")


def cmd_calc(args: argparse.Namespace) -> int:
    from socplan.domain.subsidies.calculation import calculate
    from socplan.io.subsidies_json import calculation_to_dict

    pdf, xlsx = Path(args.pdf) if args.pdf else None, Path(args.xlsx) if args.xlsx else None
    with output_files(pdf, xlsx) as (tmp_pdf, tmp_xlsx):  # folders checked before the calculation
        calc = calculate(_load_input(Path(args.input)))
        if pdf or xlsx:
            from socplan.services.subsidies.reports import write_protocol_files

            write_protocol_files(calc, pdf=tmp_pdf, xlsx=tmp_xlsx)
    if args.json:
        print_json(calculation_to_dict(calc))
    else:
        _print_summary(calc)
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    from socplan.services.subsidies import rounds

    with open_context(args) as ctx:
        rows = rounds.list_rounds(ctx)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r.id:>4}  {r.year}  {r.procedure_label}  {format_money(r.budget)} руб.  заявок: {r.applications}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from socplan.services.subsidies import rounds

    with open_context(args) as ctx:
        row = rounds.import_round(ctx, _load_input(Path(args.input)))
    if args.json:
        print_json(row)
    else:
        print(f"Отбор сохранён: № {row.id}, {row.title}")
    return 0


def cmd_protocol(args: argparse.Namespace) -> int:
    from socplan.services.subsidies import reports

    out = Path(args.output)
    with open_context(args) as ctx, output_files(out, ctx=ctx) as (tmp,):
        reports.generate_report(ctx, args.round, args.kind, tmp)
    if args.json:
        print_json({"path": str(out)})
    else:
        print(f"Документ сохранён: {out}")
    return 0


REPORT_KINDS = {"протокол": "protocol", "распределение": "distribution", "рейтинг": "rating",
                "эффективность": "efficiency", "возврат": "clawback", "protocol": "protocol",
                "distribution": "distribution", "rating": "rating", "efficiency": "efficiency", "clawback": "clawback"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    parser = sub.add_parser("subsidies", help="субсидии по Приложениям № 12 и 13: отбор, распределение, возврат")
    cmds = parser.add_subparsers(dest="subsidies_command", metavar="ДЕЙСТВИЕ")

    calc = cmds.add_parser("calc", help="рассчитать отбор из файла (JSON или xlsx, см. docs/subsidies-input-format.md)")
    calc.add_argument("input", metavar="ФАЙЛ", help="исходные данные отбора")
    calc.add_argument("--pdf", metavar="ФАЙЛ", help="сохранить протокол расчёта в PDF")
    calc.add_argument("--xlsx", metavar="ФАЙЛ", help="сохранить протокол расчёта в xlsx")
    add_json_flag(calc)
    calc.set_defaults(handler=cmd_calc)

    lst = cmds.add_parser("rounds", help="список отборов в базе данных")
    add_json_flag(lst)
    lst.set_defaults(handler=cmd_rounds)

    imp = cmds.add_parser("import", help="сохранить отбор и заявки из файла в базу данных")
    imp.add_argument("input", metavar="ФАЙЛ")
    add_json_flag(imp)
    imp.set_defaults(handler=cmd_import)

    prot = cmds.add_parser("report", help="документ по отбору из базы данных (PDF или xlsx по расширению)")
    prot.add_argument("round", type=int, metavar="НОМЕР", help="номер отбора (см. subsidies rounds)")
    prot.add_argument("output", metavar="ФАЙЛ")
    prot.add_argument("--kind", default="protocol", type=choice(REPORT_KINDS, "вид документа"),
                      metavar="протокол|распределение|рейтинг|эффективность|возврат",
                      help="протокол — протокол расчёта (по умолчанию); распределение — приложение к распоряжению; "
                           "рейтинг, эффективность, возврат — таблицы (можно и по-английски: protocol, distribution, "
                           "rating, efficiency, clawback)")
    add_json_flag(prot)
    prot.set_defaults(handler=cmd_protocol)

    parser.set_defaults(handler=lambda a: (parser.print_help(), 0)[1])
