"""What both procedures share: documents checklists, refusal reasons, input checks, §19 clawback rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence

from socplan.domain.errors import ValidationError, ValidationErrors
from socplan.domain.subsidies.trace import KOPECK, Trace, exact_div, pct, round_half_up, ru

APP12 = "app12"
APP13 = "app13"
PROCEDURES = {
    APP12: "Приложение № 12 — субсидии на финансовую поддержку СОНКО",
    APP13: "Приложение № 13 — светофоры со звуковыми сигналами и доступные остановки",
}
#: Municipality kinds as in the reference data (Territory.kind).
KIND_LABELS = {"district": "муниципальный район", "city": "городской округ", "settlement": "поселение"}


@dataclass(frozen=True)
class DocumentItem:
    code: str
    title: str
    clause: str
    required: bool = True
    #: rating items of App. 12 §11 whose data this document confirms (conditional documents of §5 item 5)
    confirms: tuple[str, ...] = ()


#: Appendix 12 §5: the documents of an application (items 1–4 always, item 5 copies where support exists).
DOCUMENTS_APP12: tuple[DocumentItem, ...] = (
    DocumentItem("1", "Заявка с указанием планируемого к получению размера субсидии", "п. 5 подп. 1"),
    DocumentItem("2", "Заверенная копия муниципальной программы (выписка из неё)", "п. 5 подп. 2"),
    DocumentItem("3", "Документ, подтверждающий наличие бюджетных ассигнований на софинансируемые расходы",
                 "п. 5 подп. 3"),
    DocumentItem("4", "Выписка из решения о бюджете (сводной бюджетной росписи) об общем размере расходов "
                      "бюджета в текущем году", "п. 5 подп. 4"),
    DocumentItem("5.1", "Копия реестра СОНКО – получателей поддержки из бюджета муниципального образования",
                 "п. 5 подп. 5 абз. 2", False, ("3", "6.3")),
    DocumentItem("5.2", "Копия перечня муниципального имущества, свободного от прав третьих лиц, для СОНКО",
                 "п. 5 подп. 5 абз. 3", False, ("6.1",)),
    DocumentItem("5.3", "Копии договоров о предоставлении муниципального имущества СОНКО по льготным ставкам "
                        "или в безвозмездное пользование", "п. 5 подп. 5 абз. 4", False, ("6.2",)),
    DocumentItem("5.4", "Копии муниципального правового акта о порядке деятельности комиссии и протоколов "
                        "её заседаний", "п. 5 подп. 5 абз. 5", False, ("4",)),
)

#: Appendix 13 §4: the documents of an application.
DOCUMENTS_APP13: tuple[DocumentItem, ...] = (
    DocumentItem("1", "Заявка (заявление) на участие в отборе с указанием планируемого к получению размера "
                      "Субсидии", "п. 4 подп. 1"),
    DocumentItem("2", "Заверенная копия муниципальной программы (выписка из неё)", "п. 4 подп. 2"),
    DocumentItem("3", "Документ, подтверждающий наличие бюджетных ассигнований на софинансируемые расходы",
                 "п. 4 подп. 3"),
)


def documents_for(procedure: str) -> tuple[DocumentItem, ...]:
    return DOCUMENTS_APP12 if procedure == APP12 else DOCUMENTS_APP13


@dataclass(frozen=True)
class DocumentMark:
    received: bool = False
    date: dt.date | None = None


@dataclass(frozen=True)
class Reason:
    """A ground for refusal with the clause it comes from."""

    clause: str
    text: str

    def __str__(self) -> str:
        return f"{self.text} ({self.clause})"


def missing_documents(procedure: str, documents: Mapping[str, DocumentMark]) -> list[DocumentItem]:
    """The required documents of the checklist that were not received."""
    return [d for d in documents_for(procedure) if d.required and not documents.get(d.code, DocumentMark()).received]


#: Every kind a territory may have (reference data); anything else is an input error.
KNOWN_KINDS = ("district", "city", "settlement", "region")
#: Municipalities (App. 13 §1: «бюджетам муниципальных образований»); the region is not one.
MUNICIPAL_KINDS = ("district", "city", "settlement")


def late_documents(procedure: str, documents: Mapping[str, DocumentMark],
                   deadline: dt.date | None) -> list[tuple[DocumentItem, dt.date]]:
    """Required documents received after the deadline set for applications (not presented in time)."""
    if deadline is None:
        return []
    out = []
    for d in documents_for(procedure):
        mark = documents.get(d.code, DocumentMark())
        if d.required and mark.received and mark.date is not None and mark.date > deadline:
            out.append((d, mark.date))
    return out


def late_reason(clause: str, late: Sequence[tuple[DocumentItem, dt.date]], deadline: dt.date) -> Reason:
    return Reason(clause, "документы представлены после срока приёма заявок " + _date(deadline) + ": " +
                  "; ".join(f"{d.title.lower()} ({d.clause}) — {_date(day)}" for d, day in late))


def _date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")


def data_gaps(checks: Sequence[tuple[bool, Reason]]) -> list[Reason]:
    """The reasons whose condition holds (a value the calculation needs is absent or unusable)."""
    return [reason for failed, reason in checks if failed]


# ------------------------------------------------------------------ input checks

class Problems:
    """Collects Russian messages naming the field; raises them together."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append(ValidationError(field, message))

    def non_negative(self, field: str, label: str, value: Decimal | None, who: str = "") -> None:
        if value is not None and Decimal(value) < 0:
            self.add(field, f"{who}{label}: сумма не может быть отрицательной ({ru(value)}). Введите 0 или больше.")

    def whole_count(self, field: str, label: str, value: object, who: str = "", *, signed: bool = False) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or Decimal(value) != Decimal(value).to_integral_value():
            self.add(field, f"{who}{label}: количество должно быть целым числом (введено {ru(value)}).")
        elif not signed and value < 0:
            self.add(field, f"{who}{label}: количество не может быть отрицательным ({ru(value)}).")

    def rate(self, field: str, label: str, value: Decimal | None, who: str = "") -> None:
        if value is not None and not (Decimal(0) < Decimal(value) <= Decimal(1)):
            self.add(field, f"{who}{label}: уровень должен быть больше 0 % и не больше 100 % (введено {pct(value)}).")

    def positive(self, field: str, label: str, value: Decimal | None, who: str = "") -> None:
        if value is not None and Decimal(value) <= 0:
            self.add(field, f"{who}{label}: значение должно быть больше нуля (введено {ru(value)}).")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationErrors(self.errors)


