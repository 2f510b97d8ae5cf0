"""PAdES signatures (B-B offline, B-T with a configured timestamp server) with the visible stamp, and verification.

The stamp reads «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ / Сертификат: … / Владелец: … / Действителен: с … по …»
in the document font (Liberation Serif). It is placed, in order of preference:

1. at ``stamp_box`` when the caller gives one (``DocumentBuilder.signature_boxes``: page + rectangle);
2. at a free signature place recorded inside the PDF by the document engine (catalog key ``/SocPlanStampBoxes``:
   the signature blocks and the «УТВЕРЖДАЮ» block), skipping places already stamped: the place the caller names
   (``place``: «секретарь», «2»), else the one whose «И.О. Фамилия» has the signer's surname, else the one whose
   position matches the certificate's position, else the first free one;
3. at the lowest free band of the last page that holds the stamp (no text drawn there, no other stamp);
4. on a new blank page at the end, when the document is not signed yet and the last page is full.

Every signature is an incremental update, so earlier signatures stay valid.
Verification never uses the network: only the trusted certificates passed in are trust anchors.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import math
from functools import cache
from typing import Any, Iterable, Sequence

from socplan.signing.certificates import SignerMaterial, certificate_info, to_asn1, to_asn1_list, utcnow
from socplan.signing.errors import SigningError
from socplan.signing.status import SignatureStatus
from socplan.signing.placement import (BOXES_KEY, MM, STAMP_H, STAMP_W, BoxLike, StampBox,  # noqa: F401
                                      _next_field_name, _page_refs, _rect, choose_stamp_place, existing_stamps,
                                      free_place_on_page, free_places, match_place,
                                      occupied_bands, open_reader, recorded_boxes, signature_count)
from socplan.signing.stamp_style import STAMP_HEADING, _stamp_font_bytes, _stamp_style, stamp_lines  # noqa: F401
from socplan.signing.verdicts import _broken, _judge, _with_detail, quiet_pyhanko


# ------------------------------------------------------------------ signing
def _check_signer(signer: SignerMaterial, at: dt.datetime) -> None:
    info = signer.info
    state = info.state(at)
    if state == "expired":
        raise SigningError(f"Срок действия сертификата {info.serial} ({info.owner}) истёк {info.valid_to:%d.%m.%Y}. "
                           "Подписывать просроченным сертификатом нельзя: получите новый сертификат.")
    if state == "not_yet_valid":
        raise SigningError(f"Сертификат {info.serial} ({info.owner}) начинает действовать только "
                           f"{info.valid_from:%d.%m.%Y}. Подпишите документ после этой даты.")


@cache
def _loaded_key_signer() -> type:
    """pyHanko's ``SimpleSigner`` reads its private key again from DER for every raw signature — twice per PDF
    signature (the size estimate and the signature itself), ≈ 50 ms each for RSA-2048, as cryptography checks the
    key when loading it. This one signs RSA (PKCS #1 v1.5) and ECDSA with the key the certificate file gave us,
    already loaded: the same signature bytes; any other mechanism goes through pyHanko's own path."""
    from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.sign import signers
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class LoadedKeySigner(signers.SimpleSigner):
        loaded_key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algorithm = mechanism.signature_algo
            except ValueError:
                algorithm = mechanism["algorithm"].native
            key = self.loaded_key
            if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner


def _pyhanko_signer(signer: SignerMaterial) -> Any:
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = signer.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    simple = _loaded_key_signer()(
        signing_cert=to_asn1(signer.certificate),
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(to_asn1_list(signer.chain)),
    )
    simple.loaded_key = signer.key
    return simple


async def async_sign_pdf(pdf: bytes, signer: SignerMaterial, *, reason: str = "", location: str = "",
                         stamp_box: BoxLike | None = None, timestamp_url: str | None = None,
                         notices: list[str] | None = None, place: str = "") -> bytes:
    """See :func:`sign_pdf`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper

    _check_signer(signer, utcnow())
    reader = open_reader(pdf)
    box: BoxLike | None = stamp_box
    new_page = False
    if box is None:
        if place and match_place(free_places(reader), place=place) is None:
            names = "; ".join(f"{n}. {b.label}" for n, b in enumerate(free_places(reader), start=1))
            raise SigningError(f"В документе нет свободного места подписи «{place}». "
                               + (f"Свободные места: {names}." if names else "Все места подписи уже заняты."))
        box, new_page = choose_stamp_place(reader, signer.info.owner, signer.info.position, place)
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf)), strict=False)
    if new_page:
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.writer import PageObject

        last = _page_refs(reader)[-1].get_object()
        media = generic.ArrayObject([generic.FloatObject(float(v)) for v in last.get("/MediaBox", [0, 0, 595.28, 841.89])])
        writer.insert_page(PageObject(contents=writer.add_object(generic.StreamObject(stream_data=b"")), media_box=media))
        page_no = len(_page_refs(reader)) + 1
        x_top = float(media[3]) - 20 * MM
        right = float(media[2]) - 15 * MM
        box = StampBox(page_no, right - STAMP_W, x_top - STAMP_H, right, x_top)
        if notices is not None:
            notices.append("На последней странице нет свободного места: отметка о подписи помещена на новую страницу.")
    field_name = _next_field_name(reader)
    spec = None
    if box is not None:
        # rounded inwards: the widget stays inside the signature place, never over the text around it
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=box.page - 1,
                                   box=(math.ceil(box.x1), math.ceil(box.y1), math.floor(box.x2), math.floor(box.y2)))
    elif notices is not None:
        notices.append("На странице нет свободного места для отметки: подпись добавлена без видимой отметки.")
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, reason=reason or None, location=location or None, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES, name=signer.info.owner,
    )
    timestamper = HTTPTimeStamper(timestamp_url, timeout=10) if timestamp_url else None
    pdf_signer = signers.PdfSigner(meta, signer=_pyhanko_signer(signer), stamp_style=_stamp_style(signer) if box else None,
                                   new_field_spec=spec, timestamper=timestamper)
    out = io.BytesIO()
    try:
        with quiet_pyhanko():
            await pdf_signer.async_sign_pdf(writer, output=out)
    except Exception as exc:  # noqa: BLE001 - a timestamp failure falls back to B-B; others are reported
        if timestamper is None:
            raise SigningError(f"Не удалось подписать документ: {exc}") from exc
        if notices is not None:
            notices.append(f"Сервер меток времени {timestamp_url} недоступен ({exc.__class__.__name__}); "
                           "документ подписан без метки времени (PAdES B-B).")
        return await async_sign_pdf(pdf, signer, reason=reason, location=location, stamp_box=stamp_box,
                                    timestamp_url=None, notices=notices, place=place)
    return out.getvalue()


def sign_pdf(pdf: bytes, signer: SignerMaterial, *, reason: str = "", location: str = "",
             stamp_box: BoxLike | None = None, timestamp_url: str | None = None,
             notices: list[str] | None = None, place: str = "") -> bytes:
    """Sign ``pdf`` (PAdES B-B; B-T with ``timestamp_url`` when reachable) with the visible stamp; returns the new PDF.

    A signed PDF signed again gets an incremental update: earlier signatures stay valid (a protocol is signed
    by the chair, then by the secretary). ``place`` names the signer's signature place when the certificate's
    name does not (``free_places(open_reader(pdf))`` lists them; «секретарь» or a number from 1).

    Refuses an expired or not-yet-valid signer certificate (SigningError, Russian). ``notices`` (optional list)
    receives Russian remarks (stamp moved to a new page, timestamp server unreachable).
    """
    return asyncio.run(async_sign_pdf(pdf, signer, reason=reason, location=location, stamp_box=stamp_box,
                                      timestamp_url=timestamp_url, notices=notices, place=place))


# ------------------------------------------------------------------ verification
def _validation_context(trusted: Iterable[Any]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=to_asn1_list(trusted), allow_fetching=False, revocation_mode="soft-fail")


async def async_verify_pdf(pdf: bytes, trusted: Sequence[Any] = ()) -> list[SignatureStatus]:
    """See :func:`verify_pdf`."""
    from pyhanko.sign.validation import async_validate_pdf_signature

    from socplan.signing import gost_pdf

    reader = open_reader(pdf)
    results: list[SignatureStatus] = []
    try:
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - asn1crypto raises ValueError on a zeroed or forged signature value
        return [SignatureStatus("invalid", "Подпись недействительна: данные подписи повреждены и не читаются (файл "
                                "подписи искажён). Запросите исходный подписанный файл.")]
    with quiet_pyhanko():
        for number, emb in enumerate(embedded, start=1):
            if gost_pdf.is_gost(emb):  # GOST R 34.10-2012 (CryptoPro): checked offline by gost_verify
                results.append(gost_pdf.verify_embedded(emb, pdf, trusted, number))
                continue
            try:
                info = certificate_info(emb.signer_cert.dump())
                status = await async_validate_pdf_signature(emb, _validation_context(trusted))
            except Exception as exc:  # noqa: BLE001 - a malformed signature is a verdict, not a crash
                results.append(_broken(emb, number, exc))
                continue
            results.append(_judge(status, info, str(emb.field_name), number))
    # a later signature over a revision that broke an earlier one is worth saying
    broken = [s for s in results if s.verdict == "modified" and s.coverage != "ENTIRE_FILE"]
    if broken:
        first = min(s.revision for s in broken)
        results = [s if s.revision <= first else _with_detail(
            s, f"поставлена на документ, изменённый после подписи № {first}") for s in results]
    return results


def signature_removed(pdf: bytes) -> bool:
    """An earlier revision of the file was signed, and a later incremental update took the signature out.

    pyHanko lists the signatures of the current revision only, so such a file looks «not signed»; an incremental
    update never deletes bytes, so the earlier revisions are read back and searched for a filled signature field.
    """
    try:
        reader = open_reader(pdf)
        if list(reader.embedded_signatures):
            return False
        revisions = reader.xrefs.total_revisions
        for revision in range(revisions - 1):
            root = reader.get_historical_root(revision)
            form = root.get("/AcroForm")
            form = form.get_object() if form is not None else None
            fields = form.get("/Fields", []) if form is not None else []
            for ref in fields.get_object() if hasattr(fields, "get_object") else fields:
                field = ref.get_object()
                if field.get("/FT") == "/Sig" and field.get("/V") is not None:
                    return True
    except Exception:  # noqa: BLE001 - a file that cannot be read back revision by revision: nothing to add
        return False
    return False


def verify_pdf(pdf: bytes, trusted: Sequence[Any] = ()) -> list[SignatureStatus]:
    """Each embedded signature's verdict (empty list: the PDF is not signed). Never uses the network.

    ``trusted``: trust anchors (cryptography / asn1crypto certificates or DER/PEM bytes).
    """
    return asyncio.run(async_verify_pdf(pdf, trusted))


__all__ = ["StampBox", "sign_pdf", "async_sign_pdf", "verify_pdf", "async_verify_pdf", "stamp_lines",
           "existing_stamps", "recorded_boxes", "choose_stamp_place", "free_places", "match_place", "open_reader",
           "signature_count", "STAMP_HEADING"]


def display_copy(pdf: bytes) -> bytes:
    """A copy for viewing and printing where each signature stamp is also drawn into its page's content.

    PDFium (Qt PDF) draws no widget annotations without a form environment, so the stamp — a signature
    widget's appearance — would be invisible in the preview. This copy (an incremental update that is never
    saved or verified) places each appearance on the page. Unsigned files are returned unchanged.
    """
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    reader = open_reader(pdf)
    if not reader.embedded_signatures:
        return bytes(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(bytes(pdf)), strict=False)
    pages = _page_refs(reader)
    count = 0
    for index, page_ref in enumerate(pages):
        page = page_ref.get_object()
        for annot_ref in page.get("/Annots", []) or []:
            annot = annot_ref.get_object()
            if annot.get("/Subtype") != "/Widget" or "/AP" not in annot or "/Rect" not in annot:
                continue
            appearance_ref = annot["/AP"].raw_get("/N")
            appearance = appearance_ref.get_object()
            if not hasattr(appearance, "data"):
                continue
            x1, y1, x2, y2 = _rect(annot["/Rect"])
            bx1, by1, bx2, by2 = _rect(appearance.get("/BBox", [0, 0, x2 - x1, y2 - y1]))
            sx = (x2 - x1) / ((bx2 - bx1) or 1)
            sy = (y2 - y1) / ((by2 - by1) or 1)
            count += 1
            name = f"/SocPlanStamp{count}"
            ops = f"q {sx:.6f} 0 0 {sy:.6f} {x1 - bx1 * sx:.4f} {y1 - by1 * sy:.4f} cm {name} Do Q".encode()
            resources = generic.DictionaryObject({generic.NameObject("/XObject"): generic.DictionaryObject(
                {generic.NameObject(name): appearance_ref})})
            writer.add_stream_to_page(index, writer.add_object(generic.StreamObject(stream_data=ops)),
                                      resources=resources)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
