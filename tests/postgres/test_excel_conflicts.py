"""Excel import of indicator values takes the entry grid's write lock and version check: a value someone else
saved after the template was exported and that the file changes too is a conflict listed by cell, and the
whole import is refused; a value the file leaves as exported keeps what the other person saved.
Runs on both back-ends ([sqlite], [pg])."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from socplan.domain.errors import ImportFileError
from socplan.domain.indicators import Period
from socplan.services.context import AppContext, User
from socplan.services.indicators import entry
from socplan.services.indicators.excel import export_template, import_template

DISTRICT = "Тарский муниципальный район"
PERIOD = Period(2025)


def _row_of(ws, number: str) -> int:  # noqa: ANN001
    for r in range(6, ws.max_row + 1):
        if str(ws.cell(r, 1).value).replace("\u00a0", " ") == number:
            return r
    raise AssertionError(number)


def _row(ctx: AppContext, code: str):  # noqa: ANN202
    sheet = entry.load_sheet(ctx, "ГП", DISTRICT, PERIOD)
    return next(r for r in sheet.rows if r.indicator.code == code and not r.component)


def _setup(demo_ctx, tmp_path):  # noqa: ANN001, ANN202
    district = AppContext(demo_ctx.db, User("Районова Ольга Ивановна", "специалист района"))
    analyst = AppContext(demo_ctx.db, User("Аналитикова Вера Павловна", "аналитик"))
    entry.save_sheet(analyst, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(500)),
                                                        entry.CellChange("9", "", "plan", D(600))])
    path = tmp_path / "шаблон.xlsx"
    export_template(district, "ГП", DISTRICT, PERIOD, path)  # the district takes the template home
    return district, analyst, path


def test_value_changed_by_someone_else_since_export_is_a_conflict_by_cell(demo_ctx, tmp_path):  # noqa: ANN001
    district, analyst, path = _setup(demo_ctx, tmp_path)
    entry.save_sheet(analyst, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(510))])  # meanwhile
    wb = load_workbook(path)
    ws = wb["Форма"]
    r9 = _row_of(ws, "9")
    ws.cell(r9, 5).value = 520  # the district changed the same cell in the file
    ws.cell(r9, 4).value = 650  # and a cell nobody else touched
    wb.save(path)
    with pytest.raises(ImportFileError) as info:
        import_template(district, path)
    assert "после выгрузки шаблона другие пользователи изменили значения" in info.value.message
    assert "Ни одно значение не изменено" in info.value.message
    (problem,) = info.value.problems
    assert problem.cell == f"E{r9}"
    assert "в базе сейчас «510»" in problem
    assert (_row(analyst, "9").fact, _row(analyst, "9").plan) == (D(510), D(600))  # nothing of the file written


def test_cells_the_file_leaves_as_exported_keep_the_newer_value(demo_ctx, tmp_path):  # noqa: ANN001
    district, analyst, path = _setup(demo_ctx, tmp_path)
    entry.save_sheet(analyst, "ГП", DISTRICT, PERIOD, [entry.CellChange("9", "", "fact", D(510))])
    wb = load_workbook(path)
    ws = wb["Форма"]
    ws.cell(_row_of(ws, "9"), 4).value = 650  # only the plan changed in the file; the fact stays 500 as exported
    wb.save(path)
    result = import_template(district, path)
    assert (result["changed"], result["kept_newer"]) == (1, 1)
    row = _row(analyst, "9")
    assert (row.plan, row.fact) == (D(650), D(510))  # the analyst's 510 is not overwritten by the file's 500