# ------------------------------------------------------------------ efficiency and clawback

@dataclass(frozen=True)
class ResultValue:
    """A result of using the subsidy (t): the agreement value S_it and the actual value T_it."""

    name: str
    planned: Decimal
    actual: Decimal | None
    growth_is_good: bool = True
    unit: str = "единиц"


@dataclass(frozen=True)
class EventOutcome:
    """What a municipality achieved for one event (мероприятие) financed by the subsidy."""

    municipality: str
    event: str
    granted: Decimal  # CC_i (App. 12) / C_i (App. 13): subsidy actually granted for the event
    results: tuple[ResultValue, ...]
    force_majeure: bool = False
    force_majeure_documents: str = ""


@dataclass(frozen=True)
class ShortfallIndex:
    result: str
    planned: Decimal
    actual: Decimal
    value: Decimal | None  # None: the index is not defined (T = 0 where growth is bad: fully achieved)
    formula: str
    positive: bool


@dataclass(frozen=True)
class EventClawback:
    municipality: str
    event: str
    granted: Decimal
    indexes: tuple[ShortfallIndex, ...]
    m: int
    n: int
    coefficient: Decimal  # K_i
    amount_formula: Decimal  # CB by the formula, kopecks
    exempt: bool
    exemption_note: str
    amount: Decimal  # to return, kopecks (0 when exempt)


def shortfall_index(planned: Decimal, actual: Decimal, growth_is_good: bool = True) -> Decimal | None:
    """App. 12 §19 / App. 13 §19: D_it = 1 − T_it/S_it (growth good) or 1 − S_it/T_it (growth bad)."""
    if growth_is_good:
        return 1 - exact_div(actual, planned)
    if actual == 0:
        return None
    return 1 - exact_div(planned, actual)


def return_coefficient(indexes: Sequence[Decimal]) -> Decimal:
    """App. 12 §19 / App. 13 §19: K_i = 1/m × Σ D_it over the positive indexes only."""
    positive = [d for d in indexes if d > 0]
    if not positive:
        return Decimal(0)
    return exact_div(sum(positive, Decimal(0)), Decimal(len(positive)))


