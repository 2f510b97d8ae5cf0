"""«Планы»: list of plans, the event tree with filters and deadline colouring, editing with undo,
approval and revisions, import, printing."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QInputDialog,
                               QLabel, QLineEdit, QMessageBox, QSplitter, QTextBrowser, QToolBar,
                               QTreeView, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.plans import PointStatus
from socplan.formatting import format_date, format_money, parse_date
from socplan.services.plans import deletion
from socplan.services.plans import plans as svc
from socplan.services.plans import reports
from socplan.services.plans.rows import EventRow, PlanRow
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv
from socplan.ui.plans.dialogs import PeriodDialog, event_dialog, event_input_from_row, plan_dialog
from socplan.ui.plans.import_dialog import ImportDialog
from socplan.ui.plans.models import EventFilterProxy, EventTreeModel
from socplan.ui.tasks import show_error

PLAN_COLUMNS = [
    Column("Наименование", lambda p: p.title, 330),
    Column("Период", lambda p: p.period_text, 110),
    Column("Статус", lambda p: p.status_label, 80),
    Column("Ред.", lambda p: p.revision, 40),
    Column("Мероприятий", lambda p: p.event_count, 80),
]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class _ServiceCommand(QUndoCommand):
    """An undoable edit: ``redo``/``undo`` call services; a failure is shown and the stack stays usable."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None], after: Callable[[], None],
                 parent_widget: QWidget) -> None:
        super().__init__(text)
        self._do, self._undo, self._after, self._w = do, undo, after, parent_widget

    def redo(self) -> None:
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, fn: Callable[[], None]) -> None:
        try:
            fn()
        except SocPlanError as exc:
            show_error(self._w, exc)
        self._after()


