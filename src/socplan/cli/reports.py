"""Headless commands of the reports capability: ``sign``, ``verify`` and ``reports …`` (journal, certificates).

Passwords for .pfx files: ``--password-file FILE`` (first line), or the environment variable
``SOCPLAN_CERT_PASSWORD``, or an interactive prompt when a terminal is attached. Never on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from socplan.cli.common import add_json_flag, check_output, open_context, print_json, write_output
from socplan.domain.errors import SocPlanError

PASSWORD_ENV = "SOCPLAN_CERT_PASSWORD"


def read_password(args: argparse.Namespace, prompt: str = "Пароль к сертификату: ") -> str:
    file = getattr(args, "password_file", None)
    if file:
        try:
            return Path(file).read_text(encoding="utf-8").splitlines()[0] if Path(file).stat().st_size else ""
        except OSError as exc:
            raise SocPlanError(f"Не удалось прочитать файл пароля «{file}»: {exc.strerror}.") from exc
    if PASSWORD_ENV in os.environ:
        return os.environ[PASSWORD_ENV]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    raise SocPlanError(f"Не задан пароль к сертификату: укажите --password-file ФАЙЛ или переменную окружения "
                       f"{PASSWORD_ENV}.")


def _password_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-file", metavar="ФАЙЛ",
                        help=f"файл с паролем к сертификату (первая строка); иначе переменная {PASSWORD_ENV} "
                             "или запрос с клавиатуры")


# ------------------------------------------------------------------ sign / verify
def _sign(args: argparse.Namespace) -> int:
    from socplan.services.reports import signatures

    if args.out:
        check_output(Path(args.out))  # the folder must exist and be writable: checked before signing
    if args.cryptopro:  # a qualified GOST signature: CryptoPro asks for the PIN itself
        from socplan.services.reports import gost_signing

        target, notices = gost_signing.sign_file(args.file, out=args.out, reason=args.reason or "",
                                                 location=args.location or "", detached=args.detached,
                                                 cryptcp=args.cryptcp, thumbprint=args.thumbprint)
    else:
        if not args.cert:
            raise SocPlanError("Укажите сертификат: --cert ФАЙЛ.pfx (свой сертификат СоцПлан) или --cryptopro "
                               "(квалифицированная подпись через КриптоПро CSP).")
        password = read_password(args)
        target, notices = signatures.sign_file(args.file, args.cert, password, out=args.out, reason=args.reason or "",
                                               location=args.location or "", detached=args.detached,
                                               use_timestamp=not args.no_timestamp, place=args.place or "")
    for notice in notices:
        print(f"Примечание: {notice}", file=sys.stderr)
    count = 0 if args.detached else signatures.signature_count(target)
    if args.json:
        print_json({"signed": str(target), "notices": list(notices), "signatures": count})
    else:
        print(f"Подписано: {target}" + (f" (подписей в файле: {count})" if count > 1 else ""))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from socplan.services.reports import signatures

    from socplan.signing.certificates import load_certificate
    from socplan.signing.errors import CertificateError

    extra = []
    for name in args.trust or []:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise SocPlanError(f"Не удалось прочитать сертификат «{name}»: {exc.strerror}.") from exc
        try:
            load_certificate(data)  # a wrong file is the user's mistake, not a broken signature
        except CertificateError as exc:
            raise SocPlanError(f"«{name}»: {exc}") from exc
        extra.append(data)
    with open_context(args) as ctx:
        report = signatures.verify_file(ctx, args.file, args.sig, extra_trusted=extra)
    if args.json:
        print_json(report.as_dict())
    else:
        print(report.text())
    return 0 if report.valid else 1


# ------------------------------------------------------------------ journal and certificates
def _list(args: argparse.Namespace) -> int:
    from socplan.services.reports import registry

    with open_context(args) as ctx:
        rows = registry.list_reports(ctx, kind=args.kind)
    if args.json:
        print_json([{"id": r.id, "kind": r.kind, "title": r.title, "params": r.params, "user": r.user_name,
                     "created_at": r.created_at, "sha256": r.sha256, "size": r.size, "signed_by": r.signed_by,
                     "source_id": r.source_id} for r in rows])
        return 0
    if not rows:
        print("Журнал отчётов пуст.")
    for r in rows:
        signed = f" [подписан: {r.signed_by}]" if r.signed_by else ""
        print(f"{r.id:>5}  {r.created_at:%d.%m.%Y %H:%M}  {r.kind_name}: {r.title}{signed}  ({r.user_name or '—'})  "
              f"SHA-256 {r.sha256[:16]}…")
    return 0


def _export(args: argparse.Namespace) -> int:
    from socplan.services.reports import registry

    if args.out:
        check_output(Path(args.out))
    with open_context(args) as ctx:
        row = registry.get_report(ctx, args.id)
        data = registry.get_report_bytes(ctx, args.id)
    target = write_output(Path(args.out) if args.out else Path(row.suggested_name), data)
    print(f"Сохранено: {target}")
    return 0


def _certs(args: argparse.Namespace) -> int:
    from socplan.services.reports import certificates

    with open_context(args) as ctx:
        rows = certificates.list_certificates(ctx)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Сертификатов нет.")
    for r in rows:
        print(f"{r.id:>4}  {r.role_name:<12} {r.owner} — № {r.serial}, {r.issuer}, "
              f"с {r.valid_from:%d.%m.%Y} по {r.valid_to:%d.%m.%Y} ({r.state_text}, {r.kind_text})")
    return 0


def _trust(args: argparse.Namespace) -> int:
    from socplan.services.reports import certificates

    with open_context(args) as ctx:
        row = certificates.add_trusted_file(ctx, args.file)
    print(f"Добавлен в доверенные: {row.owner} № {row.serial}")
    return 0


def _new_cert(args: argparse.Namespace) -> int:
    from socplan.services.reports import certificates

    check_output(Path(args.out))  # before the certificate is made and recorded
    password = read_password(args, "Пароль для нового файла сертификата: ")
    with open_context(args) as ctx:
        row = certificates.create_self_signed_certificate(
            ctx, full_name=args.name, position=args.position or "", organisation=args.organisation or "",
            days=args.days, password=password, target=args.out)
    print(f"Создан сертификат (не квалифицированный): {row.owner} № {row.serial}, файл {args.out}")
    return 0


def _cryptopro(args: argparse.Namespace) -> int:
    from socplan.services.reports import gost_signing

    if args.cryptcp:
        gost_signing.save_cryptopro_settings(cryptcp=args.cryptcp)
    if args.choose:
        chosen = gost_signing.choose_certificate(args.choose, args.cryptcp)
        print(f"Для подписи выбран сертификат: {chosen.label}")
    if args.list:
        rows = gost_signing.list_certificates(args.cryptcp)
        if args.json:
            print_json(rows)
            return 0
        if not rows:
            print("КриптоПро не показала личных сертификатов.")
        current = gost_signing.load_cryptopro_settings().thumbprint
        for r in rows:
            mark = "*" if r.thumbprint == current else " "
            key = "" if r.has_key else " — нет закрытого ключа"
            print(f"{mark}{r.number:>3}. {r.label}{key}")
    if not (args.list or args.choose or args.cryptcp):
        settings = gost_signing.load_cryptopro_settings()
        print(f"cryptcp: {settings.cryptcp or '(не указан, по умолчанию ' + gost_signing.DEFAULT_CRYPTCP + ')'}")
        print(f"Сертификат (отпечаток): {settings.thumbprint or '(не выбран)'}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add this capability's commands to socplan."""
    sign = sub.add_parser("sign", help="подписать файл (PDF — с видимой отметкой; --detached — отдельная подпись .sig)")
    sign.add_argument("file", metavar="ФАЙЛ")
    sign.add_argument("--cert", metavar="PFX", help="файл сертификата с закрытым ключом (.pfx/.p12)")
    sign.add_argument("--cryptopro", action="store_true",
                      help="квалифицированная подпись ГОСТ через КриптоПро CSP (сертификат из настроек: reports cryptopro)")
    sign.add_argument("--cryptcp", metavar="ПУТЬ", help="путь к cryptcp для этой подписи (иначе из настроек)")
    sign.add_argument("--thumbprint", metavar="ОТПЕЧАТОК", help="сертификат КриптоПро для этой подписи (иначе из настроек)")
    _password_flag(sign)
    sign.add_argument("--reason", metavar="ТЕКСТ", help="основание подписи (например «Утверждение документа»)")
    sign.add_argument("--location", metavar="ТЕКСТ", help="место подписания")
    sign.add_argument("--out", metavar="ФАЙЛ", help="куда записать результат (по умолчанию ФАЙЛ.signed.pdf / ФАЙЛ.sig)")
    sign.add_argument("--detached", action="store_true", help="отдельная подпись CMS (.sig) любого файла")
    sign.add_argument("--place", metavar="МЕСТО",
                      help="место подписи в документе, если в сертификате другая фамилия: должность из блока "
                           "подписи («секретарь», «председательствующий») или номер места с 1")
    sign.add_argument("--no-timestamp", action="store_true", help="не обращаться к серверу меток времени")
    add_json_flag(sign)
    sign.set_defaults(handler=_sign)

    verify = sub.add_parser("verify", help="проверить подписи файла (код 0 — все действительны, 1 — нет)")
    verify.add_argument("file", metavar="ФАЙЛ")
    verify.add_argument("--sig", metavar="ФАЙЛ", help="отдельная подпись (.sig) для проверки непдф-файла")
    verify.add_argument("--trust", action="append", metavar="СЕРТИФИКАТ",
                        help="считать доверенным и этот сертификат (.cer/.pem) при этой проверке")
    add_json_flag(verify)
    verify.set_defaults(handler=_verify)

    reports = sub.add_parser("reports", help="журнал отчётов и сертификаты")
    rsub = reports.add_subparsers(dest="reports_command", metavar="ДЕЙСТВИЕ")
    lst = rsub.add_parser("list", help="журнал сформированных отчётов")
    lst.add_argument("--kind", help="только отчёты этого вида")
    add_json_flag(lst)
    lst.set_defaults(handler=_list)
    export = rsub.add_parser("export", help="сохранить отчёт из журнала в файл")
    export.add_argument("id", type=int, metavar="НОМЕР")
    export.add_argument("--out", metavar="ФАЙЛ")
    export.set_defaults(handler=_export)
    certs = rsub.add_parser("certs", help="сертификаты: свои и доверенные")
    add_json_flag(certs)
    certs.set_defaults(handler=_certs)
    trust = rsub.add_parser("trust", help="добавить сертификат (.cer/.crt/.pem) в доверенные")
    trust.add_argument("file", metavar="ФАЙЛ")
    trust.set_defaults(handler=_trust)
    cp = rsub.add_parser("cryptopro", help="КриптоПро CSP: путь к cryptcp, список сертификатов, выбор сертификата")
    cp.add_argument("--cryptcp", metavar="ПУТЬ", help="запомнить путь к cryptcp (certmgr — рядом с ним)")
    cp.add_argument("--list", action="store_true", help="показать личные сертификаты (certmgr -list -store uMy)")
    cp.add_argument("--choose", metavar="НОМЕР|ОТПЕЧАТОК", help="выбрать сертификат для подписи")
    add_json_flag(cp)
    cp.set_defaults(handler=_cryptopro)
    new = rsub.add_parser("new-cert", help="создать самоподписанный сертификат (не квалифицированный)")
    new.add_argument("--name", required=True, metavar="ФИО")
    new.add_argument("--position", metavar="ДОЛЖНОСТЬ")
    new.add_argument("--organisation", metavar="ОРГАНИЗАЦИЯ")
    new.add_argument("--days", type=int, default=365)
    new.add_argument("--out", required=True, metavar="ФАЙЛ.pfx")
    _password_flag(new)
    new.set_defaults(handler=_new_cert)