def clawback_amount(granted: Decimal, coefficient: Decimal, m: int, n: int) -> Decimal:
    """App. 12 §19 / App. 13 §19: CB_i = (CC_i × K_i × m_i / n_i) × 0,1, to kopecks half-up."""
    if n == 0 or m == 0:
        return Decimal("0.00")
    return round_half_up(exact_div(Decimal(granted) * coefficient * m, Decimal(n)) * Decimal("0.1"), KOPECK)


def check_outcomes(outcomes: Sequence[EventOutcome], *, allow_direction: bool) -> None:
    p = Problems()
    for i, o in enumerate(outcomes):
        who = f"{o.municipality}, «{o.event}»: "
        p.non_negative(f"outcomes[{i}].granted", "объём предоставленной субсидии", o.granted, who)
        if not o.results:
            p.add(f"outcomes[{i}].results", f"{who}не указано ни одного результата использования субсидии.")
        for j, r in enumerate(o.results):
            f = f"outcomes[{i}].results[{j}]"
            if r.planned is None or Decimal(r.planned) <= 0:
                p.add(f + ".planned", f"{who}«{r.name}»: значение по соглашению S_it должно быть больше нуля.")
            if r.actual is None:
                p.add(f + ".actual", f"{who}«{r.name}»: не указано фактическое значение T_it — без него возврат "
                                     "не рассчитывается.")
            elif Decimal(r.actual) < 0:
                p.add(f + ".actual", f"{who}«{r.name}»: фактическое значение не может быть отрицательным.")
            if not allow_direction and not r.growth_is_good:
                p.add(f + ".growth_is_good", f"{who}«{r.name}»: в Приложении № 12 (п. 19) индекс недостижения "
                                             "определяется только как 1 − T/S (рост — лучше).")
    p.raise_if_any()


def event_clawback(o: EventOutcome, clause: str, trace: Trace) -> EventClawback:
    """Clawback for one event (§19) with the force-majeure exemption (§22); every step goes to the trace."""
    indexes: list[ShortfallIndex] = []
    for r in o.results:
        d = shortfall_index(Decimal(r.planned), Decimal(r.actual), r.growth_is_good)  # type: ignore[arg-type]
        formula = (f"1 − {ru(r.actual)} / {ru(r.planned)}" if r.growth_is_good
                   else f"1 − {ru(r.planned)} / {ru(r.actual)}")
        idx = ShortfallIndex(r.name, Decimal(r.planned), Decimal(r.actual), d, formula, d is not None and d > 0)  # type: ignore[arg-type]
        indexes.append(idx)
        trace.add(clause, f"Индекс недостижения D_it «{r.name}»", d, municipality=o.municipality, formula=formula,
                  note="положительный — учитывается" if idx.positive else "не положительный — не учитывается")
    positive = [i.value for i in indexes if i.positive]
    m, n = len(positive), len(indexes)
    k = return_coefficient([v for v in positive if v is not None])
    trace.add(clause, f"Коэффициент возврата K_i («{o.event}»)", k, municipality=o.municipality,
              formula=f"1/{m} × ({' + '.join(ru(v) for v in positive) or '0'})" if m else "нет положительных индексов")
    amount = clawback_amount(o.granted, k, m, n)
    trace.add(clause, f"Объём возврата CB_i по формуле («{o.event}»)", amount, municipality=o.municipality,
              formula=f"({ru(o.granted)} × {ru(k)} × {m} / {n}) × 0,1")
    note = ""
    final = amount
    if o.force_majeure and amount > 0:
        note = "освобождено: обстоятельства непреодолимой силы подтверждены документами" + (
            f" ({o.force_majeure_documents})" if o.force_majeure_documents else "")
        final = Decimal("0.00")
        trace.add("п. 22", f"Освобождение от возврата («{o.event}»)", final, municipality=o.municipality, note=note)
    return EventClawback(o.municipality, o.event, Decimal(o.granted), tuple(indexes), m, n, k, amount,
                         bool(o.force_majeure and amount > 0), note, final)


def efficiency_percent(actual: Decimal, planned: Decimal) -> Decimal:
    """App. 12 §18 / App. 13 §17: fact / plan × 100 % (exact; shown rounded)."""
    return exact_div(Decimal(actual) * 100, Decimal(planned))
