"""Qualified (GOST) signatures through CryptoPro CSP: settings, certificate choice, signing files and packages.

The RSA/ECDSA signer with the application's own certificates stays the default; CryptoPro is used when the
user asks for it (``socplan sign --cryptopro``, ``socplan exchange export --cryptopro``). Settings live in the
settings file (``extra["cryptopro"]``: path to cryptcp, thumbprint of the chosen certificate); no PIN is ever
asked or kept by the application — CryptoPro asks for it in its own window.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from socplan.domain.errors import SocPlanError, ValidationError
from socplan.signing import cryptopro
from socplan.signing.certificates import CertificateInfo, certificate_info

SETTINGS_KEY = "cryptopro"
DEFAULT_CRYPTCP = r"C:\Program Files\Crypto Pro\CSP\cryptcp.exe"


@dataclass(frozen=True)
class CryptoProChoice:
    """The configured CryptoPro signer: settings and the certificate's details (for the stamp and journals)."""

    settings: cryptopro.CryptoProSettings
    certificate_der: bytes
    info: CertificateInfo


def load_cryptopro_settings() -> cryptopro.CryptoProSettings:
    from socplan.services.settings import load_settings

    raw = load_settings().extra.get(SETTINGS_KEY) or {}
    if not isinstance(raw, dict):
        raw = {}
    return cryptopro.CryptoProSettings(cryptcp=str(raw.get("cryptcp") or ""), thumbprint=str(raw.get("thumbprint") or ""))


def save_cryptopro_settings(cryptcp: str | None = None, thumbprint: str | None = None) -> cryptopro.CryptoProSettings:
    """Remember where cryptcp is and/or which certificate to use (None keeps the current value)."""
    from socplan.services.settings import load_settings, save_settings

    settings = load_settings()
    current = load_cryptopro_settings()
    value = {"cryptcp": current.cryptcp if cryptcp is None else str(cryptcp).strip(),
             "thumbprint": current.thumbprint if thumbprint is None else cryptopro.normalise_thumbprint(thumbprint)}
    settings.extra[SETTINGS_KEY] = value
    save_settings(settings)
    return cryptopro.CryptoProSettings(**value)


def _effective(cryptcp: str | None = None, thumbprint: str | None = None) -> cryptopro.CryptoProSettings:
    saved = load_cryptopro_settings()
    return cryptopro.CryptoProSettings(cryptcp=cryptcp or saved.cryptcp or DEFAULT_CRYPTCP,
                                       thumbprint=thumbprint or saved.thumbprint)


def list_certificates(cryptcp: str | None = None) -> list[cryptopro.CryptoProCertificate]:
    """The personal certificates CryptoPro shows (``certmgr -list -store uMy``)."""
    return cryptopro.list_certificates(_effective(cryptcp))


def choose_certificate(choice: str, cryptcp: str | None = None) -> cryptopro.CryptoProCertificate:
    """Pick a certificate by its number in the list or by (a unique start of) its thumbprint, and save the choice."""
    certificates = list_certificates(cryptcp)
    if not certificates:
        raise SocPlanError("КриптоПро не показала ни одного личного сертификата. Установите сертификат с ключом "
                           "(«КриптоПро CSP» → «Сервис» → «Просмотреть сертификаты в контейнере» → «Установить»).")
    text = choice.strip()
    if text.isdigit() and len(text) <= 3:
        found = [c for c in certificates if c.number == int(text)]
    else:
        wanted = cryptopro.normalise_thumbprint(text)
        found = [c for c in certificates if wanted and c.thumbprint.startswith(wanted)]
    if len(found) != 1:
        raise ValidationError("certificate", f"Сертификат «{choice}» не найден в списке КриптоПро (или подходит "
                                             "несколько). Укажите номер из списка или отпечаток полностью.")
    if not found[0].has_key:
        raise ValidationError("certificate", f"У сертификата {found[0].owner} нет закрытого ключа на этом компьютере: "
                                             "им нельзя подписывать. Вставьте носитель с ключом.")
    save_cryptopro_settings(cryptcp=cryptcp, thumbprint=found[0].thumbprint)
    return found[0]


def open_cryptopro(cryptcp: str | None = None, thumbprint: str | None = None) -> CryptoProChoice:
    settings = _effective(cryptcp, thumbprint)
    if not settings.thumbprint:
        raise ValidationError("thumbprint", "Не выбран сертификат КриптоПро. Выберите его: socplan reports cryptopro "
                                            "--choose НОМЕР (список: socplan reports cryptopro --list).")
    der = cryptopro.export_certificate(settings)
    return CryptoProChoice(settings, der, certificate_info(der))


def package_signer(choice: CryptoProChoice) -> tuple[Any, Callable[[bytes], bytes]]:
    """(signer-like object with ``info``, sign function) for ``exchange.export.export_package(..., sign=…)``."""
    from socplan.signing.gost_pdf import check_cms, check_signer_certificate
    from socplan.signing.certificates import utcnow

    check_signer_certificate(choice.info, utcnow())

    def sign(manifest: bytes) -> bytes:
        signature = cryptopro.sign_detached(manifest, choice.settings)
        check_cms(signature, manifest, choice.certificate_der)
        return signature

    return SimpleNamespace(info=choice.info), sign


def sign_pdf_bytes(pdf: bytes, choice: CryptoProChoice, *, reason: str = "", location: str = "",
                   stamp_box: Any = None) -> tuple[bytes, tuple[str, ...]]:
    """A PDF signed by CryptoPro (CAdES-BES in a PAdES field, the visible stamp with the GOST certificate)."""
    from socplan.signing.gost_pdf import sign_pdf_external

    notices: list[str] = []
    signed = sign_pdf_external(pdf, choice.certificate_der, lambda data: cryptopro.sign_detached(data, choice.settings),
                               reason=reason or "Подписание документа", location=location, stamp_box=stamp_box,
                               notices=notices)
    return signed, tuple(notices)


def sign_file(path: str | Path, *, out: str | Path | None = None, reason: str = "", location: str = "",
              detached: bool = False, cryptcp: str | None = None,
              thumbprint: str | None = None) -> tuple[Path, tuple[str, ...]]:
    """Sign a file on disk through CryptoPro: PDF → «FILE.signed.pdf»; ``detached`` → «FILE.sig» (any file).

    The result is written only after CryptoPro succeeded and the signature was checked (temporary file, then
    rename): an error leaves nothing behind.
    """
    from socplan.services.reports.signatures import _read, _write
    from socplan.signing.certificates import utcnow
    from socplan.signing.gost_pdf import check_cms, check_signer_certificate

    path = Path(path)
    data = _read(path)
    choice = open_cryptopro(cryptcp, thumbprint)
    if detached:
        check_signer_certificate(choice.info, utcnow())
        signature = cryptopro.sign_detached(data, choice.settings)
        check_cms(signature, data, choice.certificate_der)
        target = Path(out) if out else path.with_name(path.name + ".sig")
        _write(target, signature)
        return target, ()
    signed, notices = sign_pdf_bytes(data, choice, reason=reason, location=location)
    target = Path(out) if out else path.with_name(f"{path.stem}.signed{path.suffix or '.pdf'}")
    _write(target, signed)
    return target, notices


__all__ = ["CryptoProChoice", "load_cryptopro_settings", "save_cryptopro_settings", "list_certificates",
           "choose_certificate", "open_cryptopro", "package_signer", "sign_pdf_bytes", "sign_file"]
