"""Appendix 13 of seed 003: subsidies for sound traffic lights and accessible public-transport stops.

Selection (§8–9), size C_i = СОБ/П × П_i × D_i with D_i = Dср/РБО_i (§12), efficiency ЭП_i (§17),
clawback (§19–20) with both index directions, force-majeure exemption (§22).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Sequence

from socplan.domain.subsidies.common import (APP13, KNOWN_KINDS, MUNICIPAL_KINDS, DocumentMark, EventClawback,
                                             EventOutcome, Problems, Reason, ResultValue, check_outcomes, data_gaps,
                                             efficiency_percent, event_clawback, late_documents, late_reason,
                                             missing_documents)
from socplan.domain.subsidies.trace import KOPECK, Trace, exact_div, pct, round_half_up, round_within_total, ru, total

AVERAGE_RATE_DISTRICT = Decimal("0.87")
AVERAGE_RATE_SETTLEMENT = Decimal("0.90")


@dataclass(frozen=True)
class Application13:
    municipality: str
    kind: str = "district"  # district | city → Dср 87 %; settlement → Dср 90 %
    declared_need: Decimal | None = None  # заявленная потребность в средствах областного бюджета (cap of C_i)
    total_need: Decimal | None = None  # П_i: областной + местный бюджет, с учётом предельного уровня
    fiscal_capacity: Decimal | None = None  # РБО_i
    documents: Mapping[str, DocumentMark] = field(default_factory=dict)
    activity_matches_goal: bool = True  # §8 подп. 1
    needs_accessibility: bool = True  # §8 подп. 2
    unreliable_info: bool = False  # §9 подп. 3
    national_project: bool = False  # §6 абз. 2: the limit level does not apply


@dataclass(frozen=True)
class Round13:
    year: int
    budget: Decimal  # СОБ
    applications: tuple[Application13, ...]
    limit_rates: Mapping[str, Decimal] = field(default_factory=dict)
    average_rate_district: Decimal = AVERAGE_RATE_DISTRICT
    average_rate_settlement: Decimal = AVERAGE_RATE_SETTLEMENT
    #: §7: the deadline set by the executor; a required document received later was not presented in time
    applications_deadline: dt.date | None = None


@dataclass(frozen=True)
class Allocation13:
    municipality: str
    average_rate: Decimal  # Dср
    rate_formula: Decimal  # Dср / РБО_i
    limit_rate: Decimal | None
    rate: Decimal  # D_i after the limit
    raw: Decimal  # СОБ/П × П_i × D_i
    need: Decimal
    capped_at_need: bool
    before_scaling: Decimal  # min(raw, need), kopecks
    scaled: bool
    amount: Decimal  # final, kopecks


@dataclass(frozen=True)
class Municipality13:
    municipality: str
    kind: str
    passed: bool
    reasons: tuple[Reason, ...]
    allocation: Allocation13 | None


@dataclass(frozen=True)
class Result13:
    year: int
    budget: Decimal
    total_need: Decimal  # П
    n: int
    municipalities: tuple[Municipality13, ...]
    scaling_factor: Decimal | None  # set when the literal formula exceeded СОБ
    allocated: Decimal
    unallocated: Decimal
    trace: Trace

    def by_name(self, name: str) -> Municipality13:
        return next(m for m in self.municipalities if m.municipality == name)


def average_rate(kind: str, rnd: Round13) -> Decimal:
    """App. 13 §12: Dср is 87 % for municipal districts (the city district) and 90 % for settlements."""
    return rnd.average_rate_settlement if kind == "settlement" else rnd.average_rate_district


def cofinancing_level(avg_rate: Decimal, fiscal_capacity: Decimal, limit_rate: Decimal | None) -> tuple[Decimal, Decimal]:
    """App. 13 §12: D_i = Dср / РБО_i, capped at the limit level (not applied under §6 абз. 2)."""
    formula = exact_div(avg_rate, fiscal_capacity)
    return formula, (min(formula, limit_rate) if limit_rate is not None else formula)


def subsidy_size(budget: Decimal, total_need: Decimal, need_i: Decimal, rate: Decimal) -> Decimal:
    """App. 13 §12: C_i = (СОБ / П) × П_i × D_i (before rounding)."""
    return exact_div(budget, total_need) * need_i * rate if total_need else Decimal(0)


def scale_to_budget(amounts: Mapping[str, Decimal], budget: Decimal) -> tuple[Decimal, dict[str, Decimal], dict[str, Decimal]]:
    """Product decision on App. 13 §12: when ΣC_i exceeds СОБ, every C_i is scaled by СОБ/ΣC_i (kopecks)."""
    factor = exact_div(budget, total(amounts.values()))
    scaled = {k: v * factor for k, v in amounts.items()}
    rounded, taken = round_within_total(scaled, budget, KOPECK)
    return factor, rounded, taken


def refusal_reasons(app: Application13, deadline: dt.date | None = None) -> list[Reason]:
    """App. 13 §1, §7–9: the grounds for refusal that apply, each with its clause."""
    reasons: list[Reason] = []
    if app.kind not in MUNICIPAL_KINDS:
        reasons.append(Reason("п. 1", "не муниципальное образование: субсидии предоставляются бюджетам "
                                      "муниципальных образований Омской области"))
    missing = missing_documents(APP13, app.documents)
    if missing:
        reasons.append(Reason("п. 9 абз. 2 подп. 1", "не представлены документы: " +
                              "; ".join(f"{d.title.lower()} ({d.clause})" for d in missing)))
    late = late_documents(APP13, app.documents, deadline)
    if late and deadline:
        reasons.append(late_reason("п. 9 абз. 2 подп. 1, п. 7", late, deadline))
    if not app.activity_matches_goal:
        reasons.append(Reason("п. 9 абз. 2 подп. 2, п. 8 подп. 1",
                              "деятельность органов местного самоуправления не соответствует целям Субсидии"))
    if not app.needs_accessibility:
        reasons.append(Reason("п. 9 абз. 2 подп. 2, п. 8 подп. 2",
                              "нет потребности в повышении уровня доступности объектов и услуг"))
    if app.unreliable_info:
        reasons.append(Reason("п. 9 абз. 2 подп. 3", "в представленных документах недостоверные сведения"))
    return reasons


def size_data_gaps(app: Application13, limit_rate: Decimal | None) -> list[Reason]:
    """App. 13 §12: the values C_i needs; an applicant without them is refused alone (nothing guessed)."""
    return data_gaps((
        (app.declared_need is None, Reason("п. 4 подп. 1, п. 12", "в заявке не указан планируемый к получению размер "
                                           "Субсидии (заявленная потребность) — без него не определить П и C_i")),
        (app.total_need is None, Reason("п. 12", "не указан общий объём потребности П_i в средствах областного и "
                                        "местного бюджетов — C_i не вычислить")),
        (app.fiscal_capacity is None, Reason("п. 12", "нет уровня расчётной бюджетной обеспеченности РБО_i — "
                                             "D_i = Dср / РБО_i не вычислить")),
        (app.fiscal_capacity is not None and Decimal(app.fiscal_capacity) == 0,
         Reason("п. 12", "уровень расчётной бюджетной обеспеченности РБО_i равен нулю — Dср / РБО_i не вычисляется")),
        (limit_rate is None and not app.national_project,
         Reason("п. 6, п. 12", "не указан предельный уровень софинансирования, утверждаемый Правительством Омской "
                               "области — уровень софинансирования не ограничить")),
    ))


def validate_round13(rnd: Round13) -> None:
    p = Problems()
    if rnd.budget is None or Decimal(rnd.budget) <= 0:
        p.add("budget", "Средства областного бюджета СОБ должны быть больше нуля: без них распределять нечего.")
    elif Decimal(rnd.budget) != round_half_up(Decimal(rnd.budget), KOPECK):
        p.add("budget", "СОБ указывается в рублях с копейками (не более двух знаков).")
    p.rate("average_rate_district", "средний уровень софинансирования Dср (районы)", rnd.average_rate_district)
    p.rate("average_rate_settlement", "средний уровень софинансирования Dср (поселения)", rnd.average_rate_settlement)
    seen: set[str] = set()
    for i, a in enumerate(rnd.applications):
        who = f"{a.municipality}: "
        if a.municipality in seen:
            p.add(f"applications[{i}].municipality",
                  f"{who}вторая заявка от того же муниципального образования; оставьте одну.")
        seen.add(a.municipality)
        if a.kind not in KNOWN_KINDS:
            p.add(f"applications[{i}].kind", f"{who}неизвестный вид муниципального образования «{a.kind}» "
                  "(допустимы: district, city, settlement, region).")
        p.non_negative(f"applications[{i}].declared_need", "заявленная потребность", a.declared_need, who)
        p.non_negative(f"applications[{i}].total_need", "общий объём потребности П_i", a.total_need, who)
        if a.fiscal_capacity is not None and Decimal(a.fiscal_capacity) < 0:  # zero is data: refused alone (п. 12)
            p.add(f"applications[{i}].fiscal_capacity", f"{who}уровень расчётной бюджетной обеспеченности РБО_i не "
                  f"может быть отрицательным (введено {ru(a.fiscal_capacity)}).")
    for name, rate in rnd.limit_rates.items():
        p.rate(f"limit_rates.{name}", "предельный уровень софинансирования", rate, f"{name}: ")
    p.raise_if_any()


def calculate_app13(rnd: Round13) -> Result13:
    """Appendix 13: selection and C_i = СОБ/П × П_i × D_i with need cap and scaling to СОБ, every step traced."""
    validate_round13(rnd)
    trace = Trace()
    budget = Decimal(rnd.budget)
    apps = sorted(rnd.applications, key=lambda a: (a.municipality.casefold(), a.municipality))
    trace.add("п. 12", "СОБ — средства областного бюджета", budget, formula="ввод")
    reasons: dict[str, list[Reason]] = {}
    for a in apps:
        m = a.municipality
        reasons[m] = refusal_reasons(a, rnd.applications_deadline) or size_data_gaps(a, rnd.limit_rates.get(m))
        for r in reasons[m]:
            trace.add(r.clause, "Основание отказа", "отказ", municipality=m, formula=r.text)
        trace.add("п. 1, 8–9, 12", "Прошло отбор и участвует в распределении", not reasons[m], municipality=m,
                  note="; ".join(str(r) for r in reasons[m]))
    passed = [a for a in apps if not reasons[a.municipality]]
    total_need = total(Decimal(a.declared_need) for a in passed)  # type: ignore[misc]
    trace.add("п. 12", "П — суммарная потребность МО в средствах областного бюджета", total_need,
              formula=" + ".join(ru(a.declared_need) for a in passed) or "0")

    before: dict[str, Decimal] = {}
    parts: dict[str, tuple] = {}
    for a in passed:
        m = a.municipality
        avg = average_rate(a.kind, rnd)
        limit = None if a.national_project else Decimal(rnd.limit_rates[m])
        d_formula, d = cofinancing_level(avg, Decimal(a.fiscal_capacity), limit)  # type: ignore[arg-type]
        trace.add("п. 12", "D_i = Dср / РБО_i", d_formula, municipality=m,
                  formula=f"{pct(avg)} / {ru(a.fiscal_capacity)} = {pct(d_formula)}")
        if limit is not None and d_formula > limit:
            trace.add("п. 12", "D_i ограничен предельным уровнем софинансирования", d, municipality=m,
                      formula=f"min({pct(d_formula)}; {pct(limit)})")
        elif limit is None:
            trace.add("п. 6 абз. 2", "Предельный уровень не применяется (национальный/федеральный проект)", d,
                      municipality=m)
        raw = subsidy_size(budget, total_need, Decimal(a.total_need), d)  # type: ignore[arg-type]
        trace.add("п. 12", "C_i = СОБ / П × П_i × D_i", raw, municipality=m,
                  formula=f"{ru(budget)} / {ru(total_need)} × {ru(a.total_need)} × {ru(d)}")
        need = Decimal(a.declared_need)  # type: ignore[arg-type]
        capped = round_half_up(raw, KOPECK) > need
        value = need if capped else round_half_up(raw, KOPECK)
        if capped:
            trace.add("п. 12", "C_i принята равной заявленной потребности", value, municipality=m,
                      formula=f"min({ru(raw, 2)}; {ru(need)})")
        else:
            trace.add("п. 12", "C_i, округлено до копеек", value, municipality=m)
        before[m] = value
        parts[m] = (avg, d_formula, limit, d, raw, need, capped)

    factor = None
    final = dict(before)
    if passed and total(before.values()) > budget:
        factor, final, _taken = scale_to_budget(before, budget)
        trace.add("решение по п. 12", "Сумма C_i превысила СОБ — все суммы уменьшены пропорционально", factor,
                  formula=f"{ru(budget)} / {ru(total(before.values()))}",
                  note="П и П_i в разных единицах (П — только областной бюджет, П_i — областной и местный), "
                       "поэтому буквальная формула может дать больше СОБ")
        for m, v in final.items():
            trace.add("решение по п. 12", "C_i после пропорционального уменьшения", v, municipality=m,
                      formula=f"{ru(before[m])} × {ru(factor)}")
    allocations = {}
    for a in passed:
        m = a.municipality
        avg, d_formula, limit, d, raw, need, capped = parts[m]
        allocations[m] = Allocation13(m, avg, d_formula, limit, d, raw, need, capped, before[m], factor is not None,
                                      final[m])
    allocated = total(final.values())
    trace.add("п. 12", "Распределено всего", allocated)
    trace.add("п. 12", "Не распределено", budget - allocated)
    municipalities = tuple(Municipality13(a.municipality, a.kind, not reasons[a.municipality],
                                          tuple(reasons[a.municipality]), allocations.get(a.municipality))
                           for a in apps)
    return Result13(rnd.year, budget, total_need, len(passed), municipalities, factor, allocated,
                    budget - allocated, trace)


@dataclass(frozen=True)
class Efficiency13:
    municipality: str
    result: str
    planned: Decimal  # n
    actual: Decimal  # m
    percent: Decimal


def efficiency_app13(municipality: str, results: Sequence[ResultValue], trace: Trace | None = None) -> list[Efficiency13]:
    """App. 13 §17: ЭП_i = m / n × 100 % for each result of using the subsidy."""
    p = Problems()
    for j, r in enumerate(results):
        p.positive(f"results[{j}].planned", f"«{r.name}»: значение по соглашению n", r.planned, f"{municipality}: ")
        if r.actual is None:
            p.add(f"results[{j}].actual", f"{municipality}: «{r.name}»: не указано фактическое значение m.")
        else:
            p.non_negative(f"results[{j}].actual", f"«{r.name}»: фактическое значение m", r.actual, f"{municipality}: ")
    p.raise_if_any()
    out = []
    for r in results:
        percent = efficiency_percent(Decimal(r.actual), Decimal(r.planned))  # type: ignore[arg-type]
        if trace is not None:
            trace.add("п. 17", f"ЭП_i «{r.name}»", percent, municipality=municipality,
                      formula=f"{ru(r.actual)} / {ru(r.planned)} × 100 % = {ru(percent, 2)} %")
        out.append(Efficiency13(municipality, r.name, Decimal(r.planned), Decimal(r.actual), percent))  # type: ignore[arg-type]
    return out


def clawback_app13(outcomes: Sequence[EventOutcome], trace: Trace | None = None) -> list[EventClawback]:
    """App. 13 §19–20, §22: CB_i per event, D_it by the direction of each result."""
    check_outcomes(outcomes, allow_direction=True)
    trace = trace if trace is not None else Trace()
    ordered = sorted(outcomes, key=lambda o: (o.municipality.casefold(), o.event))
    return [event_clawback(o, "п. 19–20", trace) for o in ordered]
