"""The calculation trace (every intermediate value with its clause) and the shared rounding rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Iterable, Mapping

RUBLE = Decimal("1")
KOPECK = Decimal("0.01")
#: Precision of intermediate quotients; results are rounded explicitly afterwards.
PRECISION = 60
NBSP = "\u00a0"


def exact_div(a: Decimal, b: Decimal) -> Decimal:
    """a / b with 60 significant digits (intermediate value, never shown unrounded as money)."""
    with localcontext() as c:
        c.prec = PRECISION
        return Decimal(a) / Decimal(b)


def round_half_up(value: Decimal, quantum: Decimal) -> Decimal:
    with localcontext() as c:
        c.prec = PRECISION
        return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def round_down(value: Decimal, quantum: Decimal) -> Decimal:
    with localcontext() as c:
        c.prec = PRECISION
        return Decimal(value).quantize(quantum, rounding=ROUND_DOWN)


def ru(value: Any, places: int | None = None) -> str:
    """Russian-style number for formulas in the trace: «1 234 567,89» (NBSP groups, decimal comma)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if not isinstance(value, (Decimal, int)):
        return str(value)
    d = Decimal(value)
    if places is not None:
        d = round_half_up(d, Decimal(1).scaleb(-places))
    else:
        d = d.normalize() if d == d.to_integral_value() else d
        if d.as_tuple().exponent < -10:  # long quotients: 10 significant decimals are enough to read
            d = round_half_up(d, Decimal("1e-10")).normalize()
    sign = "-" if d < 0 else ""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = NBSP.join(groups)
    return sign + out + ("," + frac if frac else "")


def pct(rate: Decimal | None, places: int = 2) -> str:
    """A fraction shown as percent: 0,8712 → «87,12 %»."""
    if rate is None:
        return "—"
    return ru(round_half_up(Decimal(rate) * 100, Decimal(1).scaleb(-places)).normalize(), None) + NBSP + "%"


@dataclass(frozen=True)
class Step:
    """One intermediate value: the clause it comes from, what it is, the formula with numbers, the value."""

    clause: str
    what: str
    value: Any
    municipality: str = ""
    formula: str = ""
    note: str = ""


@dataclass
class Trace:
    steps: list[Step] = field(default_factory=list)

    def add(self, clause: str, what: str, value: Any, *, municipality: str = "", formula: str = "",
            note: str = "") -> Any:
        self.steps.append(Step(clause, what, value, municipality, formula, note))
        return value

    def for_municipality(self, name: str) -> list[Step]:
        return [s for s in self.steps if s.municipality == name]


def take_back_to_fit(amounts: Mapping[str, Decimal], exact: Mapping[str, Decimal], total: Decimal,
                     quantum: Decimal) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The take-back rule (docs/subsidy-rules.md): only while Σ amounts exceeds ``total``, take one ``quantum``
    from the amount that stands furthest above its exact (unrounded) value — largest ``amount − exact`` first,
    ties by name — each amount at most once per pass, never below zero.

    ``amounts`` are the rounded amounts after any caps; nothing is taken back when they already fit.
    Returns (amounts, taken back per name). The order of ``amounts`` does not matter.
    """
    out = {k: Decimal(v) for k, v in amounts.items()}
    taken = {k: Decimal(0) for k in amounts}
    excess = sum(out.values(), Decimal(0)) - Decimal(total)
    if excess <= 0:
        return out, taken
    steps = int((excess / quantum).to_integral_value(rounding=ROUND_CEILING))
    while steps > 0:
        order = sorted((k for k in out if out[k] >= quantum), key=lambda k: (-(out[k] + taken[k] - exact[k]), k))
        if not order:  # nothing left to take from (cannot happen when Σ exact ≤ total)
            break
        for name in order[:steps]:
            out[name] -= quantum
            taken[name] += quantum
            steps -= 1
    return out, taken


def round_within_total(raw: Mapping[str, Decimal], total: Decimal, quantum: Decimal
                       ) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Round each amount half-up to ``quantum``; if the rounded sum exceeds ``total``, take one quantum back
    from the amounts with the largest rounding-up (ties: by name) until the sum fits (:func:`take_back_to_fit`).

    Returns (rounded amounts, taken back per name). The order of ``raw`` does not matter.
    """
    return take_back_to_fit({k: round_half_up(v, quantum) for k, v in raw.items()}, raw, total, quantum)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
