"""Headless commands of the indicators capability and the top-level ``socplan check``."""

from __future__ import annotations

import argparse
from pathlib import Path

from socplan.cli.common import add_json_flag, open_context, output_files, print_json
from socplan.domain.control_ratios import Severity
from socplan.domain.indicators import Period
from socplan.domain.errors import ValidationError
from socplan.formatting import format_number, format_percent


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        raise ValidationError("period", str(exc)) from exc


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    check = sub.add_parser("check", help="проверить все контрольные соотношения базы (код 1 при ошибках)")
    add_json_flag(check)
    check.set_defaults(handler=_check)

    ind = sub.add_parser("indicators", help="показатели: формы, значения, шаблоны Excel, отчёт о достижении")
    isub = ind.add_subparsers(dest="ind_command", metavar="ДЕЙСТВИЕ", required=True)

    forms = isub.add_parser("forms", help="список форм показателей")
    add_json_flag(forms)
    forms.set_defaults(handler=_forms)

    lst = isub.add_parser("list", help="показатели формы с методикой расчёта")
    lst.add_argument("--form", default="ГП", help="код формы (ГП, НОК, МСЗ)")
    add_json_flag(lst)
    lst.set_defaults(handler=_list)

    typ = isub.add_parser("set-type", help="тип показателя: возрастающий или убывающий (записывается в журнал)")
    typ.add_argument("--form", default="ГП", help="код формы")
    typ.add_argument("--code", required=True, help="код показателя")
    typ.add_argument("direction", help="возрастающий | убывающий")
    typ.add_argument("--reason", default="", help="основание изменения (в журнал)")
    add_json_flag(typ)
    typ.set_defaults(handler=_set_type)

    err = isub.add_parser("errata", help="реестр опечаток методик: как напечатано, как считается и почему")
    add_json_flag(err)
    err.set_defaults(handler=_errata)

    sheet = isub.add_parser("sheet", help="значения формы по территории за период (план, факт, достижение)")
    _scope(sheet)
    add_json_flag(sheet)
    sheet.set_defaults(handler=_sheet)

    chk = isub.add_parser("check", help="контрольные соотношения (все или одной формы) — код 1 при ошибках")
    chk.add_argument("--form", help="код формы; без него — вся база")
    chk.add_argument("--territory", default="Омская область")
    chk.add_argument("--period", default="2024")
    add_json_flag(chk)
    chk.set_defaults(handler=_ind_check)

    exp = isub.add_parser("export-template", help="шаблон Excel формы для заполнения районом")
    _scope(exp, territory_required=True)
    exp.add_argument("--output", "-o", required=True, metavar="ФАЙЛ.xlsx")
    add_json_flag(exp)
    exp.set_defaults(handler=_export)

    imp = isub.add_parser("import", help="загрузить заполненный шаблон Excel (всё или ничего)")
    imp.add_argument("path", metavar="ФАЙЛ.xlsx")
    imp.add_argument("--form", help="ожидаемая форма (проверяется)")
    imp.add_argument("--territory", help="ожидаемая территория (проверяется)")
    imp.add_argument("--period", help="ожидаемый период (проверяется)")
    add_json_flag(imp)
    imp.set_defaults(handler=_import)

    rep = isub.add_parser("report", help="«Сведения о достижении значений показателей» (PDF и xlsx)")
    _scope(rep)
    rep.add_argument("--output", "-o", required=True, metavar="ФАЙЛ.pdf")
    rep.add_argument("--xlsx", metavar="ФАЙЛ.xlsx", help="также таблица Excel")
    add_json_flag(rep)
    rep.set_defaults(handler=_report)

    thr = isub.add_parser("thresholds", help="пороги оценки: высокий, удовлетворительный, отклонение для пояснения (%%)")
    thr.add_argument("--form", default="ГП")
    thr.add_argument("--high", help="«высокий» от, %% (по умолчанию 100)")
    thr.add_argument("--satisfactory", help="«удовлетворительный» от, %% (по умолчанию 90)")
    thr.add_argument("--comment", help="отклонение факта от плана, при котором нужна причина, %% (по умолчанию 10)")
    thr.set_defaults(handler=_thresholds)

    state = isub.add_parser("state", help="сменить состояние формы: черновик, представлено, принято")
    _scope(state, territory_required=True)
    state.add_argument("state", choices=["черновик", "представлено", "принято"])
    state.add_argument("--reason", default="", help="причина (обязательна при снятии отметки «принято»)")
    state.set_defaults(handler=_state)


def _scope(p: argparse.ArgumentParser, territory_required: bool = False) -> None:
    p.add_argument("--form", default="ГП", help="код формы (по умолчанию ГП)")
    p.add_argument("--territory", required=territory_required, default=None if territory_required else "Омская область",
                   help="территория (по умолчанию Омская область)")
    p.add_argument("--period", default="2024", help="период: 2024, 2024-Q1, 2024-M03")


