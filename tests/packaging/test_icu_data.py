"""packaging/icu_data.py: the bundle's smaller ICU data library (Russian, English, root).

No build needed: the filter runs on the ICU data library of the PySide6 wheel in this environment, and the
filtered library is loaded into a fresh Python with Qt (LD_PRELOAD puts it in place of the wheel's one) to show
that Qt reads it: Russian collation, case mapping and Russian time-zone names unchanged, the East Asian code pages
gone. No ``__init__.py`` in this folder (it would shadow the ``packaging`` distribution): the module is loaded by
path.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("icu_data", ROOT / "packaging" / "icu_data.py")
icu_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icu_data)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt links ICU on Linux only")


def _wheel_icu_data() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert found, "the PySide6 wheel carries no ICU data library"
    return found[0]


@pytest.mark.parametrize(("name", "size", "kept"), [
    ("icudt73l/ru.res", 37_536, True),
    ("icudt73l/ru_RU.res", 96, True),
    ("icudt73l/en.res", 3_000, True),
    ("icudt73l/root.res", 105_840, True),
    ("icudt73l/res_index.res", 20_000, True),  # looks like a locale ("res_" + "index"), is the locale list
    ("icudt73l/pool.res", 159_280, True),
    ("icudt73l/zh_Hant_TW.res", 2_000, False),
    ("icudt73l/de.res", 40_000, False),
    ("icudt73l/coll/ucadata.icu", 570_256, True),
    ("icudt73l/coll/ru.res", 4_000, True),
    ("icudt73l/coll/zh.res", 700_000, False),
    ("icudt73l/zone/ru.res", 20_000, True),
    ("icudt73l/zone/tzdbNames.res", 20_000, True),
    ("icudt73l/brkitr/cjdict.dict", 2_007_296, False),
    ("icudt73l/brkitr/line.brk", 24_896, True),
    ("icudt73l/translit/root.res", 50_000, False),
    ("icudt73l/ibm-1251_P100-1995.cnv", 3_168, True),  # windows-1251
    ("icudt73l/ibm-866_P100-1995.cnv", 3_664, True),
    ("icudt73l/gb18030.cnv", 232_816, False),
    ("icudt73l/unames.icu", 296_000, False),
    ("icudt73l/nfkc.nrm", 55_120, True),
    ("icudt73l/zoneinfo64.res", 151_344, True),
])
def test_which_items_stay(name: str, size: int, kept: bool) -> None:
    assert icu_data.keep_item(name, size) is kept


def test_a_package_is_written_back_byte_for_byte() -> None:
    """Reading and writing the wheel's whole package unchanged gives the same bytes: the layout (TOC offsets from
    the TOC start, names, 16-byte alignment, 0xaa padding) is ICU's own."""
    _symbol, blob = icu_data._elf_symbol(_wheel_icu_data())
    header, items = icu_data.read_package(blob)
    assert len(items) > 3000
    assert icu_data.write_package(header, items) == blob


def test_filtered_package_keeps_sorted_names_and_aligned_items() -> None:
    _symbol, blob = icu_data._elf_symbol(_wheel_icu_data())
    filtered = icu_data.filter_package(blob)
    assert len(filtered) < len(blob) / 4
    header, items = icu_data.read_package(filtered)
    names = [name for name, _ in items]
    assert names == sorted(names)  # ICU finds items by binary search
    assert [n for n in names if n.endswith("/coll/ru.res")] and [n for n in names if n.endswith("l/ru.res")]
    toc = filtered[len(header):]
    (count,) = struct.unpack_from("<I", toc, 0)
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i)[1] for i in range(count)]
    assert all((len(header) + offset) % 16 == 0 for offset in offsets)


def test_not_an_icu_package_is_refused() -> None:
    with pytest.raises(icu_data.IcuDataError):
        icu_data.read_package(b"\x00" * 64)


PROBE = """
import sys
from PySide6.QtCore import QCollator, QDateTime, QLocale, QStringDecoder, QTimeZone
ru = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
words = ["Яблоко", "ель", "Жук", "ёж", "азбука", "Ёлка", "еда", "apple"]
print(sorted(words, key=QCollator(ru).sortKey))
print(ru.toUpper("ёлка, улица Мира"))
print(QTimeZone(b"Asia/Omsk").displayName(QDateTime(2026, 1, 15, 12, 0, 0), QTimeZone.NameType.LongName, ru))
print([QStringDecoder(name).isValid() for name in ("windows-1251", "IBM866", "KOI8-R", "Shift_JIS", "GB18030")])
print(next(line.split()[-1] for line in open("/proc/self/maps") if "libicudata" in line))
"""


def _probe(env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_qt_reads_the_filtered_library_and_russian_works_as_before(tmp_path: Path) -> None:
    original = _wheel_icu_data()
    target = tmp_path / original.name
    old, new = icu_data.build_library(original, target)
    assert new < old / 4 and target.stat().st_size < 8_000_000
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    full = _probe(env)
    small = _probe(dict(env, LD_PRELOAD=str(target)))
    assert small[-1] == str(target) and full[-1] != str(target)  # the filtered library is the one loaded
    assert small[0] == full[0] == str(["азбука", "еда", "ёж", "Ёлка", "ель", "Жук", "Яблоко", "apple"])
    assert small[1] == full[1] == "ЁЛКА, УЛИЦА МИРА"
    assert small[2] == full[2] and "Омск" in small[2]
    assert full[3] == str([True, True, True, True, True])
    assert small[3] == str([True, True, True, False, False])  # Cyrillic code pages stay, East Asian ones go
