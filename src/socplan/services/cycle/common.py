"""Shared pieces of the cycle services: the scope (form × territory × period), the journal of steps and the district's
requests the Ministry decides (продление срока сдачи, открытие принятой формы)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.cycle import CycleStep
from socplan.db.models.indicators import IndicatorForm
from socplan.db.models.reference import Territory
from socplan.domain.errors import ConflictError, NotFoundError
from socplan.domain.indicators import Period
from socplan.services.context import AppContext
from socplan.services.cycle import clock

#: the states of a district's request
STATUS_LABELS = {"pending": "на рассмотрении", "granted": "разрешено", "refused": "отказано"}


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


def pending_request(s: Session, model, request_id: int, what: str):  # noqa: ANN001, ANN201
    """The request ``request_id`` still waiting for the Ministry's decision; ``what``: «на продление» …"""
    request = s.get(model, request_id)
    if request is None:
        raise NotFoundError(f"Запрос {what} № {request_id} не найден.")
    if request.status != "pending":
        raise ConflictError(f"Запрос № {request_id} уже рассмотрен: {STATUS_LABELS[request.status]}.")
    return request


def listed_requests(s: Session, ctx: AppContext, model, pending_only: bool) -> list[tuple]:
    """(request, form code, territory name) in the order they were made; a district user sees its own only."""
    stmt = (select(model, IndicatorForm.code, Territory.name)
            .join(IndicatorForm, IndicatorForm.id == model.form_id)
            .join(Territory, Territory.id == model.territory_id)
            .order_by(model.requested_at, model.id))
    if pending_only:
        stmt = stmt.where(model.status == "pending")
    if ctx.user.territory_id is not None:
        stmt = stmt.where(model.territory_id == ctx.user.territory_id)
    return list(s.execute(stmt))
