"""Files appear whole or not at all: every file the application saves (from the command line or from the window)
is written to a temporary file in a hidden folder beside the target and renamed into place only when complete, so
a full disk, a missing right or a crash leaves no half-written file. A top-level module (standard library only):
``cli/`` and ``ui/`` both use it and the window may not import the command line."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: what the user reads instead of the system's English «No space left on device»
OS_REASONS = {
    "ENOSPC": "на диске нет места",
    "EFBIG": "файл слишком велик для этого диска",
    "EACCES": "нет прав на запись",
    "EPERM": "нет прав на запись",
    "EROFS": "диск доступен только для чтения",
    "ENOENT": "папка или файл не найдены",
    "EISDIR": "это папка, а не файл",
    "ENOTDIR": "в пути есть файл вместо папки",
    "EBUSY": "файл занят другой программой",
    "ENAMETOOLONG": "слишком длинное имя файла",
    "EDQUOT": "превышена квота на диске",
}


def os_reason(exc: OSError) -> str:
    """The reason of a failed file operation in Russian."""
    name = errno.errorcode.get(exc.errno or 0, "")
    return OS_REASONS.get(name, exc.strerror or "ошибка ввода-вывода")


def save_failed(path: str | Path, exc: OSError) -> str:
    """The message shown when ``path`` could not be saved: what happened and what to do."""
    return (f"Не удалось сохранить файл «{path}»: {os_reason(exc)}. Освободите место, проверьте права или выберите "
            "другую папку. Файл не создан.")


def temp_dir_beside(final: Path) -> Path:
    """A hidden temporary folder in the target's folder (same disk, so the final rename is atomic)."""
    return Path(tempfile.mkdtemp(prefix=".socplan-", dir=final.parent if str(final.parent) else "."))


@contextmanager
def replacing(final: str | Path) -> Iterator[Path]:
    """Yields a temporary path with the target's file name; when the block ends without error the file is renamed
    to ``final`` (replacing an older one), otherwise nothing is left. OSError passes through (see
    :func:`save_failed` for its message)."""
    final = Path(final)
    tmp_dir = temp_dir_beside(final)
    try:
        tmp = tmp_dir / final.name
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(errno.ENOENT, "файл не сформирован", str(final))
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


def write_bytes(final: str | Path, data: bytes) -> Path:
    """``final`` holds exactly ``data`` afterwards, or (on OSError) is left as it was."""
    final = Path(final)
    with replacing(final) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    return final


__all__ = ["OS_REASONS", "os_reason", "save_failed", "temp_dir_beside", "replacing", "write_bytes"]
