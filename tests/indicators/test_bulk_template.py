"""The Excel template's bulk paths (issue 19) read the same catalogue and write the same journal as before."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from socplan.db.models.indicators import IndicatorForm
from socplan.services.indicators.analysis import infos_of
from socplan.services.indicators.common import form_by_code, form_infos, form_only


def test_catalogue_read_as_plain_rows_equals_the_orm_catalogue(demo_ctx) -> None:  # noqa: ANN001
    """Every demo form: the Core-read catalogue gives the very same indicator descriptions (units as shown, limits,
    components, responsible, errata notes) in the same order as the ORM one."""
    with demo_ctx.uow() as s:
        codes = list(s.scalars(select(IndicatorForm.code)))
        assert len(codes) >= 2
        for code in codes:
            orm = infos_of(form_by_code(s, code))
            s.expunge_all()  # the light read must not profit from ORM objects already loaded
            plain = form_infos(s, form_only(s, code))
            assert plain == orm, code
        assert any(i.components for i in plain + orm) and any(i.responsible for code in codes
                                                              for i in infos_of(form_by_code(s, code)))


def test_import_rules_are_the_catalogues_rules(demo_ctx) -> None:  # noqa: ANN001
    """The import's light rows give every demo indicator the same limits, share flag, formulas and components as the
    full catalogue (so a value is refused or accepted alike by the grid and by the import)."""
    from socplan.services.indicators.entry_rules import entry_rules

    with demo_ctx.uow() as s:
        checked, shares, with_components = 0, set(), 0
        for code in s.scalars(select(IndicatorForm.code)):
            full = infos_of(form_by_code(s, code))
            light = entry_rules(s, form_only(s, code))
            assert [r.code for r in light] == [i.code for i in full]
            for rule, info in zip(light, full):
                assert (rule.id, rule.formula, rule.limits, rule.share, rule.definition()) == (
                    info.id, info.formula, info.limits, info.share, info.definition()), (code, info.code)
                assert [(c.symbol, c.formula) for c in rule.components] == [(c.symbol, c.formula)
                                                                             for c in info.components]
                checked += 1
                shares.add(rule.share)
                with_components += bool(rule.components)
        assert checked > 20 and shares == {True, False} and with_components > 5


DISTRICT = "Тарский муниципальный район"


def _large_form(ctx, code: str, count: int) -> None:  # noqa: ANN001
    """A form of ``count`` plain «человек» indicators, added with one Core insert."""
    from sqlalchemy import insert

    from socplan.db.models.indicators import Indicator

    with ctx.uow() as s:
        form = IndicatorForm(code=code, name=f"Большая форма {code}", territorial=True)
        s.add(form)
        s.flush()
        s.execute(insert(Indicator), [
            {"form_id": form.id, "code": str(n), "sort_order": n, "name": f"Показатель {n}", "unit_name": "человек",
             "decimals": 0, "consolidation": "sum", "formula": "", "direction": "increasing", "value_kind": "number",
             "plan_mode": "entered", "parent_code": "", "goal": "", "level": "", "indicator_type": "",
             "source_document": "", "responsible_text": "", "national_goal": "", "formula_text": "",
             "methodology": "", "data_source": ""} for n in range(1, count + 1)])
        s.commit()


def _fill(path, rows: range, plan, fact, comment=None):  # noqa: ANN001, ANN202
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Форма"]
    for r in rows:
        ws.cell(r, 4).value = plan(r)
        ws.cell(r, 5).value = fact(r)
        if comment:
            ws.cell(r, 6).value = comment(r)
    wb.save(path)


def test_a_form_larger_than_the_row_guard_imports_whole(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """5 001 indicators (the guard alone allows 5 000 rows): exported, filled and imported whole — 10 002 values
    and a reason, each value with its journal row naming the user and the file."""
    from socplan.domain.indicators import Period
    from socplan.services.indicators import entry
    from socplan.services.indicators.excel import export_template, import_template

    count = 5_001
    _large_form(demo_ctx, "БФ", count)
    path = tmp_path / "большая.xlsx"
    export_template(demo_ctx, "БФ", DISTRICT, Period(2025), path)
    _fill(path, range(6, 6 + count), lambda r: r, lambda r: f"{r + 1} ", lambda r: "рост" if r == 6 + count - 1 else None)
    first = import_template(demo_ctx, path)
    assert (first["cells"], first["changed"]) == (count, 2 * count + 1)
    sheet = entry.load_sheet(demo_ctx, "БФ", DISTRICT, Period(2025))
    last = sheet.rows[-1]
    assert (last.indicator.code, last.plan, last.fact, last.comment) == (str(count), 5 + count, 6 + count, "рост")
    history = entry.cell_history(demo_ctx, "БФ", DISTRICT, Period(2025), str(count), "", "fact")
    assert [h.new for h in history] == [str(6 + count)] and history[0].user == "Тестов Тест Тестович"
    assert "большая.xlsx" in history[0].reason


def test_values_and_journal_written_in_chunks(demo_ctx, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """Chunks of 3 rows (6 values): a first filling (new rows) and then a change of every value of the sheet as exported
    (updates) each give one journal row per changed cell — the new row as JSON, then old → new — under one user,
    one time stamp and the file's name, plus the import's own row."""
    import json

    from openpyxl import load_workbook

    from socplan.db.models.audit import AuditLog
    from socplan.domain.indicators import Period
    from socplan.services.indicators import entry, excel_write
    from socplan.services.indicators.excel import export_template, import_template

    monkeypatch.setattr(excel_write, "CHUNK", 3)
    path = tmp_path / "порциями.xlsx"
    export_template(demo_ctx, "ГП", DISTRICT, Period(2025), path)
    ws = load_workbook(path)["Форма"]
    open_rows = [r for r in range(6, ws.max_row + 1) if ws.cell(r, 7).value in ("9|", "10|", "12|")]
    assert len(open_rows) == 3  # counts of persons: plan and fact entered
    _fill(path, open_rows, lambda r: r * 10, lambda r: r * 10 + 1)
    assert import_template(demo_ctx, path)["changed"] == 6
    export_template(demo_ctx, "ГП", DISTRICT, Period(2025), path)
    _fill(path, open_rows, lambda r: r * 10 + 2, lambda r: r * 10 + 3)
    assert import_template(demo_ctx, path)["changed"] == 6
    with demo_ctx.uow() as s:
        journal = list(s.scalars(select(AuditLog).where(AuditLog.reason.like("%порциями.xlsx%"))
                                 .order_by(AuditLog.id)))
    assert [a.action for a in journal] == ["insert"] * 6 + ["import"] + ["update"] * 6 + ["import"]
    assert {a.user_name for a in journal} == {"Тестов Тест Тестович"}
    assert len({a.at for a in journal[:7]}) == 1 and len({a.at for a in journal[7:]}) == 1  # one stamp an import
    assert len({a.entity_id for a in journal if a.action == "insert"}) == 6
    sheet = entry.load_sheet(demo_ctx, "ГП", DISTRICT, Period(2025))
    for r in open_rows:
        code = ws.cell(r, 7).value.rstrip("|")
        row = next(x for x in sheet.rows if x.indicator.code == code and not x.component)
        assert (row.plan, row.fact) == (r * 10 + 2, r * 10 + 3)
        plan = entry.cell_history(demo_ctx, "ГП", DISTRICT, Period(2025), code, "", "plan")
        assert [(h.old, h.new) for h in plan] == [(None, str(r * 10)), (str(r * 10), str(r * 10 + 2))]
    first = json.loads(next(a.new for a in journal if a.action == "insert"))
    assert set(first) == {"indicator_id", "component", "territory_id", "year", "period_kind", "period_no", "kind",
                          "value", "qualifier", "comment"} and first["year"] == "2025"


def test_rows_beyond_the_forms_own_are_refused(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """A form of 5 001 rows may have a 5 001-row file, not a longer one: rows past the form's are refused by the
    guard with the sheet and the row named, and nothing is written."""
    from socplan.domain.errors import ImportFileError
    from socplan.domain.indicators import Period
    from socplan.services.indicators import entry
    from socplan.services.indicators.excel import export_template, import_template

    count = 5_001
    _large_form(demo_ctx, "БФ", count)
    path = tmp_path / "длинная.xlsx"
    export_template(demo_ctx, "БФ", DISTRICT, Period(2025), path)
    _fill(path, range(6, 6 + count + 3), lambda r: 1, lambda r: 2)
    with pytest.raises(ImportFileError, match=f"Лист «Форма», строка {6 + count}: слишком много строк"):
        import_template(demo_ctx, path)
    assert all(r.plan is None for r in entry.load_sheet(demo_ctx, "БФ", DISTRICT, Period(2025)).rows)


def test_versions_of_a_large_sheet_fit_the_keys_sheet(tmp_path) -> None:  # noqa: ANN001
    """The versions of 40 000 stored values (~1,6 MB of text) take more than 50 rows of «_ключи» (30 000
    characters a cell): they are written and read back whole."""
    from decimal import Decimal

    from socplan.io.indicators_excel import TemplateRow, TemplateSpec, read_template
    from socplan.io.indicators_template_writer import write_template

    versions = "{" + ",".join(f'"{n}||fact":[3,"{n}.5","a1b2c3d4e5f6"]' for n in range(40_000)) + "}"
    assert len(versions) > 51 * 30_000
    row = TemplateRow("1|", "1", "Показатель", "чел.", Decimal(1), None, "", False, True, True)
    path = tmp_path / "шаблон.xlsx"
    write_template(path, TemplateSpec("Ф", "Форма", 1, "Район", "2025", "2025 год", (row,), versions=versions))
    data = read_template(path)
    assert data.versions == versions and not data.problems


def test_journal_row_json_is_what_json_dumps_gives() -> None:
    """The bulk writer's journal text of a new row is byte for byte the ORM listener's ``json.dumps``."""
    import json
    from decimal import Decimal

    from socplan.domain.indicators import Period
    from socplan.services.indicators.excel_write import _text, row_json

    text = row_json(3, Period(2025, "quarter", 2))
    for comment in ("", "рост «на 5 %»", 'кавычки " и \\ обратная черта', "строка\nвторая\tтаб \x01 \u2028 😀"):
        for value in (None, Decimal("0.0855"), Decimal("1E+3"), Decimal("-12")):
            for component in ("", "В", 'N"1'):
                row = {"indicator_id": 7, "component": component, "territory_id": 3, "year": 2025,
                       "period_kind": "quarter", "period_no": 2, "kind": "fact", "value": value, "qualifier": "",
                       "comment": comment}
                assert text(7, component, "fact", value, comment) == json.dumps(
                    {k: _text(v) for k, v in row.items()}, ensure_ascii=False)
