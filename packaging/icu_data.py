"""A smaller ICU data library for the Linux bundle: Russian, English and root only (32 MB -> about 6 MB).

Qt for Linux (the PySide6 wheels) links ICU, and ICU's data library ``libicudata.so.NN`` carries every locale of
CLDR: names of languages, countries, currencies, units and time zones in ~800 locales, collation rules of every
language, Chinese/Japanese/Thai word dictionaries, multi-byte East Asian code pages. Qt uses ICU for locale-aware
case mapping, collation (sorting), code pages and time-zone names; the application is Russian (with English as
ICU's and Qt's fallback), so the rest is dead weight.

The library holds a single symbol, ``icudtNN_dat``: an ICU "common data" package (magic ``0xda27``, format
``CmnD``): a table of contents (item count, then name/data offsets) followed by the items, each a complete ICU data
file with its own header (``icudt73l/ru.res``, ``icudt73l/coll/ucadata.icu``, ...). :func:`filter_package` keeps
the items :func:`keep_item` accepts and lays out a new package the same way; :func:`build_library` compiles it into
a shared library with the same soname and symbol (``gcc``; the build falls back to the full library without it).
ICU finds every item by name in the table of contents, so an item that is left out behaves as a locale ICU does
not know: it falls back to the parent locale and then to root.

Windows PySide6 wheels use the ICU that is part of Windows: nothing to do there.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

# Locales kept in every tree (locales/, coll/, zone/, curr/, lang/, region/, unit/, rbnf/, brkitr/).
KEPT_LOCALE = re.compile(r"^(root|ru(_[A-Za-z0-9]+)*|en|en_US(_POSIX)?|en_001)$")
# A locale file's stem: language (2–3 letters) with optional script/region/variant parts.
LOCALE_STEM = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
# Files of a tree that are not locales although they look like one.
NOT_LOCALES = {"res_index", "pool"}
# Trees Qt never reads: transliteration rules.
DROPPED_TREES = {"translit"}
# Single-byte code pages (every Cyrillic one: windows-1251, cp866, KOI8-R/U, ISO-8859-5, ...) are 1–30 KB each;
# the multi-byte East Asian and EBCDIC tables above this size are 4,6 MB together.
MAX_CONVERTER_BYTES = 32 * 1024
# Character names (u_charName), spoof detection (uspoof) and IDNA2003 stringprep profiles: Qt has its own IDNA.
UNUSED_FILES = {"unames.icu", "confusables.cfu", "confusablesWholeScript.cfu", "rfc3491.spp", "rfc3530cs.spp",
                "rfc3530csci.spp", "rfc3530mixp.spp", "rfc3722.spp", "rfc3920node.spp", "rfc3920res.spp",
                "rfc4011.spp", "rfc4013.spp", "rfc4505.spp", "rfc4518.spp", "rfc4518ci.spp"}
_MAGIC = (0xDA, 0x27)


class IcuDataError(ValueError):
    """The bytes are not an ICU common data package this module understands."""


def keep_item(name: str, size: int) -> bool:
    """Whether the package item ``name`` (``icudt73l/coll/ru.res``) of ``size`` bytes stays in the bundle."""
    parts = name.split("/")[1:]  # drop the package prefix icudtNNl
    tree, file = (parts[0], parts[-1]) if len(parts) > 1 else ("", parts[-1])
    if tree in DROPPED_TREES:
        return False
    stem, _, suffix = file.rpartition(".")
    if suffix == "cnv":
        return size <= MAX_CONVERTER_BYTES
    if suffix == "dict":  # word dictionaries of Chinese/Japanese, Thai, Lao, Khmer, Burmese line breaking
        return False
    if file in UNUSED_FILES:
        return False
    if suffix == "res" and LOCALE_STEM.match(stem) and stem not in NOT_LOCALES:
        return bool(KEPT_LOCALE.match(stem))
    return True


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split an ICU common data package into its header and (name, item bytes) in table-of-contents order."""
    if len(blob) < 32:
        raise IcuDataError("слишком короткий пакет данных ICU")
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != _MAGIC or blob[12:16] != b"CmnD" or blob[8] != 0:  # little-endian common data only
        raise IcuDataError("это не пакет общих данных ICU (CmnD, little-endian)")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(entries):
        end = entries[i + 1][1] if i + 1 < count else len(toc)
        name = toc[name_offset:toc.index(b"\0", name_offset)].decode("ascii")
        items.append((name, toc[data_offset:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """Lay out a package like ICU's own tools do: TOC, names, then every item aligned to 16 bytes.

    ``items`` must stay sorted by name (ICU looks them up by binary search); offsets count from the TOC start.
    """
    names = [name.encode("ascii") + b"\0" for name, _ in items]
    toc_size = 4 + 8 * len(items)
    name_offsets, offset = [], toc_size
    for raw in names:
        name_offsets.append(offset)
        offset += len(raw)
    offset = _align(offset + len(header), 16) - len(header)
    data_offsets = []
    for _, data in items:
        data_offsets.append(offset)
        offset = _align(offset + len(header) + len(data), 16) - len(header)
    out = bytearray(header)
    out += struct.pack("<I", len(items))
    for name_offset, data_offset in zip(name_offsets, data_offsets):
        out += struct.pack("<II", name_offset, data_offset)
    for raw in names:
        out += raw
    for (_, data), data_offset in zip(items, data_offsets):
        out += b"\xaa" * (len(header) + data_offset - len(out))  # ICU's own tools pad with 0xaa
        out += data
    out += b"\xaa" * (_align(len(out), 16) - len(out))
    return bytes(out)


def filter_package(blob: bytes) -> bytes:
    header, items = read_package(blob)
    return write_package(header, [(name, data) for name, data in items if keep_item(name, len(data))])


def _align(value: int, to: int) -> int:
    return (value + to - 1) // to * to


def _elf_symbol(library: Path) -> tuple[str, bytes]:
    """Name and bytes of the ``icudtNN_dat`` symbol of the data library (via ``objdump``, binutils)."""
    table = subprocess.run(["objdump", "-T", "-h", str(library)], capture_output=True, text=True, check=True).stdout
    symbol = re.search(r"^([0-9a-f]+)\s+g\s+DO\s+(\S+)\s+([0-9a-f]+)\s+(icudt\d+_dat)\s*$", table, re.MULTILINE)
    if not symbol:
        raise IcuDataError(f"в {library.name} нет символа icudtNN_dat")
    address, section, size, name = int(symbol[1], 16), symbol[2], int(symbol[3], 16), symbol[4]
    # Section table line: idx name size vma lma file_off align
    sect = re.search(rf"^\s*\d+\s+{re.escape(section)}\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)",
                     table, re.MULTILINE)
    if not sect:
        raise IcuDataError(f"в {library.name} нет раздела {section}")
    vma, file_offset = int(sect[2], 16), int(sect[3], 16)
    start = file_offset + address - vma
    return name, library.read_bytes()[start:start + size]


def build_library(original: Path, target: Path, soname: str | None = None) -> tuple[int, int]:
    """Write a filtered copy of the ICU data library ``original`` to ``target``; return (old, new) data sizes.

    Raises :class:`IcuDataError` or ``OSError``/``CalledProcessError`` when it cannot (no gcc/objdump, an ICU
    build with a different data layout): the caller then keeps the original library.
    """
    if shutil.which("gcc") is None or shutil.which("objdump") is None:
        raise IcuDataError("для уменьшения данных ICU нужны gcc и objdump (binutils)")
    symbol, blob = _elf_symbol(original)
    filtered = filter_package(blob)
    with tempfile.TemporaryDirectory(prefix="icudata-") as tmp:
        data = Path(tmp) / "icudata.dat"
        data.write_bytes(filtered)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            f'    .section .rodata\n    .globl {symbol}\n    .type {symbol}, @object\n    .balign 16\n'
            f'{symbol}:\n    .incbin "{data.as_posix()}"\n    .size {symbol}, . - {symbol}\n'
            '    .section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["gcc", "-shared", "-nostdlib", "-Wl,-soname," + (soname or original.name), "-Wl,-s",
                        "-o", str(target), str(source)], check=True, capture_output=True)
    return len(blob), len(filtered)


__all__ = ["IcuDataError", "build_library", "filter_package", "keep_item", "read_package", "write_package"]
