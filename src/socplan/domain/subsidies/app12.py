"""Appendix 12 of seed 003: subsidies to municipal budgets for financial support of СОНКО.

Rating (§11), selection (§12–13), distribution (§15), remainder (§16), co-financing cap (§17),
efficiency (§18), clawback (§19–20) with the force-majeure exemption (§22).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Sequence

from socplan.domain.subsidies.common import (APP12, DOCUMENTS_APP12, KIND_LABELS, KNOWN_KINDS, DocumentMark,
                                             EventClawback, EventOutcome, Problems, Reason, check_outcomes, data_gaps,
                                             efficiency_percent, event_clawback, late_documents, late_reason,
                                             missing_documents)
from socplan.domain.subsidies.trace import KOPECK, RUBLE, Trace, exact_div, round_down, round_half_up, ru, total

SCORE_THRESHOLD = Decimal(20)
COFINANCING_CEILING = Decimal("0.70")
#: App. 12 §2: «Под муниципальными образованиями … понимаются муниципальные районы Омской области».
ELIGIBLE_KINDS = ("district",)


# ================================================================== inputs

@dataclass(frozen=True)
class Application12:
    """One municipality's application with every input of §11, §15–17. ``None`` means «нет сведений»."""

    municipality: str
    kind: str = "district"  # only a district is eligible (App. 12 §2); city, settlement, region are refused
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
    #: §10: the deadline set by Минтруд; a required document received later was not presented in time
    applications_deadline: dt.date | None = None


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

def kind_reason(kind: str) -> Reason | None:
    """App. 12 §2: only municipal districts; a city district, a settlement or the region is refused."""
    if kind in ELIGIBLE_KINDS:
        return None
    what = KIND_LABELS.get(kind, "субъект Российской Федерации" if kind == "region" else kind)
    return Reason("п. 2", f"{what} — не муниципальный район: по п. 2 Порядка под муниципальными образованиями "
                          "понимаются только муниципальные районы Омской области")


def refusal_reasons(app: Application12, score: Decimal, deadline: dt.date | None = None) -> list[Reason]:
    """App. 12 §2, §10, §12–13: the grounds for refusal that apply, each with its clause."""
    reasons: list[Reason] = []
    kind = kind_reason(app.kind)
    if kind:
        reasons.append(kind)
    missing = missing_documents(APP12, app.documents)
    if missing:
        reasons.append(Reason("п. 13 подп. 1", "не представлены документы: " +
                              "; ".join(f"{d.title.lower()} ({d.clause})" for d in missing)))
    late = late_documents(APP12, app.documents, deadline)
    if late and deadline:
        reasons.append(late_reason("п. 13 подп. 1, п. 10", late, deadline))
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


def distribution_data_gaps(app: Application12, limit_rate: Decimal | None) -> list[Reason]:
    """App. 12 §15–17: the values the formulas need; an applicant without them is refused alone (nothing guessed)."""
    return data_gaps((
        (app.declared_need is None, Reason("п. 5 подп. 1, п. 15", "в заявке не указан планируемый к получению размер "
                                           "субсидии (заявленная потребность) — без него C_i не ограничить")),
        (app.local_funds is None, Reason("п. 5 подп. 3, п. 15", "не указан размер средств местного бюджета MB_i на "
                                         "мероприятия муниципальной программы — C_i по формуле не вычислить")),
        (app.fiscal_capacity is None, Reason("п. 15", "нет уровня расчётной бюджетной обеспеченности РБО_i — "
                                             "C_i по формуле не вычислить")),
        (app.fiscal_capacity is not None and Decimal(app.fiscal_capacity) == 0,
         Reason("п. 15", "уровень расчётной бюджетной обеспеченности РБО_i равен нулю — MB_i / РБО_i не вычисляется")),
        (app.ngo_registered is None, Reason("п. 15", "нет количества СОНКО V_i, зарегистрированных на 1 января года "
                                            "приёма заявок — C_i по формуле не вычислить")),
        (limit_rate is None, Reason("п. 17", "не указан предельный уровень софинансирования, утверждаемый "
                                    "Правительством Омской области — уровень софинансирования не проверить")),
    ))


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
    rounded: Decimal  # half-up to whole rubles («по правилам математического округления»)
    taken_back: Decimal  # rubles taken back so that ΣC_i ≤ C (only when the budget requires it)
    need: Decimal
    formula_amount: Decimal  # after rounding and the need cap, before any take-back
    amount: Decimal  # C_i: whole rubles, ≤ need, Σ ≤ C
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
        if a.kind not in KNOWN_KINDS:
            p.add(f"applications[{i}].kind", f"{who}неизвестный вид муниципального образования «{a.kind}» "
                  "(допустимы: district, city, settlement, region).")
        for name, label in (("declared_need", "заявленная потребность"), ("local_funds", "средства местного бюджета MB_i"),
                            ("local_funds_cofinanced", "средства местного бюджета МБП_i"),
                            ("total_budget_spending", "общий объём расходов бюджета")):
            p.non_negative(f"applications[{i}].{name}", label, getattr(a, name), who)
        if a.fiscal_capacity is not None and Decimal(a.fiscal_capacity) < 0:  # zero is data: refused alone (п. 15)
            p.add(f"applications[{i}].fiscal_capacity", f"{who}уровень расчётной бюджетной обеспеченности РБО_i не "
                  f"может быть отрицательным (введено {ru(a.fiscal_capacity)}).")
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
    """App. 12 §17: the largest C_i + CO_i with D_i ≤ cap: cap × local / (1 − cap), down to whole rubles."""
    return round_down(exact_div(cap * local, 1 - cap), RUBLE)


def efficiency_category(percent: Decimal) -> str:
    """App. 12 §18: ≥ 100 % high; ≥ 90 % and < 100 % satisfactory; < 90 % low."""
    if percent >= 100:
        return "высокая"
    if percent >= 90:
        return "удовлетворительная"
    return "низкая"


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

