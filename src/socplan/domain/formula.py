"""The one safe expression evaluator for indicator methodologies and control ratios (no ``eval``): a parsed
:class:`Formula` evaluated with exact ``Decimal`` arithmetic, and sets of formulas with their cycles.

The grammar, the references and the parser are in :mod:`socplan.domain.formula_syntax` (re-exported here).
A value that cannot be computed — division by zero, a missing component, a cyclic reference — gives a
:class:`FormulaValue` with ``value=None`` and the reason («не рассчитывается: …»), never a crash and never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from functools import lru_cache
from typing import Callable, Iterable, Mapping

from socplan.domain.formula_syntax import (FUNCTIONS, Binary, Call, FormulaError, Name, Num, Ref,
                                           Reference, Token, Unary, _Parser, parse_reference, tokenize)

__all__ = ["FUNCTIONS", "NOT_COMPUTABLE", "Binary", "Call", "Formula", "FormulaError", "FormulaSet", "FormulaValue",
           "Name", "NotComputable", "Num", "Ref", "Reference", "Token", "Unary", "cycle_message", "dependencies",
           "find_cycle", "parse_cached", "parse_reference", "round_half_up", "tokenize"]

NOT_COMPUTABLE = "не рассчитывается"


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
