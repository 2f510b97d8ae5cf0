"""Appendix 12 of seed 003: subsidies to municipal budgets for financial support of СОНКО.

Rating (§11), selection (§12–13), distribution (§15), remainder (§16), co-financing cap (§17),
efficiency (§18), clawback (§19–20) with the force-majeure exemption (§22).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Sequence

from socplan.domain.errors import SocPlanError
from socplan.domain.subsidies.common import (APP12, DOCUMENTS_APP12, DocumentMark, EventClawback, EventOutcome,
                                             Problems, Reason, check_outcomes, efficiency_percent, event_clawback,
                                             missing_documents)
from socplan.domain.subsidies.trace import (KOPECK, RUBLE, Trace, exact_div, pct, round_down, round_half_up,
                                            round_within_total, ru, total)

SCORE_THRESHOLD = Decimal(20)
COFINANCING_CEILING = Decimal("0.70")
ALLOWED_KINDS = ("district", "city")


# ================================================================== inputs

@dataclass(frozen=True)
class Application12:
    """One municipality's application with every input of §11, §15–17. ``None`` means «нет сведений»."""

    municipality: str
    kind: str = "district"  # district | city (App. 12 §2); settlement is refused
    declared_need: Decimal | None = None  # планируемый размер субсидии (§5 подп. 1)
    local_funds: Decimal | None = None  # MB_i
    local_funds_cofinanced: Decimal | None = None  # МБП_i
    fiscal_capacity: Decimal | None = None  # РБО_i
    total_budget_spending: Decimal | None = None  # общий объём расходов бюджета (§5 подп. 4; §11 item 1)
    ngo_registered: int | None = None  # V_i, on 1 January of the application year
    ngo_registered_previous: int | None = None  # on 1 January of the previous year (§11 item 2)
    ngo_supported: int | None = None  # §11 item 3
    commission_active: bool | None = None  # §11 item 4
    infrastructure_event: bool | None = None  # §11 item 5.1
    training_event: bool | None = None  # §11 item 5.2
    property_list: bool | None = None  # §11 item 6.1
    preferential_contracts: int | None = None  # §11 item 6.2
    registry_published: bool | None = None  # §11 item 6.3
    documents: Mapping[str, DocumentMark] = field(default_factory=dict)
    activity_matches_goal: bool = True  # §12 подп. 1
    has_municipal_programme: bool = True  # §12 подп. 3
    form_ok: bool = True  # §13 подп. 2
    unreliable_info: bool = False  # §13 подп. 4


@dataclass(frozen=True)
class Round12:
    year: int
    budget: Decimal  # C
    applications: tuple[Application12, ...]
    #: the limit co-financing level approved by the Government, per municipality (fraction, 0 < x ≤ 1)
    limit_rates: Mapping[str, Decimal] = field(default_factory=dict)
    #: beyond the text: repeat §16 until the remainder is exhausted
    distribute_remainder_fully: bool = False


# ================================================================== rating (§11)

@dataclass(frozen=True)
class RatingItem:
    code: str
    title: str
    coefficient: Decimal
    rule: str


RATING_ITEMS: tuple[RatingItem, ...] = (
    RatingItem("1", "Доля расходов бюджета МО на финансовую поддержку СОНКО в общем объёме расходов",
               Decimal("0.20"), "свыше 0,1 % – 200; от 0,001 % до 0,1 % включительно – 150; менее 0,001 % – 100"),
    RatingItem("2", "Прирост количества зарегистрированных СОНКО на 1 января года подачи заявки", Decimal("0.20"),
               "свыше 3 – 150; от 1 до 3 включительно – 100"),
    RatingItem("3", "Количество СОНКО, получивших финансовую поддержку в предшествующем году", Decimal("0.10"),
               "30 за каждую, не более 150"),
    RatingItem("4", "Деятельность комиссии по распределению субсидий СОНКО / доступу СОНКО к услугам",
               Decimal("0.10"), "100"),
    RatingItem("5.1", "Мероприятие: инфраструктура поддержки СОНКО (ресурсные центры)", Decimal("0.10"), "200"),
    RatingItem("5.2", "Мероприятие: подготовка и дополнительное профессиональное образование работников и "
                      "добровольцев СОНКО", Decimal("0.10"), "100"),
    RatingItem("6.1", "Перечень муниципального имущества для СОНКО, размещённый на официальном сайте",
               Decimal("0.05"), "100"),
    RatingItem("6.2", "Договоры о предоставлении муниципального имущества СОНКО (льготная аренда, безвозмездное "
                      "пользование)", Decimal("0.10"), "100 за каждый договор, не более 500"),
    RatingItem("6.3", "Реестр СОНКО – получателей поддержки, размещённый на официальном сайте", Decimal("0.05"), "100"),
)
RATING_BY_CODE = {item.code: item for item in RATING_ITEMS}


