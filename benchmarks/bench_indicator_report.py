"""Benchmark of the indicator report «Сведения о достижении значений показателей» for the region (PDF), against
SQL + raw reportlab doing the same rows in the same run.

Data (a fresh temporary SQLite database, the reference data of the region loaded): one territorial form of
``N`` indicators with names of realistic length (every 10th a share «В / А × 100» recomputed from its
components, the others summed over the territories), the region's plans, and the yearly facts of the 33
territories for the report's year **and the two years before** (so every reading must filter by the period).
The report is for the region and the last year, so its facts are consolidated from the territories:

- **S**: 150 indicators → 5 445 territory values of the report's year (135 × 33 facts + 15 × 2 × 33 components),
  a 15-page report;
- **L**: 1 200 indicators → 43 560 territory values of the report's year, a 120-page report.

- **Ours**: ``build_achievement_report`` — the call the CLI (``socplan indicators report``) makes and the one the
  GUI's «Отчёт» button makes through ``achievement_report``: reading the form, the region's plans and the
  territories' facts, consolidation by each indicator's rule (exact Decimal), achievement and its assessment, the
  landscape PDF of the document engine (table with the header and «1 2 3 …» row repeated, hyphenated cells,
  footnotes, the plan/fact bar chart of reportlab graphics, the signature block, PDF/A), the journal record of
  the PDF, and the file written.
- **Baseline**: the same rows read by bare SQL — the form's catalogue, the region's plans, one ``GROUP BY`` of the
  territories' facts and components of the report's year (the same filters: that form, the 33 territories,
  that year) —, the shares recomputed from their components' sums, achievement % and its assessment with floats,
  then raw reportlab: ``SimpleDocTemplate`` (landscape A4, the same margins) with the three heading lines, a
  ``LongTable`` of ``Paragraph`` cells of the same rows in the same embedded TTF at 10 pt with the same column
  widths (header and number row repeated), the footnote, the same ``VerticalBarChart`` (plan and fact bars of
  every indicator with their value labels, legend, the 90 % and 100 % lines) and the signature line; the PDF
  bytes inserted into a table and the file written. What ours does beyond it is its own: exact Decimal sums,
  the Russian typography of the engine (non-breaking spaces, hyphenation, column widths fitted to the words),
  the signature place recorded for the stamp, PDF/A metadata.

Medians of ``--runs`` alternating runs (ours, baseline, baseline, ours, …). Prints the ratios ours/baseline of
the wall-clock time (``perf_counter``) and, less moved by other load on a shared machine, of the CPU time of
this process (``process_time``).
Run: ``.venv/bin/python benchmarks/bench_indicator_report.py [--runs 5] [--sizes S,L] [--profile L]``
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("SOCPLAN_CONFIG_DIR", tempfile.mkdtemp(prefix="bench-indrep-cfg-"))
os.environ.setdefault("SOCPLAN_DATA_DIR", tempfile.mkdtemp(prefix="bench-indrep-data-"))

SIZES = {"S": 150, "L": 1200}
YEAR = 2025
FORM = "БО"
SHARE_EVERY = 10
NAMES = ("Численность граждан пожилого возраста и инвалидов, получивших социальные услуги в форме социального "
         "обслуживания на дому", "Доля семей с детьми, получивших меры социальной поддержки, в общей численности "
         "обратившихся", "Количество организаций социального обслуживания, включённых в реестр поставщиков",
         "Численность работников учреждений социальной защиты, прошедших повышение квалификации")


# ------------------------------------------------------------------ data
def make_data(folder: Path, count: int):  # noqa: ANN201
    """A database with one form of ``count`` indicators and three years of the territories' yearly values."""
    from sqlalchemy import insert, select

    from socplan.db.database import open_database
    from socplan.db.models.indicators import Component, Indicator, IndicatorForm, IndicatorValue
    from socplan.db.models.reference import Territory
    from socplan.services.context import AppContext, User
    from socplan.services.demo import load_reference

    db = open_database(folder / "bench.sqlite", create=True, lock=False)
    with db.session() as s:
        load_reference(s)
        s.commit()
    with db.session() as s:
        form = IndicatorForm(code=FORM, name="Показатели социального обслуживания населения Омской области",
                             territorial=True)
        s.add(form)
        s.flush()
        rows = []
        for n in range(1, count + 1):
            share = n % SHARE_EVERY == 0
            rows.append({"form_id": form.id, "code": str(n), "sort_order": n, "name": f"{NAMES[n % len(NAMES)]} ({n})",
                         "unit_name": "процентов" if share else "человек", "decimals": 1 if share else 0,
                         "consolidation": "recompute" if share else "sum", "formula": "В / А × 100" if share else "",
                         "direction": "increasing", "value_kind": "number", "plan_mode": "entered", "parent_code": "",
                         "goal": "", "level": "", "indicator_type": "", "source_document": "", "responsible_text": "",
                         "national_goal": "", "formula_text": "", "methodology": "", "data_source": "",
                         "base_value": Decimal(900 + n % 50), "base_year": 2019})
        s.execute(insert(Indicator), rows)
        ids = dict(s.execute(select(Indicator.code, Indicator.id).where(Indicator.form_id == form.id)).all())
        components = [{"indicator_id": ids[str(n)], "symbol": sym, "description": sym, "unit_name": "", "data_source": "",
                       "formula": "", "sort_order": order} for n in range(SHARE_EVERY, count + 1, SHARE_EVERY)
                      for order, sym in enumerate(("В", "А"))]
        if components:
            s.execute(insert(Component), components)
        territories = list(s.scalars(select(Territory.id).where(Territory.kind.in_(("city", "district")))))
        region = s.scalar(select(Territory.id).where(Territory.name == "Омская область"))
        values, report_year = [], 0

        def value(ind: int, territory: int, year: int, kind: str, v: Decimal, component: str = "") -> dict:
            return {"indicator_id": ind, "component": component, "territory_id": territory, "year": year,
                    "period_kind": "year", "period_no": 0, "kind": kind, "value": v, "qualifier": "", "comment": ""}

        for year in (YEAR - 2, YEAR - 1, YEAR):
            for n in range(1, count + 1):
                ind = ids[str(n)]
                share = n % SHARE_EVERY == 0
                values.append(value(ind, region, year, "plan", Decimal(70 + n % 30) if share else Decimal(33 * (900 + n))))
                for t in territories:
                    if share:
                        whole = Decimal(200 + (n * 7 + t * 3) % 300)
                        part = whole * Decimal(60 + (n + t + year) % 45) / 100
                        values.append(value(ind, t, year, "fact", part.quantize(Decimal(1)), "В"))
                        values.append(value(ind, t, year, "fact", whole, "А"))
                    else:
                        values.append(value(ind, t, year, "fact", Decimal(750 + (n * 7 + t * 3 + year) % 400)))
            if year == YEAR:
                report_year = sum(1 for v in values if v["year"] == YEAR and v["territory_id"] != region)
        for start in range(0, len(values), 50000):
            s.execute(insert(IndicatorValue), values[start:start + 50000])
        s.commit()
    return db, AppContext(db, User("Петрова Анна Викторовна", "главный специалист отдела мониторинга")), report_year


