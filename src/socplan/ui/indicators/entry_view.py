"""«Ввод значений»: the entry grid for one form, territory and period, with states, Excel and the report."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, QPointF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPainter, QPolygonF, QShortcut
from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QMenu, QMessageBox, QPushButton,
                               QSizePolicy, QSpinBox, QStyledItemDelegate, QTableView, QTextBrowser, QToolBar,
                               QToolTip, QVBoxLayout, QWidget)

from socplan.domain.conflicts import ValueConflictError
from socplan.domain.errors import SocPlanError, ValidationError
from socplan.domain.indicators import MONTHS, ROMAN, FormState, Period
from socplan.services.indicators import catalogue, entry
from socplan.services.indicators.entry import Sheet
from socplan.services.reference import list_territories
from socplan.ui.env import UiEnv
from socplan.ui.indicators import cell_remarks
from socplan.ui.indicators.conflict_dialog import resolve_conflicts
from socplan.ui.tasks import show_error
from socplan.ui.indicators.grid_model import (COL_COMMENT, COL_FACT, COL_NAME, COL_PLAN, COLUMNS, REMARK_MARK,
                                              REMARK_ROLE, EntryGridModel)


class CellDelegate(QStyledItemDelegate):
    """A line editor that refuses invalid text in the cell: Enter/Tab keep the editor open with the reason."""

    def __init__(self, view: EntryTable) -> None:
        super().__init__(view)
        self.view = view

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: ANN001
        editor = QLineEdit(parent)
        editor.setProperty("row", index.row())
        editor.setProperty("column", index.column())
        editor.installEventFilter(self)
        return editor

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:  # noqa: ANN001
        super().paint(painter, option, index)
        if index.data(REMARK_ROLE):
            # a cell with the Ministry's remark: a coloured corner, as a note in a spreadsheet
            rect, size = option.rect, min(9.0, option.rect.height() / 2)
            corner = QPointF(rect.right() + 1, rect.top())
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(REMARK_MARK)
            painter.drawPolygon(QPolygonF([corner - QPointF(size, 0), corner, corner + QPointF(0, size)]))
            painter.restore()

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            model: EntryGridModel = self.view.model()
            try:
                model.parse(editor.property("row"), editor.property("column"), editor.text())
            except ValidationError as exc:
                editor.setStyleSheet("background: #FDE2E1;")
                editor.setToolTip(exc.message)
                QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), exc.message, editor)
                self.view.rejected_text(exc.message)
                return True
        return super().eventFilter(editor, event)


class EntryTable(QTableView):
    """Enter moves down to the next editable cell, Tab moves right; Ctrl+V pastes a block from Excel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.on_rejected = lambda text: None
        self.setItemDelegate(CellDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(False)

    def rejected_text(self, text: str) -> None:
        self.on_rejected(text)

    def move_down(self) -> None:
        index = self.currentIndex()
        if not index.isValid():
            return
        model = self.model()
        for row in range(index.row() + 1, model.rowCount()):
            if model.editable(row, index.column()):
                self.setCurrentIndex(model.index(row, index.column()))
                return

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    def keyPressEvent(self, event) -> None:  # noqa: ANN001
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != QAbstractItemView.State.EditingState:
            self.move_down()
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            for index in self.selectedIndexes():
                if self.model().editable(index.row(), index.column()):
                    self.model().setData(index, "")
            return
        super().keyPressEvent(event)

    def paste(self) -> None:
        index = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not index.isValid() or not text:
            return
        problems = self.model().paste_block(index.row(), index.column(), text)
        if problems:
            self.on_rejected("Вставлено не всё:\n" + "\n".join(problems[:15]))


class EntryView(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.model: EntryGridModel | None = None
        self.form_combo = QComboBox(self)
        self._territorial: dict[str, bool] = {}
        self._load_token = 0
        self.loading = False
        for f in catalogue.list_forms(env.ctx):
            self._territorial[f.code] = f.territorial
            self.form_combo.addItem(f"{f.code} — {f.name[:60]}", f.code)
            self.form_combo.setItemData(self.form_combo.count() - 1, f.name, Qt.ItemDataRole.ToolTipRole)
        self.territory_combo = QComboBox(self)
        for combo, chars in ((self.form_combo, 18), (self.territory_combo, 22)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(chars)
        self.territory_combo.setEditable(True)
        self.territory_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._kinds: dict[int, str] = {}
        for t in list_territories(env.ctx):
            if t.kind in ("region", "city", "district"):
                self.territory_combo.addItem(t.name, t.id)
                self._kinds[t.id] = t.kind
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(2024)
        self.kind_combo = QComboBox(self)
        for code, label in (("year", "год"), ("quarter", "квартал"), ("month", "месяц")):
            self.kind_combo.addItem(label, code)
        self.number_combo = QComboBox(self)
        self.kind_combo.currentIndexChanged.connect(self._fill_numbers)
        self._fill_numbers()
        self.open_button = QPushButton("Открыть", self)
        top = QHBoxLayout()
        for label, widget in (("Форма:", self.form_combo), ("Территория:", self.territory_combo), ("Год:", self.year),
                              ("Период:", self.kind_combo)):
            top.addWidget(QLabel(label, self))
            top.addWidget(widget)
        top.addWidget(self.number_combo)
        top.addWidget(self.open_button)
        top.addStretch(1)

        self.state_label = QLabel(self)
        self.save_button = QPushButton("Сохранить (Ctrl+S)", self)
        self.submit_button = QPushButton("Представить", self)
        self.accept_button = QPushButton("Принять", self)
        self.unlock_button = QPushButton("Снять «принято»…", self)
        self.history_button = QPushButton("История ячейки", self)
        self.export_button = QPushButton("Шаблон Excel…", self)
        self.import_button = QPushButton("Загрузить из Excel…", self)
        self.report_button = QPushButton("Отчёт о достижении…", self)
        # buttons live in a tool bar: when the window is narrow the rest goes to its overflow menu
        self.toolbar = QToolBar(self)
        for b in (self.save_button, self.submit_button, self.accept_button, self.unlock_button, self.history_button,
                  self.export_button, self.import_button, self.report_button):
            self.toolbar.addWidget(b)
        self.state_label.setMinimumWidth(1)
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        actions = QHBoxLayout()
        actions.addWidget(self.state_label, 1)
        actions.addWidget(self.toolbar, 3)

        self.remarks_label = QLabel(self)
        self.remarks_label.setWordWrap(True)
        self.remarks_label.setStyleSheet("background: #FFE8C2; color: #7A2E00; padding: 4px; font-weight: bold;")
        self.remarks_label.hide()
        self.remark_panel = QLabel(self)
        self.remark_panel.setWordWrap(True)
        self.remark_panel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.remark_panel.setStyleSheet("border: 1px solid #E65100; background: #FFF6E8; padding: 4px;")
        self.remark_panel.hide()
        self.table = EntryTable(self)
        self.table.on_rejected = self.show_problem
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.message = QTextBrowser(self)
        self.message.setMaximumHeight(110)
        self.message.setPlaceholderText("Здесь появятся сообщения проверки: неверные значения, нарушенные "
                                        "контрольные соотношения, недостающие причины отклонений.")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.remarks_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remark_panel)
        layout.addWidget(self.message)

        self.open_button.clicked.connect(self.reload)
        self.save_button.clicked.connect(self.save)
        self.submit_button.clicked.connect(lambda: self.change_state(FormState.SUBMITTED))
        self.accept_button.clicked.connect(lambda: self.change_state(FormState.ACCEPTED))
        self.unlock_button.clicked.connect(lambda: self.change_state(FormState.DRAFT))
        self.history_button.clicked.connect(self.show_history)
        self.export_button.clicked.connect(self.export_template)
        self.import_button.clicked.connect(self.import_template)
        self.report_button.clicked.connect(self.report)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.undo_action = QAction("Отменить", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda: self.model and self.model.undo_stack.undo())
        self.redo_action = QAction("Повторить", self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(lambda: self.model and self.model.undo_stack.redo())
        self.addActions([self.undo_action, self.redo_action])
        self.reload()

    # ------------------------------------------------------------ selection
    def _fill_numbers(self) -> None:
        self.number_combo.clear()
        kind = self.kind_combo.currentData()
        if kind == "quarter":
            for n, roman in enumerate(ROMAN, start=1):
                self.number_combo.addItem(f"{roman} квартал", n)
        elif kind == "month":
            for n, month in enumerate(MONTHS, start=1):
                self.number_combo.addItem(month, n)
        self.number_combo.setVisible(kind != "year")

    def period(self) -> Period:
        kind = self.kind_combo.currentData()
        return Period(self.year.value(), kind, 0 if kind == "year" else int(self.number_combo.currentData()))

    def select(self, form_code: str, territory: str, period: Period) -> None:
        self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(form_code)))
        self.territory_combo.setCurrentIndex(max(0, self.territory_combo.findText(territory)))
        self.year.setValue(period.year)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind))
        if period.kind != "year":
            self.number_combo.setCurrentIndex(self.number_combo.findData(period.number))
        self.reload()

    def scope(self) -> tuple[str, int, Period]:
        return self.form_combo.currentData(), int(self.territory_combo.currentData()), self.period()

    # ------------------------------------------------------------ loading and saving
    def reload(self) -> None:
        if self.model is not None and self.model.is_dirty():
            answer = QMessageBox.question(self, "Несохранённые изменения",
                                          "В форме есть несохранённые значения. Сохранить их перед переходом?",
                                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                          | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        form, territory, period = self.scope()
        self._load_token += 1
        token = self._load_token
        if self._territorial.get(form) and self._kinds.get(territory) == "region":
            # consolidating the region from every district takes a while: a background task, the grid stays
            # responsive (the previous sheet stays visible, locked) and a newer selection wins
            self._set_loading()
            self.env.runner.run("Сведение значений по области",
                                lambda p, c: entry.load_sheet(self.env.ctx, form, territory, period),
                                lambda sheet: self._apply_sheet(sheet, token),
                                lambda exc: self._load_failed(exc, token), cancellable=False, show_dialog=False)
            return
        try:
            sheet = entry.load_sheet(self.env.ctx, form, territory, period)
        except SocPlanError as exc:
            self._load_failed(exc, token)
            return
        self._apply_sheet(sheet, token)

    def _set_loading(self) -> None:
        self.loading = True
        if self.model is not None:
            self.model.locked = True
        self.state_label.setText("Сводные значения по области собираются из данных территорий…")
        for button in (self.save_button, self.submit_button, self.accept_button, self.unlock_button,
                       self.export_button, self.import_button, self.report_button):
            button.setEnabled(False)
        self.message.setPlainText("Идёт сведение значений районов и городов; таблицу можно просматривать.")

    def _load_failed(self, exc: BaseException, token: int) -> None:
        if token != self._load_token or not shiboken6.isValid(self):
            return
        self.loading = False
        if self.model is not None:
            self.model.locked = False
            self._update_state()
        self.report_button.setEnabled(True)
        if isinstance(exc, SocPlanError):
            self.show_problem(exc.message)
        else:
            show_error(self, exc)

    def _apply_sheet(self, sheet: Sheet, token: int) -> None:
        if token != self._load_token or not shiboken6.isValid(self):
            return  # the user chose another form, territory or period meanwhile
        self.loading = False
        self.report_button.setEnabled(True)
        if self.model is None:
            self.model = EntryGridModel(sheet, self)
            self.table.setModel(self.model)
            self.model.rejected.connect(lambda _r, _c, text: self.show_problem(text))
            self.model.dirty_changed.connect(lambda _d: self._update_state())
            self.table.selectionModel().currentChanged.connect(lambda _c, _p: self._show_cell_remarks())
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            for col, width in enumerate((60, 430, 80, 110, 110, 100, 100, 260)):
                self.table.setColumnWidth(col, width)
            header.setStretchLastSection(True)
        else:
            self.model.set_sheet(sheet)
        self._update_state()
        self._update_remarks()
        self.message.clear()
        self.message.setStyleSheet("")
        if sheet.missing:
            self.message.setPlainText("Значения по области собраны из данных территорий (только просмотр). "
                                      "Не представили данные: " + ", ".join(sheet.missing) + ".")

    def _update_state(self) -> None:
        if self.model is None or self.loading:
            return
        sheet = self.model.sheet
        text = f"Состояние: {sheet.state.label}"
        if sheet.consolidated:
            text = "Сводные значения по области — только просмотр"
        elif sheet.state is FormState.ACCEPTED:
            text += " (значения закрыты для изменений)"
        if self.model.is_dirty():
            text += " • есть несохранённые изменения"
        self.state_label.setText(text)
        editable = not sheet.read_only
        self.save_button.setEnabled(editable and self.model.is_dirty())
        self.submit_button.setEnabled(editable and sheet.state is FormState.DRAFT)
        self.accept_button.setEnabled(not sheet.consolidated and sheet.state is FormState.SUBMITTED)
        self.unlock_button.setEnabled(not sheet.consolidated and sheet.state is not FormState.DRAFT)
        self.export_button.setEnabled(not sheet.consolidated)
        self.import_button.setEnabled(editable)

    def _update_remarks(self) -> None:
        cell_remarks.update_remarks(self)

    def _show_cell_remarks(self) -> None:
        cell_remarks.show_cell_remarks(self)

    def save(self) -> bool:
        if self.model is None or not self.model.is_dirty():
            return True
        form, territory, period = self.scope()
        changes = self.model.changes()
        while True:
            try:
                result = entry.save_sheet(self.env.ctx, form, territory, period, changes)
                break
            except ValueConflictError as exc:  # someone saved other values meanwhile: the user chooses
                changes = resolve_conflicts(self, exc, changes)
                if changes is None:
                    self.show_problem(exc.message)
                    return False
            except SocPlanError as exc:
                self.show_problem(exc.message)
                return False
        self.model.set_sheet(entry.load_sheet(self.env.ctx, form, territory, period))
        self._update_state()
        self._update_remarks()
        lines = [f"Сохранено значений: {result.changed}."]
        for v in result.violations:
            lines.append(entry.describe_violation(v))
        if result.errors:
            lines.append("Ошибки контрольных соотношений не дадут представить форму — исправьте значения.")
        self.message.setPlainText("\n".join(lines))
        return True

    def change_state(self, target: FormState) -> None:
        if self.model is not None and self.model.is_dirty() and not self.save():
            return
        form, territory, period = self.scope()
        reason = ""
        if target is FormState.DRAFT:
            reason, ok = QInputDialog.getText(self, "Снятие отметки «принято»",
                                              "Причина (будет записана в журнал изменений):")
            if not ok:
                return
        try:
            new = entry.set_state(self.env.ctx, form, territory, period, target, reason)
        except ValidationError as exc:
            if exc.field == "reason" and target is FormState.SUBMITTED:
                reason, ok = QInputDialog.getMultiLineText(self, "Пояснение", exc.message)
                if ok and reason.strip():
                    try:
                        new = entry.set_state(self.env.ctx, form, territory, period, target, reason)
                    except SocPlanError as again:
                        self.show_problem(again.message)
                        return
                else:
                    return
            else:
                self.show_problem(exc.message)
                return
        except SocPlanError as exc:
            self.show_problem(exc.message)
            return
        self.reload()
        self.message.setPlainText(f"Состояние формы: {new.label}.")

    def show_problem(self, text: str) -> None:
        self.message.setPlainText(text)
        self.message.setStyleSheet("color: #b00020;")

    # ------------------------------------------------------------ history, Excel, report
    def _context_menu(self, pos) -> None:  # noqa: ANN001
        self.context_menu().exec(self.table.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The current cell's menu: history, card and, on a cell with the Ministry's remark, «учтено»."""
        menu = QMenu(self)
        menu.addAction("История ячейки", self.show_history)
        menu.addAction("Карточка показателя", self.show_card)
        cell_remarks.add_menu_actions(self, menu)
        return menu

    def current_cell(self) -> tuple[str, str, str] | None:
        index = self.table.currentIndex()
        if self.model is None or not index.isValid():
            return None
        row = self.model.sheet_row(index.row())
        kind = {COL_PLAN: "plan", COL_FACT: "fact", COL_COMMENT: "comment"}.get(index.column(), "fact")
        return row.indicator.code, row.component, kind

    def show_history(self) -> None:
        from socplan.ui.indicators.card import HistoryDialog

        cell = self.current_cell()
        if cell is None:
            return
        form, territory, period = self.scope()
        rows = entry.cell_history(self.env.ctx, form, territory, period, *cell)
        HistoryDialog(rows, f"Стр. {cell[0]} {cell[1]} — {COLUMNS[{'plan': 3, 'fact': 4, 'comment': 7}[cell[2]]]}",
                      self).exec()

    def show_card(self) -> None:
        from socplan.ui.indicators.card import IndicatorCard

        cell = self.current_cell()
        if cell is None:
            return
        form, territory, _period = self.scope()
        IndicatorCard(self.env, form, cell[0], territory, self).exec()

    def export_template(self) -> None:
        form, territory, period = self.scope()
        name = f"{form} {self.territory_combo.currentText()} {period.code}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Шаблон Excel", str(Path.home() / name), "Книга Excel (*.xlsx)")
        if not path:
            return
        from socplan.services.indicators.excel import export_template

        self.env.runner.run("Выгрузка шаблона Excel",
                            lambda p, c: export_template(self.env.ctx, form, territory, period, Path(path)),
                            lambda info: self.message.setPlainText(f"Шаблон записан: {info['path']}"))

    def import_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Загрузить заполненный шаблон", str(Path.home()),
                                              "Книга Excel (*.xlsx)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        from socplan.domain.errors import ImportFileError
        from socplan.services.indicators.excel import import_template

        form, territory, period = self.scope()

        def done(result: dict) -> None:
            self.model.set_sheet(entry.load_sheet(self.env.ctx, form, territory, period))
            self._update_state()
            self._update_remarks()
            self.message.setPlainText(f"Загружено из «{path.name}»: изменено значений {result['changed']}.")

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportFileError):
                self.show_problem(exc.message + ("\n" + "\n".join(exc.problems) if exc.problems else ""))
            elif isinstance(exc, SocPlanError):
                self.show_problem(exc.message)
            else:
                raise exc

        self.env.runner.run("Загрузка шаблона Excel",
                            lambda p, c: import_template(self.env.ctx, path, expected_form=form,
                                                         expected_territory=territory, expected_period=period,
                                                         progress=p, cancelled=c), done, failed)

    def report(self) -> None:
        from socplan.services.indicators.report import achievement_report

        form, territory, period = self.scope()

        def show(built) -> None:  # noqa: ANN001
            from socplan.ui.reports.preview import show_report_preview

            show_report_preview(self.env, built.pdf, built.title, built.file_name)

        self.env.runner.run("Отчёт о достижении значений показателей",
                            lambda p, c: achievement_report(self.env.ctx, form, territory, period), show)


__all__ = ["EntryView", "EntryTable", "COL_NAME"]