@dataclass(frozen=True)
class ItemScore:
    code: str
    title: str
    coefficient: Decimal
    points: int
    weighted: Decimal
    basis: str


def points_spending_share(spending: Decimal | None, total_spending: Decimal | None) -> tuple[int, str]:
    """App. 12 §11 item 1: share >0,1 % – 200; 0,001 %…0,1 % incl. – 150; <0,001 % – 100 (no data – 0)."""
    if spending is None or total_spending is None:
        return 0, "нет сведений"
    share = exact_div(Decimal(spending) * 100, Decimal(total_spending))  # percent, not rounded
    shown = f"доля {ru(share)} % ({ru(spending)} / {ru(total_spending)} × 100)"
    # comparisons on exact products, so that the boundaries hold to the last kopeck
    if Decimal(spending) * 1000 > Decimal(total_spending):
        return 200, shown + " — свыше 0,1 %"
    if Decimal(spending) * 100000 >= Decimal(total_spending):
        return 150, shown + " — от 0,001 % до 0,1 % включительно"
    return 100, shown + " — менее 0,001 %"


def points_ngo_growth(current: int | None, previous: int | None) -> tuple[int, str]:
    """App. 12 §11 item 2: growth >3 – 150; 1…3 incl. – 100; no growth or no data – 0."""
    if current is None or previous is None:
        return 0, "нет сведений"
    growth = current - previous
    shown = f"прирост {growth} ({current} − {previous})"
    if growth > 3:
        return 150, shown + " — свыше 3"
    if growth >= 1:
        return 100, shown + " — от 1 до 3 включительно"
    return 0, shown + " — прироста нет, баллы таблицей не предусмотрены"


def points_per_unit(count: int | None, per_unit: int, cap: int, noun: str) -> tuple[int, str]:
    """App. 12 §11 items 3 and 6.2: points per unit up to a cap (30 up to 150; 100 up to 500)."""
    if count is None:
        return 0, "нет сведений"
    raw = per_unit * count
    points = min(raw, cap)
    return points, f"{count} {noun} × {per_unit} = {raw}" + (f", но не более {cap}" if raw > cap else "")


def points_presence(present: bool | None, points: int) -> tuple[int, str]:
    """App. 12 §11 items 4, 5.1, 5.2, 6.1, 6.3: fixed points when present."""
    if present is None:
        return 0, "нет сведений"
    return (points, "имеется") if present else (0, "отсутствует")


def rating_score(items: Sequence[ItemScore]) -> Decimal:
    """App. 12 §11: the score is the sum of each item's points multiplied by its coefficient."""
    return total(i.weighted for i in items)


