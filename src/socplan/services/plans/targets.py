"""The section «1. Целевые показатели реализации Плана» of a printed plan (seed 001): the plan's target
indicators — kept as an indicator form whose source document is the plan — with their facts before the plan's
years and the planned values for each year of the plan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.plans import Plan
from socplan.domain.indicators import Period
from socplan.formatting import format_number

#: «(далее – Министерство)» and the like: left out when a plan's title is compared with a form's source
_DEFINED = re.compile(r"\(\s*далее\s*[–-][^()]*\)", re.IGNORECASE)
#: how many years of facts before the plan the seed prints («2023 г. (факт)», «2024 г. (факт)»)
FACT_YEARS = 2


@dataclass(frozen=True)
class TargetsSection:
    header: tuple[str, ...]  # «№», «Целевые показатели», «2023 г. (факт)», …, «2025 г.», «2026 г.»
    rows: tuple[tuple[str, ...], ...]
    bold_rows: tuple[int, ...] = ()


def _plain(value: str) -> str:
    return " ".join(_DEFINED.sub(" ", value or "").replace("\u00a0", " ").split()).casefold()


def targets_form(session: Session, plan: Plan) -> IndicatorForm | None:
    """The indicator form that holds this plan's targets: its source document is the plan (same title)."""
    title = _plain(plan.title)
    if not title:
        return None
    for form in session.scalars(select(IndicatorForm).order_by(IndicatorForm.sort_order, IndicatorForm.id)):
        if _plain(form.source_document).startswith(title):
            return form
    return None


def targets_section(session: Session, plan: Plan) -> TargetsSection | None:
    """Seed 001 section 1: one row per indicator (its name carries the unit, as in the seed), facts of the two
    years before the plan, planned values of each year of the plan; «-» where there is no value."""
    from socplan.services.indicators.analysis import sheet_computed
    from socplan.services.indicators.common import territory_by, values_for

    form = targets_form(session, plan)
    if form is None or not form.indicators:
        return None
    territory = territory_by(session, "Омская область")
    years = [(y, "fact") for y in range(plan.year_from - FACT_YEARS, plan.year_from)]
    years += [(y, "plan") for y in range(plan.year_from, plan.year_to + 1)]
    columns: list[dict[str, str]] = []
    for year, kind in years:
        period = Period(year)
        stored = values_for(session, form, [territory.id], period)[territory.id]
        computed = sheet_computed(session, form, territory, period)
        cells: dict[str, str] = {}
        for ind in form.indicators:
            found = computed.get((ind.code, "", kind))
            value = found.value if found is not None else None
            if value is None:
                continue
            qualifier = stored[(ind.code, "", kind)].qualifier if (ind.code, "", kind) in stored else ""
            cells[ind.code] = (f"{qualifier}\u00a0" if qualifier else "") + _value(value, ind.decimals, ind.value_kind)
        columns.append(cells)
    header = ("№", "Целевые показатели") + tuple(f"{y} г. (факт)" if kind == "fact" else f"{y} г." for y, kind in years)
    rows = tuple((ind.code, ind.name) + tuple(col.get(ind.code, "-") for col in columns) for ind in form.indicators)
    return TargetsSection(header, rows)


def _value(value: Decimal, decimals: int, kind: str) -> str:
    if kind == "yesno":
        return "да" if value else "нет"
    return format_number(value, decimals)


__all__ = ["TargetsSection", "targets_form", "targets_section"]
