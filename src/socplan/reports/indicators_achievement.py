"""«Сведения о достижении значений показателей» — PDF (document engine + a reportlab chart) and xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from socplan.formatting import format_number, format_percent
from socplan.reports.document import DocumentBuilder, DocumentSpec

TITLE = "Сведения о достижении значений показателей"
HEADER = ("№ п/п", "Наименование показателя", "Ед. изм.", "Базовое значение", "План", "Факт",
          "Достижение, %", "Оценка", "Причина отклонения")


@dataclass(frozen=True)
class ReportLine:
    code: str
    name: str
    unit: str
    decimals: int
    base: Decimal | None
    base_year: int | None
    plan: Decimal | None
    plan_qualifier: str
    fact: Decimal | None
    percent: Decimal | None
    status: str
    reason: str
    yes_no: bool = False
    formula_note: str = ""  # «Стр. 16: рассчитывается …; в тексте методики: …» (errata register)


@dataclass(frozen=True)
class AchievementReport:
    form_name: str
    territory: str
    period_label: str
    consolidated: bool
    missing: tuple[str, ...]
    lines: tuple[ReportLine, ...]
    author: str = ""
    author_position: str = ""
    executor: str = ""


@lru_cache(maxsize=8192)  # the chart's bar labels are the table's plan and fact: each formatted once
def _value(value: Decimal | None, decimals: int, yes_no: bool = False) -> str:
    if value is None:
        return "–"
    if yes_no:
        return "да" if value else "нет"
    return format_number(value, decimals)


def cells(line: ReportLine) -> list[str]:
    base = _value(line.base, line.decimals, line.yes_no)
    if line.base is not None and line.base_year:
        base += f" ({line.base_year})"
    plan = _value(line.plan, line.decimals, line.yes_no)
    if line.plan_qualifier and line.plan is not None:
        plan = f"{line.plan_qualifier} {plan}"
    pct = format_percent(line.percent).replace("\u00a0%", "") if line.percent is not None else "–"
    return [line.code, line.name, line.unit, base, plan, _value(line.fact, line.decimals, line.yes_no), pct,
            line.status, line.reason]


def achievement_chart(report: AchievementReport, width: float, height: float = 190):  # noqa: ANN201
    """Plan beside fact for each indicator (reportlab graphics). Indicators have different units, so the bar
    heights are in % of the plan (plan = 100 %); the labels on the bars are the plan and fact values themselves.
    The fact bar is coloured by the achievement status; reference lines at 90 % and 100 %."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    from socplan.reports.fonts import SERIF

    lines = [ln for ln in report.lines if ln.plan is not None and ln.fact is not None and ln.plan > 0
             and not ln.yes_no]
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, "Достижение плановых значений: план и факт по показателям (высота столбца — "
                       "% от плана; подписи — значения в единицах показателя; линии — 90 % и 100 %)", fontName=SERIF,
                       fontSize=10))
    if not lines:
        drawing.add(String(0, height / 2, "Нет показателей с плановым и фактическим значениями.", fontName=SERIF,
                           fontSize=10))
        return drawing
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 25
    chart.width, chart.height = width - 150, height - 55
    fact_pct = [float(min(ln.fact / ln.plan * 100, Decimal(150))) for ln in lines]
    chart.data = [[100.0] * len(lines), fact_pct]
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[_value(ln.plan, ln.decimals) for ln in lines], [_value(ln.fact, ln.decimals) for ln in lines]]
    chart.barLabels.fontName = SERIF
    chart.barLabels.fontSize = 6 if len(lines) > 10 else 7
    chart.barLabels.angle = 90 if len(lines) > 6 else 0
    chart.barLabels.boxAnchor = "w" if len(lines) > 6 else "s"
    chart.barLabels.dx, chart.barLabels.dy = (0, 2) if len(lines) <= 6 else (0, 2)
    chart.categoryAxis.categoryNames = [ln.code for ln in lines]
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(140, max(fact_pct) + 30)
    chart.valueAxis.valueStep = 20
    chart.barSpacing = 1
    chart.bars[0].fillColor = colors.HexColor("#A6A6A6")
    chart.bars[1].fillColor = colors.HexColor("#4F81BD")
    for i, ln in enumerate(lines):
        colour = {"высокий": "#4F9A4F", "удовлетворительный": "#D9A93F", "низкий": "#C0504D"}.get(ln.status, "#4F81BD")
        chart.bars[(1, i)].fillColor = colors.HexColor(colour)
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x + chart.width + 12, chart.y + chart.height - 10
    legend.fontName, legend.fontSize = SERIF, 8
    legend.columnMaximum, legend.alignment, legend.dx, legend.dy = 4, "right", 8, 8
    legend.colorNamePairs = [(colors.HexColor("#A6A6A6"), "План"), (colors.HexColor("#4F9A4F"), "Факт: высокий"),
                             (colors.HexColor("#D9A93F"), "Факт: удовлетв."), (colors.HexColor("#C0504D"), "Факт: низкий")]
    drawing.add(legend)
    vmax = chart.valueAxis.valueMax
    for level, dash in ((100, None), (90, [3, 2])):
        y = chart.y + chart.height * level / vmax
        line = Line(chart.x, y, chart.x + chart.width, y, strokeColor=colors.black, strokeWidth=0.6)
        if dash:
            line.strokeDashArray = dash
        drawing.add(line)
    return drawing


