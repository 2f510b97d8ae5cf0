"""Methodology as written: the errata register of the source texts, OKEI units of indicators, and the checks
that follow from an indicator's unit and type (shares within 0–100 %, counts not negative, a shortfall needs
«причины недостижения»).

Pure Python (standard library only); the reference data (``resources/reference/methodology_errata.json``,
``resources/reference/okei.json``) is read by the services and handed in as plain dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Mapping, Sequence

from socplan.domain.indicators import HUNDRED, Direction, comment_required

# ------------------------------------------------------------------ errata register


@dataclass(frozen=True)
class Erratum:
    """A contradiction in a source text: the text as printed, the reading the application uses, and why."""

    id: str
    source: str
    printed: str
    applied: str
    why: str
    form: str = ""
    indicator: str = ""
    formula: str = ""  # the evaluable formula the application computes ("" when the reading is not a formula)

    @property
    def note(self) -> str:
        """What the indicator card and the printed reports say next to the computed formula."""
        return f"в тексте методики: {self.printed}"

    def covers(self, form: str, code: str) -> bool:
        return bool(self.form) and self.form == form and code in [c.strip() for c in self.indicator.split(",")]


@dataclass(frozen=True)
class AuditEntry:
    """One formula of seeds 001/003 checked against its legend."""

    form: str
    indicator: str
    printed: str
    result: str
    over_100: bool = False  # a ratio of fact to plan in %, not a share: may exceed 100 %


@dataclass(frozen=True)
class ErrataRegister:
    errata: tuple[Erratum, ...]
    audit: tuple[AuditEntry, ...]

    @classmethod
    def from_dict(cls, data: Mapping) -> ErrataRegister:
        errata = tuple(Erratum(e["id"], e["source"], e["printed"], e["applied"], e["why"], e.get("form", ""),
                               str(e.get("indicator", "")), e.get("formula", "")) for e in data.get("errata", ()))
        audit = tuple(AuditEntry(a["form"], str(a["indicator"]), a["printed"], a["result"], bool(a.get("over_100")))
                      for a in data.get("audit", ()))
        return cls(errata, audit)

    def for_indicator(self, form: str, code: str) -> tuple[Erratum, ...]:
        return self._by_indicator.get((form, code), ())

    def may_exceed_100(self, form: str, code: str) -> bool:
        """A percentage the audit found to be a ratio of fact to plan (РМ 17, 20), not a share of a whole."""
        return (form, code) in self._over_100

    @cached_property
    def _by_indicator(self) -> dict[tuple[str, str], tuple[Erratum, ...]]:
        """(form, indicator code) -> the errata that cover it, in the register's order (read for every indicator
        of every sheet, so looked up rather than scanned)."""
        index: dict[tuple[str, str], tuple[Erratum, ...]] = {}
        for e in self.errata:
            for code in dict.fromkeys(c.strip() for c in e.indicator.split(",")):
                if e.covers(e.form, code):
                    index[(e.form, code)] = index.get((e.form, code), ()) + (e,)
        return index

    @cached_property
    def _over_100(self) -> frozenset[tuple[str, str]]:
        return frozenset((a.form, a.indicator) for a in self.audit if a.over_100)

    def formula_erratum(self, form: str, code: str) -> Erratum | None:
        """The erratum that changes the computed formula of this indicator, if any."""
        return next((e for e in self.for_indicator(form, code) if e.formula), None)


def computed_formula_text(formula_text: str, formula: str, erratum: Erratum | None) -> str:
    """The formula actually computed, in the methodology's notation («D = (A/C) × 100 %»)."""
    if erratum is not None:
        return erratum.applied
    return formula_text or formula


# ------------------------------------------------------------------ OKEI units


@dataclass(frozen=True)
class OkeiUnit:
    """An indicator's unit: OKEI code and name from the classifier, and the unit shown («процентов»)."""

    code: str  # «744»; a ratio of two OKEI units «233/055»; "" when the classifier has none (да/нет)
    name: str  # classifier name: «Процент», «Гигакалория на квадратный метр (233/055)»
    shown: str  # unit as printed in the seed, extraction breakage fixed: «процентов», «Гкал/кв. м»
    note: str = ""


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


