"""Offline verification of GOST R 34.10-2012 CMS signatures (CAdES-BES from CryptoPro, OpenSSL's GOST engine).

No CryptoPro needed: the CMS is read by asn1crypto (as elsewhere in ``signing/``), the mathematics is
:mod:`socplan.signing.gost` (gostcrypto). What is checked:

1. the message digest attribute equals the Streebog digest of the signed content (PDF byte range, manifest);
2. the signature value over the signed attributes, with the signer certificate's key;
3. the certificate chain: each certificate signed (GOST) by its issuer, issuers being CAs, up to a certificate
   the user imported as trusted (e.g. the root of the accredited CA);
4. each certificate of the chain valid at the signing time the signature states (or now, when it states none).

The result is a :class:`GostCheck`; ``pades``/``cms`` turn it into the usual Russian verdict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Iterable

from socplan.signing import gost

MAX_CHAIN = 8


@dataclass
class GostCheck:
    intact: bool = False  # message digest matches the content
    valid: bool = False  # signature value matches the signed attributes and the signer's key
    trusted: bool = False  # chain up to an imported trusted certificate, all valid at signing time
    problem: str = ""  # EXPIRED | NOT_YET_VALID | NO_PATH | "" — why not trusted
    signer_cert: Any = None  # asn1crypto certificate
    signing_time: dt.datetime | None = None  # UTC naive, as the signer's computer stated it
    details: list[str] = field(default_factory=list)

    def as_status(self, **extra: Any) -> Any:
        """A duck of pyHanko's status object, so that the existing verdict rules apply unchanged."""
        return SimpleNamespace(intact=self.intact, valid=self.valid, trusted=self.trusted, revoked=False,
                               signer_reported_dt=self.signing_time, timestamp_validity=None,
                               trust_problem_indic=SimpleNamespace(name=self.problem) if self.problem else None,
                               **extra)


def is_gost_signature(signed_data: Any) -> bool:
    """True when the (first) signer of an asn1crypto ``SignedData`` used a GOST algorithm / Streebog digest."""
    gost.register_asn1()
    try:
        info = signed_data["signer_infos"][0]
        digest = info["digest_algorithm"]["algorithm"].dotted
        algorithm = info["signature_algorithm"]["algorithm"].dotted
    except Exception:  # noqa: BLE001 - not our business to judge garbage here
        return False
    return gost.digest_size_of(digest) is not None or gost.signature_size(algorithm) is not None


