"""Every formula of seeds 001 and 003 computed from hand-picked component values, and one test per erratum of
the register (resources/reference/methodology_errata.json, docs/methodology-errata.md)."""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from socplan.db.models.audit import AuditLog
from socplan.domain.errors import ImportFileError, SocPlanError
from socplan.domain.indicators import Direction, FormState, Period, achievement, compute_sheet
from socplan.domain.methodology import reason_required, shortfall
from socplan.domain.subsidies.app12 import cofinancing_rate
from socplan.services.indicators import analysis, catalogue, entry
from socplan.services.indicators.excel import export_template, import_template
from socplan.services.indicators.methodology import errata_register

DISTRICT = "Тарский муниципальный район"
ROOT = Path(__file__).resolve().parents[2]


def _info(ctx, form: str, code: str):  # noqa: ANN001, ANN202
    return next(i for i in catalogue.list_indicators(ctx, form) if i.code == code)


def _fact(ctx, form: str, code: str, **components) -> D | None:  # noqa: ANN001, ANN003
    """The indicator's fact computed by the catalogue's methodology from the given component values."""
    infos = catalogue.list_indicators(ctx, form)
    entered = {(code, symbol, "fact"): D(str(v)) for symbol, v in components.items()}
    return compute_sheet([i.definition() for i in infos], entered)[(code, "", "fact")].value


# ------------------------------------------------------------------ seed 003, Appendix 1, one test per formula

def test_gp1_share_above_subsistence_minimum(demo_ctx) -> None:  # noqa: ANN001
    """Дгдп: А = 1 618 above the minimum of В = 7 518 assessed → 1 618 / 7 518 × 100 = 21,52… → 21,5 %."""
    assert _fact(demo_ctx, "ГП", "1", А=1618, В=7518) == D("21.5")


def test_gp2_share_served_of_applied(demo_ctx) -> None:  # noqa: ANN001
    """Dcy = B / A × 100: 4 850 served of 5 000 applied → 97,0 %."""
    assert _fact(demo_ctx, "ГП", "2", B=4850, A=5000) == D("97.0")


def test_gp3_share_income_increased(demo_ctx) -> None:  # noqa: ANN001
    """Дгду: А = 4 210 with increased income of В = 8 058 assessed → 52,246… → 52,2 %."""
    assert _fact(demo_ctx, "ГП", "3", А=4210, В=8058) == D("52.2")


def test_gp4_share_of_low_income_covered(demo_ctx) -> None:  # noqa: ANN001
    """Дгохгсп = В / А × 100: 2 440 covered of 40 000 low-income → 6,1 %."""
    assert _fact(demo_ctx, "ГП", "4", В=2440, А=40000) == D("6.1")


def test_gp5_share_of_elderly_and_disabled_served(demo_ctx) -> None:  # noqa: ANN001
    """F = E / D × 100, D = D1 + D2: 51 000 / (250 000 + 50 000) × 100 = 17,00 % (two decimals)."""
    assert _fact(demo_ctx, "ГП", "5", E=51000, D1=250000, D2=50000) == D("17.00")


def test_gp6_share_of_non_state_providers(demo_ctx) -> None:  # noqa: ANN001
    """V = Vn / Vo × 100: 19 of 76 providers → 25,0 %."""
    assert _fact(demo_ctx, "ГП", "6", Vn=19, Vo=76) == D("25.0")


def test_gp8_social_obligations_met(demo_ctx) -> None:  # noqa: ANN001
    """V = Vn / Vo × 100: 9 990 granted of 10 000 entitled → 99,9 %."""
    assert _fact(demo_ctx, "ГП", "8", Vn=9990, Vo=10000) == D("99.9")


def test_gp11_long_term_care_share(demo_ctx) -> None:  # noqa: ANN001
    """D = A / C × 100: 350 in long-term care of 875 in need → 40,0 %."""
    assert _fact(demo_ctx, "ГП", "11", A=350, C=875) == D("40.0")


def test_gp13_ngos_supported(demo_ctx) -> None:  # noqa: ANN001
    """НСОНКО = N1СОНКО + N2СОНКО: 60 + 40 = 100 organisations."""
    assert _fact(demo_ctx, "ГП", "13", N1СОНКО=60, N2СОНКО=40) == D(100)


