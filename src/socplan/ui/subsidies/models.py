"""Qt models of the subsidies screen: the editable applications grid (every edit is an undoable command)
and the read-only results grid."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoCommand, QUndoStack

from socplan.domain.errors import ValidationError
from socplan.domain.subsidies.app12 import Application12
from socplan.domain.subsidies.calculation import Calculation
from socplan.formatting import format_number, parse_number

PCT, MONEY, DEC, COUNT, FLAG = "pct", "money", "dec", "count", "flag"


@dataclass(frozen=True)
class AppColumn:
    key: str  # Application field, or "limit_rate"
    title: str
    kind: str
    tip: str = ""


COLUMNS_APP12 = (
    AppColumn("declared_need", "Потребность, руб.", MONEY, "Заявленная потребность — планируемый размер субсидии (п. 5 подп. 1)"),
    AppColumn("local_funds", "МБ i, руб.", MONEY, "Средства местного бюджета на поддержку СОНКО (п. 15)"),
    AppColumn("local_funds_cofinanced", "МБП i, руб.", MONEY, "Средства местного бюджета, на которые заявлено софинансирование (п. 17)"),
    AppColumn("fiscal_capacity", "РБО i", DEC, "Уровень расчётной бюджетной обеспеченности (п. 15)"),
    AppColumn("limit_rate", "Пред. уровень, %", PCT, "Предельный уровень софинансирования, утверждённый Правительством (п. 17)"),
    AppColumn("total_budget_spending", "Расходы бюджета, руб.", MONEY, "Общий объём расходов бюджета (п. 5 подп. 4; п. 11 пок. 1)"),
    AppColumn("ngo_registered", "СОНКО V i", COUNT, "СОНКО на 1 января года подачи заявки (п. 11 пок. 2; п. 15)"),
    AppColumn("ngo_registered_previous", "СОНКО год назад", COUNT, "СОНКО на 1 января предыдущего года (п. 11 пок. 2)"),
    AppColumn("ngo_supported", "Поддержано СОНКО", COUNT, "п. 11 пок. 3"),
    AppColumn("commission_active", "Комиссия", FLAG, "п. 11 пок. 4"),
    AppColumn("infrastructure_event", "Инфраструктура", FLAG, "п. 11 пок. 5.1"),
    AppColumn("training_event", "Обучение", FLAG, "п. 11 пок. 5.2"),
    AppColumn("property_list", "Перечень имущества", FLAG, "п. 11 пок. 6.1"),
    AppColumn("preferential_contracts", "Договоры", COUNT, "п. 11 пок. 6.2"),
    AppColumn("registry_published", "Реестр", FLAG, "п. 11 пок. 6.3"),
    AppColumn("has_municipal_programme", "Мун. программа", FLAG, "п. 12 подп. 3"),
    AppColumn("activity_matches_goal", "Цель", FLAG, "п. 12 подп. 1"),
    AppColumn("form_ok", "Форма заявки", FLAG, "п. 13 подп. 2"),
    AppColumn("unreliable_info", "Недостоверно", FLAG, "п. 13 подп. 4"),
)
COLUMNS_APP13 = (
    AppColumn("declared_need", "Потребность (обл. бюджет), руб.", MONEY, "Заявленная потребность на софинансирование (п. 12)"),
    AppColumn("total_need", "П i, руб.", MONEY, "Потребность в средствах областного и местного бюджетов (п. 12)"),
    AppColumn("fiscal_capacity", "РБО i", DEC, "Уровень расчётной бюджетной обеспеченности (п. 12)"),
    AppColumn("limit_rate", "Пред. уровень, %", PCT, "Предельный уровень софинансирования (п. 6, 12)"),
    AppColumn("activity_matches_goal", "Цель", FLAG, "п. 8 подп. 1"),
    AppColumn("needs_accessibility", "Потребность в доступности", FLAG, "п. 8 подп. 2"),
    AppColumn("unreliable_info", "Недостоверно", FLAG, "п. 9 подп. 3"),
    AppColumn("national_project", "Нац. проект", FLAG, "п. 6 абз. 2: предельный уровень не применяется"),
)
#: flags that are the commission's findings (never «нет сведений»)
REQUIRED_FLAGS = {"has_municipal_programme", "activity_matches_goal", "form_ok", "unreliable_info",
                  "needs_accessibility", "national_project"}


class EditCommand(QUndoCommand):
    def __init__(self, model: ApplicationsModel, row: int, key: str, old: Any, new: Any, text: str) -> None:
        super().__init__(text)
        self.model, self.row, self.key, self.old, self.new = model, row, key, old, new

    def redo(self) -> None:
        self.model._set(self.row, self.key, self.new)

    def undo(self) -> None:
        self.model._set(self.row, self.key, self.old)


class ApplicationsModel(QAbstractTableModel):
    """Rows are domain applications (immutable); an edit replaces the row through the undo stack."""

    changed = Signal()
    error = Signal(str)

    def __init__(self, undo: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self.apps: list[Any] = []
        self.limit_rates: dict[str, Decimal] = {}
        self.columns: tuple[AppColumn, ...] = COLUMNS_APP12

    def load(self, apps: list[Any], limit_rates: dict[str, Decimal]) -> None:
        self.beginResetModel()
        self.apps = list(apps)
        self.limit_rates = dict(limit_rates)
        self.columns = COLUMNS_APP12 if (not apps or isinstance(apps[0], Application12)) else COLUMNS_APP13
        self.endResetModel()

    def set_procedure_columns(self, app12: bool) -> None:
        self.beginResetModel()
        self.columns = COLUMNS_APP12 if app12 else COLUMNS_APP13
        self.endResetModel()

    # ---------------------------------------------------------------- reading
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.apps)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns) + 1

    def value(self, row: int, key: str) -> Any:
        app = self.apps[row]
        return self.limit_rates.get(app.municipality) if key == "limit_rate" else getattr(app, key)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return "Муниципальное образование" if section == 0 else self.columns[section - 1].title
            if role == Qt.ItemDataRole.ToolTipRole and section:
                return self.columns[section - 1].tip
        elif role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            return base
        col = self.columns[index.column() - 1]
        if col.kind == FLAG:
            flags = base | Qt.ItemFlag.ItemIsUserCheckable
            return flags if col.key in REQUIRED_FLAGS else flags | Qt.ItemFlag.ItemIsUserTristate
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        app = self.apps[index.row()]
        if index.column() == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return app.municipality
            return None
        col = self.columns[index.column() - 1]
        value = self.value(index.row(), col.key)
        if col.kind == FLAG:
            if role == Qt.ItemDataRole.CheckStateRole:
                return (Qt.CheckState.PartiallyChecked if value is None else
                        Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            if role == Qt.ItemDataRole.DisplayRole:
                return "нет сведений" if value is None else ("да" if value else "нет")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else self._text(value, col.kind)
        if role == Qt.ItemDataRole.EditRole:
            return "" if value is None else self._text(value, col.kind).replace("\u00a0", "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and value is None:
            return QBrush(QColor("#f3f3f3"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{col.tip}" + ("\nНет сведений" if value is None else "")
        return None

    @staticmethod
    def _text(value: Any, kind: str) -> str:
        if kind == PCT:
            return format_number(Decimal(value) * 100, None)
        if kind == MONEY:
            return format_number(Decimal(value), 2)
        return format_number(Decimal(value), None)

    # ---------------------------------------------------------------- editing
    def parse(self, col: AppColumn, text: str) -> Any:
        label = f"«{col.title}»"
        try:
            number = parse_number(str(text), field=col.key)
        except ValidationError as exc:
            raise ValidationError(col.key, f"{label}: {exc.message}") from exc
        if number is None:
            return None
        if col.kind == PCT:
            return number / 100
        if col.kind == COUNT:
            if number != number.to_integral_value():
                raise ValidationError(col.key, f"{label}: количество должно быть целым числом.")
            return int(number)
        if col.kind == MONEY and number != number.quantize(Decimal("0.01")):
            raise ValidationError(col.key, f"{label}: сумма — в рублях с копейками (не более двух знаков).")
        return number

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() == 0:
            return False
        col = self.columns[index.column() - 1]
        old = self.value(index.row(), col.key)
        if col.kind == FLAG and role == Qt.ItemDataRole.CheckStateRole:
            state = Qt.CheckState(value) if not isinstance(value, Qt.CheckState) else value
            new: Any = None if state == Qt.CheckState.PartiallyChecked else state == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole:
            try:
                new = self.parse(col, value)
            except ValidationError as exc:
                self.error.emit(exc.message)
                return False
        else:
            return False
        if new == old and type(new) is type(old):
            return False
        name = self.apps[index.row()].municipality
        self.undo.push(EditCommand(self, index.row(), col.key, old, new, f"{name}: {col.title}"))
        return True

    def _set(self, row: int, key: str, value: Any) -> None:
        app = self.apps[row]
        if key == "limit_rate":
            if value is None:
                self.limit_rates.pop(app.municipality, None)
            else:
                self.limit_rates[app.municipality] = value
        else:
            self.apps[row] = dataclasses.replace(app, **{key: value})
        column = next(i for i, c in enumerate(self.columns) if c.key == key) + 1
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        self.changed.emit()

    def replace_documents(self, row: int, documents: dict) -> None:
        self.apps[row] = dataclasses.replace(self.apps[row], documents=documents)
        self.changed.emit()


class DocumentsCommand(QUndoCommand):
    def __init__(self, model: ApplicationsModel, row: int, old: dict, new: dict) -> None:
        super().__init__(f"{model.apps[row].municipality}: документы")
        self.model, self.row, self.old, self.new = model, row, old, new

    def redo(self) -> None:
        self.model.replace_documents(self.row, self.new)

    def undo(self) -> None:
        self.model.replace_documents(self.row, self.old)


@dataclass(frozen=True)
class ResultRow:
    municipality: str
    score: Decimal | None
    passed: bool
    amount: Decimal | None
    detail: str
    reasons: str


def result_rows(calc: Calculation) -> list[ResultRow]:
    rows = []
    if calc.result12:
        for m in calc.result12.municipalities:
            a = m.allocation
            detail = "" if a is None else (
                f"C i {format_number(a.final_subsidy, 2)} + CO i {format_number(a.final_remainder, 2)}; "
                f"D i {format_number(a.rate_after * 100, 2)} %")
            rows.append(ResultRow(m.municipality, m.score, m.passed, a.final_total if a else None, detail,
                                  "; ".join(str(r) for r in m.reasons)))
    elif calc.result13:
        for m in calc.result13.municipalities:
            a = m.allocation
            detail = "" if a is None else f"D i {format_number(a.rate * 100, 2)} %" + (
                "; ограничено потребностью" if a.capped_at_need else "") + ("; уменьшено пропорционально" if a.scaled else "")
            rows.append(ResultRow(m.municipality, None, m.passed, a.amount if a else None, detail,
                                  "; ".join(str(r) for r in m.reasons)))
    return rows


class ResultsModel(QAbstractTableModel):
    HEADERS = ("Муниципальное образование", "Рейтинговая оценка", "Отбор", "Субсидия, руб.", "Расчёт", "Основания отказа")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ResultRow] = []
        self.previous: dict[str, Decimal | None] = {}

    def set_rows(self, rows: list[ResultRow], previous: dict[str, Decimal | None] | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.previous = previous or {}
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section] if orientation == Qt.Orientation.Horizontal else section + 1
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        values: list[Callable[[], Any]] = [
            lambda: r.municipality, lambda: "" if r.score is None else format_number(r.score, 2),
            lambda: "прошло" if r.passed else "отказ", lambda: "" if r.amount is None else format_number(r.amount, 2),
            lambda: r.detail, lambda: r.reasons]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = values[index.column()]()
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3 and r.municipality in self.previous:
                before = self.previous[r.municipality]
                return f"До изменения: {'—' if before is None else format_number(before, 2)}"
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and not r.passed:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 3 and r.municipality in self.previous \
                and self.previous[r.municipality] != r.amount:
            return QBrush(QColor("#fff3c4"))
        return None
