"""``socplan demo [--reset]``: build (or rebuild) the demo database (its own file) from the source documents' data."""

from __future__ import annotations

import argparse
from pathlib import Path

from socplan.cli.common import UsageError, add_json_flag, print_json


def register(sub: argparse._SubParsersAction) -> None:
    demo = sub.add_parser("demo", help="демонстрационная база по исходным документам (отдельный файл)")
    demo.add_argument("--reset", action="store_true", help="пересоздать демонстрационную базу (старая сохраняется "
                      "в резервную копию); рабочая база никогда не заменяется демонстрационной")
    add_json_flag(demo)
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from socplan.services.demo import reset_demo
    from socplan.services.settings import demo_db_path

    path = Path(args.db) if getattr(args, "db", None) else demo_db_path()
    if not args.reset and path.exists():  # a new file has nothing to reset: it is simply built
        raise UsageError(f"Демонстрационная база уже есть: {path}. Чтобы пересоздать её по исходным документам, "
                         "добавьте --reset (старая сохранится в резервную копию).")
    if not getattr(args, "db", None):
        path.parent.mkdir(parents=True, exist_ok=True)  # the program's own data folder
    db = reset_demo(path)
    db.close()
    if args.json:
        print_json({"database": str(path), "reset": True})
    else:
        print(f"Демонстрационная база создана: {path}")
    return 0
