"""Reading a plan of events from a table: .docx (a plan arrives as a Word file), .xlsx, or tab-separated text.

Copes with what the source documents show: header rows repeated on every page, the «1 2 3 4 …» column
number row, merged header cells (two header lines), cells cut by a page break (a row without a number
continues the previous one), HTML fragments (``<p>``) and broken spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from socplan.domain.errors import ImportFileError
from socplan.domain.plans import normalise_number

#: A plan of events has hundreds of rows and a handful of columns; beyond these limits a file is refused.
MAX_ROWS = 5_000
MAX_COLUMNS = 50

#: Fields an imported column may be mapped to, with their Russian names.
FIELDS = {
    "number": "№ п/п",
    "stage": "Этап",
    "text": "Мероприятие",
    "form": "Форма реализации / результат",
    "deadline": "Срок исполнения",
    "executors": "Ответственные исполнители",
    "": "(не импортировать)",
}

_GUESS = [
    ("number", re.compile(r"^№|п/п|^номер|^пункт", re.I)),
    ("stage", re.compile(r"этап", re.I)),
    ("deadline", re.compile(r"срок|дата проведения|периодичн", re.I)),
    ("executors", re.compile(r"исполнител|участник|ответствен", re.I)),
    ("form", re.compile(r"форма|результат", re.I)),
    ("text", re.compile(r"мероприят|наименование|содержание", re.I)),
]


def clean_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\u00a0", " ").replace("\r", "\n")
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r"\s*\n\s*", "\n", text).strip()
    return "" if re.fullmatch(r"[-–—]{2,}", text) else text


@dataclass(frozen=True)
class RawTable:
    rows: list[list[str]]
    source: str


@dataclass(frozen=True)
class RawEvent:
    number: str
    text: str
    form: str
    deadline: str
    executors: str
    row: int  # 1-based row in the file (for messages)
    parent_number: str = ""


@dataclass
class TableLayout:
    header_row: int  # index of the (last) header row
    header: list[str]
    mapping: list[str]  # field per column
    problems: list[str] = field(default_factory=list)


def read_docx(path: Path) -> RawTable:
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - dependency is installed with the program
        raise ImportFileError("Не установлен модуль python-docx для чтения файлов Word.") from exc
    from socplan.io.xlsx_guard import check_office_zip

    check_office_zip(path, what="документом Word (.docx)")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any damage of the file
        raise ImportFileError(f"Файл «{path.name}» не открывается как документ Word (.docx): он повреждён или "
                              "обрезан. Откройте его в Word, сохраните заново (формат .docx) и повторите "
                              "загрузку.") from exc
    tables = document.tables
    if not tables:
        raise ImportFileError(f"В файле «{path.name}» нет таблицы. План мероприятий должен быть оформлен таблицей "
                              "(столбцы: №, мероприятие, срок, исполнители).")
    table = max(tables, key=lambda t: len(t.rows))
    rows: list[list[str]] = []
    for tr in table.rows:
        cells, seen = [], []
        for cell in tr.cells:
            # merged cells come back as the same cell object repeated: keep one, leave the rest empty
            if any(cell._tc is s for s in seen):  # noqa: SLF001
                cells.append("")
                continue
            seen.append(cell._tc)  # noqa: SLF001
            cells.append(clean_cell(cell.text))
        rows.append(cells)
    return RawTable(rows, path.name)


def read_xlsx(path: Path) -> RawTable:
    from socplan.io.xlsx_guard import open_workbook, sheet_table, unreadable

    wb = open_workbook(path)
    try:
        ws = wb.worksheets[0]
        rows = [[clean_cell(v) for v in r]
                for r in sheet_table(ws, max_rows=MAX_ROWS, max_cols=MAX_COLUMNS, file_name=path.name)]
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - sheets are parsed lazily in read-only mode
        raise unreadable(path, exc) from exc
    finally:
        wb.close()
    rows = [r for r in rows if any(r)]
    if not rows:
        raise ImportFileError(f"Первый лист книги «{path.name}» пуст.")
    return RawTable(rows, path.name)


def read_text(path: Path) -> RawTable:
    rows = [[clean_cell(c) for c in line.split("\t")]
            for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line]
    if not rows:
        raise ImportFileError(f"В файле «{path.name}» нет таблицы (столбцы, разделённые табуляцией).")
    return RawTable(rows, path.name)


def read_table(path: Path) -> RawTable:
    suffix = path.suffix.lower()
    if not path.exists():
        raise ImportFileError(f"Файл «{path}» не найден.")
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".txt", ".tsv"):
        return read_text(path)
    raise ImportFileError(f"Формат «{suffix or path.name}» не поддерживается: выберите файл .docx или .xlsx.")


def _is_number_row(row: list[str]) -> bool:
    """The «1 2 3 4 5» row printed under the header."""
    vals = [c for c in row if c]
    return len(vals) >= 3 and all(v.isdigit() for v in vals) and [int(v) for v in vals] == list(
        range(int(vals[0]), int(vals[0]) + len(vals)))


def detect_layout(table: RawTable) -> TableLayout:
    """Find the header row (the row naming «Мероприятие»/«Срок») and guess the column mapping."""
    for i, row in enumerate(table.rows[:30]):
        joined = " ".join(row).lower()
        if row and normalise_number(row[0]):
            continue  # a data row, not a header
        if ("мероприят" in joined or "наименование" in joined) and ("срок" in joined or "дата" in joined
                                                                    or "исполнител" in joined):
            header = list(row)
            # a merged two-line header: the next row adds sub-headings (and is not data)
            if i + 1 < len(table.rows):
                nxt = table.rows[i + 1]
                if not normalise_number(nxt[0] if nxt else "") and not _is_number_row(nxt) and any(nxt) and \
                        sum(1 for c in nxt if c) < len([c for c in row if c]):
                    header = [" ".join(x for x in (a, b) if x) for a, b in
                              zip(row + [""] * (len(nxt) - len(row)), nxt + [""] * (len(row) - len(nxt)))]
                    i += 1
            return TableLayout(i, header, guess_mapping(header))
    raise ImportFileError(f"В таблице «{table.source}» не найдена строка заголовка (ожидаются столбцы "
                          "«№», «Мероприятие», «Срок исполнения», «Исполнители»).")


def guess_mapping(header: list[str]) -> list[str]:
    used: set[str] = set()
    mapping = []
    for cell in header:
        chosen = ""
        for name, rx in _GUESS:
            if name not in used and rx.search(cell or ""):
                chosen = name
                break
        if chosen:
            used.add(chosen)
        mapping.append(chosen)
    return mapping


def extract_events(table: RawTable, layout: TableLayout) -> tuple[list[RawEvent], list[str]]:
    """Rows → events: repeated headers and «1 2 3» rows dropped, rows without a number continue the
    previous event (page breaks), a stage column makes parent events. Returns (events, problems)."""
    m = layout.mapping
    if "text" not in m:
        raise ImportFileError("Укажите, какой столбец содержит текст мероприятия.")
    col = {name: m.index(name) for name in set(m) if name}
    header_norm = [c.lower() for c in layout.header]
    events: list[dict] = []
    problems: list[str] = []
    current_stage = ""

    def cell(row: list[str], name: str) -> str:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else ""

    for r_index in range(layout.header_row + 1, len(table.rows)):
        row = table.rows[r_index]
        if not any(row) or _is_number_row(row):
            continue
        lowered = [c.lower() for c in row]
        if lowered[: len(header_norm)] == header_norm[: len(lowered)] or (
                "мероприят" in " ".join(lowered) and ("срок" in " ".join(lowered)) and
                not normalise_number(cell(row, "number"))):
            continue  # header repeated on a new page
        number = normalise_number(cell(row, "number"))
        text = cell(row, "text")
        stage = cell(row, "stage")
        parent = ""
        if "stage" in col and stage:
            # «1.» «Проведение организационных мероприятий» «1.1. Организация …»
            events.append({"number": number, "text": stage, "form": "", "deadline": "", "executors": "",
                           "row": r_index + 1, "parent": ""})
            current_stage = number
        if "stage" in col:
            mm = re.match(r"^(\d+(?:\.\d+)+)\.?\s+(.*)$", text, re.S)
            if mm:
                number, text = mm.group(1), mm.group(2)
                parent = current_stage
            elif stage:
                continue
        if not number:
            if not events:
                problems.append(f"Строка {r_index + 1}: данные до первого пронумерованного мероприятия пропущены.")
                continue
            prev = events[-1]  # a cell continued after a page break
            for name in ("text", "form", "deadline", "executors"):
                extra = cell(row, name)
                if extra:
                    prev[name] = (prev[name] + " " + extra).strip()
            continue
        events.append({"number": number, "text": text, "form": cell(row, "form"),
                       "deadline": cell(row, "deadline"), "executors": cell(row, "executors"),
                       "row": r_index + 1, "parent": parent})
    out = []
    for e in events:
        if not e["text"]:
            problems.append(f"Строка {e['row']}: у мероприятия {e['number']} нет текста.")
        out.append(RawEvent(e["number"], _squash(e["text"]), _squash(e["form"]), _squash(e["deadline"]),
                            e["executors"].strip(), e["row"], e["parent"]))
    return out, problems


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