def _print_violations(violations, as_json: bool) -> int:  # noqa: ANN001
    from socplan.services.indicators.entry import describe_violation

    errors = sum(1 for v in violations if v.severity is Severity.ERROR)
    if as_json:
        print_json({"errors": errors, "warnings": len(violations) - errors, "violations": [
            {"rule": v.rule_code, "text": v.rule_text, "severity": v.severity.value, "where": v.where,
             "left": v.left, "op": v.op.value, "right": v.right, "message": v.message} for v in violations]})
    else:
        for v in violations:
            print(describe_violation(v))
        print(f"Проверено. Ошибок: {errors}, предупреждений: {len(violations) - errors}.")
    return 1 if errors else 0


def _check(args: argparse.Namespace) -> int:
    from socplan.services.checks import run_checks

    with open_context(args) as ctx:
        violations = run_checks(ctx)
    return _print_violations(violations, args.json)


def _ind_check(args: argparse.Namespace) -> int:
    if not args.form:
        return _check(args)
    from socplan.services.indicators.analysis import sheet_violations
    from socplan.services.indicators.common import form_by_code, territory_by

    with open_context(args) as ctx, ctx.uow() as s:
        violations = sheet_violations(s, form_by_code(s, args.form), territory_by(s, args.territory),
                                      _period(args.period))
    return _print_violations(violations, args.json)


