"""Benchmarks of the indicators capability, each against a bare baseline doing the same rows in the same run.

1. Consolidation of 33 territories × 200 indicators × 7 years × 12 months (554 400 values) by the
   indicators' rules vs a bare SQL ``GROUP BY`` aggregation of the same rows.
2. Export of the Excel template of a 20 000-row form vs the same SQL reading + openpyxl write-only of the same
   cells; import of that template filled with 40 000 values (validation, version check, bulk write, journal) vs
   openpyxl's read-only iteration of the same cells of the same file (``--only template``). The first filling of
   the empty form is timed once; the runs then change every value of the filled sheet as exported, the sheet put
   back between runs outside the timer. Memory: peak RSS of a fresh process each side, and its growth over the
   RSS after importing the modules.
3. Opening the entry grid with 200 indicators and scrolling to the end vs a bare QTableView on a trivial
   model of the same size; plus the time of one live recalculation while typing.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_indicators.py [--quick] [--only template]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import resource
import statistics
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert, select, text  # noqa: E402

from socplan.db.database import open_database  # noqa: E402
from socplan.db.models.indicators import Component, Indicator, IndicatorForm, IndicatorValue  # noqa: E402
from socplan.db.models.reference import Territory  # noqa: E402
from socplan.domain.indicators import Period  # noqa: E402
from socplan.services.context import AppContext, User  # noqa: E402
from socplan.services.demo import load_reference  # noqa: E402


RATIOS: dict[str, float] = {}


def timed(fn):  # noqa: ANN001, ANN201
    """Result, seconds, peak RSS growth in MB (ru_maxrss; tracemalloc would distort the timing)."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result, elapsed, (after - before) / 1024


def compare(ours, bare, runs: int):  # noqa: ANN001, ANN201
    """Both sides run alternately ``runs`` times: (our result, bare result, our median s, bare median s)."""
    ours_times, bare_times = [], []
    ours_result = bare_result = None
    for n in range(runs):
        for name in (("ours", "bare") if n % 2 == 0 else ("bare", "ours")):
            start = time.perf_counter()
            if name == "ours":
                ours_result = ours()
                ours_times.append(time.perf_counter() - start)
            else:
                bare_result = bare()
                bare_times.append(time.perf_counter() - start)
    return ours_result, bare_result, statistics.median(ours_times), statistics.median(bare_times)


def make_db(folder: Path):  # noqa: ANN201
    db = open_database(folder / "bench.sqlite", create=True, lock=False)
    with db.session() as s:
        load_reference(s)
        s.commit()
    return db, AppContext(db, User("Бенчмарк", "аналитик"))


def add_form(db, code: str, count: int, shares_every: int = 0) -> int:  # noqa: ANN001
    """A form of ``count`` indicators (Core inserts); every ``shares_every``-th is a share В / А × 100."""
    with db.session() as s:
        form = IndicatorForm(code=code, name=f"Синтетическая форма {code}", territorial=True)
        s.add(form)
        s.flush()
        rows = []
        for n in range(1, count + 1):
            share = shares_every and n % shares_every == 0
            rows.append({"form_id": form.id, "code": str(n), "sort_order": n, "name": f"Показатель {n}",
                         "unit_name": "процентов" if share else "человек", "decimals": 1 if share else 0,
                         "consolidation": "recompute" if share else "sum",
                         "formula": "В / А × 100" if share else "", "direction": "increasing",
                         "value_kind": "number", "plan_mode": "entered", "parent_code": "", "goal": "",
                         "level": "", "indicator_type": "", "source_document": "", "responsible_text": "",
                         "national_goal": "", "formula_text": "", "methodology": "", "data_source": ""})
        s.execute(insert(Indicator), rows)
        ids = dict(s.execute(select(Indicator.code, Indicator.id).where(Indicator.form_id == form.id)).all())
        comps = []
        for n in range(1, count + 1):
            if shares_every and n % shares_every == 0:
                for order, sym in enumerate(("В", "А")):
                    comps.append({"indicator_id": ids[str(n)], "symbol": sym, "description": sym, "unit_name": "",
                                  "data_source": "", "formula": "", "sort_order": order})
        if comps:
            s.execute(insert(Component), comps)
        s.commit()
        return form.id