@dataclass(frozen=True)
class OkeiClassifier:
    names: Mapping[str, str]  # code -> name
    printed: Mapping[str, tuple[str, str, str]]  # normalised printed unit -> (code, shown, note)

    @classmethod
    def from_dict(cls, data: Mapping) -> OkeiClassifier:
        names = {u["code"]: u["name"] for u in data.get("units", ())}
        printed: dict[str, tuple[str, str, str]] = {}
        for p in data.get("printed", ()):
            for text in p["as_printed"]:
                printed[_norm(text)] = (p["code"], p["shown"], p.get("note", ""))
        return cls(names, printed)

    def name_of(self, code: str) -> str:
        if "/" in code:
            num, den = code.split("/", 1)
            if num in self.names and den in self.names:
                return f"{self.names[num]} / {self.names[den]}"
            return ""
        return self.names.get(code, "")

    def unit_for(self, unit_code: str, printed: str) -> OkeiUnit:
        """The OKEI unit of an indicator from its stored code and its unit as printed («Г кал/кв. м» → 233/055)."""
        found = self.printed.get(_norm(printed)) if printed.strip() else None
        if found is not None:
            code, shown, note = found
            return OkeiUnit(code, self.name_of(code), shown, note)
        if unit_code and unit_code in self.names:
            return OkeiUnit(unit_code, self.names[unit_code], printed or self.names[unit_code].lower())
        return OkeiUnit("", "", printed, "нет в ОКЕИ" if printed.strip() else "")


# ------------------------------------------------------------------ checks that follow from unit and type


def is_share(unit_code: str, unit_name: str) -> bool:
    """A share («доля», unit %) — its value lies within 0–100 %."""
    name = unit_name.strip().casefold()
    return unit_code == "744" or name.startswith("процент") or name == "%"


def computed_share_problem(value: Decimal | None, share: bool, where: str) -> str:
    """A share computed from its components outside 0–100 % (e.g. indicator 1 read as printed: 464,6 %)."""
    if value is None or not share:
        return ""
    if value < 0 or value > HUNDRED:
        shown = format(value, "f").replace(".", ",")
        return (f"{where}: доля по формуле получилась {shown} % — вне 0–100 %. Проверьте компоненты: числитель "
                "не может быть больше знаменателя.")
    return ""


@dataclass(frozen=True)
class ValueProblem:
    """A value that cannot be right, found at entry or import: where it is and why."""

    code: str
    component: str
    kind: str  # plan | fact
    message: str


def sheet_value_problems(rows: Sequence[tuple[str, bool, str]],
                         values: Mapping[tuple[str, str, str], Decimal | None],
                         labels: Mapping[tuple[str, str, str], str] | None = None) -> list[ValueProblem]:
    """Computed shares out of 0–100 % on a sheet. ``rows``: (code, is a share, computed kinds "plan,fact");
    ``values``: (code, "", kind) → computed value; ``labels``: how to name the cell («строка 5, столбец D»)."""
    out = []
    for code, share, kinds in rows:
        for kind in filter(None, kinds.split(",")):
            key = (code, "", kind)
            where = (labels or {}).get(key) or f"Стр. {code} ({'план' if kind == 'plan' else 'факт'})"
            problem = computed_share_problem(values.get(key), share, where)
            if problem:
                out.append(ValueProblem(code, "", kind, problem))
    return out


def shortfall(plan: Decimal | None, fact: Decimal | None, direction: Direction) -> bool:
    """The fact is on the wrong side of the plan for the indicator's type (below for increasing, above for
    decreasing)."""
    if plan is None or fact is None:
        return False
    return fact < plan if direction is Direction.INCREASING else fact > plan


def reason_required(plan: Decimal | None, fact: Decimal | None, direction: Direction,
                    threshold: Decimal) -> bool:
    """«Причины недостижения» are required for any shortfall, whatever the percentage; an over-achievement
    needs an explanation only when it deviates by more than ``threshold`` %."""
    return shortfall(plan, fact, direction) or comment_required(plan, fact, threshold)
