"""Helpers shared by headless commands: opening the database, the user, JSON output, output files."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import shutil
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from socplan.atomic import os_reason, temp_dir_beside  # shared with the window
from socplan.domain.errors import SocPlanError

if TYPE_CHECKING:  # the database layer is imported by the commands that open it, not by ``--help``
    from socplan.services.context import AppContext


class UsageError(SocPlanError):
    """Wrong use of a command (exit code 2), as opposed to a failure while doing it (exit code 1)."""


def database_path(args: argparse.Namespace) -> Path | str:
    """``--db FILE`` (or a server address ``postgresql://user@host/db``, kept as text) or the working database of
    the settings; never the demo by accident."""
    from socplan.db.backend import is_server_url
    from socplan.services.settings import demo_db_path, load_settings

    explicit = getattr(args, "db", None)
    if explicit:
        return explicit if is_server_url(explicit) else Path(explicit)
    path = load_settings().working_database
    if path is None:
        raise SocPlanError(
            "Рабочая база данных ещё не создана. Создайте её командой «socplan db init» или укажите файл: "
            f"«socplan --db ФАЙЛ КОМАНДА» (демонстрационная база: «socplan --db {demo_db_path()} КОМАНДА»).")
    return path


@contextmanager
def open_context(args: argparse.Namespace, *, migrate_schema: bool = True, create: bool = False) -> Iterator[AppContext]:
    """The database named by ``--db`` or the settings: it must exist (``socplan db init`` creates one).
    ``create`` is accepted for older callers and has no effect: a command never creates a database implicitly."""
    from socplan.db.database import open_database
    from socplan.services.context import AppContext
    from socplan.services.settings import load_settings

    settings = load_settings()
    db = open_database(database_path(args), migrate_schema=migrate_schema)
    try:
        from socplan.services.users import resolve_user

        name = getattr(args, "user", None)
        position = "" if name else settings.user_position
        if db.backend == "postgresql" and not name:  # on a shared server the user is the one who logged in
            from socplan.db.postgres import login_user

            found = login_user(db.engine)
            if found is not None:
                name, position = found.user_name or found.login, found.position
        user = resolve_user(db, name or settings.user_name, position)
        yield AppContext(db=db, user=user)
    finally:
        db.close()


# ------------------------------------------------------------------ output files
def check_output(target: Path) -> Path:
    """The folder of an output file must exist and be writable; it is never created silently."""
    target = Path(target).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise SocPlanError(f"«{target}» — это папка. Укажите имя файла, например «{target / 'отчёт.pdf'}».")
    if not folder.exists():
        raise SocPlanError(f"Папка «{folder}» не существует. Создайте её или укажите другую папку для файла "
                           f"«{target.name}».")
    if not folder.is_dir():
        raise SocPlanError(f"«{folder}» — не папка. Укажите файл в существующей папке.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise SocPlanError(f"В папку «{folder}» запрещена запись. Укажите другую папку для файла «{target.name}».")
    return target


@contextmanager
def output_files(*targets: Path | None, ctx: AppContext | None = None) -> Iterator[list[Path | None]]:
    """Atomic output: yields temporary paths with the same file names (in a hidden folder beside each target);
    when the block ends without error they are renamed into place, otherwise removed — a failed command
    leaves no file. Folders are checked first (before anything is generated or journalled); with ``ctx``,
    entries the block added to the journal of reports are taken back when the file could not be written."""
    finals = [check_output(t) if t is not None else None for t in targets]
    made: list[Path] = []
    temps: list[Path | None] = []
    last_record = _last_report_id(ctx) if ctx is not None else None
    try:
        for final in finals:
            if final is None:
                temps.append(None)
                continue
            try:
                tmp_dir = temp_dir_beside(final)
            except OSError as exc:
                raise SocPlanError(f"Не удалось записать в папку «{final.parent}»: {os_reason(exc)}. "
                                   "Укажите другую папку.") from exc
            made.append(tmp_dir)
            temps.append(tmp_dir / final.name)
        yield temps
        for tmp, final in zip(temps, finals):
            if tmp is None or final is None:
                continue
            if not tmp.exists():
                raise SocPlanError(f"Файл «{final.name}» не сформирован.")
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise SocPlanError(f"Не удалось записать файл «{final}»: {os_reason(exc)}. Закройте файл в "
                                   "другой программе или укажите другое имя.") from exc
    except BaseException as exc:
        if ctx is not None:
            _forget_reports_after(ctx, last_record or 0)
        final = _final_for(exc, temps, finals)
        if final is not None:
            raise SocPlanError(f"Не удалось записать файл «{final}»: {os_reason(exc)}. Освободите место, "  # type: ignore[arg-type]
                               "проверьте права или укажите другую папку. Файл не создан.") from exc
        raise
    finally:
        for tmp_dir in made:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _final_for(exc: BaseException, temps: list[Path | None], finals: list[Path | None]) -> Path | None:
    """The output file an OS error while writing a temporary file was about (the user never sees temp names)."""
    if not isinstance(exc, OSError) or not exc.filename:
        return None
    for tmp, final in zip(temps, finals):
        if tmp is not None and str(exc.filename).startswith(str(tmp.parent)):
            return final
    return None


def _last_report_id(ctx: AppContext) -> int:
    from sqlalchemy import func, select

    from socplan.db.models.reports import ReportRecord

    with ctx.uow() as s:
        return int(s.scalar(select(func.max(ReportRecord.id))) or 0)


def _forget_reports_after(ctx: AppContext, last_id: int) -> None:
    """A report whose file was not written is not «issued»: its journal entries go."""
    from sqlalchemy import select

    from socplan.db.models.reports import ReportRecord

    with ctx.uow(reason="Файл отчёта не записан: запись журнала отменена") as s:
        for row in s.scalars(select(ReportRecord).where(ReportRecord.id > last_id)):
            s.delete(row)
        s.commit()


def write_output(target: Path, data: bytes) -> Path:
    """Write bytes to ``target`` atomically (temporary file, then rename)."""
    with output_files(target) as (tmp,):
        assert tmp is not None
        tmp.write_bytes(data)
    return Path(target)


def choice(values: dict[str, str], what: str):  # noqa: ANN201
    """An argparse ``type`` accepting Russian or English words (case-insensitive) for one canonical value."""
    canonical = {k.casefold(): v for k, v in values.items()}
    shown = ", ".join(dict.fromkeys(k for k in values if not k.isascii())) or ", ".join(values)

    def convert(text: str) -> str:
        value = canonical.get(text.strip().casefold())
        if value is None:
            raise argparse.ArgumentTypeError(f"{what} «{text}» не подходит; возможны: {shown}")
        return value

    convert.__name__ = what
    return convert


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"не сериализуется: {type(value).__name__}")


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="вывод в формате JSON")