def fill_monthly_facts(db, form_id: int, years: range) -> tuple[list[int], list[int], int]:  # noqa: ANN001
    """Monthly facts of every indicator of the form for every city and district over ``years``, in bulk; returns
    the territories' and the indicators' ids and the number of values (the region's volume for consolidation benchmarks)."""
    total = 0
    with db.session() as s:
        terr = [t.id for t in s.scalars(select(Territory).where(Territory.kind.in_(("city", "district"))))]
        ind_ids = list(s.scalars(select(Indicator.id).where(Indicator.form_id == form_id)))
        batch: list[dict] = []
        for y in years:
            for m in range(1, 13):
                for t in terr:
                    for i in ind_ids:
                        batch.append({"indicator_id": i, "component": "", "territory_id": t, "year": y,
                                      "period_kind": "month", "period_no": m, "kind": "fact",
                                      "value": Decimal((i * 7 + t * 3 + m) % 1000), "qualifier": "", "comment": ""})
                if len(batch) > 50000:
                    s.execute(insert(IndicatorValue), batch)
                    total += len(batch)
                    batch = []
        if batch:
            s.execute(insert(IndicatorValue), batch)
            total += len(batch)
        s.commit()
    return terr, ind_ids, total


def bench_consolidation(db, ctx, quick: bool, runs: int) -> None:  # noqa: ANN001
    from socplan.services.indicators.analysis import consolidate_periods

    years = range(2024, 2026 if quick else 2031)
    form_id = add_form(db, "БК", 200)
    terr, ind_ids, total = fill_monthly_facts(db, form_id, years)
    print(f"1. Консолидация: {len(terr)} территорий × 200 показателей × {len(years)} лет × 12 месяцев = {total} значений")

    periods = [Period(y, "month", m) for y in years for m in range(1, 13)]

    def ours():  # noqa: ANN202
        return consolidate_periods(ctx, "БК", periods)

    def bare():  # noqa: ANN202
        with db.engine.connect() as conn:
            return conn.execute(text(
                f"SELECT indicator_id, year, period_no, SUM(CAST(value AS REAL)), COUNT(*) FROM ind_value WHERE year IN "
                f"({','.join(str(y) for y in years)}) AND period_kind = 'month' AND kind = 'fact' "
                f"AND indicator_id IN (SELECT id FROM ind_indicator WHERE form_id = {form_id}) "
                f"GROUP BY indicator_id, year, period_no")).all()

    ours_result, bare_result, t_ours, t_bare = compare(ours, bare, runs)
    first = ours_result[periods[0]]["1"].fact
    sql_first = next(r[3] for r in bare_result if r[1] == years[0] and r[2] == 1 and r[0] == min(r[0] for r in bare_result))
    assert Decimal(str(int(sql_first))) == first, (sql_first, first)
    print(f"   СоцПлан (точные суммы Decimal): {t_ours:.2f} с; голый SQL GROUP BY (REAL): {t_bare:.2f} с "
          f"(медианы {runs} прогонов); отношение {t_ours / t_bare:.1f}×")
    RATIOS["консолидация по области, 84 периода"] = t_ours / t_bare

    # region totals («indicators sheet» for the region): the year's sheet with 7 years of consolidated history
    with db.session() as s:
        batch = [{"indicator_id": i, "component": "", "territory_id": t, "year": y, "period_kind": "year",
                  "period_no": 0, "kind": "fact", "value": Decimal((i * 11 + t * 5 + y) % 5000) / 10,
                  "qualifier": "", "comment": ""} for y in years for t in terr for i in ind_ids]
        s.execute(insert(IndicatorValue), batch)
        s.commit()
    last = Period(years[-1])

    def ours_sheet():  # noqa: ANN202
        from socplan.services.indicators.analysis import achievement_data
        return achievement_data(ctx, "БК", "Омская область", last)

    def bare_sheet():  # noqa: ANN202
        with db.engine.connect() as conn:  # the same gathering: the catalogue, the region's own values, the sums
            catalogue = conn.execute(text(
                "SELECT i.id, i.code, i.name, i.unit_name, i.decimals, i.formula, i.consolidation, c.symbol, c.formula "
                "FROM ind_indicator i JOIN ind_form f ON f.id = i.form_id LEFT JOIN ind_component c "
                "ON c.indicator_id = i.id WHERE f.code = 'БК' ORDER BY i.sort_order")).all()
            own = conn.execute(text(
                "SELECT indicator_id, kind, value FROM ind_value WHERE year = :y AND period_kind = 'year' "
                "AND period_no = 0 AND territory_id = (SELECT id FROM territory WHERE kind = 'region')"),
                {"y": last.year}).all()
            assert len(catalogue) >= 200 and own is not None
            return conn.execute(text(
                f"SELECT indicator_id, year, SUM(CAST(value AS REAL)), COUNT(*) FROM ind_value WHERE year IN "
                f"({','.join(str(y) for y in years)}) AND period_kind = 'year' AND period_no = 0 AND kind = 'fact' "
                f"AND indicator_id IN (SELECT id FROM ind_indicator WHERE form_id = {form_id}) "
                f"GROUP BY indicator_id, year")).all()

    data, rows, t_ours, t_bare = compare(ours_sheet, bare_sheet, runs)
    assert len(data.rows) == 200 and all(r.fact is not None for r in data.rows)
    assert len(rows) == 200 * len(years)  # the same groups: this form's indicators × years
    print(f"   Итоги по области (indicators sheet, {len(years)} лет истории): СоцПлан {t_ours * 1000:.0f} мс; "
          f"голый SQL GROUP BY {t_bare * 1000:.0f} мс ({len(rows)} групп); отношение {t_ours / t_bare:.1f}×")
    RATIOS["итоги по области (indicators sheet)"] = t_ours / t_bare


