"""Demo data of the plans capability, built from the source documents (files under resources/demo/plans/):
seed 001 (НОК plan 2025–2026), seed 004 (Astrakhan campaign 2017), seed 002 App. 2 (approbation plan),
seed 003 Apps. 4 and 8 (programme events with financing by year and source)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.plans import ControlPoint, Plan, PlanEvent
from socplan.db.models.reference import Organisation
from socplan.resources import resource_path
from socplan.services.plans.calendar import ensure_calendar, load_calendar
from socplan.services.plans.control import generate_control_points
from socplan.services.plans.plans import add_event_in, create_plan_in, renumber
from socplan.services.plans.rows import EventInput, FinancingRow, PlanInput, ResultRow
from socplan.services.reference import get_or_create_organisation, organisation_by_short_name

DEMO_FILES = ("nok_2025_2026.json", "campaign_astrakhan_2017.json", "approbation_omsk_2023.json",
              "programme_2024_2030.json")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_plan_file(session: Session, data: dict) -> Plan:
    """Create one plan (with its organisations, events, control points and execution) from a demo file."""
    for org in data.get("organisations", []):
        parent = organisation_by_short_name(session, org["parent"]) if org.get("parent") else None
        get_or_create_organisation(session, org["full"], org["short"], org.get("kind", "other"), parent)
    approval = data.get("approval") or {}
    plan = create_plan_in(session, PlanInput(
        title=data["title"], year_from=data["year_from"], year_to=data["year_to"], kind=data["kind"],
        owner_short_name=data.get("owner", ""), basis=data.get("basis", ""),
        approval_word=approval.get("word", ""), approval_position=approval.get("position", ""),
        approval_name=approval.get("name", ""), approval_date=_date(approval.get("date")),
        reporting=data.get("reporting", "quarterly")), create_owner=True)
    by_number: dict[str, PlanEvent] = {}
    for e in data["events"]:
        parent_number = e["number"].rpartition(".")[0]
        financing = tuple(FinancingRow(f["source"], f["year"], Decimal(f["amount"])) for f in e.get("financing", []))
        results = tuple(ResultRow(r["name"], r["unit"], tuple((int(y), Decimal(v)) for y, v in r["values"].items()))
                        for r in e.get("results", []))
        event = add_event_in(session, plan, EventInput(
            text=e["text"], form=e.get("form", ""), deadline_text=e.get("deadline", ""),
            executors=tuple(e.get("executors", ())), controllers=tuple(e.get("controllers", ())),
            executors_text=e.get("executors_text", ""), financing=financing, results=results),
            by_number.get(parent_number), create_orgs=True, renumber_now=False)
        session.flush()
        by_number[e["number"]] = event
    renumber(session, plan)
    status = data.get("status", "draft")
    if status in ("approved", "executed"):
        plan.status = "approved"
        session.flush()
        generate_control_points(session, plan, calendar=load_calendar(session))
        plan.status = status
    for x in data.get("execution", []):
        event = by_number[x["event"]]
        point = session.scalars(select(ControlPoint).where(ControlPoint.event_id == event.id,
                                                           ControlPoint.original_due_date == _date(x["due"]))).one()
        point.status = x["status"]
        point.info = x.get("info", "")
        point.reported_on = _date(x.get("reported_on"))
        if x.get("new_due"):
            point.due_date = _date(x["new_due"])
        if x.get("reporter"):
            point.reporter = session.scalars(select(Organisation).where(
                Organisation.short_name == x["reporter"])).one()
    session.flush()
    return plan


def load_demo(session: Session) -> None:
    """Fill the plans tables from resources/demo/plans/ (reference data is already loaded)."""
    ensure_calendar(session)
    for name in DEMO_FILES:
        data = json.loads(resource_path("demo", "plans", name).read_text(encoding="utf-8"))
        load_plan_file(session, data)
