"""Models of the exchange capability: this office's identity, trusted certificates by territory, the package
journal, per-sender sequence numbers, stable UUIDs and versions of exchanged records, remarks, received files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from socplan.db.base import Base, utcnow
from socplan.db.models.reference import Organisation, Territory


class ExchangeIdentity(Base):
    """Who this database is in exchanges (one row): a district office or the Ministry, and the signing key."""

    __tablename__ = "exchange_identity"
    __label__ = "Настройки обмена"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="district")  # district | ministry
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    pkcs12_path: Mapped[str] = mapped_column(String(2000), default="")  # the key stays in the user's file

    territory: Mapped[Territory] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class ExchangeTrustedCertificate(Base):
    """A certificate trusted to sign packages on behalf of one territory (binding certificate ↔ territory)."""

    __tablename__ = "exchange_trusted_certificate"
    __label__ = "Доверенные сертификаты обмена"
    __table_args__ = (UniqueConstraint("territory_id", "fingerprint", name="uq_exchange_trusted_certificate_binding"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id", ondelete="RESTRICT"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(500), default="")
    organisation: Mapped[str] = mapped_column(String(500), default="")
    serial: Mapped[str] = mapped_column(String(100), default="")
    valid_from: Mapped[dt.datetime] = mapped_column()
    valid_to: Mapped[dt.datetime] = mapped_column()
    der: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(255), default="")

    territory: Mapped[Territory] = relationship()


class ExchangePackage(Base):
    """The journal: every package formed (sent) or imported (received), with its result."""

    __tablename__ = "exchange_package"
    __label__ = "Журнал пакетов обмена"
    __table_args__ = (Index("ix_exchange_package_sender", "direction", "sender_territory", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(10))  # sent | received
    package_uuid: Mapped[str] = mapped_column(String(36))
    file_name: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    sender_territory: Mapped[str] = mapped_column(String(255), default="")
    sender_organisation: Mapped[str] = mapped_column(String(255), default="")
    recipient_territory: Mapped[str] = mapped_column(String(255), default="")
    recipient_organisation: Mapped[str] = mapped_column(String(255), default="")
    period_from: Mapped[dt.date | None] = mapped_column()
    period_to: Mapped[dt.date | None] = mapped_column()
    created_at: Mapped[dt.datetime | None] = mapped_column()  # as written in the manifest (UTC)
    processed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    user_name: Mapped[str] = mapped_column(String(255), default="")
    signer: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[str] = mapped_column(String(20))  # sent | applied | partial | rejected | refused | duplicate
    result_text: Mapped[str] = mapped_column(Text, default="")
    contents: Mapped[str] = mapped_column(Text, default="")  # «значения показателей: 80 000; …»
    applied: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class ExchangeSenderState(Base):
    """The last sequence number imported from each sender (older packages are refused)."""

    __tablename__ = "exchange_sender_state"
    __label__ = "Последние пакеты отправителей"
    __table_args__ = (UniqueConstraint("territory", "organisation", name="uq_exchange_sender_state_sender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory: Mapped[str] = mapped_column(String(255))
    organisation: Mapped[str] = mapped_column(String(255), default="")
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ExchangeRecord(Base):
    """A stable UUID and version for a local record of another capability (entity = table name, local id).

    ``synced_hash`` is the content fingerprint at the last exchange of this record (sent or received): a record
    changed on both sides since then is a conflict.
    """

    __tablename__ = "exchange_record"
    __label__ = "Идентификаторы записей обмена"
    __audit__ = False  # bookkeeping written in bulk; the changed records themselves are audited
    __table_args__ = (UniqueConstraint("entity", "local_id", name="uq_exchange_record_local"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(100))
    local_id: Mapped[int] = mapped_column(Integer)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    synced_hash: Mapped[str] = mapped_column(String(64), default="")
    synced_at: Mapped[dt.datetime | None] = mapped_column()


class ExchangeRemark(Base):
    """A remark on one record («на доработку»), from the Ministry to a district; shown on the district's cell."""

    __tablename__ = "exchange_remark"
    __label__ = "Замечания по обмену"
    __table_args__ = (Index("ix_exchange_remark_record", "entity", "local_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(100))
    local_id: Mapped[int] = mapped_column(Integer)
    record_uuid: Mapped[str] = mapped_column(String(36), default="")
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    package_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_package.id", ondelete="SET NULL"))
    resolved: Mapped[bool] = mapped_column(default=False)


class ExchangeDocument(Base):
    """A signed PDF report that came with a received package (kept whole, as received)."""

    __tablename__ = "exchange_document"
    __label__ = "Документы пакетов обмена"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("exchange_package.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)


__all__ = ["ExchangeIdentity", "ExchangeTrustedCertificate", "ExchangePackage", "ExchangeSenderState",
           "ExchangeRecord", "ExchangeRemark", "ExchangeDocument"]
