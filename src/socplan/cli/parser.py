"""argparse in Russian: usage, help and every error message; one line on wrong usage, exit code 2.

argparse builds its texts with ``gettext`` at the moment it needs them; our parser swaps in a Russian
catalogue only while it builds, parses or formats (nothing else in the process is affected).
"""

from __future__ import annotations

import argparse
import re
import sys
from contextlib import contextmanager
from typing import Any, Iterator, NoReturn

RUSSIAN = {
    "usage: ": "Использование: ",
    "argument %(argument_name)s: %(message)s": "параметр %(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "неизвестная команда %(parser_name)r (есть: %(choices)s)",
    "positional arguments": "аргументы",
    "options": "параметры",
    "optional arguments": "параметры",
    "show this help message and exit": "показать эту справку и выйти",
    "unrecognized arguments: %s": "лишние или неизвестные аргументы: %s",
    "not allowed with argument %s": "нельзя указывать вместе с %s",
    "ignored explicit argument %r": "у этого параметра не бывает значения: %r",
    "the following arguments are required: %s": "не указаны обязательные аргументы: %s",
    "one of the arguments %s is required": "нужен один из аргументов: %s",
    "expected one argument": "после параметра нужно указать значение",
    "expected at most one argument": "допускается не более одного значения",
    "expected at least one argument": "нужно хотя бы одно значение",
    "ambiguous option: %(option)s could match %(matches)s": "неоднозначный параметр %(option)s: подходят %(matches)s",
    "unexpected option string: %s": "неожиданный параметр: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "недопустимое значение %(value)r; возможны: %(choices)s",
    "invalid %(type)s value: %(value)r": "недопустимое значение %(value)r (%(type)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: ошибка: %(message)s\n",
}
PLURAL = {"expected %s argument": "нужно значений: %s"}
TYPE_NAMES = {"int": "нужно целое число", "float": "нужно число", "Decimal": "нужно число"}


def _ru(message: str) -> str:
    return RUSSIAN.get(message, message)


def _ru_n(singular: str, plural: str, n: int) -> str:
    return PLURAL.get(singular, singular if n == 1 else plural)


@contextmanager
def russian() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _ru, _ru_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def russian_quotes(text: str) -> str:
    """'value' → «value» (argparse quotes with repr)."""
    text = re.sub(r"\((int|float|Decimal)\)", lambda m: f"({TYPE_NAMES[m.group(1)]})", text)
    return re.sub(r"'([^']*)'", r"«\1»", text)


class RussianHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001
        super().add_usage(usage, actions, groups, prefix="Использование: " if prefix is None else prefix)


class RussianArgumentParser(argparse.ArgumentParser):
    """Texts in Russian; an error is one line on stderr (with where to find help) and exit code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", RussianHelpFormatter)
        with russian():
            super().__init__(*args, **kwargs)

    def parse_args(self, args=None, namespace=None):  # noqa: ANN001, ANN201
        with russian():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args=None, namespace=None):  # noqa: ANN001, ANN201
        with russian():
            return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        with russian():
            return super().format_help()

    def format_usage(self) -> str:
        with russian():
            return super().format_usage()

    def add_subparsers(self, **kwargs: Any):  # noqa: ANN201
        with russian():
            return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        text = russian_quotes(_ru(message)) if message in RUSSIAN else russian_quotes(message)
        sys.stderr.write(f"Ошибка: {text}. Справка: {self.prog} --help\n")
        sys.exit(2)
