"""Helpers shared by headless commands: opening the database, the user, JSON output."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:  # the database layer is imported by the commands that open it, not by ``--help``
    from socplan.services.context import AppContext


def database_path(args: argparse.Namespace) -> Path:
    from socplan.services.settings import load_settings

    explicit = getattr(args, "db", None)
    return Path(explicit) if explicit else load_settings().database_path


@contextmanager
def open_context(args: argparse.Namespace, *, migrate_schema: bool = True, create: bool = True) -> Iterator[AppContext]:
    from socplan.db.database import open_database
    from socplan.services.context import AppContext, User
    from socplan.services.settings import load_settings

    settings = load_settings()
    db = open_database(database_path(args), migrate_schema=migrate_schema, create=create)
    if create:
        from socplan.services import demo

        if migrate_schema and demo.is_empty(db):
            demo.load_demo(db)
    try:
        yield AppContext(db=db, user=User(settings.user_name, settings.user_position))
    finally:
        db.close()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"не сериализуется: {type(value).__name__}")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="вывод в формате JSON")
