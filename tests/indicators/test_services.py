"""Indicators on the demo database: the programme of seed 003, the НОК targets of seed 001, entry, states, checks."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from socplan.db.models.indicators import (Component, FinancingLine, Indicator, IndicatorForm, IndicatorValue,
                                          StateProgramme)
from socplan.db.models.reference import Territory
from socplan.domain.errors import ConflictError, SocPlanError, ValidationError, ValidationErrors
from socplan.domain.indicators import FormState, Period
from socplan.services.checks import run_checks
from socplan.services.indicators import analysis, catalogue, entry

DISTRICT = "Тарский муниципальный район"


def _seed003(seeds_dir) -> str:  # noqa: ANN001
    return (seeds_dir / "003_eb4913c20dfd368d.txt").read_text(encoding="utf-8")


def _money(text: str) -> D:
    return D(text.replace(" ", "").replace(",", "."))


def test_programme_passport_and_financing_match_seed(demo_ctx, seeds_dir) -> None:  # noqa: ANN001
    text = _seed003(seeds_dir)
    printed_total = re.search(r"<p>([\d ]+,\d\d) руб\.</p>", text).group(1)
    row1 = next(line for line in text.splitlines() if line.startswith("1\tГосударственная программа Омской области"))
    (programme,) = catalogue.list_programmes(demo_ctx)
    assert programme.total_financing == _money(printed_total) == D("128622499874.82")
    assert programme.period_from == 2024 and programme.period_to == 2030
    first = programme.financing[0]
    cells = row1.split("\t")
    assert first.total == _money(cells[2])
    assert [first.by_year[y] for y in range(2024, 2031)] == [_money(c) for c in cells[3:10]]
    assert [f.code for f in programme.financing] == ["1", "1.1", "1.1.1", "1.1.2", "2"]
    assert programme.indicators == 18


def test_programme_indicators_match_seed(demo_ctx, demo_db, seeds_dir) -> None:  # noqa: ANN001
    text = _seed003(seeds_dir)
    row14 = next(line for line in text.splitlines() if line.startswith("14\tУдельный расход тепловой"))
    cells = row14.split("\t")
    rows = {r.code: r for r in catalogue.list_indicators(demo_ctx, "ГП")}
    assert len(rows) == 18
    assert rows["14"].base_value == _money(cells[4]) == D("0.0855")
    assert str(rows["14"].base_value) == "0.0855"  # exact round-trip, no float
    assert rows["14"].base_year == int(cells[5]) == 2023
    assert rows["14"].formula_text == "Утэ = ОПтэ / Птэ"
    assert rows["1"].level == "ГП РФ" and rows["17"].level == "ФП вне НП"
    assert rows["9"].unit_name == "человек" and rows["9"].base_value == D(28000)
    assert [c.symbol for c in rows["5"].components] == ["E", "D", "D1", "D2"]
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(StateProgramme)) == 1
        assert s.scalar(select(func.count()).select_from(FinancingLine)) == 5
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == "ГП"))
        region_id = s.scalar(select(Territory.id).where(Territory.name == "Омская область"))
        plans = s.scalars(select(IndicatorValue.value).join(Indicator).where(
            Indicator.form_id == form.id, Indicator.code == "14", IndicatorValue.kind == "plan",
            IndicatorValue.component == "", IndicatorValue.territory_id == region_id).order_by(IndicatorValue.year)).all()
        assert [str(p) for p in plans if p is not None][:7] == [c.replace(",", ".") for c in cells[6:13]]
        assert s.scalar(select(func.count()).select_from(Component)) >= 30


def test_seed_001_row_4_computed_from_rows_1_and_2(demo_ctx, seeds_dir) -> None:  # noqa: ANN001
    line = next(x for x in (seeds_dir / "001_30047ea4ca5967a0.txt").read_text(encoding="utf-8").splitlines()
                if x.startswith("4\tДоля государственных организаций"))
    printed = [D(c.replace(",", ".")) for c in line.split("\t")[2:6]]
    got = []
    for year, kind in ((2023, "fact"), (2024, "fact"), (2025, "plan"), (2026, "plan")):
        sheet = entry.load_sheet(demo_ctx, "НОК", "Омская область", Period(year))
        row = next(r for r in sheet.rows if r.indicator.code == "4" and not r.component)
        got.append(getattr(row, kind))
    assert got == printed == [D("64.4"), D("13.9"), D("19.4"), D("66.7")]


def test_region_values_are_consolidated_with_missing_districts(demo_ctx) -> None:  # noqa: ANN001
    sheet = entry.load_sheet(demo_ctx, "ГП", "Омская область", Period(2024))
    assert sheet.consolidated and sheet.read_only
    assert "Усть-Ишимский муниципальный район" in sheet.missing and "Тевризский муниципальный район" in sheet.missing
    cons = analysis.consolidate_form(demo_ctx, "ГП", Period(2024))
    district_sheets = [entry.load_sheet(demo_ctx, "ГП", name, Period(2024)) for name in ("город Омск", DISTRICT)]
    assert all(not s.consolidated for s in district_sheets)
    # share 4 = Σ В / Σ А × 100 over the districts that reported — not the mean of the districts' percentages
    with demo_ctx.uow() as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == "ГП"))
        ind = s.scalar(select(Indicator).where(Indicator.form_id == form.id, Indicator.code == "4"))
        rows = s.execute(select(IndicatorValue.component, func.count(), IndicatorValue.value)
                         .where(IndicatorValue.indicator_id == ind.id, IndicatorValue.kind == "fact")
                         .group_by(IndicatorValue.id)).all()
        sums = {"В": D(0), "А": D(0)}
        for comp, _n, value in rows:
            if comp in sums:
                sums[comp] += value
    assert cons["4"].fact == (sums["В"] / sums["А"] * 100).quantize(D("0.1"))
    with pytest.raises(ConflictError, match="собираются из данных территорий"):
        entry.save_sheet(demo_ctx, "ГП", "Омская область", Period(2024), [entry.CellChange("9", "", "fact", D(1))])


def test_entry_saves_validates_and_keeps_history(demo_ctx) -> None:  # noqa: ANN001
    period = Period(2025)
    res = entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [
        entry.CellChange("4", "В", "fact", D(50)), entry.CellChange("4", "А", "fact", D(1000)),
        entry.CellChange("4", "", "plan", D("5.8")), entry.CellChange("9", "", "fact", D(640))])
    assert res.changed == 4
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, period)
    row4 = next(r for r in sheet.rows if r.indicator.code == "4" and not r.component)
    assert row4.fact == D("5.0") and not row4.fact_editable
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "fact", D(700))])
    history = entry.cell_history(demo_ctx, "ГП", DISTRICT, period, "9", "", "fact")
    assert [(h.old, h.new) for h in history] == [(None, "640"), ("640", "700")]
    assert history[-1].user == "Тестов Тест Тестович"
    with pytest.raises(ValidationErrors) as info:
        entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [
            entry.CellChange("9", "", "fact", D(-5)), entry.CellChange("2", "", "plan", D(120)),
            entry.CellChange("4", "", "fact", D(3))])
    messages = [e.message for e in info.value.errors]
    assert any("отрицательным" in m for m in messages)
    assert any("больше 100" in m for m in messages)
    assert any("рассчитывается по формуле" in m for m in messages)
    assert entry.load_sheet(demo_ctx, "ГП", DISTRICT, period).rows  # nothing half-written
    after = entry.cell_history(demo_ctx, "ГП", DISTRICT, period, "9", "", "fact")
    assert len(after) == 2


def test_states_submit_needs_comments_accept_locks_unlock_needs_reason(demo_ctx) -> None:  # noqa: ANN001
    period = Period(2025)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "plan", D(600)),
                                                        entry.CellChange("9", "", "fact", D(500))])
    with pytest.raises(SocPlanError, match="причины отклонения.*9"):
        entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.SUBMITTED)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "comment", text="Закрытие отделения")])
    with pytest.raises(SocPlanError, match="Стр. 1: нет фактического значения"):  # completeness (issue 16)
        entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.SUBMITTED)
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, period)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange(r.indicator.code, "", "comment", text="Нет данных")
                                                        for r in sheet.rows if not r.component and r.fact is None])
    assert entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.SUBMITTED) is FormState.SUBMITTED
    assert entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.ACCEPTED) is FormState.ACCEPTED
    with pytest.raises(ConflictError, match="принята"):
        entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "fact", D(550))])
    with pytest.raises(ValidationError, match="причину"):
        entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.DRAFT)
    entry.set_state(demo_ctx, "ГП", DISTRICT, period, FormState.DRAFT, "Уточнены данные района")
    from socplan.db.models.audit import AuditLog
    with demo_ctx.uow() as s:
        reasons = s.scalars(select(AuditLog.reason).where(AuditLog.entity == "ind_submission",
                                                          AuditLog.field == "state")).all()
    assert "Уточнены данные района" in reasons


def test_submit_blocked_by_control_ratio_error(demo_ctx) -> None:  # noqa: ANN001
    period = Period(2027)
    entry.save_sheet(demo_ctx, "НОК", "Омская область", period, [
        entry.CellChange("1", "", "fact", D(73)), entry.CellChange("1.1", "", "fact", D(64)),
        entry.CellChange("1.2", "", "fact", D(10))])
    with pytest.raises(SocPlanError) as info:
        entry.set_state(demo_ctx, "НОК", "Омская область", period, FormState.SUBMITTED)
    assert "стр. 1 = стр. 1.1 + стр. 1.2" in info.value.message and "73" in info.value.message


def test_check_whole_database(demo_ctx) -> None:  # noqa: ANN001
    found = run_checks(demo_ctx)
    # seed 003 itself: row 2 «Всего» 96 894 909,97 ≠ Σ years 96 984 909,97 (a 90 000 slip in the document)
    fin = [v for v in found if v.rule_code.startswith("ГП-СПН.фин")]
    assert [(v.left, v.right) for v in fin] == [(D("96894909.97"), D("96984909.97"))]
    nok = [v for v in found if v.rule_code.startswith("НОК")]
    assert nok == []  # seed 001 rows 1 and 2 add up, «-» counted as 0
    entry.save_sheet(demo_ctx, "НОК", "Омская область", Period(2025), [entry.CellChange("2.5", "", "plan", D(9))])
    found = run_checks(demo_ctx)
    broken = [v for v in found if v.rule_code == "НОК.2"]
    assert broken and broken[0].left == D(14) and broken[0].right == D(23) and "план" in broken[0].where


def test_formula_edit_refuses_cycles(demo_ctx) -> None:  # noqa: ANN001
    with pytest.raises(ValidationError, match="сама на себя"):
        catalogue.save_formula(demo_ctx, "НОК", "4", "стр.4 / стр.1 * 100")
    with pytest.raises(ValidationError, match="позиции"):
        catalogue.save_formula(demo_ctx, "НОК", "4", "стр.2 / (стр.1 * 100")
    info = catalogue.save_formula(demo_ctx, "НОК", "4", "стр.2 / стр.1 × 100")
    assert info.formula == "стр.2 / стр.1 × 100"


def test_thresholds_are_configurable_per_form(demo_ctx) -> None:  # noqa: ANN001
    before = analysis.achievement_data(demo_ctx, "ГП", DISTRICT, Period(2024))
    row = next(r for r in before.rows if r.code == "9")
    assert row.achievement.status.label == "удовлетворительный"  # 96,4 %
    catalogue.set_thresholds(demo_ctx, "ГП", satisfactory=D(97), comment=D(3))
    after = analysis.achievement_data(demo_ctx, "ГП", DISTRICT, Period(2024))
    assert next(r for r in after.rows if r.code == "9").achievement.status.label == "низкий"
    with pytest.raises(ValidationError):
        catalogue.set_thresholds(demo_ctx, "ГП", satisfactory=D(120))
