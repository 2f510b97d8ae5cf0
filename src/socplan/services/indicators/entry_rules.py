"""What checking an entered value needs of a form's catalogue, read as a few plain columns (the Excel import of a
20 000-indicator form): limits, formulas, components — the same rules as :class:`IndicatorInfo` gives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, NamedTuple

from sqlalchemy import bindparam, select
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


def _statements(by_codes: bool):  # noqa: ANN202
    """The two selects, by form (and by a list of codes: an «expanding» parameter, so that the statement is built
    once and a chunk's codes are not kept by statement objects)."""
    which = [Indicator.form_id == bindparam("form_id")]
    if by_codes:
        which.append(Indicator.code.in_(bindparam("codes", expanding=True)))
    components = (select(Component.indicator_id, Component.symbol, Component.formula)
                  .join(Indicator, Indicator.id == Component.indicator_id).where(*which)
                  .order_by(Component.indicator_id, Component.sort_order, Component.id))
    indicators = (select(Indicator.id, Indicator.code, Indicator.formula, Indicator.decimals, Indicator.plan_mode,
                         Unit.code, Indicator.unit_name, Indicator.min_value, Indicator.max_value,
                         Indicator.value_kind)
                  .outerjoin(Unit, Unit.id == Indicator.unit_id)
                  .where(*which).order_by(Indicator.sort_order, Indicator.id))
    return components, indicators


_BY_FORM, _BY_CODES = _statements(False), _statements(True)


def entry_rules(session: Session, form: IndicatorForm, codes: Collection[str] | None = None,
                components: bool = True) -> list[EntryRule]:
    """The form's indicators in catalogue order (two Core selects of the needed columns); only those of ``codes``
    when given (the import reads the rules of the rows it is checking, a chunk at a time); ``components=False``:
    the caller knows the form has none (the components' select is skipped)."""
    session.flush()
    conn = session.connection()
    by_components, indicators = _BY_FORM if codes is None else _BY_CODES
    params = {"form_id": form.id} if codes is None else {"form_id": form.id, "codes": list(codes)}
    comps: dict[int, list[ComponentRule]] = {}
    for indicator_id, symbol, formula in conn.execute(by_components, params) if components else ():
        comps.setdefault(indicator_id, []).append(ComponentRule(symbol, formula))
    out = []
    for row in conn.execute(indicators, params):
        id_, code, formula, decimals, plan_mode, unit_code, unit_name, min_value, max_value, value_kind = row
        limits, _unit, share = value_rules(form.code, code, unit_code or "", unit_name, min_value, max_value,
                                           value_kind)
        out.append(EntryRule(id_, code, formula, decimals, plan_mode, limits, share, tuple(comps.get(id_, ()))))
    return out
