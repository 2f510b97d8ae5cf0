"""GOST R 34.10-2012 signatures and GOST R 34.11-2012 (Streebog) digests, pure Python (gostcrypto).

Used to verify qualified signatures offline (no CryptoPro needed) and to make test signatures.

Byte order conventions (RFC 4491 / RFC 7091 / R 1323565.1.024-2019, as OpenSSL's GOST engine and CryptoPro
write them; checked against the engine's output in ``tests/signing/gost``):

- a public key in a certificate is an OCTET STRING (inside the BIT STRING) holding X || Y, each little-endian;
- a signature value (certificate or CMS) is s || r, each big-endian;
- a Streebog digest is used as the byte string the hash function outputs, read as a little-endian number.
  gostcrypto reads the digest big-endian, so the digest is reversed before it is handed over.

asn1crypto does not know the GOST object identifiers: :func:`register_asn1` adds them (idempotent), so that
certificates with GOST keys parse and their algorithms have names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# ------------------------------------------------------------------ object identifiers
GOST_256_KEY = "1.2.643.7.1.1.1.1"
GOST_512_KEY = "1.2.643.7.1.1.1.2"
STREEBOG_256 = "1.2.643.7.1.1.2.2"
STREEBOG_512 = "1.2.643.7.1.1.2.3"
GOST_256_SIGNATURE = "1.2.643.7.1.1.3.2"  # GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)
GOST_512_SIGNATURE = "1.2.643.7.1.1.3.3"

KEY_NAMES = {GOST_256_KEY: "gost2012_256", GOST_512_KEY: "gost2012_512"}
DIGEST_NAMES = {STREEBOG_256: "streebog256", STREEBOG_512: "streebog512"}
SIGNATURE_NAMES = {GOST_256_SIGNATURE: "gost2012_256_streebog256", GOST_512_SIGNATURE: "gost2012_512_streebog512"}
#: any of these names in a signature algorithm means "a GOST signature", with its size in bytes of r (and s)
SIZE_BY_NAME = {"gost2012_256": 32, "gost2012_512": 64, "gost2012_256_streebog256": 32,
                "gost2012_512_streebog512": 64}
DIGEST_BY_SIZE = {32: "streebog256", 64: "streebog512"}
DIGEST_OID_BY_SIZE = {32: STREEBOG_256, 64: STREEBOG_512}

#: curve (public key parameter set) OID → gostcrypto's curve name. The CryptoPro 2001 sets are the same curves
#: as the TC26 256-bit sets B, C, D (R 1323565.1.024-2019, table of correspondence).
CURVES = {
    "1.2.643.2.2.35.1": "id-tc26-gost-3410-2012-256-paramSetB",  # id-GostR3410-2001-CryptoPro-A-ParamSet
    "1.2.643.2.2.35.2": "id-tc26-gost-3410-2012-256-paramSetC",  # CryptoPro-B
    "1.2.643.2.2.35.3": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-C
    "1.2.643.2.2.36.0": "id-tc26-gost-3410-2012-256-paramSetB",  # CryptoPro-XchA
    "1.2.643.2.2.36.1": "id-tc26-gost-3410-2012-256-paramSetD",  # CryptoPro-XchB
    "1.2.643.7.1.2.1.1.1": "id-tc26-gost-3410-2012-256-paramSetA",
    "1.2.643.7.1.2.1.1.2": "id-tc26-gost-3410-2012-256-paramSetB",
    "1.2.643.7.1.2.1.1.3": "id-tc26-gost-3410-2012-256-paramSetC",
    "1.2.643.7.1.2.1.1.4": "id-tc26-gost-3410-2012-256-paramSetD",
    "1.2.643.7.1.2.1.2.1": "id-tc26-gost-3410-12-512-paramSetA",
    "1.2.643.7.1.2.1.2.2": "id-tc26-gost-3410-12-512-paramSetB",
    "1.2.643.7.1.2.1.2.3": "id-tc26-gost-3410-2012-512-paramSetC",
}


class GostError(ValueError):
    """A GOST key or signature that cannot be used (unknown curve, wrong length …)."""


_registered = False


def register_asn1() -> None:
    """Teach asn1crypto the GOST algorithm identifiers (names, and the public key as an opaque bit string)."""
    global _registered
    if _registered:
        return
    from asn1crypto import algos, keys

    for cls, names in ((keys.PublicKeyAlgorithmId, KEY_NAMES), (algos.DigestAlgorithmId, DIGEST_NAMES),
                       (algos.SignedDigestAlgorithmId, {**SIGNATURE_NAMES, **KEY_NAMES})):
        for oid, name in names.items():
            cls._map[oid] = name
            if cls._reverse_map is not None:  # built already (or written by hand): add ours, keep the rest
                cls._reverse_map.setdefault(name, oid)
    original = keys.PublicKeyInfo._spec_callbacks["public_key"]

    def public_key_spec(self: Any) -> Any:
        if self["algorithm"]["algorithm"].native in SIZE_BY_NAME:
            return (keys.OctetBitString, None)
        return original(self)

    keys.PublicKeyInfo._spec_callbacks = {**keys.PublicKeyInfo._spec_callbacks, "public_key": public_key_spec}
    _registered = True


register_asn1()


# ------------------------------------------------------------------ digests
def streebog(data: bytes, size: int = 32) -> bytes:
    """GOST R 34.11-2012 digest (32 or 64 bytes) as the hash function outputs it (OpenSSL/CryptoPro order)."""
    from gostcrypto import gosthash

    return bytes(gosthash.new(DIGEST_BY_SIZE[size], data=bytearray(data)).digest())


def digest_size_of(oid_or_name: str) -> int | None:
    """32 / 64 for a Streebog digest algorithm (OID or asn1crypto name), None for anything else."""
    return {STREEBOG_256: 32, STREEBOG_512: 64, "streebog256": 32, "streebog512": 64}.get(oid_or_name)


# ------------------------------------------------------------------ keys
@dataclass(frozen=True)
class GostPublicKey:
    size: int  # 32 (256-bit) or 64 (512-bit)
    curve_oid: str
    x: int
    y: int

    @property
    def point(self) -> bytes:
        """gostcrypto's form: X || Y big-endian."""
        return self.x.to_bytes(self.size, "big") + self.y.to_bytes(self.size, "big")


