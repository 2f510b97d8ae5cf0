"""GOST signatures in PDF files: signing with an external CMS maker (CryptoPro's cryptcp) through pyHanko's
interrupted signing, and offline verification of embedded GOST signatures.

Signing: pyHanko prepares the incremental update (signature field, the visible stamp, a /Contents placeholder
and the /ByteRange); the bytes the byte range covers go to the external signer, which returns a detached
CAdES-BES CMS; the CMS is checked (it signs exactly these bytes, with the expected certificate) and only then
written into the placeholder. Nothing is returned or written when any step fails.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from types import SimpleNamespace
from typing import Any, Callable, Sequence

from socplan.signing import gost, gost_verify
from socplan.signing.certificates import certificate_info, utcnow
from socplan.signing.errors import SigningError
from socplan.signing.status import SignatureStatus
from socplan.signing.verdicts import _broken, _judge, quiet_pyhanko

#: room for the CMS (DER) in /Contents: a CAdES-BES with the signer's certificate is 2–4 KB; CryptoPro adds
#: the chain when asked, so keep a generous margin.
RESERVED_CMS_BYTES = 16384


# ------------------------------------------------------------------ verification
def is_gost(emb: Any) -> bool:
    try:
        return gost_verify.is_gost_signature(emb.signed_data)
    except Exception:  # noqa: BLE001 - unreadable CMS: pyHanko's path reports it
        return False


def verify_embedded(emb: Any, pdf: bytes, trusted: Sequence[Any], number: int) -> SignatureStatus:
    """The verdict on one embedded GOST signature (same wording and rules as pyHanko-checked signatures)."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

    try:
        digest = gost_verify.byte_range_streebog(bytes(pdf), emb.byte_range)
        check = gost_verify.check_signed_data(emb.signed_data, digest, trusted)
        if check.signer_cert is None:
            raise SigningError("; ".join(check.details) or "сертификат подписанта не найден")
        info = certificate_info(check.signer_cert.dump())
        size = gost.digest_size_of(emb.signer_info["digest_algorithm"]["algorithm"].dotted) or 32
        emb.external_digests[emb.external_md_algorithm] = digest(size)  # pyHanko cannot compute Streebog
        emb.compute_integrity_info()
        integrity = emb.summarise_integrity_info()
    except Exception as exc:  # noqa: BLE001 - a malformed signature is a verdict, not a crash
        return _broken(emb, number, exc)
    diff = integrity.get("diff_result")
    level = diff.modification_level if isinstance(diff, DiffResult) else (ModificationLevel.OTHER if diff else None)
    status = check.as_status(coverage=integrity.get("coverage"), modification_level=level,
                             docmdp_ok=integrity.get("docmdp_ok"))
    verdict = _judge(status, info, str(emb.field_name), number)
    return replace(verdict, details=verdict.details + tuple(check.details))


# ------------------------------------------------------------------ signing
def check_signer_certificate(info: Any, at: dt.datetime) -> None:
    state = info.state(at)
    if state == "expired":
        raise SigningError(f"Срок действия сертификата {info.serial} ({info.owner}) истёк {info.valid_to:%d.%m.%Y}. "
                           "Подписывать просроченным сертификатом нельзя: получите новый сертификат.")
    if state == "not_yet_valid":
        raise SigningError(f"Сертификат {info.serial} ({info.owner}) начинает действовать только "
                           f"{info.valid_from:%d.%m.%Y}. Подпишите документ после этой даты.")


def check_cms(cms_der: bytes, data: bytes, certificate_der: bytes) -> None:
    """The external signer's CMS must sign exactly ``data`` with the expected certificate (else SigningError)."""
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(bytes(cms_der))
        signed = info["content"]
        _ = signed["signer_infos"][0]
    except Exception as exc:  # noqa: BLE001
        raise SigningError("Программа подписи вернула не подпись CMS. Документ не подписан.") from exc
    check = gost_verify.check_signed_data(signed, lambda size: gost.streebog(data, size), ())
    if check.signer_cert is None or check.signer_cert.dump() != bytes(certificate_der):
        raise SigningError("Подпись сделана не тем сертификатом, который выбран в настройках. Документ не подписан.")
    if not (check.intact and check.valid):
        raise SigningError("Программа подписи вернула подпись, которая не сходится с документом. Документ не подписан.")


