"""The printed achievement report: the formula actually computed with «в тексте методики: …», and a chart with
plan beside fact and value labels."""

from __future__ import annotations

import subprocess
from decimal import Decimal as D

from reportlab.graphics.charts.barcharts import VerticalBarChart

from socplan.domain.indicators import Period
from socplan.reports.indicators_achievement import achievement_chart
from socplan.services.indicators import entry
from socplan.services.indicators.report import achievement_report

DISTRICT = "Тарский муниципальный район"


def test_report_prints_the_computed_formula_and_the_printed_text(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    built = achievement_report(demo_ctx, "ГП", DISTRICT, Period(2024))
    path = tmp_path / "r.pdf"
    path.write_bytes(built.pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Стр. 16: рассчитывается D = (A/C) × 100 %; в тексте методики: D = (A/B) × 100 %." in flat
    assert "Стр. 1: рассчитывается Дгдп = А / В × 100 %; в тексте методики: Дгдп = В / А × 100 %." in flat
    assert "Достижение плановых значений: план и факт по показателям" in flat


def test_chart_has_plan_beside_fact_with_value_labels(demo_ctx) -> None:  # noqa: ANN001
    """Indicator 9 of the district for 2027: plan 600, fact 540 → bars 100 % and 90 %, labelled «600» and «540»."""
    period = Period(2027)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, period, [entry.CellChange("9", "", "plan", D(600)),
                                                        entry.CellChange("9", "", "fact", D(540))])
    report = achievement_report(demo_ctx, "ГП", DISTRICT, period).report
    drawing = achievement_chart(report, 700)
    (chart,) = [c for c in drawing.contents if isinstance(c, VerticalBarChart)]
    assert list(chart.categoryAxis.categoryNames) == ["9"]
    assert chart.data == [[100.0], [90.0]]
    assert chart.barLabelFormat == "values" and chart.barLabelArray == [["600"], ["540"]]
