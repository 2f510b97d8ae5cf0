"""Issue 19: the document engine lays out a long table in time proportional to its rows, and a report whose chart
stands before the signature blocks is laid out once — with the same pages as before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.platypus import Paragraph

from socplan.reports.document import DocumentBuilder, DocumentSpec
from socplan.reports.layout_passes import TrackingTemplate

FIXED = dt.datetime(2024, 12, 23, 10, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=6)))


def table_doc(rows: int) -> DocumentBuilder:
    doc = DocumentBuilder(DocumentSpec("Отчёт", creation_date=FIXED))
    doc.heading("ОТЧЁТ")
    doc.table([["№ п/п", "Мероприятие", "Срок", "Сумма, руб."]],
              [[str(i), f"Мероприятие {i}: информирование населения о мерах социальной поддержки", "2025 г.",
                "1 234,56"] for i in range(1, rows + 1)], [15, 105, 25, 35], number_row=True)
    return doc


def test_a_long_table_measures_each_cell_a_few_times_not_once_per_page(monkeypatch) -> None:
    """600 rows over ≈ 30 pages: each page's rest of the table was measured and styled again from scratch, ≈ 80
    measurements of every cell (a 2 000-row report took 50 s instead of 2 s). Now a cell is measured a few times
    (≈ 5: fitting the columns, the rows' heights, drawing …), whatever the number of pages."""
    calls = {"n": 0}
    wrap = Paragraph.wrap

    def counting(self, *args):  # noqa: ANN001, ANN002, ANN202
        calls["n"] += 1
        return wrap(self, *args)

    monkeypatch.setattr(Paragraph, "wrap", counting)
    rows = 600
    pdf = table_doc(rows).build_bytes()
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) >= 25
    cells = (rows + 2) * 4
    assert calls["n"] <= 8 * cells, f"{calls['n'] / cells:.1f} measurements per cell"


def chart() -> Drawing:
    drawing = Drawing(400, 190)
    drawing.add(Rect(0, 0, 400, 190, fillColor=None))
    return drawing


def report(rows: int, keep: bool) -> DocumentBuilder:
    doc = table_doc(rows)
    doc.spacer(4)
    doc.flowable(chart(), keep_with_signature=keep)
    doc.signature("Главный специалист отдела мониторинга", "А.В. Петрова")
    return doc


def test_a_chart_kept_with_the_signature_is_laid_out_once_with_the_same_pages(monkeypatch) -> None:
    """The signature block never stands alone on a page: when it would (the chart fills the page before it), the
    engine laid the document out a second time with the chart moved to the block's page. A chart added with
    ``keep_with_signature`` goes with the block from the start: one layout, and the same PDF byte for byte —
    over table lengths where the block would have been alone and where it would not."""
    layouts = {"n": 0}
    build = TrackingTemplate.build

    def counting(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        layouts["n"] += 1
        return build(self, *args, **kwargs)

    monkeypatch.setattr(TrackingTemplate, "build", counting)
    two_passes = 0
    for rows in range(8, 26):
        layouts["n"] = 0
        before = report(rows, keep=False).build_bytes()
        two_passes += layouts["n"] == 2
        layouts["n"] = 0
        now = report(rows, keep=True).build_bytes()
        assert layouts["n"] == 1, rows
        assert now == before, f"{rows} rows: the pages differ"
    assert 0 < two_passes < 18, "both cases met: the block alone after the first layout, and not"


def test_only_a_drawing_keeps_with_the_signature() -> None:
    doc = DocumentBuilder(DocumentSpec("Отчёт"))
    with pytest.raises(ValueError):
        doc.flowable(Paragraph("Текст"), keep_with_signature=True)