def test_gp14_heat_per_square_metre(demo_ctx) -> None:  # noqa: ANN001
    """Утэ = ОПтэ / Птэ: 855,5 Гкал / 10 000 кв. м = 0,08555 → 0,0856 (four decimals, half-up)."""
    assert _fact(demo_ctx, "ГП", "14", ОПтэ="855.5", Птэ=10000) == D("0.0856")


def test_gp15_electricity_per_square_metre(demo_ctx) -> None:  # noqa: ANN001
    """Уээ = ОПээ / Пээ: 545 600 кВт.ч / 10 000 кв. м = 54,56."""
    assert _fact(demo_ctx, "ГП", "15", ОПээ=545600, Пээ=10000) == D("54.56")


def test_gp16_accessible_priority_objects(demo_ctx) -> None:  # noqa: ANN001
    """D = A / C × 100 (erratum ГП-16): 702 accessible of 1 000 priority objects → 70,2 %."""
    assert _fact(demo_ctx, "ГП", "16", A=702, C=1000) == D("70.2")


def test_gp17_rehabilitation_adults(demo_ctx) -> None:  # noqa: ANN001
    """D = A / B × 100: 900 of 1 000 adults with recommendations → 90,0 %."""
    assert _fact(demo_ctx, "ГП", "17", A=900, B=1000) == D("90.0")


def test_gp18_rehabilitation_children(demo_ctx) -> None:  # noqa: ANN001
    """D = A / B × 100: 485 of 500 children with recommendations → 97,0 %."""
    assert _fact(demo_ctx, "ГП", "18", A=485, B=500) == D("97.0")


def test_nok4_share_assessed_seed001(demo_ctx) -> None:  # noqa: ANN001
    """Seed 001 row 4 = стр.2 / стр.1 × 100: 2023 47 / 73 = 64,38… → 64,4; plan 2026 48 / 72 = 66,66… → 66,7."""
    infos = catalogue.list_indicators(demo_ctx, "НОК")
    values = compute_sheet([i.definition() for i in infos], {("1", "", "fact"): D(73), ("2", "", "fact"): D(47),
                                                              ("1", "", "plan"): D(72), ("2", "", "plan"): D(48)})
    assert values[("4", "", "fact")].value == D("64.4")
    assert values[("4", "", "plan")].value == D("66.7")


# ------------------------------------------------------------------ one test per erratum

def test_erratum_gp1_printed_reading_gives_more_than_100_and_is_not_used(demo_ctx) -> None:  # noqa: ANN001
    """As printed В / А = 7 518 / 1 618 × 100 = 464,6 % — impossible for a share; the application computes
    А / В = 21,5 % and says so on the card."""
    info = _info(demo_ctx, "ГП", "1")
    assert info.formula == "А / В × 100"
    assert info.formula_computed == "Дгдп = А / В × 100 %"
    assert info.formula_note == "в тексте методики: Дгдп = В / А × 100 %"
    printed = compute_sheet([info.definition().__class__("1", "В / А × 100", {"А": "", "В": ""}, 1)],
                            {("1", "А", "fact"): D(1618), ("1", "В", "fact"): D(7518)})
    assert printed[("1", "", "fact")].value == D("464.6")


def test_erratum_gp3_read_as_a_over_b(demo_ctx) -> None:  # noqa: ANN001
    """ГП-3: В = all assessed, А = income increased; computed А / В, the card shows the printed В / А."""
    info = _info(demo_ctx, "ГП", "3")
    assert (info.formula, info.formula_note) == ("А / В × 100", "в тексте методики: Дгду = В / А × 100 %")


def test_erratum_gp16_denominator_c(demo_ctx) -> None:  # noqa: ANN001
    """ГП-16: B is not defined, C is; computed (A / C) × 100 and the card shows «в тексте методики: D = (A/B) …»."""
    info = _info(demo_ctx, "ГП", "16")
    assert info.formula == "(A / C) × 100" and [c.symbol for c in info.components] == ["A", "C"]
    assert info.formula_computed == "D = (A/C) × 100 %"
    assert info.formula_note == "в тексте методики: D = (A/B) × 100 %"


@pytest.mark.parametrize("code,printed", [("53", "Дгдп = В/А × 100%"), ("54", "Дгду = В/А × 100%")])
def test_errata_results_53_54_follow_gp1_gp3(demo_ctx, code: str, printed: str) -> None:  # noqa: ANN001
    """Appendix 11 repeats the formulas of indicators 1 and 3: the same reading А / В."""
    info = _info(demo_ctx, "РМ", code)
    assert info.formula == "А / В × 100"
    assert info.formula_note == f"в тексте методики: {printed}"


