"""``socplan db upgrade | check | backup PATH``."""

from __future__ import annotations

import argparse
from pathlib import Path

from socplan.cli.common import add_json_flag, database_path, open_context, print_json


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


def _upgrade(args: argparse.Namespace) -> int:
    from socplan.db.database import open_database

    db = open_database(database_path(args))
    try:
        revisions = db.revisions()
    finally:
        db.close()
    if args.json:
        print_json({"database": str(db.path), "revisions": revisions})
    else:
        print(f"База данных {db.path} обновлена; версия схемы: {', '.join(revisions)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from socplan.db.database import open_database

    db = open_database(database_path(args), create=False, migrate_schema=False)
    try:
        problems = db.check()
    finally:
        db.close()
    if args.json:
        print_json({"database": str(db.path), "ok": not problems, "problems": problems})
    elif problems:
        print("\n".join(problems))
    else:
        print(f"База данных {db.path} в порядке: целостность и ссылки проверены.")
    return 1 if problems else 0


def _backup(args: argparse.Namespace) -> int:
    target = Path(args.path).expanduser().resolve()
    with open_context(args, create=False) as ctx:
        ctx.db.backup(target)
    if args.json:
        print_json({"backup": str(target)})
    else:
        print(f"Резервная копия записана: {target}")
    return 0