def rate_application(app: Application12) -> list[ItemScore]:
    """App. 12 §11: every rating item's points (documents of §5 item 5 confirm items 3, 4, 6.1–6.3)."""
    found = {
        "1": points_spending_share(app.local_funds, app.total_budget_spending),
        "2": points_ngo_growth(app.ngo_registered, app.ngo_registered_previous),
        "3": points_per_unit(app.ngo_supported, 30, 150, "СОНКО"),
        "4": points_presence(app.commission_active, 100),
        "5.1": points_presence(app.infrastructure_event, 200),
        "5.2": points_presence(app.training_event, 100),
        "6.1": points_presence(app.property_list, 100),
        "6.2": points_per_unit(app.preferential_contracts, 100, 500, "дог."),
        "6.3": points_presence(app.registry_published, 100),
    }
    for doc in DOCUMENTS_APP12:
        if doc.confirms and not app.documents.get(doc.code, DocumentMark()).received:
            for code in doc.confirms:
                points, basis = found[code]
                if points:
                    found[code] = (0, f"{basis}; сведения не подтверждены — не представлена копия ({doc.clause})")
    out = []
    for item in RATING_ITEMS:
        points, basis = found[item.code]
        out.append(ItemScore(item.code, item.title, item.coefficient, points, item.coefficient * points, basis))
    return out


# ================================================================== selection (§12–13)

def refusal_reasons(app: Application12, score: Decimal) -> list[Reason]:
    """App. 12 §12–13: the grounds for refusal that apply, each with its clause."""
    reasons: list[Reason] = []
    missing = missing_documents(APP12, app.documents)
    if missing:
        reasons.append(Reason("п. 13 подп. 1", "не представлены документы: " +
                              "; ".join(f"{d.title.lower()} ({d.clause})" for d in missing)))
    if not app.form_ok:
        reasons.append(Reason("п. 13 подп. 2", "заявка не соответствует форме, определённой Минтрудом"))
    if not app.activity_matches_goal:
        reasons.append(Reason("п. 13 подп. 3, п. 12 подп. 1",
                              "деятельность органов местного самоуправления не соответствует цели субсидии"))
    if score < SCORE_THRESHOLD:
        reasons.append(Reason("п. 13 подп. 3, п. 12 подп. 2",
                              f"рейтинговая оценка {ru(score)} — менее 20 баллов"))
    if not app.has_municipal_programme:
        reasons.append(Reason("п. 13 подп. 3, п. 12 подп. 3",
                              "нет муниципальной программы (подпрограммы, проекта, комплекса процессных "
                              "мероприятий) по поддержке СОНКО"))
    if app.unreliable_info:
        reasons.append(Reason("п. 13 подп. 4", "в представленных документах недостоверные сведения"))
    return reasons


# ================================================================== results

@dataclass(frozen=True)
class Allocation12:
    """Every intermediate value of §15–17 for one municipality that passed selection."""

    municipality: str
    term_equal: Decimal  # 0,3·C/N
    term_ngo: Decimal  # 0,3·C·V_i/V
    weight: Decimal  # MB_i/РБО_i·B_i
    term_weighted: Decimal  # 0,4·C·W_i/ΣW
    raw: Decimal
    rounded: Decimal  # half-up to rubles
    taken_back: Decimal  # rubles taken back so that ΣC_i ≤ C
    need: Decimal
    formula_amount: Decimal  # after rounding and take-back
    amount: Decimal  # C_i after the need cap
    capped_at_need: bool
    remainder_rounds: tuple[Decimal, ...]  # CO_i per remainder round (one unless «до исчерпания»)
    remainder: Decimal  # CO_i total before §17
    local_for_cofinancing: Decimal  # МБП_i if given, else MB_i
    rate_before: Decimal  # D_i before the cap (fraction)
    cap: Decimal  # min(limit level, 70 %)
    reduced_remainder: Decimal
    reduced_subsidy: Decimal
    final_subsidy: Decimal  # C_i after §17
    final_remainder: Decimal  # CO_i after §17
    rate_after: Decimal

    @property
    def final_total(self) -> Decimal:
        return self.final_subsidy + self.final_remainder


@dataclass(frozen=True)
class Municipality12:
    municipality: str
    kind: str
    items: tuple[ItemScore, ...]
    score: Decimal
    passed: bool
    reasons: tuple[Reason, ...]
    allocation: Allocation12 | None


@dataclass(frozen=True)
class Unallocated:
    amount: Decimal
    why: str
    clause: str