def test_erratum_type_of_14_is_editable_journaled_and_achievement_follows(demo_ctx) -> None:  # noqa: ANN001
    """ГП-14-15-тип: plan 0,0853, fact 0,0850. Increasing: 0,0850 / 0,0853 × 100 = 99,6 % (below plan, a reason
    is required); decreasing: 0,0853 / 0,0850 × 100 = 100,35… → 100,4 % «высокий», no reason needed."""
    assert _info(demo_ctx, "ГП", "14").direction is Direction.INCREASING  # as printed
    plan, fact = D("0.0853"), D("0.0850")
    assert achievement(plan, fact, Direction.INCREASING).percent == D("99.6")
    assert reason_required(plan, fact, Direction.INCREASING, D(10))
    info = catalogue.set_direction(demo_ctx, "ГП", "14", "убывающий", reason="плановые значения снижаются")
    assert info.direction is Direction.DECREASING
    ach = achievement(plan, fact, info.direction)
    assert (ach.percent, ach.status.label) == (D("100.4"), "высокий")
    assert not reason_required(plan, fact, info.direction, D(10))
    with demo_ctx.uow() as s:
        log = s.scalars(select(AuditLog).where(AuditLog.entity == "ind_indicator", AuditLog.field == "direction")).all()
    assert [(a.old, a.new, a.reason) for a in log] == [("increasing", "decreasing", "плановые значения снижаются")]
    with pytest.raises(SocPlanError, match="не понят"):
        catalogue.set_direction(demo_ctx, "ГП", "14", "боковой")


def test_erratum_type_drives_the_achievement_report(demo_ctx) -> None:  # noqa: ANN001
    """Region plan 2024 of indicator 15 is 54,56; a fact of 54,00 entered for the district: increasing →
    54,00 / 54,56 = 98,97… → 99,0 %; decreasing → 54,56 / 54,00 = 101,03… → 101,0 %."""
    period = Period(2026)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("15", "", "plan", D("54.56")),
                                                        entry.CellChange("15", "ОПээ", "fact", D(540000)),
                                                        entry.CellChange("15", "Пээ", "fact", D(10000))])

    def row15():  # noqa: ANN202
        data = analysis.achievement_data(demo_ctx, "ГП", DISTRICT, period)
        return next(r for r in data.rows if r.code == "15")
    assert row15().achievement.percent == D("99.0")
    catalogue.set_direction(demo_ctx, "ГП", "15", "decreasing")
    assert (row15().achievement.percent, row15().direction) == (D("101.0"), "убывающий")


def test_erratum_gp18_components_describe_children(demo_ctx) -> None:  # noqa: ANN001
    """ГП-18: the legend copies «(взрослые)» from 17; the components are described for children."""
    comps = _info(demo_ctx, "ГП", "18").components
    assert all("(детей)" in c.description for c in comps)


def test_errata_notation_13_and_71_do_not_change_the_figure(demo_ctx) -> None:  # noqa: ANN001
    """ГП-13 (НСОНКО / NСОНКО) and РМ-71 (Kкомб / Комб): the formula computes with the printed symbols:
    71: 45 / 50 × 100 = 90,0 %."""
    assert _info(demo_ctx, "ГП", "13").formula == "N1СОНКО + N2СОНКО"
    assert _fact(demo_ctx, "РМ", "71", Kгмб=45, Kкомб=50) == D("90.0")


def test_erratum_app12_p17_uses_mbp(demo_ctx) -> None:  # noqa: ANN001
    """П12-17: D_i = (C_i + CO_i) / (C_i + CO_i + МБП_i): 700 000 / (700 000 + 300 000) = 0,7 (70 %)."""
    assert cofinancing_rate(D(700000), D(300000)) == D("0.7")
    ids = {e.id for e in errata_register().errata}
    assert {"П12-15", "П12-17", "П13-17", "П13-19"} <= ids
    rules = (ROOT / "docs" / "subsidy-rules.md").read_text(encoding="utf-8")
    assert "МБП_i is used when given" in rules


def test_erratum_app12_p15_second_term_over_v() -> None:
    """П12-15: 0,3 × C × V_i / V (the text's «/ B» is undefined): C = 10 000 000, V_i = 25 of V = 500 NGOs →
    0,3 × 10 000 000 × 25 / 500 = 150 000."""
    from socplan.domain.subsidies.app12 import distribution_term_ngo

    assert distribution_term_ngo(D(10000000), 25, 500) == D(150000)