class PlansTab(QWidget):
    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.undo = QUndoStack(self)
        self.plans = RecordListView(PLAN_COLUMNS, self._plan_html, self, search_placeholder="Поиск плана")
        self.plans.current_changed.connect(lambda _r: self.load_events())
        self.model = EventTreeModel(self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView(self)
        self.tree.setModel(self.proxy)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setIndentation(14)
        for i, w in enumerate((95, 380, 200, 200, 170, 220, 95, 140)):
            self.tree.setColumnWidth(i, w)
        self.tree.doubleClicked.connect(lambda _i: self.edit_event())
        self.tree.selectionModel().currentRowChanged.connect(self._show_event)
        self.detail = QTextBrowser(self)
        self.detail.setMaximumHeight(150)

        self.f_executor = QComboBox(self)
        self.f_executor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.f_executor.setMinimumContentsLength(14)
        self.f_executor.setMaximumWidth(300)
        self.f_status = QComboBox(self)
        self.f_status.addItem("Любой статус", "")
        for st in PointStatus:
            self.f_status.addItem(st.label, st.value)
        self.f_overdue = QCheckBox("Только просроченные", self)
        self.f_from = QLineEdit(self)
        self.f_to = QLineEdit(self)
        for w, ph in ((self.f_from, "срок с ДД.ММ.ГГГГ"), (self.f_to, "по ДД.ММ.ГГГГ")):
            w.setPlaceholderText(ph)
            w.setFixedWidth(130)
        self.f_search = QLineEdit(self)
        self.f_search.setPlaceholderText("Поиск мероприятия")
        for signal in (self.f_executor.currentIndexChanged, self.f_status.currentIndexChanged,
                       self.f_overdue.toggled, self.f_from.editingFinished, self.f_to.editingFinished,
                       self.f_search.textChanged):
            signal.connect(self.apply_filters)
        self.filter_error = QLabel(self)
        self.filter_error.setStyleSheet("color: #b00020;")

        bar = QToolBar(self)
        actions = [
            ("Новый план", self.new_plan, "Ctrl+Shift+N"), ("Реквизиты", self.edit_plan, ""),
            ("Импорт…", self.import_plan, "Ctrl+I"), ("Утвердить", lambda: self.set_status("approved"), ""),
            ("Новая редакция", self.new_revision, ""), ("Сравнить с предыдущей", self.show_diff, ""),
            ("Исполнен", lambda: self.set_status("executed"), ""), ("В архив", lambda: self.set_status("archived"), ""),
            ("Печать плана", self.print_plan, "Ctrl+P"), ("Ход реализации…", self.execution_report, "Ctrl+R"),
        ]
        for text, fn, key in actions:
            act = bar.addAction(text, fn)
            if key:
                act.setShortcut(QKeySequence(key))
        ebar = QToolBar(self)
        for text, fn, key in [
            ("Добавить", self.add_event, "Ins"), ("Подпункт", lambda: self.add_event(child=True), "Ctrl+Ins"),
            ("Изменить", self.edit_event, "F2"), ("Удалить", self.delete_event, "Del"),
            ("Выше", lambda: self.move(-1), "Ctrl+Up"), ("Ниже", lambda: self.move(1), "Ctrl+Down"),
            ("Уровнем выше", self.outdent, "Ctrl+Left"), ("Дата события…", self.set_anchor, ""),
        ]:
            act = ebar.addAction(text, fn)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(act)  # the keys work while the focus is anywhere in the tab (the tree included)
        undo_act = self.undo.createUndoAction(self, "Отменить")
        undo_act.setShortcut(QKeySequence.StandardKey.Undo)
        redo_act = self.undo.createRedoAction(self, "Повторить")
        redo_act.setShortcut(QKeySequence.StandardKey.Redo)
        for act in (undo_act, redo_act):
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            ebar.addAction(act)
            self.addAction(act)

        filters = QHBoxLayout()
        for w in (QLabel("Исполнитель:", self), self.f_executor, self.f_status, self.f_overdue, self.f_from,
                  self.f_to, self.f_search):
            filters.addWidget(w)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(ebar)
        rl.addLayout(filters)
        rl.addWidget(self.filter_error)
        rl.addWidget(self.tree, 1)
        rl.addWidget(self.detail)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.plans)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        # the plan list keeps a readable width (names, not letters) on a 1280 px screen
        self.plans.setMinimumWidth(240)
        split.setChildrenCollapsible(False)
        split.setSizes([300, 1000])
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+Shift+F"), self, activated=self.f_search.setFocus)
        self.reload()

    # ---------------------------------------------------------------- data
    def current_plan(self) -> PlanRow | None:
        return self.plans.current_row()

    def current_event(self) -> EventRow | None:
        return self.model.row_of(self.proxy.mapToSource(self.tree.currentIndex()))

    def reload(self, select_plan: int | None = None) -> None:
        current = select_plan or (self.current_plan().id if self.current_plan() else None)
        self._plan_of_events: object = ...  # the plan whose events the tree shows: none read yet
        self.plans.set_rows(svc.list_plans(self.env.ctx))
        if current is not None:
            self.plans.select_where(lambda p: p.id == current)
        elif self.plans.model.rowCount():
            self.plans.table.selectRow(0)
        plan = self.current_plan()
        if self._plan_of_events != (plan.id if plan else None):  # the selection did not read them already
            self.load_events()

    def load_events(self, select_event: int | None = None) -> None:
        plan = self.current_plan()
        self._plan_of_events = plan.id if plan else None
        keep = select_event or (self.current_event().id if self.current_event() else None)
        rows = svc.list_events(self.env.ctx, plan.id) if plan else []
        self.model.set_rows(rows)
        names = sorted({n for r in rows for n in (*r.executors, *r.controllers)})
        current = self.f_executor.currentData()
        self.f_executor.blockSignals(True)
        self.f_executor.clear()
        self.f_executor.addItem("Все", "")
        for n in names:
            self.f_executor.addItem(n, n)
        self.f_executor.setCurrentIndex(max(0, self.f_executor.findData(current)))
        self.f_executor.blockSignals(False)
        self.apply_filters()
        self.tree.expandAll()
        if keep:
            idx = self.proxy.mapFromSource(self.model.index_of_event(keep))
            if idx.isValid():
                self.tree.setCurrentIndex(idx)
        if not self.tree.currentIndex().isValid():
            self.detail.clear()  # the event shown is gone (deleted) or the plan changed

    def apply_filters(self) -> None:
        try:
            d1 = parse_date(self.f_from.text(), field="from") if self.f_from.text().strip() else None
            d2 = parse_date(self.f_to.text(), field="to") if self.f_to.text().strip() else None
        except SocPlanError as exc:
            self.filter_error.setText(exc.message)
            return
        self.filter_error.setText("")
        self.proxy.set_filters(executor=self.f_executor.currentData() or "", status=self.f_status.currentData() or "",
                               overdue_only=self.f_overdue.isChecked(), due_from=d1, due_to=d2,
                               search=self.f_search.text())
        self.tree.expandAll()

    def _plan_html(self, p: PlanRow) -> str:
        return detail_html(p.title, [("Вид", p.kind_label), ("Период", p.period_text), ("Статус", p.status_label),
                                     ("Редакция", p.revision), ("Организация", p.owner_short_name),
                                     ("Утверждён", f"{p.approval_position} {p.approval_name} "
                                                   f"{format_date(p.approval_date)}".strip())])

    def _show_event(self, current: QModelIndex, _prev: QModelIndex) -> None:
        r = self.model.row_of(self.proxy.mapToSource(current))
        if r is None:
            self.detail.clear()
            return
        fields = [("Срок", f"{r.deadline_text} — {r.deadline_description}"), ("Исполнители", r.executors_display),
                  ("Ближайший срок", format_date(r.next_due)), ("Статус", r.status_label)]
        if r.needs_anchor:
            fields.append(("Дата события для отсчёта срока", format_date(r.anchor_date) or "не указана"))
        for f in r.financing:
            if f.year is None:
                fields.append((f"Финансирование: {f.source or 'всего'}", format_money(f.amount) + " руб."))
        for res in r.results:
            fields.append((f"Результат ({res.unit})", "; ".join(f"{y}: {v}" for y, v in res.values)))
        self.detail.setHtml(detail_html(f"{r.number} {r.text}", fields))

    def _guard(self, fn: Callable[[], object]) -> object:
        try:
            return fn()
        except SocPlanError as exc:
            show_error(self, exc)
            return None

    # ---------------------------------------------------------------- plans
    def new_plan(self) -> None:
        dialog = plan_dialog(self.env, None, lambda data: svc.create_plan(self.env.ctx, data))
        if dialog.exec():
            self.reload(dialog.result_value.id)

    def edit_plan(self) -> None:
        p = self.current_plan()
        if p is None:
            return
        dialog = plan_dialog(self.env, p, lambda data: svc.update_plan(self.env.ctx, p.id, data))
        if dialog.exec():
            self.reload(p.id)

    def import_plan(self) -> None:
        dialog = ImportDialog(self.env)
        if dialog.exec() and dialog.result_row is not None:
            self.reload(dialog.result_row.id)

    def set_status(self, status: str) -> None:
        p = self.current_plan()
        if p is None:
            return
        if self._guard(lambda: svc.set_plan_status(self.env.ctx, p.id, status)) is not None:
            self.undo.clear()
            self.reload(p.id)

    def new_revision(self) -> None:
        p = self.current_plan()
        if p is not None:
            row = self._guard(lambda: svc.create_revision(self.env.ctx, p.id))
            if row is not None:
                self.reload(row.id)

    def show_diff(self) -> None:
        p = self.current_plan()
        if p is None or p.previous_id is None:
            QMessageBox.information(self, "Сравнение редакций", "У этого плана нет предыдущей редакции.")
            return
        changes = svc.revision_diff(self.env.ctx, p.previous_id, p.id)
        rows = "".join(f"<tr><td>{c.number}</td><td>{c.change}</td><td>{c.field}</td><td>{c.old}</td>"
                       f"<td>{c.new}</td></tr>" for c in changes) or "<tr><td colspan=5>Изменений нет</td></tr>"
        box = QMessageBox(self)
        box.setWindowTitle(f"Изменения в редакции {p.revision}")
        box.setText(f"<table border=1 cellspacing=0 cellpadding=3><tr><th>№</th><th>Изменение</th><th>Поле</th>"
                    f"<th>Было</th><th>Стало</th></tr>{rows}</table>")
        box.exec()

    def print_plan(self) -> None:
        p = self.current_plan()
        if p is None:
            return
        self.env.runner.run("Печать плана", lambda progress, cancelled: reports.plan_document(self.env.ctx, p.id),
                            self._preview)

    def execution_report(self) -> None:
        p = self.current_plan()
        if p is None:
            return
        dialog = PeriodDialog(self, p)
        if not dialog.exec():
            return
        start, end = dialog.period()
        want_xlsx = dialog.xlsx.isChecked()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            return reports.execution_report(self.env.ctx, p.id, start, end, with_xlsx=want_xlsx,
                                            progress=progress, cancelled=cancelled)

        def done(result) -> None:  # noqa: ANN001
            if result.xlsx:
                name, _ = QFileDialog.getSaveFileName(self, "Сохранить в Excel", result.file_stem + ".xlsx",
                                                      "Книга Excel (*.xlsx)")
                if name:
                    from socplan.atomic import save_failed, write_bytes

                    try:
                        write_bytes(name, result.xlsx)  # whole or not at all
                    except OSError as exc:
                        QMessageBox.warning(self, "СоцПлан", save_failed(name, exc))
            self._preview(result)

        self.env.runner.run("Информация о ходе реализации плана", work, done)

    def _preview(self, result) -> None:  # noqa: ANN001
        from socplan.ui.reports.preview import show_report_preview

        show_report_preview(self.env, result.pdf, result.title, result.file_stem + ".pdf")

    # ---------------------------------------------------------------- events (undoable)
    def _push(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        self.undo.push(_ServiceCommand(text, do, undo, self.load_events, self))

    def add_event(self, child: bool = False) -> None:
        p = self.current_plan()
        if p is None:
            return
        cur = self.current_event()
        parent_id = cur.id if child and cur else (cur.parent_id if cur else None)
        dialog = event_dialog(self.env, None, lambda data: svc.add_event(self.env.ctx, p.id, data, parent_id))
        if dialog.exec():
            created: list[int] = [dialog.result_value.id]
            data = event_input_from_row(dialog.result_value)

            def redo() -> None:
                if created[0] is None:
                    created[0] = svc.add_event(self.env.ctx, p.id, data, parent_id).id

            def undo() -> None:
                deletion.delete_event(self.env.ctx, created[0])
                created[0] = None

            self._push("Добавление мероприятия", redo, undo)

    def edit_event(self) -> None:
        r = self.current_event()
        if r is None:
            return
        old = event_input_from_row(r)
        dialog = event_dialog(self.env, r, lambda data: svc.update_event(self.env.ctx, r.id, data,
                                                                         seen_version=r.version))
        if dialog.exec():
            new = event_input_from_row(dialog.result_value)
            first = [True]

            def redo() -> None:
                if first[0]:
                    first[0] = False
                    return
                svc.update_event(self.env.ctx, r.id, new)

            self._push(f"Изменение мероприятия {r.number}", redo, lambda: svc.update_event(self.env.ctx, r.id, old))

    def confirm_delete(self, r: EventRow) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Удаление мероприятия",
                          f"Удалить мероприятие {r.number} «{_short(r.text.rstrip(':;, '))}» и все его подпункты?", parent=self)
        box.setInformativeText("Удаление можно отменить: «Отменить» (Ctrl+Z).")
        yes = box.addButton("Удалить", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    def delete_event(self) -> None:
        r = self.current_event()
        if r is None or not self.confirm_delete(r):
            return
        snapshot = self._guard(lambda: deletion.delete_event(self.env.ctx, r.id))
        if snapshot is None:  # refused (an approved plan is frozen): the message was shown
            return
        state = {"snapshot": snapshot, "id": r.id, "first": True}

        def redo() -> None:
            if state["first"]:
                state["first"] = False
                return
            state["snapshot"] = deletion.delete_event(self.env.ctx, state["id"])

        def undo() -> None:
            state["id"] = deletion.restore_events(self.env.ctx, state["snapshot"]).root_id
            self.load_events(state["id"])  # the restored event becomes the current one

        self._push(f"Удаление мероприятия {r.number}", redo, undo)

    def _siblings(self, r: EventRow) -> list[EventRow]:
        return [x for x in self.model.rows() if x.parent_id == r.parent_id]

    def move(self, delta: int) -> None:
        r = self.current_event()
        if r is None:
            return
        sibs = self._siblings(r)
        pos = next(i for i, x in enumerate(sibs) if x.id == r.id)
        new = pos + delta
        if not 0 <= new < len(sibs):
            return
        self._push(f"Перемещение мероприятия {r.number}",
                   lambda: svc.move_event(self.env.ctx, r.id, r.parent_id, new),
                   lambda: svc.move_event(self.env.ctx, r.id, r.parent_id, pos))

    def outdent(self) -> None:
        r = self.current_event()
        if r is None or r.parent_id is None:
            return
        parent = next(x for x in self.model.rows() if x.id == r.parent_id)
        pos = next(i for i, x in enumerate(self._siblings(r)) if x.id == r.id)
        ppos = next(i for i, x in enumerate(self._siblings(parent)) if x.id == parent.id)
        self._push(f"Перемещение мероприятия {r.number} уровнем выше",
                   lambda: svc.move_event(self.env.ctx, r.id, parent.parent_id, ppos + 1),
                   lambda: svc.move_event(self.env.ctx, r.id, parent.id, pos))

    def set_anchor(self) -> None:
        r = self.current_event()
        if r is None:
            return
        if not r.needs_anchor:
            QMessageBox.information(self, "Дата события", "У этого мероприятия срок не отсчитывается от события.")
            return
        text, ok = QInputDialog.getText(self, "Дата события",
                                        f"Дата события «{r.deadline_text}» (ДД.ММ.ГГГГ):",
                                        text=format_date(r.anchor_date) or format_date(dt.date.today()))
        if ok:
            self._guard(lambda: svc.set_anchor_date(self.env.ctx, r.id,
                                                    parse_date(text, field="anchor") if text.strip() else None))
            self.load_events(r.id)
            self._warn_after_period(r.id, r.plan_id)

    def _warn_after_period(self, event_id: int, plan_id: int) -> None:
        """A relative deadline that ends after the plan's period is kept — and the user is told so."""
        from socplan.services.plans.control import undetermined_deadlines

        late = [u for u in undetermined_deadlines(self.env.ctx, plan_id=plan_id)
                if u.event_id == event_id and u.due_date is not None]
        if late:
            QMessageBox.warning(self, "Срок после окончания плана", f"Мероприятие {late[0].event_number}: "
                                f"{late[0].message}. Контрольная точка сохранена.")
