"""A round's screen: the applications grid (editable, undoable), «Рассчитать», results and the protocol.

Every edit recalculates at once (what-if); «Сохранить изменения» writes the edits to the database,
«Вернуть сохранённое» drops them. The calculation runs on the domain in memory (milliseconds).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QMenu, QMessageBox, QSplitter, QTableView,
                               QTabWidget, QTextBrowser, QToolBar, QToolButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.subsidies.calculation import Calculation
from socplan.formatting import format_number
from socplan.services.subsidies import reports as report_svc
from socplan.services.subsidies import rounds as svc
from socplan.ui.env import UiEnv
from socplan.ui.subsidies.dialogs import DocumentsDialog
from socplan.ui.subsidies.models import ApplicationsModel, DocumentsCommand, ResultsModel, result_rows

REPORTS = (("protocol", "Протокол расчёта (PDF)…"), ("distribution", "Распределение — приложение к проекту акта…"),
           ("rating", "Рейтинговая оценка…"), ("efficiency", "Оценка эффективности…"), ("clawback", "Расчёт возврата…"))


class RoundView(QWidget):
    saved = Signal()

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.detail: svc.RoundDetail | None = None
        self.calc: Calculation | None = None
        self.saved_amounts: dict[str, Decimal | None] = {}
        self.undo = QUndoStack(self)
        self.model = ApplicationsModel(self.undo, self)
        self.undo.indexChanged.connect(self._on_undo_index)  # after the stack knows it is dirty
        self.model.error.connect(self._show_error)
        self.undo.cleanChanged.connect(self._update_state)

        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        self.grid = QTableView(self)
        self.grid.setModel(self.model)
        self.grid.setAlternatingRowColors(True)
        self.grid.verticalHeader().setDefaultSectionSize(24)
        self.grid.setColumnWidth(0, 260)
        self.grid.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed |
                                  QTableView.EditTrigger.AnyKeyPressed)

        self.results_model = ResultsModel(self)
        self.results = QTableView(self)
        self.results.setModel(self.results_model)
        self.results.setAlternatingRowColors(True)
        self.results.setColumnWidth(0, 260)
        self.results.setColumnWidth(4, 260)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.protocol = QTextBrowser(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.results, "Результаты")
        self.tabs.addTab(self.protocol, "Протокол расчёта")
        self.tabs.currentChanged.connect(self._on_tab)

        # a tool bar (not a row of buttons): on a narrow screen the rest goes to its «››» menu
        toolbar = QToolBar(self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar = toolbar
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
                ("calc", "Рассчитать", QKeySequence("F9"), self.show_protocol),
                ("undo", "Отменить", QKeySequence.StandardKey.Undo, self.undo.undo),
                ("redo", "Повторить", QKeySequence.StandardKey.Redo, self.undo.redo),
                ("save", "Сохранить изменения", QKeySequence.StandardKey.Save, self.save),
                ("revert", "Вернуть сохранённое", QKeySequence(), self.revert),
                ("docs", "Документы заявки…", QKeySequence("Ctrl+D"), self.edit_documents),
                ("outcomes", "Результаты…", QKeySequence("Ctrl+R"), self.edit_outcomes)):
            action = QAction(text, self)
            shortcut = QKeySequence(shortcut)
            if not shortcut.isEmpty():
                action.setShortcut(shortcut)
                action.setToolTip(f"{text} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})")
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            toolbar.addAction(action)
            self.actions[key] = action
        menu = QMenu(self)
        for kind, text in REPORTS:
            menu.addAction(text, lambda k=kind: self.print_report(k))
        menu.addSeparator()
        menu.addAction("Протокол расчёта в xlsx…", self.save_xlsx)
        self.print_button = QAction("Печать", self)
        self.print_button.setMenu(menu)
        toolbar.addAction(self.print_button)
        print_tool = toolbar.widgetForAction(self.print_button)
        if isinstance(print_tool, QToolButton):
            print_tool.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.grid)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(toolbar)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._update_state()

    # ---------------------------------------------------------------- loading
    def load(self, round_id: int | None) -> None:
        self.undo.clear()
        if round_id is None:
            self.detail, self.calc = None, None
            self.model.load([], {})
            self.header.setText("Выберите отбор слева или создайте новый.")
            self.results_model.set_rows([])
            self.protocol.clear()
            self._update_state()
            return
        self.detail = svc.get_round(self.env.ctx, round_id)
        d = self.detail
        self.header.setText(f"<b>{d.row.procedure_label}</b>, {d.row.year} год. Объём средств: "
                            f"<b>{format_number(d.data.budget, 2)}</b> руб. {d.data.title}")
        self.model.load([a.data for a in d.applications],
                        {a.municipality: a.limit_rate for a in d.applications if a.limit_rate is not None})
        self.model.set_procedure_columns(d.row.procedure == "app12")
        self.grid.resizeColumnsToContents()
        self.results.setColumnHidden(1, d.row.procedure != "app12")  # the rating exists only in App. 12
        self.grid.setColumnWidth(0, min(max(self.grid.columnWidth(0), 220), 320))
        self.saved_amounts = {}
        self.recalculate()
        if self.calc is not None:
            self.saved_amounts = {r.municipality: r.amount for r in result_rows(self.calc)}
            self.results_model.set_rows(result_rows(self.calc), {})
            self.results.resizeColumnsToContents()
            for column, cap in ((0, 320), (4, 360), (5, 600)):
                self.results.setColumnWidth(column, min(self.results.columnWidth(column), cap))
        self._update_state()

    def current_input(self) -> Any:
        assert self.detail is not None
        return svc.make_input(self.detail.row.id, self.detail.data, self.model.apps, self.model.limit_rates,
                              [e for a in self.detail.applications for e in a.events])

    # ---------------------------------------------------------------- calculation
    def recalculate(self) -> None:
        if self.detail is None:
            return
        try:
            self.calc = svc.calculate_input(self.current_input())
        except SocPlanError as exc:
            self.calc = None
            self.results_model.set_rows([])
            self.protocol.setPlainText(exc.message)
            self._show_error(exc.message)
            self._update_state()
            return
        self.results_model.set_rows(result_rows(self.calc), self.saved_amounts if not self.undo.isClean() else {})
        self._protocol_stale = True
        if self.tabs.currentWidget() is self.protocol:  # the long HTML is built only when it is looked at
            self._render_protocol()
        what_if = "" if self.undo.isClean() else " Показан расчёт «что если» с несохранёнными изменениями."
        self.status.setStyleSheet("")
        self.status.setText(f"Распределено {format_number(self.calc.allocated, 2)} руб. из "
                            f"{format_number(self.calc.budget, 2)}; не распределено "
                            f"{format_number(self.calc.unallocated, 2)} руб.{what_if}")
        self._update_state()

    def _render_protocol(self) -> None:
        if self.calc is not None and getattr(self, "_protocol_stale", True):
            bar = self.protocol.verticalScrollBar()
            position = bar.value()
            self.protocol.setHtml(report_svc.protocol_html(self.calc))
            bar.setValue(position)
            self._protocol_stale = False

    def _on_tab(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.protocol:
            self._render_protocol()

    def _on_undo_index(self, _index: int) -> None:
        import shiboken6

        if shiboken6.isValid(self.undo) and shiboken6.isValid(self.status):  # not while the screen is destroyed
            self.recalculate()

    def show_protocol(self) -> None:
        self.recalculate()
        if self.calc is not None:
            self.tabs.setCurrentWidget(self.protocol)
            self._render_protocol()

    def _show_error(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(message)

    def _update_state(self) -> None:
        has = self.detail is not None
        dirty = not self.undo.isClean()
        self.actions["save"].setEnabled(has and dirty)
        self.actions["revert"].setEnabled(has and dirty)
        self.actions["undo"].setEnabled(self.undo.canUndo())
        self.actions["redo"].setEnabled(self.undo.canRedo())
        self.actions["calc"].setEnabled(has)
        self.actions["docs"].setEnabled(has and bool(self.model.apps))
        self.actions["outcomes"].setEnabled(has and bool(self.model.apps))
        self.print_button.setEnabled(self.calc is not None)

    # ---------------------------------------------------------------- editing
    def edit_documents(self) -> DocumentsDialog | None:
        index = self.grid.currentIndex()
        if self.detail is None or not index.isValid():
            self._show_error("Выберите заявку в таблице.")
            return None
        row = index.row()
        app = self.model.apps[row]
        dialog = DocumentsDialog(self.detail.row.procedure, app.municipality, dict(app.documents), self)
        if dialog.exec():
            new = dialog.documents()
            if new != dict(app.documents):
                self.undo.push(DocumentsCommand(self.model, row, dict(app.documents), new))
        return dialog

    def edit_outcomes(self) -> Any:
        """Events and results after the year for the current application (saved at once by the dialog)."""
        from socplan.ui.subsidies.outcomes import OutcomesDialog

        index = self.grid.currentIndex()
        if self.detail is None or not index.isValid():
            self._show_error("Выберите заявку в таблице.")
            return None
        if self.has_unsaved_changes():
            self._show_error("Сначала сохраните или верните изменения в заявках.")
            return None
        name = self.model.apps[index.row()].municipality
        application = next(a for a in self.detail.applications if a.municipality == name)
        dialog = OutcomesDialog(self.env.ctx, application, self)
        if dialog.exec():
            self.load(self.detail.row.id)
        return dialog

    def save(self) -> bool:
        if self.detail is None:
            return False
        try:
            svc.save_applications(self.env.ctx, self.detail.row.id, self.model.apps, self.model.limit_rates)
        except SocPlanError as exc:
            self._show_error(f"Не сохранено: {exc.message}")
            return False
        self.load(self.detail.row.id)
        self.status.setText("Изменения сохранены.")
        self.saved.emit()
        return True

    def revert(self) -> None:
        if self.detail is not None:
            self.load(self.detail.row.id)

    def has_unsaved_changes(self) -> bool:
        return not self.undo.isClean()

    # ---------------------------------------------------------------- documents
    def print_report(self, kind: str) -> None:
        if self.calc is None or self.detail is None:
            return
        calc, round_id, what_if = self.calc, self.detail.row.id, not self.undo.isClean()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            progress(0, 1, "Формирование документа…")
            return report_svc.generate(self.env.ctx, calc, kind, round_id=round_id, what_if=what_if)

        def done(generated: report_svc.GeneratedReport) -> None:
            from socplan.ui.reports.preview import show_report_preview

            self.last_preview = show_report_preview(self.env, generated.data, generated.title, generated.file_name)

        self.env.runner.run("Формирование документа", work, done)

    def save_xlsx(self, path: Path | None = None) -> Path | None:
        if self.calc is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Протокол расчёта в xlsx",
                                                  f"Протокол расчёта субсидий {self.calc.info.year}.xlsx",
                                                  "Книга Excel (*.xlsx)")
            if not name:
                return None
            path = Path(name)
        from socplan.atomic import replacing, save_failed

        try:
            with replacing(path) as tmp:  # whole or not at all
                report_svc.write_protocol_files(self.calc, xlsx=tmp)
        except OSError as exc:
            QMessageBox.warning(self, "СоцПлан", save_failed(path, exc))
            return None
        self.status.setText(f"Протокол сохранён: {path}")
        return path
