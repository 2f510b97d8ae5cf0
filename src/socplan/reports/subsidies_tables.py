"""The tables of a subsidy calculation as plain data (typed columns), shared by the PDF and xlsx outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from socplan.domain.subsidies.app12 import RATING_ITEMS
from socplan.domain.subsidies.calculation import Calculation
from socplan.domain.subsidies.common import KIND_LABELS, documents_for
from socplan.domain.subsidies.trace import ru
from socplan.formatting import format_date, format_number

#: column kinds: text | money (2 decimals) | int | dec (as computed, ≤ 6 decimals) | pct (fraction → %) | points
TEXT, MONEY, INT, DEC, PCT, POINTS = "text", "money", "int", "dec", "pct", "points"


@dataclass(frozen=True)
class Col:
    title: str
    kind: str = TEXT
    width_mm: float = 25


@dataclass
class ReportTable:
    key: str
    title: str
    clause: str
    columns: list[Col]
    rows: list[list[Any]] = field(default_factory=list)
    bold_rows: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: a symbol with its index as the Порядок writes it with a subscript: «РБО_i», «D_it», «MB_j», «ЭП_i»
_INDEXED = re.compile(r"(?<![A-Za-zА-Яа-яЁё])([A-Za-zА-Яа-яЁё]{1,4})_([a-z]{1,2}|ср)(?![A-Za-zА-Яа-яЁё])")
#: Latin letters of the code that stand for Cyrillic symbols of seed 003 (МБ — средства местного бюджета)
_CYRILLIC_SYMBOLS = ((re.compile(r"(?<![A-Za-zА-Яа-яЁё])MB(?=_|[^A-Za-zА-Яа-яЁё]|$)"), "МБ"),
                     (re.compile(r"(?<![A-Za-zА-Яа-яЁё])Dср(?![A-Za-zА-Яа-яЁё])"), "D_ср"))


def notation_parts(value: str) -> list[tuple[str, bool]]:
    """Issue 14: the rules' notation instead of the code's — «MB_i» is printed «МБ» with a subscript «i» as in
    seed 003 (Appendix 12 §15). The text as segments: (text, is_subscript)."""
    for pattern, repl in _CYRILLIC_SYMBOLS:
        value = pattern.sub(repl, value)
    parts: list[tuple[str, bool]] = []
    pos = 0
    for m in _INDEXED.finditer(value):
        parts.append((value[pos:m.start()] + m.group(1), False))
        parts.append((m.group(2), True))
        pos = m.end()
    parts.append((value[pos:], False))
    return [(t, sub) for t, sub in parts if t]


def has_notation(value: str) -> bool:
    return any(sub for _t, sub in notation_parts(value)) or "MB" in value


def notation_markup(value: str) -> str:
    """For reportlab paragraphs and HTML: escaped text with <sub>…</sub>."""
    from html import escape

    return "".join(f"<sub>{escape(t)}</sub>" if sub else escape(t).replace("\n", "<br/>")
                   for t, sub in notation_parts(value))


def notation_plain(value: str) -> str:
    """Where no subscript can be drawn: «МБ i», «РБО i» (the index after a thin gap)."""
    return "".join(f"\u00a0{t}" if sub else t for t, sub in notation_parts(value))


def cell_text(value: Any, kind: str) -> str:
    """A value as the Russian reader sees it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, str):
        return value
    if kind == MONEY:
        return format_number(Decimal(value), 2)
    if kind == INT:
        return format_number(Decimal(value), 0)
    if kind == POINTS:
        return format_number(Decimal(value), 2)
    if kind == PCT:
        return format_number(Decimal(value) * 100, 2) + "\u00a0%"
    if kind == DEC:
        d = Decimal(value)
        places = min(6, max(0, -d.normalize().as_tuple().exponent)) if d == d else 0  # type: ignore[operator]
        return format_number(d, places)
    if hasattr(value, "isoformat"):
        return format_date(value)
    return str(value)


