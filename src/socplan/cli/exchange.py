"""Headless commands of the exchange capability: ``socplan exchange setup|trust|trusted|certificate|export|import|
journal|remarks|return``.

Passwords for the .pfx key: ``--password-file FILE`` or the environment variable ``SOCPLAN_CERT_PASSWORD`` (as for
``socplan sign``), or a prompt when a terminal is attached. Never on the command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from socplan.cli.common import add_json_flag, choice, open_context, print_json, write_output
from socplan.domain.errors import ValidationError


def _date(text: str) -> dt.date:
    from socplan.formatting import parse_date

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        value = parse_date(text, field="period")
        if value is None:
            raise ValidationError("period", "Укажите дату в виде ДД.ММ.ГГГГ.") from None
        return value


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    if args.year:
        return dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    if not (args.date_from and args.date_to):
        raise ValidationError("period", "Укажите период: --year ГГГГ или --from ДД.ММ.ГГГГ --till ДД.ММ.ГГГГ.")
    return _date(args.date_from), _date(args.date_to)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (text or "").split(",") if p.strip())


# ------------------------------------------------------------------ handlers
def _setup(args: argparse.Namespace) -> int:
    from socplan.services.exchange import setup

    with open_context(args) as ctx:
        row = setup.set_identity(ctx, args.role, args.territory, args.organisation or "", args.pfx or "")
    if args.json:
        print_json(row)
    else:
        print(f"Эта база в обмене: {row.role_label}, {row.party.text}")
    return 0


def _trust(args: argparse.Namespace) -> int:
    from socplan.services.exchange import setup

    with open_context(args) as ctx:
        row = setup.trust_certificate(ctx, args.territory, Path(args.certificate))
    if args.json:
        print_json(row)
    else:
        print(f"Сертификат «{row.owner}» (серийный номер {row.serial}) доверен для территории «{row.territory}», "
              f"{row.state_text}.")
    return 0


def _trusted(args: argparse.Namespace) -> int:
    from socplan.services.exchange import setup

    with open_context(args) as ctx:
        rows = setup.list_trusted(ctx)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r.territory}: {r.owner}, № {r.serial}, {r.state_text}")
        if not rows:
            print("Доверенных сертификатов для обмена нет.")
    return 0


def _certificate(args: argparse.Namespace) -> int:
    from socplan.cli.reports import read_password
    from socplan.services.exchange import setup

    der = setup.own_certificate_der(Path(args.pfx), read_password(args))
    write_output(Path(args.out), der)
    print(f"Сертификат записан в «{args.out}». Передайте файл получателю для списка доверенных.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from socplan.cli.reports import read_password
    from socplan.services.exchange.export import ExportRequest, export_package, load_signer
    from socplan.services.exchange.setup import get_identity

    start, end = _period(args)
    folder = Path(args.out or ".")
    if not folder.is_dir():
        raise ValidationError("out", f"Папка «{folder}» не существует. Создайте её или укажите другую папку для пакета.")
    request = ExportRequest(args.to, start, end, args.recipient_organisation or "", _split(args.kinds),
                            _split(args.forms), tuple(args.plan or ()), tuple(args.report_id or ()),
                            tuple(Path(p) for p in args.report_file or ()))
    with open_context(args) as ctx:
        if getattr(args, "cryptopro", False):  # the manifest signed by CryptoPro (GOST), PIN asked by CryptoPro
            from socplan.services.reports import gost_signing

            signer, sign = gost_signing.package_signer(gost_signing.open_cryptopro())
            result = export_package(ctx, request, folder, signer, _progress(args), sign=sign)
        else:
            pfx = args.pfx or ((get_identity(ctx) or None) and get_identity(ctx).pkcs12_path)
            if not pfx:
                raise ValidationError("pfx", "Укажите файл ключа подписи: --pfx ФАЙЛ.pfx (или сохраните его в "
                                             "настройках обмена: socplan exchange setup --pfx …).")
            signer = load_signer(pfx, read_password(args))
            result = export_package(ctx, request, folder, signer, _progress(args))
    if args.json:
        print_json({"file": str(result.path), "sequence": result.sequence, "sha256": result.sha256,
                    "size": result.size, "counts": result.counts, "documents": list(result.documents)})
    else:
        print(f"Пакет № {result.sequence} сформирован: {result.path}")
        print(f"Содержимое: {result.summary}")
        print(f"SHA-256: {result.sha256}")
    return 0


def _progress(args: argparse.Namespace) -> Any:
    if getattr(args, "json", False) or not sys.stderr.isatty():
        return lambda *a: None
    return lambda done, total, text="": print(f"\r{text}…", end="", file=sys.stderr, flush=True)


def _preview_dict(preview: Any) -> dict[str, Any]:
    m = preview.manifest
    return {
        "file": preview.file_name, "sha256": preview.sha256, "sequence": m.sequence, "sender": m.sender.text,
        "recipient": m.recipient.text, "period": m.period_text, "created_at": m.created_at, "signer": preview.signer,
        "duplicate": preview.duplicate, "duplicate_text": preview.duplicate_text,
        "counts": {c.value: preview.count(c) for c in type(preview.items[0].change)} if preview.items else {},
        "documents": list(preview.documents), "remarks": preview.remarks,
        "remark_items": [{"cell": r.cell, "text": r.text, "author": r.author} for r in _incoming(preview)],
        "items": [{"index": i.index, "kind": i.kind, "title": i.title, "change": i.change.value,
                   "change_label": i.change_label, "reason": i.reason, "acceptable": i.acceptable,
                   "differences": [{"field": f, "old": o, "new": n} for f, o, n in i.differences]}
                  for i in preview.items],
    }


def _import(args: argparse.Namespace) -> int:
    from socplan.domain.exchange import Change
    from socplan.services.exchange.importer import apply_import, preview_import, reject_import

    with open_context(args) as ctx:
        preview = preview_import(ctx, Path(args.file), progress=_progress(args))
        result = None
        if args.reject:
            result = reject_import(ctx, preview, args.reason or "")
        elif args.accept_all:
            chosen = [i.index for i in preview.items if i.default_accept
                      or (args.accept_conflicts and i.change is Change.CONFLICT and i.acceptable)]
            result = apply_import(ctx, preview, chosen, _progress(args))
    if args.json:
        data = _preview_dict(preview)
        data["result"] = None if result is None else {"result": result.result, "text": result.text,
                                                      "applied": result.applied, "skipped": result.skipped,
                                                      "problems": list(result.problems)}
        print_json(data)
        return 0
    m = preview.manifest
    print(f"Пакет № {m.sequence} от «{m.sender.text}» для «{m.recipient.text}», период {m.period_text}")
    print(f"Подпись: действительна, подписант {preview.signer}")
    if preview.duplicate:
        print(preview.duplicate_text)
        return 0
    print(f"Записи: {preview.summary}")
    remarks = _incoming(preview)
    if remarks:
        print(f"Замечания Министерства к значениям (вернуть на доработку): {len(remarks)}")
        for r in remarks:
            print(f"  {r.cell} — {r.text}" + (f" ({r.author})" if r.author else ""))
    for item in preview.items:
        if item.change.value in ("unchanged",):
            continue
        line = f"  [{item.change_label}] {item.kind_label}: {item.title}"
        if item.reason:
            line += f" — {item.reason}"
        print(line)
        for field, old, new in item.differences if item.change.value != "new" else ():
            print(f"      {field}: {old} → {new}")
    if result is None:
        print("Ничего не записано. Чтобы принять новые и изменённые записи: --accept-all "
              "(конфликты: добавьте --accept-conflicts); отклонить пакет: --reject.")
    else:
        print(f"Результат: {result.text}")
        for problem in result.problems:
            print(f"  не применено: {problem}")
    return 0


def _incoming(preview: Any) -> list:
    from socplan.services.exchange.importer import incoming_remarks

    return incoming_remarks(preview)


def _return(args: argparse.Namespace) -> int:
    """«Вернуть на доработку»: the submitted form goes back to the district with a remark per value."""
    from socplan.domain.indicators import Period
    from socplan.services.exchange.remarks import return_for_revision, values_for_review

    try:
        period = Period.parse(args.period)
    except ValueError as exc:
        raise ValidationError("period", str(exc)) from exc
    kinds = {"план": "план", "plan": "план", "факт": "факт", "fact": "факт"}
    with open_context(args) as ctx:
        values = values_for_review(ctx, args.form, args.territory, period.year, period.kind, period.number)
        cells = {(v.indicator.split(" ", 1)[0], v.component, v.kind): v for v in values}
        remarks: dict[int, str] = {}
        for spec in args.remark or ():
            where, sep, text = spec.partition("=")
            parts = [p.strip() for p in where.split(":")]
            if not sep or not text.strip() or len(parts) not in (2, 3) or parts[-1].casefold() not in kinds:
                raise ValidationError("remark", f"Замечание «{spec}» не понято: пишите КОД[:КОМПОНЕНТ]:факт=ТЕКСТ, "
                                      "например «1:А:факт=Проверьте численность» или «9:план=Не совпадает с паспортом».")
            key = (parts[0], parts[1] if len(parts) == 3 else "", kinds[parts[-1].casefold()])
            value = cells.get(key)
            if value is None:
                known = ", ".join(f"{c}{':' + k if k else ''}:{w}" for c, k, w in list(cells)[:12])
                raise ValidationError("remark", f"В форме «{args.form}» ({args.territory}, {period.label}) нет значения "
                                      f"«{where.strip()}». Есть: {known or 'значений нет'}.")
            remarks[value.id] = text.strip()
        count = return_for_revision(ctx, args.form, args.territory, period.year, period.kind, period.number, remarks,
                                    args.note or "")
    if args.json:
        print_json({"form": args.form, "territory": args.territory, "period": period.code, "remarks": count,
                    "state": "draft"})
    else:
        print(f"Форма «{args.form}» ({args.territory}, {period.label}) возвращена на доработку: замечаний — {count}. "
              "Замечания уйдут району в следующем пакете (socplan exchange export).")
    return 0


def _journal(args: argparse.Namespace) -> int:
    from socplan.services.exchange.journal import list_journal

    with open_context(args) as ctx:
        rows = list_journal(ctx)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Журнал обмена пуст.")
    for r in rows:
        print(f"{r.processed_at:%d.%m.%Y %H:%M}  {r.direction_label:9} № {r.sequence:<4} {r.sender} → {r.recipient}  "
              f"{r.result_label}: {r.result_text}  SHA-256 {r.sha256[:16]}…  ({r.user_name})")
    return 0


def _remarks(args: argparse.Namespace) -> int:
    from socplan.services.exchange.remarks import list_remarks

    with open_context(args) as ctx:
        rows = list_remarks(ctx, args.territory, open_only=not args.all)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(f"{r.territory}: {r.cell} — {r.text} ({r.author}, {r.created_at:%d.%m.%Y})")
    if not rows:
        print("Замечаний нет.")
    return 0


# ------------------------------------------------------------------ registration
def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", metavar="ФАЙЛ", help="файл с паролем к ключу (первая строка); иначе "
                                                                "переменная SOCPLAN_CERT_PASSWORD или запрос")


ROLE_WORDS = {"район": "district", "министерство": "ministry", "district": "district", "ministry": "ministry"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    parser = sub.add_parser("exchange", help="обмен пакетами между районами и Министерством",
                            description="Подписанные пакеты обмена (.spkg): настройка, формирование, загрузка, журнал.")
    commands = parser.add_subparsers(dest="exchange_command", metavar="ДЕЙСТВИЕ")
    parser.set_defaults(handler=lambda args: parser.print_help() or 0)

    p = commands.add_parser("setup", help="чья это база в обмене (район или Министерство)")
    p.add_argument("--role", type=choice(ROLE_WORDS, "роль"), required=True, metavar="район|министерство",
                   help="район или министерство (можно district | ministry)")
    p.add_argument("--territory", required=True, help="территория из справочника")
    p.add_argument("--organisation", help="краткое наименование организации")
    p.add_argument("--pfx", help="файл ключа подписи .pfx/.p12 по умолчанию")
    add_json_flag(p)
    p.set_defaults(handler=_setup)

    p = commands.add_parser("trust", help="доверять сертификату отправителя для территории")
    p.add_argument("--territory", required=True)
    p.add_argument("certificate", help="файл сертификата .cer/.crt/.pem")
    add_json_flag(p)
    p.set_defaults(handler=_trust)

    p = commands.add_parser("trusted", help="список доверенных сертификатов обмена")
    add_json_flag(p)
    p.set_defaults(handler=_trusted)

    p = commands.add_parser("certificate", help="выгрузить свой сертификат для получателя")
    p.add_argument("--pfx", required=True)
    p.add_argument("--out", required=True, help="файл .cer")
    _password_flag(p)
    p.set_defaults(handler=_certificate)

    p = commands.add_parser("export", help="сформировать подписанный пакет")
    p.add_argument("--to", required=True, metavar="ТЕРРИТОРИЯ", help="получатель (территория из справочника)")
    p.add_argument("--recipient-organisation", metavar="ОРГАНИЗАЦИЯ")
    p.add_argument("--year", type=int, help="период: весь год")
    p.add_argument("--from", dest="date_from", metavar="ДАТА")
    p.add_argument("--till", dest="date_to", metavar="ДАТА")
    p.add_argument("--kinds", help="виды данных через запятую (indicator_value,form_state,…)")
    p.add_argument("--forms", help="коды форм показателей через запятую")
    p.add_argument("--plan", type=int, action="append", help="номер плана (можно несколько)")
    p.add_argument("--report-id", type=int, action="append", help="отчёт из журнала отчётов (можно несколько)")
    p.add_argument("--report-file", action="append", help="подписанный PDF (можно несколько)")
    p.add_argument("--pfx", help="ключ подписи .pfx/.p12")
    p.add_argument("--cryptopro", action="store_true", help="подписать пакет квалифицированной подписью через "
                                                           "КриптоПро CSP (сертификат из настроек)")
    p.add_argument("--out", help="папка или файл пакета (по умолчанию текущая папка)")
    _password_flag(p)
    add_json_flag(p)
    p.set_defaults(handler=_export)

    p = commands.add_parser("import", help="проверить и загрузить пакет")
    p.add_argument("file", help="файл пакета .spkg")
    p.add_argument("--accept-all", action="store_true", help="принять все новые и изменённые записи")
    p.add_argument("--accept-conflicts", action="store_true", help="вместе с --accept-all принять и конфликты")
    p.add_argument("--reject", action="store_true", help="отклонить пакет (запись в журнале)")
    p.add_argument("--reason", help="причина отклонения")
    add_json_flag(p)
    p.set_defaults(handler=_import)

    p = commands.add_parser("journal", help="журнал отправленных и полученных пакетов")
    add_json_flag(p)
    p.set_defaults(handler=_journal)

    p = commands.add_parser("return", help="вернуть представленную форму района на доработку с замечаниями")
    p.add_argument("--form", required=True, help="код формы (ГП, НОК, …)")
    p.add_argument("--territory", required=True, help="территория (район или город)")
    p.add_argument("--period", required=True, help="период: 2024, 2024-Q1, 2024-M03")
    p.add_argument("--remark", action="append", metavar="КОД[:КОМПОНЕНТ]:факт=ТЕКСТ",
                   help="замечание к значению, например «1:А:факт=Проверьте численность» (можно несколько)")
    p.add_argument("--note", help="общее примечание к возврату")
    add_json_flag(p)
    p.set_defaults(handler=_return)

    p = commands.add_parser("remarks", help="замечания к значениям («на доработку»)")
    p.add_argument("--territory")
    p.add_argument("--all", action="store_true", help="включая снятые")
    add_json_flag(p)
    p.set_defaults(handler=_remarks)
