"""One calculation of a selection round: the procedure's distribution plus efficiency and clawback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from socplan.domain.errors import ValidationError, ValidationErrors
from socplan.domain.subsidies.app12 import Efficiency12, Result12, Round12, clawback_app12, efficiency_app12
from socplan.domain.subsidies.app12_calc import calculate_app12
from socplan.domain.subsidies.app13 import Efficiency13, Result13, Round13, calculate_app13, clawback_app13, efficiency_app13
from socplan.domain.subsidies.common import APP12, APP13, PROCEDURES, EventClawback, EventOutcome
from socplan.domain.subsidies.trace import Trace, total


@dataclass(frozen=True)
class RoundInfo:
    """What the protocol says about the round besides the numbers."""

    procedure: str
    year: int
    title: str = ""
    applications_deadline: dt.date | None = None
    selection_date: dt.date | None = None
    commission: tuple[str, ...] = ()

    @property
    def procedure_label(self) -> str:
        return PROCEDURES.get(self.procedure, self.procedure)


@dataclass(frozen=True)
class RoundInput:
    info: RoundInfo
    app12: Round12 | None = None
    app13: Round13 | None = None
    outcomes: tuple[EventOutcome, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Calculation:
    info: RoundInfo
    result12: Result12 | None
    result13: Result13 | None
    efficiency12: tuple[Efficiency12, ...]
    efficiency13: tuple[Efficiency13, ...]
    clawbacks: tuple[EventClawback, ...]
    trace: Trace
    source: RoundInput | None = None  # the input the calculation ran on (for the protocol's input tables)

    @property
    def applications(self) -> tuple:
        rnd = self.source.app12 or self.source.app13 if self.source else None
        return tuple(rnd.applications) if rnd else ()

    @property
    def limit_rates(self) -> dict[str, Decimal]:
        rnd = self.source.app12 or self.source.app13 if self.source else None
        return dict(rnd.limit_rates) if rnd else {}

    @property
    def budget(self) -> Decimal:
        return self.result12.budget if self.result12 else self.result13.budget  # type: ignore[union-attr]

    @property
    def allocated(self) -> Decimal:
        return self.result12.allocated if self.result12 else self.result13.allocated  # type: ignore[union-attr]

    @property
    def unallocated(self) -> Decimal:
        return self.result12.unallocated if self.result12 else self.result13.unallocated  # type: ignore[union-attr]

    def amounts(self) -> dict[str, Decimal]:
        """Final subsidy per municipality that passed selection."""
        if self.result12:
            return {m.municipality: m.allocation.final_total for m in self.result12.municipalities if m.allocation}
        return {m.municipality: m.allocation.amount for m in self.result13.municipalities if m.allocation}  # type: ignore[union-attr]

    def clawback_totals(self) -> dict[str, Decimal]:
        """App. 12/13 §20: the total to return is the sum over events."""
        out: dict[str, Decimal] = {}
        for c in self.clawbacks:
            out[c.municipality] = out.get(c.municipality, Decimal("0.00")) + c.amount
        return out


def calculate(inp: RoundInput) -> Calculation:
    """Run the round's procedure (App. 12 or 13), then efficiency and clawback for the outcomes entered."""
    if inp.info.procedure == APP12 and inp.app12 is not None:
        r12 = calculate_app12(inp.app12)
        trace = r12.trace
        eff12 = tuple(efficiency_app12(o.municipality, r.planned, r.actual, trace)  # type: ignore[arg-type]
                      for o in sorted(inp.outcomes, key=lambda o: (o.municipality, o.event)) for r in o.results
                      if r.actual is not None)
        claw = tuple(clawback_app12(inp.outcomes, trace)) if inp.outcomes else ()
        return Calculation(inp.info, r12, None, eff12, (), claw, trace, inp)
    if inp.info.procedure == APP13 and inp.app13 is not None:
        r13 = calculate_app13(inp.app13)
        trace = r13.trace
        eff13: list[Efficiency13] = []
        for o in sorted(inp.outcomes, key=lambda o: (o.municipality, o.event)):
            eff13 += efficiency_app13(o.municipality, [r for r in o.results if r.actual is not None], trace)
        claw = tuple(clawback_app13(inp.outcomes, trace)) if inp.outcomes else ()
        return Calculation(inp.info, None, r13, (), tuple(eff13), claw, trace, inp)
    raise ValidationErrors([ValidationError("procedure", "Порядок отбора не указан или не подходит: укажите "
                                                         "«app12» (Приложение № 12) или «app13» (Приложение № 13).")])


__all__ = ["Calculation", "RoundInfo", "RoundInput", "calculate", "total"]
