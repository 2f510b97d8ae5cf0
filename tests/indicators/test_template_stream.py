"""The template import reads, checks and writes a chunk of rows at a time (issue 19): a problem found after chunks
were written still leaves the database as it was; the exported versions are read piece by piece; memory stays small."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from socplan.db.models.audit import AuditLog
from socplan.domain.errors import ImportFileError
from socplan.domain.indicators import Period
from socplan.services.indicators import entry, excel_import
from socplan.services.indicators.excel import export_template, import_template
from socplan.services.indicators.excel_write import ChangeWriter
from socplan.services.indicators.template_versions import ExportedTexts, ExportedVersions

DISTRICT = "Тарский муниципальный район"
PERIOD = Period(2025)


def _open_rows(ws) -> dict[str, int]:  # noqa: ANN001
    """Sheet row of each indicator whose plan and fact are both entered (counts of persons, shares …); values
    below 50 suit every one of them."""
    rows = {}
    for r in range(6, ws.max_row + 1):
        key = ws.cell(r, 7).value
        if key and key.endswith("|") and not ws.cell(r, 4).protection.locked and not ws.cell(r, 5).protection.locked:
            rows[key.rstrip("|")] = r
    return rows


def _fill(path: Path, values: dict[int, tuple[object, object]]) -> None:
    wb = load_workbook(path)
    ws = wb["Форма"]
    for r, (plan, fact) in values.items():
        ws.cell(r, 4).value, ws.cell(r, 5).value = plan, fact
    wb.save(path)


def _journal(ctx, name: str) -> int:  # noqa: ANN001
    with ctx.uow() as s:
        return s.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.reason.like(f"%{name}%")))


@pytest.fixture
def chunks_of_two(monkeypatch):  # noqa: ANN001, ANN201
    """Two rows a chunk, and a count of the chunks written."""
    written = []
    original = ChangeWriter.write

    def write(self, changes, stored, ids):  # noqa: ANN001, ANN202
        written.append(len(changes))
        return original(self, changes, stored, ids)

    monkeypatch.setattr(excel_import, "ROWS_PER_CHUNK", 2)
    monkeypatch.setattr(ChangeWriter, "write", write)
    return written


def test_a_bad_cell_in_the_last_rows_undoes_the_chunks_already_written(demo_ctx, tmp_path, chunks_of_two) -> None:  # noqa: ANN001
    """Every open row filled, the last one with «много»: the earlier chunks are written as the file is read, then the
    bad cell refuses the file by row and column and nothing stays — no value, no journal row."""
    path = tmp_path / "поздняя ошибка.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, PERIOD, path)
    rows = _open_rows(load_workbook(path)["Форма"])
    assert len(rows) >= 3
    last = max(rows.values())
    _fill(path, {r: (r - 5, "много" if r == last else r - 4) for r in rows.values()})
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    assert len(info.value.problems) == 1
    assert f"строка {last}, столбец «Факт» (E)" in info.value.problems[0] and "много" in info.value.problems[0]
    assert "ни одно значение не изменено" in info.value.message
    assert sum(chunks_of_two) >= 2  # the first rows were written before the bad one was read …
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, PERIOD)
    for code in rows:  # … and rolled back with it
        row = next(x for x in sheet.rows if x.indicator.code == code and not x.component)
        assert (row.plan, row.fact) == (None, None), code
    assert _journal(demo_ctx, "поздняя ошибка.xlsx") == 0


def test_a_structure_check_sum_settled_by_the_last_row_undoes_everything(demo_ctx, tmp_path, chunks_of_two) -> None:  # noqa: ANN001
    """The structure check sum of «_ключи» edited: only the end of the sheet shows it; the rows written by then are
    undone."""
    path = tmp_path / "сумма.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, PERIOD, path)
    rows = _open_rows(load_workbook(path)["Форма"])
    _fill(path, {r: (r, r + 1) for r in rows.values()})
    wb = load_workbook(path)
    keys = wb["_ключи"]
    hash_row = next(r for r in range(1, keys.max_row + 1) if keys.cell(r, 1).value == "hash")
    keys.cell(hash_row, 2).value = "0" * 64
    wb.save(path)
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    assert any("служебные столбцы шаблона изменены" in p for p in info.value.problems)
    assert sum(chunks_of_two) >= 2
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, PERIOD)
    assert all(r.plan is None and r.fact is None for r in sheet.rows if r.indicator.code in rows and not r.component)
    assert _journal(demo_ctx, "сумма.xlsx") == 0


def test_a_conflict_in_the_last_rows_undoes_the_written_chunks(demo_ctx, tmp_path, chunks_of_two) -> None:  # noqa: ANN001
    """Someone saves the last open row's fact after the export; the file changes it too: a conflict named by its
    cell with the database's value, found after earlier chunks were written — all of them undone."""
    path = tmp_path / "конфликт.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, PERIOD, path)
    rows = _open_rows(load_workbook(path)["Форма"])
    last_code, last = max(rows.items(), key=lambda kv: kv[1])
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, PERIOD, [entry.CellChange(last_code, "", "fact", D(77))])
    _fill(path, {r: (r - 5, r - 4) for r in rows.values()})
    with pytest.raises(ImportFileError) as info:
        import_template(demo_ctx, path)
    (problem,) = info.value.problems
    assert problem.cell == f"E{last}" and "в базе сейчас «77»" in problem
    assert sum(chunks_of_two) >= 2
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, PERIOD)
    for code in rows:
        row = next(x for x in sheet.rows if x.indicator.code == code and not x.component)
        assert (row.plan, row.fact) == (None, D(77) if code == last_code else None), code


