"""Issue 19: the region's achievement report consolidates the districts' facts once — for its own period — and
draws its chart from those values; the other years on record are not consolidated for it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from socplan.domain.indicators import Period
from socplan.services.indicators import analysis
from socplan.services.indicators.report import build_achievement_report


def test_region_report_consolidates_once_and_its_chart_shows_the_consolidated_fact(demo_ctx, tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """The demo holds the districts' yearly facts of form «ГП» for several years; the report for 2024 consolidated
    every one of them (for a history nothing printed uses). The chart's bar labels are the table's region
    values: indicator 1's fact in the table and on its bar is the one consolidated value."""
    periods: list[list[Period]] = []
    consolidate = analysis.consolidate_many

    def counting(session, form, wanted, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        periods.append(list(wanted))
        return consolidate(session, form, wanted, *args, **kwargs)

    monkeypatch.setattr(analysis, "consolidate_many", counting)
    out = tmp_path / "r.pdf"
    build_achievement_report(demo_ctx, "ГП", "Омская область", Period(2024), out)
    assert periods == [[Period(2024)]]

    region = analysis.consolidate_form(demo_ctx, "ГП", Period(2024))
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")
    assert "Достижение плановых значений" in text
    from socplan.formatting import format_number

    fact = format_number(region["1"].fact, 0).replace("\u00a0", " ")
    assert text.count(fact) >= 2, f"{fact}: in the table and on the chart's bar"