@dataclass(frozen=True)
class Result12:
    year: int
    budget: Decimal
    n: int
    v: int
    weight_sum: Decimal
    municipalities: tuple[Municipality12, ...]
    allocated: Decimal
    unallocated: Decimal
    unallocated_parts: tuple[Unallocated, ...]
    distribute_remainder_fully: bool
    trace: Trace

    def by_name(self, name: str) -> Municipality12:
        return next(m for m in self.municipalities if m.municipality == name)


# ================================================================== checks

def validate_round12(rnd: Round12) -> None:
    """Refuse bad input with Russian messages naming the field (nothing is guessed)."""
    p = Problems()
    if rnd.budget is None or Decimal(rnd.budget) <= 0:
        p.add("budget", "Общая сумма субсидий C должна быть больше нуля: без неё распределять нечего.")
    elif Decimal(rnd.budget) != round_half_up(Decimal(rnd.budget), KOPECK):
        p.add("budget", "Общая сумма субсидий C указывается в рублях с копейками (не более двух знаков).")
    seen: set[str] = set()
    for i, a in enumerate(rnd.applications):
        who = f"{a.municipality}: "
        if a.municipality in seen:
            p.add(f"applications[{i}].municipality",
                  f"{who}вторая заявка от того же муниципального образования; оставьте одну.")
        seen.add(a.municipality)
        if a.kind not in ALLOWED_KINDS:
            p.add(f"applications[{i}].kind", f"{who}по Приложению № 12 (п. 2) субсидию получают только "
                  "муниципальные районы и городской округ; заявка поселения не принимается.")
        for name, label in (("declared_need", "заявленная потребность"), ("local_funds", "средства местного бюджета MB_i"),
                            ("local_funds_cofinanced", "средства местного бюджета МБП_i"),
                            ("total_budget_spending", "общий объём расходов бюджета")):
            p.non_negative(f"applications[{i}].{name}", label, getattr(a, name), who)
        p.positive(f"applications[{i}].fiscal_capacity", "уровень расчётной бюджетной обеспеченности РБО_i",
                   a.fiscal_capacity, who)
        if a.total_budget_spending is not None and Decimal(a.total_budget_spending) == 0:
            p.add(f"applications[{i}].total_budget_spending",
                  f"{who}общий объём расходов бюджета равен нулю — долю расходов (п. 11, показатель 1) не вычислить. "
                  "Укажите сумму или оставьте поле пустым («нет сведений»).")
        for name, label in (("ngo_registered", "количество зарегистрированных СОНКО V_i"),
                            ("ngo_registered_previous", "количество СОНКО на 1 января предыдущего года"),
                            ("ngo_supported", "количество СОНКО, получивших поддержку"),
                            ("preferential_contracts", "количество договоров")):
            p.whole_count(f"applications[{i}].{name}", label, getattr(a, name), who)
    for name, rate in rnd.limit_rates.items():
        p.rate(f"limit_rates.{name}", "предельный уровень софинансирования", rate, f"{name}: ")
    p.raise_if_any()


def _check_distribution_data(rnd: Round12, passed: Sequence[Application12]) -> None:
    missing = []
    for a in passed:
        lacks = [label for value, label in ((a.declared_need, "заявленная потребность"),
                                            (a.local_funds, "средства местного бюджета MB_i"),
                                            (a.fiscal_capacity, "РБО_i"),
                                            (a.ngo_registered, "количество СОНКО V_i"),
                                            (rnd.limit_rates.get(a.municipality), "предельный уровень софинансирования"))
                 if value is None]
        if lacks:
            missing.append(f"{a.municipality} — {', '.join(lacks)}")
    if missing:
        raise SocPlanError("Расчёт не выполнен: для распределения (п. 15–17) не хватает данных по муниципальным "
                           "образованиям, прошедшим отбор: " + "; ".join(missing) +
                           ". Заполните их — программа не подставляет значения сама.")


# ================================================================== distribution (§15)

