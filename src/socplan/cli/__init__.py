"""Headless commands: the same services without a window. ``socplan --help`` lists them.

Every failure ends in one Russian line on stderr and exit code 1 (2 for wrong usage), never a traceback:
the traceback goes to the log file the message names.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from socplan import APP_NAME, __version__
from socplan.cli.parser import RussianArgumentParser
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

USER_HELP = "кто работает: пользователь базы (socplan users list); по умолчанию — из настроек"
DB_HELP = "файл базы данных (по умолчанию — рабочая база из настроек); можно и после команды: --db ФАЙЛ или --db=ФАЙЛ"


def build_parser() -> argparse.ArgumentParser:
    parser = RussianArgumentParser(
        prog="socplan",
        description=f"{APP_NAME} {__version__}. Без команды открывается окно программы.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}",
                        help="показать версию программы и выйти")
    parser.add_argument("--db", metavar="ФАЙЛ", help=DB_HELP)
    parser.add_argument("--user", metavar="ФИО", help=USER_HELP)
    parser.add_argument("--selftest", action="store_true",
                        help="самопроверка сборки: временная база, демо-данные, окно, PDF; код 0 при успехе")
    sub = parser.add_subparsers(dest="command", metavar="КОМАНДА")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    _db_option_everywhere(parser)
    return parser


def _db_option_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--user`` are accepted after any command too (``socplan plans list --db FILE``)."""
    for action in parser._actions:  # noqa: SLF001 (argparse keeps subparsers only here)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for sub in set(action.choices.values()):
                if "--db" not in sub._option_string_actions:  # noqa: SLF001
                    sub.add_argument("--db", metavar="ФАЙЛ", default=argparse.SUPPRESS, help=DB_HELP)
                if "--user" not in sub._option_string_actions:  # noqa: SLF001
                    sub.add_argument("--user", metavar="ФИО", default=argparse.SUPPRESS, help=USER_HELP)
                _db_option_everywhere(sub)


def run(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) or wrong usage (2, already said in one line)
        return int(exc.code or 0)
    handler = getattr(args, "handler", None)
    if not handler:
        parser.print_help()
        return 0
    try:
        code = int(handler(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        _quiet_stdout()  # «socplan protocols list | head»: the reader has gone; nothing to say
        return 0
    except KeyboardInterrupt:
        print("Прервано.", file=sys.stderr)
        return 130
    except BaseException as exc:  # noqa: BLE001 — every failure becomes one line, the details go to the log
        if isinstance(exc, SystemExit):
            raise
        return _report_failure(exc, argv)


def _report_failure(exc: BaseException, argv: list[str]) -> int:
    from socplan.cli.common import UsageError, os_reason
    from socplan.cli.log import log_failure

    log = log_failure(exc, argv)
    where = f" Подробности — в журнале «{log}»." if log else ""
    if isinstance(exc, SocPlanError):
        text = exc.message
        code = 2 if isinstance(exc, UsageError) else 1
    elif isinstance(exc, OSError):
        name = f" «{exc.filename}»" if exc.filename else ""
        text = f"Не удалось прочитать или записать файл{name}: {os_reason(exc)}. Проверьте путь и права доступа."
        code = 1
    else:
        text = f"Внутренняя ошибка программы ({type(exc).__name__}). Сообщите о ней разработчикам."
        code = 1
    line = " ".join(part.strip() for part in str(text).splitlines() if part.strip())
    if not line.endswith((".", "!", "?", "»", ")")):
        line += "."
    try:
        print(f"Ошибка: {line}{where}", file=sys.stderr)
    except (BrokenPipeError, OSError):
        pass
    return code


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at devnull so that the interpreter's final flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
