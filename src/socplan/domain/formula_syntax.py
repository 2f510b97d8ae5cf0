"""The syntax of the indicator formulas: references, tokens, the syntax tree and its parser (no ``eval``).

Evaluation lives in :mod:`socplan.domain.formula`.

Grammar (a small tokenizer + recursive-descent parser)::

    expr        := comparison
    comparison  := additive [ ("=" | "≠" | "<" | "≤" | ">" | "≥" | "<>" | "!=" | "<=" | ">=" | "==") additive ]
    additive    := term { ("+" | "-" | "−" | "–") term }
    term        := unary { ("*" | "×" | "·" | "/" | "÷" | ":") unary }
    unary       := ("-" | "−" | "+") unary | primary
    primary     := NUMBER ["%"] | NAME | NAME "(" [ expr { (";" | ",") expr } ] ")" | REF | "(" expr ")"

* Numbers take a comma or a dot as the decimal mark (``0,0855``, ``1.5``); «100 %» reads as 100 — the
  methodologies write «× 100 %» for a result in percent. Inside a function call separate arguments
  with «;» (as Russian Excel does) or with «, » (a comma followed by a space).
* Names are component symbols as printed in the methodology, Cyrillic or Latin (``В``, ``ОПтэ``, ``D1``).
* Indicator references: ``[4]``, ``[1.1]``, ``[НОК:2]`` (another form), ``[2@2024]`` / ``[2@-1]`` (a year,
  absolute or relative), ``[2:план]`` (plan instead of fact); and the seeds' row notation ``стр.2``.
* Functions: ``sum``/``сумма``, ``min``/``мин``, ``max``/``макс``, ``round``/``округл`` (half-up),
  ``abs``, ``if``/``если`` (lazy: only the chosen branch is evaluated).

A value that cannot be computed — division by zero, a missing component, a cyclic reference — gives a
:class:`FormulaValue` with ``value=None`` and the reason («не рассчитывается: …»), never a crash and never 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

class FormulaError(Exception):
    """A formula that cannot be parsed; ``position`` is the 0-based offset of the offending character."""

    def __init__(self, message: str, position: int, text: str = "") -> None:
        self.position = position
        self.text = text
        self.reason = message
        super().__init__(f"Ошибка в формуле в позиции {position + 1}: {message}")

    @property
    def message(self) -> str:
        return str(self)

    def pointer(self) -> str:
        """The formula with a caret under the offending character (for a monospace tooltip)."""
        return f"{self.text}\n{' ' * self.position}^"


# ------------------------------------------------------------------ references

@dataclass(frozen=True)
class Reference:
    """A reference to another indicator's value: ``[форма:код@год:план]``."""

    code: str
    form: str = ""
    year: int | None = None  # absolute year
    year_offset: int = 0  # relative to the current period (when ``year`` is None)
    kind: str = ""  # "" (same as the evaluated value) | "plan" | "fact"

    def key(self) -> str:
        return f"{self.form}:{self.code}" if self.form else self.code

    def __str__(self) -> str:
        text = self.key()
        if self.year is not None:
            text += f"@{self.year}"
        elif self.year_offset:
            text += f"@{self.year_offset:+d}"
        if self.kind:
            text += ":" + {"plan": "план", "fact": "факт"}[self.kind]
        return f"[{text}]"


_KIND_WORDS = {"план": "plan", "plan": "plan", "факт": "fact", "fact": "fact"}
_CODE = re.compile(r"^[0-9A-Za-zА-Яа-яЁё_][0-9A-Za-zА-Яа-яЁё_.\-]*$")