def inputs_table(calc: Calculation) -> ReportTable:
    limit_rates = calc.limit_rates
    by_name = {a.municipality: a for a in calc.applications}
    names = [m.municipality for m in (calc.result12 or calc.result13).municipalities]  # type: ignore[union-attr]
    if calc.result12:
        cols = [Col("Муниципальное образование", TEXT, 62), Col("Заявленная потребность, руб.", MONEY, 28),
                Col("MB_i, руб.", MONEY, 26), Col("МБП_i, руб.", MONEY, 26), Col("РБО_i", DEC, 14),
                Col("Предельный уровень", PCT, 18), Col("Общий объём расходов бюджета, руб.", MONEY, 32),
                Col("СОНКО на 1 янв. года заявки (V_i)", INT, 19), Col("СОНКО на 1 янв. пред. года", INT, 19),
                Col("СОНКО, получив-шие поддержку", INT, 18)]
        rows = [[n, a.declared_need, a.local_funds, a.local_funds_cofinanced, a.fiscal_capacity, limit_rates.get(n),
                 a.total_budget_spending, a.ngo_registered, a.ngo_registered_previous, a.ngo_supported]
                for n in names for a in [by_name[n]]]
        return ReportTable("inputs", "Исходные данные заявок", "п. 5, 11, 15–17", cols, rows,
                           notes=["«—» — сведения не представлены (показатель рейтинга оценивается в 0 баллов, п. 11)."])
    cols = [Col("Муниципальное образование", TEXT, 80), Col("Вид", TEXT, 32),
            Col("Заявленная потребность в средствах областного бюджета, руб.", MONEY, 40),
            Col("П_i — потребность в средствах областного и местного бюджетов, руб.", MONEY, 40),
            Col("РБО_i", DEC, 20), Col("Предельный уровень", PCT, 24)]
    rows = [[n, KIND_LABELS.get(a.kind, a.kind), a.declared_need, a.total_need, a.fiscal_capacity, limit_rates.get(n)]
            for n in names for a in [by_name[n]]]
    return ReportTable("inputs", "Исходные данные заявок", "п. 4, 11, 12", cols, rows)


def documents_table(calc: Calculation) -> ReportTable:
    apps = calc.applications
    items = documents_for(calc.info.procedure)
    cols = [Col("Муниципальное образование", TEXT, 60)] + [Col(f"Док. {d.code}", TEXT, 22) for d in items]
    rows = []
    for a in sorted(apps, key=lambda a: (a.municipality.casefold(), a.municipality)):
        row: list[Any] = [a.municipality]
        for d in items:
            mark = a.documents.get(d.code)
            row.append((format_date(mark.date) if mark.date else "да") if mark and mark.received else "нет")
        rows.append(row)
    clause = "п. 5" if calc.result12 else "п. 4"
    notes = [f"Док. {d.code} — {d.title} ({d.clause}){'' if d.required else '; представляется при наличии поддержки'}"
             for d in items]
    return ReportTable("documents", "Документы, представленные для участия в отборе", clause, cols, rows, notes=notes)


def rating_table(calc: Calculation) -> ReportTable:
    r = calc.result12
    assert r is not None
    cols = [Col("Муниципальное образование", TEXT, 56)] + [Col(f"Пок. {i.code} (×{ru(i.coefficient)})", POINTS, 19)
                                                            for i in RATING_ITEMS] + [Col("Рейтинговая оценка B_i", POINTS, 22)]
    ordered = sorted(r.municipalities, key=lambda m: (-m.score, m.municipality))
    rows = [[m.municipality] + [f"{i.points} → {ru(i.weighted)}" for i in m.items] + [m.score] for m in ordered]
    notes = [f"Пок. {i.code} — {i.title}: {i.rule} баллов; коэффициент значимости {ru(i.coefficient)}." for i in RATING_ITEMS]
    notes.append("В ячейке: баллы → баллы × коэффициент. Показатель без сведений оценивается в 0 баллов.")
    return ReportTable("rating", "Рейтинговая оценка заявок", "п. 11", cols, rows, notes=notes)


def rating_basis_table(calc: Calculation) -> ReportTable:
    r = calc.result12
    assert r is not None
    cols = [Col("Муниципальное образование", TEXT, 56), Col("Показатель", TEXT, 16), Col("Основание", TEXT, 140),
            Col("Баллы", INT, 16), Col("Взвешенные баллы", POINTS, 20)]
    rows = [[m.municipality, i.code, i.basis, i.points, i.weighted] for m in r.municipalities for i in m.items]
    return ReportTable("rating_basis", "Основания баллов рейтинговой оценки", "п. 11", cols, rows)


def selection_table(calc: Calculation) -> ReportTable:
    res = calc.result12 or calc.result13
    cols = [Col("Муниципальное образование", TEXT, 64)]
    if calc.result12:
        cols.append(Col("Рейтинговая оценка", POINTS, 24))
    cols += [Col("Результат отбора", TEXT, 30), Col("Основания отказа (пункт Порядка)", TEXT, 144)]
    rows = []
    for m in res.municipalities:  # type: ignore[union-attr]
        row: list[Any] = [m.municipality] + ([m.score] if calc.result12 else [])
        row += ["прошло отбор" if m.passed else "отказ", "; ".join(str(x) for x in m.reasons) or "—"]
        rows.append(row)
    return ReportTable("selection", "Результаты отбора", "п. 2, 10, 12–13, 15–17" if calc.result12 else "п. 1, 7–9, 12",
                       cols, rows)


