"""«Контроль исполнения» («Мои мероприятия» for one organisation, filters) and «Просроченные»."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from socplan.domain.errors import SocPlanError
from socplan.domain.plans import PointStatus
from socplan.formatting import format_date, parse_date
from socplan.services.plans import control
from socplan.services.plans.rows import PointFilter, PointRow
from socplan.services.reference import list_organisations
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv
from socplan.ui.plans.dialogs import PointDialog
from socplan.ui.plans.models import PointTableModel

POINT_COLUMNS = [
    Column("Срок", lambda p: p.due_date, 85),
    Column("№", lambda p: p.event_number, 50),
    Column("Мероприятие", lambda p: p.event_text, 360),
    Column("Период", lambda p: p.period_label, 120),
    Column("Исполнители", lambda p: p.executors, 220),
    Column("Статус", lambda p: p.status_label + (" · просрочено" if p.overdue else ""), 150),
    Column("Информация об исполнении", lambda p: p.info, 260),
    Column("План", lambda p: p.plan_title, 260),
]


def _point_html(p: PointRow) -> str:
    fields = [("План", p.plan_title), ("Срок исполнения (по плану)", p.deadline_text),
              ("Контрольная дата", format_date(p.due_date)), ("Исполнители", p.executors),
              ("Статус", p.status_label), ("Информация об исполнении", p.info),
              ("Дата отметки", format_date(p.reported_on)), ("Отчитался", p.reporter),
              ("Документов", p.document_count)]
    if p.due_date != p.original_due_date:
        fields.insert(3, ("Первоначальный срок", format_date(p.original_due_date)))
    return detail_html(f"{p.event_number} {p.event_text}", fields)


def _point_view(parent: QWidget) -> RecordListView:
    view = RecordListView(POINT_COLUMNS, _point_html, parent, search_placeholder="Поиск (Ctrl+F)")
    view.model = PointTableModel(POINT_COLUMNS, parent=view)
    view.proxy.setSourceModel(view.model)
    return view


class ControlTab(QWidget):
    """Control points with filters; Enter / double click opens the execution form."""

    def __init__(self, env: UiEnv, *, overdue_only: bool = False, mine: bool = False) -> None:
        super().__init__()
        self.env = env
        self.fixed_overdue = overdue_only
        self.mine = mine
        self.org = QComboBox(self)
        self.org.addItem("Все организации", "")
        for o in list_organisations(env.ctx):
            self.org.addItem(o.short_name, o.short_name)
        self.org.setToolTip("«Мои мероприятия»: выберите свою организацию")
        settings = getattr(env.window, "qsettings", None)
        if mine and settings is not None:
            saved = settings.value("plans/my_organisation", "")
            self.org.setCurrentIndex(max(0, self.org.findData(saved)))
            self.org.currentIndexChanged.connect(
                lambda _i: settings.setValue("plans/my_organisation", self.org.currentData() or ""))
        self.org.setMaximumWidth(340)
        self.org.setMinimumContentsLength(24)
        self.status = QComboBox(self)
        self.status.addItem("Любой статус", "")
        for st in PointStatus:
            self.status.addItem(st.label, st.value)
        self.overdue = QCheckBox("Только просроченные", self)
        self.overdue.setChecked(overdue_only)
        self.date_from = QLineEdit(self)
        self.date_to = QLineEdit(self)
        for w, ph in ((self.date_from, "с ДД.ММ.ГГГГ"), (self.date_to, "по ДД.ММ.ГГГГ")):
            w.setPlaceholderText(ph)
            w.setFixedWidth(110)
        refresh = QPushButton("Обновить", self)
        refresh.clicked.connect(self.reload)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.summary = QLabel(self)
        self.undetermined = QLabel(self)  # «срок не определён — укажите дату события» (overdue view only)
        self.undetermined.setWordWrap(True)
        self.undetermined.setStyleSheet("color: #8a5a00;")
        self.undetermined.setVisible(False)
        self.view = _point_view(self)
        self.view.activated.connect(self.report)
        top = QHBoxLayout()
        top.addWidget(QLabel("Моя организация:" if mine else "Организация:", self))
        top.addWidget(self.org)
        if not overdue_only:
            top.addWidget(self.status)
            top.addWidget(self.overdue)
            top.addWidget(self.date_from)
            top.addWidget(self.date_to)
        else:  # not in a layout: hidden, or they would float over the top-left corner
            for w in (self.status, self.overdue, self.date_from, self.date_to):
                w.hide()
        top.addWidget(refresh)
        top.addStretch(1)
        top.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.undetermined)
        layout.addWidget(self.view, 1)
        for signal in (self.org.currentIndexChanged, self.status.currentIndexChanged, self.overdue.toggled,
                       self.date_from.editingFinished, self.date_to.editingFinished):
            signal.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        try:
            d1 = parse_date(self.date_from.text(), field="from") if self.date_from.text().strip() else None
            d2 = parse_date(self.date_to.text(), field="to") if self.date_to.text().strip() else None
        except SocPlanError as exc:
            self.error.setText(exc.message)
            return
        self.error.setText("")
        f = PointFilter(organisation_short_name=self.org.currentData() or "", status=self.status.currentData() or "",
                        due_from=d1, due_to=d2, overdue_only=self.overdue.isChecked(), today=dt.date.today())
        rows = control.list_points(self.env.ctx, f)
        self.view.set_rows(rows)
        overdue = sum(1 for r in rows if r.overdue)
        self.summary.setText(f"Контрольных точек: {len(rows)}, просрочено: {overdue}")
        if self.fixed_overdue:
            self.show_undetermined()

    def show_undetermined(self) -> None:
        """Relative deadlines without the event's date (or past the plan's period), listed above the overdue points."""
        pending = control.undetermined_deadlines(self.env.ctx, dt.date.today())
        lines = [f"{u.event_number} {u.event_text if len(u.event_text) <= 80 else u.event_text[:79] + '…'} — {u.message}"
                 + (f" (до тех пор контроль {format_date(u.fallback_due)})" if u.fallback_due else "")
                 for u in pending[:10]]
        if len(pending) > 10:
            lines.append(f"… и ещё {len(pending) - 10} (полный список: socplan plans overdue)")
        self.undetermined.setText(f"Сроки без даты события или за пределами плана ({len(pending)}):\n" + "\n".join(lines)
                                  if lines else "")
        self.undetermined.setVisible(bool(lines))

    def report(self, point: PointRow | None = None) -> None:
        point = point or self.view.current_row()
        if point is None:
            return
        names = [self.org.itemData(i) for i in range(1, self.org.count())]
        dialog = PointDialog(self.env, point, names)
        if dialog.exec():
            self.reload()