def bench_import(db, ctx, folder: Path, quick: bool, runs: int) -> None:  # noqa: ANN001
    from openpyxl import Workbook, load_workbook

    from socplan.services.indicators.excel import export_template, import_template

    count = 2000 if quick else 20000
    add_form(db, "БИ", count)
    path = folder / "template.xlsx"
    export_template(ctx, "БИ", "Тарский муниципальный район", Period(2025), path)
    book = load_workbook(path, read_only=True)
    cells = [list(r) for r in book["Форма"].iter_rows(values_only=True)]
    book.close()

    def ours_export():  # noqa: ANN202
        return export_template(ctx, "БИ", "Тарский муниципальный район", Period(2025), folder / "ours.xlsx")

    def bare_export():  # noqa: ANN202
        with db.engine.connect() as conn:  # the data gathering: the form's indicators and the district's values
            gathered = conn.execute(text(
                "SELECT i.code, i.name, i.unit_name, i.formula, v.kind, v.value, v.comment FROM ind_indicator i "
                "JOIN ind_form f ON f.id = i.form_id LEFT JOIN ind_value v ON v.indicator_id = i.id "
                "AND v.year = 2025 AND v.period_kind = 'year' WHERE f.code = 'БИ' ORDER BY i.sort_order")).all()
        assert len(gathered) >= count
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Форма")
        for row in cells:
            ws.append(row)
        wb.save(folder / "bare.xlsx")

    _r, _b, t_ours, t_bare = compare(ours_export, bare_export, runs)
    print(f"2. Выгрузка шаблона: {count} строк; СоцПлан (чтение формы, стили, защита, проверки): {t_ours:.2f} с; "
          f"SQL-выборка формы + openpyxl write-only тех же ячеек: {t_bare:.2f} с; отношение {t_ours / t_bare:.2f}×")
    RATIOS["выгрузка шаблона Excel, 20 000 строк"] = t_ours / t_bare

    def fill(source: Path, variant: int, name: str) -> Path:
        wb = load_workbook(source)
        ws = wb["Форма"]
        for r in range(6, 6 + count):
            ws.cell(r, 4).value = (r + variant) % 900 + 100
            ws.cell(r, 5).value = f"{(r + variant) % 800 + 50} "
        wb.save(folder / name)
        return folder / name

    # the district's first filling of the empty form (new rows), timed once
    first_file = fill(path, 2, "first.xlsx")
    first, t_first, _m = timed(lambda: import_template(ctx, first_file))
    assert first["changed"] == 2 * count, first
    # then the template exported from the filled sheet, filled twice: every import changes every value of the
    # sheet as exported (versions checked); the sheet is put back between runs, outside the timer
    export_template(ctx, "БИ", "Тарский муниципальный район", Period(2025), path)
    files = [fill(path, variant, f"filled{variant}.xlsx") for variant in (0, 1)]
    with db.engine.connect() as conn:
        form_id = conn.execute(text("SELECT id FROM ind_form WHERE code = 'БИ'")).scalar()
        saved = [dict(r._mapping) for r in conn.execute(text(
            "SELECT id, value, comment, version FROM ind_value WHERE indicator_id IN "
            f"(SELECT id FROM ind_indicator WHERE form_id = {form_id})"))]
        journal_mark = conn.execute(text("SELECT MAX(id) FROM audit_log")).scalar()

    def put_back() -> None:
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE ind_value SET value = :value, comment = :comment, version = :version "
                              "WHERE id = :id"), saved)
            conn.execute(text("DELETE FROM audit_log WHERE id > :m"), {"m": journal_mark})

    print(f"   Импорт: {2 * count} значений; первое заполнение пустой формы (новые строки): {t_first:.2f} с")
    ours_times, bare_times, rows, result = [], [], 0, None
    for n in range(runs):  # alternating, the same file on both sides in a run
        file = files[n % 2]
        for side in (("ours", "bare") if n % 2 == 0 else ("bare", "ours")):
            start = time.perf_counter()
            if side == "ours":
                result = import_template(ctx, file)
                ours_times.append(time.perf_counter() - start)
                put_back()
            else:  # the same cells: every row of the form, columns A–J (values, keys and check sums)
                book = load_workbook(file, read_only=True, data_only=True)
                rows = sum(1 for _ in book["Форма"].iter_rows(min_row=6, max_col=10, values_only=True))
                book.close()
                bare_times.append(time.perf_counter() - start)
        assert result["changed"] == 2 * count, result
    t_ours, t_bare = statistics.median(ours_times), statistics.median(bare_times)
    print(f"   СоцПлан (чтение, проверка каждой ячейки, запись, журнал): {t_ours:.2f} с; openpyxl read-only: "
          f"{t_bare:.2f} с ({rows} строк); отношение {t_ours / t_bare:.2f}×")
    RATIOS["импорт шаблона Excel, 40 000 значений"] = t_ours / t_bare
    # memory of the work itself: tracemalloc peaks in this process (libraries imported, statements compiled by the
    # timed runs), outside the timers; the same file and the same cells as the timed runs
    import gc
    import tracemalloc

    def traced(work) -> float:  # noqa: ANN001
        gc.collect()
        tracemalloc.start()
        try:
            work()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    def bare_read() -> None:
        book = load_workbook(files[1], read_only=True, data_only=True)
        assert sum(1 for _ in book["Форма"].iter_rows(min_row=6, max_col=10, values_only=True)) == rows
        book.close()

    p_bare = traced(bare_read)
    p_ours = traced(lambda: import_template(ctx, files[1]))
    put_back()
    print(f"   Память самой работы (пик tracemalloc, модули уже загружены): {p_ours:.1f} МБ против {p_bare:.1f} МБ "
          f"({p_ours / p_bare:.2f}×)")
    RATIOS["импорт шаблона Excel: память работы (tracemalloc)"] = p_ours / p_bare
    (m_ours, w_ours), (m_bare, w_bare) = child_rss(files[1], ctx.db.path if hasattr(ctx.db, "path") else None)
    if m_ours:
        print(f"   Пиковая память нового процесса (VmHWM): {m_ours:.0f} МБ против {m_bare:.0f} МБ "
              f"({m_ours / m_bare:.2f}×); из них после загрузки модулей: {m_ours - w_ours:.0f} МБ против "
              f"{m_bare - w_bare:.0f} МБ (SQLAlchemy, модели, приложение — постоянная цена); рост сверх неё "
              f"{w_ours:.0f} МБ против {w_bare:.0f} МБ")
        RATIOS["импорт шаблона Excel: пиковая память нового процесса"] = m_ours / m_bare


