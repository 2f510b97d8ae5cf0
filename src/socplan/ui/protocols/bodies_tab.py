"""Collegial bodies with their statute settings and membership over time."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QSplitter, QVBoxLayout, QWidget

from socplan.domain import protocols as rules
from socplan.domain.errors import SocPlanError
from socplan.formatting import format_date, parse_date
from socplan.services.protocols import bodies, meetings
from socplan.services.protocols.rows import BodyRow, MemberRow
from socplan.ui.common.form import FieldSpec, FormDialog
from socplan.ui.common.table import Column, RecordListView
from socplan.ui.tasks import show_error

BODY_COLUMNS = [
    Column("Орган", lambda r: r.display_short, 220),
    Column("Вид", lambda r: r.kind_label, 130),
    Column("Создан", lambda r: r.founded, 90),
]
MEMBER_COLUMNS = [
    Column("ФИО", lambda r: r.full_name, 230),
    Column("Роль", lambda r: r.role_label, 170),
    Column("Должность", lambda r: r.position, 360),
    Column("с", lambda r: r.date_from, 85),
    Column("по", lambda r: r.date_to, 85),
]
SHARES = {"1/2": rules.QuorumRule(1, 2), ">1/2": rules.QuorumRule(1, 2, True), "2/3": rules.QuorumRule(2, 3)}
SHARE_CHOICES = [("1/2", "не менее половины"), (">1/2", "более половины"), ("2/3", "не менее двух третей")]
YES_NO = [(True, "да"), (False, "нет")]


def _share_key(numerator: int, denominator: int, strict: bool) -> str:
    return ">1/2" if strict else f"{numerator}/{denominator}"


def body_html(b: BodyRow) -> str:
    return (f"<p style='font-size:11pt'>{escape(b.name)}</p><p><b>Вид:</b> {escape(b.kind_label)}<br>"
            f"<b>Создан:</b> {format_date(b.founded) or 'дата не указана'}<br>"
            f"<b>Кворум:</b> {escape(b.quorum_rule.describe())}<br><b>Решение:</b> {escape(b.decision_rule.describe())}"
            f"<br><b>Протокол подписывают:</b> председательствующий{' и секретарь' if b.secretary_signs else ''}</p>"
            f"<p>{escape(b.statute)}</p>")


class BodiesTab(QWidget):
    bodies_changed = Signal()

    def __init__(self, env, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.env = env
        self.bodies = RecordListView(BODY_COLUMNS, body_html, parent=self)
        self.members = RecordListView(MEMBER_COLUMNS, parent=self)
        self.count = QLabel(self)
        left_bar = QHBoxLayout()
        for text, slot in (("Добавить орган…", self.add_body), ("Изменить…", self.edit_body)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            left_bar.addWidget(button)
        left_bar.addStretch(1)
        right_bar = QHBoxLayout()
        right_bar.addWidget(self.count, 1)
        for text, slot in (("Включить в состав…", self.add_member), ("Изменить…", self.edit_member),
                           ("Удалить запись", self.delete_member)):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            right_bar.addWidget(button)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(left_bar)
        ll.addWidget(self.bodies)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addLayout(right_bar)
        rl.addWidget(self.members)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 870])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.bodies.current_changed.connect(lambda _r: self._load_members())
        self.members.activated.connect(lambda _r: self.edit_member())
        self.reload()

    def reload(self) -> None:
        self.bodies.set_rows(bodies.list_bodies(self.env.ctx))
        if self.bodies.current_row() is None:
            self.bodies.select_where(lambda _r: True)
        self._load_members()

    def _load_members(self) -> None:
        body: BodyRow | None = self.bodies.current_row()
        rows = bodies.list_members(self.env.ctx, body.id) if body else []
        self.members.set_rows(rows)
        active = [m for m in rows if m.date_to is None]
        self.count.setText(f"Состав: {len(active)} действующих членов" if body else "")

    # ------------------------------------------------------------ bodies
    def _body_fields(self) -> list[FieldSpec]:
        return [FieldSpec("kind", "Вид органа", "choice", list(rules.BODY_KINDS.items())),
                FieldSpec("name", "Наименование", "multiline"),
                FieldSpec("name_genitive", "Наименование в родительном падеже", "multiline",
                          placeholder="«Протокол заседания …», «Информация об исполнении решений …»"),
                FieldSpec("short_name", "Сокращённо (далее – …)"),
                FieldSpec("short_name_genitive", "Сокращённо в родительном падеже"),
                FieldSpec("founded", "Дата создания", placeholder="ДД.ММ.ГГГГ"),
                FieldSpec("statute", "Положение (акт)", "multiline"),
                FieldSpec("default_place", "Место заседаний"),
                FieldSpec("quorum", "Кворум: присутствуют", "choice", SHARE_CHOICES),
                FieldSpec("decision", "Решение: «за» от присутствующих", "choice", SHARE_CHOICES),
                FieldSpec("casting_vote", "При равенстве решает председательствующий", "choice", YES_NO),
                FieldSpec("secretary_signs", "Секретарь подписывает протокол", "choice", YES_NO)]

    def _save_body(self, v: dict, body_id: int | None) -> BodyRow:
        q, d = SHARES[v["quorum"]], SHARES[v["decision"]]
        data = bodies.BodyInput(v["kind"], v["name"], v["name_genitive"], v["short_name"], v["short_name_genitive"],
                                parse_date(v["founded"], field="founded"), v["statute"], v["default_place"], q,
                                rules.DecisionRule(d.numerator, d.denominator, d.strict, bool(v["casting_vote"])),
                                bool(v["secretary_signs"]))
        return bodies.save_body(self.env.ctx, data, body_id)

    def add_body(self) -> FormDialog:
        values = {"kind": "working_group", "quorum": "1/2", "decision": "1/2", "casting_vote": True,
                  "secretary_signs": True}
        return self._open_body(values, None)

    def edit_body(self) -> FormDialog | None:
        b: BodyRow | None = self.bodies.current_row()
        if b is None:
            return None
        values = {"kind": b.kind, "name": b.name, "name_genitive": b.name_genitive, "short_name": b.short_name,
                  "short_name_genitive": b.short_name_genitive, "founded": format_date(b.founded),
                  "statute": b.statute, "default_place": b.default_place,
                  "quorum": _share_key(b.quorum_rule.numerator, b.quorum_rule.denominator, b.quorum_rule.strict),
                  "decision": _share_key(b.decision_rule.numerator, b.decision_rule.denominator, b.decision_rule.strict),
                  "casting_vote": b.decision_rule.casting_vote, "secretary_signs": b.secretary_signs}
        return self._open_body(values, b.id)

    def _open_body(self, values: dict, body_id: int | None) -> FormDialog:
        dialog = FormDialog("Коллегиальный орган", self._body_fields(), values, lambda v: self._save_body(v, body_id), self)
        dialog.accepted.connect(self._after_body)
        dialog.open()
        return dialog

    def _after_body(self) -> None:
        self.reload()
        self.bodies_changed.emit()

    # ------------------------------------------------------------ members
    def _member_fields(self) -> list[FieldSpec]:
        people = [(None, "—")] + meetings.people_choices(self.env.ctx)
        return [FieldSpec("person_id", "Человек (справочник сотрудников)", "choice", people),
                FieldSpec("role", "Роль", "choice", list(rules.ROLES.items())),
                FieldSpec("position", "Должность", "multiline", placeholder="по умолчанию — из справочника"),
                FieldSpec("date_from", "В составе с", placeholder="ДД.ММ.ГГГГ (пусто — с создания)"),
                FieldSpec("date_to", "по", placeholder="ДД.ММ.ГГГГ (пусто — по настоящее время)")]

    def _save_member(self, v: dict, member_id: int | None) -> MemberRow:
        body: BodyRow = self.bodies.current_row()
        data = bodies.MemberInput(v["person_id"] or 0, v["role"], v["position"],
                                  parse_date(v["date_from"], field="date_from"), parse_date(v["date_to"], field="date_to"))
        return bodies.save_member(self.env.ctx, body.id, data, member_id)

    def add_member(self) -> FormDialog | None:
        if self.bodies.current_row() is None:
            return None
        return self._open_member({"role": rules.ROLE_MEMBER}, None)

    def edit_member(self) -> FormDialog | None:
        m: MemberRow | None = self.members.current_row()
        if m is None:
            return None
        return self._open_member({"person_id": m.person_id, "role": m.role, "position": m.position,
                                  "date_from": format_date(m.date_from), "date_to": format_date(m.date_to)}, m.id)

    def _open_member(self, values: dict, member_id: int | None) -> FormDialog:
        dialog = FormDialog("Член коллегиального органа", self._member_fields(), values,
                            lambda v: self._save_member(v, member_id), self)
        dialog.accepted.connect(self._load_members)
        dialog.open()
        return dialog

    def delete_member(self) -> None:
        m: MemberRow | None = self.members.current_row()
        if m is None:
            return
        if QMessageBox.question(self, "Удаление", f"Удалить запись о членстве: {m.full_name}?") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            bodies.delete_member(self.env.ctx, m.id)
        except SocPlanError as exc:
            show_error(self, exc)
        self._load_members()
