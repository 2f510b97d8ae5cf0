"""Issue 16: the start-up reminder counts the user's overdue reports — a district officer's own forms, for the
Ministry the territories overdue per form; other roles are not reminded of reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Role
from socplan.services.cycle import clock, due
from socplan.services.cycle.reminders import overdue_reports, territories_word
from socplan.services.indicators import entry
from socplan.services.notices import startup_notices

from cycle_helpers import DISTRICT, FORM, OTHER, add_monthly_form, register_roles

MONTHLY = "до 10-го числа месяца, следующего за отчётным периодом"
TODAY = dt.date(2026, 4, 20)


def _submit(ctx, territory: str, period: Period) -> None:  # noqa: ANN001
    entry.save_sheet(ctx, FORM, territory, period, [entry.CellChange(str(n), "", "fact", D(10 * n)) for n in (1, 2, 3)])
    entry.set_state(ctx, FORM, territory, period, FormState.SUBMITTED)


@pytest.fixture
def cycle(demo_db, monkeypatch):  # noqa: ANN001, ANN201
    """The monthly rule set on 05.01.2026 (so December 2025, due 12.01.2026, is the first period asked for).
    Любинский submitted January and February (not December, not March); Тарский submitted all four."""
    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 1, 5, 6, 0))
    due.set_due_rule(contexts[Role.ANALYST], FORM, "месяц", MONTHLY)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 4, 20, 6, 0))
    for month in (1, 2):
        _submit(contexts[Role.DISTRICT], DISTRICT, Period(2026, "month", month))
    for period in (Period(2025, "month", 12), *(Period(2026, "month", m) for m in (1, 2, 3))):
        _submit(contexts[Role.ADMINISTRATOR], OTHER, period)
    return contexts


def test_district_officer_is_reminded_of_its_own_overdue_forms(cycle) -> None:  # noqa: ANN001
    """December 2025: due 10.01.2026 (Saturday, New Year holidays) → 12.01.2026; by 20.04.2026 late
    19 + 28 + 31 + 20 = 98 days. March 2026: due 10.04.2026 (Friday) → 10 days. January and February were
    submitted; April is not due yet (10.05)."""
    reports = overdue_reports(cycle[Role.DISTRICT], TODAY)
    mine = [(i.form, i.period.label, i.days_late) for i in reports.own if i.form == FORM]
    assert mine == [(FORM, "декабрь 2025 г.", 98), (FORM, "март 2026 г.", 10)]
    assert not reports.by_form
    # the demo's year form ГП (due 15.01.2026, a Thursday) is also overdue for 2025: 16 + 28 + 31 + 20 = 95 days
    assert reports.text() == ("просрочено отчётов: 3 (МОН за декабрь 2025 г. — 98 дн., ГП за 2025 год — 95 дн., "
                              "МОН за март 2026 г. — 10 дн.)")
    notices = startup_notices(cycle[Role.DISTRICT], TODAY)
    assert not notices.empty
    assert notices.text().startswith("Просрочено отчётов: 3 (МОН за декабрь 2025 г. — 98 дн., ")
    assert "10 дн.) — см. «Сдача отчётности»;" in notices.text()


def test_ministry_analyst_sees_how_many_territories_are_overdue_per_form(cycle, demo_db) -> None:  # noqa: ANN001
    """33 reporting territories; Тарский has submitted every asked period, Любинский is late with two:
    32 territories overdue with the form."""
    from cycle_helpers import reporting

    assert len(reporting(demo_db)) == 33
    reports = overdue_reports(cycle[Role.ANALYST], TODAY)
    assert not reports.own
    assert dict(reports.by_form)[FORM] == 32
    # the demo's year form ГП: no territory's 2025 report is in by 15.01.2026 in the demo → 33, listed first
    assert reports.text() == "просрочены отчёты: ГП — 33 территории, МОН — 32 территории"
    assert f"{FORM} — 32 территории" in startup_notices(cycle[Role.ANALYST], TODAY).text()
    # once the district submits December and March, it no longer counts
    _submit(cycle[Role.DISTRICT], DISTRICT, Period(2025, "month", 12))
    _submit(cycle[Role.DISTRICT], DISTRICT, Period(2026, "month", 3))
    assert dict(overdue_reports(cycle[Role.ANALYST], TODAY).by_form)[FORM] == 31
    assert not [i for i in overdue_reports(cycle[Role.DISTRICT], TODAY).own if i.form == FORM]


def test_the_ministry_reminder_names_five_forms_and_counts_the_rest() -> None:
    from socplan.services.cycle.reminders import OverdueReports

    reports = OverdueReports(by_form=tuple((f"Ф{n}", 10 - n) for n in range(7)))
    assert reports.text() == ("просрочены отчёты: Ф0 — 10 территорий, Ф1 — 9 территорий, Ф2 — 8 территорий, "
                              "Ф3 — 7 территорий, Ф4 — 6 территорий и ещё форм: 2")


def test_a_secretary_is_not_reminded_of_reports(cycle) -> None:  # noqa: ANN001
    assert overdue_reports(cycle[Role.SECRETARY], TODAY).empty


@pytest.mark.parametrize(("n", "text"), [(1, "1 территория"), (3, "3 территории"), (5, "5 территорий"),
                                         (11, "11 территорий"), (21, "21 территория"), (32, "32 территории")])
def test_territories_word(n: int, text: str) -> None:
    assert territories_word(n) == text

