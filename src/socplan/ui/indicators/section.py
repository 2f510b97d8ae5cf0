"""«Показатели»: data entry, the catalogue with methodology, the state programme, control ratios."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QPushButton, QTabWidget,
                               QTextBrowser, QVBoxLayout, QWidget)

from socplan.domain.control_ratios import Violation
from socplan.domain.errors import SocPlanError
from socplan.formatting import format_money, format_number
from socplan.services.indicators import catalogue
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.env import UiEnv
from socplan.ui.indicators import components
from socplan.ui.indicators.entry_view import EntryView
from socplan.ui.indicators.methodology_text import formula_html, unit_text


class CatalogueView(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.form_combo = QComboBox(self)
        for f in catalogue.list_forms(env.ctx):
            self.form_combo.addItem(f"{f.code} — {f.name}", f.code)
        self.form_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.form_combo.setMinimumContentsLength(30)
        columns = [Column("№", lambda r: r.code, 50), Column("Показатель", lambda r: r.name, 460),
                   Column("Ед. изм.", lambda r: r.unit_name, 90), Column("ОКЕИ", lambda r: r.unit_code, 60),
                   Column("Тип", lambda r: r.direction.label, 100), Column("Уровень", lambda r: r.level_label, 100),
                   Column("Базовое", lambda r: r.base_value, 80, align_right=True),
                   Column("Год", lambda r: str(r.base_year) if r.base_year else "", 50),
                   Column("Формула", lambda r: r.formula_computed or "вводится", 200)]
        self.list = RecordListView(columns, self._detail, self)
        self.card_button = QPushButton("Карточка и график", self)
        self.formula_button = QPushButton("Изменить формулу…", self)
        self.type_button = QPushButton("Тип показателя…", self)
        self.type_button.setToolTip("Возрастающий или убывающий: от него зависит процент достижения")
        self.add_component_button = QPushButton("Добавить компонент…", self)
        self.edit_component_button = QPushButton("Изменить компонент…", self)
        self.delete_component_button = QPushButton("Удалить компонент", self)
        for button in (self.card_button, self.formula_button, self.type_button, self.add_component_button,
                       self.edit_component_button, self.delete_component_button):
            self.list.toolbar_layout.addWidget(button)
        self.add_component_button.clicked.connect(lambda: self._components(components.add_component))
        self.edit_component_button.clicked.connect(lambda: self._components(components.edit_component))
        self.delete_component_button.clicked.connect(lambda: self._components(components.delete_component))
        self.card_button.clicked.connect(self.open_card)
        self.formula_button.clicked.connect(self.edit_formula)
        self.type_button.clicked.connect(self.edit_direction)
        self.list.activated.connect(lambda _r: self.open_card())
        top = QHBoxLayout()
        top.addWidget(QLabel("Форма:", self))
        top.addWidget(self.form_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.form_combo.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.list.set_rows(catalogue.list_indicators(self.env.ctx, self.form_combo.currentData()))

    @staticmethod
    def _detail(row) -> str:  # noqa: ANN001
        parts = [f"<p style='font-size:11pt'>{escape(row.code)}. {escape(row.name)}</p>"]
        if row.goal:
            parts.append(f"<p><i>Цель:</i> {escape(row.goal)}</p>")
        parts.append(f"<p><i>Единица измерения:</i> {escape(unit_text(row))}; <i>тип:</i> {row.direction.label}</p>")
        parts.append(formula_html(row))
        if row.methodology:
            parts.append(f"<p>{escape(row.methodology)}</p>")
        for c in row.components:
            parts.append(f"<p><b>{escape(c.symbol)}</b>{' = ' + escape(c.formula) if c.formula else ''} – "
                         f"{escape(c.description)}</p>")
        if row.data_source:
            parts.append(f"<p><i>Источник исходных данных:</i> {escape(row.data_source)}</p>")
        if row.indicator_type:
            parts.append(f"<p><i>Тип индикатора:</i> {escape(row.indicator_type)}</p>")
        return "".join(parts)

    def edit_formula(self) -> None:
        """Edit the methodology formula; a parse error (with its position) or a cycle keeps the dialog open."""
        row = self.list.current_row()
        if row is None:
            return
        symbols = ", ".join(c.symbol for c in row.components) or "нет (можно ссылаться на показатели: [код], стр.N)"
        text = row.formula
        while True:
            text, ok = QInputDialog.getText(self, f"Формула показателя {row.code}",
                                            f"Компоненты: {symbols}\nФункции: sum, min, max, round, if; "
                                            "ссылки: [1.1], стр.2, [2@-1]", text=text)
            if not ok:
                return
            try:
                catalogue.save_formula(self.env.ctx, row.form_code, row.code, text)
            except SocPlanError as exc:
                QMessageBox.warning(self, "Формула не сохранена", exc.message)
                continue
            self.refresh()
            return

    def edit_direction(self, direction: str | None = None, reason: str | None = None) -> None:
        """Change the type (возрастающий / убывающий) with a reason for the journal; achievement follows it."""
        row = self.list.current_row()
        if row is None:
            return
        options = ["возрастающий", "убывающий"]
        if direction is None:
            direction, ok = QInputDialog.getItem(self, f"Тип показателя {row.code}", "Тип показателя:", options,
                                                 options.index(row.direction.label), False)
            if not ok:
                return
        if reason is None:
            reason, ok = QInputDialog.getText(self, f"Тип показателя {row.code}", "Основание изменения (в журнал):")
            if not ok:
                return
        try:
            catalogue.set_direction(self.env.ctx, row.form_code, row.code, direction, reason)
        except SocPlanError as exc:
            QMessageBox.warning(self, "Тип не изменён", exc.message)
            return
        self.refresh()
        self.list.select_where(lambda r: r.code == row.code)

    def _components(self, action) -> None:  # noqa: ANN001
        """Run a component action on the current indicator and show the indicator again with its methodology."""
        row = self.list.current_row()
        if row is None:
            return
        if action(self.env, self, row) is not None:
            self.refresh()
            self.list.select_where(lambda r: r.code == row.code)

    def open_card(self) -> None:
        from socplan.ui.indicators.card import IndicatorCard

        row = self.list.current_row()
        if row is not None:
            IndicatorCard(self.env, row.form_code, row.code, "Омская область", self).exec()


def programme_html(env: UiEnv) -> str:
    parts = []
    for p in catalogue.list_programmes(env.ctx):
        parts.append(f"<h2>{escape(p.name)}</h2><p>Утверждена: {escape(p.approved_by)}</p><table cellpadding=3>")
        for label, value in (("Куратор", p.curator), ("Ответственный исполнитель", p.responsible_executor),
                             ("Период реализации", f"{p.period_from} – {p.period_to} годы"),
                             ("Цели", "; ".join(p.goals)), ("Подпрограммы", "; ".join(p.subprogrammes)),
                             ("Объём финансового обеспечения", f"{format_money(p.total_financing)} руб."),
                             ("Показатели", f"{p.indicators} (форма «{p.indicator_form}»)")):
            parts.append(f"<tr><td style='color:#555'>{escape(label)}</td><td>{escape(value)}</td></tr>")
        parts.append("</table><h3>Финансовое обеспечение, рублей</h3><table border=1 cellspacing=0 cellpadding=3>")
        years = sorted({y for f in p.financing for y in f.by_year})
        parts.append("<tr><th>№</th><th>Источник</th><th>Всего</th>" + "".join(f"<th>{y}</th>" for y in years) + "</tr>")
        for f in p.financing:
            cells = "".join(f"<td align=right>{format_money(f.by_year.get(y))}</td>" for y in years)
            parts.append(f"<tr><td>{escape(f.code)}</td><td>{escape(f.name)}</td>"
                         f"<td align=right>{format_money(f.total)}</td>{cells}</tr>")
        parts.append("</table>")
    return "".join(parts)


class ChecksView(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.run_button = QPushButton("Проверить всю базу", self)
        self.summary = QLabel("Контрольные соотношения: формы показателей, финансирование программы, планы.", self)
        columns = [Column("Вид", lambda v: v.severity.value, 110), Column("Соотношение", lambda v: v.rule_text, 320),
                   Column("Слева", lambda v: format_number(v.left) if v.left is not None else "—", 130, True),
                   Column("", lambda v: v.op.value, 30),
                   Column("Справа", lambda v: format_number(v.right) if v.right is not None else "—", 130, True),
                   Column("Где", lambda v: v.where, 380), Column("Пояснение", lambda v: v.message, 200)]
        self.list = RecordListView(columns, None, self)
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.run_button.clicked.connect(self.run)

    def run(self) -> None:
        from socplan.services.checks import run_checks

        self.env.runner.run("Проверка контрольных соотношений", lambda p, c: run_checks(self.env.ctx, p), self.show_results)

    def show_results(self, violations: list[Violation]) -> None:
        self.list.set_rows(violations)
        errors = sum(1 for v in violations if v.severity.value == "ошибка")
        self.summary.setText(f"Ошибок: {errors}, предупреждений: {len(violations) - errors}.")


def create_section(env: UiEnv) -> QWidget:
    tabs = QTabWidget()
    tabs.entry = EntryView(env, tabs)  # type: ignore[attr-defined]
    tabs.addTab(tabs.entry, "Ввод значений")  # type: ignore[attr-defined]
    tabs.catalogue = CatalogueView(env, tabs)  # type: ignore[attr-defined]
    tabs.addTab(tabs.catalogue, "Каталог показателей")  # type: ignore[attr-defined]
    programme = QTextBrowser(tabs)
    programme.setHtml(programme_html(env))
    tabs.addTab(programme, "Государственная программа")
    tabs.checks = ChecksView(env, tabs)  # type: ignore[attr-defined]
    tabs.addTab(tabs.checks, "Контрольные соотношения")  # type: ignore[attr-defined]
    return tabs
