"""Detached CMS signatures (.sig, DER) of any file, for systems that expect them; and their verification."""

from __future__ import annotations

import asyncio
from typing import Any, Sequence

from socplan.signing.certificates import SignerMaterial, certificate_info, utcnow
from socplan.signing.errors import SigningError
from socplan.signing.pades import _check_signer, _pyhanko_signer, _validation_context, quiet_pyhanko
from socplan.signing.status import SignatureStatus


async def async_sign_detached(data: bytes, signer: SignerMaterial) -> bytes:
    from asn1crypto import cms

    _check_signer(signer, utcnow())
    simple = _pyhanko_signer(signer)
    signed = await simple.async_sign_general_data(bytes(data), "sha256", detached=True)
    if not isinstance(signed, cms.ContentInfo):
        raise SigningError("Не удалось сформировать подпись CMS.")
    return signed.dump()


def sign_detached(data: bytes, signer: SignerMaterial) -> bytes:
    """A detached CMS (PKCS#7) signature of ``data`` (DER bytes, usually saved as FILE.sig)."""
    return asyncio.run(async_sign_detached(data, signer))


def _load_signed_data(sig: bytes) -> Any:
    from asn1crypto import cms, pem

    raw = bytes(sig)
    if pem.detect(raw):
        _, _, raw = pem.unarmor(raw)
    try:
        info = cms.ContentInfo.load(raw)
        if info["content_type"].native != "signed_data":
            raise ValueError("not signed data")
        signed = info["content"]
        _ = signed["signer_infos"][0]
        return signed
    except Exception as exc:  # noqa: BLE001 - asn1crypto raises many types on garbage
        raise SigningError("Файл подписи не является подписью CMS/PKCS#7 (.sig/.p7s). Выберите файл подписи.") from exc


async def async_verify_detached(data: bytes, sig: bytes, trusted: Sequence[Any] = ()) -> SignatureStatus:
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    signed = _load_signed_data(sig)
    from socplan.signing import gost_verify

    if gost_verify.is_gost_signature(signed):  # GOST R 34.10-2012 (CryptoPro): checked offline by gost_verify
        return verify_gost_detached(bytes(data), signed, trusted)
    try:
        with quiet_pyhanko():
            status = await async_validate_detached_cms(bytes(data), signed,
                                                       signer_validation_context=_validation_context(trusted))
    except Exception:  # noqa: BLE001
        return SignatureStatus("error", "Подпись не удалось проверить: данные подписи повреждены или не относятся к "
                                         "этому файлу. Запросите у отправителя подпись и файл заново.")
    info = certificate_info(status.signing_cert.dump())
    base = dict(signer=info.owner, position=info.position, organisation=info.organisation, issuer=info.issuer,
                serial=info.serial, valid_from=info.valid_from, valid_to=info.valid_to,
                signing_time=_naive(getattr(status, "signer_reported_dt", None)), intact=bool(status.intact),
                trusted=bool(status.trusted), qualified=info.qualified, coverage="ENTIRE_FILE" if status.intact else "")
    details = () if info.qualified else ("сертификат не квалифицированный",)
    if not status.intact:
        return SignatureStatus("modified", "Файл изменён после подписания: его содержимое не совпадает с подписью. "
                               "Запросите исходный файл.", details=details, **base)
    if not status.valid:
        return SignatureStatus("invalid", "Подпись недействительна: криптографическая проверка не пройдена.",
                               details=details, **base)
    now, signed_at = utcnow(), base["signing_time"]
    # A trust anchor's own validity is not checked by pyHanko's path validator, so the dates are checked here.
    if info.valid_to < now or (signed_at is not None and info.valid_to < signed_at):
        return SignatureStatus("expired", f"Срок действия сертификата подписанта истёк {info.valid_to:%d.%m.%Y}; "
                               "без метки времени нельзя подтвердить, что подпись поставлена в срок его действия.",
                               details=details, **base)
    if info.valid_from > now or (signed_at is not None and signed_at < info.valid_from):
        return SignatureStatus("invalid", "Сертификат подписанта ещё не начал действовать на момент подписания.",
                               details=details, **base)
    if status.trusted:
        return SignatureStatus("valid", "Подпись действительна: файл не изменялся после подписания, сертификат "
                               "подписанта входит в доверенные.", details=details, **base)
    return SignatureStatus("untrusted", "Подписант не входит в доверенные: файл не изменялся после подписания, "
                           "но сертификата подписанта нет в списке доверенных. Добавьте его в список доверенных, если доверяете владельцу.", details=details, **base)


def verify_gost_detached(data: bytes, signed: Any, trusted: Sequence[Any] = ()) -> SignatureStatus:
    """A detached GOST signature's verdict, with the same wording as the RSA/ECDSA one."""
    from socplan.signing import gost, gost_verify

    try:
        check = gost_verify.check_signed_data(signed, lambda size: gost.streebog(data, size), trusted)
        if check.signer_cert is None:
            raise SigningError("; ".join(check.details))
        info = certificate_info(check.signer_cert.dump())
    except Exception as exc:  # noqa: BLE001 - a malformed signature is a verdict, not a crash
        return SignatureStatus("invalid", "Подпись недействительна: данные подписи повреждены или не соответствуют "
                               "сертификату подписанта.", details=(f"техническая причина: {exc}",))
    base = dict(signer=info.owner, position=info.position, organisation=info.organisation, issuer=info.issuer,
                serial=info.serial, valid_from=info.valid_from, valid_to=info.valid_to, signing_time=check.signing_time,
                intact=check.intact, trusted=check.trusted, qualified=info.qualified,
                coverage="ENTIRE_FILE" if check.intact else "")
    details = tuple(check.details)
    if not check.intact:
        return SignatureStatus("modified", "Файл изменён после подписания: его содержимое не совпадает с подписью. "
                               "Запросите исходный файл.", details=details, **base)
    if not check.valid:
        return SignatureStatus("invalid", "Подпись недействительна: криптографическая проверка не пройдена.",
                               details=details, **base)
    now, signed_at = utcnow(), check.signing_time
    if info.valid_to < now or (signed_at is not None and info.valid_to < signed_at) or check.problem == "EXPIRED":
        return SignatureStatus("expired", f"Срок действия сертификата подписанта истёк {info.valid_to:%d.%m.%Y}; "
                               "без метки времени нельзя подтвердить, что подпись поставлена в срок его действия.",
                               details=details, **base)
    if info.valid_from > now or (signed_at is not None and signed_at < info.valid_from) or \
            check.problem == "NOT_YET_VALID":
        return SignatureStatus("invalid", "Сертификат подписанта ещё не начал действовать на момент подписания.",
                               details=details, **base)
    if check.trusted:
        return SignatureStatus("valid", "Подпись действительна: файл не изменялся после подписания, сертификат "
                               "подписанта входит в доверенные.", details=details, **base)
    return SignatureStatus("untrusted", "Подписант не входит в доверенные: файл не изменялся после подписания, "
                           "но сертификат подписанта (или его удостоверяющего центра) не входит в список доверенных. "
                           "Добавьте корневой сертификат удостоверяющего центра в доверенные, если доверяете ему.",
                           details=details, **base)


def _naive(value: Any) -> Any:
    import datetime as dt

    if value is not None and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def verify_detached(data: bytes, sig: bytes, trusted: Sequence[Any] = ()) -> SignatureStatus:
    """Check a detached CMS signature of ``data``. Never uses the network."""
    return asyncio.run(async_verify_detached(data, sig, trusted))


__all__ = ["sign_detached", "verify_detached", "async_sign_detached", "async_verify_detached"]
