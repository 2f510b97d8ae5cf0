"""Headless commands: the same services without a window. ``socplan --help`` lists them."""

from __future__ import annotations

import argparse
import importlib
import sys

from socplan import APP_NAME, __version__
from socplan.domain.errors import SocPlanError

#: Capability modules; each has ``register(subparsers)`` adding its commands.
COMMAND_MODULES = (
    "socplan.cli.db",
    "socplan.cli.demo",
    "socplan.cli.indicators",
    "socplan.cli.plans",
    "socplan.cli.protocols",
    "socplan.cli.subsidies",
    "socplan.cli.reports",
    "socplan.cli.exchange",
    "socplan.cli.users",
    "socplan.cli.cycle",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="socplan",
        description=f"{APP_NAME} {__version__}. Без команды открывается окно программы.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--db", metavar="ФАЙЛ", help="файл базы данных (по умолчанию — из настроек)")
    parser.add_argument("--user", metavar="ФИО", help="кто работает: пользователь базы (socplan users list); "
                        "по умолчанию — из настроек")
    parser.add_argument("--selftest", action="store_true",
                        help="самопроверка сборки: временная база, демо-данные, окно, PDF; код 0 при успехе")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except SocPlanError as exc:
        print(f"Ошибка: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