# ------------------------------------------------------------------ ours
def ours(ctx, out: Path) -> dict:  # noqa: ANN001
    from socplan.domain.indicators import Period
    from socplan.services.indicators.report import build_achievement_report

    return build_achievement_report(ctx, FORM, "Омская область", Period(YEAR), out)


# ------------------------------------------------------------------ baseline
def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")


def bare(db, out: Path) -> int:  # noqa: ANN001
    """SQL of the same rows + raw reportlab; returns the number of table rows."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from sqlalchemy import text

    from socplan.reports.fonts import SERIF, SERIF_BOLD, register_fonts

    register_fonts()
    with db.engine.connect() as conn:
        form_id, form_name, high, satisfactory = conn.execute(text(
            "SELECT id, name, high_threshold, satisfactory_threshold FROM ind_form WHERE code = :c"), {"c": FORM}).one()
        catalogue = conn.execute(text(
            "SELECT id, code, name, unit_name, decimals, consolidation, base_value, base_year FROM ind_indicator "
            "WHERE form_id = :f ORDER BY sort_order"), {"f": form_id}).all()
        region = conn.execute(text("SELECT id FROM territory WHERE name = 'Омская область'")).scalar()
        where = ("year = :y AND period_kind = 'year' AND period_no = 0 AND indicator_id IN "
                 "(SELECT id FROM ind_indicator WHERE form_id = :f)")
        plans = dict(conn.execute(text(f"SELECT indicator_id, CAST(value AS REAL) FROM ind_value WHERE {where} "
                                       "AND territory_id = :r AND kind = 'plan' AND component = ''"),
                                  {"y": YEAR, "f": form_id, "r": region}).all())
        sums = {(i, c): (v, n) for i, c, v, n in conn.execute(text(
            f"SELECT indicator_id, component, SUM(CAST(value AS REAL)), COUNT(*) FROM ind_value WHERE {where} "
            "AND kind = 'fact' AND territory_id IN (SELECT id FROM territory WHERE kind IN ('city', 'district')) "
            "GROUP BY indicator_id, component"), {"y": YEAR, "f": form_id})}
    high, satisfactory = float(high), float(satisfactory)
    table_rows, chart = [], []
    for ind_id, code, name, unit, decimals, rule, base, base_year in catalogue:
        plan = plans.get(ind_id)
        if rule == "recompute":
            fact = sums[(ind_id, "В")][0] / sums[(ind_id, "А")][0] * 100
        else:
            fact = sums[(ind_id, "")][0]
        percent = fact / plan * 100
        status = "высокий" if percent >= high else "удовлетворительный" if percent >= satisfactory else "низкий"
        table_rows.append([code, name, unit, f"{_number(float(base), decimals)} ({base_year})",
                           _number(plan, decimals), _number(fact, decimals), _number(percent, 1), status, ""])
        chart.append((code, plan, fact, min(percent, 150.0), status, decimals))

    buffer = io.BytesIO()
    page = landscape(A4)
    template = SimpleDocTemplate(buffer, pagesize=page, leftMargin=20 * mm, rightMargin=15 * mm, topMargin=20 * mm,
                                 bottomMargin=20 * mm, initialFontName=SERIF, title="Сведения о достижении")
    width = page[0] - 35 * mm - 12
    heading = ParagraphStyle("h", fontName=SERIF_BOLD, fontSize=14, leading=16.8, alignment=TA_CENTER)
    sub = ParagraphStyle("s", parent=heading, fontName=SERIF, fontSize=12, leading=14.4)
    left = ParagraphStyle("l", fontName=SERIF, fontSize=10, leading=11.5)
    centre = ParagraphStyle("c", parent=left, alignment=TA_CENTER)
    right = ParagraphStyle("r", parent=left, alignment=TA_RIGHT)
    col_styles = [centre, left, centre, right, right, right, right, centre, left]
    header = ["№ п/п", "Наименование показателя", "Ед. изм.", "Базовое значение", "План", "Факт", "Достижение, %",
              "Оценка", "Причина отклонения"]
    data = [[Paragraph(h, centre) for h in header], [Paragraph(str(i), centre) for i in range(1, 10)]]
    data += [[Paragraph(c, s) for c, s in zip(row, col_styles)] for row in table_rows]
    widths = (11, 88, 20, 24, 17, 17, 24, 36, 38)  # ours: the same, scaled to the frame's width
    table = LongTable(data, repeatRows=2, colWidths=[w * mm * width / (sum(widths) * mm) for w in widths])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))

    drawing = Drawing(width, 190)
    drawing.add(String(0, 178, "Достижение плановых значений: план и факт по показателям", fontName=SERIF, fontSize=10))
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 30, 25, width - 150, 135
    bars.data = [[100.0] * len(chart), [c[3] for c in chart]]
    bars.barLabelFormat = "values"
    bars.barLabelArray = [[_number(c[1], c[5]) for c in chart], [_number(c[2], c[5]) for c in chart]]
    bars.barLabels.fontName, bars.barLabels.fontSize, bars.barLabels.angle, bars.barLabels.boxAnchor = SERIF, 6, 90, "w"
    bars.categoryAxis.categoryNames = [c[0] for c in chart]
    bars.categoryAxis.labels.fontName = bars.valueAxis.labels.fontName = SERIF
    bars.categoryAxis.labels.fontSize = bars.valueAxis.labels.fontSize = 8
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 180, 20
    bars.barSpacing = 1
    bars.bars[0].fillColor = colors.HexColor("#A6A6A6")
    palette = {"высокий": "#4F9A4F", "удовлетворительный": "#D9A93F", "низкий": "#C0504D"}
    for i, c in enumerate(chart):
        bars.bars[(1, i)].fillColor = colors.HexColor(palette[c[4]])
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = bars.x + bars.width + 12, 150, SERIF, 8
    legend.colorNamePairs = [(colors.HexColor("#A6A6A6"), "План")] + [(colors.HexColor(v), f"Факт: {k}")
                                                                     for k, v in palette.items()]
    drawing.add(legend)
    for level in (100, 90):
        y = bars.y + bars.height * level / 180
        drawing.add(Line(bars.x, y, bars.x + bars.width, y, strokeColor=colors.black, strokeWidth=0.6))

    template.build([Paragraph("Сведения о достижении значений показателей", heading), Paragraph(form_name, sub),
                    Paragraph(f"Омская область, {YEAR} год", sub), Spacer(1, 4 * mm), table,
                    Paragraph("Значения по области рассчитаны по данным территорий.", left), Spacer(1, 4 * mm),
                    drawing, Spacer(1, 8 * mm), Paragraph("Главный специалист отдела мониторинга ______ А.В. Петрова",
                                                          ParagraphStyle("t", parent=left, fontSize=14, leading=17))])
    pdf = buffer.getvalue()
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS bench_pdf (id INTEGER PRIMARY KEY, data BLOB)"))
        conn.execute(text("INSERT INTO bench_pdf (data) VALUES (:d)"), {"d": pdf})
    out.write_bytes(pdf)
    return len(table_rows)


# ------------------------------------------------------------------ run
def pages(path: Path) -> int:
    import subprocess

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return int(next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "0"))


def measure(size: str, runs: int, folder: Path, profile: bool) -> float:
    db, ctx, values = make_data(folder, SIZES[size])
    ours_pdf, bare_pdf = folder / "ours.pdf", folder / "bare.pdf"
    result, rows = ours(ctx, ours_pdf), bare(db, bare_pdf)  # warm: fonts registered, modules imported
    assert result["rows"] == rows == SIZES[size] and not result["missing"], (result, rows)
    if profile:
        import cProfile
        import pstats

        cProfile.runctx("ours(ctx, ours_pdf)", globals(), {"ctx": ctx, "ours_pdf": ours_pdf, "ours": ours},
                        str(folder / "ours.prof"))
        pstats.Stats(str(folder / "ours.prof")).sort_stats("cumulative").print_stats(45)
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    cpu: dict[str, list[float]] = {"ours": [], "bare": []}
    for n in range(runs):
        for side in (("ours", "bare") if n % 2 == 0 else ("bare", "ours")):
            start, start_cpu = time.perf_counter(), time.process_time()
            ours(ctx, ours_pdf) if side == "ours" else bare(db, bare_pdf)
            times[side].append(time.perf_counter() - start)
            cpu[side].append(time.process_time() - start_cpu)
    t_ours, t_bare = statistics.median(times["ours"]), statistics.median(times["bare"])
    c_ours, c_bare = statistics.median(cpu["ours"]), statistics.median(cpu["bare"])
    print(f"{size}: {SIZES[size]} показателей, {values} значений территорий за {YEAR} год (в базе ещё 2 года); "
          f"страниц: наш {pages(ours_pdf)}, базовый {pages(bare_pdf)}")
    print(f"   СоцПлан {t_ours:.3f} с; SQL + голый reportlab {t_bare:.3f} с (медианы {runs} прогонов); "
          f"отношение {t_ours / t_bare:.2f}× (процессорное время: {c_ours:.3f} с / {c_bare:.3f} с = "
          f"{c_ours / c_bare:.2f}×)")
    db.close()
    return t_ours / t_bare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="S,L")
    parser.add_argument("--profile", default="", help="size whose one run of ours is profiled (cProfile)")
    args = parser.parse_args(argv)
    ratios = {}
    for size in args.sizes.split(","):
        with tempfile.TemporaryDirectory(prefix=f"bench-indrep-{size}-") as folder:
            ratios[size] = measure(size, args.runs, Path(folder), args.profile == size)
    print("Отчёт о достижении показателей (PDF) / SQL + reportlab: "
          + "; ".join(f"{k} {v:.2f}×" for k, v in ratios.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
