"""Writing and reading exchange package files (``.spkg`` zip) with every defence before any data is parsed.

Reading order (each step refuses with a Russian reason, nothing is written anywhere, nothing is extracted to disk —
entries are read into memory with size caps):

1. file size cap; the zip directory: entry count, names (no ``../``, absolute paths, drive letters, backslashes),
   duplicates, encryption, compression method, declared sizes and compression ratios (zip bombs);
2. the signature over the manifest bytes (``authenticate`` callback — the signing layer is injected by services);
3. the manifest is parsed (only now, since it is authentic): format version, recipient, sender's certificate
   bound to the sender's territory (``authorise`` callback);
4. entries present in the zip are exactly those listed: none missing, none extra;
5. each entry read with a cap and its SHA-256 and size compared with the manifest.

Only then does the caller parse the data entries.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from socplan.domain.exchange import (
    DEFAULT_LIMITS,
    ENTRY_FOLDERS,
    MANIFEST_NAME,
    RESERVED_NAMES,
    SIGNATURE_NAME,
    Manifest,
    ManifestEntry,
    PackageLimits,
    PackageRefused,
    Party,
    check_recipient,
    duplicate_names,
    entry_name_problem,
    manifest_bytes,
    parse_manifest,
    sha256_hex,
)

#: authenticate(manifest_bytes, signature_bytes) -> signer (anything); raises PackageRefused when not valid.
Authenticate = Callable[[bytes, bytes], Any]
#: authorise(manifest, signer) -> None; raises PackageRefused (e.g. certificate not trusted for the territory).
Authorise = Callable[[Manifest, Any], None]
#: sign(manifest_bytes) -> detached CMS signature bytes
Sign = Callable[[bytes], bytes]

MEDIA_TYPES = {".json": "application/json", ".pdf": "application/pdf", ".p7s": "application/pkcs7-signature"}


@dataclass(frozen=True)
class VerifiedPackage:
    """A package whose signature, manifest and every entry hash were checked; entries are in memory."""

    manifest: Manifest
    signer: Any
    entries: Mapping[str, bytes]
    sha256: str  # of the whole file
    size: int
    file_name: str = ""

    def data(self, name: str) -> bytes:
        return self.entries[name]


def media_type(name: str) -> str:
    return MEDIA_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


# ------------------------------------------------------------------ writing
def build_package(draft: Manifest, entries: Mapping[str, bytes], sign: Sign,
                  limits: PackageLimits = DEFAULT_LIMITS) -> tuple[Manifest, bytes]:
    """Zip bytes of a package: the manifest (entries with SHA-256 filled in), its signature, the entries."""
    for name in entries:
        problem = entry_name_problem(name, limits)
        if problem or name in RESERVED_NAMES or not name.startswith(ENTRY_FOLDERS):
            raise ValueError(f"Недопустимое имя элемента пакета «{name}»: {problem or 'вне папок data/, reports/'}")
    manifest = replace(draft, entries=tuple(
        ManifestEntry(name, len(data), sha256_hex(data), media_type(name)) for name, data in sorted(entries.items())))
    raw_manifest = manifest_bytes(manifest)
    signature = sign(raw_manifest)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        # ASiC-like: a stored "mimetype" is not needed, the extension says what it is.
        zf.writestr(MANIFEST_NAME, raw_manifest)
        zf.writestr(SIGNATURE_NAME, signature, compress_type=zipfile.ZIP_STORED)
        for name, data in sorted(entries.items()):
            compress = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=compress)
    return manifest, buffer.getvalue()


def write_file_atomically(path: Path, data: bytes) -> Path:
    """Write next to the target and rename, so a crash never leaves half a package under the real name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".socplan-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ------------------------------------------------------------------ reading
