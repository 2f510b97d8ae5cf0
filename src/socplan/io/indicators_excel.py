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
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

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


@dataclass(frozen=True)
class TemplateHeader:
    """What the service sheet «_ключи» says about a filled template (the versions go to their own reader)."""

    form_code: str
    territory_id: int
    territory_name: str
    period_code: str
    rows: int  # rows of «Форма» as exported
    has_versions: bool  # False: a template exported before versions were written (nothing is compared)


class TemplateReader:
    """A filled template read as a stream, for an import that checks and writes as it reads (issue 19).

    ``with TemplateReader(path) as reader``: :meth:`read_header` first (form, territory, period; the versions text
    is handed piece by piece, in order, to a callback, never joined), then :meth:`lines` yields the checked rows of
    «Форма» one by one; structure problems (edited protected cells, moved or extra rows, a changed structure check
    sum) collect in :attr:`problems`, the last ones (row count, check sum) when the sheet is exhausted, and the
    workbook is closed right then. Anything that is not one of our templates raises :class:`ImportFileError`
    (Russian), also in the middle of the sheet (read-only sheets are parsed lazily).

    The sheet is refused beyond row :data:`MAX_ROWS`; ``rows_allowed(form code)``, when given, tells how many rows
    the file's form has in the database, and a form larger than that limit may have its own rows.
    """

    def __init__(self, path: Path, rows_allowed: Callable[[str], int] | None = None) -> None:
        self.path = Path(path)
        self.rows_allowed = rows_allowed
        self.problems: list[str] = []
        self.header: TemplateHeader | None = None
        self._hash = ""
        self._limit = MAX_ROWS
        self._wb = None

    def __enter__(self) -> "TemplateReader":
        path = self.path
        if not path.is_file():
            raise ImportFileError(f"Файл «{path}» не найден.")
        if not zipfile.is_zipfile(path):
            raise ImportFileError(f"Файл «{path.name}» не является книгой Excel (.xlsx) или повреждён (обрезан). "
                                  "Сохраните шаблон в Excel в формате .xlsx и повторите загрузку.")
        self._wb = open_workbook(path)
        with self._reading():
            if KEYS_SHEET not in self._wb.sheetnames or SHEET not in self._wb.sheetnames:
                raise ImportFileError(f"Файл «{path.name}» не является шаблоном СоцПлан: нет листа «{SHEET}» или "
                                      "служебного листа. Выгрузите шаблон из СоцПлан и заполните его.")
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._wb is None

    def close(self) -> None:
        """Release the workbook (its open zip and parser); safe to call twice."""
        wb, self._wb = self._wb, None
        if wb is not None:
            wb.close()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Every failure while parsing becomes one Russian message (the file is closed with it)."""
        try:
            yield
        except ImportFileError:
            self.close()
            raise
        except (KeyError, IndexError) as exc:
            self.close()
            raise ImportFileError(f"Файл «{self.path.name}»: структура шаблона нарушена (нет служебных данных). "
                                  "Выгрузите шаблон заново.") from exc
        except Exception as exc:  # noqa: BLE001 - sheets are parsed lazily in read-only mode
            self.close()
            raise unreadable(self.path, exc) from exc

    def read_header(self, versions: Callable[[TemplateHeader], Callable[[str], None]] | None = None
                    ) -> TemplateHeader:
        """Read «_ключи». ``versions(header)``, called once the header is known (the keys precede the versions in
        our files), gives the callback that receives each piece of the versions text in order as it is read."""
        with self._reading():
            meta: dict[str, str] = {}
            pieces = 0
            sink: Callable[[str], None] | None = None
            for row in sheet_rows(self._wb[KEYS_SHEET], max_rows=KEYS_MAX_ROWS, max_cols=2, file_name=self.path.name):
                if not row or not row[0]:
                    continue
                name = str(row[0])
                text = "" if len(row) < 2 or row[1] is None else str(restore(row[1]))
                if not name.startswith("versions:"):
                    meta[name] = text
                    continue
                pieces += 1
                if name != f"versions:{pieces}":  # written in order; a piece missing or moved spoils the text
                    raise ImportFileError(f"Файл «{self.path.name}»: служебные данные шаблона повреждены. "
                                          "Выгрузите шаблон заново.")
                if pieces == 1:
                    self._make_header(meta, True)
                    sink = None if versions is None else versions(self.header)  # type: ignore[arg-type]
                if sink is not None:
                    sink(text)
            if pieces == 0:
                self._make_header(meta, False)
            self._hash = meta.get("hash", "")
            return self.header  # type: ignore[return-value]

    def _make_header(self, meta: dict[str, str], has_versions: bool) -> None:
        if meta.get("format") != FORMAT:
            raise ImportFileError(f"Файл «{self.path.name}»: неизвестная версия шаблона. Выгрузите шаблон заново.")
        self.header = TemplateHeader(meta["form"], int(meta["territory_id"]), meta["territory"], meta["period"],
                                     int(meta.get("rows", "0")), has_versions)
        if self.rows_allowed is not None:
            self._limit = max(MAX_ROWS, FIRST_ROW - 1 + self.rows_allowed(self.header.form_code))

    @property
    def max_rows(self) -> int:
        """Rows of «Форма» the reader accepts (known after the header)."""
        return self._limit - FIRST_ROW + 1

    def lines(self) -> Iterator[TemplateLine]:
        """The rows of «Форма» whose structure is intact, one at a time (see the class)."""
        if self.header is None:
            raise RuntimeError("read_header() first")
        with self._reading():
            digest = hashlib.sha256()  # structure_hash of the rows' check sums, fed row by row
            position = 0
            problems = self.problems
            rows = sheet_rows(self._wb[SHEET], min_row=FIRST_ROW, max_rows=self._limit, max_cols=LAST_COL,
                              file_name=self.path.name)
            for r, values in enumerate(rows, start=FIRST_ROW):
                if values.count(None) == len(values):
                    continue
                values = tuple(map(restore, values)) + (None,) * (LAST_COL - len(values))
                key = "" if values[COL_KEY - 1] is None else str(values[COL_KEY - 1])
                index = values[COL_INDEX - 1]
                check = "" if values[COL_CHECK - 1] is None else str(values[COL_CHECK - 1])
                locked_values = "" if values[COL_LOCKED - 1] is None else str(values[COL_LOCKED - 1])
                digest.update(f"{position}\x1f{check}\x1e".encode())
                position += 1
                if not key or not isinstance(index, int):
                    problems.append(f"Лист «{SHEET}», строка {r}: лишняя строка, которой нет в шаблоне, или "
                                    "повреждены служебные столбцы. Строки добавлять нельзя.")
                    continue
                label = _row_label(values[0], values[1], values[2])
                if row_check(index, key, label, locked_values) != check:
                    problems.append(f"Лист «{SHEET}», строка {r}, столбцы A–C: изменена защищённая ячейка "
                                    "(номер, наименование или единица измерения). Верните исходный текст или "
                                    "выгрузите шаблон заново.")
                    continue
                if index != position:
                    problems.append(f"Лист «{SHEET}», строка {r}: строки шаблона переставлены или удалены "
                                    f"(здесь должна быть строка № {position} шаблона, а стоит № {index}). Верните "
                                    "исходный порядок строк или выгрузите шаблон заново.")
                    continue
                want_plan, _, want_fact = locked_values.partition("|")
                bad_locked = [name for (want, got, name) in ((want_plan, values[COL_PLAN - 1], "«План» (D)"),
                                                              (want_fact, values[COL_FACT - 1], "«Факт» (E)"))
                              if want and want != "v:" + _norm(got)]
                if bad_locked:
                    problems.append(f"Лист «{SHEET}», строка {r}, столбец {', '.join(bad_locked)}: изменена "
                                    "защищённая ячейка (значение рассчитывается или не вводится). Верните исходное "
                                    "значение.")
                    continue
                yield TemplateLine(key, r, values[COL_PLAN - 1], values[COL_FACT - 1], values[COL_COMMENT - 1])
            expected = self.header.rows
            if position != expected:
                problems.append(f"Лист «{SHEET}»: в шаблоне было строк {expected}, а в файле {position}: строки "
                                "удалены или добавлены. Выгрузите шаблон заново.")
            elif not problems and digest.hexdigest() != self._hash:
                problems.append(f"Лист «{SHEET}»: служебные столбцы шаблона изменены. Выгрузите шаблон заново.")
        self.close()


def read_template(path: Path, rows_allowed: Callable[[str], int] | None = None) -> TemplateData:
    """A filled template read whole (see :class:`TemplateReader`, which the import uses to read it as a stream);
    raises :class:`ImportFileError` (Russian) for anything that is not one."""
    with TemplateReader(path, rows_allowed) as reader:
        pieces: list[str] = []
        header = reader.read_header(lambda _header: pieces.append)
        data = TemplateData(header.form_code, header.territory_id, header.territory_name, header.period_code,
                            versions="".join(pieces))
        data.rows = list(reader.lines())
        data.problems = reader.problems
    return data