def child_rss(xlsx: Path, db_path) -> tuple[tuple[float, float], tuple[float, float]]:  # noqa: ANN001
    """Peak RSS (MB) of a fresh process importing the file into a copy of the database vs one iterating it, and
    each one's growth over its RSS right after importing its modules (the work itself, without the libraries)."""
    import sqlite3
    import subprocess

    if db_path is None or not Path("/proc/self/status").exists():
        return (0.0, 0.0), (0.0, 0.0)
    copy = Path(db_path).with_name("rss_copy.sqlite")
    with sqlite3.connect(db_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    env = dict(os.environ)
    ours = ("import sys; from pathlib import Path; from socplan.db.database import open_database; "
            "from socplan.services.context import AppContext, User; "
            "from socplan.services.indicators.excel import import_template; "
            "from openpyxl import load_workbook; loaded = status('VmRSS'); "
            "db = open_database(Path(sys.argv[1]), lock=False); "
            "import_template(AppContext(db, User('Бенчмарк', 'аналитик')), Path(sys.argv[2])); db.close(); "
            "print(status('VmHWM'), loaded)")
    bare = ("import sys; from openpyxl import load_workbook; loaded = status('VmRSS'); "
            "b = load_workbook(sys.argv[2], read_only=True, data_only=True); "
            "n = sum(1 for _ in b['Форма'].iter_rows(min_row=6, max_col=10, values_only=True)); b.close(); "
            "print(status('VmHWM'), loaded)")
    out = []
    # VmHWM of the child itself (ru_maxrss would carry over the parent's peak through fork + exec)
    status = ("def status(name):\n    for line in open('/proc/self/status'):\n        if line.startswith(name + ':'):\n"
              "            return int(line.split()[1])\n")
    for code in (ours, bare):
        done = subprocess.run([sys.executable, "-c", status + code, str(copy), str(xlsx)], env=env,
                              capture_output=True, text=True, check=True)
        peak, loaded = (int(v) / 1024 for v in done.stdout.split()[-2:])
        out.append((peak, peak - loaded))
    copy.unlink()
    return out[0], out[1]


def bench_grid(db, ctx) -> None:  # noqa: ANN001
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from socplan.services.indicators.entry import load_sheet
    from socplan.ui.indicators.entry_view import EntryTable
    from socplan.ui.indicators.grid_model import COL_FACT, EntryGridModel

    app = QApplication.instance() or QApplication(sys.argv)
    add_form(db, "БГ", 200, shares_every=4)
    sheet = load_sheet(ctx, "БГ", "Тарский муниципальный район", Period(2025))
    rows, cols = len(sheet.rows), 8

    def ours():  # noqa: ANN202
        view = EntryTable()
        model = EntryGridModel(sheet, view)
        view.setModel(model)
        view.resize(1400, 800)
        view.show()
        app.processEvents()
        view.scrollToBottom()
        app.processEvents()
        view.grab()
        return view, model

    class Trivial(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: ANN001, ANN202, B008
            return rows

        def columnCount(self, parent=QModelIndex()):  # noqa: ANN001, ANN202, B008
            return cols

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN202
            return f"{index.row()}:{index.column()}" if role == Qt.ItemDataRole.DisplayRole else None

    def bare():  # noqa: ANN202
        view = QTableView()
        model = Trivial(view)
        view.setModel(model)
        view.resize(1400, 800)
        view.show()
        app.processEvents()
        view.scrollToBottom()
        app.processEvents()
        view.grab()
        return view

    (view, model), t_ours, m_ours = timed(ours)
    bare_view, t_bare, m_bare = timed(bare)
    comp_row = next(i for i, r in enumerate(model.rows) if r.component)
    start = time.perf_counter()
    for n in range(20):
        model.setData(model.index(comp_row, COL_FACT), str(100 + n))
    per_edit = (time.perf_counter() - start) / 20
    print(f"3. Сетка ввода: 200 показателей ({rows} строк с компонентами)")
    print(f"   СоцПлан: открытие и прокрутка до конца {t_ours * 1000:.0f} мс; голый QTableView: {t_bare * 1000:.0f} мс; "
          f"отношение {t_ours / t_bare:.1f}×; пересчёт при вводе одного значения: {per_edit * 1000:.1f} мс")
    view.close()
    bare_view.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="уменьшенные объёмы (проверка скрипта)")
    parser.add_argument("--runs", type=int, default=3, help="прогонов каждой стороны (медиана)")
    parser.add_argument("--only", choices=("grid", "template", "consolidation"), action="append",
                        help="только эти части (можно несколько раз): сетка ввода, шаблон Excel, консолидация")
    args = parser.parse_args()
    parts = set(args.only or ("grid", "template", "consolidation"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, ctx = make_db(folder)
        try:
            if "grid" in parts:
                bench_grid(db, ctx)
            if "template" in parts:
                bench_import(db, ctx, folder, args.quick, args.runs)
            if "consolidation" in parts:
                bench_consolidation(db, ctx, args.quick, args.runs)
            print("\nОтношения (СоцПлан / голая библиотека, медианы):")
            for name, ratio in RATIOS.items():
                print(f"   {name}: {ratio:.2f}×")
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
