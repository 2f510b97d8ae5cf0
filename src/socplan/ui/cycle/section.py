"""«Сдача отчётности»: the Ministry's completeness and timeliness board and the district's «Что сдать»."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QComboBox, QDateEdit, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.indicators import Period
from socplan.domain.roles import Action
from socplan.formatting import format_date, parse_date
from socplan.services.cycle import board as board_service
from socplan.services.cycle import due, export
from socplan.services.cycle.clock import today
from socplan.services.permissions import can
from socplan.ui.cycle.models import SORT_ROLE, BoardModel, TodoModel
from socplan.ui.env import UiEnv


def _date_edit(parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    d = today()
    edit.setDate(QDate(d.year, d.month, d.day))
    return edit


def _py_date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


class BoardView(QWidget):
    """Territories × forms for a period; filter by territory, sort by any column, double-click opens the form."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.period_edit = QLineEdit(str(today().year - 1), self)
        self.period_edit.setPlaceholderText("2025, 2025-Q1, 2025-M03")
        self.period_edit.setMaximumWidth(120)
        self.date_edit = _date_edit(self)
        self.show_button = QPushButton("Показать", self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Фильтр по территории")
        self.xlsx_button = QPushButton("Excel…", self)
        self.pdf_button = QPushButton("PDF…", self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = BoardModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        top = QHBoxLayout()
        for w in (QLabel("Период:", self), self.period_edit, QLabel("на дату:", self), self.date_edit,
                  self.show_button, self.filter_edit, self.xlsx_button, self.pdf_button):
            top.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.show_button.clicked.connect(self.refresh)
        self.period_edit.returnPressed.connect(self.refresh)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.xlsx_button.clicked.connect(lambda: self.save("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.table.doubleClicked.connect(self.open_form)
        self.refresh()

    def period(self) -> Period:
        try:
            return Period.parse(self.period_edit.text())
        except ValueError as exc:
            raise SocPlanError(str(exc)) from exc

    def refresh(self) -> None:
        try:
            period = self.period()
        except SocPlanError as exc:
            self.summary.setText(exc.message)
            return
        on = _py_date(self.date_edit)
        ctx = self.env.ctx
        self.env.runner.run("Сводка сдачи отчётности", lambda _p, _c: board_service.board(ctx, period, today=on),
                            self.show_board, self.failed, show_dialog=False)

    def show_board(self, board: board_service.Board) -> None:
        self.model.set_board(board)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        if not board.forms:
            self.summary.setText(f"Нет форм со сроком сдачи за {board.period.label}: срок сдачи устанавливает "
                                 "Министерство (socplan cycle due).")
            return
        self.summary.setText("\n".join(export.summary_lines(board)))

    def failed(self, exc: BaseException) -> None:
        import logging

        import shiboken6

        if not isinstance(exc, SocPlanError):  # never re-raised into Qt's event loop: said and logged
            logging.getLogger("socplan").warning("Сводка сдачи отчётности не собрана: %r", exc)
        if not shiboken6.isValid(self) or not shiboken6.isValid(self.summary):
            return  # the section was closed while the board was being gathered
        self.model.set_board(None)
        self.summary.setText(exc.message if isinstance(exc, SocPlanError) else
                             "Сводку не удалось собрать из-за внутренней ошибки программы. Повторите «Обновить»; "
                             "если ошибка повторится, сообщите администратору.")

    def save(self, kind: str) -> None:
        board = self.model.board
        if board is None:
            return
        suggested = f"Сдача отчётности {board.period.code}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, "Сохранить сводку", suggested,
                                              "Книга Excel (*.xlsx)" if kind == "xlsx" else "PDF (*.pdf)")
        if not path:
            return
        from socplan.atomic import replacing, save_failed

        try:
            with replacing(path) as tmp:  # whole or not at all
                if kind == "xlsx":
                    export.export_board_xlsx(board, tmp)
                else:
                    export.export_board_pdf(board, tmp, self.env.ctx.user.name)
        except OSError as exc:
            QMessageBox.warning(self, "СоцПлан", save_failed(path, exc))
            return
        self.summary.setText(self.summary.text() + f"\nЗаписано: {path}")

    def open_form(self, index: QModelIndex) -> None:
        cell = self.model.cell_at(self.proxy.mapToSource(index))
        window = self.env.window
        if cell is None or self.model.board is None or not hasattr(window, "show_section"):
            return
        section = window.show_section("indicators")
        section.entry.select(cell.form, cell.territory, self.model.board.period)


class TodoView(QWidget):
    """«Что сдать»: the district's forms and periods, overdue first."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.territory_combo = QComboBox(self)
        user = env.ctx.user
        if user.territory_id is not None:
            self.territory_combo.addItem(user.territory_name, user.territory_id)
            self.territory_combo.setEnabled(False)
        else:
            from socplan.services.reference import list_territories

            for t in list_territories(env.ctx):
                if t.kind in ("city", "district"):
                    self.territory_combo.addItem(t.name, t.id)
        self.date_edit = _date_edit(self)
        self.extend_button = QPushButton("Запросить продление срока…", self)
        self.extend_button.setEnabled(can(env.ctx, Action.REQUEST_EXTENSION, user.territory_id))
        self.message = QLabel(self)
        self.model = TodoModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        top = QHBoxLayout()
        for w in (QLabel("Территория:", self), self.territory_combo, QLabel("на дату:", self), self.date_edit):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.extend_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.territory_combo.currentIndexChanged.connect(self.refresh)
        self.date_edit.dateChanged.connect(self.refresh)
        self.extend_button.clicked.connect(self.ask_extension)
        self.refresh()

    def ask_extension(self) -> None:
        """For the selected form and period: a later due date with a reason, decided by the Ministry."""
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.items):
            self.message.setText("Выберите в списке форму и период, для которых нужен более поздний срок.")
            return
        item = self.model.items[row]
        until_text, ok = QInputDialog.getText(self, "Продление срока", f"{item.form}, {item.period.label}.\n"
                                              "Новый срок (дд.мм.гггг):")
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "Продление срока", "Причина (её увидит Министерство):")
        if not ok:
            return
        try:
            until = parse_date(until_text, field="Новый срок")
            if until is None:
                raise SocPlanError("Укажите новый срок, например 20.04.2026.")
            due.request_extension(self.env.ctx, item.form, self.territory_combo.currentData(), item.period, until,
                                  reason)
        except SocPlanError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"Запрос на продление срока до {format_date(until)} направлен в Министерство.")

    def refresh(self) -> None:
        territory = self.territory_combo.currentData()
        if territory is None:
            return
        on = _py_date(self.date_edit)
        ctx = self.env.ctx
        self.env.runner.run("Что сдать", lambda _p, _c: board_service.what_to_submit(ctx, territory, on),
                            self.show_items, self.failed, show_dialog=False)

    def show_items(self, items: list) -> None:
        self.model.set_items(items)
        overdue = sum(1 for i in items if i.overdue)
        self.message.setText("Сдавать нечего: все формы представлены." if not items else
                             f"Форм к сдаче: {len(items)}, из них просрочено: {overdue}.")
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if overdue else "")

    def failed(self, exc: BaseException) -> None:
        if not isinstance(exc, SocPlanError):
            raise exc
        QMessageBox.warning(self, "Что сдать", exc.message)


class CycleSection(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.todo = TodoView(env, self)
        self.board: BoardView | None = None
        if can(env.ctx, Action.VIEW_BOARD):
            self.board = BoardView(env, self)
            self.tabs.addTab(self.board, "Сводка по территориям")
        self.tabs.addTab(self.todo, "Что сдать")
        from socplan.ui.cycle.requests import RequestsView

        self.requests = RequestsView(env, self)
        self.tabs.addTab(self.requests, "Запросы")
        self.due_rules = None
        if can(env.ctx, Action.EDIT_DUE_RULES):  # the Ministry's screen; the service checks the role again
            from socplan.ui.cycle.due_rules import DueRulesView

            self.due_rules = DueRulesView(env, self)
            self.tabs.addTab(self.due_rules, "Сроки сдачи")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)


def create_section(env: UiEnv) -> QWidget:
    return CycleSection(env)
