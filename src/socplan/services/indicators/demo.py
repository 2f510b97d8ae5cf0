"""Demo data of the indicators capability, built from the source documents (files under resources/demo/indicators/).

* ``programme.json`` — the state programme of seed 003: passport, financing table by year and source,
  its 18 indicators (level, unit, base value and year, values by year, responsible) with the methodology
  of Appendix 1 (formulas and components);
* ``forms.json`` — the НОК target indicators of seed 001 and the effectiveness indicators of seed 002;
* ``values.csv`` — demo values by territory (districts' 2024 reports) and the passport's plans;
* ``states.csv`` — states of the districts' forms.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from socplan.db.audit import write_audit
from socplan.db.models.indicators import (Component, ControlRatioRule, FinancingAmount, FinancingLine, FormSubmission,
                                          Indicator, IndicatorForm, IndicatorValue, StateProgramme)
from socplan.db.models.reference import Organisation, Territory, Unit
from socplan.resources import resource_path


def _read_json(name: str):  # noqa: ANN202
    return json.loads(resource_path("demo", "indicators", name).read_text(encoding="utf-8"))


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(resource_path("demo", "indicators", name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _indicator(form: IndicatorForm, data: dict, order: int, units: dict[str, Unit],
               orgs: dict[str, Organisation]) -> Indicator:
    ind = Indicator(
        form=form, code=data["code"], parent_code=data.get("parent_code", ""), sort_order=order, name=data["name"],
        goal=data.get("goal", ""), level=data.get("level", ""), indicator_type=data.get("indicator_type", ""),
        unit=units.get(data.get("unit_code", "")), unit_name=data.get("unit", ""),
        direction=data.get("direction", "increasing"), decimals=int(data.get("decimals", 1)),
        value_kind=data.get("value_kind", "number"),
        base_value=Decimal(data["base_value"]) if data.get("base_value") else None,
        base_year=data.get("base_year"), source_document=data.get("source_document", ""),
        responsible=orgs.get(data.get("responsible", "")), responsible_text=data.get("responsible_text", ""),
        national_goal=data.get("national_goal", ""), consolidation=data.get("consolidation", "sum"),
        formula=data.get("formula", ""), formula_text=data.get("formula_text", ""),
        methodology=data.get("methodology", ""), data_source=data.get("data_source", ""),
        plan_mode=data.get("plan_mode", "entered"),
    )
    for n, c in enumerate(data.get("components", [])):
        ind.components.append(Component(symbol=c["symbol"], description=c["description"], unit_name=c.get("unit", ""),
                                        data_source=c.get("data_source", ""), formula=c.get("formula", ""),
                                        sort_order=n))
    return ind


def load_catalogue(session: Session) -> dict[str, IndicatorForm]:
    """The indicator catalogue of the methodologies, without any values: the state programme (seed 003) with
    its indicators, formulas and components, the forms of seeds 001 and 002, their control ratios.
    A working database starts with it (``db init``); the demo adds values on top."""
    units = {u.code: u for u in session.scalars(select(Unit))}
    orgs = {o.short_name: o for o in session.scalars(select(Organisation))}

    data = _read_json("programme.json")
    programme = StateProgramme(
        code=data["code"], name=data["name"], approved_by=data["approved_by"], period_from=data["period_from"],
        period_to=data["period_to"], curator=data["curator"], responsible_executor=data["responsible_executor"],
        co_executors=data["co_executors"], goals="\n".join(data["goals"]), subprogrammes="\n".join(data["subprogrammes"]),
        national_goals=data["national_goals"], total_financing=Decimal(data["total_financing"]),
        responsible=orgs.get(data["responsible"]),
    )
    for n, line in enumerate(data["financing"]):
        fl = FinancingLine(line_no=n, code=line["code"], name=line["name"], parent_code=line["parent"],
                           for_reference=line["for_reference"], total=Decimal(line["total"]))
        for year, amount in line["years"].items():
            fl.amounts.append(FinancingAmount(year=int(year), amount=Decimal(amount)))
        programme.financing_lines.append(fl)
    session.add(programme)
    form_data = data["form"]
    forms: dict[str, IndicatorForm] = {}
    gp = IndicatorForm(code=form_data["code"], name=form_data["name"], source_document=form_data["source_document"],
                       programme=programme, territorial=True, sort_order=0)
    for n, ind in enumerate(data["indicators"]):
        _indicator(gp, ind, n, units, orgs)
    session.add(gp)
    forms[gp.code] = gp

    for order, fd in enumerate(_read_json("forms.json"), start=1):
        form = IndicatorForm(code=fd["code"], name=fd["name"], source_document=fd["source_document"],
                             territorial=fd["territorial"], sort_order=order)
        for n, ind in enumerate(fd["indicators"]):
            _indicator(form, ind, n, units, orgs)
        for rule in fd.get("rules", []):
            session.add(ControlRatioRule(code=rule["code"], title=rule["title"], left=rule["left"],
                                         op=rule["op"], right=rule["right"], severity=rule["severity"]))
        session.add(form)
        forms[form.code] = form
    session.flush()
    for rule in session.scalars(select(ControlRatioRule)):
        rule.form_id = forms[rule.code.split(".")[0]].id
    return forms


def load_demo(session: Session) -> None:
    """Fill the indicators tables from resources/demo/indicators/ (reference data is already loaded)."""
    territories = {t.name: t for t in session.scalars(select(Territory))}
    forms = load_catalogue(session)
    by_code = {(f.code, i.code): i for f in forms.values() for i in f.indicators}

    value_rows: list[dict] = []
    for fd in _read_json("forms.json"):
        owner = territories[fd.get("territory", "Омская область")]
        for ind in fd["indicators"]:
            indicator = by_code[(fd["code"], ind["code"])]
            for key, cell in ind.get("values", {}).items():
                kind, year = key.split(":")
                value_rows.append({"_ind": indicator, "component": "", "territory_id": owner.id, "year": int(year),
                                   "kind": kind, "value": Decimal(cell["value"]), "qualifier": cell["qualifier"]})
    comments: dict[tuple, str] = {}
    for row in _read_csv("values.csv"):
        ind = by_code[(row["form"], row["indicator"])]
        territory = territories[row["territory"]]
        if row["comment"] and row["component"]:
            comments[(ind.id, territory.id, int(row["year"]), row["kind"])] = row["comment"]
        value_rows.append({"_ind": ind, "component": row["component"], "territory_id": territory.id,
                           "year": int(row["year"]), "kind": row["kind"], "value": Decimal(row["value"]),
                           "comment": "" if row["component"] else row["comment"]})
    plain = []
    for row in value_rows:
        ind = row.pop("_ind")
        plain.append({"indicator_id": ind.id, "period_kind": "year", "period_no": 0, "qualifier": "",
                      "comment": "", **row})
    for (ind_id, terr_id, year, kind), comment in comments.items():
        plain.append({"indicator_id": ind_id, "component": "", "territory_id": terr_id, "year": year,
                      "period_kind": "year", "period_no": 0, "kind": kind, "value": None, "qualifier": "",
                      "comment": comment})
    session.execute(insert(IndicatorValue), plain)
    write_audit(session, [{"action": "insert", "entity": "ind_value", "entity_id": "*",
                           "new": f"демонстрационные значения показателей: {len(plain)}"}])
    for row in _read_csv("states.csv"):
        session.add(FormSubmission(form_id=forms[row["form"]].id, territory_id=territories[row["territory"]].id,
                                   year=int(row["year"]), state=row["state"], changed_by="СоцПлан"))
    session.flush()
