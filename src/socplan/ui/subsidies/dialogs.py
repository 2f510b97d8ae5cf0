"""Dialogs of the subsidies screen: a round's properties, a new application, the documents checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget)

from socplan.domain.errors import ValidationError, ValidationErrors
from socplan.domain.subsidies.common import APP12, PROCEDURES, DocumentMark, documents_for
from socplan.formatting import format_date, format_number, parse_date, parse_number
from socplan.services.subsidies.rounds import RoundData
from socplan.ui.common.form import FieldSpec

ROUND_FIELDS = [
    FieldSpec("procedure", "Порядок", "choice", [(k, v) for k, v in PROCEDURES.items()]),
    FieldSpec("year", "Год предоставления субсидий", placeholder="2025"),
    FieldSpec("budget", "Объём средств (C или СОБ), руб.", placeholder="3 000 000,00"),
    FieldSpec("title", "Наименование отбора", "multiline"),
    FieldSpec("applications_deadline", "Срок приёма заявок", placeholder="ДД.ММ.ГГГГ"),
    FieldSpec("selection_date", "Дата проведения отбора", placeholder="ДД.ММ.ГГГГ"),
    FieldSpec("commission", "Комиссия (по строке на члена)", "multiline"),
    FieldSpec("average_rate_district", "Dср районов и городского округа, % (Прил. 13)", placeholder="87"),
    FieldSpec("average_rate_settlement", "Dср поселений, % (Прил. 13)", placeholder="90"),
    FieldSpec("distribute_remainder_fully", "Остаток (Прил. 12, п. 16)", "choice",
              [(False, "распределить один раз — как в тексте Порядка"),
               (True, "распределять до исчерпания — сверх текста Порядка")]),
]


def round_values(data: RoundData | None) -> dict[str, Any]:
    if data is None:
        return {"procedure": APP12, "year": str(dt.date.today().year), "average_rate_district": "87",
                "average_rate_settlement": "90", "distribute_remainder_fully": False}
    return {"procedure": data.procedure, "year": str(data.year), "budget": format_number(data.budget, 2),
            "title": data.title, "applications_deadline": format_date(data.applications_deadline),
            "selection_date": format_date(data.selection_date), "commission": data.commission,
            "average_rate_district": format_number(data.average_rate_district * 100, None),
            "average_rate_settlement": format_number(data.average_rate_settlement * 100, None),
            "distribute_remainder_fully": data.distribute_remainder_fully}


def parse_round(values: dict[str, Any]) -> RoundData:
    """Form values → RoundData; every problem is reported beside its field."""
    errors: list[ValidationError] = []

    def grab(fn, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        try:
            return fn(*args, **kw)
        except ValidationError as exc:
            errors.append(exc)
            return None

    year_text = str(values.get("year") or "").strip()
    year = int(year_text) if year_text.isdigit() else None
    if year is None:
        errors.append(ValidationError("year", "Год — четыре цифры, например 2025."))
    budget = grab(parse_number, values.get("budget") or "", field="budget")
    if budget is None and not any(e.field == "budget" for e in errors):
        errors.append(ValidationError("budget", "Укажите объём средств на субсидии (больше нуля)."))
    elif budget is not None and budget <= 0:
        errors.append(ValidationError("budget", "Объём средств должен быть больше нуля: без него распределять нечего."))
    elif budget is not None and budget != budget.quantize(Decimal("0.01")):
        errors.append(ValidationError("budget", "Объём средств — в рублях с копейками (не более двух знаков)."))
    rates = {}
    for key in ("average_rate_district", "average_rate_settlement"):
        rate = grab(parse_number, values.get(key) or "", field=key)
        if rate is None or not (0 < rate <= 100):
            if not any(e.field == key for e in errors):
                errors.append(ValidationError(key, "Уровень — больше 0 и не больше 100 %."))
        else:
            rates[key] = rate / 100
    deadline = grab(parse_date, values.get("applications_deadline") or "", field="applications_deadline")
    selection = grab(parse_date, values.get("selection_date") or "", field="selection_date")
    if errors:
        raise ValidationErrors(errors)
    return RoundData(values["procedure"], year, budget, str(values.get("title") or "").strip(), deadline, selection,  # type: ignore[arg-type]
                     str(values.get("commission") or "").strip(), rates["average_rate_district"],
                     rates["average_rate_settlement"], bool(values.get("distribute_remainder_fully")))


class DocumentsModel(QAbstractTableModel):
    HEADERS = ("Документ", "Пункт", "Обязателен", "Получен", "Дата получения")

    def __init__(self, procedure: str, documents: dict[str, DocumentMark], parent: Any = None) -> None:
        super().__init__(parent)
        self.items = documents_for(procedure)
        self.marks = {d.code: documents.get(d.code, DocumentMark()) for d in self.items}

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 3:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == 4:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.items[index.row()]
        mark = self.marks[item.code]
        if role == Qt.ItemDataRole.DisplayRole:
            return [f"{item.code}. {item.title}", item.clause, "да" if item.required else "при наличии поддержки",
                    "да" if mark.received else "нет", format_date(mark.date)][index.column()]
        if role == Qt.ItemDataRole.EditRole and index.column() == 4:
            return format_date(mark.date)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 3:
            return Qt.CheckState.Checked if mark.received else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return item.title
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        item = self.items[index.row()]
        mark = self.marks[item.code]
        if index.column() == 3 and role == Qt.ItemDataRole.CheckStateRole:
            received = Qt.CheckState(value) == Qt.CheckState.Checked
            self.marks[item.code] = DocumentMark(received, mark.date if received else None)
        elif index.column() == 4 and role == Qt.ItemDataRole.EditRole:
            try:
                date = parse_date(str(value), field="date")
            except ValidationError:
                return False
            self.marks[item.code] = DocumentMark(mark.received or date is not None, date)
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 4))
        return True


class DocumentsDialog(QDialog):
    """The procedure's documents checklist for one application: received yes/no and the date."""

    def __init__(self, procedure: str, municipality: str, documents: dict[str, DocumentMark],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Документы заявки — {municipality}")
        self.resize(900, 380)
        self.model = DocumentsModel(procedure, documents, self)
        view = QTableView(self)
        view.setModel(self.model)
        view.setWordWrap(True)
        view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        view.resizeRowsToContents()
        self.view = view
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Применить")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        clause = "п. 5" if procedure == APP12 else "п. 4"
        layout.addWidget(QLabel(f"Перечень документов ({clause} Порядка). Пробел — отметить получение; "
                                "дата — ДД.ММ.ГГГГ.", self))
        layout.addWidget(view)
        layout.addWidget(buttons)

    def documents(self) -> dict[str, DocumentMark]:
        return {code: mark for code, mark in self.model.marks.items() if mark.received or mark.date}