def test_erratum_app13_p17_efficiency_per_result() -> None:
    """П13-17: ЭП_i = m / n × 100 % for each result: 3 of 4 crossings → 75 %; 2 of 2 stops → 100 %."""
    from socplan.domain.subsidies.app13 import efficiency_app13
    from socplan.domain.subsidies.common import ResultValue

    rows = efficiency_app13("Тарский муниципальный район", [ResultValue("пешеходные переходы", D(4), D(3)),
                                                           ResultValue("остановки", D(2), D(2))])
    assert [(r.result, r.percent) for r in rows] == [("пешеходные переходы", D(75)), ("остановки", D(100))]


def test_erratum_app13_p19_clawback_per_event_both_directions() -> None:
    """П13-19: one event, C_i = 1 000 000: growth good S = 4, T = 3 → D = 1 − 3/4 = 0,25; growth bad S = 10, T = 12
    → D = 1 − 10/12 = 0,1666…; K = (0,25 + 0,1666…) / 2 = 0,2083…; CB = 1 000 000 × 0,2083… × 2 / 2 × 0,1 =
    20 833,33."""
    from socplan.domain.subsidies.app13 import clawback_app13
    from socplan.domain.subsidies.common import EventOutcome, ResultValue

    (cb,) = clawback_app13([EventOutcome("Тарский муниципальный район", "переходы", D(1000000), (
        ResultValue("обустроено переходов", D(4), D(3)), ResultValue("ДТП с пешеходами", D(10), D(12), False)))])
    assert (cb.m, cb.n, cb.amount) == (2, 2, D("20833.33"))


def test_register_audits_every_formula_of_seeds_001_and_003(demo_ctx) -> None:  # noqa: ANN001
    """Every indicator with a formula in forms ГП (seed 003 App. 1), РМ (App. 11) and НОК (seed 001) is listed in
    the audit, and every erratum that changes a formula matches the catalogue."""
    reg = errata_register()
    audited = {(a.form, a.indicator) for a in reg.audit}
    for form in ("ГП", "РМ", "НОК"):
        for info in catalogue.list_indicators(demo_ctx, form):
            if info.formula:
                assert (form, info.code) in audited, (form, info.code)
    for e in reg.errata:
        if e.formula:
            assert _info(demo_ctx, e.form, e.indicator).formula == e.formula
    doc = (ROOT / "docs" / "methodology-errata.md").read_text(encoding="utf-8")
    for e in reg.errata:
        assert f"`{e.id}`" in doc and e.printed in doc, e.id


# ------------------------------------------------------------------ units

def test_units_carry_okei_code_and_print_consistently(demo_ctx) -> None:  # noqa: ANN001
    """«процент»/«процентов» of the seed show as «процентов» (744); «Г кал/кв. м» → «Гкал/кв. м» (233/055)."""
    gp = {i.code: i for i in catalogue.list_indicators(demo_ctx, "ГП")}
    assert {(gp[c].unit_code, gp[c].unit_name, gp[c].okei_name) for c in ("5", "16", "1")} == {
        ("744", "процентов", "Процент")}
    assert (gp["14"].unit_code, gp["14"].unit_name, gp["14"].unit_printed) == ("233/055", "Гкал/кв. м", "Г кал/кв. м")
    assert (gp["15"].unit_code, gp["15"].okei_name) == ("245/055", "Киловатт-час / Квадратный метр")
    assert (gp["9"].unit_code, gp["9"].okei_name) == ("792", "Человек")
    assert all(i.unit_code for i in gp.values())
    rm = {i.code: i for i in catalogue.list_indicators(demo_ctx, "РМ")}
    assert all(i.unit_code for i in rm.values()), [i.unit_printed for i in rm.values() if not i.unit_code]
    assert (rm["22"].unit_code, rm["29"].unit_code, rm["74"].unit_code, rm["93"].unit_code) == ("897", "896", "698", "355")


# ------------------------------------------------------------------ checks at entry and import

