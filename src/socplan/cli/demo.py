"""``socplan demo --reset``: rebuild the demo database from the source documents' data."""

from __future__ import annotations

import argparse

from socplan.cli.common import add_json_flag, database_path, print_json


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="демонстрационная база по исходным документам")
    demo.add_argument("--reset", action="store_true", help="пересоздать базу с демонстрационными данными "
                      "(старая база сохраняется в резервную копию)")
    add_json_flag(demo)
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    if not args.reset:
        print("Укажите --reset, чтобы пересоздать демонстрационную базу.")
        return 2
    path = database_path(args)
    from socplan.services.demo import reset_demo

    db = reset_demo(path)
    db.close()
    if args.json:
        print_json({"database": str(path), "reset": True})
    else:
        print(f"Демонстрационная база создана: {path}")
    return 0
