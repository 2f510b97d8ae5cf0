"""The one safe expression evaluator for indicator methodologies and control ratios (no ``eval``).

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
from functools import lru_cache
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from typing import Callable, Iterable, Mapping

NOT_COMPUTABLE = "не рассчитывается"


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


# ------------------------------------------------------------------ evaluation

@dataclass(frozen=True)
class FormulaValue:
    """A computed value, or ``None`` with the reason it is «не рассчитывается»."""

    value: Decimal | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None

    def text(self) -> str:
        return f"{NOT_COMPUTABLE}: {self.reason}" if self.value is None else format(self.value, "f")


class NotComputable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


#: name -> value (None when the component has no value); refs -> value
NameResolver = Callable[[str], "Decimal | None"]
RefResolver = Callable[[Reference], "Decimal | None"]


def _walk(node: object, names: set[str], refs: list[Reference]) -> None:
    if isinstance(node, Name):
        names.add(node.name)
    elif isinstance(node, Ref):
        refs.append(node.ref)
    elif isinstance(node, Unary):
        _walk(node.operand, names, refs)
    elif isinstance(node, Binary):
        _walk(node.left, names, refs)
        _walk(node.right, names, refs)
    elif isinstance(node, Call):
        for arg in node.args:
            _walk(arg, names, refs)


@dataclass(frozen=True)
class Formula:
    """A parsed formula: ``Formula.parse("В / А × 100 %").evaluate(names={"В": …, "А": …})``."""

    text: str
    tree: object = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()
    refs: tuple[Reference, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Formula:
        tree = _Parser(text or "").parse()
        names: set[str] = set()
        refs: list[Reference] = []
        _walk(tree, names, refs)
        return cls(text=text, tree=tree, names=frozenset(names), refs=tuple(refs))

    def evaluate(self, names: Mapping[str, Decimal | None] | NameResolver | None = None,
                 refs: Mapping[str, Decimal | None] | RefResolver | None = None) -> FormulaValue:
        """Evaluate; a missing value, a division by zero or a cycle gives ``FormulaValue(None, reason)``."""
        name_fn = _as_resolver(names, "компонента", lambda key: key)
        ref_fn = _as_resolver(refs, "показателя", lambda ref: ref.key())
        try:
            with localcontext() as ctx:
                ctx.prec = 34
                ctx.traps[DivisionByZero] = True
                ctx.traps[InvalidOperation] = True
                value = _eval(self.tree, name_fn, ref_fn)
        except NotComputable as exc:
            return FormulaValue(None, exc.reason)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return FormulaValue(None, "деление на ноль")
        return FormulaValue(value)


def _as_resolver(source, what: str, key_of):  # noqa: ANN001, ANN202
    if source is None:
        def missing(key):  # noqa: ANN001, ANN202
            raise NotComputable(f"нет значения {what} «{key_of(key)}»")
        return missing
    if callable(source):
        def call(key):  # noqa: ANN001, ANN202
            value = source(key)
            if value is None:
                raise NotComputable(f"нет значения {what} «{key_of(key)}»")
            return value
        return call

    def lookup(key):  # noqa: ANN001, ANN202
        value = source.get(key_of(key))
        if value is None:
            raise NotComputable(f"нет значения {what} «{key_of(key)}»")
        return value
    return lookup


def _eval(node: object, name_fn, ref_fn) -> Decimal:  # noqa: ANN001
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return Decimal(name_fn(node.name))
    if isinstance(node, Ref):
        return Decimal(ref_fn(node.ref))
    if isinstance(node, Unary):
        value = _eval(node.operand, name_fn, ref_fn)
        return -value if node.op == "-" else value
    if isinstance(node, Binary):
        left = _eval(node.left, name_fn, ref_fn)
        right = _eval(node.right, name_fn, ref_fn)
        op = node.op
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            if right == 0:
                raise NotComputable("деление на ноль" + _divisor_hint(node.right))
            return left / right
        result = {"=": left == right, "≠": left != right, "<": left < right, "≤": left <= right,
                  ">": left > right, "≥": left >= right}[op]
        return Decimal(1) if result else Decimal(0)
    if isinstance(node, Call):
        if node.func == "if":
            condition = _eval(node.args[0], name_fn, ref_fn)
            return _eval(node.args[1] if condition != 0 else node.args[2], name_fn, ref_fn)
        values = [_eval(arg, name_fn, ref_fn) for arg in node.args]
        if node.func == "sum":
            return sum(values, Decimal(0))
        if node.func == "min":
            return min(values)
        if node.func == "max":
            return max(values)
        if node.func == "abs":
            return abs(values[0])
        if node.func == "round":
            places = values[1] if len(values) > 1 else Decimal(0)
            if places != places.to_integral_value():
                raise NotComputable("число знаков в round() должно быть целым")
            return round_half_up(values[0], int(places))
    raise NotComputable("неизвестный элемент формулы")  # pragma: no cover


def _divisor_hint(node: object) -> str:
    if isinstance(node, Name):
        return f" (значение «{node.name}» равно 0)"
    if isinstance(node, Ref):
        return f" (значение показателя {node.ref.key()} равно 0)"
    return ""


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """Rounding rule of the methodologies: half away from zero to ``decimals`` places (64,38… → 64,4)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)
def parse_cached(text: str) -> Formula:
    """``Formula.parse`` with a cache: recalculating a sheet on every keystroke parses nothing twice."""
    return Formula.parse(text)