def test_a_cell_saved_by_someone_else_and_left_as_exported_keeps_their_value(demo_ctx, tmp_path, chunks_of_two) -> None:  # noqa: ANN001
    """The same late save, but the file leaves that cell as exported: every other value of the file is written,
    theirs stays (kept_newer = 1)."""
    path = tmp_path / "оставлено.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, PERIOD, path)
    rows = _open_rows(load_workbook(path)["Форма"])
    last_code, last = max(rows.items(), key=lambda kv: kv[1])
    entry.save_sheet(demo_ctx, "ГП", DISTRICT, PERIOD, [entry.CellChange(last_code, "", "fact", D(77))])
    _fill(path, {r: (r - 5, None if r == last else r - 4) for r in rows.values()})
    result = import_template(demo_ctx, path)
    assert (result["changed"], result["kept_newer"]) == (2 * len(rows) - 1, 1)
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, PERIOD)
    for code, r in rows.items():
        row = next(x for x in sheet.rows if x.indicator.code == code and not x.component)
        assert (row.plan, row.fact) == (D(r - 5), D(77) if code == last_code else D(r - 4)), code


VERSIONS = {"1||plan": [3, "12.5", "a1b2c3d4e5f6"], "1||fact": [1, "-0.0855", "000000000000"],
            'N"1|В|fact': [7, "", "ffffffffffff"], "Ж|\u00e9|plan": [2147483647, "1E+3", ""]}


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_versions_read_piece_by_piece_whatever_the_cut(parts: int) -> None:
    """The versions JSON cut at every position into 2 (and 3) pieces, as «_ключи» rows cut it, gives the same
    versions and texts as json.loads of the whole."""
    text = json.dumps(VERSIONS, ensure_ascii=False, separators=(",", ":"))
    cuts = [()] if parts == 1 else [(i,) for i in range(len(text) + 1)] if parts == 2 else [
        (i, j) for i in range(0, len(text) + 1, 3) for j in range(i, len(text) + 1, 5)]
    for cut in cuts:
        bounds = (0, *cut, len(text))
        pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
        table, texts = ExportedVersions("ф.xlsx", expected=2), ExportedTexts("ф.xlsx", {"1||fact", 'N"1|В|fact'})
        for piece in pieces:
            table.feed(piece)
            texts.feed(piece)
        assert table.finish() and texts.finish()
        assert len(table) == 4 and {k: table.version(k) for k in VERSIONS} == {k: v[0] for k, v in VERSIONS.items()}
        assert table.version("2||plan") == 0
        assert texts.found == {"1||fact": (1, "-0.0855", "000000000000"), 'N"1|В|fact': (7, "", "ffffffffffff")}


