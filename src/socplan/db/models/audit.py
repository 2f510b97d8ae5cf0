"""Audit log: who changed what, when, from which value to which, and why."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from socplan.db.base import Base, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __audit__ = False
    __label__ = "Журнал изменений"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # UTC
    user_name: Mapped[str] = mapped_column(String(255), default="")
    user_position: Mapped[str] = mapped_column(String(500), default="")
    action: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    entity: Mapped[str] = mapped_column(String(100))  # table name
    entity_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(100), default="")
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
