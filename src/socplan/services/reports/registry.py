"""The journal of generated reports: every printed document is recorded (kind, parameters, who, when, SHA-256).

Storage: the PDF bytes are kept in the database row (``report_record.data``), not as a path. A report is
small (tens to hundreds of kilobytes), the journal must re-open exactly what was issued even when files on
disk move, and the database backup then carries the reports too.

Usage from any capability, inside its own unit of work::

    with ctx.uow(reason="Печать плана") as s:
        row = record_report(s, kind="plan", title="План мероприятий …", params={"plan_id": 5}, data=pdf,
                            file_name="План НОК 2025.pdf")
        s.commit()
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from socplan.db.models.reports import ReportRecord
from socplan.domain.errors import NotFoundError, ValidationError
from socplan.services.context import AppContext

#: Known report kinds → Russian names (other capabilities may use their own kinds; unknown ones show as is).
KIND_NAMES = {
    "plan": "План мероприятий",
    "plan_execution": "Исполнение плана",
    "protocol": "Протокол",
    "decisions_execution": "Исполнение решений",
    "indicators": "Показатели",
    "subsidies": "Субсидии",
    "exchange": "Пакет обмена",
    "signed": "Подписанный документ",
    "selftest": "Самопроверка",
}


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


@dataclass(frozen=True)
class ReportRecordRow:
    """A journal entry (``created_at`` in local time)."""

    id: int
    kind: str
    title: str
    params: dict[str, Any]
    user_name: str
    user_position: str
    created_at: dt.datetime
    sha256: str
    size: int
    file_name: str
    source_id: int | None
    signed_by: str

    @property
    def kind_name(self) -> str:
        return kind_name(self.kind)

    @property
    def signed(self) -> bool:
        return bool(self.signed_by)

    @property
    def suggested_name(self) -> str:
        if self.file_name:
            return self.file_name
        safe = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in self.title).strip(" .") or "отчёт"
        return f"{safe[:120]}.pdf"


def _params_text(params: dict[str, Any]) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return str(value)

    return json.dumps(params or {}, ensure_ascii=False, sort_keys=True, default=default)


def _row(r: ReportRecord) -> ReportRecordRow:
    try:
        params = json.loads(r.params_json or "{}")
    except ValueError:
        params = {}
    # stored in UTC (utcnow); shown in the user's local time
    created = r.created_at.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None)
    return ReportRecordRow(id=r.id, kind=r.kind, title=r.title, params=params, user_name=r.user_name,
                           user_position=r.user_position, created_at=created, sha256=r.sha256, size=r.size,
                           file_name=r.file_name, source_id=r.source_id, signed_by=r.signed_by)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_FORBIDDEN_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_file_name(name: str, default: str = "отчёт", max_stem: int = 120) -> str:
    """A file name any system accepts (Windows too): forbidden characters removed, spaces collapsed,
    the stem shortened; the extension (if any) kept."""
    name = " ".join(_FORBIDDEN_IN_FILE_NAMES.sub(" ", name or "").split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not (1 <= len(ext) <= 5 and ext.isalnum()):
        stem, ext = name, ""
    stem = stem[:max_stem].strip(" .") or default
    return f"{stem}.{ext}" if ext else stem


def record_report(session: Session, *, kind: str, title: str, params: dict[str, Any], data: bytes,
                  file_name: str = "", source_id: int | None = None, signed_by: str = "") -> ReportRecordRow:
    """Record a generated report in the caller's unit of work (the caller commits). Who: ``session.info``."""
    if not kind.strip():
        raise ValidationError("kind", "Не указан вид отчёта.")
    if not title.strip():
        raise ValidationError("title", "Не указано название отчёта.")
    if not data:
        raise ValidationError("data", "Отчёт пуст: файл не сформирован.")
    record = ReportRecord(
        kind=kind.strip(), title=title.strip()[:1000], params_json=_params_text(params), data=bytes(data),
        sha256=sha256_hex(data), size=len(data), file_name=safe_file_name(file_name) if file_name else "",
        user_name=str(session.info.get("user_name", "")), user_position=str(session.info.get("user_position", "")),
        source_id=source_id, signed_by=signed_by[:1000],
    )
    session.add(record)
    session.flush()
    return _row(record)


def list_reports(ctx: AppContext, *, kind: str | None = None) -> list[ReportRecordRow]:
    """The journal, newest first (without the file bytes)."""
    with ctx.uow() as s:
        query = select(ReportRecord).options(defer(ReportRecord.data)).order_by(ReportRecord.created_at.desc(),
                                                                                ReportRecord.id.desc())
        if kind:
            query = query.where(ReportRecord.kind == kind)
        return [_row(r) for r in s.scalars(query)]


def get_report(ctx: AppContext, report_id: int) -> ReportRecordRow:
    with ctx.uow() as s:
        record = s.get(ReportRecord, report_id, options=[defer(ReportRecord.data)])
        if record is None:
            raise NotFoundError(f"Отчёт № {report_id} не найден в журнале (возможно, удалён).")
        return _row(record)


def get_report_bytes(ctx: AppContext, report_id: int) -> bytes:
    """The file exactly as it was issued (its SHA-256 is checked against the journal)."""
    with ctx.uow() as s:
        record = s.get(ReportRecord, report_id)
        if record is None:
            raise NotFoundError(f"Отчёт № {report_id} не найден в журнале (возможно, удалён).")
        data = bytes(record.data)
        if sha256_hex(data) != record.sha256:
            raise NotFoundError(f"Файл отчёта № {report_id} в базе повреждён: контрольная сумма не совпадает. "
                                "Сформируйте отчёт заново.")
        return data


def find_by_hash(ctx: AppContext, sha256: str) -> list[ReportRecordRow]:
    """Journal entries whose file has this SHA-256 (is this file one we issued?)."""
    with ctx.uow() as s:
        query = select(ReportRecord).options(defer(ReportRecord.data)).where(ReportRecord.sha256 == sha256.lower())
        return [_row(r) for r in s.scalars(query)]


def save_report(ctx: AppContext, *, kind: str, title: str, params: dict[str, Any], data: bytes,
                file_name: str = "", source_id: int | None = None, signed_by: str = "",
                reason: str = "") -> ReportRecordRow:
    """``record_report`` in its own unit of work (for callers without one)."""
    with ctx.uow(reason=reason or f"Формирование отчёта «{title}»") as s:
        row = record_report(s, kind=kind, title=title, params=params, data=data, file_name=file_name,
                            source_id=source_id, signed_by=signed_by)
        s.commit()
        return row


__all__ = ["ReportRecordRow", "record_report", "list_reports", "get_report", "get_report_bytes", "find_by_hash",
           "save_report", "kind_name", "sha256_hex"]
