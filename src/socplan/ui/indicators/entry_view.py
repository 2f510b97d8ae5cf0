"""«Ввод значений»: the entry grid for one form, territory and period, with states, Excel and the report."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMenu,
                               QPushButton, QSizePolicy, QSpinBox, QTextBrowser, QToolBar, QVBoxLayout, QWidget)

from socplan.domain.conflicts import ValueConflictError
from socplan.domain.errors import SocPlanError, ValidationError
from socplan.domain.indicators import MONTHS, ROMAN, FormState, Period
from socplan.domain.roles import Action
from socplan.services.indicators import catalogue, entry
from socplan.services.indicators.entry import Sheet
from socplan.services.permissions import can
from socplan.services.reference import list_territories
from socplan.ui.env import UiEnv
from socplan.ui.icons import decorate, icon
from socplan.ui.memory import last_folder, remember_folder
from socplan.ui.indicators import cell_remarks
from socplan.ui.indicators.conflict_dialog import resolve_conflicts
from socplan.ui.tasks import show_error
from socplan.ui.indicators.entry_selection import EntrySelectionMixin
from socplan.ui.indicators.entry_table import EntryTable
from socplan.ui.indicators.grid_model import COL_COMMENT, COL_FACT, COL_NAME, COL_PLAN, COLUMNS, EntryGridModel


class EntryView(EntrySelectionMixin, QWidget):
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
        self.year.setKeyboardTracking(False)  # the grid follows the year when it is typed in full
        self.kind_combo = QComboBox(self)
        for code, label in (("year", "год"), ("quarter", "квартал"), ("month", "месяц")):
            self.kind_combo.addItem(label, code)
        self.number_combo = QComboBox(self)
        self.kind_combo.currentIndexChanged.connect(self._fill_numbers)
        self._fill_numbers()
        self.open_button = QPushButton("Обновить", self)
        self.open_button.setToolTip("Перечитать форму из базы данных (F5). Таблица и так следует за выбором "
                                    "формы, территории и периода.")
        top = QHBoxLayout()
        for label, widget in (("Форма:", self.form_combo), ("Территория:", self.territory_combo), ("Год:", self.year),
                              ("Период:", self.kind_combo)):
            top.addWidget(QLabel(label, self))
            top.addWidget(widget)
        top.addWidget(self.number_combo)
        top.addWidget(self.open_button)
        top.addStretch(1)

        self.state_label = QLabel(self)
        # actions (not buttons) in a tool bar: when the window is narrow the rest goes to the «››» menu, and the
        # main window's «Действия» menu lists them with their keys
        self.toolbar = QToolBar(self)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        def action(text: str, shortcut: str | QKeySequence.StandardKey = "", tip: str = "") -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(act)
            if tip:
                act.setToolTip(tip)
            self.toolbar.addAction(act)
            return decorate(act)

        self.save_button = action("Сохранить", QKeySequence.StandardKey.Save, "Сохранить введённые значения")
        self.submit_button = action("Представить", "", "Представить форму в Министерство")
        self.accept_button = action("Принять", "", "Принять представленную форму")
        self.unlock_button = action("Снять «принято»…", "", "Снять отметку «принято» (причина — в журнал)")
        self.history_button = action("История ячейки", "Ctrl+H", "Кто и когда менял значение текущей ячейки")
        self.export_button = action("Шаблон Excel…", "Ctrl+Shift+E", "Выгрузить форму в Excel для заполнения")
        self.import_button = action("Загрузить из Excel…", "Ctrl+Shift+I", "Загрузить заполненный шаблон Excel")
        self.report_button = action("Отчёт о достижении…", "Ctrl+P", "Отчёт о достижении значений показателей")
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
        self.table.on_pasted = self._pasted
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
        from socplan.ui.indicators.blockers_panel import BlockersPanel

        self.blockers = BlockersPanel(env, self)  # «Что мешает представлению», with a field to explain a ratio
        layout.addWidget(self.blockers)
        self.blockers.explained.connect(lambda: (self.message.setStyleSheet(""), self.message.setPlainText(
            "Пояснение сохранено; список «Что мешает представлению» обновлён.")))

        self.open_button.clicked.connect(self.reload)
        self.open_button.setIcon(icon("refresh"))
        #: the (form, territory, period) shown in the grid; a changed selection reloads at once
        self._shown: tuple | None = None
        self._following = True
        for signal in (self.form_combo.currentIndexChanged, self.territory_combo.currentIndexChanged,
                       self.kind_combo.currentIndexChanged, self.number_combo.currentIndexChanged):
            signal.connect(self._selection_changed)
        self.year.valueChanged.connect(self._selection_changed)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, activated=self.reload)
        self.save_button.triggered.connect(self.save)
        self.submit_button.triggered.connect(lambda: self.change_state(FormState.SUBMITTED))
        self.accept_button.triggered.connect(lambda: self.change_state(FormState.ACCEPTED))
        self.unlock_button.triggered.connect(lambda: self.change_state(FormState.DRAFT))
        self.history_button.triggered.connect(self.show_history)
        self.export_button.triggered.connect(self.export_template)
        self.import_button.triggered.connect(self.import_template)
        self.report_button.triggered.connect(self.report)
        self.undo_action = QAction("Отменить", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda: self.model and self.model.undo_stack.undo())
        self.redo_action = QAction("Повторить", self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(lambda: self.model and self.model.undo_stack.redo())
        self.addActions([self.undo_action, self.redo_action])
        self._restore_choice()
        self.reload()

    def _fill_numbers(self) -> None:
        blocked = self.number_combo.blockSignals(True)  # the period kind's own change reloads once
        self.number_combo.clear()
        kind = self.kind_combo.currentData()
        if kind == "quarter":
            for n, roman in enumerate(ROMAN, start=1):
                self.number_combo.addItem(f"{roman} квартал", n)
        elif kind == "month":
            for n, month in enumerate(MONTHS, start=1):
                self.number_combo.addItem(month, n)
        self.number_combo.setVisible(kind != "year")
        self.number_combo.blockSignals(blocked)

    def period(self) -> Period:
        kind = self.kind_combo.currentData()
        return Period(self.year.value(), kind, 0 if kind == "year" else int(self.number_combo.currentData()))

    def select(self, form_code: str, territory: str, period: Period) -> None:
        self._following = False
        try:
            self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(form_code)))
            self.territory_combo.setCurrentIndex(max(0, self.territory_combo.findText(territory)))
            self.year.setValue(period.year)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind))
            if period.kind != "year":
                self.number_combo.setCurrentIndex(self.number_combo.findData(period.number))
        finally:
            self._following = True
        self.reload()

    def scope(self) -> tuple[str, int, Period]:
        return self.form_combo.currentData(), int(self.territory_combo.currentData()), self.period()

    # ------------------------------------------------------------ loading and saving
    def reload(self) -> None:
        if not self.ask_unsaved():
            if self._shown is not None:
                self._show_scope(self._shown)
            return
        form, territory, period = self.scope()
        self._shown = (form, territory, period)
        self._remember_choice(form, territory, period)
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
        elif sheet.state.locked:
            text += " (значения закрыты для изменений)"
        if self.model.is_dirty():
            text += " • есть несохранённые изменения"
        self.state_label.setText(text)
        editable = not sheet.read_only
        self.save_button.setEnabled(editable and self.model.is_dirty())
        ctx, here = self.env.ctx, sheet.territory_id  # the buttons mirror the services' permissions
        self.submit_button.setEnabled(editable and sheet.state in (FormState.DRAFT, FormState.RETURNED)
                                      and can(ctx, Action.SUBMIT_FORM, here))
        self.accept_button.setEnabled(not sheet.consolidated and sheet.state is FormState.SUBMITTED
                                      and can(ctx, Action.ACCEPT_FORM))
        asks = self._asks_reopen(sheet)
        self.unlock_button.setText("Запросить открытие…" if asks else "Снять «принято»…")
        self.unlock_button.setEnabled(not sheet.consolidated and (
            sheet.state is FormState.SUBMITTED and can(ctx, Action.RETURN_FORM)
            or sheet.state.locked and can(ctx, Action.DECIDE_REOPEN) or asks))
        self.export_button.setEnabled(not sheet.consolidated)
        self.import_button.setEnabled(editable)

    def _asks_reopen(self, sheet: Sheet) -> bool:
        """A district officer cannot open an accepted form: it asks the Ministry to (services/cycle/reopen.py)."""
        ctx = self.env.ctx
        return (sheet.state.locked and not can(ctx, Action.DECIDE_REOPEN)
                and can(ctx, Action.REQUEST_REOPEN, sheet.territory_id))

    def _update_remarks(self) -> None:
        cell_remarks.update_remarks(self)

    def _show_cell_remarks(self) -> None:
        cell_remarks.show_cell_remarks(self)

    def save(self) -> bool:
        if self._shown is None:
            return True
        return self._save_scope(*self._shown)

    def _save_scope(self, form: str, territory: int, period: Period) -> bool:
        """Save the values typed into the grid — for the form, territory and period the grid shows."""
        if self.model is None or not self.model.is_dirty():
            return True
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
        lines += result.quality  # values far from previous periods or other territories: a comment is needed
        if result.violations or result.quality:
            self.show_problem("\n".join(lines))
        else:
            self.show_info("\n".join(lines))
        self.env.notify(lines[0])
        return True

    def change_state(self, target: FormState) -> None:
        if self.model is not None and self.model.is_dirty() and not self.save():
            return
        form, territory, period = self.scope()
        reason = ""
        if target is FormState.DRAFT and self.model is not None and self._asks_reopen(self.model.sheet):
            reason, ok = QInputDialog.getText(self, "Запрос на открытие принятой формы",
                                              "Причина (её увидит Министерство):")
            if not ok:
                return
            try:
                from socplan.services.cycle.reopen import request_reopen

                request_reopen(self.env.ctx, form, territory, period, reason)
            except SocPlanError as exc:
                self.show_problem(exc.message)
                return
            self.message.setPlainText("Запрос на открытие формы направлен в Министерство. Форма откроется для "
                                      "исправления, когда запрос будет разрешён.")
            return
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
            if target is FormState.SUBMITTED:
                self.blockers.show_for(form, territory, period)  # the same list, with a field to explain a ratio
            return
        self.blockers.hide()
        self.reload()
        self.show_info(f"Состояние формы: {new.label}.")
        self.env.notify(f"Состояние формы: {new.label}.")

    def _pasted(self, count: int, refused: list[str]) -> None:
        text = f"Вставлено значений: {count}. Отменить всю вставку — Ctrl+Z."
        self.env.notify(text)
        if refused:
            self.show_problem(text + "\nНе вставлено:\n" + "\n".join(refused[:15]))
        else:
            self.show_info(text)

    def show_info(self, text: str) -> None:
        self.message.setPlainText(text)
        self.message.setStyleSheet("")

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
        path, _ = QFileDialog.getSaveFileName(self, "Шаблон Excel", str(Path(last_folder(self.env, "excel")) / name),
                                              "Книга Excel (*.xlsx)")
        if not path:
            return
        remember_folder(self.env, "excel", path)
        from socplan.services.indicators.excel import export_template

        self.env.runner.run("Выгрузка шаблона Excel",
                            lambda p, c: export_template(self.env.ctx, form, territory, period, Path(path)),
                            lambda info: (self.show_info(f"Шаблон записан: {info['path']}"),
                                          self.env.notify(f"Шаблон записан: {info['path']}")))

    def import_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Загрузить заполненный шаблон", last_folder(self.env, "excel"),
                                              "Книга Excel (*.xlsx)")
        if path:
            remember_folder(self.env, "excel", path)
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        from socplan.domain.errors import ImportFileError
        from socplan.services.indicators.excel import import_template

        form, territory, period = self.scope()

        def done(result: dict) -> None:
            self.model.set_sheet(entry.load_sheet(self.env.ctx, form, territory, period))
            self._update_state()
            self._update_remarks()
            self.show_info(f"Загружено из «{path.name}»: изменено значений {result['changed']}.")
            self.env.notify(f"Загружено из «{path.name}»: изменено значений {result['changed']}.")

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