def is_gost_key(public_key_info: Any) -> bool:
    register_asn1()
    return public_key_info["algorithm"]["algorithm"].native in ("gost2012_256", "gost2012_512")


def public_key(public_key_info: Any) -> GostPublicKey:
    """The GOST key of an asn1crypto ``PublicKeyInfo`` (a certificate's subject_public_key_info)."""
    from asn1crypto import core

    register_asn1()
    name = public_key_info["algorithm"]["algorithm"].native
    if name not in ("gost2012_256", "gost2012_512"):
        raise GostError(f"ключ не ГОСТ Р 34.10-2012 ({name})")
    size = SIZE_BY_NAME[name]
    params = public_key_info["algorithm"]["parameters"]
    try:
        seq = core.Sequence.load(params.dump())
        curve_oid = core.ObjectIdentifier.load(seq[0].dump()).dotted
    except Exception as exc:  # noqa: BLE001 - malformed parameters
        raise GostError("параметры ключа ГОСТ не читаются") from exc
    if curve_oid not in CURVES:
        raise GostError(f"неизвестный набор параметров ключа ГОСТ {curve_oid}")
    bits = public_key_info["public_key"]
    raw = bits.native if isinstance(bits.native, bytes) else bytes(bits.contents[1:])
    try:
        point = core.OctetString.load(raw).native
    except Exception as exc:  # noqa: BLE001
        raise GostError("открытый ключ ГОСТ не читается") from exc
    if len(point) != 2 * size:
        raise GostError("длина открытого ключа ГОСТ не соответствует алгоритму")
    return GostPublicKey(size, curve_oid, int.from_bytes(point[:size], "little"), int.from_bytes(point[size:], "little"))


def _engine(size: int, curve_oid: str) -> Any:
    from gostcrypto import gostsignature

    curve = gostsignature.CURVES_R_1323565_1_024_2019[CURVES[curve_oid]]
    return gostsignature.new(gostsignature.MODE_256 if size == 32 else gostsignature.MODE_512, curve)


def verify_digest(key: GostPublicKey, digest: bytes, signature: bytes) -> bool:
    """Check a GOST R 34.10-2012 signature (s || r, as in certificates and CMS) of a Streebog ``digest``."""
    if len(digest) != key.size or len(signature) != 2 * key.size:
        return False
    s, r = signature[:key.size], signature[key.size:]
    try:
        return bool(_engine(key.size, key.curve_oid).verify(bytearray(key.point), bytearray(digest[::-1]),
                                                            bytearray(r + s)))
    except Exception:  # noqa: BLE001 - gostcrypto raises on values out of range: not a valid signature
        return False


def verify(key: GostPublicKey, data: bytes, signature: bytes) -> bool:
    """Check a signature of ``data`` (digest: Streebog of the key's size)."""
    return verify_digest(key, streebog(data, key.size), signature)


# ------------------------------------------------------------------ private keys (tests, the stand-in cryptcp)
def sign_digest(private: int, size: int, curve_oid: str, digest: bytes) -> bytes:
    """A signature (s || r) of a Streebog digest with the private scalar ``private``."""
    signature = _engine(size, curve_oid).sign(bytearray(private.to_bytes(size, "big")), bytearray(digest[::-1]))
    r, s = bytes(signature[:size]), bytes(signature[size:])
    return s + r


def sign(private: int, size: int, curve_oid: str, data: bytes) -> bytes:
    return sign_digest(private, size, curve_oid, streebog(data, size))


def public_point(private: int, size: int, curve_oid: str) -> tuple[int, int]:
    point = bytes(_engine(size, curve_oid).public_key_generate(bytearray(private.to_bytes(size, "big"))))
    return int.from_bytes(point[:size], "big"), int.from_bytes(point[size:], "big")


def encode_public_key(x: int, y: int, size: int) -> bytes:
    """The OCTET STRING DER that goes inside a certificate's public key BIT STRING."""
    from asn1crypto import core

    return core.OctetString(x.to_bytes(size, "little") + y.to_bytes(size, "little")).dump()


def signature_size(algorithm_name: str) -> int | None:
    """32 / 64 when an asn1crypto algorithm name (or dotted OID) is a GOST R 34.10-2012 one."""
    register_asn1()
    if algorithm_name in SIZE_BY_NAME:
        return SIZE_BY_NAME[algorithm_name]
    name = {**KEY_NAMES, **SIGNATURE_NAMES}.get(algorithm_name)
    return SIZE_BY_NAME.get(name or "")


__all__ = ["register_asn1", "streebog", "public_key", "is_gost_key", "verify", "verify_digest", "sign",
           "sign_digest", "GostPublicKey", "GostError", "signature_size"]