def distribution12_table(calc: Calculation) -> ReportTable:
    r = calc.result12
    assert r is not None
    cols = [Col("Муниципальное образование", TEXT, 44), Col("0,3·C/N", MONEY, 22), Col("0,3·C·V_i/V", MONEY, 22),
            Col("MB_i/РБО_i·B_i", DEC, 28), Col("0,4·C·(MB_i/РБО_i·B_i)/Σ", MONEY, 24),
            Col("C_i до округления", MONEY, 24), Col("C_i округл. до рублей", MONEY, 22), Col("Снято при округлении", MONEY, 17),
            Col("Заявленная потребность", MONEY, 24), Col("C_i с учётом потребности", MONEY, 24)]
    rows = [[m.municipality, a.term_equal, a.term_ngo, a.weight, a.term_weighted, a.raw, a.rounded, a.taken_back, a.need,
             a.amount] for m in r.municipalities for a in [m.allocation] if a]
    notes = [f"C = {ru(r.budget)} руб.; N = {r.n}; V = {r.v}; Σ(MB_j/РБО_j·B_j) = {ru(r.weight_sum)}.",
             "Во втором слагаемом «V_i / B» текста Порядка прочитано как V_i / V (решение по опечатке). "
             "C_i округляется до целого числа рублей по правилам математического округления; C_i больше заявленной "
             "потребности принимается равной потребности (п. 15). Рубль округления снимается, только если сумма "
             "C_i после этого превышает C: у МО с наибольшим превышением округлённой суммы над точной, при равенстве — "
             "по алфавиту."]
    return ReportTable("distribution", "Распределение субсидий по формуле", "п. 15", cols, rows, notes=notes)


def remainder12_table(calc: Calculation) -> ReportTable:
    r = calc.result12
    assert r is not None
    cols = [Col("Муниципальное образование", TEXT, 52), Col("C_i", MONEY, 24), Col("CO_i (п. 16)", TEXT, 34),
            Col("Собственные средства (МБП_i или MB_i)", MONEY, 28), Col("D_i до ограничения", PCT, 20),
            Col("Предельный уровень min(утв.; 70 %)", PCT, 24), Col("Уменьшение CO_i", MONEY, 22),
            Col("Уменьшение C_i", MONEY, 22), Col("Итого субсидия", MONEY, 26), Col("D_i итоговый", PCT, 18)]
    rows = []
    for m in r.municipalities:
        a = m.allocation
        if a is None:
            continue
        co = " + ".join(cell_text(x, MONEY) for x in a.remainder_rounds) or "—"
        rows.append([m.municipality, a.amount, co, a.local_for_cofinancing, a.rate_before, a.cap, a.reduced_remainder,
                     a.reduced_subsidy, a.final_total, a.rate_after])
    notes = ["CO_i = MB_i × CO / MB по МО, у которых C_i ниже потребности; округление до целого числа рублей "
             "(математическое); не более потребности; рубль снимается, только если сумма CO_i превышает CO (п. 16)."]
    if r.distribute_remainder_fully:
        notes.append("Выбран режим «распределять остаток до исчерпания»: повторные распределения остатка выходят за "
                     "рамки текста Порядка (в п. 16 — однократное распределение).")
    notes.append("D_i = (C_i + CO_i) / (C_i + CO_i + МБП_i) × 100 %; при превышении предельного уровня сумма "
                 "уменьшается до наибольшей допустимой в целых рублях (округление вниз), сначала CO_i, затем C_i (п. 17).")
    return ReportTable("cofinancing", "Остаток средств и уровень софинансирования", "п. 16–17", cols, rows, notes=notes)


def distribution13_table(calc: Calculation) -> ReportTable:
    r = calc.result13
    assert r is not None
    cols = [Col("Муниципальное образование", TEXT, 56), Col("Dср", PCT, 16), Col("Dср / РБО_i", PCT, 20),
            Col("Предельный уровень", PCT, 20), Col("D_i", PCT, 18), Col("СОБ/П × П_i × D_i", MONEY, 28),
            Col("Заявленная потребность", MONEY, 28), Col("C_i с учётом потребности", MONEY, 28),
            Col("C_i итоговый", MONEY, 28)]
    rows = [[m.municipality, a.average_rate, a.rate_formula, a.limit_rate, a.rate, a.raw, a.need, a.before_scaling,
             a.amount] for m in r.municipalities for a in [m.allocation] if a]
    notes = [f"СОБ = {ru(r.budget)} руб.; П = {ru(r.total_need)} руб. (сумма заявленных потребностей МО, прошедших отбор)."]
    if r.scaling_factor is not None:
        notes.append(f"Сумма C_i превысила СОБ, поэтому все суммы уменьшены пропорционально (коэффициент "
                     f"{ru(r.scaling_factor)}): П и П_i в формуле п. 12 выражены в разных единицах.")
    return ReportTable("distribution", "Размер субсидий", "п. 12", cols, rows, notes=notes)