def distribution_term_equal(budget: Decimal, n: int) -> Decimal:
    """App. 12 §15: the first term 0,3 × C / N."""
    return exact_div(Decimal("0.3") * budget, Decimal(n)) if n else Decimal(0)


def distribution_term_ngo(budget: Decimal, v_i: int, v: int) -> Decimal:
    """App. 12 §15: the second term 0,3 × C × V_i / V (the text's «/B» read as V); V = 0 → 0."""
    return exact_div(Decimal("0.3") * budget * v_i, Decimal(v)) if v else Decimal(0)


def rating_weight(local_funds: Decimal, fiscal_capacity: Decimal, score: Decimal) -> Decimal:
    """App. 12 §15: W_i = MB_i / РБО_i × B_i."""
    return exact_div(Decimal(local_funds), Decimal(fiscal_capacity)) * score


def distribution_term_weighted(budget: Decimal, weight: Decimal, weight_sum: Decimal) -> Decimal:
    """App. 12 §15: the third term 0,4 × C × W_i / Σ W_j; Σ W_j = 0 → 0."""
    return exact_div(Decimal("0.4") * budget * weight, weight_sum) if weight_sum else Decimal(0)


def remainder_share(local_funds: Decimal, remainder: Decimal, local_sum: Decimal) -> Decimal:
    """App. 12 §16: CO_i = MB_i × CO / MB (before rounding to whole rubles)."""
    return exact_div(Decimal(local_funds) * remainder, local_sum) if local_sum else Decimal(0)


def cofinancing_rate(regional: Decimal, local: Decimal) -> Decimal:
    """App. 12 §17: D_i = (C_i + CO_i) / (C_i + CO_i + МБП_i) (fraction; × 100 % for display)."""
    denominator = regional + local
    return exact_div(regional, denominator) if denominator else Decimal(0)


def cofinancing_cap(limit_rate: Decimal) -> Decimal:
    """App. 12 §17: the cap is the lower of the municipality's limit level and 70 %."""
    return min(Decimal(limit_rate), COFINANCING_CEILING)


def largest_regional_amount(local: Decimal, cap: Decimal) -> Decimal:
    """App. 12 §17: the largest C_i + CO_i with D_i ≤ cap: cap × local / (1 − cap), down to kopecks."""
    return round_down(exact_div(cap * local, 1 - cap), KOPECK)


def efficiency_category(percent: Decimal) -> str:
    """App. 12 §18: ≥ 100 % high; ≥ 90 % and < 100 % satisfactory; < 90 % low."""
    if percent >= 100:
        return "высокая"
    if percent >= 90:
        return "удовлетворительная"
    return "низкая"


# ================================================================== the whole calculation