def build_pdf(report: AchievementReport) -> bytes:
    doc = DocumentBuilder(DocumentSpec(title=f"{TITLE} — {report.territory}, {report.period_label}",
                                       author=report.author, subject=report.form_name, landscape=True))
    doc.heading(TITLE, space_after_mm=1)
    doc.heading(report.form_name, bold=False, size=12, space_after_mm=1)
    doc.heading(f"{report.territory}, {report.period_label}", bold=False, size=12)
    widths = [11, 88, 20, 24, 17, 17, 24, 36, 38]  # the name has the most text: it gets the most room
    rows = continued_rows([cells(ln) for ln in report.lines], widths, 10, doc)
    doc.table([HEADER], rows, col_widths_mm=widths, number_row=True, font_size=10,
              align=["center", "left", "center", "right", "right", "right", "right", "center", "left"])
    if report.consolidated:
        doc.footnote("Значения по области рассчитаны по данным территорий: количественные показатели — суммированием, "
                     "доли — пересчётом по суммам компонентов методики.")
    if report.missing:
        doc.footnote("Не представили данные: " + ", ".join(report.missing) + ".")
    for ln in report.lines:
        if ln.formula_note:
            doc.footnote(ln.formula_note)
    doc.spacer(4)
    doc.flowable(achievement_chart(report, doc.frame_width), keep_with_signature=True)  # laid out once
    if report.author:  # the position as a signature block shows it: «Главный специалист …»
        position = report.author_position.strip() or "Исполнитель"
        doc.signature(position[:1].upper() + position[1:], report.author)
    if report.executor:
        doc.executor_mark(report.executor)
    return doc.build_bytes()


def continued_rows(rows: list[list[str]], widths_mm: list[float], size: float, doc: DocumentBuilder) -> list[list[str]]:
    """A row taller than a page (form «РМ»: a result's name runs to a page) is cut into rows of whole lines that
    each fit a page; the text goes on in the next row under the same column. Every other row stays as it is.
    (reportlab's own ``splitInRow`` repeats the header in the middle of a page.)"""
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit

    from socplan.reports.fonts import SERIF

    scale = min(1.0, doc.frame_width / (sum(widths_mm) * mm))
    leading = size * 1.15
    room = int((doc.pagesize[1] - doc.top - doc.bottom) * 0.7 / leading)  # lines of one row on a page
    out: list[list[str]] = []
    for row in rows:
        # each line holds at least one word: a row of cells with no more words than a page's lines is not cut
        if max(sum(max(1, len(part.split())) for part in str(value).split("\n")) for value in row) <= room:
            out.append(row)
            continue
        lines = [[x for part in str(value).split("\n") for x in (simpleSplit(part, SERIF, size, w * mm * scale - 7)
                                                                or [""])] for value, w in zip(row, widths_mm)]
        if max(len(x) for x in lines) <= room:
            out.append(row)
            continue
        for start in range(0, max(len(x) for x in lines), room):
            out.append([" ".join(x[start:start + room]) for x in lines])
    return out


def build_xlsx(report: AchievementReport, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Достижение"
    ws.append([TITLE])
    ws.append([report.form_name])
    ws.append([f"{report.territory}, {report.period_label}"])
    ws.append([])
    ws.append(list(HEADER))
    for cell in ws[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    ws["A1"].font = Font(bold=True, size=12)
    for ln in report.lines:
        ws.append([ln.code, ln.name, ln.unit, _xl(ln.base), _xl(ln.plan), _xl(ln.fact), _xl(ln.percent), ln.status,
                   ln.reason])
        for col, decimals in ((4, ln.decimals), (5, ln.decimals), (6, ln.decimals), (7, 1)):
            ws.cell(ws.max_row, col).number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    if report.missing:
        ws.append([])
        ws.append(["Не представили данные: " + ", ".join(report.missing)])
    for letter, width in zip("ABCDEFGHI", (8, 70, 12, 14, 14, 14, 12, 18, 40)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    from socplan.xlsx_page import print_setup

    print_setup(ws, header_first=5, landscape=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from socplan.xlsx_safe import save_workbook

    save_workbook(wb, path)
    return path


def _xl(value: Decimal | None) -> Decimal | None:
    return value  # openpyxl writes Decimal as a number cell
