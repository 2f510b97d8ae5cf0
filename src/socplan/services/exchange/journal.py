"""The journal of packages sent and received (who, when, sequence, SHA-256, result) and received documents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from socplan.db.models.exchange import ExchangeDocument, ExchangePackage
from socplan.domain.errors import NotFoundError
from socplan.services.context import AppContext

RESULTS = {"sent": "отправлен", "applied": "принят", "partial": "принят частично", "rejected": "отклонён"}
DIRECTIONS = {"sent": "отправлен", "received": "получен"}


@dataclass(frozen=True)
class JournalRow:
    id: int
    direction: str
    direction_label: str
    processed_at: dt.datetime
    sequence: int
    sender: str
    recipient: str
    period: str
    file_name: str
    sha256: str
    size: int
    user_name: str
    signer: str
    result: str
    result_label: str
    result_text: str
    contents: str
    applied: int
    skipped: int
    documents: tuple[str, ...]


def _party(territory: str, organisation: str) -> str:
    return f"{organisation} ({territory})" if organisation else territory


def list_journal(ctx: AppContext, direction: str | None = None) -> list[JournalRow]:
    with ctx.uow() as s:
        stmt = select(ExchangePackage).order_by(ExchangePackage.processed_at.desc(), ExchangePackage.id.desc())
        if direction:
            stmt = stmt.where(ExchangePackage.direction == direction)
        docs: dict[int, list[str]] = {}
        for pid, name in s.execute(select(ExchangeDocument.package_id, ExchangeDocument.name)):
            docs.setdefault(pid, []).append(name)
        rows = []
        for p in s.scalars(stmt):
            period = (f"{p.period_from:%d.%m.%Y} – {p.period_to:%d.%m.%Y}" if p.period_from and p.period_to else "")
            rows.append(JournalRow(
                p.id, p.direction, DIRECTIONS.get(p.direction, p.direction), p.processed_at, p.sequence,
                _party(p.sender_territory, p.sender_organisation), _party(p.recipient_territory, p.recipient_organisation),
                period, p.file_name, p.sha256, p.size, p.user_name, p.signer, p.result, RESULTS.get(p.result, p.result),
                p.result_text, p.contents, p.applied, p.skipped, tuple(docs.get(p.id, ()))))
        return rows


def document_bytes(ctx: AppContext, package_id: int, name: str) -> bytes:
    """A signed report received with a package, exactly as received."""
    with ctx.uow() as s:
        data = s.scalar(select(ExchangeDocument.data).where(ExchangeDocument.package_id == package_id,
                                                             ExchangeDocument.name == name))
        if data is None:
            raise NotFoundError(f"Документ «{name}» не найден в журнале обмена.")
        return data