def parse_reference(body: str, position: int = 0, text: str = "") -> Reference:
    """``4`` | ``1.1`` | ``НОК:2`` | ``2@2024`` | ``2@-1`` | ``2:план`` | ``НОК:2@-1:факт``."""
    raw = body.strip()
    if not raw:
        raise FormulaError("пустая ссылка на показатель «[]»: укажите код, например [1.1]", position, text)
    kind = ""
    parts = [p.strip() for p in raw.split(":")]
    if len(parts) > 1 and parts[-1].casefold() in _KIND_WORDS:
        kind = _KIND_WORDS[parts.pop().casefold()]
    if len(parts) > 2:
        raise FormulaError(f"непонятная ссылка «[{raw}]»: ожидалось [форма:код@год]", position, text)
    form = parts[0] if len(parts) == 2 else ""
    code_part = parts[-1]
    year: int | None = None
    offset = 0
    if "@" in code_part:
        code_part, _, year_text = code_part.partition("@")
        year_text = year_text.strip()
        if re.fullmatch(r"[+-]\d{1,2}", year_text):
            offset = int(year_text)
        elif re.fullmatch(r"\d{4}", year_text):
            year = int(year_text)
        else:
            raise FormulaError(f"непонятный год «{year_text}» в ссылке: укажите 2024 или -1", position, text)
    code = code_part.strip().rstrip(".")
    if not code or not _CODE.match(code):
        raise FormulaError(f"непонятный код показателя «{code_part}» в ссылке", position, text)
    return Reference(code=code, form=form, year=year, year_offset=offset, kind=kind)


# ------------------------------------------------------------------ tokens

@dataclass(frozen=True)
class Token:
    kind: str  # num | name | ref | op | lpar | rpar | sep | end
    text: str
    pos: int
    value: object = None


_OPS = {
    "+": "+", "-": "-", "−": "-", "–": "-", "*": "*", "×": "*", "·": "*", "/": "/", "÷": "/", ":": "/",
    "=": "=", "<": "<", ">": ">", "≠": "≠", "≤": "≤", "≥": "≥",
}
_TWO_CHAR_OPS = {"==": "=", "!=": "≠", "<>": "≠", "<=": "≤", ">=": "≥"}


def _is_name_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit():
            start = i
            while i < n and text[i].isdigit():
                i += 1
            if i + 1 < n and text[i] in ",." and text[i + 1].isdigit():
                i += 1
                while i < n and text[i].isdigit():
                    i += 1
            raw = text[start:i]
            if i < n and (_is_name_start(text[i])):
                raise FormulaError(f"после числа «{raw}» сразу идёт буква: поставьте знак действия", i, text)
            # «100 %» / «100%»: the methodology's way of saying the result is in percent
            j = i
            while j < n and text[j] == " ":
                j += 1
            if j < n and text[j] == "%":
                i = j + 1
            tokens.append(Token("num", raw, start, Decimal(raw.replace(",", "."))))
            continue
        if _is_name_start(ch):
            start = i
            while i < n and _is_name_char(text[i]):
                i += 1
            name = text[start:i]
            if name.casefold() == "стр" and i < n and text[i] == ".":
                j = i + 1
                while j < n and text[j] == " ":
                    j += 1
                k = j
                while k < n and (text[k].isdigit() or (text[k] == "." and k + 1 < n and text[k + 1].isdigit())):
                    k += 1
                if k == j:
                    raise FormulaError("после «стр.» ожидался номер строки, например стр.2", j, text)
                tokens.append(Token("ref", text[start:k], start, parse_reference(text[j:k], start, text)))
                i = k
                continue
            tokens.append(Token("name", name, start))
            continue
        if ch == "[":
            end = text.find("]", i + 1)
            if end < 0:
                raise FormulaError("не закрыта квадратная скобка «[»", i, text)
            tokens.append(Token("ref", text[i:end + 1], i, parse_reference(text[i + 1:end], i, text)))
            i = end + 1
            continue
        if text[i:i + 2] in _TWO_CHAR_OPS:
            tokens.append(Token("op", _TWO_CHAR_OPS[text[i:i + 2]], i))
            i += 2
            continue
        if ch in _OPS:
            tokens.append(Token("op", _OPS[ch], i))
            i += 1
            continue
        if ch == "(":
            tokens.append(Token("lpar", ch, i))
            i += 1
            continue
        if ch == ")":
            tokens.append(Token("rpar", ch, i))
            i += 1
            continue
        if ch in ";,":
            tokens.append(Token("sep", ch, i))
            i += 1
            continue
        if ch == "%":
            raise FormulaError("знак «%» допустим только после числа (например «× 100 %»)", i, text)
        raise FormulaError(f"недопустимый символ «{ch}»", i, text)
    tokens.append(Token("end", "", n))
    return tokens


