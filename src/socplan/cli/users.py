"""``socplan users``: who works with this database and in which role."""

from __future__ import annotations

import argparse

from socplan.cli.common import add_json_flag, open_context, print_json
from socplan.domain.errors import ValidationError
from socplan.domain.roles import PERMISSIONS, TERRITORY_BOUND, Action, Role


def _role(text: str) -> Role:
    try:
        return Role.parse(text)
    except ValueError as exc:
        raise ValidationError("role", str(exc)) from exc


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="пользователи базы и их роли")
    usub = users.add_subparsers(dest="users_command", metavar="ДЕЙСТВИЕ", required=True)

    add = usub.add_parser("add", help="добавить пользователя (первым — администратора)")
    add.add_argument("name", metavar="ФИО")
    add.add_argument("--position", default="", help="должность")
    add.add_argument("--role", required=True, help="district (специалист района), analyst (аналитик Министерства), "
                     "secretary (секретарь), administrator (администратор)")
    add.add_argument("--territory", help="территория специалиста района")
    add_json_flag(add)
    add.set_defaults(handler=_add)

    lst = usub.add_parser("list", help="список пользователей")
    lst.add_argument("--all", action="store_true", help="включая отключённых")
    add_json_flag(lst)
    lst.set_defaults(handler=_list)

    ch = usub.add_parser("change", help="изменить должность, роль, территорию; отключить или включить")
    ch.add_argument("name", metavar="ФИО")
    ch.add_argument("--position")
    ch.add_argument("--role")
    ch.add_argument("--territory")
    state = ch.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true", help="отключить (записи журнала сохраняются)")
    state.add_argument("--enable", action="store_true")
    ch.set_defaults(handler=_change)

    roles = usub.add_parser("roles", help="что может каждая роль")
    roles.set_defaults(handler=_roles)


def _add(args: argparse.Namespace) -> int:
    from socplan.services.users import add_user

    with open_context(args) as ctx:
        row = add_user(ctx, args.name, args.position, _role(args.role), args.territory)
    if args.json:
        print_json(row)
    else:
        print(f"Пользователь добавлен: {row.name} — {row.role.label}" + (f", {row.territory}" if row.territory else ""))
    return 0


def _list(args: argparse.Namespace) -> int:
    from socplan.services.users import list_users

    with open_context(args) as ctx:
        rows = list_users(ctx, include_inactive=args.all)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Пользователи не заданы: в базе работают без ролей (как администратор). Добавьте администратора: "
              "socplan users add «ФИО» --role administrator")
    for r in rows:
        print("\t".join((r.name, r.position or "—", r.role.label, r.territory or "—",
                         "действует" if r.active else "отключён")))
    return 0


def _change(args: argparse.Namespace) -> int:
    from socplan.services.users import change_user

    active = True if args.enable else False if args.disable else None
    with open_context(args) as ctx:
        row = change_user(ctx, args.name, position=args.position, role=_role(args.role) if args.role else None,
                          territory=args.territory, active=active)
    print(f"{row.name}: {row.role.label}" + (f", {row.territory}" if row.territory else "")
          + ("" if row.active else " (отключён)"))
    return 0


def _roles(_args: argparse.Namespace) -> int:
    for role in Role:
        print(f"{role.label} ({role.value}):")
        for action in Action:
            if action in PERMISSIONS[role]:
                own = " — только своей территории" if role is Role.DISTRICT and action in TERRITORY_BOUND else ""
                print(f"  • {action.label}{own}")
    return 0
