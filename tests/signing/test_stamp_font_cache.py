"""The stamp's font subset is built once and then read from the cache folder by later processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

PROBE = """
import io, time
from fontTools.ttLib import TTFont
from socplan.resources import font_path
from socplan.signing import pades, stamp_font
start = time.perf_counter()
data = stamp_font.cached_subset(font_path("serif"), pades._stamp_font_bytes)
took = round(time.perf_counter() - start, 3)
got, fresh = TTFont(io.BytesIO(data)), TTFont(io.BytesIO(pades._stamp_font_bytes()))  # «head» has a build time
same = (got["cmap"].getBestCmap() == fresh["cmap"].getBestCmap() and got["head"].unitsPerEm == 1000
        and got["hmtx"].metrics == fresh["hmtx"].metrics and ord("Ж") in got["cmap"].getBestCmap())
print(len(data), took, same)
"""


def test_second_process_reads_the_same_subset_from_the_cache(tmp_path) -> None:  # noqa: ANN001
    env = dict(os.environ, PYTHONPATH=str(SRC), SOCPLAN_DATA_DIR=str(tmp_path))
    first = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    cached = list((tmp_path / "cache").glob("stamp-font-*.ttf"))
    assert len(cached) == 1
    size, _built_in, same = first.stdout.split()
    assert same == "True" and int(size) == cached[0].stat().st_size
    stamp = cached[0].stat().st_mtime_ns
    time.sleep(0.01)
    second = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    size2, _read_in, same2 = second.stdout.split()
    assert same2 == "True" and size2 == size
    assert cached[0].stat().st_mtime_ns == stamp  # read, not rebuilt (the time it took is noisy on a busy machine)


def test_a_damaged_cache_file_is_rebuilt(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from socplan.resources import font_path
    from socplan.signing import pades, stamp_font

    monkeypatch.setenv("SOCPLAN_DATA_DIR", str(tmp_path))
    key = stamp_font._key(font_path("serif"), pades._stamp_font_bytes)
    damaged = tmp_path / "cache" / f"stamp-font-{key}.ttf"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"<html>not a font")
    monkeypatch.setattr(stamp_font, "_MEMORY", {})
    data = stamp_font.cached_subset(font_path("serif"), pades._stamp_font_bytes)
    assert data[:4] == b"\x00\x01\x00\x00" and len(data) > 10_000 and damaged.read_bytes() == data