def _naive(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _attribute(signed_attrs: Any, name: str) -> Any:
    for attr in signed_attrs:
        if attr["type"].native == name:
            values = attr["values"]
            return values[0] if len(values) else None
    return None


def _certificates(signed_data: Any) -> list[Any]:
    certs = []
    for choice in signed_data["certificates"] or []:
        if choice.name == "certificate":
            certs.append(choice.chosen)
    return certs


def _find_signer(info: Any, certs: list[Any]) -> Any:
    sid = info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            if cert.issuer == sid.chosen["issuer"] and cert.serial_number == sid.chosen["serial_number"].native:
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _to_asn1(cert: Any) -> Any:
    from asn1crypto import pem, x509

    if isinstance(cert, x509.Certificate):
        return cert
    if hasattr(cert, "public_bytes"):  # cryptography
        from cryptography.hazmat.primitives.serialization import Encoding

        cert = cert.public_bytes(Encoding.DER)
    raw = bytes(cert)
    if pem.detect(raw):
        _, _, raw = pem.unarmor(raw)
    return x509.Certificate.load(raw)


def certificate_signed_by(cert: Any, issuer: Any) -> bool:
    """Is ``cert`` signed (GOST R 34.10-2012) by ``issuer``'s key?"""
    try:
        if not gost.is_gost_key(issuer.public_key):
            return False
        key = gost.public_key(issuer.public_key)
        return gost.verify(key, cert["tbs_certificate"].dump(), cert["signature_value"].native)
    except Exception:  # noqa: BLE001 - an unreadable certificate signs nothing
        return False


def _validity_problem(cert: Any, at: dt.datetime) -> str:
    validity = cert["tbs_certificate"]["validity"]
    start, end = _naive(validity["not_before"].native), _naive(validity["not_after"].native)
    if start is not None and at < start:
        return "NOT_YET_VALID"
    if end is not None and at > end:
        return "EXPIRED"
    return ""


def check_chain(signer: Any, pool: list[Any], trusted: Iterable[Any], at: dt.datetime) -> tuple[bool, str, list[Any]]:
    """(trusted, problem, path) for ``signer`` up to one of ``trusted`` (asn1crypto certs), valid at ``at``."""
    anchors = {hashlib.sha256(c.dump()).digest() for c in trusted}
    candidates = list(pool) + [c for c in trusted]
    path = [signer]
    current = signer
    for _ in range(MAX_CHAIN):
        problem = _validity_problem(current, at)
        if problem:
            return False, problem, path
        if hashlib.sha256(current.dump()).digest() in anchors:
            return True, "", path
        issuer = next((c for c in candidates if c.subject == current.issuer and c.dump() != current.dump()
                       and c.ca and certificate_signed_by(current, c)), None)
        if issuer is None:
            return False, "NO_PATH", path
        path.append(issuer)
        current = issuer
    return False, "NO_PATH", path


def check_signed_data(signed_data: Any, content_digest: Any, trusted: Iterable[Any] = (),
                      now: dt.datetime | None = None) -> GostCheck:
    """Check the first signer of a GOST ``SignedData``.

    ``content_digest(size)`` returns the Streebog digest (32 or 64 bytes) of the signed content — a callable
    so that a PDF's byte range is hashed once, with the size the signature names.
    """
    gost.register_asn1()
    result = GostCheck()
    info = signed_data["signer_infos"][0]
    certs = _certificates(signed_data)
    signer = _find_signer(info, certs)
    if signer is None:
        result.details.append("в подписи нет сертификата подписанта")
        return result
    result.signer_cert = signer
    size = gost.digest_size_of(info["digest_algorithm"]["algorithm"].dotted)
    attrs = info["signed_attrs"]
    if size is None or not len(attrs):
        result.details.append("подпись не в формате CAdES (нет подписанных атрибутов или алгоритм хеширования не ГОСТ)")
        return result
    signing_time = _attribute(attrs, "signing_time")
    result.signing_time = _naive(signing_time.native) if signing_time is not None else None
    message_digest = _attribute(attrs, "message_digest")
    result.intact = message_digest is not None and message_digest.native == content_digest(size)
    try:
        key = gost.public_key(signer.public_key)
    except gost.GostError as exc:
        result.details.append(f"ключ сертификата подписанта: {exc}")
        return result
    if key.size != size:
        result.details.append("размер ключа подписанта не соответствует алгоритму хеширования")
        return result
    signed_bytes = b"\x31" + attrs.dump()[1:]  # the signed attributes are signed as a SET OF, not as [0]
    result.valid = gost.verify(key, signed_bytes, info["signature"].native)
    at = result.signing_time or (now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    anchors = [_to_asn1(c) for c in trusted]
    result.trusted, result.problem, path = check_chain(signer, certs, anchors, at)
    if result.problem == "NO_PATH":
        result.details.append("цепочка сертификатов не доходит до доверенного сертификата")
    elif result.problem:
        which = "подписанта" if len(path) == 1 else "удостоверяющего центра в цепочке"
        result.details.append(f"сертификат {which} не действовал на момент подписания {at:%d.%m.%Y}")
    result.details.append("ГОСТ Р 34.10-2012 " + ("256" if size == 32 else "512") + " бит, хеш ГОСТ Р 34.11-2012")
    return result


def byte_range_streebog(pdf: bytes, byte_range: Any) -> Any:
    """``content_digest`` for a PDF signature: Streebog of the bytes its /ByteRange covers (computed once)."""
    cache: dict[int, bytes] = {}
    ranges = [int(v) for v in byte_range]

    def digest(size: int) -> bytes:
        if size not in cache:
            data = b"".join(pdf[ranges[i]:ranges[i] + ranges[i + 1]] for i in range(0, len(ranges), 2))
            cache[size] = gost.streebog(data, size)
        return cache[size]

    return digest


__all__ = ["GostCheck", "is_gost_signature", "check_signed_data", "check_chain", "byte_range_streebog",
           "certificate_signed_by"]
