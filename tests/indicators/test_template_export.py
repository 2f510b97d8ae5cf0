"""The streamed template keeps its look (grey closed cells, white open ones) and writes «=…» text as text."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select, update

from socplan.db.models.indicators import Indicator, IndicatorForm
from socplan.domain.indicators import Period
from socplan.services.indicators.excel import export_template, import_template

DISTRICT = "Тарский муниципальный район"


def test_text_starting_with_equals_is_text_and_cells_keep_their_look(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    with demo_ctx.uow() as s:
        form_id = s.scalar(select(IndicatorForm.id).where(IndicatorForm.code == "ГП"))
        s.execute(update(Indicator).where(Indicator.form_id == form_id, Indicator.code == "9")
                  .values(name="=HYPERLINK(\"http://x\";\"9\")"))
        s.commit()
    path = tmp_path / "шаблон.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, Period(2025), path)
    ws = load_workbook(path)["Форма"]
    r9 = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value == "9")
    label = ws.cell(r9, 2)
    # a string cell, never a formula (quoted with an apostrophe where the shared xlsx rule does so)
    assert label.data_type == "s" and label.value.lstrip("'") == "=HYPERLINK(\"http://x\";\"9\")" and label.font.b
    fact = ws.cell(r9, 5)
    assert not fact.protection.locked and fact.fill.fgColor.rgb.endswith("FFFFFF")
    assert fact.number_format == "#,##0.########" and fact.border.left.style == "thin"
    rules = ws.data_validations.dataValidation  # open cells are validated (ranges of consecutive rows), closed are not
    assert any(fact.coordinate in dv.sqref for dv in rules)
    r4 = next(r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value == "4")
    assert ws.cell(r4, 5).protection.locked and ws.cell(r4, 5).fill.fgColor.rgb.endswith("EDEDED")
    assert not any(ws.cell(r4, 5).coordinate in dv.sqref for dv in rules)
    assert str(ws.merged_cells) == "A1:F1" and ws.freeze_panes == "C6"
    # and the file still imports unchanged (the label's check sum holds)
    assert import_template(demo_ctx, path)["changed"] == 0


def test_template_prints_on_a4_in_the_document_font(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """A4 landscape fitted to the width, the header row repeated and frozen, every written cell in Times New Roman."""
    path = tmp_path / "шаблон.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, Period(2025), path)
    ws = load_workbook(path)["Форма"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$5:$5" and ws.freeze_panes == "C6"
    assert {c.font.name for row in ws.iter_rows(max_row=40) for c in row if c.value is not None} == {"Times New Roman"}
