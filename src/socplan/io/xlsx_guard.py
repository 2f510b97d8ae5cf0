"""Opening Excel (and Word) files that came from outside without letting a small file take the machine down.

An xlsx is a zip of XML parts. Before openpyxl parses anything, the zip's directory is checked: file size, number
of entries, the uncompressed size of each part and of all of them, and the compression ratio (a 1 MB zip bomb
inflates to gigabytes). The declared sizes are upper bounds of what is read: Python's zip reader stops at the
declared size and a stream that would give more fails its CRC check. Then rows are streamed in read-only mode
with the sheet's declared ``<dimension>`` ignored (a sheet declaring A1:XFD1048576 would otherwise make openpyxl
pad 17 billion cells), up to a row and column limit the form can need; anything beyond is refused with a Russian
message. XML entity tricks are refused by defusedxml, which openpyxl uses when it is installed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from socplan.domain.errors import ImportFileError

MB = 1024 * 1024


@dataclass(frozen=True)
class OfficeLimits:
    max_file_bytes: int = 32 * MB
    max_entries: int = 1000
    max_total_bytes: int = 64 * MB  # all parts after decompression
    max_part_bytes: int = 32 * MB  # one worksheet / document body
    max_shared_bytes: int = 16 * MB  # shared strings and styles are parsed whole by openpyxl
    max_other_bytes: int = 4 * MB  # any other part (workbook, relationships, themes, images…)
    max_ratio: int = 200  # XML of a real workbook compresses 5–30×; a zip bomb 1000× and more
    ratio_floor_bytes: int = 1 * MB  # small parts are not ratio-checked (a few KB of spaces are harmless)


DEFAULT_OFFICE_LIMITS = OfficeLimits()
#: empty rows beyond the limit (Excel keeps formatted empty rows) read before the file is refused anyway
EMPTY_ROWS_TOLERATED = 50_000
_WHOLE_PARTS = ("xl/sharedStrings.xml", "xl/styles.xml")
_BODY_PREFIXES = ("xl/worksheets/", "word/document.xml")


def _part_label(name: str) -> str:
    """A zip part as the user may read it (no internal English paths in messages)."""
    if name.startswith("xl/worksheets/"):
        return "лист книги"
    if name == "xl/sharedStrings.xml":
        return "таблица текстов книги"
    if name == "xl/styles.xml":
        return "оформление книги"
    if name == "word/document.xml":
        return "текст документа"
    return "служебная часть файла"


def _refuse(name: str, reason: str) -> ImportFileError:
    return ImportFileError(f"Файл «{name}» не загружен: {reason}. Так выглядят повреждённые или вредоносные файлы; "
                           "откройте его в Excel или Word, сохраните заново и повторите загрузку.")


def check_office_zip(path: Path, what: str = "книгой Excel (.xlsx)",
                     limits: OfficeLimits = DEFAULT_OFFICE_LIMITS) -> None:
    """Refuse a file whose zip directory promises more than an office document of ours can need."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFileError(f"Файл «{path}» не найден.") from exc
    except OSError as exc:
        raise ImportFileError(f"Не удалось прочитать файл «{path}»: {exc.strerror}.") from exc
    if not path.is_file():
        raise ImportFileError(f"«{path}» — это папка, а не файл. Выберите файл.")
    if size > limits.max_file_bytes:
        raise _refuse(path.name, f"файл слишком велик ({size // MB} МБ, допускается {limits.max_file_bytes // MB} МБ)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ImportFileError(f"Файл «{path.name}» не является {what} или повреждён (обрезан). Сохраните его "
                              f"в {'Excel' if 'Excel' in what else 'Word'} в нужном формате и повторите загрузку.") from exc
    if len(infos) > limits.max_entries:
        raise _refuse(path.name, f"в архиве книги слишком много частей ({len(infos)}, допускается {limits.max_entries})")
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise _refuse(path.name, f"{_part_label(name)} — содержимое зашифровано")
        if name in _WHOLE_PARTS:
            cap = limits.max_shared_bytes
        elif name.startswith(_BODY_PREFIXES):
            cap = limits.max_part_bytes
        else:
            cap = limits.max_other_bytes
        if info.file_size > cap:
            raise _refuse(path.name, f"{_part_label(name)} — после распаковки {info.file_size // MB} МБ "
                                     f"(допускается {cap // MB} МБ) — похоже на zip-бомбу")
        if info.file_size >= limits.ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _refuse(path.name, f"{_part_label(name)} — степень сжатия {ratio:.0f} (допускается "
                                         f"{limits.max_ratio}) — похоже на zip-бомбу")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise _refuse(path.name, f"после распаковки книга занимает {total // MB} МБ (допускается "
                                 f"{limits.max_total_bytes // MB} МБ) — похоже на zip-бомбу")


