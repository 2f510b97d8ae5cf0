"""Indicator card (methodology and a chart of baseline, plan and fact by year) and the cell history dialog."""

from __future__ import annotations

from html import escape

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from socplan.formatting import format_datetime, format_number
from socplan.services.indicators.analysis import IndicatorChart, indicator_chart
from socplan.services.indicators.entry import HistoryEntry
from socplan.ui.common.table import Column, RecordTableModel
from socplan.ui.env import UiEnv
from socplan.ui.indicators.methodology_text import formula_html, unit_text


def methodology_html(chart: IndicatorChart) -> str:
    i = chart.info
    rows = [("Код", i.code), ("Единица измерения", unit_text(i)), ("Уровень", i.level_label),
            ("Тип", i.direction.label), ("Базовое значение",
                                        f"{format_number(i.base_value)} ({i.base_year} г.)" if i.base_value is not None else "—"),
            ("Консолидация", {"sum": "сумма по территориям", "recompute": "пересчёт по сумме компонентов",
                              "none": "не консолидируется"}.get(i.consolidation, i.consolidation)),
            ("Ответственный", i.responsible), ("Документ", i.source_document)]
    html = [f"<h3>{escape(i.name)}</h3><table>"]
    html += [f"<tr><td style='color:#555;padding-right:10px'>{escape(k)}</td><td>{escape(str(v or '—'))}</td></tr>"
             for k, v in rows]
    html.append("</table>")
    html.append(formula_html(i))
    if i.methodology:
        html.append(f"<p>{escape(i.methodology)}</p>")
    if i.components:
        html.append("<p><b>Компоненты:</b></p><ul>")
        for c in i.components:
            extra = f" = {escape(c.formula)}" if c.formula else ""
            unit = f", {escape(c.unit_name)}" if c.unit_name else ""
            html.append(f"<li><b>{escape(c.symbol)}</b>{extra} – {escape(c.description)}{unit}</li>")
        html.append("</ul>")
    if i.data_source:
        html.append(f"<p><b>Источник исходных данных:</b> {escape(i.data_source)}</p>")
    return "".join(html)


def build_chart(chart: IndicatorChart) -> QChart:
    qc = QChart()
    qc.setTitle(f"{chart.info.code}. Базовое, плановое и фактическое значения — {chart.territory}")
    years = sorted(set(chart.plan) | set(chart.fact) | ({chart.base_year} if chart.base_year else set()))
    plan = QLineSeries()
    plan.setName("План")
    fact = QLineSeries()
    fact.setName("Факт")
    base = QScatterSeries()
    base.setName("Базовое значение")
    base.setMarkerSize(11)
    values = []
    for y in years:
        if y in chart.plan:
            plan.append(QPointF(y, float(chart.plan[y])))
            values.append(chart.plan[y])
        if y in chart.fact:
            fact.append(QPointF(y, float(chart.fact[y])))
            values.append(chart.fact[y])
    if chart.base_value is not None and chart.base_year:
        base.append(QPointF(chart.base_year, float(chart.base_value)))
        values.append(chart.base_value)
    x_axis = QValueAxis()
    x_axis.setLabelFormat("%d")
    x_axis.setTitleText("Год")
    y_axis = QValueAxis()
    y_axis.setTitleText(chart.info.unit_name)
    if years:
        first, last = min(years) - 1, max(years) + 1
        x_axis.setRange(first, last)
        x_axis.setTickCount(last - first + 1 if last - first <= 12 else 7)
    if values:
        low, high = float(min(values)), float(max(values))
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1
        y_axis.setRange(low - pad, high + pad)
    qc.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    qc.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    plan.setPointsVisible(True)
    fact.setPointsVisible(True)  # a single year of fact is still visible
    plan.setColor(QColor("#1F77B4"))
    fact.setColor(QColor("#2E7D32"))
    base.setColor(QColor("#E69500"))
    pen = fact.pen()
    pen.setWidth(3)
    fact.setPen(pen)
    for series in (plan, fact, base):
        qc.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
    qc.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return qc


class IndicatorCard(QDialog):
    def __init__(self, env: UiEnv, form_code: str, code: str, territory: str | int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = indicator_chart(env.ctx, form_code, code, territory)
        self.setWindowTitle(f"Показатель {code}")
        self.resize(980, 720)
        self.text = QTextBrowser(self)
        self.text.setHtml(methodology_html(self.data))
        self.chart_view = QChartView(build_chart(self.data), self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(300)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.text)
        splitter.addWidget(self.chart_view)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        layout.addWidget(buttons)


class HistoryDialog(QDialog):
    """Who changed the cell, when, from what to what, and why (from the audit log)."""

    def __init__(self, rows: list[HistoryEntry], title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QTableView

        self.setWindowTitle(f"История изменений — {title}")
        self.resize(760, 360)
        columns = [Column("Когда (UTC)", lambda h: format_datetime(h.at), 130),
                   Column("Кто", lambda h: h.user, 180),
                   Column("Было", lambda h: _plain(h.old), 90, align_right=True),
                   Column("Стало", lambda h: _plain(h.new), 90, align_right=True),
                   Column("Основание", lambda h: h.reason, 240)]
        self.model = RecordTableModel(columns, rows, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        for n, c in enumerate(columns):
            self.table.setColumnWidth(n, c.width)
        self.table.horizontalHeader().setStretchLastSection(True)
        empty = QTextBrowser(self)
        empty.setPlainText("Ячейка ещё не заполнялась." if not rows else "")
        empty.setVisible(not rows)
        empty.setMaximumHeight(40)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table)
        layout.addWidget(buttons)


def _plain(value: str | None) -> str:
    if value is None or value == "None":
        return "—"
    try:
        from decimal import Decimal

        return format_number(Decimal(value))
    except Exception:  # noqa: BLE001 - comments are text
        return value