def test_import_flags_share_over_100_with_the_cell(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """Components of indicator 1 swapped (А = 7 518, В = 1 618) give 464,6 %: the import names the cell of
    indicator 1 and loads nothing."""
    path = tmp_path / "шаблон.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, Period(2025), path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    rows = {str(ws.cell(r, 1).value).replace("\u00a0", " "): r for r in range(6, ws.max_row + 1)}
    ws.cell(rows["1 · А"], 5).value = 7518
    ws.cell(rows["1 · В"], 5).value = 1618
    wb.save(path)
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    text = "\n".join(info.value.problems)
    assert f"строка {rows['1']}, столбец «Факт» (E) (стр. 1): доля по формуле получилась 464,6 %" in text
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    assert next(r for r in sheet.rows if r.indicator.code == "1" and r.component == "А").fact is None


def test_shortfall_needs_reason_whatever_the_percentage(demo_ctx) -> None:  # noqa: ANN001
    """Plan 600, fact 599 (99,8 %, within the 10 % threshold) — still «причины недостижения»; 620 (103,3 %) does
    not need one; 700 (116,7 %, over the threshold) does."""
    assert shortfall(D(600), D(599), Direction.INCREASING)
    assert not reason_required(D(600), D(620), Direction.INCREASING, D(10))
    assert reason_required(D(600), D(700), Direction.INCREASING, D(10))
    period = Period(2027)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "plan", D(600)),
                                                        entry.CellChange("9", "", "fact", D(599))])
    with pytest.raises(SocPlanError, match=re.escape("«причины недостижения»") + ".*по строкам: 9"):
        entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.SUBMITTED)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "comment", text="Отток получателей")])
    # the reason given, row 9 no longer blocks submission (the other rows are still empty: completeness, issue 16)
    from socplan.services.cycle.completeness import submission_blockers

    assert not [b for b in submission_blockers(demo_ctx, "ГП", DISTRICT, period) if b.kind == "deviation"]


# ------------------------------------------------------------------ seed 003, Appendix 11: every result with a formula

@pytest.mark.parametrize("code,components,expected", [
    ("13", {"Мв": 47, "М": 50}, "94.0"),  # 47 / 50 × 100 = 94,0 % of the Ministry's plan of work done
    ("15", {"Игк": 118, "Огк": 120}, "98.3"),  # 118 / 120 × 100 = 98,33… → 98,3
    ("17", {"Псм": 12, "Зсм": 12}, "100.0"),  # all 12 planned events held
    ("18", {"П": 950, "О": 1000}, "95.0"),  # 950 served of 1 000 applied
    ("19", {"Vn2": 7, "Vo2": 8}, "87.5"),  # 7 / 8 × 100 = 87,5
    ("20", {"Vп3": 10950, "Vо3": 10000}, "109.5"),  # bed-days fact / plan: 109,5 (may exceed 100)
    ("47", {"Ккр": 2990, "Окр": 3000}, "99.7"),  # 99,66… → 99,7
    ("53", {"А": 1618, "В": 7518}, "21.5"),  # erratum РМ-53: А / В = 21,52… → 21,5
    ("54", {"А": 4210, "В": 8058}, "52.2"),  # erratum РМ-54: 52,24… → 52,2
    ("55", {"В": 2440, "А": 40000}, "6.1"),  # 2 440 / 40 000 × 100 = 6,1
    ("68", {"Чпн": 35, "Чпп": 35}, "100.0"),  # every minor in need transported
    ("69", {"Кпв": 396, "Гоб": 400}, "99.0"),  # 396 / 400 × 100 = 99,0
    ("70", {"Кгев": 1499, "Кобг": 1500}, "99.9"),  # 99,93… → 99,9
    ("71", {"Kгмб": 45, "Kкомб": 50}, "90.0"),  # 45 / 50 × 100 = 90,0
    ("72", {"Кгсв": 2995, "Косв": 3000}, "99.8"),  # 99,83… → 99,8
    ("73", {"Кгкм": 501, "Кокм": 502}, "99.8"),  # 99,80… → 99,8
])
def test_appendix_11_results(demo_ctx, code: str, components: dict, expected: str) -> None:  # noqa: ANN001
    """Every result of Appendix 11 computed by a formula: component values → the figure worked out in the comment."""
    assert _fact(demo_ctx, "РМ", code, **components) == D(expected)


