"""The documented JSON input of a subsidy round (docs/subsidies-input-format.md) and the calculation as JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from socplan.domain.errors import ImportFileError, ValidationError, ValidationErrors
from socplan.domain.subsidies.app12 import Application12, Round12
from socplan.domain.subsidies.app13 import AVERAGE_RATE_DISTRICT, AVERAGE_RATE_SETTLEMENT, Application13, Round13
from socplan.domain.subsidies.calculation import Calculation, RoundInfo, RoundInput
from socplan.domain.subsidies.common import APP12, APP13, DocumentMark, EventOutcome, ResultValue, documents_for
from socplan.domain.subsidies.trace import Step
from socplan.domain.value_ranges import range_problem
from socplan.formatting import parse_number

FORMAT = "socplan.subsidies/1"

APP12_MONEY = ("declared_need", "local_funds", "local_funds_cofinanced", "total_budget_spending")
APP12_RATE = ("fiscal_capacity",)
APP12_COUNTS = ("ngo_registered", "ngo_registered_previous", "ngo_supported", "preferential_contracts")
APP12_FLAGS = ("commission_active", "infrastructure_event", "training_event", "property_list", "registry_published")
APP12_CRITERIA = {"activity_matches_goal": True, "has_municipal_programme": True, "form_ok": True,
                  "unreliable_info": False}
APP13_MONEY = ("declared_need", "total_need")
APP13_CRITERIA = {"activity_matches_goal": True, "needs_accessibility": True, "unreliable_info": False,
                  "national_project": False}


class _Reader:
    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def number(self, data: dict, key: str, where: str, label: str) -> Decimal | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            self.errors.append(ValidationError(f"{where}.{key}", f"{label}: ожидалось число, а не «{value}»."))
            return None
        try:
            number = Decimal(value) if isinstance(value, (int, Decimal)) else parse_number(str(value))
            if number is None or not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValidationError):
            self.errors.append(ValidationError(f"{where}.{key}", f"{label}: «{value}» — не число."))
            return None
        # negatives are the domain's to refuse (with their clause); here only what no amount can be
        problem = range_problem(number, "number", negative=True)
        if problem:
            self.errors.append(ValidationError(f"{where}.{key}", f"{label}: {problem}."))
            return None
        return number

    def count(self, data: dict, key: str, where: str, label: str) -> int | Decimal | None:
        number = self.number(data, key, where, label)
        if number is None:
            return None
        return int(number) if number == number.to_integral_value() else number  # non-whole → domain refuses

    def flag(self, data: dict, key: str, where: str, label: str, default: bool | None = None) -> bool | None:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.errors.append(ValidationError(f"{where}.{key}", f"{label}: ожидалось true или false, а не «{value}»."))
        return default

    def date(self, value: Any, where: str, label: str) -> dt.date | None:
        if value in (None, ""):
            return None
        try:
            text = str(value)
            if "." in text:
                return dt.datetime.strptime(text, "%d.%m.%Y").date()
            return dt.date.fromisoformat(text)
        except ValueError:
            self.errors.append(ValidationError(where, f"{label}: «{value}» — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."))
            return None

    def documents(self, procedure: str, data: Any, where: str) -> dict[str, DocumentMark]:
        out: dict[str, DocumentMark] = {}
        known = {d.code for d in documents_for(procedure)}
        for code, mark in (data or {}).items():
            if code not in known:
                self.errors.append(ValidationError(f"{where}.documents.{code}",
                                                   f"Документ «{code}» не входит в перечень порядка "
                                                   f"(допустимы: {', '.join(sorted(known))})."))
                continue
            if isinstance(mark, bool):
                out[code] = DocumentMark(mark)
            elif isinstance(mark, str):
                out[code] = DocumentMark(True, self.date(mark, f"{where}.documents.{code}", f"Документ {code}"))
            elif isinstance(mark, dict):
                received = bool(mark.get("received", True))
                out[code] = DocumentMark(received, self.date(mark.get("date"), f"{where}.documents.{code}",
                                                             f"Документ {code}"))
        return out

    def outcomes(self, municipality: str, data: Any, where: str) -> list[EventOutcome]:
        out = []
        for i, ev in enumerate(data or []):
            w = f"{where}.outcomes[{i}]"
            results = []
            for j, r in enumerate(ev.get("results") or []):
                wr = f"{w}.results[{j}]"
                results.append(ResultValue(str(r.get("name", "")), self.number(r, "planned", wr, "значение по соглашению"),  # type: ignore[arg-type]
                                           self.number(r, "actual", wr, "фактическое значение"),
                                           bool(r.get("growth_is_good", True)), str(r.get("unit", "единиц"))))
            out.append(EventOutcome(municipality, str(ev.get("event", "")),
                                    self.number(ev, "granted", w, "предоставленная субсидия") or Decimal(0),
                                    tuple(results), bool(ev.get("force_majeure", False)),
                                    str(ev.get("force_majeure_documents", ""))))
        return out


def kind_from_name(name: str) -> str:
    """The kind of a municipality from its name as in the reference data (город Омск, «… муниципальный район»)."""
    low = name.casefold()
    if low.endswith("муниципальный район"):
        return "district"
    if low.startswith("город ") or "городской округ" in low:
        return "city"
    if "поселение" in low:
        return "settlement"
    if low.endswith(" область"):
        return "region"
    return ""


def parse_round(data: Any) -> RoundInput:
    """A round from the documented JSON structure; every problem is reported with its field."""
    if not isinstance(data, dict) or not isinstance(data.get("applications"), list):
        raise ImportFileError("Файл не похож на исходные данные отбора: нужен объект с полями procedure, year, "
                              "budget и списком applications (см. docs/subsidies-input-format.md).")
    rd = _Reader()
    procedure = data.get("procedure")
    if procedure not in (APP12, APP13):
        raise ValidationErrors([ValidationError("procedure", "Поле procedure: укажите «app12» (Приложение № 12) "
                                                             "или «app13» (Приложение № 13).")])
    year = data.get("year")
    if not isinstance(year, int):
        rd.errors.append(ValidationError("year", "Поле year: год отбора — целое число, например 2025."))
        year = 0
    budget = rd.number(data, "budget", "round", "Общая сумма субсидий (budget)")
    limit_rates = {}
    for name, value in (data.get("limit_rates") or {}).items():
        rate = rd.number({"v": value}, "v", f"limit_rates.{name}", f"{name}: предельный уровень софинансирования")
        if rate is not None:
            limit_rates[name] = rate
    info = RoundInfo(procedure, year, str(data.get("title", "")),
                     rd.date(data.get("applications_deadline"), "applications_deadline", "Срок приёма заявок"),
                     rd.date(data.get("selection_date"), "selection_date", "Дата проведения отбора"),
                     tuple(str(x) for x in data.get("commission") or ()))
    outcomes: list[EventOutcome] = []
    apps12: list[Application12] = []
    apps13: list[Application13] = []
    for i, a in enumerate(data["applications"]):
        where = f"applications[{i}]"
        name = str(a.get("municipality", "")).strip()
        if not name:
            rd.errors.append(ValidationError(f"{where}.municipality", f"Заявка № {i + 1}: не указано муниципальное образование."))
            continue
        kind = str(a.get("kind") or kind_from_name(name) or "")
        if not kind:
            rd.errors.append(ValidationError(f"{where}.kind", f"{name}: укажите вид муниципального образования "
                                             "(kind: district, city или settlement) — по названию он не определяется."))
        if a.get("limit_rate") is not None:
            rate = rd.number(a, "limit_rate", where, f"{name}: предельный уровень софинансирования")
            if rate is not None:
                limit_rates[name] = rate
        docs = rd.documents(procedure, a.get("documents"), where)
        outcomes += rd.outcomes(name, a.get("outcomes"), where)
        if procedure == APP12:
            values: dict[str, Any] = {k: rd.number(a, k, where, f"{name}: {k}") for k in APP12_MONEY + APP12_RATE}
            values |= {k: rd.count(a, k, where, f"{name}: {k}") for k in APP12_COUNTS}
            values |= {k: rd.flag(a, k, where, f"{name}: {k}") for k in APP12_FLAGS}
            values |= {k: rd.flag(a, k, where, f"{name}: {k}", d) for k, d in APP12_CRITERIA.items()}
            apps12.append(Application12(name, kind, documents=docs, **values))
        else:
            values = {k: rd.number(a, k, where, f"{name}: {k}") for k in APP13_MONEY + ("fiscal_capacity",)}
            values |= {k: rd.flag(a, k, where, f"{name}: {k}", d) for k, d in APP13_CRITERIA.items()}
            apps13.append(Application13(name, kind, documents=docs, **values))
    if rd.errors:
        raise ValidationErrors(rd.errors)
    if procedure == APP12:
        rnd12 = Round12(year, budget, tuple(apps12), limit_rates, bool(data.get("distribute_remainder_fully", False)),  # type: ignore[arg-type]
                        info.applications_deadline)
        return RoundInput(info, app12=rnd12, outcomes=tuple(outcomes))
    avg_d = rd.number(data, "average_rate_district", "round", "Dср районов") or AVERAGE_RATE_DISTRICT
    avg_s = rd.number(data, "average_rate_settlement", "round", "Dср поселений") or AVERAGE_RATE_SETTLEMENT
    rnd13 = Round13(year, budget, tuple(apps13), limit_rates, avg_d, avg_s, info.applications_deadline)  # type: ignore[arg-type]
    return RoundInput(info, app13=rnd13, outcomes=tuple(outcomes))


def read_round(path: Path) -> RoundInput:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFileError(f"Не удалось прочитать файл {path}: {exc.strerror or exc}.") from exc
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"Файл {Path(path).name} — не JSON: строка {exc.lineno}, позиция {exc.colno}: {exc.msg}.") from exc
    return parse_round(data)


# ------------------------------------------------------------------ output

def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def step_dict(step: Step) -> dict[str, Any]:
    return {"clause": step.clause, "municipality": step.municipality, "what": step.what,
            "value": _plain(step.value), "formula": step.formula, "note": step.note}


def calculation_to_dict(calc: Calculation) -> dict[str, Any]:
    """Everything the protocol shows, as plain JSON values (Decimals as exact strings)."""
    out: dict[str, Any] = {
        "format": FORMAT,
        "procedure": calc.info.procedure,
        "procedure_label": calc.info.procedure_label,
        "year": calc.info.year,
        "title": calc.info.title,
        "budget": _plain(calc.budget),
        "allocated": _plain(calc.allocated),
        "unallocated": _plain(calc.unallocated),
    }
    if calc.result12:
        r = calc.result12
        out |= {"n": r.n, "v": r.v, "weight_sum": _plain(r.weight_sum),
                "distribute_remainder_fully": r.distribute_remainder_fully,
                "unallocated_parts": _plain(r.unallocated_parts),
                "municipalities": [_plain(m) | {"final_total": _plain(m.allocation.final_total) if m.allocation else None}
                                   for m in r.municipalities]}
    if calc.result13:
        r13 = calc.result13
        out |= {"total_need": _plain(r13.total_need), "n": r13.n, "scaling_factor": _plain(r13.scaling_factor),
                "municipalities": [_plain(m) for m in r13.municipalities]}
    out["efficiency"] = _plain(list(calc.efficiency12) + list(calc.efficiency13))
    out["clawback"] = _plain(calc.clawbacks)
    out["clawback_totals"] = _plain(calc.clawback_totals())
    out["trace"] = [step_dict(s) for s in calc.trace.steps]
    return out
