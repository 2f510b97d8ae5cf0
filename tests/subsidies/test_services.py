"""Rounds and applications in the database: demo rounds, validated saving, nothing saved on bad input."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from socplan.db.models.subsidies import SubsidyApplication
from socplan.domain.errors import ValidationErrors
from socplan.domain.subsidies.app12 import Application12
from socplan.domain.subsidies.common import DocumentMark
from socplan.services.subsidies import rounds


def _app12_round(ctx):  # noqa: ANN001, ANN202
    return next(r for r in rounds.list_rounds(ctx) if r.procedure == "app12")


def test_demo_rounds_calculate_from_the_database(demo_ctx) -> None:  # noqa: ANN001
    listed = rounds.list_rounds(demo_ctx)
    assert {(r.procedure, r.year) for r in listed} == {("app12", 2025), ("app13", 2025)}
    calc = rounds.calculate_round(demo_ctx, _app12_round(demo_ctx).id)
    assert calc.budget == D("3000000.00")
    refused = [m for m in calc.result12.municipalities if not m.passed]
    assert [m.municipality for m in refused] == ["город Омск", "Черлакский муниципальный район"]
    assert refused[0].reasons[0].clause == "п. 2"  # App. 12 §2: municipal districts only
    assert calc.allocated + calc.unallocated == calc.budget
    # Омский район: 5 of 7 NGOs supported → D = 2/7, K = 2/7, m/n = 1 → CB = 466 666 × 2/7 × 0,1 = 13 333,31
    assert calc.clawback_totals()["Омский муниципальный район"] == D("13333.31")
    # Тарский район is exempt (force majeure, §22)
    tara = next(c for c in calc.clawbacks if c.municipality == "Тарский муниципальный район")
    assert tara.exempt and tara.amount == 0 and tara.amount_formula > 0


def _count(ctx) -> int:  # noqa: ANN001
    with ctx.uow() as s:
        return s.scalar(select(func.count()).select_from(SubsidyApplication))


def test_bad_application_is_refused_and_nothing_saved(demo_ctx) -> None:  # noqa: ANN001
    rid = _app12_round(demo_ctx).id
    before = _count(demo_ctx)
    bad = Application12("Горьковский муниципальный район", declared_need=D(-100), fiscal_capacity=D(-1),
                        ngo_supported=D("1.5"))
    with pytest.raises(ValidationErrors) as err:
        rounds.save_application(demo_ctx, rid, bad, limit_rate=D("1.5"))
    fields = {e.field for e in err.value.errors}
    assert any(f.endswith("declared_need") for f in fields) and any(f.endswith("fiscal_capacity") for f in fields)
    assert "Горьковский муниципальный район: заявленная потребность: сумма не может быть отрицательной" in err.value.message
    assert "предельный уровень софинансирования: уровень должен быть больше 0 % и не больше 100 %" in err.value.message
    assert _count(demo_ctx) == before


def test_second_application_and_region_are_refused(demo_ctx) -> None:  # noqa: ANN001
    rid = _app12_round(demo_ctx).id
    with pytest.raises(ValidationErrors) as err:
        rounds.save_application(demo_ctx, rid, Application12("город Омск"), limit_rate=None)
    assert "заявка этого муниципального образования в отборе уже есть" in err.value.message
    with pytest.raises(ValidationErrors) as err:
        rounds.save_application(demo_ctx, rid, Application12("Омская область"), limit_rate=None)
    assert "заявку подаёт муниципальное образование Омской области" in err.value.message


def test_new_application_with_missing_data_is_saved_and_scores_zero(demo_ctx) -> None:  # noqa: ANN001
    rid = _app12_round(demo_ctx).id
    app = Application12("Горьковский муниципальный район", documents={"1": DocumentMark(True)})
    row = rounds.save_application(demo_ctx, rid, app, limit_rate=D("0.95"))
    assert row.data.local_funds is None and row.limit_rate == D("0.95")
    calc = rounds.calculate_round(demo_ctx, rid)
    m = calc.result12.by_name("Горьковский муниципальный район")
    assert m.score == 0 and not m.passed
    assert m.reasons[0].clause == "п. 13 подп. 1"


def test_what_if_edits_are_saved_all_or_nothing(demo_ctx) -> None:  # noqa: ANN001
    detail = rounds.get_round(demo_ctx, _app12_round(demo_ctx).id)
    rates = {a.municipality: a.limit_rate for a in detail.applications}
    apps = [a.data for a in detail.applications]
    apps[0] = dataclasses.replace(apps[0], local_funds=D("130000.00"))
    rounds.save_applications(demo_ctx, detail.row.id, apps, rates)
    again = rounds.get_round(demo_ctx, detail.row.id)
    assert again.applications[0].data.local_funds == D("130000.00")
    apps[1] = dataclasses.replace(apps[1], fiscal_capacity=D("-1"))
    apps[0] = dataclasses.replace(apps[0], local_funds=D("1.00"))
    with pytest.raises(ValidationErrors):
        rounds.save_applications(demo_ctx, detail.row.id, apps, rates)
    assert rounds.get_round(demo_ctx, detail.row.id).applications[0].data.local_funds == D("130000.00")


def test_round_form_and_saving(ctx) -> None:  # noqa: ANN001
    from socplan.ui.subsidies.dialogs import parse_round

    with pytest.raises(ValidationErrors) as err:
        parse_round({"procedure": "app12", "year": "20x5", "budget": "0", "average_rate_district": "87",
                     "average_rate_settlement": "120", "applications_deadline": "31.02.2025"})
    fields = {e.field for e in err.value.errors}
    assert fields == {"year", "budget", "average_rate_settlement", "applications_deadline"}
    data = parse_round({"procedure": "app13", "year": "2026", "budget": "1 500 000,50", "average_rate_district": "87",
                        "average_rate_settlement": "90", "distribute_remainder_fully": False})
    row = rounds.save_round(ctx, data)
    assert row.budget == D("1500000.50") and row.procedure == "app13"
    settlement_free = rounds.get_round(ctx, row.id)
    assert settlement_free.data.average_rate_settlement == D("0.9")
    rounds.delete_round(ctx, row.id)
    assert rounds.list_rounds(ctx) == []