def read_package_file(path: Path, limits: PackageLimits = DEFAULT_LIMITS) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_package_bytes:
            raise PackageRefused("limits", f"Файл «{path.name}» слишком велик для пакета обмена "
                                           f"({size // (1024 * 1024)} МБ). Пакет отклонён.")
        with path.open("rb") as fh:
            data = fh.read(size + 1)  # not the cap: read(n) allocates n bytes up front
        if len(data) > limits.max_package_bytes:
            raise PackageRefused("limits", f"Файл «{path.name}» слишком велик для пакета обмена. Пакет отклонён.")
        return data
    except FileNotFoundError as exc:
        raise PackageRefused("file", f"Файл «{path}» не найден. Выберите файл пакета заново.") from exc
    except IsADirectoryError as exc:
        raise PackageRefused("file", f"«{path}» — это папка, а не файл пакета.") from exc
    except OSError as exc:
        raise PackageRefused("file", f"Не удалось прочитать файл «{path}»: {exc.strerror}.") from exc


def _refuse(code: str, reason: str) -> PackageRefused:
    return PackageRefused(code, f"Пакет отклонён: {reason}. Ничего не загружено.")


def _check_directory(zf: zipfile.ZipFile, limits: PackageLimits) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > limits.max_entries + len(RESERVED_NAMES):
        raise _refuse("limits", f"слишком много элементов ({len(infos)})")
    names = [i.filename for i in infos]
    for info in infos:
        problem = entry_name_problem(info.filename, limits)
        if problem:
            raise _refuse("path", problem)
        if info.is_dir():
            raise _refuse("path", f"в пакете есть папка «{info.filename}», допускаются только файлы")
    dup = duplicate_names(names)
    if dup:
        raise _refuse("duplicate", f"элемент «{dup[0]}» записан в пакете дважды")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _refuse("format", f"элемент «{info.filename}» зашифрован")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse("format", f"элемент «{info.filename}» сжат неподдерживаемым методом")
        if info.file_size > limits.max_entry_bytes:
            raise _refuse("bomb", f"элемент «{info.filename}» слишком велик после распаковки "
                                  f"({info.file_size // (1024 * 1024)} МБ, допускается "
                                  f"{limits.max_entry_bytes // (1024 * 1024)} МБ) — похоже на zip-бомбу")
        if info.file_size >= limits.ratio_floor_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _refuse("bomb", f"элемент «{info.filename}» сжат в {ratio:.0f} раз (допускается "
                                      f"{limits.max_ratio}) — похоже на zip-бомбу")
        total += info.file_size
    if total > limits.max_total_bytes:
        raise _refuse("bomb", f"общий объём после распаковки {total // (1024 * 1024)} МБ превышает "
                              f"{limits.max_total_bytes // (1024 * 1024)} МБ — похоже на zip-бомбу")
    for required, what in ((MANIFEST_NAME, "манифест"), (SIGNATURE_NAME, "подпись")):
        if required not in names:
            raise _refuse("missing", f"в пакете нет элемента «{required}» ({what})")
    return {i.filename: i for i in infos}


def _central_records(data: bytes, zf: zipfile.ZipFile) -> dict[str, bytes]:
    """Each entry's central directory fields (version needed … sizes), to compare with its local header."""
    records: dict[str, bytes] = {}
    pos = zf.start_dir
    for info in zf.infolist():
        if data[pos:pos + 4] != b"PK\x01\x02":
            raise zipfile.BadZipFile("central directory record expected")
        name_len, extra_len, comment_len = (int.from_bytes(data[pos + i:pos + i + 2], "little") for i in (28, 30, 32))
        records[info.filename] = data[pos + 6:pos + 28]
        pos += 46 + name_len + extra_len + comment_len
    return records


def _check_local_header(data: bytes, info: zipfile.ZipInfo, central: bytes) -> None:
    """The local header must repeat the central directory (version, flags, method, time, CRC, sizes): a flipped
    byte in either is caught even where the content itself would still inflate."""
    local = data[info.header_offset + 4:info.header_offset + 26]
    if info.flag_bits & 0x08 or info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF:
        local, central = local[:10], central[:10]  # data descriptor / zip64: sizes live elsewhere
    if len(central) < len(local) or local != central[:len(local)]:
        raise _refuse("corrupt", f"заголовок элемента «{info.filename}» повреждён (не совпадает с оглавлением архива)")