def calculate_app12(rnd: Round12) -> Result12:
    """Appendix 12: rating, selection, distribution, remainder and co-financing cap, every step traced."""
    validate_round12(rnd)
    trace = Trace()
    budget = Decimal(rnd.budget)
    apps = sorted(rnd.applications, key=lambda a: (a.municipality.casefold(), a.municipality))
    trace.add("п. 15", "Общая сумма субсидий C", budget, formula="по сводной бюджетной росписи (ввод)")

    items: dict[str, list[ItemScore]] = {}
    scores: dict[str, Decimal] = {}
    reasons: dict[str, list[Reason]] = {}
    for a in apps:
        items[a.municipality] = rate_application(a)
        for it in items[a.municipality]:
            trace.add(f"п. 11, показатель {it.code}", f"Баллы: {RATING_BY_CODE[it.code].title}", it.points,
                      municipality=a.municipality, formula=f"{it.points} × {ru(it.coefficient)} = {ru(it.weighted)}",
                      note=it.basis)
        scores[a.municipality] = rating_score(items[a.municipality])
        trace.add("п. 11", "Рейтинговая оценка B_i (сумма взвешенных баллов)", scores[a.municipality],
                  municipality=a.municipality,
                  formula=" + ".join(ru(i.weighted) for i in items[a.municipality]))
        reasons[a.municipality] = refusal_reasons(a, scores[a.municipality])
        trace.add("п. 12–13", "Прошло отбор", not reasons[a.municipality], municipality=a.municipality,
                  note="; ".join(str(r) for r in reasons[a.municipality]))

    passed = [a for a in apps if not reasons[a.municipality]]
    _check_distribution_data(rnd, passed)
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

    terms: dict[str, tuple[Decimal, Decimal, Decimal]] = {}
    raw: dict[str, Decimal] = {}
    for a in passed:
        t1 = distribution_term_equal(budget, n)
        t2 = distribution_term_ngo(budget, int(a.ngo_registered or 0), v)
        t3 = distribution_term_weighted(budget, weights[a.municipality], weight_sum)
        terms[a.municipality] = (t1, t2, t3)
        raw[a.municipality] = t1 + t2 + t3
        m = a.municipality
        trace.add("п. 15", "0,3 × C / N", t1, municipality=m, formula=f"0,3 × {ru(budget)} / {n}")
        trace.add("п. 15", "0,3 × C × V_i / V", t2, municipality=m,
                  formula=f"0,3 × {ru(budget)} × {a.ngo_registered} / {v}" if v else "V = 0 → 0")
        trace.add("п. 15", "MB_i / РБО_i × B_i", weights[m], municipality=m,
                  formula=f"{ru(a.local_funds)} / {ru(a.fiscal_capacity)} × {ru(scores[m])}")
        trace.add("п. 15", "0,4 × C × (MB_i/РБО_i×B_i) / Σ", t3, municipality=m,
                  formula=f"0,4 × {ru(budget)} × {ru(weights[m])} / {ru(weight_sum)}" if weight_sum else "Σ = 0 → 0")
        trace.add("п. 15", "C_i до округления", raw[m], municipality=m, formula=f"{ru(t1)} + {ru(t2)} + {ru(t3)}")
    rounded, taken = round_within_total(raw, budget, RUBLE)
    need = {a.municipality: Decimal(a.declared_need) for a in passed}  # type: ignore[arg-type]
    amount: dict[str, Decimal] = {}
    for a in passed:
        m = a.municipality
        trace.add("п. 15", "C_i, округлено до целых рублей (математически)", rounded[m] + taken[m], municipality=m)
        if taken[m]:
            trace.add("п. 15 (решение по округлению)", "Снят рубль округления, чтобы ΣC_i не превысила C",
                      rounded[m], municipality=m, formula=f"{ru(rounded[m] + taken[m])} − {ru(taken[m])}")
        amount[m] = min(rounded[m], need[m])
        if rounded[m] > need[m]:
            trace.add("п. 15", "C_i ограничена заявленной потребностью", amount[m], municipality=m,
                      formula=f"min({ru(rounded[m])}; {ru(need[m])})")

    # ---------------------------------------------------------- remainder (§16)
    remainder_rounds: dict[str, list[Decimal]] = {a.municipality: [] for a in passed}
    left = budget - total(amount.values())
    trace.add("п. 16", "Остаток средств CO после распределения", left,
              formula=f"{ru(budget)} − {ru(total(amount.values()))}")
    round_no = 0
    while left >= RUBLE and passed:
        round_no += 1
        below = [a for a in passed if amount[a.municipality] + total(remainder_rounds[a.municipality]) < need[a.municipality]]
        local_sum = total(Decimal(a.local_funds) for a in below)  # type: ignore[misc]
        clause = "п. 16" if round_no == 1 else f"п. 16, повтор {round_no} (сверх текста Порядка)"
        trace.add(clause, "MB — сумма средств местных бюджетов МО ниже потребности", local_sum,
                  formula=" + ".join(f"{ru(a.local_funds)}" for a in below) or "нет таких МО")
        if not below or local_sum == 0:
            break
        shares = {a.municipality: remainder_share(a.local_funds, left, local_sum) for a in below}  # type: ignore[arg-type]
        co_rounded, co_taken = round_within_total(shares, left, RUBLE)
        given = Decimal(0)
        for a in below:
            m = a.municipality
            room = need[m] - amount[m] - total(remainder_rounds[m])
            co = min(co_rounded[m], room)
            trace.add(clause, "CO_i = MB_i × CO / MB", co, municipality=m,
                      formula=f"{ru(a.local_funds)} × {ru(left)} / {ru(local_sum)} = {ru(shares[m])} → "
                              f"{ru(co_rounded[m] + co_taken[m])}" + (f" − {ru(co_taken[m])}" if co_taken[m] else "") +
                              (f"; не более потребности: min(…; {ru(room)})" if co_rounded[m] > room else ""))
            remainder_rounds[m].append(co)
            given += co
        left -= given
        trace.add(clause, "Нераспределённый остаток после распределения", left)
        if not rnd.distribute_remainder_fully or given == 0:
            break
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
        co = total(remainder_rounds[m])
        local = Decimal(a.local_funds_cofinanced if a.local_funds_cofinanced is not None else a.local_funds)  # type: ignore[arg-type]
        regional = amount[m] + co
        d_before = cofinancing_rate(regional, local)
        cap = cofinancing_cap(rnd.limit_rates[m])
        trace.add("п. 17", "D_i = (C_i + CO_i) / (C_i + CO_i + МБП_i) × 100 %", d_before, municipality=m,
                  formula=f"({ru(amount[m])} + {ru(co)}) / ({ru(amount[m])} + {ru(co)} + {ru(local)}) = {pct(d_before)}",
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
                      formula=f"{ru(cap)} × {ru(local)} / (1 − {ru(cap)}), с округлением вниз до копеек",
                      note=f"уменьшено: CO_i на {ru(red_co)}, C_i на {ru(red_c)}")
        final_c, final_co = amount[m] - red_c, co - red_co
        d_after = cofinancing_rate(final_c + final_co, local)
        trace.add("п. 17", "Итого субсидия C_i + CO_i", final_c + final_co, municipality=m,
                  formula=f"{ru(final_c)} + {ru(final_co)}", note=f"уровень софинансирования {pct(d_after)}")
        t1, t2, t3 = terms[m]
        allocations[m] = Allocation12(
            m, t1, t2, weights[m], t3, raw[m], rounded[m] + taken[m], taken[m], need[m], rounded[m], amount[m],
            rounded[m] > need[m], tuple(remainder_rounds[m]), co, local, d_before, cap, red_co, red_c,
            final_c, final_co, d_after)
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


