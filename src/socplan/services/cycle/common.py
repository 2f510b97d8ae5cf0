"""Shared pieces of the cycle services: the scope (form × territory × period) and the journal of steps."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import CycleStep
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.indicators import Period
from socplan.services.context import AppContext
from socplan.services.cycle import clock


def scope_filter(model, form_id: int, territory_id: int, period: Period):  # noqa: ANN001, ANN201
    return (model.form_id == form_id, model.territory_id == territory_id, model.year == period.year,
            model.period_kind == period.kind, model.period_no == period.number)


def scope_values(form: IndicatorForm, territory: Territory, period: Period) -> dict:
    return {"form_id": form.id, "territory_id": territory.id, "year": period.year, "period_kind": period.kind,
            "period_no": period.number}


def record_step(s: Session, ctx: AppContext, form: IndicatorForm, territory: Territory, period: Period,
                old: str, new: str, note: str = "") -> CycleStep:
    step = CycleStep(**scope_values(form, territory, period), from_state=old, to_state=new, at=clock.now(),
                     user_name=ctx.user.name, note=note)
    s.add(step)
    return step


def steps_of(s: Session, form: IndicatorForm, territory: Territory, period: Period) -> list[CycleStep]:
    return list(s.scalars(select(CycleStep).where(*scope_filter(CycleStep, form.id, territory.id, period))
                          .order_by(CycleStep.at, CycleStep.id)))
