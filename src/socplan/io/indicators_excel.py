"""Excel template of an indicator entry form (one territory, one period) that a district fills offline.

Layout of the sheet «Форма»: title, then a header row and one row per indicator or component with
columns № | Показатель | Ед. изм. | План | Факт | Причина отклонения | (hidden) key. Structure cells are
locked (sheet protection); value cells are unlocked and carry decimal data validation. A very hidden
sheet «_ключи» holds the form, territory, period, row keys and a checksum of the structure, so that
import can refuse files for another district or period, edited locked cells and moved rows.

openpyxl reads through defusedxml (installed): entity expansion («billion laughs») is refused.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, NamedTuple

from socplan.domain.errors import ImportFileError
from socplan.io.xlsx_guard import open_workbook, sheet_rows, unreadable
from socplan.xlsx_safe import restore

SHEET = "Форма"
KEYS_SHEET = "_ключи"
FORMAT = "socplan-indicators-template/1"
HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
COLUMNS = ("№", "Показатель / компонент", "Ед. изм.", "План", "Факт", "Причина отклонения", "ключ", "строка",
           "контроль", "закрытые значения")
COL_PLAN, COL_FACT, COL_COMMENT, COL_KEY, COL_INDEX, COL_CHECK, COL_LOCKED = 4, 5, 6, 7, 8, 9, 10
LAST_COL = COL_LOCKED
PROTECTION_PASSWORD = "socplan"
#: a form has at most a few hundred indicator and component rows; more is not one of our templates
MAX_ROWS = 5_000


@dataclass(frozen=True)
class TemplateRow:
    key: str  # «4|В» — indicator code and component symbol
    number: str
    label: str
    unit: str
    plan: Decimal | None
    fact: Decimal | None
    comment: str
    plan_open: bool
    fact_open: bool
    comment_open: bool
    maximum: Decimal | None = None
    integer: bool = False


@dataclass(frozen=True)
class TemplateSpec:
    form_code: str
    form_name: str
    territory_id: int
    territory_name: str
    period_code: str
    period_label: str
    rows: tuple[TemplateRow, ...]
    #: the stored rows' versions and values as exported (optimistic locking, opaque to this module)
    versions: str = ""


def structure_hash(rows: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for key, label in rows:
        digest.update(f"{key}\x1f{label}\x1e".encode())
    return digest.hexdigest()


#: an Excel cell holds at most 32 767 characters: the versions text is split over several rows of «_ключи»
VERSIONS_CHUNK = 30_000
#: rows of «_ключи»: a few keys and the versions text (~40 characters a stored value: a 20 000-row form's
#: 40 000 values take 54 rows); the zip guard bounds the sheet's size anyway
KEYS_MAX_ROWS = 1_000


def version_rows(versions: str) -> list[tuple[str, str]]:
    return [(f"versions:{n}", versions[i:i + VERSIONS_CHUNK])
            for n, i in enumerate(range(0, len(versions), VERSIONS_CHUNK), start=1)]


def versions_of(meta: dict[str, str]) -> str:
    parts = sorted((int(k.partition(":")[2]), v) for k, v in meta.items() if k.startswith("versions:"))
    return "".join(v for _, v in parts)


def row_check(index: int, key: str, label: str, locked_values: str) -> str:
    """Check sum of a row's structure: its position, key, locked texts and locked values."""
    return hashlib.sha256(f"{index}\x1f{key}\x1f{label}\x1f{locked_values}".encode()).hexdigest()[:24]


def _locked_text(plan: object, fact: object, plan_open: bool, fact_open: bool) -> str:
    # «v:» marks a locked cell (never a leading «=»: Excel would take the text for a formula)
    return ("" if plan_open else "v:" + _norm(plan)) + "|" + ("" if fact_open else "v:" + _norm(fact))


def _row_label(number: object, label: object, unit: object) -> str:
    return "\t".join("" if v is None else str(v) for v in (number, label, unit))


def _norm(value: object) -> str:
    """Canonical text of a cell value (to compare locked cells with what was exported)."""
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except ArithmeticError:
        return str(value).strip()


def _num(value: Decimal | None):  # noqa: ANN202
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(value)


# ------------------------------------------------------------------ reading

@dataclass(frozen=True)
class RawCell:
    sheet_row: int
    column: int
    value: object


class TemplateLine(NamedTuple):
    """One checked row of a filled template, kept small (a tuple): 20 000 rows are held until they are written."""

    key: str  # «4|В»
    sheet_row: int
    plan: object
    fact: object
    comment: object

    def cell(self, column: int) -> RawCell:
        return RawCell(self.sheet_row, column, {COL_PLAN: self.plan, COL_FACT: self.fact,
                                                COL_COMMENT: self.comment}[column])


@dataclass
class TemplateData:
    form_code: str
    territory_id: int
    territory_name: str
    period_code: str
    rows: list[TemplateLine] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    versions: str = ""  # TemplateSpec.versions; "" in a template of an earlier version


COLUMN_NAMES = {COL_PLAN: "«План» (D)", COL_FACT: "«Факт» (E)", COL_COMMENT: "«Причина отклонения» (F)"}


def where(cell: RawCell) -> str:
    return f"лист «{SHEET}», строка {cell.sheet_row}, столбец {COLUMN_NAMES.get(cell.column, cell.column)}"


def coordinate(cell: RawCell) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(cell.column)}{cell.sheet_row}"


