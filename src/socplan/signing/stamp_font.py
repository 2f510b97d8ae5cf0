"""The stamp's font subset kept on disk between runs: cutting and rescaling Liberation Serif with fontTools
takes ≈ 0,8 s, which every ``socplan reports sign`` (a new process) paid again.

The file is keyed by the font file, the fontTools version and the recipe that builds the subset (its code), so a
new font, library or recipe builds a new subset. The folder is ``SOCPLAN_DATA_DIR/cache`` when set (tests,
benchmarks), otherwise the user's cache folder. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO")


def cache_dir() -> Path:
    if os.environ.get("SOCPLAN_DATA_DIR"):
        return Path(os.environ["SOCPLAN_DATA_DIR"]) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("socplan", appauthor=False))


def _key(font: Path, build: Callable[[], bytes]) -> str:
    import fontTools

    digest = hashlib.sha256()
    digest.update(font.read_bytes())
    digest.update(str(getattr(fontTools, "version", "")).encode())
    code = getattr(build, "__wrapped__", build).__code__  # the recipe itself, under ``functools.cache``
    digest.update(code.co_code)
    digest.update(repr(code.co_consts).encode())
    return digest.hexdigest()[:32]


_MEMORY: dict[tuple[Path, Callable[[], bytes]], bytes] = {}


def cached_subset(font: Path, build: Callable[[], bytes]) -> bytes:
    """The bytes ``build()`` makes from ``font``, from the disk cache when they were made before."""
    if (font, build) not in _MEMORY:
        _MEMORY[(font, build)] = _load_or_build(font, build)
    return _MEMORY[(font, build)]


def _load_or_build(font: Path, build: Callable[[], bytes]) -> bytes:
    try:
        path = cache_dir() / f"stamp-font-{_key(font, build)}.ttf"
        data = path.read_bytes() if path.is_file() else b""
        if data[:4] in _MAGIC:
            return data
    except OSError:
        return build()
    data = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass
    return data
