"""Builders of hostile packages (used by the tests): raw zips with any names, manifests signed by any key."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, Callable

from socplan.domain.exchange import MANIFEST_NAME, SIGNATURE_NAME, sha256_hex


def sign_with(signer: Any) -> Callable[[bytes], bytes]:
    from socplan.signing.cms import sign_detached

    return lambda raw: sign_detached(raw, signer)


def read_zip(blob: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def manifest_of(blob: bytes) -> dict[str, Any]:
    return json.loads(dict(read_zip(blob))[MANIFEST_NAME])


def write_zip(items: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name)  # the name is written as given: "../x", "/etc/x", "C:/x"
            info.compress_type = compression
            zf.writestr(info, data)
    return buffer.getvalue()


def resign(manifest: dict[str, Any], signer: Any, entries: list[tuple[str, bytes]],
           list_entries: bool = True) -> bytes:
    """A package whose manifest (changed at will) is properly signed by ``signer``; entries listed with hashes."""
    if list_entries:
        manifest = dict(manifest, entries=[{"name": n, "size": len(d), "sha256": sha256_hex(d),
                                            "media_type": "application/json"} for n, d in entries])
    raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return write_zip([(MANIFEST_NAME, raw), (SIGNATURE_NAME, sign_with(signer)(raw))] + entries)


def flip_in_entry(blob: bytes, name: str) -> bytes:
    """Flip one byte in the middle of an entry's stored (compressed) data."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        info = zf.getinfo(name)
    header = blob[info.header_offset:info.header_offset + 30]
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    pos = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    out = bytearray(blob)
    out[pos] ^= 0x5A
    return bytes(out)