# ================================================================== efficiency and clawback (§18–22)

@dataclass(frozen=True)
class Efficiency12:
    municipality: str
    planned: Decimal
    actual: Decimal
    percent: Decimal
    category: str


def efficiency_app12(municipality: str, planned: Decimal, actual: Decimal, trace: Trace | None = None) -> Efficiency12:
    """App. 12 §18: efficiency = fact / agreement value × 100 %, with its category."""
    p = Problems()
    p.positive("planned", "значение результата по соглашению", planned, f"{municipality}: ")
    p.non_negative("actual", "фактическое значение результата", actual, f"{municipality}: ")
    p.raise_if_any()
    percent = efficiency_percent(actual, planned)
    category = efficiency_category(percent)
    if trace is not None:
        trace.add("п. 18", "Эффективность использования субсидии", percent, municipality=municipality,
                  formula=f"{ru(actual)} / {ru(planned)} × 100 % = {ru(percent, 2)} %", note=category)
    return Efficiency12(municipality, Decimal(planned), Decimal(actual), percent, category)


def clawback_app12(outcomes: Sequence[EventOutcome], trace: Trace | None = None) -> list[EventClawback]:
    """App. 12 §19–20, §22: CB_i per event (D_it = 1 − T_it/S_it), summed per municipality by the caller."""
    check_outcomes(outcomes, allow_direction=False)
    trace = trace if trace is not None else Trace()
    ordered = sorted(outcomes, key=lambda o: (o.municipality.casefold(), o.event))
    return [event_clawback(o, "п. 19–20", trace) for o in ordered]