def open_workbook(path: Path, limits: OfficeLimits = DEFAULT_OFFICE_LIMITS) -> Any:
    """Check the zip (see :func:`check_office_zip`), then open read-only with values only; Russian errors."""
    path = Path(path)
    check_office_zip(path, limits=limits)
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - every reader failure becomes one Russian message
        raise unreadable(path, exc) from exc


def unreadable(path: Path, exc: BaseException) -> ImportFileError:
    """The Russian message for a workbook openpyxl could not read (never the library's English text)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    names = " ".join(cls.__name__ for e in chain for cls in type(e).__mro__)
    if "DefusedXmlException" in names or "EntitiesForbidden" in names or "DTDForbidden" in names:
        return ImportFileError(f"Файл «{path.name}» содержит запрещённые XML-конструкции (сущности DTD) и не "
                               "загружен: так выглядят вредоносные файлы. Откройте его в Excel, сохраните заново и "
                               "повторите загрузку.")
    if "MemoryError" in names:
        return ImportFileError(f"Файл «{path.name}» слишком велик для загрузки. Удалите из книги лишние листы и "
                               "строки и повторите загрузку.")
    return ImportFileError(f"Файл «{path.name}» не удалось прочитать как книгу Excel: он повреждён или обрезан при "
                           "передаче. Откройте его в Excel, сохраните заново (формат .xlsx) и повторите загрузку.")


def sheet_rows(ws: Any, *, max_rows: int, max_cols: int, file_name: str, min_row: int = 1) -> Iterator[tuple]:
    """Rows of a read-only sheet as value tuples (at most ``max_cols`` wide), ignoring the declared dimension.

    A value beyond column ``max_cols`` or row ``max_rows`` refuses the file with the sheet and the cell named.
    Rows are padded to their own width only, so nothing is allocated for cells the file does not hold.
    """
    from openpyxl.utils import get_column_letter

    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    for number, row in enumerate(ws.iter_rows(min_row=min_row, values_only=True), start=min_row):
        if len(row) > max_cols and any(v is not None for v in row[max_cols:]):
            col = max_cols + 1 + next(i for i, v in enumerate(row[max_cols:]) if v is not None)
            raise ImportFileError(f"Лист «{ws.title}», ячейка {get_column_letter(col)}{number}: данные за пределами "
                                  f"формы (допускается не более {max_cols} столбцов). Файл «{file_name}» не загружен; "
                                  "удалите лишние столбцы и повторите загрузку.")
        if number > max_rows:
            if any(v is not None for v in row):
                raise ImportFileError(f"Лист «{ws.title}», строка {number}: слишком много строк (допускается "
                                      f"{max_rows}). Файл «{file_name}» не загружен; удалите лишние строки или "
                                      "разделите файл.")
            if number > max_rows + EMPTY_ROWS_TOLERATED:
                raise ImportFileError(f"Лист «{ws.title}»: слишком много строк (допускается {max_rows}). Файл "
                                      f"«{file_name}» не загружен; удалите лишние строки.")
            continue
        yield tuple(row[:max_cols])


def sheet_table(ws: Any, *, max_rows: int, max_cols: int, file_name: str) -> list[tuple]:
    """All rows of a sheet (see :func:`sheet_rows`), padded to the widest column that holds a value — what
    openpyxl would give for an honest sheet, without trusting its declared dimension."""
    rows = list(sheet_rows(ws, max_rows=max_rows, max_cols=max_cols, file_name=file_name))
    width = 0
    for row in rows:
        for i in range(len(row) - 1, width - 1, -1):
            if row[i] is not None:
                width = i + 1
                break
    return [tuple(row[:width]) + (None,) * (width - len(row)) for row in rows]
