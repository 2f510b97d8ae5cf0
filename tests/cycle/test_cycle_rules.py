"""Issue 16, the rules without a database: due dates on the working-day calendar, the robust z-score,
the state of a board cell, percentages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from socplan.domain.calendar import WorkCalendar
from socplan.domain.cycle import (CellState, DueRule, cell_state, days_late, is_outlier, modified_z, on_time,
                                  parse_due_rule, percent)
from socplan.services.plans.calendar import shipped_calendar_years

MONTHLY = "до 10-го числа месяца, следующего за отчётным периодом"


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar.from_years(shipped_calendar_years())


@pytest.mark.parametrize(("kind", "text", "period", "expected"), [
    # January 2026 → 10.02.2026, a Tuesday: stays
    ("month", MONTHLY, (2026, "month", 1), dt.date(2026, 2, 10)),
    # December 2025 → 10.01.2026: a Saturday inside the New Year holidays (1–9 January 2026) → Monday 12.01.2026
    ("month", MONTHLY, (2025, "month", 12), dt.date(2026, 1, 12)),
    # «до 8-го числа»: 08.03.2026 is a Sunday, 09.03.2026 a holiday (transfer) → 10.03.2026
    ("month", "до 8-го числа месяца, следующего за отчётным периодом", (2026, "month", 2), dt.date(2026, 3, 10)),
    # a year report «до 15 января»: 2025 → 15.01.2026 (Thursday)
    ("year", "до 15 января", (2025, "year", 0), dt.date(2026, 1, 15)),
    # the first quarter, «до 20-го числа второго месяца, следующего за отчётным периодом» → 20.05.2026 (Wednesday)
    ("quarter", "до 20-го числа второго месяца, следующего за отчётным периодом", (2026, "quarter", 1),
     dt.date(2026, 5, 20)),
    # April 2026 ends Thursday 30.04; 1 May holiday, 2–3 May weekend; 5 working days: 4, 5, 6, 7, 8 May → 08.05.2026
    ("month", "5 рабочих дней после окончания отчётного периода", (2026, "month", 4), dt.date(2026, 5, 8)),
])
def test_due_dates_follow_the_rule_and_the_working_day_calendar(calendar, kind, text, period, expected) -> None:  # noqa: ANN001
    rule = parse_due_rule(text, kind)
    assert rule.due(*period, calendar) == expected


def test_rule_texts_read_back_and_nonsense_is_refused() -> None:
    assert parse_due_rule(MONTHLY, "month").text == MONTHLY
    assert parse_due_rule("до 15 января", "year").text == "до 15 января"
    with pytest.raises(ValueError, match="Непонятный срок сдачи «когда-нибудь»"):
        parse_due_rule("когда-нибудь", "month")
    with pytest.raises(ValueError, match="от 1 до 31"):
        DueRule("month", day=40)


def test_modified_z_score_worked_example() -> None:
    """References 10, 12, 11, 13, 12: median 12; deviations 2, 0, 1, 1, 0 → MAD = median(0, 0, 1, 1, 2) = 1.
    Value 30: z = 0,6745 × (30 − 12) / 1 = 12,141 → 12,14 > 3,5 — an outlier. Value 13: z = 0,6745 → 0,67 — fine."""
    refs = [D(10), D(12), D(11), D(13), D(12)]
    assert modified_z(D(30), refs) == D("12.14") and is_outlier(modified_z(D(30), refs))
    assert modified_z(D(13), refs) == D("0.67") and not is_outlier(modified_z(D(13), refs))
    assert modified_z(D(30), refs[:3]) is None  # fewer than four references: no judgement
    # MAD 0 (refs 5, 5, 5, 7): mean absolute deviation from the median 5 = 0,5 → z = (9 − 5) / (1,253314 × 0,5) = 6,38
    assert modified_z(D(9), [D(5), D(5), D(5), D(7)]) == D("6.38")


def test_board_cell_states_and_figures() -> None:
    due = dt.date(2026, 2, 10)
    before, after = dt.date(2026, 2, 9), dt.date(2026, 2, 13)
    assert cell_state(None, False, due, before) is CellState.NOT_STARTED
    assert cell_state(None, True, due, before) is CellState.DRAFT
    assert cell_state(None, False, due, after) is CellState.OVERDUE
    assert cell_state("draft", True, due, after) is CellState.OVERDUE
    assert cell_state("returned", True, due, after) is CellState.RETURNED
    assert cell_state("submitted", True, due, after) is CellState.SUBMITTED
    assert cell_state("closed", True, due, after) is CellState.ACCEPTED
    assert days_late(dt.date(2026, 2, 12), due, after) == 2 and days_late(None, due, after) == 3
    assert days_late(dt.date(2026, 2, 10), due, after) == 0
    assert on_time(dt.date(2026, 2, 10), due) and not on_time(dt.date(2026, 2, 11), due) and not on_time(None, due)
    assert percent(30, 33) == D("90.9") and percent(5, 33) == D("15.2") and percent(0, 0) is None
