"""Certificates: PKCS#12 import, self-signed certificates for offices without a PKI, certificate details.

The PKCS#12 password is never stored anywhere: it is used once to open the container in memory.
The private key stays in the user's file; only the certificate (public part) may be kept in the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from socplan.signing.errors import CertificateError, WrongPasswordError

#: Marker written into self-signed certificates (subject OU) and shown wherever they appear.
NOT_QUALIFIED = "не квалифицированный"
NOT_QUALIFIED_OU = "Сертификат не квалифицированный (создан в СоцПлан)"


@dataclass(frozen=True)
class CertificateInfo:
    """What a user checks on a certificate: owner, issuer, serial, validity."""

    owner: str  # ФИО (or the subject's common name)
    position: str
    organisation: str
    issuer: str
    serial: str  # hex, upper case, leading zeros kept, as in the certificate (see serial_text)
    valid_from: dt.datetime  # UTC, naive
    valid_to: dt.datetime  # UTC, naive
    fingerprint: str  # SHA-256 of the DER, hex
    self_signed: bool
    qualified: bool  # False for self-signed / «не квалифицированный» certificates
    subject: str  # the full subject, RFC 4514 style

    def state(self, at: dt.datetime | None = None) -> str:
        """'valid' | 'expired' | 'not_yet_valid' at ``at`` (UTC, default now)."""
        now = at or utcnow()
        if now < self.valid_from:
            return "not_yet_valid"
        if now > self.valid_to:
            return "expired"
        return "valid"

    def state_text(self, at: dt.datetime | None = None) -> str:
        state = self.state(at)
        if state == "expired":
            return f"срок действия истёк {self.valid_to:%d.%m.%Y}"
        if state == "not_yet_valid":
            return f"ещё не действует (с {self.valid_from:%d.%m.%Y})"
        return "действителен"

    @property
    def validity_text(self) -> str:
        return f"с {self.valid_from:%d.%m.%Y} по {self.valid_to:%d.%m.%Y}"

    @property
    def kind_text(self) -> str:
        return "квалифицированный" if self.qualified else NOT_QUALIFIED


@dataclass(frozen=True)
class SignerMaterial:
    """An opened signing certificate: private key, certificate, chain (cryptography objects)."""

    key: Any
    certificate: Any
    chain: tuple[Any, ...] = ()

    @property
    def info(self) -> CertificateInfo:
        return certificate_info(self.certificate)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# ------------------------------------------------------------------ conversions
def load_certificate(data: bytes | Any) -> Any:
    """A certificate from DER or PEM bytes (or a cryptography / asn1crypto object) → cryptography x509."""
    from cryptography import x509

    if isinstance(data, x509.Certificate):
        return data
    if hasattr(data, "dump") and not isinstance(data, (bytes, bytearray)):  # asn1crypto
        data = data.dump()
    raw = bytes(data)
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except ValueError as exc:
        raise CertificateError("Файл не является сертификатом (ожидается .cer/.crt/.pem в формате DER или PEM). "
                               "Выберите файл сертификата.") from exc


def certificate_der(cert: Any) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding

    return load_certificate(cert).public_bytes(Encoding.DER)


def to_asn1(cert: Any) -> Any:
    """cryptography / bytes → asn1crypto certificate (what pyHanko works with)."""
    from asn1crypto import x509 as asn1_x509

    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(certificate_der(cert))


def to_asn1_list(certs: Iterable[Any]) -> list[Any]:
    return [to_asn1(c) for c in certs]


# ------------------------------------------------------------------ details
def _attr(name: Any, oid: Any) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _name_text(name: Any) -> str:
    from cryptography.x509.oid import NameOID

    owner = " ".join(p for p in (_attr(name, NameOID.SURNAME), _attr(name, NameOID.GIVEN_NAME)) if p)
    return owner or _attr(name, NameOID.COMMON_NAME) or name.rfc4514_string()


def serial_text(cert: Any) -> str:
    """The serial number as the certificate holds it: the DER integer's octets in upper-case hex, leading zeros
    kept (what CryptoPro, Windows and ``openssl x509 -text`` show), e.g. «00A3F1…» or «0A12…», not «A3F1…»."""
    try:
        from asn1crypto import x509 as asn1_x509

        if cert.public_key_algorithm_oid.dotted_string.startswith("1.2.643."):  # GOST: asn1crypto learns its OIDs
            from socplan.signing import gost

            gost.register_asn1()
        octets = asn1_x509.Certificate.load(certificate_der(cert))["tbs_certificate"]["serial_number"].contents
    except Exception:  # noqa: BLE001 - fall back to the minimal DER form of the number
        number = cert.serial_number
        octets = number.to_bytes(number.bit_length() // 8 + 1, "big", signed=True)
    return octets.hex().upper()


def certificate_info(cert: Any) -> CertificateInfo:
    from cryptography.x509.oid import NameOID

    cert = load_certificate(cert)
    subject, issuer = cert.subject, cert.issuer
    ou = _attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)
    self_signed = subject == issuer
    return CertificateInfo(
        owner=_name_text(subject),
        position=_attr(subject, NameOID.TITLE),
        organisation=_attr(subject, NameOID.ORGANIZATION_NAME),
        issuer=_attr(issuer, NameOID.COMMON_NAME) or _attr(issuer, NameOID.ORGANIZATION_NAME) or issuer.rfc4514_string(),
        serial=serial_text(cert),
        valid_from=cert.not_valid_before_utc.replace(tzinfo=None),
        valid_to=cert.not_valid_after_utc.replace(tzinfo=None),
        fingerprint=hashlib.sha256(certificate_der(cert)).hexdigest(),
        self_signed=self_signed,
        qualified=not self_signed and NOT_QUALIFIED not in ou.casefold(),
        subject=subject.rfc4514_string(),
    )


# ------------------------------------------------------------------ PKCS#12
def _read(path_or_bytes: str | Path | bytes) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, (bytes, bytearray)):
        return bytes(path_or_bytes), "контейнер"
    path = Path(path_or_bytes)
    try:
        return path.read_bytes(), f"«{path.name}»"
    except FileNotFoundError as exc:
        raise CertificateError(f"Файл сертификата «{path}» не найден. Выберите файл .pfx/.p12 заново.") from exc
    except OSError as exc:
        raise CertificateError(f"Не удалось прочитать файл сертификата «{path}»: {exc.strerror}.") from exc


def load_pkcs12(path_or_bytes: str | Path | bytes, password: str | bytes | None) -> SignerMaterial:
    """Open a .pfx/.p12 file: key, certificate, chain. Wrong password / no key → CertificateError in Russian."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    data, label = _read(path_or_bytes)
    pwd = password.encode("utf-8") if isinstance(password, str) else password
    loaded = None
    last_error: Exception | None = None
    for attempt in ([pwd] if pwd else [None, b""]):
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
            break
        except ValueError as exc:
            last_error = exc
    if loaded is None:
        text = str(last_error).casefold()
        if "password" in text or "mac" in text or "decrypt" in text:
            raise WrongPasswordError(f"Неверный пароль к сертификату {label}. Проверьте раскладку клавиатуры и "
                                     "Caps Lock и введите пароль ещё раз.") from last_error
        raise CertificateError(f"Файл {label} не является контейнером PKCS#12 (.pfx/.p12) или повреждён. "
                               "Выберите файл сертификата с закрытым ключом.") from last_error
    if loaded.key is None:
        raise CertificateError(f"В файле {label} нет закрытого ключа — им нельзя подписывать. Выберите файл .pfx/.p12, "
                               "экспортированный вместе с закрытым ключом.")
    if loaded.cert is None:
        raise CertificateError(f"В файле {label} нет сертификата владельца ключа. Выберите другой файл.")
    chain = tuple(c.certificate for c in loaded.additional_certs)
    return SignerMaterial(key=loaded.key, certificate=loaded.cert.certificate, chain=chain)


