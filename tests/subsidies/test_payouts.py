"""Issue 13: Appendix 12 pays exactly what the text says — only municipal districts (§2), whole rubles through
§15–§17 (Σ ≤ C), a ruble of rounding is taken back only when the budget requires it, and one ineligible
applicant is refused alone while the others are calculated. Each example is worked out by hand below."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

from socplan.domain.subsidies.app12 import Application12, Round12
from socplan.domain.subsidies.app12_calc import calculate_app12
from socplan.domain.subsidies.common import DocumentMark
from socplan.io.subsidies_json import read_round
from socplan.resources import resource_path

DOCS = {c: DocumentMark(True) for c in ("1", "2", "3", "4", "5.1", "5.2", "5.3", "5.4")}
AZOV = "Азовский немецкий национальный муниципальный район"
BOLSH = "Большереченский муниципальный район"
TYUK = "Тюкалинский муниципальный район"


def demo12() -> Round12:
    return read_round(resource_path("demo", "subsidies", "app12_2025.json")).app12


def app(name: str, mb: int, need: int, **kw) -> Application12:  # noqa: ANN003
    """Every rating item present: B_i = 150×0,2 + 150×0,2 + 150×0,1 + 100×0,1 + 200×0,1 + 100×0,1 + 100×0,05
    + 500×0,1 + 100×0,05 = 175 (item 1: 0,005 % → 150; item 2: growth 5 → 150)."""
    base = dict(declared_need=D(need), local_funds=D(mb), local_funds_cofinanced=D(10 ** 7), fiscal_capacity=D(1),
                total_budget_spending=D(10 ** 9), ngo_registered=5, ngo_registered_previous=0, ngo_supported=5,
                commission_active=True, infrastructure_event=True, training_event=True, property_list=True,
                preferential_contracts=5, registry_published=True, documents=DOCS)
    base.update(kw)
    return Application12(name, **base)


# ------------------------------------------------------------------ 1. only municipal districts (§2)

def test_city_district_is_refused_under_clause_2_and_the_districts_share_the_budget() -> None:
    """«город Омск» is a городской округ; App. 12 §2: «Под муниципальными образованиями … понимаются
    муниципальные районы». It is refused with п. 2 and takes nothing; N counts the six districts that pass."""
    r = calculate_app12(demo12())
    omsk = r.by_name("город Омск")
    assert not omsk.passed and omsk.allocation is None
    assert omsk.reasons[0].clause == "п. 2"
    assert "не муниципальный район" in omsk.reasons[0].text
    assert r.n == 6
    assert any(s.clause == "п. 2" and s.municipality == "город Омск" for s in r.trace.steps)


def test_settlement_and_region_are_refused_alone_under_clause_2() -> None:
    good = app(AZOV, 50000, 10 ** 6)
    settlement = app("Богословское сельское поселение", 50000, 10 ** 6, kind="settlement")
    region = app("Омская область", 50000, 10 ** 6, kind="region")
    r = calculate_app12(Round12(2025, D(100000), (good, settlement, region),
                                {n: D(1) for n in (AZOV, "Богословское сельское поселение", "Омская область")}))
    assert [m.municipality for m in r.municipalities if m.passed] == [AZOV]
    for name in ("Богословское сельское поселение", "Омская область"):
        assert r.by_name(name).reasons[0].clause == "п. 2" and r.by_name(name).allocation is None
    assert r.by_name(AZOV).allocation.final_total == D(100000)  # N = 1: all of C (need 1 000 000)


# ------------------------------------------------------------------ 2. whole rubles through §17

def test_cofinancing_cap_keeps_whole_rubles() -> None:
    """Demo, Калачинский район: C_i = min(339 247, need 300 000) = 300 000; CO = 0 for everybody (all districts
    reach their need once the city is refused). §17: local funds MB_i = 95 000 (МБП_i not given), cap
    min(92 %; 70 %) = 70 %; the largest C_i + CO_i with D_i ≤ 70 % is 0,7 × 95 000 / 0,3 = 221 666,67 → down to
    whole rubles 221 666 (D_i = 221 666 / 316 666 = 69,99996 %). Before the fix: 221 666,66."""
    r = calculate_app12(demo12())
    kal = r.by_name("Калачинский муниципальный район").allocation
    assert kal.amount == D(300000) and kal.final_total == D(221666)
    assert kal.rate_after <= D("0.7")
    for m in r.municipalities:
        if m.allocation:
            for value in (m.allocation.amount, m.allocation.final_subsidy, m.allocation.final_remainder):
                assert value == value.to_integral_value(), (m.municipality, value)
    steps = [s for s in r.trace.steps if s.municipality == "Калачинский муниципальный район" and s.clause == "п. 17"]
    assert any("вниз до целых рублей" in s.formula for s in steps)


def test_demo_round_corrected_figures() -> None:
    """Without the city the six districts' C_i all exceed their needs (e.g. Омский район 843 971 > 600 000), so
    C_i = need and CO = 3 000 000 − 2 200 000 = 800 000 has no recipient (§16: nobody is below need).
    §17 then caps each at 0,7 × local / 0,3, down to rubles:
    Азовский 250 000 (need; 250 000 / 370 000 = 67,6 %), Исилькульский 0,7 × 150 000 / 0,3 = 350 000,
    Калачинский 221 666, Любинский 0,7 × 130 000 / 0,3 = 303 333,33 → 303 333, Омский 0,7 × 200 000 / 0,3 =
    466 666,67 → 466 666, Тарский 0,7 × 60 000 / 0,3 = 140 000. Σ = 1 731 665."""
    r = calculate_app12(demo12())
    got = {m.municipality: m.allocation.final_total for m in r.municipalities if m.allocation}
    assert got == {AZOV: D(250000), "Исилькульский муниципальный район": D(350000),
                   "Калачинский муниципальный район": D(221666), "Любинский муниципальный район": D(303333),
                   "Омский муниципальный район": D(466666), "Тарский муниципальный район": D(140000)}
    assert r.allocated == D(1731665) and r.unallocated == D(1268335)


def test_need_with_kopecks_caps_at_its_whole_rubles() -> None:
    """N = 1, C = 200 000: C_i = 200 000 > need 150 000,50 → the need in whole rubles, 150 000 (rounded down so
    that the subsidy never exceeds the need); of the remainder 50 000 (§16) it can take only the 0,50 left to its
    need — 0 in whole rubles."""
    r = calculate_app12(Round12(2025, D(200000), (app(AZOV, 50000, 0, declared_need=D("150000.50")),), {AZOV: D(1)}))
    al = r.by_name(AZOV).allocation
    assert al.capped_at_need and al.amount == D(150000) and al.final_total == D(150000)
    step = next(s for s in r.trace.steps if "принимается равной потребности" in s.what)
    assert step.clause == "п. 15" and "с копейками" in step.note


# ------------------------------------------------------------------ 3. a ruble is taken back only when needed

def mr05_round(tyukalinsky_need: int) -> Round12:
    """C = 3 000 000, all three B_i = 175, V_i = 5, РБО_i = 1. §15: C_i = 100 000 + 300 000 + 0,4·C·MB_i/ΣMB:
    Азовский (MB 50 000) 748 249,18 → 748 249; Большереченский (MB 254 723) 1 355 249,50 → 1 355 250;
    Тюкалинский (MB 100 001) 896 501,32 → 896 501; Σ = 3 000 000 exactly. Азовский's need 570 887 caps it, so
    CO = 3 000 000 − 570 887 − 1 355 250 − 896 501 = 177 362, shared by MB (254 723 + 100 001 = 354 724 = 2 × CO):
    Большереченский 127 361,5 → 127 362, Тюкалинский 50 000,5 → 50 001 (Σ 177 363, one ruble over CO)."""
    apps = (app(AZOV, 50000, 570887), app(BOLSH, 254723, 2000000), app(TYUK, 100001, tyukalinsky_need))
    return Round12(2025, D(3000000), apps, {a.municipality: D(1) for a in apps})


def test_rounding_takes_no_ruble_when_a_need_cap_frees_the_budget() -> None:
    """Тюкалинский has only 20 000 left to its need (916 501 − 896 501), so its CO_i is 20 000, and the
    rounded amounts 127 362 + 20 000 = 147 362 fit CO = 177 362: Большереченский keeps 127 362.
    Before the fix the ruble was taken back before the cap (127 361 — the «MR05» case of the issue)."""
    r = calculate_app12(mr05_round(916501))
    assert r.by_name(TYUK).allocation.remainder_rounds == (D(20000),)
    bolsh = r.by_name(BOLSH).allocation
    assert bolsh.remainder_rounds == (D(127362),)
    assert bolsh.final_total == D(1355250 + 127362)
    assert not any("Снят" in s.what for s in r.trace.steps)


def test_ruble_is_taken_back_when_the_budget_requires_it_by_the_documented_rule() -> None:
    """With Тюкалинский's need far away both shares stay rounded: 127 362 + 50 001 = 177 363 > CO = 177 362.
    One ruble goes back from the amount furthest above its exact value: both are 0,5 above, the tie goes by
    name — Большереченский (Б before Т) gets 127 361; Σ = C exactly."""
    r = calculate_app12(mr05_round(2000000))
    assert r.by_name(BOLSH).allocation.remainder_rounds == (D(127361),)
    assert r.by_name(TYUK).allocation.remainder_rounds == (D(50001),)
    assert r.allocated == D(3000000)
    step = next(s for s in r.trace.steps if "Снят" in s.what)
    assert step.municipality == BOLSH and step.clause.startswith("п. 16")
    assert "наибольшим превышением" in step.note


# ------------------------------------------------------------------ 4. one bad application does not stop the round

def test_ineligible_applicants_are_refused_alone_and_the_others_calculated() -> None:
    """A settlement (§2), a district with РБО_i = 0 (MB_i / РБО_i undefined, §15) and one without MB_i are each
    refused with their clause; the two good districts get exactly what they get in a round without them."""
    good = (app(AZOV, 50000, 10 ** 6), app(BOLSH, 80000, 10 ** 6))
    bad = (app("Богословское сельское поселение", 50000, 10 ** 6, kind="settlement"),
           app(TYUK, 50000, 10 ** 6, fiscal_capacity=D(0)),
           app("Тарский муниципальный район", 50000, 10 ** 6, local_funds=None))
    rates = {a.municipality: D("0.9") for a in good + bad}
    mixed = calculate_app12(Round12(2025, D(900000), good + bad, rates))
    alone = calculate_app12(Round12(2025, D(900000), good, rates))
    assert [m.allocation for m in mixed.municipalities if m.passed] == \
        [m.allocation for m in alone.municipalities if m.passed]
    clauses = {m.municipality: [x.clause for x in m.reasons] for m in mixed.municipalities if not m.passed}
    assert clauses["Богословское сельское поселение"] == ["п. 2"]
    assert clauses[TYUK] == ["п. 15"] and "РБО_i равен нулю" in mixed.by_name(TYUK).reasons[0].text
    assert clauses["Тарский муниципальный район"] == ["п. 5 подп. 3, п. 15"]
    assert "MB_i" in mixed.by_name("Тарский муниципальный район").reasons[0].text
    assert mixed.allocated == alone.allocated


def test_missing_limit_level_refuses_that_district_only() -> None:
    a, b = app(AZOV, 50000, 10 ** 6), app(BOLSH, 80000, 10 ** 6)
    r = calculate_app12(Round12(2025, D(100000), (a, b), {AZOV: D("0.9")}))
    assert r.by_name(AZOV).passed and r.by_name(AZOV).allocation.final_total == D(100000)
    assert [x.clause for x in r.by_name(BOLSH).reasons] == ["п. 17"]


def test_documents_after_the_deadline_are_not_presented() -> None:
    """§10: Минтруд sets the deadline; a required document received after it was not presented in time
    (§13 подп. 1)."""
    import datetime as dt

    late = dict(DOCS)
    late["3"] = DocumentMark(True, dt.date(2025, 3, 3))
    a, b = app(AZOV, 50000, 10 ** 6), app(BOLSH, 80000, 10 ** 6, documents=late)
    rnd = dataclasses.replace(Round12(2025, D(100000), (a, b), {AZOV: D(1), BOLSH: D(1)}),
                              applications_deadline=dt.date(2025, 2, 28))
    r = calculate_app12(rnd)
    reason = r.by_name(BOLSH).reasons[0]
    assert reason.clause == "п. 13 подп. 1, п. 10" and "03.03.2025" in reason.text and "28.02.2025" in reason.text
    assert r.by_name(AZOV).passed


# ------------------------------------------------------------------ what the user prints

def test_printed_protocol_and_annex_show_the_corrected_demo_figures(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """The stored demo round printed as a user prints it: the protocol refuses «город Омск» with п. 2 (in the
    selection table and in the trace), shows the whole-ruble figures, and the «РАСПРЕДЕЛЕНИЕ» annex lists the six
    districts only, Σ = 1 731 665 (see test_demo_round_corrected_figures)."""
    import subprocess

    from socplan.services.subsidies import reports, rounds

    rid = next(r.id for r in rounds.list_rounds(demo_ctx) if r.procedure == "app12")

    def text(kind: str, mode: str = "-layout") -> str:
        out = reports.generate_report(demo_ctx, rid, kind, tmp_path / f"{kind}.pdf")
        raw = subprocess.run(["pdftotext", mode, str(out), "-"], capture_output=True, text=True, check=True).stdout
        return " ".join(raw.split())

    protocol = text("protocol")
    # a trace row read cell by cell (-raw: the order they are drawn in), so that where the 10 pt text of the long
    # «Расчёт» cell wraps does not matter: -layout puts the next cells' first lines between its lines
    trace = text("protocol", "-raw")
    assert "Распределено: 1 731 665,00 руб. Не распределено: 1 268 335,00 руб." in protocol
    assert "город Омск 175,00 отказ городской округ — не муниципальный район: по п. 2 Порядка" in protocol
    assert "понимаются только муниципальные районы Омской области (п. 2)" in protocol
    assert "п. 2 город Омск Основание отказа городской округ — не муниципальный район" in trace
    assert "221 666,00" in protocol  # the old 221 666,66 is gone; only §17's exact quotient is shown in the trace
    assert "221 666,6666666667 → вниз" in protocol and "221 666,66" not in protocol.replace("221 666,6666666667", "")
    assert "вниз до целых" in protocol and "рубли округления не снимаются" in protocol
    annex = text("distribution")
    assert "РАСПРЕДЕЛЕНИЕ" in annex and "город Омск" not in annex
    for row in ("Азовский немецкий национальный муниципальный район 250 000,00",
                "Исилькульский муниципальный район 350 000,00", "Калачинский муниципальный район 221 666,00",
                "Любинский муниципальный район 303 333,00", "Омский муниципальный район 466 666,00",
                "Тарский муниципальный район 140 000,00", "Итого 1 731 665,00"):
        assert row in annex, row
