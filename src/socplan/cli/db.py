"""``socplan db init | upgrade | check | backup PATH | copy SOURCE TARGET``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from socplan.cli.common import (UsageError, add_json_flag, choice, database_path, open_context, output_files,
                                print_json)
from socplan.domain.errors import SocPlanError

ROLE_CHOICES = {"министерство": "ministry", "район": "district", "ministry": "ministry", "district": "district"}


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="база данных: создание рабочей базы, обновление схемы, проверка, копия")
    db_sub = db.add_subparsers(dest="db_command", metavar="ДЕЙСТВИЕ", required=True)

    init = db_sub.add_parser(
        "init", help="создать рабочую базу: кто эта установка, реквизиты организации, пользователь",
        description="Создаёт новую рабочую базу (без демонстрационных данных): справочники территорий и единиц "
                    "измерения, каталог показателей с методиками расчёта, сведения об установке. Недостающие "
                    "сведения спрашиваются с клавиатуры.")
    init.add_argument("--role", type=choice(ROLE_CHOICES, "вид установки"), metavar="министерство|район",
                      help="кто эта установка: Министерство или район")
    init.add_argument("--territory", metavar="ТЕРРИТОРИЯ", help="для района: муниципальный район или город Омск "
                      "(как в справочнике; список — socplan db init --territories)")
    init.add_argument("--org-full", metavar="НАИМЕНОВАНИЕ", help="полное наименование организации")
    init.add_argument("--org-short", metavar="НАИМЕНОВАНИЕ", help="сокращённое наименование организации")
    init.add_argument("--inn", metavar="ИНН", default="", help="ИНН организации (10 или 12 цифр)")
    init.add_argument("--address", metavar="АДРЕС", default="", help="адрес организации")
    init.add_argument("--phone", metavar="ТЕЛЕФОН", default="", help="телефон организации")
    init.add_argument("--user", metavar="ФИО", help="ФИО пользователя (для отчётов и журнала изменений)")
    init.add_argument("--position", metavar="ДОЛЖНОСТЬ", help="должность пользователя")
    init.add_argument("--territories", action="store_true", help="только показать список территорий справочника")
    add_json_flag(init)
    init.set_defaults(handler=_init)

    up = db_sub.add_parser("upgrade", help="обновить схему существующей базы до текущей версии")
    add_json_flag(up)
    up.set_defaults(handler=_upgrade)

    check = db_sub.add_parser("check", help="проверить целостность и ссылки (код 1 при ошибках)")
    add_json_flag(check)
    check.set_defaults(handler=_check)

    backup = db_sub.add_parser("backup", help="сделать резервную копию базы в файл")
    backup.add_argument("path", metavar="ПУТЬ", help="куда записать копию (папка должна существовать)")
    add_json_flag(backup)
    backup.set_defaults(handler=_backup)

    login = db_sub.add_parser(
        "login", help="сервер PostgreSQL: привязать учётную запись сервера к пользователю и территории, выдать права")
    login.add_argument("login", metavar="УЧЁТНАЯ_ЗАПИСЬ", help="имя роли с правом входа на сервере")
    login.add_argument("--territory", default="", help="территория района/города (без неё — вся область)")
    login.add_argument("--name", default="", help="ФИО для журнала изменений")
    login.add_argument("--position", default="", help="должность")
    login.add_argument("--role", default="", help="роль в программе")
    login.add_argument("--user", dest="bind_user", metavar="ФИО", default="",
                       help="пользователь программы (socplan users add): его роль и территория следуют за входом")
    add_json_flag(login)
    login.set_defaults(handler=_login)

    copy = db_sub.add_parser(
        "copy", help="перенести всю базу: файл SQLite ↔ сервер PostgreSQL (с проверкой строк и контрольных сумм)")
    copy.add_argument("source", metavar="ИСТОЧНИК", help="файл .sqlite или адрес postgresql://пользователь@сервер/база")
    copy.add_argument("target", metavar="ЦЕЛЬ", help="пустая база: новый файл .sqlite или адрес postgresql://…")
    add_json_flag(copy)
    copy.set_defaults(handler=_copy)


def _ask(label: str) -> str:
    if sys.stdin is None or not sys.stdin.isatty():
        return ""
    try:
        return input(f"{label}: ").strip()
    except EOFError:
        return ""


def _init(args: argparse.Namespace) -> int:
    from socplan.services.installation import (REGION, ROLES, InstallationInput, create_working_database,
                                               installation_info, reference_territories)
    from socplan.services.settings import default_db_path, load_settings, save_settings

    territories = reference_territories()
    if args.territories:
        for name in territories:
            print(name)
        return 0
    settings = load_settings()
    role = args.role or ROLE_CHOICES.get(_ask("Кто эта установка (министерство или район)").casefold(), "")
    territory = args.territory or ""
    if role == "district" and not territory:
        territory = _ask("Район (как в справочнике; список — socplan db init --territories)")
    org_full = args.org_full or _ask("Полное наименование организации")
    org_short = args.org_short or _ask("Сокращённое наименование организации")
    user = args.user or _ask("Ваши ФИО") or settings.user_name
    position = args.position or _ask("Ваша должность") or settings.user_position
    missing = [flag for flag, value in (("--role", role), ("--org-full", org_full), ("--org-short", org_short),
                                        ("--user", user), ("--position", position)) if not value]
    if role == "district" and not territory:
        missing.insert(1, "--territory")
    if missing:
        raise UsageError("Для создания рабочей базы укажите: " + ", ".join(missing) + ". Пример: socplan db init "
                         "--role район --territory \"Азовский немецкий национальный муниципальный район\" "
                         "--org-full \"…\" --org-short \"…\" --user \"Иванова Мария Петровна\" --position \"…\"")
    path = Path(args.db) if getattr(args, "db", None) else default_db_path()
    data = InstallationInput(role=role, territory=REGION if role == "ministry" else territory,
                             org_full_name=org_full, org_short_name=org_short, user_name=user,
                             user_position=position, org_inn=args.inn, org_address=args.address,
                             org_phone=args.phone)
    db = create_working_database(path, data)
    try:
        info = installation_info(db)
        path = db.path
    finally:
        db.close()
    settings.user_name, settings.user_position = user.strip(), position.strip()
    if not settings.db_path:
        settings.db_path = str(path)
    save_settings(settings)
    if args.json:
        print_json({"database": str(path), "role": info.role, "territory": info.territory,
                    "organisation": info.organisation, "default": settings.db_path == str(path)})
    else:
        default = " Она открывается по умолчанию." if settings.db_path == str(path) else ""
        print(f"Рабочая база создана: {path} ({ROLES[role]}: {info.territory}; организация {info.organisation})."
              f"{default}")
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from socplan.db.database import open_database

    db = open_database(database_path(args))
    try:
        revisions = db.revisions()
    finally:
        db.close()
    if args.json:
        print_json({"database": db.label, "revisions": revisions})
    else:
        print(f"База данных {db.label} обновлена; версия схемы: {', '.join(revisions)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from socplan.db.database import open_database

    db = open_database(database_path(args), create=False, migrate_schema=False, lock=False)  # a reader
    try:
        problems = db.check()
    finally:
        db.close()
    if args.json:
        print_json({"database": db.label, "ok": not problems, "problems": problems})
    elif problems:
        print("\n".join(problems))
    else:
        print(f"База данных {db.label} в порядке: целостность и ссылки проверены.")
    return 1 if problems else 0


def _backup(args: argparse.Namespace) -> int:
    from socplan.db.backend import is_server_url
    from socplan.db.backup import online_backup

    target = Path(args.path).expanduser().resolve()
    source = database_path(args)
    if is_server_url(source):  # a server database: pg_dump, and the program says so
        with open_context(args) as ctx, output_files(target) as (tmp,):
            ctx.db.backup(tmp)
            backend = ctx.db.backend
    else:
        backend = "sqlite"
        if not Path(source).expanduser().is_file():
            from socplan.db.database import DatabaseNotFoundError

            raise DatabaseNotFoundError(Path(source).expanduser().resolve())
        if target == Path(source).expanduser().resolve():
            raise UsageError("Копию нельзя записать поверх самой базы: укажите другой файл.")
        with output_files(target) as (tmp,):  # the folder must exist; a failure leaves no file
            online_backup(source, tmp)  # a reader: works while the window has the database open
    if args.json:
        print_json({"backup": str(target), "backend": backend, "tool": "pg_dump" if backend == "postgresql" else "sqlite"})
    elif backend == "postgresql":
        print(f"Резервная копия базы на сервере PostgreSQL сделана программой pg_dump (формат custom): {target}\n"
              "Восстановление: pg_restore --dbname=АДРЕС_ПУСТОЙ_БАЗЫ " + str(target))
    else:
        print(f"Резервная копия записана: {target}")
    return 0


def _login(args: argparse.Namespace) -> int:
    from socplan.db.database import open_database
    from socplan.db.postgres import register_login
    from socplan.domain.roles import Role
    from socplan.services.indicators.common import territory_by
    from socplan.services.users import user_for

    db = open_database(database_path(args))  # the server's owner binds logins: no application user needed
    try:
        if db.backend != "postgresql":
            raise SocPlanError("Учётные записи сервера есть только у базы на сервере PostgreSQL: "
                               "укажите её адресом --db postgresql://…")
        bound = getattr(args, "bind_user", "")
        if bound:
            if args.territory or args.role:
                raise SocPlanError("С --user роль и территория берутся у пользователя программы: уберите "
                                   "--territory и --role (изменить их: socplan users change).")
            user = user_for(db, bound)
            args.territory = user.territory_name
            register_login(db.engine, args.login, territory_id=user.territory_id, user_name=user.name,
                           position=user.position, role=user.role.value, user_id=user.id,
                           manages_users=user.role is Role.ADMINISTRATOR)
        else:
            territory_id = None
            if args.territory:
                with db.session() as s:
                    territory_id = territory_by(s, args.territory).id
            register_login(db.engine, args.login, territory_id=territory_id, user_name=args.name,
                           position=args.position, role=args.role)
    finally:
        db.close()
    if bound and args.json:
        print_json({"login": args.login, "user": user.name, "role": user.role.value,
                    "territory": args.territory or None})
    elif bound:
        where = f", {args.territory}" if args.territory else ""
        print(f"Учётная запись «{args.login}» привязана к пользователю «{user.name}» ({user.role.label}{where}); "
              "права на работу с базой выданы.")
    if bound:
        return 0
    scope = f"территория «{args.territory}»" if args.territory else "вся область"
    if args.json:
        print_json({"login": args.login, "territory": args.territory or None})
    else:
        print(f"Учётная запись «{args.login}» привязана ({scope}); права на работу с базой выданы.")
    return 0


def _location(text: str) -> Path | str:
    from socplan.db.backend import is_server_url

    return text if is_server_url(text) else Path(text).expanduser()


def _copy(args: argparse.Namespace) -> int:
    from socplan.db.copy import copy_database
    from socplan.db.database import open_database

    source = open_database(_location(args.source), create=False, migrate_schema=False)
    try:
        target = open_database(_location(args.target), create=True)  # the copy's target is made on purpose
        try:
            checks = copy_database(source, target)
        finally:
            target.close()
    finally:
        source.close()
    bad = [c for c in checks if not c.ok]
    if args.json:
        print_json({"source": source.label, "target": target.label, "ok": not bad,
                    "tables": [{"table": c.table, "source_rows": c.source_rows, "target_rows": c.target_rows,
                                "source_sha256": c.source_sha256, "target_sha256": c.target_sha256, "ok": c.ok}
                               for c in checks]})
    else:
        for c in checks:
            mark = "совпадает" if c.ok else "НЕ СОВПАДАЕТ"
            print(f"{c.table}: {c.source_rows} → {c.target_rows} строк, контрольная сумма {mark}")
        total = sum(c.target_rows for c in checks)
        if bad:
            print(f"Копия отличается от источника в таблицах: {', '.join(c.table for c in bad)}.")
        else:
            print(f"База «{source.label}» скопирована в «{target.label}»: {len(checks)} таблиц, {total} строк; "
                  "количество строк и контрольные суммы всех таблиц совпадают.")
    return 1 if bad else 0
