"""The log file of headless commands: the full traceback of every failure (the screen gets one line)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path

from socplan import __version__
from socplan.services.settings import data_dir

MAX_BYTES = 1_000_000


def log_path() -> Path:
    return data_dir() / "logs" / "socplan.log"


def log_failure(exc: BaseException, argv: list[str]) -> Path | None:
    """Append the traceback to the log (the data folder, else the temporary folder); the path, or None."""
    record = (f"=== {dt.datetime.now():%d.%m.%Y %H:%M:%S} СоцПлан {__version__}, pid {os.getpid()}\n"
              f"команда: socplan {' '.join(argv)}\n"
              + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)) + "\n")
    for path in (log_path(), Path(tempfile.gettempdir()) / "socplan.log"):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and path.stat().st_size > MAX_BYTES:
                path.replace(path.with_suffix(".log.1"))
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(record)
            return path
        except OSError:
            continue
    return None
