"""Models of the reports capability: the journal of generated reports and the certificates list."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from socplan.db.base import Base, utcnow


class ReportRecord(Base):
    """One generated (or signed) report file. The PDF bytes are kept in the row itself (``data``):
    the journal must re-open exactly what was issued even if the file on disk was moved or changed."""

    __tablename__ = "report_record"
    __label__ = "Журнал отчётов"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), nullable=False)
    title: Mapped[str] = mapped_column(String(1000), nullable=False)
    params_json: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    user_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    user_position: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    file_name: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    #: the report this one was made from (a signed copy points at the unsigned original)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("report_record.id", ondelete="SET NULL"), nullable=True)
    #: «И.О. Фамилия» of the signers, comma separated (empty: not signed)
    signed_by: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_report_record_kind_created", "kind", "created_at"),)


class SigningCertificate(Base):
    """A certificate known to the application: ``role`` = "trusted" (a trust anchor for verification) or
    "own" (a signing certificate of this office's user; the key stays in the user's .pfx at ``pkcs12_path``).
    Passwords are never stored."""

    __tablename__ = "signing_certificate"
    __label__ = "Сертификаты"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    owner: Mapped[str] = mapped_column(String(500), nullable=False)
    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    serial: Mapped[str] = mapped_column(String(100), nullable=False)
    valid_from: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    valid_to: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    qualified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    der: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    pkcs12_path: Mapped[str] = mapped_column(String(2000), nullable=False, default="")
    note: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(255), nullable=False, default="")

    __table_args__ = (UniqueConstraint("role", "fingerprint", name="uq_signing_certificate_role_fingerprint"),)
