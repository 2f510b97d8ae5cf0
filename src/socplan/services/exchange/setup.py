"""Exchange settings: who this database is (district office or Ministry) and which certificates are trusted
to sign packages for which territory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from socplan.db.models.exchange import ExchangeIdentity, ExchangeTrustedCertificate
from socplan.db.models.reference import Organisation, Territory
from socplan.domain.errors import NotFoundError, SocPlanError, ValidationError
from socplan.domain.exchange import Party
from socplan.services.context import AppContext

ROLES = {"district": "районное управление", "ministry": "Министерство"}


@dataclass(frozen=True)
class IdentityRow:
    role: str
    role_label: str
    territory: str
    organisation: str
    pkcs12_path: str

    @property
    def party(self) -> Party:
        return Party(self.territory, self.organisation)


@dataclass(frozen=True)
class TrustedCertificateRow:
    id: int
    territory: str
    owner: str
    organisation: str
    serial: str
    fingerprint: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    added_at: dt.datetime
    added_by: str

    @property
    def expired(self) -> bool:
        return self.valid_to < dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

    @property
    def state_text(self) -> str:
        return f"истёк {self.valid_to:%d.%m.%Y}" if self.expired else f"действителен до {self.valid_to:%d.%m.%Y}"


def _identity_row(i: ExchangeIdentity) -> IdentityRow:
    return IdentityRow(i.role, ROLES.get(i.role, i.role), i.territory.name,
                       i.organisation.short_name if i.organisation else "", i.pkcs12_path)


def identity_in(session: Session) -> IdentityRow | None:
    row = session.scalar(select(ExchangeIdentity).limit(1))
    return _identity_row(row) if row else None


def get_identity(ctx: AppContext) -> IdentityRow | None:
    with ctx.uow() as s:
        return identity_in(s)


def require_identity(session: Session) -> IdentityRow:
    me = identity_in(session)
    if me is None:
        raise SocPlanError("Не указано, чья это база для обмена (район или Министерство). Откройте «Обмен → "
                           "Настройки обмена» и выберите территорию и организацию.")
    return me


def _territory(session: Session, name: str) -> Territory:
    t = session.scalar(select(Territory).where(Territory.name == name.strip()))
    if t is None:
        raise ValidationError("territory", f"Территория «{name}» не найдена в справочнике. Выберите её из списка.")
    return t


def set_identity(ctx: AppContext, role: str, territory: str, organisation: str = "",
                 pkcs12_path: str = "") -> IdentityRow:
    if role not in ROLES:
        raise ValidationError("role", "Укажите роль: район или Министерство.")
    with ctx.uow(reason="Настройки обмена") as s:
        t = _territory(s, territory)
        org = None
        if organisation.strip():
            org = s.scalar(select(Organisation).where(Organisation.short_name == organisation.strip()))
            if org is None:
                raise ValidationError("organisation", f"Организация «{organisation}» не найдена в справочнике.")
        row = s.scalar(select(ExchangeIdentity).limit(1)) or ExchangeIdentity()
        row.role, row.territory, row.organisation, row.pkcs12_path = role, t, org, pkcs12_path
        s.add(row)
        s.commit()
        return _identity_row(row)


def _trusted_row(c: ExchangeTrustedCertificate) -> TrustedCertificateRow:
    return TrustedCertificateRow(c.id, c.territory.name, c.owner, c.organisation, c.serial, c.fingerprint,
                                 c.valid_from, c.valid_to, c.added_at, c.added_by)


def trust_certificate(ctx: AppContext, territory: str, certificate: bytes | Path) -> TrustedCertificateRow:
    """Bind a sender's certificate (DER/PEM file or bytes) to the territory it may sign packages for."""
    from socplan.signing.certificates import certificate_der, certificate_info, load_certificate

    if isinstance(certificate, (str, Path)):
        try:
            certificate = Path(certificate).read_bytes()
        except OSError as exc:
            raise SocPlanError(f"Не удалось прочитать файл сертификата «{certificate}»: {exc.strerror}.") from exc
    cert = load_certificate(certificate)
    info = certificate_info(cert)
    with ctx.uow(reason="Доверенный сертификат обмена") as s:
        t = _territory(s, territory)
        existing = s.scalar(select(ExchangeTrustedCertificate).where(
            ExchangeTrustedCertificate.territory_id == t.id, ExchangeTrustedCertificate.fingerprint == info.fingerprint))
        if existing:
            return _trusted_row(existing)
        row = ExchangeTrustedCertificate(territory=t, fingerprint=info.fingerprint, owner=info.owner,
                                         organisation=info.organisation, serial=info.serial,
                                         valid_from=info.valid_from, valid_to=info.valid_to,
                                         der=certificate_der(cert), added_by=ctx.user.name)
        s.add(row)
        s.commit()
        return _trusted_row(row)


