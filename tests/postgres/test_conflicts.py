"""Optimistic locking of indicator values: the second person to save a changed value is told and chooses.

Runs on both back-ends (``[sqlite]`` and ``[pg]``): two users load the same sheet, one saves, the other
then saves a different value for the same cell.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from socplan.db.models.indicators import IndicatorValue
from socplan.domain.conflicts import ValueConflictError
from socplan.domain.indicators import Period
from socplan.services.context import AppContext, User
from socplan.services.indicators import entry

DISTRICT = "Азовский немецкий национальный муниципальный район"
PERIOD = Period(2025)


def _users(demo_ctx):  # noqa: ANN001, ANN202
    return (AppContext(demo_ctx.db, User("Иванова Анна Петровна", "аналитик")),
            AppContext(demo_ctx.db, User("Петров Пётр Петрович", "секретарь")))


def _as_loaded(sheet: entry.Sheet, code: str, kind: str, value: D | None) -> entry.CellChange:
    key = (code, "", kind)
    row = next(r for r in sheet.rows if r.indicator.code == code and not r.component)
    return entry.CellChange(code, "", kind, value, seen_version=sheet.versions.get(key, 0),
                            seen=getattr(row, kind))


def test_second_save_of_a_changed_value_is_a_conflict_with_both_values(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _users(demo_ctx)
    entry.save_sheet(ivanova, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(600))])
    seen_by_petrov = entry.load_sheet(petrov, "ГП", DISTRICT, PERIOD)
    seen_by_ivanova = entry.load_sheet(ivanova, "ГП", DISTRICT, PERIOD)

    entry.save_sheet(ivanova, "ГП", DISTRICT, PERIOD, [_as_loaded(seen_by_ivanova, "9", "fact", D(640))])
    with pytest.raises(ValueConflictError) as info:
        entry.save_sheet(petrov, "ГП", DISTRICT, PERIOD, [_as_loaded(seen_by_petrov, "9", "fact", D(655))])

    (conflict,) = info.value.conflicts
    assert (conflict.mine, conflict.theirs, conflict.changed_by) == (D(655), D(640), "Иванова Анна Петровна")
    assert ("стр. 9, факт: ваше значение 655, в базе 640 (сохранил(а) Иванова Анна Петровна)"
            in info.value.message)
    assert "Ничего не сохранено" in info.value.message
    with demo_ctx.uow() as s:  # nothing overwritten
        assert s.scalar(select(IndicatorValue.value).where(IndicatorValue.id == _value_id(s))) == D(640)

    # Petrov chooses his value deliberately: saving again against the version he was shown now wins
    keep_mine = entry.CellChange("9", "", "fact", D(655), seen_version=conflict.theirs_version, seen=D(640))
    assert entry.save_sheet(petrov, "ГП", DISTRICT, PERIOD, [keep_mine]).changed == 1
    history = entry.cell_history(demo_ctx, "ГП", DISTRICT, PERIOD, "9", "", "fact")
    assert [(h.old, h.new, h.user) for h in history][-2:] == [
        ("600", "640", "Иванова Анна Петровна"), ("640", "655", "Петров Пётр Петрович")]


def _value_id(s) -> int:  # noqa: ANN001
    from socplan.db.models.indicators import Indicator, IndicatorForm
    from socplan.db.models.reference import Territory

    return s.scalar(select(IndicatorValue.id).join(Indicator).join(IndicatorForm).join(Territory).where(
        IndicatorForm.code == "ГП", Indicator.code == "9", IndicatorValue.kind == "fact", IndicatorValue.component == "",
        Territory.name == DISTRICT, IndicatorValue.year == 2025))


def test_a_new_cell_saved_by_both_is_a_conflict_too(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _users(demo_ctx)
    sheet = entry.load_sheet(ivanova, "ГП", DISTRICT, PERIOD)
    assert sheet.versions.get(("9", "", "plan"), 0) == 0  # nobody has entered the plan yet
    entry.save_sheet(ivanova, "ГП", DISTRICT, PERIOD, [_as_loaded(sheet, "9", "plan", D(700))])
    with pytest.raises(ValueConflictError, match="стр. 9, план: ваше значение 710, в базе 700"):
        entry.save_sheet(petrov, "ГП", DISTRICT, PERIOD, [_as_loaded(sheet, "9", "plan", D(710))])


def test_the_same_value_or_another_field_of_the_row_is_no_conflict(demo_ctx):  # noqa: ANN001
    ivanova, petrov = _users(demo_ctx)
    entry.save_sheet(ivanova, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(600))])
    sheet = entry.load_sheet(petrov, "ГП", DISTRICT, PERIOD)
    # Ivanova writes the reason of deviation (the fact row's comment); Petrov then corrects the fact value
    entry.save_sheet(ivanova, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "comment", text="Ремонт")])
    assert entry.save_sheet(petrov, "ГП", DISTRICT, PERIOD, [_as_loaded(sheet, "9", "fact", D(610))]).changed == 1
    after = entry.load_sheet(demo_ctx, "ГП", DISTRICT, PERIOD)
    row = next(r for r in after.rows if r.indicator.code == "9" and not r.component)
    assert (row.fact, row.comment) == (D(610), "Ремонт")
