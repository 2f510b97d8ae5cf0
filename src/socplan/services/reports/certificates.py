"""Certificates known to the application: own signing certificates (the key stays in the user's .pfx file,
the password is never stored) and the trusted list used for verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from socplan.db.models.reports import SigningCertificate
from socplan.domain.errors import ConflictError, NotFoundError, SocPlanError, ValidationError
from socplan.services.context import AppContext
from socplan.signing import certificates as certs
from socplan.signing.certificates import CertificateInfo, SignerMaterial

ROLE_OWN = "own"
ROLE_TRUSTED = "trusted"
ROLE_NAMES = {ROLE_OWN: "для подписи", ROLE_TRUSTED: "доверенный"}


@dataclass(frozen=True)
class CertificateRow:
    id: int
    role: str
    owner: str
    issuer: str
    serial: str
    valid_from: dt.datetime
    valid_to: dt.datetime
    fingerprint: str
    qualified: bool
    pkcs12_path: str
    note: str
    added_at: dt.datetime
    added_by: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)

    @property
    def kind_text(self) -> str:
        return "квалифицированный" if self.qualified else certs.NOT_QUALIFIED

    @property
    def state(self) -> str:
        now = certs.utcnow()
        if now > self.valid_to:
            return "expired"
        if now < self.valid_from:
            return "not_yet_valid"
        return "valid"

    @property
    def state_text(self) -> str:
        return {"expired": f"истёк {self.valid_to:%d.%m.%Y}",
                "not_yet_valid": f"действует с {self.valid_from:%d.%m.%Y}"}.get(self.state, "действителен")

    @property
    def label(self) -> str:
        return f"{self.owner} — № {self.serial} (до {self.valid_to:%d.%m.%Y}, {self.state_text})"


def _row(c: SigningCertificate) -> CertificateRow:
    return CertificateRow(id=c.id, role=c.role, owner=c.owner, issuer=c.issuer, serial=c.serial,
                          valid_from=c.valid_from, valid_to=c.valid_to, fingerprint=c.fingerprint,
                          qualified=c.qualified, pkcs12_path=c.pkcs12_path, note=c.note, added_at=c.added_at,
                          added_by=c.added_by)


def validity_warning(info: CertificateInfo) -> str:
    """A Russian warning for an expired / not yet valid certificate ('' when fine)."""
    state = info.state()
    if state == "expired":
        return (f"Внимание: срок действия сертификата истёк {info.valid_to:%d.%m.%Y}. Подписывать им нельзя; "
                "подписи, поставленные им раньше, проверяются с пометкой об истёкшем сроке.")
    if state == "not_yet_valid":
        return f"Внимание: сертификат начинает действовать только {info.valid_from:%d.%m.%Y}."
    return ""


def open_signer(pkcs12_path: str | Path, password: str) -> SignerMaterial:
    """Open the user's .pfx/.p12 for one signing (the password is used in memory only)."""
    if not str(pkcs12_path).strip():
        raise ValidationError("pkcs12_path", "Выберите файл сертификата (.pfx/.p12).")
    return certs.load_pkcs12(Path(pkcs12_path), password)


def inspect_pkcs12(pkcs12_path: str | Path, password: str) -> CertificateInfo:
    return open_signer(pkcs12_path, password).info


def _store(ctx: AppContext, role: str, info: CertificateInfo, der: bytes, *, pkcs12_path: str = "",
           note: str = "", reason: str) -> CertificateRow:
    with ctx.uow(reason=reason) as s:
        existing = s.scalars(select(SigningCertificate).where(SigningCertificate.role == role,
                                                              SigningCertificate.fingerprint == info.fingerprint)).first()
        if existing is not None:
            if role == ROLE_OWN and pkcs12_path and existing.pkcs12_path != pkcs12_path:
                existing.pkcs12_path = pkcs12_path
                s.commit()
                return _row(existing)
            raise ConflictError(f"Сертификат {info.owner} № {info.serial} уже есть в списке "
                                f"«{'Мои сертификаты' if role == ROLE_OWN else 'Доверенные'}».")
        record = SigningCertificate(
            role=role, owner=info.owner, issuer=info.issuer, serial=info.serial, valid_from=info.valid_from,
            valid_to=info.valid_to, fingerprint=info.fingerprint, qualified=info.qualified, der=der,
            pkcs12_path=pkcs12_path, note=note, added_by=ctx.user.name,
        )
        s.add(record)
        s.commit()
        return _row(record)


