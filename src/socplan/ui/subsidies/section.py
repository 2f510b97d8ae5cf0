"""«Субсидии»: selection rounds of Appendices 12 and 13 — rounds list, the round's screen, dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.domain.subsidies.app12 import Application12
from socplan.domain.subsidies.app13 import Application13
from socplan.formatting import format_number
from socplan.services import reference
from socplan.services.subsidies import rounds as svc
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.env import UiEnv
from socplan.ui.subsidies.dialogs import ROUND_FIELDS, parse_round, round_values
from socplan.ui.subsidies.round_view import RoundView

ROUND_COLUMNS = [Column("Год", lambda r: str(r.year), 50), Column("Порядок", lambda r: "Прил. 12" if r.procedure == "app12" else "Прил. 13", 70),
                 Column("Объём, руб.", lambda r: format_number(r.budget, 2), 110, align_right=True),
                 Column("Заявок", lambda r: r.applications, 55, align_right=True)]


class SubsidiesSection(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.rounds = RecordListView(ROUND_COLUMNS, None, self, search_placeholder="Поиск отбора")
        self.view = RoundView(env, self)
        self.view.saved.connect(self.refresh)
        buttons = QVBoxLayout()
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        self.buttons = {}
        for box, key, text, slot in ((row1, "new", "Новый отбор", self.new_round), (row1, "edit", "Свойства", self.edit_round),
                                     (row1, "delete", "Удалить", self.delete_round),
                                     (row2, "add_app", "Добавить заявку", self.add_application),
                                     (row2, "del_app", "Удалить заявку", self.delete_application),
                                     (row2, "import", "Импорт…", self.import_file)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            box.addWidget(button)
            self.buttons[key] = button
        self.buttons["add_app"].setShortcut(QKeySequence("Ctrl+Ins"))
        buttons.addLayout(row1)
        buttons.addLayout(row2)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.rounds, 1)
        left_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setStretchFactor(1, 4)
        split.setSizes([330, 1100])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.rounds.current_changed.connect(self._round_selected)
        self.refresh()
        if self.rounds.visible_rows():
            self.rounds.select_where(lambda r: True)

    # ---------------------------------------------------------------- rounds
    def refresh(self) -> None:
        current = self.rounds.current_row()
        self.rounds.set_rows(svc.list_rounds(self.env.ctx))
        if current is not None:
            self.rounds.select_where(lambda r: r.id == current.id)

    def _round_selected(self, row) -> None:  # noqa: ANN001
        if self.view.detail is not None and row is not None and row.id == self.view.detail.row.id:
            return
        if self.view.has_unsaved_changes():
            answer = QMessageBox.question(self, "СоцПлан", "В заявках есть несохранённые изменения. Сохранить их?",
                                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard)
            if answer == QMessageBox.StandardButton.Save:
                self.view.save()
        self.view.load(row.id if row is not None else None)

    def new_round(self) -> FormDialog:
        dialog = FormDialog("Новый отбор", ROUND_FIELDS, round_values(None),
                            lambda v: svc.save_round(self.env.ctx, parse_round(v)), self)
        if dialog.exec():
            self.refresh()
            self.rounds.select_where(lambda r: r.id == dialog.result_value.id)
        return dialog

    def edit_round(self) -> FormDialog | None:
        if self.view.detail is None:
            return None
        rid = self.view.detail.row.id
        dialog = FormDialog("Свойства отбора", ROUND_FIELDS, round_values(self.view.detail.data),
                            lambda v: svc.save_round(self.env.ctx, parse_round(v), rid), self)
        if dialog.exec():
            self.refresh()
            self.view.load(rid)
        return dialog

    def delete_round(self) -> None:
        row = self.rounds.current_row()
        if row is None:
            return
        if QMessageBox.question(self, "Удаление", f"Удалить отбор {row.year} года ({row.procedure_label}) со всеми "
                                f"заявками ({row.applications})?") != QMessageBox.StandardButton.Yes:
            return
        svc.delete_round(self.env.ctx, row.id)
        self.view.load(None)
        self.refresh()

    # ---------------------------------------------------------------- applications
    def add_application(self) -> FormDialog | None:
        detail = self.view.detail
        if detail is None:
            return None
        if self.view.has_unsaved_changes():
            QMessageBox.information(self, "СоцПлан", "Сначала сохраните или отмените изменения в заявках.")
            return None
        taken = {a.municipality for a in detail.applications}
        from socplan.domain.subsidies.app12 import ELIGIBLE_KINDS
        from socplan.domain.subsidies.common import MUNICIPAL_KINDS

        # who may apply is the rules' (App. 12 §2: municipal districts only), not the window's
        allowed = ELIGIBLE_KINDS if detail.row.procedure == "app12" else MUNICIPAL_KINDS
        choices = [(t.name, t.name) for t in reference.list_territories(self.env.ctx)
                   if t.kind in allowed and t.name not in taken]
        if not choices:
            QMessageBox.information(self, "СоцПлан", "Заявки есть от всех муниципальных образований.")
            return None
        fields = [FieldSpec("municipality", "Муниципальное образование", "choice", choices),
                  FieldSpec("received", "Дата поступления заявки", placeholder="ДД.ММ.ГГГГ")]

        def save(values):  # noqa: ANN001, ANN202
            from socplan.domain.subsidies.common import DocumentMark
            from socplan.formatting import parse_date

            received = parse_date(values.get("received") or "", field="received")
            docs = {"1": DocumentMark(True, received)} if received else {}
            cls = Application12 if detail.row.procedure == "app12" else Application13
            return svc.save_application(self.env.ctx, detail.row.id, cls(values["municipality"], documents=docs),
                                        limit_rate=None, received_date=received)

        dialog = FormDialog("Новая заявка", fields, {}, save, self)
        if dialog.exec():
            self.view.load(detail.row.id)
            self.refresh()
        return dialog

    def delete_application(self) -> None:
        detail = self.view.detail
        index = self.view.grid.currentIndex()
        if detail is None or not index.isValid():
            return
        app = detail.applications[index.row()] if index.row() < len(detail.applications) else None
        if app is None or app.municipality != self.view.model.apps[index.row()].municipality:
            return
        if QMessageBox.question(self, "Удаление", f"Удалить заявку «{app.municipality}»?") != QMessageBox.StandardButton.Yes:
            return
        svc.delete_application(self.env.ctx, app.id)
        self.view.load(detail.row.id)
        self.refresh()

    def import_file(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Исходные данные отбора", "",
                                                  "Данные отбора (*.json *.xlsx);;Все файлы (*)")
            if not name:
                return
            path = Path(name)
        try:
            row = svc.import_file(self.env.ctx, path)
        except SocPlanError as exc:
            QMessageBox.warning(self, "СоцПлан", f"Файл не загружен, в базе ничего не изменено.\n\n{exc.message}")
            return
        self.refresh()
        self.rounds.select_where(lambda r: r.id == row.id)


def create_section(env: UiEnv) -> QWidget:
    return SubsidiesSection(env)