class CellProblem(str):
    """One error of an imported file: the full Russian sentence (it is a ``str``), plus sheet, cell, value and
    why, for a list the user can work through (text and ``--json``)."""

    sheet: str
    cell: str
    value: str
    why: str

    def __new__(cls, cell: RawCell, why: str) -> "CellProblem":
        shown = "" if cell.value is None else str(cell.value)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        text = f"{where(cell)} (ячейка {coordinate(cell)}" + (f", значение «{shown}»" if shown else "") + f"): {why}"
        self = super().__new__(cls, text)
        self.sheet, self.cell, self.value, self.why = SHEET, coordinate(cell), shown, why
        return self

    def as_dict(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "value": self.value, "why": self.why, "text": str(self)}


def read_template(path: Path, rows_allowed: Callable[[str], int] | None = None) -> TemplateData:
    """Read a filled template; raises :class:`ImportFileError` (Russian) for anything that is not one.

    The sheet is refused beyond row :data:`MAX_ROWS`; ``rows_allowed(form code)``, when given, tells how many
    rows the file's form has in the database, and a form larger than that limit may have its own rows."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"Файл «{path}» не найден.")
    if not zipfile.is_zipfile(path):
        raise ImportFileError(f"Файл «{path.name}» не является книгой Excel (.xlsx) или повреждён (обрезан). "
                              "Сохраните шаблон в Excel в формате .xlsx и повторите загрузку.")
    wb = open_workbook(path)
    try:
        if KEYS_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
            raise ImportFileError(f"Файл «{path.name}» не является шаблоном СоцПлан: нет листа «{SHEET}» или "
                                  "служебного листа. Выгрузите шаблон из СоцПлан и заполните его.")
        meta: dict[str, str] = {}
        for row in sheet_rows(wb[KEYS_SHEET], max_rows=KEYS_MAX_ROWS, max_cols=2, file_name=path.name):
            if row and row[0]:
                meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(restore(row[1]))
        if meta.get("format") != FORMAT:
            raise ImportFileError(f"Файл «{path.name}»: неизвестная версия шаблона. Выгрузите шаблон заново.")
        expected_rows = int(meta.get("rows", "0"))
        data = TemplateData(meta["form"], int(meta["territory_id"]), meta["territory"], meta["period"],
                            versions=versions_of(meta))
        ws = wb[SHEET]
        checks: list[str] = []
        position = 0
        limit = MAX_ROWS if rows_allowed is None else max(MAX_ROWS, FIRST_ROW - 1 + rows_allowed(data.form_code))
        rows = sheet_rows(ws, min_row=FIRST_ROW, max_rows=limit, max_cols=LAST_COL, file_name=path.name)
        for r, values in enumerate(rows, start=FIRST_ROW):
            values = tuple(map(restore, values)) + (None,) * (LAST_COL - len(values))
            if all(v is None for v in values):
                continue
            position += 1
            key = "" if values[COL_KEY - 1] is None else str(values[COL_KEY - 1])
            index = values[COL_INDEX - 1]
            check = "" if values[COL_CHECK - 1] is None else str(values[COL_CHECK - 1])
            locked_values = "" if values[COL_LOCKED - 1] is None else str(values[COL_LOCKED - 1])
            checks.append(check)
            if not key or not isinstance(index, int):
                data.problems.append(f"Лист «{SHEET}», строка {r}: лишняя строка, которой нет в шаблоне, или "
                                     "повреждены служебные столбцы. Строки добавлять нельзя.")
                continue
            label = _row_label(values[0], values[1], values[2])
            if row_check(index, key, label, locked_values) != check:
                data.problems.append(f"Лист «{SHEET}», строка {r}, столбцы A–C: изменена защищённая ячейка "
                                     "(номер, наименование или единица измерения). Верните исходный текст или "
                                     "выгрузите шаблон заново.")
                continue
            if index != position:
                data.problems.append(f"Лист «{SHEET}», строка {r}: строки шаблона переставлены или удалены "
                                     f"(здесь должна быть строка № {position} шаблона, а стоит № {index}). Верните "
                                     "исходный порядок строк или выгрузите шаблон заново.")
                continue
            want_plan, _, want_fact = locked_values.partition("|")
            bad_locked = [name for (want, got, name) in ((want_plan, values[COL_PLAN - 1], "«План» (D)"),
                                                          (want_fact, values[COL_FACT - 1], "«Факт» (E)"))
                          if want and want != "v:" + _norm(got)]
            if bad_locked:
                data.problems.append(f"Лист «{SHEET}», строка {r}, столбец {', '.join(bad_locked)}: изменена защищённая "
                                     "ячейка (значение рассчитывается или не вводится). Верните исходное значение.")
                continue
            data.rows.append(TemplateLine(key, r, values[COL_PLAN - 1], values[COL_FACT - 1], values[COL_COMMENT - 1]))
        if position != expected_rows:
            data.problems.append(f"Лист «{SHEET}»: в шаблоне было строк {expected_rows}, а в файле {position}: строки "
                                 "удалены или добавлены. Выгрузите шаблон заново.")
        elif not data.problems and structure_hash([(str(n), c) for n, c in enumerate(checks)]) != meta.get("hash"):
            data.problems.append(f"Лист «{SHEET}»: служебные столбцы шаблона изменены. Выгрузите шаблон заново.")
        return data
    except ImportFileError:
        raise
    except (KeyError, IndexError) as exc:
        raise ImportFileError(f"Файл «{path.name}»: структура шаблона нарушена (нет служебных данных). Выгрузите "
                              "шаблон заново.") from exc
    except Exception as exc:  # noqa: BLE001 - sheets are parsed lazily in read-only mode
        raise unreadable(path, exc) from exc
    finally:
        wb.close()
