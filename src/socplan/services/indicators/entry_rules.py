"""What checking an entered value needs of a form's catalogue, read as a few plain columns (the Excel import of a
20 000-indicator form): limits, formulas, components — the same rules as :class:`IndicatorInfo` gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.indicators import Component, Indicator, IndicatorForm
from socplan.db.models.reference import Unit
from socplan.domain.indicators import IndicatorDef, ValueLimits
from socplan.services.indicators.common import value_rules


class ComponentRule(NamedTuple):
    symbol: str
    formula: str  # "" — entered


@dataclass(frozen=True, slots=True)
class EntryRule:
    id: int
    code: str
    formula: str
    decimals: int
    plan_mode: str
    limits: ValueLimits
    share: bool
    components: tuple[ComponentRule, ...]

    def definition(self) -> IndicatorDef:  # as IndicatorInfo.definition
        return IndicatorDef(self.code, self.formula, {c.symbol: c.formula for c in self.components}, self.decimals,
                            self.plan_mode)


def entry_rules(session: Session, form: IndicatorForm) -> list[EntryRule]:
    """The form's indicators in catalogue order (two Core selects of the needed columns)."""
    session.flush()
    conn = session.connection()
    comps: dict[int, list[ComponentRule]] = {}
    for indicator_id, symbol, formula in conn.execute(
            select(Component.indicator_id, Component.symbol, Component.formula)
            .join(Indicator, Indicator.id == Component.indicator_id).where(Indicator.form_id == form.id)
            .order_by(Component.indicator_id, Component.sort_order, Component.id)):
        comps.setdefault(indicator_id, []).append(ComponentRule(symbol, formula))
    out = []
    for row in conn.execute(select(Indicator.id, Indicator.code, Indicator.formula, Indicator.decimals,
                                   Indicator.plan_mode, Unit.code, Indicator.unit_name, Indicator.min_value,
                                   Indicator.max_value, Indicator.value_kind)
                            .outerjoin(Unit, Unit.id == Indicator.unit_id)
                            .where(Indicator.form_id == form.id).order_by(Indicator.sort_order, Indicator.id)):
        id_, code, formula, decimals, plan_mode, unit_code, unit_name, min_value, max_value, value_kind = row
        limits, _unit, share = value_rules(form.code, code, unit_code or "", unit_name, min_value, max_value,
                                           value_kind)
        out.append(EntryRule(id_, code, formula, decimals, plan_mode, limits, share, tuple(comps.get(id_, ()))))
    return out