def test_a_large_versions_table_grows_and_finds_every_key() -> None:
    """40 000 entries in a table told to expect 10: it grows, and every version is found."""
    text = "{" + ",".join(f'"{n}||fact":[{n % 97 + 1},"{n}.5","a1b2c3d4e5f6"]' for n in range(40_000)) + "}"
    table = ExportedVersions("ф.xlsx", expected=10)
    for start in range(0, len(text), 30_000):
        table.feed(text[start:start + 30_000])
    assert table.finish() and len(table) == 40_000
    assert all(table.version(f"{n}||fact") == n % 97 + 1 for n in range(40_000))
    assert table.version("40000||fact") == 0


@pytest.mark.parametrize("text", ['{"1||plan":[3,"1","h"]', '{"1||plan":[3,"1","h"]}x', '["1||plan"]',
                                  '{"1||plan":3}', '{"1||plan":["три","1","h"]}', '{"1||plan":[3]}',
                                  '{1:[3,"1","h"]}', '{"1||plan" [3,"1","h"]}', '{"1||plan":[3,"1","h"],}',
                                  '{"1||plan":[99999999999,"1","h"]}'])
def test_broken_versions_refuse_the_file(text: str) -> None:
    table = ExportedVersions("шаблон.xlsx")
    with pytest.raises(ImportFileError, match="«шаблон.xlsx»: служебные данные шаблона повреждены"):
        table.feed(text)
        table.finish()


def test_empty_versions_pieces_mean_no_versions() -> None:
    table = ExportedVersions("ф.xlsx")
    table.feed("")
    table.feed("  ")
    assert table.finish() is False


def test_the_reader_closes_the_workbook_after_the_last_row(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """The template's workbook (its zip and parser) is released as soon as «Форма» is read, before the values are
    written and committed."""
    from socplan.io.indicators_excel import TemplateReader

    path = tmp_path / "шаблон.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, PERIOD, path)
    with TemplateReader(path) as reader:
        header = reader.read_header()
        assert not reader.closed
        lines = list(reader.lines())
        assert reader.closed and len(lines) == header.rows and not reader.problems


def test_importing_a_large_template_holds_little_more_than_reading_it(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """A 5 001-row form filled whole (10 002 values, every one new): the import's peak of Python memory stays within
    a small multiple of openpyxl merely iterating the same sheet — one chunk of rows at a time, not the whole sheet,
    catalogue, stored values and versions at once (that took 12,6× here); a second import changing every value
    likewise (the first import of a process compiles its statements too). On 20 000 rows the multiple is smaller still (benchmarks/bench_indicators.py)."""
    import gc
    import tracemalloc

    from tests.indicators.test_bulk_template import _fill as fill_rows, _large_form

    count = 5_001
    _large_form(demo_ctx, "БФ", count)
    path = tmp_path / "большая.xlsx"
    export_template(demo_ctx, "БФ", DISTRICT, PERIOD, path)
    fill_rows(path, range(6, 6 + count), lambda r: r, lambda r: r + 1)

    def bare() -> None:
        book = load_workbook(path, read_only=True, data_only=True)
        assert sum(1 for _ in book["Форма"].iter_rows(min_row=6, max_col=10, values_only=True)) == count
        book.close()

    def peak(work) -> float:  # noqa: ANN001
        gc.collect()
        tracemalloc.start()
        try:
            work()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    bare()
    reading = peak(bare)
    first = peak(lambda: import_template(demo_ctx, path))
    export_template(demo_ctx, "БФ", DISTRICT, PERIOD, path)
    fill_rows(path, range(6, 6 + count), lambda r: r + 2, lambda r: r + 3)
    again = peak(lambda: import_template(demo_ctx, path))
    assert entry.load_sheet(demo_ctx, "БФ", DISTRICT, PERIOD).rows[-1].fact == count + 8
    print(f"openpyxl {reading:.2f} MiB, first import {first:.2f} MiB, changing every value {again:.2f} MiB")
    # the first import of the process also compiles its statements once (more so for PostgreSQL)
    assert again < 4 * reading and first < 8 * reading, (reading, first, again)
