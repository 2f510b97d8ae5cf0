"""Excel template: export, fill, import (all or nothing, idempotent), and every kind of bad file."""

from __future__ import annotations

import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from socplan.domain.errors import ImportFileError
from socplan.domain.indicators import Period
from socplan.services.indicators import entry
from socplan.services.indicators.excel import export_template, import_template

DISTRICT = "Тарский муниципальный район"
OTHER = "Омский муниципальный район"


def _row_of(ws, number: str) -> int:  # noqa: ANN001
    for r in range(6, ws.max_row + 1):
        if str(ws.cell(r, 1).value).replace("\u00a0", " ") == number:
            return r
    raise AssertionError(number)


def _export(demo_ctx, tmp_path: Path, territory: str = DISTRICT, period: Period = Period(2025)) -> Path:  # noqa: ANN001
    path = tmp_path / "шаблон.xlsx"
    export_template(demo_ctx, "ГП", territory, period, path)
    return path


def test_template_structure_locked_values_open_keys_hidden(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    path = _export(demo_ctx, tmp_path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    assert ws.protection.sheet
    assert wb["_ключи"].sheet_state == "veryHidden"
    assert ws.column_dimensions["G"].hidden
    r9 = _row_of(ws, "9")
    assert ws.cell(r9, 2).protection.locked and not ws.cell(r9, 5).protection.locked
    r4 = _row_of(ws, "4")
    assert ws.cell(r4, 5).protection.locked  # fact of a share is computed from В and А
    assert not ws.cell(_row_of(ws, "4 · В"), 5).protection.locked
    ranges = " ".join(str(dv.sqref) for dv in ws.data_validations.dataValidation)
    assert ws.cell(r9, 5).coordinate in ranges
    assert any(dv.type in ("decimal", "whole") for dv in ws.data_validations.dataValidation)


def test_import_round_trip_all_or_nothing_and_idempotent(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    path = _export(demo_ctx, tmp_path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    ws.cell(_row_of(ws, "9"), 5).value = "1 234"
    ws.cell(_row_of(ws, "9"), 4).value = 1300
    ws.cell(_row_of(ws, "14 · ОПтэ"), 5).value = "855,5"
    ws.cell(_row_of(ws, "14 · Птэ"), 5).value = 10000
    ws.cell(_row_of(ws, "9"), 6).value = "Меньше обращений"
    wb.save(path)
    result = import_template(demo_ctx, path, expected_territory=DISTRICT, expected_period=Period(2025))
    assert result["changed"] == 5
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    row9 = next(r for r in sheet.rows if r.indicator.code == "9" and not r.component)
    row14 = next(r for r in sheet.rows if r.indicator.code == "14" and not r.component)
    assert (row9.plan, row9.fact, row9.comment) == (D(1300), D(1234), "Меньше обращений")
    assert row14.fact == D("0.0856")  # 855,5 / 10 000 rounded half-up to 4 places
    again = import_template(demo_ctx, path)
    assert again["changed"] == 0
    history = entry.cell_history(demo_ctx, "ГП", DISTRICT, Period(2025), "9", "", "fact")
    assert [h.new for h in history] == ["1234"]


def test_bad_cells_are_all_listed_and_nothing_changes(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    path = _export(demo_ctx, tmp_path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    r9, r2, r4b = _row_of(ws, "9"), _row_of(ws, "2"), _row_of(ws, "4 · В")
    ws.cell(r9, 5).value = "много"
    ws.cell(r2, 4).value = 150
    ws.cell(r4b, 5).value = "1.234,5"
    ws.cell(_row_of(ws, "10"), 5).value = -3
    ws.cell(_row_of(ws, "12"), 5).value = 77  # a valid cell: must not be saved either
    wb.save(path)
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    problems = info.value.problems
    assert any(f"строка {r9}, столбец «Факт» (E)" in p and "не число" in p for p in problems)
    assert any(f"строка {r2}, столбец «План» (D)" in p and "больше 100" in p for p in problems)
    assert any(f"строка {r4b}" in p and "непонятная запись числа" in p for p in problems)
    assert any("отрицательным" in p for p in problems)
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    assert next(r for r in sheet.rows if r.indicator.code == "12" and not r.component).fact is None


def test_other_district_or_period_refused(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    path = _export(demo_ctx, tmp_path)
    with pytest.raises(ImportFileError, match="другой территории"):
        import_template(demo_ctx, path, expected_territory=OTHER)
    with pytest.raises(ImportFileError, match="другого периода"):
        import_template(demo_ctx, path, expected_period=Period(2026))


def test_locked_cells_edited_or_rows_moved_detected(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    path = _export(demo_ctx, tmp_path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    r = _row_of(ws, "9")
    ws.cell(r, 2).value = "Другое наименование"
    ws.cell(_row_of(ws, "4"), 5).value = 99  # computed, locked
    wb.save(path)
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    assert any(f"строка {r}" in p and "изменена защищённая ячейка" in p for p in info.value.problems)
    assert any("«Факт» (E): изменена защищённая ячейка" in p for p in info.value.problems)

    path2 = _export(demo_ctx, tmp_path / "b")
    wb = load_workbook(path2)
    ws = wb["Форма"]
    a, b = _row_of(ws, "9"), _row_of(ws, "10")
    for col in range(1, 11):  # a whole row moved, hidden key columns included
        ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, ws.cell(a, col).value
    wb.save(path2)
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path2)
    assert any("переставлены" in p for p in info.value.problems)


def test_not_xlsx_truncated_and_billion_laughs_refused(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    text = tmp_path / "отчёт.xlsx"
    text.write_text("это не книга Excel", encoding="utf-8")
    with pytest.raises(ImportFileError, match="не является книгой Excel"):
        import_template(demo_ctx, text)
    good = _export(demo_ctx, tmp_path)
    cut = tmp_path / "обрезан.xlsx"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(ImportFileError, match="повреждён|обрезан"):
        import_template(demo_ctx, cut)
    bomb = tmp_path / "bomb.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = laughs.encode()
            dst.writestr(item, data)
    with pytest.raises(ImportFileError, match="запрещённые XML"):
        import_template(demo_ctx, bomb)
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    assert all(r.fact is None for r in sheet.rows if r.fact_editable)


def test_quarter_template_round_trip_and_other_quarter_refused(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    q1 = Period(2025, "quarter", 1)
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, q1, [entry.CellChange("9", "", "plan", D(160))])
    path = tmp_path / "q1.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, q1, path)
    wb = load_workbook(path)
    ws = wb["Форма"]
    assert "I квартал 2025 г." in ws["A3"].value
    ws.cell(_row_of(ws, "9"), 5).value = 150
    wb.save(path)
    with pytest.raises(ImportFileError, match="II квартал 2025 г."):
        import_template(demo_ctx, path, expected_period=Period(2025, "quarter", 2))
    assert import_template(demo_ctx, path, expected_period=q1)["changed"] == 1
    row = next(r for r in entry.load_sheet(demo_ctx, "ГП", DISTRICT, q1).rows if r.indicator.code == "9")
    assert (row.plan, row.fact) == (D(160), D(150))
    assert next(r for r in entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025)).rows
                if r.indicator.code == "9").fact is None  # the year is a different period