# ------------------------------------------------------------------ definitions and cycles

@dataclass
class FormulaSet:
    """Named definitions evaluated together: components with their own formula (Appendix 1 №5:
    «D = D1 + D2») and indicators computed from other indicators (seed 001: «стр.2/стр.1*100»).

    ``values`` hold entered values; ``formulas`` hold definitions by name (component symbol or indicator
    code). A definition wins over an entered value. Cycles are reported, never followed.
    """

    formulas: dict[str, Formula] = field(default_factory=dict)
    values: dict[str, Decimal | None] = field(default_factory=dict)
    ref_fallback: RefResolver | None = None

    def value(self, key: str) -> FormulaValue:
        return self._value(key, ())

    def _value(self, key: str, stack: tuple[str, ...]) -> FormulaValue:
        if key in stack:
            return FormulaValue(None, "циклическая ссылка: " + " → ".join(stack[stack.index(key):] + (key,)))
        formula = self.formulas.get(key)
        if formula is None:
            value = self.values.get(key)
            if value is not None:
                return FormulaValue(value)
            if "|" in key:
                return FormulaValue(None, f"нет значения компонента «{key.split('|', 1)[1]}»")
            return FormulaValue(None, f"нет значения показателя {key}")
        inner = stack + (key,)

        def resolve_name(name: str) -> Decimal | None:
            return self._resolve(name, inner)

        def resolve_ref(ref: Reference) -> Decimal | None:
            if ref.year is None and not ref.year_offset and not ref.kind and (ref.key() in self.formulas
                                                                              or ref.key() in self.values):
                return self._resolve(ref.key(), inner)
            if self.ref_fallback is not None:
                return self.ref_fallback(ref)
            raise NotComputable(f"нет значения показателя «{ref.key()}»")

        return formula.evaluate(resolve_name, resolve_ref)

    def _resolve(self, key: str, stack: tuple[str, ...]) -> Decimal | None:
        result = self._value(key, stack)
        if result.value is None:
            raise NotComputable(result.reason)
        return result.value


def dependencies(formulas: Mapping[str, Formula]) -> dict[str, set[str]]:
    """Which definitions each definition uses (names and same-period references)."""
    deps: dict[str, set[str]] = {}
    for key, formula in formulas.items():
        used = {n for n in formula.names} | {r.key() for r in formula.refs if r.year is None and not r.year_offset}
        deps[key] = used
    return deps


def find_cycle(deps: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle in the dependency graph as a path ``[a, b, a]``, or None (iterative DFS)."""
    white, grey, black = 0, 1, 2
    colour = {k: white for k in deps}
    for start in deps:
        if colour[start] != white:
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(deps.get(start, ())))]
        path = [start]
        colour[start] = grey
        while stack:
            node, children = stack[-1]
            advanced = False
            for child in children:
                if child not in deps:
                    continue
                if colour[child] == grey:
                    return path[path.index(child):] + [child]
                if colour[child] == white:
                    colour[child] = grey
                    stack.append((child, iter(deps.get(child, ()))))
                    path.append(child)
                    advanced = True
                    break
            if not advanced:
                colour[node] = black
                stack.pop()
                path.pop()
    return None


def cycle_message(cycle: list[str]) -> str:
    if len(cycle) == 2:
        return f"Формула «{cycle[0]}» ссылается сама на себя. Уберите эту ссылку."
    return "Формулы ссылаются друг на друга по кругу: " + " → ".join(cycle) + ". Разорвите цикл."