def register_own_certificate(ctx: AppContext, pkcs12_path: str | Path, password: str) -> CertificateRow:
    """Remember a signing certificate: its public part and where its .pfx lives (never the password or key)."""
    signer = open_signer(pkcs12_path, password)
    path = str(Path(pkcs12_path).expanduser().resolve())
    return _store(ctx, ROLE_OWN, signer.info, certs.certificate_der(signer.certificate), pkcs12_path=path,
                  reason="Добавление сертификата для подписи")


def add_trusted(ctx: AppContext, data: bytes, note: str = "") -> CertificateRow:
    """Add a certificate (DER/PEM bytes) to the trusted list."""
    cert = certs.load_certificate(data)
    info = certs.certificate_info(cert)
    return _store(ctx, ROLE_TRUSTED, info, certs.certificate_der(cert), note=note,
                  reason="Добавление доверенного сертификата")


def add_trusted_file(ctx: AppContext, path: str | Path, note: str = "") -> CertificateRow:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SocPlanError(f"Не удалось прочитать файл «{path}»: {exc.strerror}. Выберите файл сертификата.") from exc
    return add_trusted(ctx, data, note or path.name)


def trust_own(ctx: AppContext, certificate_id: int) -> CertificateRow:
    """Put an own certificate on the trusted list (an office trusting its own self-signed certificates)."""
    with ctx.uow() as s:
        record = s.get(SigningCertificate, certificate_id)
        if record is None:
            raise NotFoundError("Сертификат не найден.")
        der = bytes(record.der)
    return add_trusted(ctx, der, "свой сертификат")


def create_self_signed_certificate(ctx: AppContext, *, full_name: str, position: str, organisation: str,
                                   days: int, password: str, target: str | Path,
                                   trust: bool = True) -> CertificateRow:
    """Create a self-signed certificate «не квалифицированный», save it as a password-protected .pfx at
    ``target`` (the user's file), remember it for signing and (``trust``) add it to the trusted list."""
    errors = []
    if not full_name.strip():
        errors.append(ValidationError("full_name", "Укажите ФИО владельца."))
    if len(password) < 6:
        errors.append(ValidationError("password", "Пароль к файлу сертификата — не короче 6 символов."))
    if not 1 <= days <= 3650:
        errors.append(ValidationError("days", "Срок действия — от 1 до 3650 дней."))
    if not str(target).strip():
        errors.append(ValidationError("target", "Укажите, куда сохранить файл сертификата (.pfx)."))
    if errors:
        from socplan.domain.errors import ValidationErrors

        raise ValidationErrors(errors) if len(errors) > 1 else errors[0]
    data = certs.create_self_signed(full_name, position, organisation, days, password=password)
    target = Path(target).expanduser()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise SocPlanError(f"Не удалось сохранить файл сертификата «{target}»: {exc.strerror}. "
                           "Выберите другую папку.") from exc
    row = register_own_certificate(ctx, target, password)
    if trust:
        signer = certs.load_pkcs12(data, password)
        add_trusted(ctx, certs.certificate_der(signer.certificate), "создан в СоцПлан")
    return row


def list_certificates(ctx: AppContext, role: str | None = None) -> list[CertificateRow]:
    with ctx.uow() as s:
        query = select(SigningCertificate).order_by(SigningCertificate.role, SigningCertificate.owner)
        if role:
            query = query.where(SigningCertificate.role == role)
        return [_row(c) for c in s.scalars(query)]


def certificate_details(ctx: AppContext, certificate_id: int) -> CertificateInfo:
    with ctx.uow() as s:
        record = s.get(SigningCertificate, certificate_id)
        if record is None:
            raise NotFoundError("Сертификат не найден.")
        return certs.certificate_info(bytes(record.der))


def remove_certificate(ctx: AppContext, certificate_id: int) -> None:
    with ctx.uow(reason="Удаление сертификата из списка") as s:
        record = s.get(SigningCertificate, certificate_id)
        if record is None:
            raise NotFoundError("Сертификат не найден (возможно, уже удалён).")
        s.delete(record)
        s.commit()


def trusted_certificates(ctx: AppContext) -> list[bytes]:
    """DER of every trusted certificate (trust anchors for verification)."""
    with ctx.uow() as s:
        return [bytes(d) for d in s.scalars(select(SigningCertificate.der)
                                            .where(SigningCertificate.role == ROLE_TRUSTED))]