def create_self_signed(full_name: str, position: str, organisation: str, days: int = 365, *,
                       password: str | bytes = "", not_before: dt.datetime | None = None) -> bytes:
    """A self-signed certificate for a person, marked «не квалифицированный»; returns PKCS#12 bytes.

    ``password`` protects the container (empty: no encryption — only for tests and throw-away keys).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    full_name = " ".join(full_name.split())
    if not full_name:
        raise CertificateError("Укажите ФИО владельца сертификата.")
    if days < 1:
        raise CertificateError("Срок действия сертификата должен быть не меньше одного дня.")
    parts = full_name.split(" ", 1)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, full_name), x509.NameAttribute(NameOID.SURNAME, parts[0])]
    if len(parts) > 1:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, parts[1]))
    if position.strip():
        attrs.append(x509.NameAttribute(NameOID.TITLE, position.strip()))
    if organisation.strip():
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()[:64]))
    attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, NOT_QUALIFIED_OU))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"))
    name = x509.Name(attrs)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = (not_before or utcnow()).replace(microsecond=0)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pwd = password.encode("utf-8") if isinstance(password, str) else password
    encryption = (serialization.BestAvailableEncryption(pwd) if pwd else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(full_name.encode("utf-8"), key, cert, None, encryption)


__all__ = ["CertificateInfo", "SignerMaterial", "NOT_QUALIFIED", "load_pkcs12", "create_self_signed",
           "certificate_info", "load_certificate", "certificate_der", "to_asn1", "to_asn1_list"]
