"""Package rules without a database: entry names, manifest validation, sequence and change classification,
and the io reader's defences with small limits (a zip bomb by total size)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest

from socplan.domain.exchange import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Change,
    Manifest,
    PackageLimits,
    PackageRefused,
    Party,
    SequenceVerdict,
    check_recipient,
    check_sequence,
    classify_change,
    duplicate_names,
    entry_name_problem,
    manifest_bytes,
    package_file_name,
    parse_manifest,
    period_bounds,
    period_overlaps,
)
from socplan.io.exchange_package import build_package, open_package


def draft(**kw) -> Manifest:  # noqa: ANN003
    base = dict(package_id="6f1c1a55-0a43-4f0b-9d7e-2b0b1c7d2a10", direction="to_ministry",
                sender=Party("Азовский немецкий национальный муниципальный район"), recipient=Party("Омская область"),
                period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
                created_at=dt.datetime(2025, 10, 28, 9, 30), sequence=3, app_version="0.1.0", entries=())
    base.update(kw)
    return Manifest(**base)


@pytest.mark.parametrize("name", ["data/indicator_value.json", "reports/Отчёт № 5.pdf"])
def test_plain_names_are_fine(name):  # noqa: ANN001
    assert entry_name_problem(name) is None


@pytest.mark.parametrize("name, reason", [
    ("../x", "«../»"), ("data/../../x", "«../»"), ("/etc/passwd", "абсолютный"), ("C:/x.dll", "буквой диска"),
    ("c:x", "буквой диска"), ("data\\x", "обратная"), ("data//x", "недопустимый"), ("./x", "недопустимый"),
    ("data/x\x00.json", "управляющие"), ("", "пустое"), ("d/" + "я" * 300, "длинное"),
])
def test_hostile_names_are_explained(name, reason):  # noqa: ANN001
    assert reason in entry_name_problem(name)


def test_duplicates_also_case_insensitive():
    assert duplicate_names(["data/a.json", "data/b.json", "DATA/A.json"]) == ["DATA/A.json"]


def test_manifest_round_trip_and_canonical_bytes():
    m = draft(contents={"indicator_value": 12})
    raw = manifest_bytes(m)
    assert raw == manifest_bytes(parse_manifest(raw))
    parsed = parse_manifest(raw)
    assert parsed.sequence == 3 and parsed.sender.territory.startswith("Азовский") and parsed.contents == {"indicator_value": 12}
    assert parsed.period_text == "01.01.2025 – 31.12.2025"


@pytest.mark.parametrize("change, phrase", [
    ({"format_version": FORMAT_VERSION + 1}, "более новой версией"),
    ({"format": "zip"}, "не является пакетом обмена"),
    ({"sequence": 0}, "порядковый номер"),
    ({"sequence": "3"}, "порядковый номер"),
    ({"package_id": "not-a-uuid"}, "UUID"),
    ({"direction": "sideways"}, "направление"),
    ({"period": {"from": "2025-12-31", "to": "2025-01-01"}}, "раньше начала"),
    ({"entries": [{"name": "../x", "size": 1, "sha256": "0" * 64}]}, "«../»"),
    ({"entries": [{"name": "x.json", "size": 1, "sha256": "0" * 64}]}, "вне разрешённых папок"),
    ({"entries": [{"name": "data/a.json", "size": 1, "sha256": "xyz"}]}, "контрольная сумма"),
    ({"entries": [{"name": "data/a.json", "size": 1, "sha256": "0" * 64}] * 2}, "дважды"),
])
def test_bad_manifests_are_refused_with_a_reason(change, phrase):  # noqa: ANN001
    data = json.loads(manifest_bytes(draft()))
    data.update(change)
    with pytest.raises(PackageRefused) as info:
        parse_manifest(json.dumps(data).encode())
    assert phrase in info.value.message


def test_garbage_manifest():
    with pytest.raises(PackageRefused, match="не JSON"):
        parse_manifest(b"\xff\xfe not json")


def test_recipient_check():
    check_recipient(draft(), Party("Омская область", "Минтруд"))
    with pytest.raises(PackageRefused, match="адресован другому получателю"):
        check_recipient(draft(), Party("город Омск"))


def test_sequence_rule():
    m = draft(sequence=3)
    assert check_sequence(m, 2, "aa", "bb", set()) is SequenceVerdict.NEW
    assert check_sequence(m, 3, "bb", "bb", {"bb"}) is SequenceVerdict.DUPLICATE
    with pytest.raises(PackageRefused, match="устарел"):
        check_sequence(m, 4, "cc", "bb", set())
    with pytest.raises(PackageRefused, match="устарел"):
        check_sequence(m, 3, "cc", "bb", set())  # same number, other content


@pytest.mark.parametrize("incoming, local, synced, expected", [
    ("A", None, None, Change.NEW),
    ("A", "A", "X", Change.UNCHANGED),
    ("B", "A", "A", Change.CHANGED),  # only the sender changed it
    ("B", "C", "A", Change.CONFLICT),  # both changed since the last exchange
    ("B", "A", None, Change.CONFLICT),  # same record made on both sides independently
])
def test_three_way_change_classification(incoming, local, synced, expected):  # noqa: ANN001
    assert classify_change(incoming, local, synced).change is expected


def test_locked_and_stale_records():
    assert classify_change("B", "A", "A", locked=True, locked_reason="принято").reason == "принято"
    assert classify_change("B", "A", "A", incoming_version=1, synced_version=2).change is Change.REFUSED


def test_period_bounds():
    assert period_bounds(2024, "month", 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_bounds(2025, "quarter", 4) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert period_bounds(2025, "year", 0) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert period_overlaps(2025, "year", 0, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert not period_overlaps(2025, "month", 4, dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_file_name_is_readable():
    assert package_file_name(draft()) == "2025-10-28_Азовский немецкий национальный муниципальный район_№0003.spkg"


def _signed(entries: dict[str, bytes]) -> bytes:
    return build_package(draft(), entries, lambda raw: b"SIG:" + raw[:16])[1]


def _auth(raw: bytes, sig: bytes) -> str:
    if sig != b"SIG:" + raw[:16]:
        raise PackageRefused("signature", "подпись не совпадает")
    return "подписант"


def test_reader_with_an_injected_signature_check():
    blob = _signed({"data/a.json": b'{"records": []}'})
    pkg = open_package(blob, authenticate=_auth, recipient=Party("Омская область"))
    assert pkg.entries == {"data/a.json": b'{"records": []}'} and pkg.signer == "подписант"


def test_total_size_limit_is_a_zip_bomb_guard():
    limits = PackageLimits(max_total_bytes=3 * 1024 * 1024, max_entry_bytes=2 * 1024 * 1024)
    import random

    rnd = random.Random(5)
    entries = {f"data/{n}.json": rnd.randbytes(1024 * 1024) for n in range(4)}  # 4 × 1 MB, incompressible
    with pytest.raises(PackageRefused, match="общий объём"):
        open_package(_signed(entries), authenticate=_auth, limits=limits)


def test_too_many_entries():
    blob = _signed({f"data/{n}.json": b"{}" for n in range(12)})
    with pytest.raises(PackageRefused, match="слишком много элементов"):
        open_package(blob, authenticate=_auth, limits=PackageLimits(max_entries=10))


def test_encrypted_or_exotic_entries_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(MANIFEST_NAME, manifest_bytes(draft()))
        zf.writestr(SIGNATURE_NAME, b"x")
        zf.writestr("data/a.json", b"{}", compress_type=zipfile.ZIP_BZIP2)
    with pytest.raises(PackageRefused, match="неподдерживаемым методом"):
        open_package(buffer.getvalue(), authenticate=_auth)


def test_signature_is_checked_before_the_manifest_is_parsed():
    """A forged package whose manifest is garbage is refused for its signature, not by the JSON parser."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(MANIFEST_NAME, b"{{{{ not json")
        zf.writestr(SIGNATURE_NAME, b"forged")
    with pytest.raises(PackageRefused) as info:
        open_package(buffer.getvalue(), authenticate=_auth)
    assert info.value.code == "signature"


def test_every_flipped_byte_of_headers_and_data_is_refused():
    """Local headers, names and compressed data of every entry: each single flipped bit is refused. (Only bytes
    that carry no content — attributes in the central directory, padding bits after the last deflate block —
    may change without effect; the content is still proven by the signature and the hashes.)"""
    records = [{"uuid": str(i), "version": 1, "data": {"value": str(i * 7 % 13)}} for i in range(50)]
    blob = _signed({"data/indicator_value.json": json.dumps({"records": records}).encode(),
                    "reports/отчёт.pdf": b"%PDF-1.7 " + bytes(range(200))})
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        infos = zf.infolist()
    positions = []
    for info in infos:
        start = info.header_offset
        name_len = int.from_bytes(blob[start + 26:start + 28], "little")
        extra_len = int.from_bytes(blob[start + 28:start + 30], "little")
        end = start + 30 + name_len + extra_len + info.compress_size - 1  # the last byte may hold padding bits
        positions += range(start, end)
    accepted = []
    for pos in positions:
        tampered = bytearray(blob)
        tampered[pos] ^= 0x01
        try:
            open_package(bytes(tampered), authenticate=_auth)
        except PackageRefused:
            continue
        accepted.append(pos)
    assert not accepted, f"accepted with a flipped byte at {accepted[:10]}"
