"""Out-of-range numbers are refused with their row and column: money below 10¹⁵ rubles, percentages, counts as
whole numbers, never «inf» or «NaN»; `indicators import` lists each error cell (sheet, cell, value, why) in text
and in --json, and changes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest
from hardening_helpers import content_fingerprint

from socplan.cli import run
from socplan.domain.value_ranges import range_problem
from socplan.resources import resource_path

pytestmark = pytest.mark.sqlite_only(reason="the command line on a database file, and SQLite file behaviour (locks, journal, page count); the server is tested in tests/postgres")



@pytest.mark.parametrize("value,kind,phrase", [
    ("1E+308", "money", "вне допустимого диапазона"),
    ("1000000000000000", "money", "меньше 10¹⁵ руб."),
    ("12.345", "money", "двух знаков копеек"),
    ("Infinity", "number", "не является числом"),
    ("NaN", "money", "не является числом"),
    ("150", "percent", "от 0 до 100"),
    ("2.5", "count", "целым числом"),
    ("-1", "count", "не может быть отрицательным"),
    ("1E+20", "number", "меньше 10¹⁵"),
])
def test_each_kind_has_its_range(value, kind, phrase):  # noqa: ANN001
    assert phrase in range_problem(Decimal(value), kind)


@pytest.mark.parametrize("value,kind", [("999999999999999.99", "money"), ("100", "percent"), ("12", "count"),
                                        ("0.0855", "number"), ("-3.5", "number")])
def test_values_within_range_pass(value, kind):  # noqa: ANN001
    assert range_problem(Decimal(value), kind, negative=kind == "number") == ""


def _open_cells(path) -> list:  # noqa: ANN001
    wb = openpyxl.load_workbook(path)
    ws = wb["Форма"]
    cells = [ws.cell(r, c) for r in range(6, ws.max_row + 1) for c in (4, 5)
             if ws.cell(r, 7).value and not ws.cell(r, c).protection.locked]
    return wb, cells


def test_indicators_import_lists_every_error_cell(demo_db, tmp_path, capsys):  # noqa: ANN001
    db = demo_db.path
    demo_db.close()
    template = tmp_path / "шаблон.xlsx"
    assert run(["--db", str(db), "indicators", "export-template", "--form", "НОК", "--territory",
                "Тарский муниципальный район", "--period", "2025", "-o", str(template)]) == 0
    wb, cells = _open_cells(template)
    hostile = [1e308, "абв", 10**20, -5]
    for cell, value in zip(cells, hostile):
        cell.value = value
    wb.save(template)
    coordinates = [c.coordinate for c in cells[:len(hostile)]]
    before = content_fingerprint(db)
    capsys.readouterr()
    assert run(["--db", str(db), "indicators", "import", str(template)]) == 1
    err = capsys.readouterr().err
    assert "найдено ошибок — 4" in err, err
    for coordinate in coordinates:
        assert f"ячейка {coordinate}" in err, err
    assert err.count("вне допустимого диапазона") == 2 and "не число" in err and "отрицательным" in err, err
    assert run(["--db", str(db), "indicators", "import", str(template), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [e["cell"] for e in report["errors"]] == coordinates
    assert all(e["sheet"] == "Форма" and e["why"] for e in report["errors"])
    assert report["errors"][1]["value"] == "абв"
    assert content_fingerprint(db) == before


def test_a_budget_of_1e308_is_refused_with_its_cell(tmp_path, capsys):  # noqa: ANN001
    wb = openpyxl.load_workbook(resource_path("demo", "subsidies", "app12_2025.xlsx"))
    ws = wb["Отбор"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "budget")
    ws.cell(row, 2).value = 1e308
    path = tmp_path / "отбор.xlsx"
    wb.save(path)
    assert run(["subsidies", "calc", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"Лист «Отбор», строка {row}, столбец B (budget)" in err and "вне допустимого диапазона" in err, err
    assert "Traceback" not in err and "InvalidOperation" not in err


def test_a_budget_of_1e308_in_json_is_refused_with_its_field(tmp_path, capsys):  # noqa: ANN001
    """The JSON input of `subsidies calc`: 1e308 as the budget (a JSON number) is refused by name, no traceback."""
    import json

    data = json.loads(resource_path("demo", "subsidies", "app12_2025.json").read_text(encoding="utf-8"))
    data["budget"] = 1e308
    path = tmp_path / "отбор.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run(["subsidies", "calc", str(path)]) == 1
    err = capsys.readouterr().err
    assert "budget" in err and "вне допустимого диапазона" in err, err
    assert "Traceback" not in err and "InvalidOperation" not in err
