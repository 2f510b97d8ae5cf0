"""Appendix 12, the whole calculation: rating and selection (§2, §10–13), distribution (§15), remainder (§16)
and the co-financing cap (§17), every step with its clause in the trace.

Money of §15–17 stays in whole rubles: C_i and CO_i are rounded «по правилам математического округления»
(half-up), capped at the declared need (a need with kopecks caps at its whole rubles, never above it), and a
ruble of rounding is taken back only while the sum exceeds the money available (``take_back_to_fit``);
§17 cuts down to whole rubles, so the level never exceeds the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from socplan.domain.subsidies.app12 import (RATING_BY_CODE, Allocation12, Application12, ItemScore,
                                            Municipality12, Reason, Result12, Round12, Unallocated, cofinancing_cap,
                                            cofinancing_rate, distribution_data_gaps, distribution_term_equal,
                                            distribution_term_ngo, distribution_term_weighted,
                                            largest_regional_amount, rate_application, rating_score, rating_weight,
                                            refusal_reasons, remainder_share, validate_round12)
from socplan.domain.subsidies.trace import RUBLE, Trace, pct, round_down, round_half_up, ru, take_back_to_fit, total

#: How a ruble of rounding is taken back (shown in the protocol next to every ruble taken).
TAKE_BACK_RULE = ("правило: рубль снимается, только пока сумма превышает имеющиеся средства, — у МО с наибольшим "
                  "превышением округлённой суммы над точной, при равенстве — по алфавиту, не более рубля у каждой")
HALF_UP = "математическое округление: 0,5 рубля и больше — вверх, меньше — вниз"


def _select(rnd: Round12, apps: Sequence[Application12], trace: Trace
            ) -> tuple[dict[str, list[ItemScore]], dict[str, Decimal], dict[str, list[Reason]]]:
    """§11 rating, §2/§10/§12–13 selection, then the data §15–17 need: each applicant judged alone."""
    items: dict[str, list[ItemScore]] = {}
    scores: dict[str, Decimal] = {}
    reasons: dict[str, list[Reason]] = {}
    for a in apps:
        m = a.municipality
        items[m] = rate_application(a)
        for it in items[m]:
            trace.add(f"п. 11, показатель {it.code}", f"Баллы: {RATING_BY_CODE[it.code].title}", it.points,
                      municipality=m, formula=f"{it.points} × {ru(it.coefficient)} = {ru(it.weighted)}", note=it.basis)
        scores[m] = rating_score(items[m])
        trace.add("п. 11", "Рейтинговая оценка B_i (сумма взвешенных баллов)", scores[m], municipality=m,
                  formula=" + ".join(ru(i.weighted) for i in items[m]))
        reasons[m] = refusal_reasons(a, scores[m], rnd.applications_deadline)
        if not reasons[m]:  # data gaps matter only to an applicant that is to be calculated
            reasons[m] = distribution_data_gaps(a, rnd.limit_rates.get(m))
        for r in reasons[m]:
            trace.add(r.clause, "Основание отказа", "отказ", municipality=m, formula=r.text)
        trace.add("п. 2, 12–13, 15–17", "Прошло отбор и участвует в распределении", not reasons[m], municipality=m,
                  note="; ".join(str(r) for r in reasons[m]))
    return items, scores, reasons


@dataclass
class _Distribution:
    terms: dict[str, tuple[Decimal, Decimal, Decimal]]
    raw: dict[str, Decimal]
    rounded: dict[str, Decimal]
    before_fit: dict[str, Decimal]
    taken: dict[str, Decimal]
    amount: dict[str, Decimal]
    capped: dict[str, bool]


def _whole_need(need: Decimal) -> Decimal:
    """A need with kopecks caps whole-ruble money at its whole rubles (never above the need)."""
    return round_down(need, RUBLE)


def _distribute(budget: Decimal, passed: Sequence[Application12], scores: dict[str, Decimal],
                weights: dict[str, Decimal], trace: Trace) -> _Distribution:
    """§15: C_i by the formula, rounded half-up to whole rubles, capped at the need, Σ ≤ C."""
    n = len(passed)
    v = sum(int(a.ngo_registered or 0) for a in passed)
    weight_sum = total(weights.values())
    d = _Distribution({}, {}, {}, {}, {}, {}, {})
    for a in passed:
        m = a.municipality
        t1 = distribution_term_equal(budget, n)
        t2 = distribution_term_ngo(budget, int(a.ngo_registered or 0), v)
        t3 = distribution_term_weighted(budget, weights[m], weight_sum)
        d.terms[m], d.raw[m] = (t1, t2, t3), t1 + t2 + t3
        trace.add("п. 15", "0,3 × C / N", t1, municipality=m, formula=f"0,3 × {ru(budget)} / {n}")
        trace.add("п. 15", "0,3 × C × V_i / V", t2, municipality=m,
                  formula=f"0,3 × {ru(budget)} × {a.ngo_registered} / {v}" if v else "V = 0 → 0")
        trace.add("п. 15", "MB_i / РБО_i × B_i", weights[m], municipality=m,
                  formula=f"{ru(a.local_funds)} / {ru(a.fiscal_capacity)} × {ru(scores[m])}")
        trace.add("п. 15", "0,4 × C × (MB_i/РБО_i×B_i) / Σ", t3, municipality=m,
                  formula=f"0,4 × {ru(budget)} × {ru(weights[m])} / {ru(weight_sum)}" if weight_sum else "Σ = 0 → 0")
        trace.add("п. 15", "C_i до округления", d.raw[m], municipality=m, formula=f"{ru(t1)} + {ru(t2)} + {ru(t3)}")
        d.rounded[m] = round_half_up(d.raw[m], RUBLE)
        trace.add("п. 15", "C_i, округлено до целого числа рублей", d.rounded[m], municipality=m,
                  formula=f"{ru(d.raw[m])} → {ru(d.rounded[m])}", note=HALF_UP)
        need = Decimal(a.declared_need)  # type: ignore[arg-type]
        d.capped[m] = d.rounded[m] > need
        d.before_fit[m] = _whole_need(need) if d.capped[m] else d.rounded[m]
        if d.capped[m]:
            trace.add("п. 15", "C_i превышает заявленную потребность — принимается равной потребности",
                      d.before_fit[m], municipality=m, formula=f"{ru(d.rounded[m])} > {ru(need)} → {ru(d.before_fit[m])}",
                      note="" if need == d.before_fit[m] else "потребность с копейками — целые рубли, не выше неё")
    d.amount, d.taken = take_back_to_fit(d.before_fit, d.raw, budget, RUBLE)
    _trace_fit(trace, "п. 15", "ΣC_i", d.before_fit, d.taken, budget, "C")
    return d


def _trace_fit(trace: Trace, clause: str, what: str, before: dict[str, Decimal], taken: dict[str, Decimal],
               available: Decimal, name: str) -> None:
    """State the outcome of the rounding step: nothing taken back, or each ruble taken with the rule."""
    s = total(before.values())
    if s <= available:
        trace.add(clause, f"{what} после округления не превышает {name} — рубли округления не снимаются", s,
                  formula=f"{ru(s)} ≤ {ru(available)}")
        return
    trace.add(clause, f"{what} после округления превышает {name}", s, formula=f"{ru(s)} > {ru(available)}",
              note=TAKE_BACK_RULE)
    for m in sorted(k for k, v in taken.items() if v):
        trace.add(clause, "Снят рубль округления, чтобы сумма не превысила имеющиеся средства", before[m] - taken[m],
                  municipality=m, formula=f"{ru(before[m])} − {ru(taken[m])}", note=TAKE_BACK_RULE)


def _remainder(rnd: Round12, passed: Sequence[Application12], amount: dict[str, Decimal], trace: Trace
               ) -> tuple[dict[str, list[Decimal]], Decimal]:
    """§16: CO_i = MB_i × CO / MB among those below need, whole rubles, ≤ need − C_i, ΣCO_i ≤ CO."""
    budget = Decimal(rnd.budget)
    rounds: dict[str, list[Decimal]] = {a.municipality: [] for a in passed}
    need = {a.municipality: Decimal(a.declared_need) for a in passed}  # type: ignore[arg-type]
    left = budget - total(amount.values())
    trace.add("п. 16", "Остаток средств CO после распределения", left,
              formula=f"{ru(budget)} − {ru(total(amount.values()))}")
    pass_no = 0
    while left >= RUBLE and passed:
        pass_no += 1
        given_before = {m: amount[m] + total(rounds[m]) for m in rounds}
        below = [a for a in passed if given_before[a.municipality] < need[a.municipality]]
        local_sum = total(Decimal(a.local_funds) for a in below)  # type: ignore[misc]
        clause = "п. 16" if pass_no == 1 else f"п. 16, повтор {pass_no} (сверх текста Порядка)"
        trace.add(clause, "MB — сумма средств местных бюджетов МО ниже потребности", local_sum,
                  formula=" + ".join(f"{ru(a.local_funds)}" for a in below) or "нет таких МО")
        if not below or local_sum == 0:
            break
        shares = {a.municipality: remainder_share(a.local_funds, left, local_sum) for a in below}  # type: ignore[arg-type]
        before_fit: dict[str, Decimal] = {}
        for a in below:
            m = a.municipality
            rounded = round_half_up(shares[m], RUBLE)
            room = _whole_need(need[m] - given_before[m])
            before_fit[m] = min(rounded, room)
            trace.add(clause, "CO_i = MB_i × CO / MB, округлено до целого числа рублей", before_fit[m], municipality=m,
                      formula=f"{ru(a.local_funds)} × {ru(left)} / {ru(local_sum)} = {ru(shares[m])} → {ru(rounded)}"
                              + (f"; не более потребности: min({ru(rounded)}; {ru(room)})" if rounded > room else ""),
                      note=HALF_UP)
        co, taken = take_back_to_fit(before_fit, shares, left, RUBLE)
        _trace_fit(trace, clause, "ΣCO_i", before_fit, taken, left, "CO")
        for m, value in co.items():
            rounds[m].append(value)
        given = total(co.values())
        left -= given
        trace.add(clause, "Нераспределённый остаток после распределения", left)
        if not rnd.distribute_remainder_fully or given == 0:
            break
    return rounds, left


def calculate_app12(rnd: Round12) -> Result12:
    """Appendix 12: rating, selection, distribution, remainder and co-financing cap, every step traced."""
    validate_round12(rnd)
    trace = Trace()
    budget = Decimal(rnd.budget)
    apps = sorted(rnd.applications, key=lambda a: (a.municipality.casefold(), a.municipality))
    trace.add("п. 15", "Общая сумма субсидий C", budget, formula="по сводной бюджетной росписи (ввод)")
    items, scores, reasons = _select(rnd, apps, trace)

    passed = [a for a in apps if not reasons[a.municipality]]
    n = len(passed)
    v = sum(int(a.ngo_registered or 0) for a in passed)
    weights = {a.municipality: rating_weight(a.local_funds, a.fiscal_capacity, scores[a.municipality])  # type: ignore[arg-type]
               for a in passed}
    weight_sum = total(weights.values())
    trace.add("п. 15", "N — количество МО, прошедших отбор", n)
    trace.add("п. 15", "V — количество СОНКО в МО, прошедших отбор", v,
              formula=" + ".join(str(a.ngo_registered) for a in passed) or "0")
    trace.add("п. 15", "Σ(MB_j / РБО_j × B_j)", weight_sum, formula=" + ".join(ru(w) for w in weights.values()) or "0")
    parts: list[Unallocated] = []
    if n == 0:
        parts.append(Unallocated(budget, "ни одно муниципальное образование не прошло отбор", "п. 12–13, 15"))
    if n and v == 0:
        trace.add("п. 15", "V = 0: второе слагаемое равно нулю", Decimal("0.3") * budget,
                  note="эти средства переходят в остаток (п. 16)")
    if n and weight_sum == 0:
        trace.add("п. 15", "Σ(MB_j/РБО_j×B_j) = 0: третье слагаемое равно нулю", Decimal("0.4") * budget,
                  note="эти средства переходят в остаток (п. 16)")

    d = _distribute(budget, passed, scores, weights, trace)
    remainder_rounds, left = _remainder(rnd, passed, d.amount, trace)
    if left > 0 and n:
        why = ("остаток после повторных распределений (меньше рубля, или все МО получили потребность)"
               if rnd.distribute_remainder_fully else
               "остаток после однократного распределения по п. 16 (потребности МО покрыты, округление)")
        parts.append(Unallocated(left, why, "п. 16"))

    # ---------------------------------------------------------- co-financing cap (§17)
    allocations: dict[str, Allocation12] = {}
    freed_total = Decimal(0)
    for a in passed:
        m = a.municipality
        amount = d.amount[m]
        co = total(remainder_rounds[m])
        local = Decimal(a.local_funds_cofinanced if a.local_funds_cofinanced is not None else a.local_funds)  # type: ignore[arg-type]
        regional = amount + co
        d_before = cofinancing_rate(regional, local)
        cap = cofinancing_cap(rnd.limit_rates[m])
        trace.add("п. 17", "D_i = (C_i + CO_i) / (C_i + CO_i + МБП_i) × 100 %", d_before, municipality=m,
                  formula=f"({ru(amount)} + {ru(co)}) / ({ru(amount)} + {ru(co)} + {ru(local)}) = {pct(d_before)}",
                  note="МБП_i" if a.local_funds_cofinanced is not None else "МБП_i не указаны — взяты MB_i")
        trace.add("п. 17", "Предельный уровень: min(утверждённый; 70 %)", cap, municipality=m,
                  formula=f"min({pct(rnd.limit_rates[m])}; 70 %) = {pct(cap)}")
        red_co = red_c = Decimal(0)
        if d_before > cap:
            allowed = largest_regional_amount(local, cap)
            excess = regional - allowed
            red_co = min(excess, co)
            red_c = excess - red_co
            freed_total += excess
            trace.add("п. 17", "Наибольшая сумма C_i + CO_i при уровне не выше предельного", allowed, municipality=m,
                      formula=f"{ru(cap)} × {ru(local)} / (1 − {ru(cap)}) = {ru(cap * local / (1 - cap))} → "
                              f"вниз до целых рублей {ru(allowed)}",
                      note=f"уменьшено: CO_i на {ru(red_co)}, C_i на {ru(red_c)}; округление вниз — иначе уровень "
                           "превысил бы предельный")
        final_c, final_co = amount - red_c, co - red_co
        d_after = cofinancing_rate(final_c + final_co, local)
        trace.add("п. 17", "Итого субсидия C_i + CO_i (целые рубли)", final_c + final_co, municipality=m,
                  formula=f"{ru(final_c)} + {ru(final_co)}", note=f"уровень софинансирования {pct(d_after)}")
        t1, t2, t3 = d.terms[m]
        allocations[m] = Allocation12(
            m, t1, t2, weights[m], t3, d.raw[m], d.rounded[m], d.taken[m], Decimal(a.declared_need),  # type: ignore[arg-type]
            d.before_fit[m], amount, d.capped[m], tuple(remainder_rounds[m]), co, local, d_before, cap, red_co,
            red_c, final_c, final_co, d_after)
    if freed_total:
        parts.append(Unallocated(freed_total, "высвобождено при ограничении уровня софинансирования", "п. 17"))

    allocated = total(al.final_total for al in allocations.values())
    unallocated = budget - allocated
    trace.add("п. 15–17", "Распределено всего", allocated)
    trace.add("п. 15–17", "Не распределено", unallocated, note="; ".join(f"{p.why}: {ru(p.amount)}" for p in parts))
    municipalities = tuple(
        Municipality12(a.municipality, a.kind, tuple(items[a.municipality]), scores[a.municipality],
                       not reasons[a.municipality], tuple(reasons[a.municipality]), allocations.get(a.municipality))
        for a in apps)
    return Result12(rnd.year, budget, n, v, weight_sum, municipalities, allocated, unallocated, tuple(parts),
                    rnd.distribute_remainder_fully, trace)