def _forms(args: argparse.Namespace) -> int:
    from socplan.services.indicators.catalogue import list_forms

    with open_context(args) as ctx:
        forms = list_forms(ctx)
    if args.json:
        print_json(forms)
    else:
        for f in forms:
            print(f"{f.code}\t{f.indicators} показ.\t{f.name}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from socplan.services.indicators.catalogue import list_indicators

    with open_context(args) as ctx:
        rows = list_indicators(ctx, args.form)
    if args.json:
        print_json([{"code": r.code, "name": r.name, "unit": r.unit_name, "okei_code": r.unit_code,
                     "okei_name": r.okei_name, "level": r.level_label,
                     "direction": r.direction.label, "decimals": r.decimals, "base_value": r.base_value,
                     "base_year": r.base_year, "formula": r.formula, "formula_text": r.formula_text,
                     "formula_computed": r.formula_computed, "formula_note": r.formula_note,
                     "consolidation": r.consolidation,
                     "components": [{"symbol": c.symbol, "description": c.description, "formula": c.formula}
                                    for c in r.components]} for r in rows])
    else:
        for r in rows:
            base = format_number(r.base_value) if r.base_value is not None else "—"
            note = f" ({r.formula_note})" if r.formula_note else ""
            print(f"{r.code}\tОКЕИ {r.unit_code or '—'} {r.unit_name}\t{r.direction.label}\tбаза {base} "
                  f"({r.base_year or '—'})\t{r.formula_computed or '—'}{note}\t{r.name[:90]}")
    return 0


def _set_type(args: argparse.Namespace) -> int:
    from socplan.services.indicators.catalogue import set_direction

    with open_context(args) as ctx:
        info = set_direction(ctx, args.form, args.code, args.direction, args.reason)
    if args.json:
        print_json({"form": info.form_code, "code": info.code, "direction": info.direction.label})
    else:
        print(f"Показатель {info.code} формы «{info.form_code}»: тип «{info.direction.label}».")
    return 0


def _errata(args: argparse.Namespace) -> int:
    from socplan.services.indicators.methodology import errata_register

    reg = errata_register()
    if args.json:
        print_json({"errata": list(reg.errata), "audit": list(reg.audit)})
        return 0
    for e in reg.errata:
        print(f"{e.id}\t{e.source}\n  напечатано: {e.printed}\n  считается: {e.applied}\n  почему: {e.why}")
    return 0


def _sheet(args: argparse.Namespace) -> int:
    from socplan.services.indicators.analysis import achievement_data

    with open_context(args) as ctx:
        data = achievement_data(ctx, args.form, args.territory, _period(args.period))
    if args.json:
        print_json({"form": data.form_code, "territory": data.territory, "period": data.period.code,
                    "consolidated": data.consolidated, "rows": [
                        {"code": r.code, "name": r.name, "unit": r.unit, "plan": r.plan, "fact": r.fact,
                         "achievement": r.achievement.percent, "status": r.achievement.status.label,
                         "note": r.achievement.note, "reason": r.reason, "missing": list(r.missing)}
                        for r in data.rows]})
        return 0
    print(f"{data.form_name}\n{data.territory}, {data.period.label}")
    def shown(value, row) -> str:  # noqa: ANN001
        if value is None:
            return "—"
        if row.value_kind == "yesno":
            return "да" if value else "нет"
        return format_number(value, row.decimals)

    for r in data.rows:
        plan = (r.plan_qualifier + " " if r.plan_qualifier and r.plan is not None else "") + shown(r.plan, r)
        fact = shown(r.fact, r)
        pct = format_percent(r.achievement.percent) if r.achievement.percent is not None else "—"
        extra = f"; нет данных: {len(r.missing)} терр." if r.missing else ""
        print(f"{r.code}\tплан {plan}\tфакт {fact}\t{pct}\t{r.achievement.status.label}{extra}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from socplan.services.indicators.excel import export_template

    out = Path(args.output)
    with open_context(args) as ctx, output_files(out, ctx=ctx) as (tmp,):
        info = export_template(ctx, args.form, args.territory, _period(args.period), tmp)
    info["path"] = str(out)
    if args.json:
        print_json(info)
    else:
        print(f"Шаблон записан: {info['path']} (строк значений: {info['cells']})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from socplan.domain.errors import ImportFileError
    from socplan.services.indicators.excel import import_template

    try:
        with open_context(args) as ctx:
            result = import_template(ctx, Path(args.path), expected_form=args.form, expected_territory=args.territory,
                                     expected_period=_period(args.period) if args.period else None)
    except ImportFileError as exc:
        if not exc.problems:
            raise
        return _import_errors(args, exc)
    if args.json:
        print_json(result)
    else:
        print(f"Загружено: {result['territory']}, {result['period_label']}, форма {result['form']}. "
              f"Изменено значений: {result['changed']} из {result['cells']}.")
    return 0


def _import_errors(args: argparse.Namespace, exc) -> int:  # noqa: ANN001
    """Every error cell of a refused template: sheet, cell, value, why — one line each (or a JSON list)."""
    import sys

    def row(problem: object) -> dict:
        as_dict = getattr(problem, "as_dict", None)
        return as_dict() if as_dict else {"sheet": "Форма", "cell": "", "value": "", "why": str(problem),
                                          "text": str(problem)}

    errors = [row(p) for p in exc.problems]
    if args.json:
        print_json({"error": exc.message, "errors": errors})
    print(f"Ошибка: {exc.message}", file=sys.stderr)
    for e in errors:
        place = f"лист «{e['sheet']}», ячейка {e['cell']}" if e["cell"] else f"лист «{e['sheet']}»"
        value = f", значение «{e['value']}»" if e["value"] else ""
        print(f"  {place}{value}: {e['why']}" if e["cell"] else f"  {e['why']}", file=sys.stderr)
    return 1  # a refused file is a failure (1), not wrong usage (2)


def _report(args: argparse.Namespace) -> int:
    from socplan.services.indicators.report import build_achievement_report

    pdf, xlsx = Path(args.output), Path(args.xlsx) if args.xlsx else None
    with open_context(args) as ctx, output_files(pdf, xlsx, ctx=ctx) as (tmp_pdf, tmp_xlsx):
        result = build_achievement_report(ctx, args.form, args.territory, _period(args.period), tmp_pdf, tmp_xlsx)
    result["pdf"] = str(pdf)
    if xlsx is not None:
        result["xlsx"] = str(xlsx)
    if args.json:
        print_json(result)
    else:
        print(f"Отчёт записан: {result['pdf']}" + (f"; таблица: {result['xlsx']}" if result.get("xlsx") else ""))
    return 0


def _thresholds(args: argparse.Namespace) -> int:
    from socplan.formatting import parse_number
    from socplan.services.indicators.catalogue import set_thresholds

    values = {k: parse_number(getattr(args, k), field=k) if getattr(args, k) else None
              for k in ("high", "satisfactory", "comment")}
    with open_context(args) as ctx:
        set_thresholds(ctx, args.form, **values)
        with ctx.uow() as s:
            from socplan.services.indicators.common import form_by_code

            f = form_by_code(s, args.form)
            print(f"Форма {f.code}: высокий ≥ {format_number(f.high_threshold)} %, удовлетворительный ≥ "
                  f"{format_number(f.satisfactory_threshold)} %, причина отклонения нужна свыше "
                  f"{format_number(f.comment_threshold)} %.")
    return 0


def _state(args: argparse.Namespace) -> int:
    from socplan.domain.indicators import FormState
    from socplan.services.indicators.entry import set_state

    target = {"черновик": FormState.DRAFT, "представлено": FormState.SUBMITTED, "принято": FormState.ACCEPTED}
    with open_context(args) as ctx:
        new = set_state(ctx, args.form, args.territory, _period(args.period), target[args.state], args.reason)
    print(f"Состояние формы: {new.label}")
    return 0
