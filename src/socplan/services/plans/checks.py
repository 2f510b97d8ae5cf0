"""Control ratios of events' financing (seed 003 Apps. 2–10): total over the period = sum of the years,
sum of the sources = «Всего». Called by ``socplan check``."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.plans import Plan, PlanEvent, PlanEventFinancing
from socplan.domain.control_ratios import Violation
from socplan.domain.plans import FinancingCell, financing_violations


def control_ratio_violations(session: Session) -> list[Violation]:
    """Every broken financing ratio of every plan event, «План …, мероприятие N» as the place."""
    rows = session.execute(
        select(Plan.title, Plan.revision, PlanEvent.id, PlanEvent.number, PlanEventFinancing.source,
               PlanEventFinancing.year, PlanEventFinancing.amount)
        .join(PlanEvent, PlanEvent.plan_id == Plan.id).join(PlanEventFinancing, PlanEventFinancing.event_id == PlanEvent.id)
        .order_by(Plan.id, PlanEvent.sort_key)).all()
    cells: dict[int, list[FinancingCell]] = {}
    where: dict[int, str] = {}
    for title, revision, event_id, number, source, year, amount in rows:
        cells.setdefault(event_id, []).append(FinancingCell(source, year, amount))
        short = title if len(title) <= 60 else title[:59] + "…"
        where[event_id] = f"План «{short}» (ред. {revision}), мероприятие {number}"
    out: list[Violation] = []
    for event_id, items in cells.items():
        out.extend(financing_violations(where[event_id], items))
    return out
