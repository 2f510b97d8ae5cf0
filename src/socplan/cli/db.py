"""``socplan db upgrade | check | backup PATH | copy SOURCE TARGET``."""

from __future__ import annotations

import argparse
from pathlib import Path

from socplan.cli.common import add_json_flag, database_path, open_context, print_json
from socplan.db.backend import is_server_url
from socplan.db.database import open_database
from socplan.domain.errors import SocPlanError


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="база данных: обновление схемы, проверка, резервная копия")
    db_sub = db.add_subparsers(dest="db_command", metavar="ДЕЙСТВИЕ", required=True)

    up = db_sub.add_parser("upgrade", help="создать базу или обновить её схему до текущей версии")
    add_json_flag(up)
    up.set_defaults(handler=_upgrade)

    check = db_sub.add_parser("check", help="проверить целостность и ссылки (код 1 при ошибках)")
    add_json_flag(check)
    check.set_defaults(handler=_check)

    backup = db_sub.add_parser("backup", help="сделать резервную копию базы в файл")
    backup.add_argument("path", metavar="ПУТЬ", help="куда записать копию")
    add_json_flag(backup)
    backup.set_defaults(handler=_backup)

    login = db_sub.add_parser(
        "login", help="сервер PostgreSQL: привязать учётную запись сервера к пользователю и территории, выдать права")
    login.add_argument("login", metavar="УЧЁТНАЯ_ЗАПИСЬ", help="имя роли с правом входа на сервере")
    login.add_argument("--territory", default="", help="территория района/города (без неё — вся область)")
    login.add_argument("--name", default="", help="ФИО для журнала изменений")
    login.add_argument("--position", default="", help="должность")
    login.add_argument("--role", default="", help="роль в программе")
    add_json_flag(login)
    login.set_defaults(handler=_login)

    copy = db_sub.add_parser(
        "copy", help="перенести всю базу: файл SQLite ↔ сервер PostgreSQL (с проверкой строк и контрольных сумм)")
    copy.add_argument("source", metavar="ИСТОЧНИК", help="файл .sqlite или адрес postgresql://пользователь@сервер/база")
    copy.add_argument("target", metavar="ЦЕЛЬ", help="пустая база: новый файл .sqlite или адрес postgresql://…")
    add_json_flag(copy)
    copy.set_defaults(handler=_copy)


def _upgrade(args: argparse.Namespace) -> int:
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
    db = open_database(database_path(args), create=False, migrate_schema=False)
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
    target = Path(args.path).expanduser().resolve()
    with open_context(args, create=False) as ctx:
        ctx.db.backup(target)
        backend = ctx.db.backend
    if args.json:
        print_json({"backup": str(target), "backend": backend, "tool": "pg_dump" if backend == "postgresql" else "sqlite"})
    elif backend == "postgresql":
        print(f"Резервная копия базы на сервере PostgreSQL сделана программой pg_dump (формат custom): {target}\n"
              "Восстановление: pg_restore --dbname=АДРЕС_ПУСТОЙ_БАЗЫ " + str(target))
    else:
        print(f"Резервная копия записана: {target}")
    return 0


def _login(args: argparse.Namespace) -> int:
    from socplan.db.postgres import register_login
    from socplan.services.indicators.common import territory_by

    with open_context(args, create=False) as ctx:
        if ctx.db.backend != "postgresql":
            raise SocPlanError("Учётные записи сервера есть только у базы на сервере PostgreSQL: "
                               "укажите её адресом --db postgresql://…")
        territory_id = None
        if args.territory:
            with ctx.uow() as s:
                territory_id = territory_by(s, args.territory).id
        register_login(ctx.db.engine, args.login, territory_id=territory_id, user_name=args.name,
                       position=args.position, role=args.role)
    scope = f"территория «{args.territory}»" if args.territory else "вся область"
    if args.json:
        print_json({"login": args.login, "territory": args.territory or None})
    else:
        print(f"Учётная запись «{args.login}» привязана ({scope}); права на работу с базой выданы.")
    return 0


def _location(text: str) -> Path | str:
    return text if is_server_url(text) else Path(text).expanduser()


def _copy(args: argparse.Namespace) -> int:
    from socplan.db.copy import copy_database

    source = open_database(_location(args.source), create=False, migrate_schema=False)
    try:
        target = open_database(_location(args.target))
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