# ------------------------------------------------------------------ syntax tree

@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Name:
    name: str
    pos: int


@dataclass(frozen=True)
class Ref:
    ref: Reference
    pos: int


@dataclass(frozen=True)
class Unary:
    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object
    pos: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple
    pos: int


FUNCTIONS = {
    "sum": "sum", "сумма": "sum", "сумм": "sum",
    "min": "min", "мин": "min", "минимум": "min",
    "max": "max", "макс": "max", "максимум": "max",
    "round": "round", "округл": "round", "округлить": "round",
    "abs": "abs", "модуль": "abs",
    "if": "if", "если": "if",
}
_COMPARISONS = ("=", "≠", "<", "≤", ">", "≥")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def _error(self, expected: str) -> FormulaError:
        tok = self.tok
        found = "конец формулы" if tok.kind == "end" else f"«{tok.text}»"
        return FormulaError(f"ожидалось: {expected}; встретилось {found}", tok.pos, self.text)

    def parse(self) -> object:
        if self.tok.kind == "end":
            raise FormulaError("формула пуста", 0, self.text)
        node = self.comparison()
        if self.tok.kind != "end":
            if self.tok.kind == "rpar":
                raise FormulaError("лишняя закрывающая скобка «)»", self.tok.pos, self.text)
            raise self._error("знак действия")
        return node

    def comparison(self) -> object:
        left = self.additive()
        if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            op_tok = self.tok
            self.i += 1
            right = self.additive()
            left = Binary(op_tok.text, left, right, op_tok.pos)
            if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
                raise FormulaError("два сравнения подряд: используйте если(...) или скобки", self.tok.pos, self.text)
        return left

    def additive(self) -> object:
        left = self.term()
        while self.tok.kind == "op" and self.tok.text in "+-":
            op_tok = self.tok
            self.i += 1
            left = Binary(op_tok.text, left, self.term(), op_tok.pos)
        return left

    def term(self) -> object:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in "*/":
            op_tok = self.tok
            self.i += 1
            left = Binary(op_tok.text, left, self.unary(), op_tok.pos)
        return left

    def unary(self) -> object:
        if self.tok.kind == "op" and self.tok.text in "+-":
            op = self.tok.text
            self.i += 1
            return Unary(op, self.unary())
        return self.primary()

    def primary(self) -> object:
        tok = self.tok
        if tok.kind == "num":
            self.i += 1
            return Num(tok.value)  # type: ignore[arg-type]
        if tok.kind == "ref":
            self.i += 1
            return Ref(tok.value, tok.pos)  # type: ignore[arg-type]
        if tok.kind == "name":
            self.i += 1
            if self.tok.kind == "lpar":
                func = FUNCTIONS.get(tok.text.casefold())
                if func is None:
                    raise FormulaError(f"неизвестная функция «{tok.text}»; доступны: sum, min, max, round, abs, if",
                                       tok.pos, self.text)
                return self.call(func, tok)
            return Name(tok.text, tok.pos)
        if tok.kind == "lpar":
            self.i += 1
            node = self.comparison()
            if self.tok.kind != "rpar":
                raise self._error("закрывающая скобка «)»")
            self.i += 1
            return node
        raise self._error("число, имя компонента или «(»")

    def call(self, func: str, name_tok: Token) -> object:
        self.i += 1  # "("
        args: list[object] = []
        if self.tok.kind != "rpar":
            while True:
                args.append(self.comparison())
                if self.tok.kind == "sep":
                    self.i += 1
                    continue
                break
        if self.tok.kind != "rpar":
            raise self._error("«;» или закрывающая скобка «)»")
        self.i += 1
        expected = {"round": (1, 2), "abs": (1, 1), "if": (3, 3)}.get(func)
        if not args:
            raise FormulaError(f"у функции «{name_tok.text}» нет аргументов", name_tok.pos, self.text)
        if expected and not expected[0] <= len(args) <= expected[1]:
            count = expected[0] if expected[0] == expected[1] else f"{expected[0]}–{expected[1]}"
            raise FormulaError(f"функции «{name_tok.text}» нужно аргументов: {count}, передано {len(args)}",
                               name_tok.pos, self.text)
        return Call(func, tuple(args), name_tok.pos)
