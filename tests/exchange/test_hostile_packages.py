"""Hostile packages: each is refused with a clear Russian reason before anything is written, nothing is extracted
anywhere, and the Ministry's database is byte-for-byte the same (hash of every table)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from exchange_helpers import DISTRICT, MINISTRY, add_form, db_fingerprint
from hostile import flip_in_entry, manifest_of, read_zip, resign, write_zip

from socplan.domain.exchange import MANIFEST_NAME, SIGNATURE_NAME, PackageRefused
from socplan.services.exchange.export import ExportRequest, export_package
from socplan.services.exchange.importer import preview_import

YEAR = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@pytest.fixture
def good(offices, tmp_path: Path) -> tuple[bytes, dict]:  # noqa: ANN001
    add_form(offices["district"].ctx)
    out = tmp_path / "out"
    out.mkdir()
    result = export_package(offices["district"].ctx, ExportRequest(MINISTRY, *YEAR), out, offices["district"].signer)
    return result.path.read_bytes(), offices


def _files_everywhere(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def refused(offices: dict, blob: bytes, tmp_path: Path, *phrases: str) -> str:  # noqa: ANN001
    ministry = offices["ministry"].ctx
    before = db_fingerprint(ministry)
    files_before = _files_everywhere(tmp_path) | set(os.listdir(Path.cwd()))
    with pytest.raises(PackageRefused) as info:
        preview_import(ministry, data=blob)
    message = info.value.message
    for phrase in phrases:
        assert phrase in message, message
    assert db_fingerprint(ministry) == before
    assert (_files_everywhere(tmp_path) | set(os.listdir(Path.cwd()))) == files_before
    assert not any("evil" in p for p in _files_everywhere(tmp_path.parent))
    return message


def test_the_good_package_is_accepted(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    preview = preview_import(offices["ministry"].ctx, data=blob)
    assert preview.manifest.sender.territory == DISTRICT
    assert preview.count(preview.items[0].change) >= 1


@pytest.mark.parametrize("entry", ["data/indicator_value.json", MANIFEST_NAME, SIGNATURE_NAME])
def test_a_flipped_byte_is_refused(good, tmp_path, entry):  # noqa: ANN001
    blob, offices = good
    message = refused(offices, flip_in_entry(blob, entry), tmp_path, "Пакет отклонён")
    assert any(w in message for w in ("повреждён", "изменён", "подпись"))


def test_every_flipped_byte_of_the_data_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        info = zf.getinfo("data/indicator_value.json")
    header = blob[info.header_offset:info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    accepted = []
    for pos in range(start, start + info.compress_size, max(1, info.compress_size // 7)):
        tampered = bytearray(blob)
        tampered[pos] ^= 0x01
        try:
            preview_import(offices["ministry"].ctx, data=bytes(tampered))
        except PackageRefused:
            continue
        accepted.append(pos - start)
    assert not accepted, f"accepted with a flipped byte at {accepted} of {info.compress_size}"


def test_a_missing_entry_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = [(n, d) for n, d in read_zip(blob) if n != "data/control_point.json"]
    refused(offices, write_zip(items), tmp_path, "нет элемента «data/control_point.json»")


def test_a_missing_signature_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = [(n, d) for n, d in read_zip(blob) if n != SIGNATURE_NAME]
    refused(offices, write_zip(items), tmp_path, "подпись")


@pytest.mark.parametrize("name", ["data/extra.json", "reports/приложение.pdf"])
def test_an_entry_not_in_the_manifest_is_refused(good, tmp_path, name):  # noqa: ANN001
    blob, offices = good
    items = read_zip(blob) + [(name, b'{"kind": "indicator_value", "records": []}')]
    refused(offices, write_zip(items), tmp_path, f"«{name}» не указан в подписанном манифесте")


@pytest.mark.parametrize("name, phrase", [
    ("../evil.json", "«../»"),
    ("data/../../evil.json", "«../»"),
    ("/tmp/evil.json", "абсолютный путь"),
    ("C:/Windows/evil.dll", "буквой диска"),
    ("..\\evil.json", "обратная косая"),
])
def test_path_traversal_is_refused_unsigned(good, tmp_path, name, phrase):  # noqa: ANN001
    blob, offices = good
    refused(offices, write_zip(read_zip(blob) + [(name, b"evil")]), tmp_path, phrase)


def test_path_traversal_is_refused_even_when_signed_by_a_trusted_key(good, tmp_path, keys):  # noqa: ANN001
    """A compromised district key listing ../ in its own manifest still cannot write outside."""
    blob, offices = good
    entries = [(n, d) for n, d in read_zip(blob) if n.startswith("data/")] + [("data/../../evil.json", b"{}")]
    refused(offices, resign(manifest_of(blob), keys["district"], entries), tmp_path, "«../»")


def test_duplicate_names_are_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = read_zip(blob)
    data = dict(items)["data/indicator_value.json"]
    with pytest.warns(UserWarning):
        hostile = write_zip(items + [("data/indicator_value.json", data.replace(b"90.1", b"99.9"))])
    refused(offices, hostile, tmp_path, "записан в пакете дважды")


def test_case_insensitive_duplicates_are_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = read_zip(blob)
    refused(offices, write_zip(items + [("DATA/Indicator_Value.json", b"{}")]), tmp_path, "дважды")


def test_a_zip_bomb_over_the_size_limit_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in read_zip(blob):
            zf.writestr(name, data)
        with zf.open("data/bomb.json", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(260):
                fh.write(chunk)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024  # 260 MB unpacked from a small file
    refused(offices, buffer.getvalue(), tmp_path, "zip-бомбу", "слишком велик после распаковки")


def test_a_zip_bomb_over_the_ratio_limit_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = read_zip(blob) + [("data/bomb.json", b" " * (8 * 1024 * 1024))]
    refused(offices, write_zip(items), tmp_path, "сжат в", "zip-бомбу")


def test_a_lying_size_in_the_zip_directory_is_refused(good, tmp_path):  # noqa: ANN001
    """Declared small, really bigger: the capped read stops at the declared size and the check fails."""
    blob, offices = good
    name = "data/indicator_value.json"
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        info = zf.getinfo(name)
    out = bytearray(blob)
    pos = blob.find(b"PK\x01\x02")
    while pos != -1:  # the central directory record of that entry: patch its uncompressed size
        fname_len = int.from_bytes(blob[pos + 28:pos + 30], "little")
        if blob[pos + 46:pos + 46 + fname_len] == name.encode():
            out[pos + 24:pos + 28] = (info.file_size // 2).to_bytes(4, "little")
            break
        pos = blob.find(b"PK\x01\x02", pos + 4)
    assert pos != -1
    refused(offices, bytes(out), tmp_path, "Пакет отклонён")


def test_not_a_zip_is_refused(offices, tmp_path):  # noqa: ANN001
    refused(offices, b"%PDF-1.7 definitely not a package", tmp_path, "не является пакетом обмена")


def test_an_untrusted_certificate_is_refused(good, tmp_path, keys):  # noqa: ANN001
    blob, offices = good
    entries = [(n, d) for n, d in read_zip(blob) if n.startswith("data/")]
    refused(offices, resign(manifest_of(blob), keys["stranger"], entries), tmp_path,
            "не входит в доверенные", "Чужой")


def test_a_certificate_trusted_for_another_territory_is_refused(good, tmp_path, keys):  # noqa: ANN001
    blob, offices = good
    entries = [(n, d) for n, d in read_zip(blob) if n.startswith("data/")]
    refused(offices, resign(manifest_of(blob), keys["other_district"], entries), tmp_path,
            "не является доверенным для территории", DISTRICT)


def test_an_expired_certificate_is_refused(good, tmp_path, keys, monkeypatch):  # noqa: ANN001
    from socplan.signing import cms

    blob, offices = good
    entries = [(n, d) for n, d in read_zip(blob) if n.startswith("data/")]
    with monkeypatch.context() as m:  # signed while it was still valid
        m.setattr(cms, "utcnow", lambda: keys["expired"].info.valid_from + dt.timedelta(hours=1))
        hostile = resign(manifest_of(blob), keys["expired"], entries)
    refused(offices, hostile, tmp_path, "срок действия сертификата", "истёк")


def test_a_package_for_another_recipient_is_refused(offices, tmp_path):  # noqa: ANN001
    add_form(offices["district"].ctx)
    other = "Большереченский муниципальный район"
    result = export_package(offices["district"].ctx, ExportRequest(other, *YEAR), tmp_path,
                            offices["district"].signer)
    refused(offices, result.path.read_bytes(), tmp_path, "адресован другому получателю", other)


def test_a_newer_format_version_is_refused(good, tmp_path, keys):  # noqa: ANN001
    blob, offices = good
    entries = [(n, d) for n, d in read_zip(blob) if n.startswith("data/")]
    manifest = dict(manifest_of(blob), format_version=2)
    refused(offices, resign(manifest, keys["district"], entries), tmp_path, "более новой версией", "Обновите")


def test_a_manifest_changed_after_signing_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = read_zip(blob)
    raw = dict(items)[MANIFEST_NAME].replace(b'"sequence": 1', b'"sequence": 9')
    assert raw != dict(items)[MANIFEST_NAME]
    hostile = write_zip([(n, raw if n == MANIFEST_NAME else d) for n, d in items])
    refused(offices, hostile, tmp_path, "изменён после подписания")


def test_entry_data_swapped_under_a_valid_signature_is_refused(good, tmp_path):  # noqa: ANN001
    blob, offices = good
    items = [(n, d.replace(b"90.1", b"10.1") if n == "data/indicator_value.json" else d) for n, d in read_zip(blob)]
    refused(offices, write_zip(items), tmp_path, "изменён после подписания", "SHA-256")


def test_malformed_records_signed_by_a_trusted_key_are_refused_one_by_one(good, tmp_path, keys):  # noqa: ANN001
    """A compromised or buggy sender: the package is authentic but its records are garbage. The preview lists them
    as refused with a reason; nothing crashes and nothing is written."""
    import json

    from socplan.domain.exchange import Change

    blob, offices = good
    records = [
        {"uuid": "a", "version": 1, "data": {"indicator": {"x": 1}, "territory": [DISTRICT], "year": "2025"}},
        {"uuid": "b", "version": 1, "data": {"indicator": ["НЕТ-ТАКОЙ", "1"], "territory": DISTRICT, "year": 2025,
                                             "period_kind": "month", "period_no": 1, "kind": "fact", "value": "1"}},
        {"uuid": "c", "version": 1, "data": {"indicator": ["ОБМ-1", "1"], "territory": DISTRICT, "year": 2025,
                                             "period_kind": "month", "period_no": 1, "kind": "fact",
                                             "value": "NaN"}},
        {"uuid": ["not", "a", "string"], "data": []},
        "not even an object",
    ]
    entries = [("data/indicator_value.json", json.dumps({"kind": "indicator_value", "records": records}).encode()),
               ("data/control_point.json", json.dumps({"kind": "control_point", "records": [
                   {"uuid": "d", "version": 1, "data": {"event": {"n": 1}, "due_date": [[1]]}}]}).encode())]
    manifest = dict(manifest_of(blob), sequence=7)
    ministry = offices["ministry"].ctx
    add_form(ministry, fact=False)
    before = db_fingerprint(ministry)
    preview = preview_import(ministry, data=resign(manifest, keys["district"], entries))
    assert [i.change for i in preview.items] == [Change.REFUSED] * 6
    reasons = " ".join(i.reason for i in preview.items)
    assert "«НЕТ-ТАКОЙ / 1» нет ни в этой базе, ни в пакете" in reasons and "не является числом" in reasons
    assert "неверную структуру" in reasons
    assert db_fingerprint(ministry) == before


def test_the_same_record_twice_in_one_package_is_refused_once(good, tmp_path, keys):  # noqa: ANN001
    import json

    from socplan.domain.exchange import Change
    from socplan.services.exchange.importer import apply_import

    blob, offices = good
    ministry = offices["ministry"].ctx
    add_form(ministry, fact=False)
    data = {"indicator": ["ОБМ-1", "1"], "component": "", "territory": DISTRICT, "year": 2025, "period_kind": "month",
            "period_no": 5, "kind": "fact", "value": "1", "qualifier": "", "comment": ""}
    records = [{"uuid": "00000000-0000-0000-0000-000000000001", "version": 1, "data": data},
               {"uuid": "00000000-0000-0000-0000-000000000002", "version": 1, "data": dict(data, value="2")}]
    entries = [("data/indicator_value.json", json.dumps({"kind": "indicator_value", "records": records}).encode())]
    preview = preview_import(ministry, data=resign(dict(manifest_of(blob), sequence=9), keys["district"], entries))
    assert [i.change for i in preview.items] == [Change.NEW, Change.REFUSED]
    assert "повторяется в пакете" in preview.items[1].reason
    assert apply_import(ministry, preview).applied == 1