def summary_table(calc: Calculation) -> ReportTable:
    cols = [Col("Показатель", TEXT, 150), Col("Сумма, руб.", MONEY, 40), Col("Пункт", TEXT, 30)]
    rows: list[list[Any]] = [["Объём средств на субсидии", calc.budget, "п. 15" if calc.result12 else "п. 12"],
                             ["Распределено", calc.allocated, ""], ["Не распределено", calc.unallocated, ""]]
    if calc.result12:
        rows += [[f"   в том числе: {p.why}", p.amount, p.clause] for p in calc.result12.unallocated_parts]
    return ReportTable("summary", "Итоги распределения", "", cols, rows, bold_rows=[1, 2])


def efficiency_table(calc: Calculation) -> ReportTable:
    if calc.result12:
        cols = [Col("Муниципальное образование", TEXT, 70), Col("Значение по соглашению", DEC, 30),
                Col("Фактическое значение", DEC, 30), Col("Эффективность", PCT, 30), Col("Оценка", TEXT, 40)]
        rows = [[e.municipality, e.planned, e.actual, e.percent / 100, e.category] for e in calc.efficiency12]
        return ReportTable("efficiency", "Оценка эффективности использования субсидии", "п. 18", cols, rows,
                           notes=["≥ 100 % — высокая; ≥ 90 % и < 100 % — удовлетворительная; < 90 % — низкая (п. 18)."])
    cols = [Col("Муниципальное образование", TEXT, 60), Col("Результат использования субсидии", TEXT, 110),
            Col("n (соглашение)", DEC, 24), Col("m (факт)", DEC, 24), Col("ЭП_i", PCT, 24)]
    rows = [[e.municipality, e.result, e.planned, e.actual, e.percent / 100] for e in calc.efficiency13]
    return ReportTable("efficiency", "Эффективность использования субсидии ЭП_i = m / n × 100 %", "п. 17", cols, rows)


def clawback_table(calc: Calculation) -> ReportTable:
    cols = [Col("Муниципальное образование", TEXT, 46), Col("Мероприятие", TEXT, 58), Col("Субсидия, руб.", MONEY, 24),
            Col("Индексы D_it", TEXT, 30), Col("m / n", TEXT, 12), Col("K_i", DEC, 16),
            Col("CB_i по формуле, руб.", MONEY, 24), Col("Освобождение (п. 22)", TEXT, 30), Col("К возврату, руб.", MONEY, 22)]
    rows = []
    for c in calc.clawbacks:
        idx = "; ".join(f"{x.formula} = {ru(x.value, 4) if x.value is not None else 'не опр.'}" for x in c.indexes)
        rows.append([c.municipality, c.event, c.granted, idx, f"{c.m} / {c.n}", c.coefficient, c.amount_formula,
                     c.exemption_note or "—", c.amount])
    totals = calc.clawback_totals()
    if totals:
        rows.append(["Итого к возврату", "", None, "", "", None, None, "", sum(totals.values(), Decimal(0))])
    return ReportTable("clawback", "Объём средств, подлежащий возврату", "п. 19–20, 22", cols, rows,
                       bold_rows=[len(rows) - 1] if totals else [],
                       notes=["CB_i = (CC_i × K_i × m_i / n_i) × 0,1; K_i — среднее положительных D_it; сумма — по "
                              "каждому мероприятию (п. 19–20); до копеек."])


def trace_table(calc: Calculation) -> ReportTable:
    cols = [Col("Пункт", TEXT, 30), Col("Муниципальное образование", TEXT, 44), Col("Величина", TEXT, 58),
            Col("Расчёт", TEXT, 70), Col("Значение", TEXT, 28), Col("Примечание", TEXT, 32)]
    rows = []
    for s in calc.trace.steps:
        if isinstance(s.value, bool):
            value = "да" if s.value else "нет"
        elif isinstance(s.value, Decimal):
            value = ru(s.value, 6) if s.value != s.value.to_integral_value() else ru(s.value)
            value = value.rstrip("0").rstrip(",") if "," in value else value
        else:
            value = ru(s.value)
        rows.append([s.clause, s.municipality, s.what, s.formula, value, s.note])
    return ReportTable("trace", "Ход расчёта (все промежуточные значения)", "", cols, rows)


def protocol_tables(calc: Calculation) -> list[ReportTable]:
    """Every table of the calculation protocol, in order."""
    tables = [inputs_table(calc), documents_table(calc)]
    if calc.result12:
        tables += [rating_table(calc), rating_basis_table(calc), selection_table(calc), distribution12_table(calc),
                   remainder12_table(calc)]
    else:
        tables += [selection_table(calc), distribution13_table(calc)]
    tables.append(summary_table(calc))
    if calc.efficiency12 or calc.efficiency13:
        tables.append(efficiency_table(calc))
    if calc.clawbacks:
        tables.append(clawback_table(calc))
    tables.append(trace_table(calc))
    return tables
