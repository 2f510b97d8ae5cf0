"""Deadline wordings of seeds 001, 002 (App. 2), 004 and decisions of seed 000 → structured deadlines."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from socplan.domain.calendar import WorkCalendar, calendar_year_from_dict
from socplan.domain.deadlines import DeadlineKind as K
from socplan.domain.deadlines import Periodicity, TermUnit, find_deadline, parse_deadline
from socplan.resources import resource_path

# Every distinct wording of the seeds' «Сроки исполнения» columns (cells split by a page break joined).
SEED_WORDINGS = {
    # seed 001
    "2025 – 2026 гг., в течение 10 рабочих дней со дня ее создания, получения или внесения в нее "
    "соответствующих изменений": K.RELATIVE,
    "2025 – 2026 гг., не позднее 5 рабочих дней, следующих за днем принятия документов или внесения "
    "изменений в них": K.RELATIVE,
    "I квартал 2025 – 2026 гг.": K.QUARTER,
    "I – II квартал 2025 – 2026 гг.": K.QUARTER,
    "III – IV квартал 2025 – 2026 гг.": K.QUARTER,
    "IV квартал 2025 – 2026 гг., в течение 10 рабочих дней со дня проведения заседания Общественного "
    "совета по НОК": K.RELATIVE,
    "2025 – 2026 гг., в течение 1 месяца со дня получения Министерством информации о результатах "
    "независимой оценки от Общественного совета по НОК": K.RELATIVE,
    "2025 – 2026 гг., в течение 5 рабочих дней со дня утверждения планов": K.RELATIVE,
    "<p>2025 – 2026 гг., 1 раз в полугодие</p>": K.PERIODIC,
    "<p>2025 – 2026 гг., в соответствии с планом работы Общественного совета по НОК</p>": K.YEAR,
    "<p>до 15 мая 2025 – 2026 гг.</p>": K.BEFORE,
    "2025 – 2026 гг., в течение года": K.YEAR,
    "2025 – 2026 гг., в течение года в соответствии со сроками, указанными в приказе Минфина России "
    "от 7 мая 2019 года № 66н": K.YEAR,
    "2025 – 2026 гг., постоянно": K.PERIODIC,
    "I – IV квартал 2025 – 2026 гг.": K.QUARTER,
    "до 20 января 2025 – 2026 гг.": K.BEFORE,
    # seed 002, Appendix 2
    "1 сентября 2023 года": K.DATE,
    "До 1 сентября 2023 года": K.BEFORE,
    "Не реже 1 раза в квартал (по мере необходимости)": K.PERIODIC,
    "По мере необходимости": K.AS_NEEDED,
    "До 1 сентября 2023 года, далее ежегодно до 1 января": K.BEFORE,
    "До 15 августа 2023 года": K.BEFORE,
    "С 1 сентября 2023 года": K.FROM,
    "": K.NONE,
    "2025 год": K.YEAR,
    # seed 004
    "ежемесячно": K.PERIODIC,
    "1 раз в полугодие": K.PERIODIC,
    "ежеквартально": K.PERIODIC,
    "Ежеквартально": K.PERIODIC,
    "постоянно": K.PERIODIC,
    "ежегодно": K.PERIODIC,
    "2017 г": K.YEAR,
    "март 2017": K.MONTH,
}


@pytest.fixture(scope="module")
def ru_calendar() -> WorkCalendar:
    years = []
    for y in range(2024, 2028):
        data = json.loads(resource_path("calendar", f"ru-{y}.json").read_text(encoding="utf-8"))
        years.append(calendar_year_from_dict(data))
    return WorkCalendar.from_years(years)


@pytest.mark.parametrize("wording,kind", list(SEED_WORDINGS.items()))
def test_seed_wordings_parse(wording: str, kind: K) -> None:
    d = parse_deadline(wording)
    assert d.kind is kind, (wording, d)
    assert d.text == wording  # the original wording is kept


def test_raw_seed_cells_parse_or_are_flagged(seeds_dir) -> None:
    """Every cell of the raw extraction parses, or is «не распознано» — a page break cut it in two."""
    cells = []
    for line in (seeds_dir / "001_30047ea4ca5967a0.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 5 and parts[0].strip() and parts[3].strip() and "Сроки" not in parts[3]:
            cells.append(parts[3])
    for line in (seeds_dir / "004_55f169782c496c58.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0].strip().isdigit():
            cells.append(parts[2])
    # seed 002, Appendix 2: one cell per line; the deadline follows the «N.N. <мероприятие>» cell
    lines = (seeds_dir / "002_4a0b4b1e336f2476.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("Приложение № 2"))
    end = next(i for i, x in enumerate(lines) if x.startswith("Приложение № 3"))
    nonempty = [x for x in lines[start:end] if x.strip() or x == "\t"]
    for prev, cur in zip(nonempty, nonempty[1:]):
        if re.match(r"\t\d\.\d\. ", prev):
            cells.append(cur.strip())
    assert len(cells) >= 58  # 37 of seeds 001 and 004, 21 of seed 002
    flagged = [c for c in cells if not parse_deadline(c).is_recognised]
    # only the two cells cut by a page break («2025 – 2026 гг., в течение» | «5 рабочих дней …»)
    assert flagged == ["2025 – 2026 гг., в течение"], flagged
    assert parse_deadline(flagged[0]).kind.label == "не распознано"


def test_structure_of_quarter_ranges() -> None:
    d = parse_deadline("III – IV квартал 2025 – 2026 гг.")
    assert d.quarters == (3, 4) and d.years == (2025, 2026)
    assert d.control_dates(date(2025, 1, 1), date(2026, 12, 31)) == [date(2025, 12, 31), date(2026, 12, 31)]
    d = parse_deadline("I – II квартал")
    assert d.years == () and d.quarters == (1, 2)
    assert d.control_dates(date(2024, 1, 1), date(2024, 12, 31)) == [date(2024, 6, 30)]


def test_periodicities_give_12_4_2_1_points_a_year() -> None:
    start, end = date(2017, 1, 1), date(2017, 12, 31)
    assert len(parse_deadline("ежемесячно").control_dates(start, end)) == 12
    assert len(parse_deadline("ежеквартально").control_dates(start, end)) == 4
    assert parse_deadline("1 раз в полугодие").control_dates(start, end) == [date(2017, 6, 30), date(2017, 12, 31)]
    assert parse_deadline("ежегодно").control_dates(start, end) == [date(2017, 12, 31)]
    const = parse_deadline("постоянно")
    assert const.periodicity is Periodicity.CONSTANT
    assert len(const.control_dates(start, end, reporting=Periodicity.QUARTERLY)) == 4
    assert parse_deadline("По мере необходимости").control_dates(start, end) == []
    d = parse_deadline("Не реже 1 раза в квартал (по мере необходимости)")
    assert d.at_least and d.periodicity is Periodicity.QUARTERLY and d.note == "по мере необходимости"
    assert parse_deadline("март 2017").control_dates(start, end) == [date(2017, 3, 31)]


def test_before_date_then_yearly() -> None:
    d = parse_deadline("До 1 сентября 2023 года, далее ежегодно до 1 января")
    assert d.on == date(2023, 9, 1) and d.then is not None
    assert d.control_dates(date(2023, 1, 1), date(2025, 12, 31)) == [
        date(2023, 9, 1), date(2024, 1, 1), date(2025, 1, 1)]
    d = parse_deadline("до 15 мая 2025 – 2026 гг.")
    assert d.control_dates(date(2025, 1, 1), date(2026, 12, 31)) == [date(2025, 5, 15), date(2026, 5, 15)]


def test_relative_deadline_counts_working_days_of_production_calendar(ru_calendar) -> None:
    d = parse_deadline("IV квартал 2025 – 2026 гг., в течение 10 рабочих дней со дня проведения заседания "
                       "Общественного совета по НОК")
    assert d.relative.amount == 10 and d.relative.unit is TermUnit.WORKING_DAYS
    assert d.relative.anchor_text == "проведения заседания Общественного совета по НОК"
    assert d.quarters == (4, 4)
    period = (date(2025, 1, 1), date(2026, 12, 31))
    assert d.control_dates(*period, anchor=None, calendar=ru_calendar) == []  # anchor not yet known
    # 24.12.2025: 25, 26, 29, 30 Dec; 31 Dec 2025 and 1–11 Jan 2026 are days off; then 12–16, 19 Jan.
    assert d.control_dates(*period, anchor=date(2025, 12, 24), calendar=ru_calendar) == [date(2026, 1, 19)]
    d = parse_deadline("2025 – 2026 гг., в течение 1 месяца со дня получения Министерством информации")
    assert d.control_dates(*period, anchor=date(2025, 1, 31), calendar=ru_calendar) == [date(2025, 2, 28)]
    d = parse_deadline("в течение 5 дней после дня проведения заседания")
    assert d.relative.unit is TermUnit.DAYS
    assert d.control_dates(date(2022, 1, 1), date(2022, 12, 31), anchor=date(2022, 3, 30)) == [date(2022, 4, 4)]


def test_unrecognised_is_kept_not_guessed() -> None:
    d = parse_deadline("после завершения ремонта")
    assert d.kind is K.UNRECOGNISED and d.text == "после завершения ремонта"
    assert d.control_dates(date(2025, 1, 1), date(2025, 12, 31)) == []
    assert d.describe() == "не распознано"
    assert parse_deadline("в течение 10 рабочих дней").kind is K.UNRECOGNISED  # no anchor event named
    assert parse_deadline("31 февраля 2025 года").kind is K.UNRECOGNISED


def test_find_deadline_in_decision_text() -> None:
    d = find_deadline("В срок до 1 мая 2022 года направить в Омскую региональную общественную организацию")
    assert d.kind is K.BEFORE and d.on == date(2022, 5, 1)
    d = find_deadline("В течение 5 дней после дня проведения заседания Координационного совета направить "
                      "в Минтруд замечания и предложения")
    assert d.relative.anchor_text == "проведения заседания Координационного совета"
    assert find_deadline("Информацию принять к сведению.") is None


def test_production_calendar(ru_calendar) -> None:
    assert [ru_calendar.working_days_in_year(y) for y in (2024, 2025, 2026)] == [248, 247, 247]
    assert ru_calendar.is_working_day(date(2024, 12, 28))  # transferred working Saturday
    assert not ru_calendar.is_working_day(date(2025, 5, 2))  # Saturday 4 January moved to 2 May
    assert ru_calendar.add_working_days(date(2025, 4, 30), 1) == date(2025, 5, 5)
    assert ru_calendar.add_working_days(date(2025, 4, 30), 0) == date(2025, 4, 30)