def test_a_database_still_computing_the_printed_formula_is_told_so(demo_ctx) -> None:  # noqa: ANN001
    """A database made before the register computes ГП-1 as printed: the card does not hide it."""
    info = catalogue.save_formula(demo_ctx, "ГП", "1", "В / А × 100")
    assert info.formula_computed == "Дгдп = В / А × 100 %"
    assert info.formula_note.startswith("в реестре опечаток методик (ГП-1) принято прочтение Дгдп = А / В × 100 %")
    assert catalogue.save_formula(demo_ctx, "ГП", "1", "А / В × 100").formula_note == \
        "в тексте методики: Дгдп = В / А × 100 %"


def test_cli_import_names_every_bad_cell(demo_db_template, tmp_path, capsys) -> None:  # noqa: ANN001
    """`socplan indicators import`: a share of 464,6 % and a negative count, each with its cell; exit 2."""
    import shutil

    from socplan.app import main

    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db_template, db)
    xlsx = tmp_path / "шаблон.xlsx"
    assert main(["--db", str(db), "indicators", "export-template", "--form", "ГП", "--territory", DISTRICT,
                 "--period", "2025", "-o", str(xlsx)]) == 0
    wb = load_workbook(xlsx)
    ws = wb["Форма"]
    rows = {str(ws.cell(r, 1).value).replace("\u00a0", " "): r for r in range(6, ws.max_row + 1)}
    ws.cell(rows["1 · А"], 5).value = 7518
    ws.cell(rows["1 · В"], 5).value = 1618
    ws.cell(rows["9"], 5).value = -5
    wb.save(xlsx)
    capsys.readouterr()
    assert main(["--db", str(db), "indicators", "import", str(xlsx)]) == 1
    err = capsys.readouterr().err
    assert f"лист «Форма», ячейка E{rows['9']}, значение «-5»: значение не может быть отрицательным: -5." in err
    assert f"строка {rows['1']}, столбец «Факт» (E) (стр. 1): доля по формуле получилась 464,6 %" in err
    assert "найдено ошибок — 2" in err


def test_fact_to_plan_ratios_are_not_shares(demo_ctx) -> None:  # noqa: ANN001
    """РМ 20 (bed-days fact / plan, 10 950 / 10 000 = 109,5 %) and РМ 17 may exceed 100 %: the audit marks them,
    so neither the cell check nor the control ratio «доля ≤ 100» applies; ГП 1 is a share and is checked."""
    from socplan.domain.methodology import sheet_value_problems
    from socplan.services.indicators.common import form_by_code

    rm = {i.code: i for i in catalogue.list_indicators(demo_ctx, "РМ")}
    assert not rm["20"].share and not rm["17"].share and rm["13"].share
    assert _info(demo_ctx, "ГП", "1").share
    values = {("20", "", "fact"): D("109.5"), ("13", "", "fact"): D("109.5")}
    problems = sheet_value_problems([("20", False, "fact"), ("13", True, "fact")], values)
    assert [p.code for p in problems] == ["13"]
    with demo_ctx.uow() as s:
        codes = {r.code for r in analysis.rules_of(s, form_by_code(s, "РМ"))}
    assert "РМ.13.доля≤100" in codes and "РМ.20.доля≤100" not in codes and "РМ.17.доля≤100" not in codes


@pytest.mark.parametrize("year,kind,expected", [(2023, "fact", "64.4"), (2024, "fact", "13.9"), (2025, "plan", "19.4"),
                                                (2026, "plan", "66.7")])
def test_seed001_targets_as_loaded_reproduce_row_4(demo_ctx, year: int, kind: str, expected: str) -> None:  # noqa: ANN001
    """Seed 001, table 1: row 4 = стр.2 / стр.1 × 100 from the loaded rows 1 and 2 gives the printed figure
    (47 / 73, 10 / 72, 14 / 72, 48 / 72 → 64,4; 13,9; 19,4; 66,7), and the sheet breaks no control ratio
    (стр. 1 = 1.1 + 1.2: 73 = 64 + 9; стр. 2 = 2.1 + … + 2.7, «-» as 0)."""
    sheet = entry.load_sheet(demo_ctx, "НОК", "Омская область", Period(year))
    row4 = next(r for r in sheet.rows if r.indicator.code == "4" and not r.component)
    assert getattr(row4, kind) == D(expected)
    from socplan.services.indicators.common import form_by_code, territory_by

    with demo_ctx.uow() as s:
        found = analysis.sheet_violations(s, form_by_code(s, "НОК"), territory_by(s, "Омская область"), Period(year))
    assert [v for v in found if v.severity.value == "ошибка"] == []
