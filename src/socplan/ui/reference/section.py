"""«Справочники»: territories, organisations, people, units — list, add, edit, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QPushButton, QTabWidget, QVBoxLayout, QWidget

from socplan.domain import reference as rules
from socplan.domain.errors import SocPlanError
from socplan.services import reference as svc
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv


@dataclass
class EntityUi:
    title: str  # tab title
    noun: str  # «организацию»
    columns: Sequence[Column]
    detail: Callable[[Any], str]
    load: Callable[[], list[Any]]
    fields: Callable[[], Sequence[FieldSpec]]
    values: Callable[[Any], dict[str, Any]]
    save: Callable[[dict[str, Any], int | None], Any]
    delete: Callable[[int], None]
    describe: Callable[[Any], str]


class EntityTab(QWidget):
    def __init__(self, env: UiEnv, ui: EntityUi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env, self.ui = env, ui
        self.list = RecordListView(ui.columns, ui.detail, self)
        self.add_button = QPushButton("Добавить", self)
        self.add_button.setShortcut(QKeySequence("Ins"))
        self.edit_button = QPushButton("Изменить", self)
        self.delete_button = QPushButton("Удалить", self)
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)
        for button in (self.add_button, self.edit_button, self.delete_button):
            self.list.toolbar_layout.addWidget(button)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.list.activated.connect(lambda _row: self.edit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.refresh()

    def refresh(self) -> None:
        self.list.set_rows(self.ui.load())

    def _dialog(self, title: str, values: dict[str, Any], record_id: int | None) -> FormDialog:
        return FormDialog(title, self.ui.fields(), values, lambda v: self.ui.save(v, record_id), self)

    def add(self) -> FormDialog:
        dialog = self._dialog(f"Новая запись: {self.ui.title.lower()}", {}, None)
        if dialog.exec():
            self.refresh()
            self.list.select_where(lambda r: r.id == dialog.result_value.id)
        return dialog

    def edit(self) -> FormDialog | None:
        row = self.list.current_row()
        if row is None:
            return None
        dialog = self._dialog(f"Изменение: {self.ui.describe(row)}", self.ui.values(row), row.id)
        if dialog.exec():
            self.refresh()
        return dialog

    def delete(self) -> None:
        row = self.list.current_row()
        if row is None:
            return
        answer = QMessageBox.question(self, "Удаление", f"Удалить {self.ui.noun} «{self.ui.describe(row)}»?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.ui.delete(row.id)
        except SocPlanError as exc:
            QMessageBox.warning(self, "Удаление невозможно", exc.message)
            return
        self.refresh()


def _none_choice(rows: list[Any], text: Callable[[Any], str]) -> list[tuple[Any, str]]:
    return [(None, "—")] + [(r.id, text(r)) for r in rows]


def build_entities(env: UiEnv) -> list[EntityUi]:
    ctx = env.ctx
    territory_kinds = list(rules.TERRITORY_KINDS.items())
    organisation_kinds = list(rules.ORGANISATION_KINDS.items())
    return [
        EntityUi(
            "Территории", "территорию",
            [Column("Наименование", lambda r: r.name, 380), Column("Вид", lambda r: r.kind_label, 180),
             Column("Входит в", lambda r: r.parent_name, 160), Column("ОКАТО", lambda r: r.okato)],
            lambda r: detail_html(r.name, [("Вид", r.kind_label), ("Входит в", r.parent_name), ("ОКАТО", r.okato)]),
            lambda: svc.list_territories(ctx),
            lambda: [FieldSpec("name", "Наименование"),
                     FieldSpec("kind", "Вид", "choice", territory_kinds),
                     FieldSpec("parent_id", "Входит в", "choice", _none_choice(svc.list_territories(ctx), lambda t: t.name)),
                     FieldSpec("okato", "Код ОКАТО", max_length=20)],
            lambda r: {"name": r.name, "kind": r.kind, "parent_id": r.parent_id, "okato": r.okato},
            lambda v, rid: svc.save_territory(ctx, rules.TerritoryInput(v["name"], v["kind"], v["okato"], v["parent_id"]), rid),
            lambda rid: svc.delete_territory(ctx, rid),
            lambda r: r.name,
        ),
        EntityUi(
            "Организации", "организацию",
            [Column("Сокращение", lambda r: r.short_name, 200), Column("Полное наименование", lambda r: r.full_name, 480),
             Column("Вид", lambda r: r.kind_label, 200), Column("Вышестоящая", lambda r: r.parent_short_name)],
            lambda r: detail_html(r.short_name, [("Полное наименование", r.full_name),
                                                 ("В документах", f"{r.full_name} (далее – {r.short_name})"),
                                                 ("Вид", r.kind_label), ("Вышестоящая", r.parent_short_name),
                                                 ("Территория", r.territory_name)]),
            lambda: svc.list_organisations(ctx),
            lambda: [FieldSpec("full_name", "Полное наименование", "multiline"),
                     FieldSpec("short_name", "Сокращение", placeholder="как в документах после «далее –», например Минтруд"),
                     FieldSpec("kind", "Вид", "choice", organisation_kinds),
                     FieldSpec("parent_id", "Вышестоящая", "choice",
                               _none_choice(svc.list_organisations(ctx), lambda o: o.short_name)),
                     FieldSpec("territory_id", "Территория", "choice",
                               _none_choice(svc.list_territories(ctx), lambda t: t.name))],
            lambda r: {"full_name": r.full_name, "short_name": r.short_name, "kind": r.kind,
                       "parent_id": r.parent_id, "territory_id": r.territory_id},
            lambda v, rid: svc.save_organisation(ctx, rules.OrganisationInput(
                v["full_name"], v["short_name"], v["kind"], v["parent_id"], v["territory_id"]), rid),
            lambda rid: svc.delete_organisation(ctx, rid),
            lambda r: r.short_name,
        ),
        EntityUi(
            "Сотрудники", "запись о сотруднике",
            [Column("ФИО", lambda r: r.full_name, 300), Column("Должность", lambda r: r.position, 420),
             Column("Организация", lambda r: r.organisation_short_name)],
            lambda r: detail_html(r.full_name, [("В подписи", r.initials_surname), ("Должность", r.position),
                                                ("Организация", r.organisation_short_name)]),
            lambda: svc.list_people(ctx),
            lambda: [FieldSpec("last_name", "Фамилия"), FieldSpec("first_name", "Имя"),
                     FieldSpec("middle_name", "Отчество"), FieldSpec("position", "Должность", "multiline"),
                     FieldSpec("organisation_id", "Организация", "choice",
                               _none_choice(svc.list_organisations(ctx), lambda o: o.short_name))],
            lambda r: {"last_name": r.last_name, "first_name": r.first_name, "middle_name": r.middle_name,
                       "position": r.position, "organisation_id": r.organisation_id},
            lambda v, rid: svc.save_person(ctx, rules.PersonInput(
                v["last_name"], v["first_name"], v["middle_name"], v["position"], v["organisation_id"]), rid),
            lambda rid: svc.delete_person(ctx, rid),
            lambda r: r.full_name,
        ),
        EntityUi(
            "Единицы измерения", "единицу измерения",
            [Column("Код ОКЕИ", lambda r: r.code, 90), Column("Наименование", lambda r: r.name, 300),
             Column("Обозначение", lambda r: r.short_name)],
            lambda r: detail_html(r.name, [("Код ОКЕИ", r.code), ("Обозначение", r.short_name)]),
            lambda: svc.list_units(ctx),
            lambda: [FieldSpec("code", "Код ОКЕИ", placeholder="три цифры, например 642", max_length=3),
                     FieldSpec("name", "Наименование"), FieldSpec("short_name", "Обозначение")],
            lambda r: {"code": r.code, "name": r.name, "short_name": r.short_name},
            lambda v, rid: svc.save_unit(ctx, rules.UnitInput(v["code"], v["name"], v["short_name"]), rid),
            lambda rid: svc.delete_unit(ctx, rid),
            lambda r: f"{r.code} {r.name}",
        ),
    ]


class ReferenceSection(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.entity_tabs: dict[str, EntityTab] = {}
        for entity in build_entities(env):
            tab = EntityTab(env, entity, self)
            self.entity_tabs[entity.title] = tab
            self.tabs.addTab(tab, entity.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        for tab in self.entity_tabs.values():
            tab.refresh()


def create_section(env: UiEnv) -> QWidget:
    return ReferenceSection(env)