def _read_capped(data: bytes, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Inflate one entry straight from the package bytes with a size cap, strictly.

    Stricter than ``ZipFile.open``: the local header must name the same file, the deflate stream must end exactly
    where the entry ends (a flipped "final block" bit is caught even when the output happens to be complete),
    and the CRC-32 and size must match.
    """
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _refuse("corrupt", f"элемент «{info.filename}» повреждён (нет локального заголовка)")
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    raw_name = data[start + 30:start + 30 + name_len]
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if raw_name.decode(encoding, "replace") != info.filename:
        raise _refuse("corrupt", f"имя элемента «{info.filename}» в заголовке и в оглавлении архива различается")
    begin = start + 30 + name_len + extra_len
    stored = data[begin:begin + info.compress_size]
    if len(stored) != info.compress_size:
        raise _refuse("corrupt", f"элемент «{info.filename}» обрезан")
    if info.compress_type == zipfile.ZIP_STORED:
        content = stored
        if len(content) > cap:
            raise _refuse("bomb", f"элемент «{info.filename}» больше допустимого")
    else:
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(stored, cap + 1)
        except zlib.error as exc:
            raise _refuse("corrupt", f"элемент «{info.filename}» повреждён (ошибка распаковки)") from exc
        if len(content) > cap:
            if len(content) > info.file_size:  # more than the archive itself declares: a damaged or forged stream
                raise _refuse("corrupt", f"элемент «{info.filename}» повреждён: после распаковки больше заявленного "
                                         "размера")
            raise _refuse("bomb", f"элемент «{info.filename}» больше допустимого после распаковки — похоже на zip-бомбу")
        if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
            raise _refuse("corrupt", f"элемент «{info.filename}» повреждён (поток сжатия не завершён или с лишними "
                                     "данными)")
    if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
        raise _refuse("corrupt", f"элемент «{info.filename}» повреждён (контрольная сумма CRC-32 не совпадает)")
    return content


def open_package(data: bytes, *, authenticate: Authenticate, recipient: Party | None = None,
                 authorise: Authorise | None = None, limits: PackageLimits = DEFAULT_LIMITS,
                 file_name: str = "") -> VerifiedPackage:
    """Verify a package in memory (see the module docstring for the order) and return its entries."""
    if len(data) > limits.max_package_bytes:
        raise _refuse("limits", "файл слишком велик")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        central = _central_records(data, zf)
    except Exception as exc:  # noqa: BLE001 - any damage to the archive structure (NotImplementedError, struct …)
        raise PackageRefused("corrupt", "Файл не является пакетом обмена СоцПлан или повреждён (не открывается как "
                                        "архив). Запросите пакет у отправителя заново.") from exc
    with zf:
        infos = _check_directory(zf, limits)
        for info in infos.values():
            _check_local_header(data, info, central.get(info.filename, b""))
        raw_manifest = _read_capped(data, infos[MANIFEST_NAME], limits.max_manifest_bytes)
        signature = _read_capped(data, infos[SIGNATURE_NAME], limits.max_signature_bytes)
        signer = authenticate(raw_manifest, signature)
        manifest = parse_manifest(raw_manifest, limits)
        if recipient is not None:
            check_recipient(manifest, recipient)
        if authorise is not None:
            authorise(manifest, signer)
        listed = {e.name for e in manifest.entries}
        present = set(infos) - set(RESERVED_NAMES)
        missing = sorted(listed - present)
        if missing:
            raise _refuse("missing", f"нет элемента «{missing[0]}», указанного в манифесте")
        extra = sorted(present - listed)
        if extra:
            raise _refuse("extra", f"элемент «{extra[0]}» не указан в подписанном манифесте")
        entries: dict[str, bytes] = {}
        for entry in manifest.entries:
            info = infos[entry.name]
            if info.file_size != entry.size:
                raise _refuse("hash", f"размер элемента «{entry.name}» не совпадает с манифестом")
            content = _read_capped(data, info, min(entry.size, limits.max_entry_bytes))
            if len(content) != entry.size or sha256_hex(content) != entry.sha256:
                raise _refuse("hash", f"элемент «{entry.name}» изменён после подписания (контрольная сумма "
                                      "SHA-256 не совпадает)")
            entries[entry.name] = content
    return VerifiedPackage(manifest=manifest, signer=signer, entries=entries, sha256=sha256_hex(data),
                           size=len(data), file_name=file_name)