async def async_sign_pdf_external(pdf: bytes, certificate_der: bytes, make_cms: Callable[[bytes], bytes], *,
                                  reason: str = "", location: str = "", stamp_box: Any = None,
                                  notices: list[str] | None = None) -> bytes:
    """Sign ``pdf`` with a CMS made by ``make_cms(bytes covered by the byte range)`` (e.g. CryptoPro)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from socplan.signing.placement import (MM, STAMP_H, STAMP_W, StampBox, _next_field_name, _page_refs,
                                           choose_stamp_place, open_reader)
    from socplan.signing.stamp_style import _stamp_style

    gost.register_asn1()
    from asn1crypto import x509

    cert = x509.Certificate.load(bytes(certificate_der))
    info = certificate_info(bytes(certificate_der))
    check_signer_certificate(info, utcnow())
    reader = open_reader(pdf)
    box, new_page = (stamp_box, False) if stamp_box is not None else choose_stamp_place(reader, info.owner)
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf)), strict=False)
    if new_page:
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.writer import PageObject

        last = _page_refs(reader)[-1].get_object()
        media = generic.ArrayObject([generic.FloatObject(float(v)) for v in last.get("/MediaBox", [0, 0, 595.28, 841.89])])
        writer.insert_page(PageObject(contents=writer.add_object(generic.StreamObject(stream_data=b"")), media_box=media))
        top, right = float(media[3]) - 20 * MM, float(media[2]) - 15 * MM
        box = StampBox(len(_page_refs(reader)) + 1, right - STAMP_W, top - STAMP_H, right, top)
        if notices is not None:
            notices.append("На последней странице нет свободного места: отметка о подписи помещена на новую страницу.")
    field_name = _next_field_name(reader)
    spec = None
    if box is not None:
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=box.page - 1,
                                   box=(int(box.x1), int(box.y1), int(round(box.x2)), int(round(box.y2))))
    elif notices is not None:
        notices.append("На странице нет свободного места для отметки: подпись добавлена без видимой отметки.")
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason or None, location=location or None,
                                        md_algorithm="sha256",  # pyHanko's own digest is not used: CryptoPro hashes
                                        subfilter=fields.SigSeedSubFilter.PADES, name=info.owner)
    external = signers.ExternalSigner(signing_cert=cert, cert_registry=SimpleCertificateStore.from_certs([cert]),
                                      signature_value=bytes(64))
    holder = SimpleNamespace(info=info)
    pdf_signer = signers.PdfSigner(meta, signer=external, stamp_style=_stamp_style(holder) if box else None,
                                   new_field_spec=spec)
    with quiet_pyhanko():
        prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
            writer, bytes_reserved=2 * RESERVED_CMS_BYTES)
    buffer = output.getbuffer()
    covered = bytes(buffer[:prepared.reserved_region_start]) + bytes(buffer[prepared.reserved_region_end:])
    del buffer
    signature = make_cms(covered)
    check_cms(signature, covered, certificate_der)
    if len(signature) > RESERVED_CMS_BYTES:
        raise SigningError(f"Подпись КриптоПро ({len(signature)} байт) не помещается в отведённое место. "
                           "Документ не подписан.")
    await PdfTBSDocument.async_finish_signing(output, prepared, signature)
    return output.getvalue()


def sign_pdf_external(pdf: bytes, certificate_der: bytes, make_cms: Callable[[bytes], bytes], **kwargs: Any) -> bytes:
    import asyncio

    return asyncio.run(async_sign_pdf_external(pdf, certificate_der, make_cms, **kwargs))


__all__ = ["is_gost", "verify_embedded", "sign_pdf_external", "async_sign_pdf_external", "check_cms",
           "RESERVED_CMS_BYTES"]