def list_trusted(ctx: AppContext) -> list[TrustedCertificateRow]:
    with ctx.uow() as s:
        rows = s.scalars(select(ExchangeTrustedCertificate).join(Territory)
                         .order_by(Territory.sort_order, ExchangeTrustedCertificate.owner)).all()
        return [_trusted_row(r) for r in rows]


def remove_trusted(ctx: AppContext, cert_id: int) -> None:
    with ctx.uow(reason="Исключение сертификата из доверенных для обмена") as s:
        row = s.get(ExchangeTrustedCertificate, cert_id)
        if row is None:
            raise NotFoundError("Сертификат не найден: возможно, его уже исключили.")
        s.delete(row)
        s.commit()


def trusted_der(session: Session, territory: str | None = None) -> list[bytes]:
    stmt = select(ExchangeTrustedCertificate.der)
    if territory is not None:
        stmt = stmt.join(Territory).where(Territory.name == territory)
    return list(session.scalars(stmt))


def own_certificate_der(pkcs12: bytes | Path, password: str) -> bytes:
    """The public certificate from this office's .pfx, to hand to the other side for their trusted list."""
    from socplan.signing.certificates import certificate_der, load_pkcs12

    return certificate_der(load_pkcs12(pkcs12, password).certificate)


@dataclass(frozen=True)
class CertificatePreview:
    """What a person checks before trusting a certificate (or reads out after exporting their own)."""

    owner: str
    position: str
    organisation: str
    issuer: str
    serial: str
    fingerprint: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    self_signed: bool
    state: str  # valid | expired | not_yet_valid

    @property
    def state_text(self) -> str:
        return {"expired": f"срок действия истёк {self.valid_to:%d.%m.%Y}",
                "not_yet_valid": f"ещё не действует (с {self.valid_from:%d.%m.%Y})"}.get(
            self.state, f"действителен с {self.valid_from:%d.%m.%Y} по {self.valid_to:%d.%m.%Y}")

    @property
    def fingerprint_text(self) -> str:
        """The SHA-256 fingerprint in pairs, to compare by telephone with the sender."""
        value = self.fingerprint.upper()
        return " ".join(value[i:i + 2] for i in range(0, len(value), 2))


def _preview(info) -> CertificatePreview:  # noqa: ANN001 - signing.certificates.CertificateInfo
    return CertificatePreview(info.owner, info.position, info.organisation, info.issuer, info.serial,
                              info.fingerprint, info.valid_from, info.valid_to, info.self_signed, info.state())


def inspect_certificate(certificate: bytes | Path) -> CertificatePreview:
    """Read a certificate file (DER/PEM) without trusting it: the owner, serial, validity and fingerprint."""
    from socplan.signing.certificates import certificate_info, load_certificate

    if isinstance(certificate, (str, Path)):
        try:
            certificate = Path(certificate).read_bytes()
        except OSError as exc:
            raise SocPlanError(f"Не удалось прочитать файл сертификата «{certificate}»: {exc.strerror}.") from exc
    return _preview(certificate_info(load_certificate(certificate)))


def export_own_certificate(pkcs12: Path, password: str, out: Path) -> CertificatePreview:
    """Write this office's public certificate (from its .pfx) to ``out`` for the other side's trusted list."""
    der = own_certificate_der(Path(pkcs12), password)
    try:
        Path(out).write_bytes(der)
    except OSError as exc:
        raise SocPlanError(f"Не удалось записать файл «{out}»: {exc.strerror}. Выберите другую папку.") from exc
    return inspect_certificate(der)
