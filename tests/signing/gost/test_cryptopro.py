"""Signing through CryptoPro (the stand-in cryptcp/certmgr): certificate list, PDF and detached round trips,
exchange packages, every tool error as a Russian message with nothing left behind, and the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from socplan.signing import cms, cryptopro, pades
from socplan.signing.cryptopro import CryptoProError, CryptoProSettings
from socplan.signing.errors import SigningError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _sign_file(path: Path, settings: CryptoProSettings, **kw):  # noqa: ANN003, ANN202
    from socplan.services.reports import gost_signing

    return gost_signing.sign_file(path, cryptcp=settings.cryptcp, thumbprint=settings.thumbprint, **kw)


# ------------------------------------------------------------------ certificate list
def test_certmgr_list_gives_the_certificates_to_choose_from(fake, keys) -> None:  # noqa: ANN001
    rows = cryptopro.list_certificates(fake.settings)
    assert [(r.number, r.owner, r.serial, r.thumbprint) for r in rows] == [
        (1, "Иванова Мария Петровна", "00C5B3A1F0", keys["signer256"]["thumbprint"]),
        (2, "Варнавская Ирина Петровна", "0123ABCDEF", keys["signer512"]["thumbprint"]),
        (3, "Сидоров Иван Иванович", "00E1D2C3B4", keys["expired256"]["thumbprint"]),
    ]
    assert rows[2].valid_to == dt.datetime(2021, 1, 1) and all(r.has_key for r in rows)
    assert fake.log() == [["certmgr", "-list", "-store", "uMy"]]


def test_russian_build_output_is_read_too() -> None:
    output = '''Certmgr 1.1 (c) "КРИПТО-ПРО", 2007-2022.
=============================================================================
1-------
Издатель            : CN="ООО ""Тест-УЦ""", O="ООО ""Тест-УЦ""", C=RU
Субъект             : CN=Петров Пётр Петрович, SN=Петров, G=Пётр Петрович, C=RU
Серийный номер      : 0x0077
SHA1 отпечаток      : 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567
Выдан               : 12/05/2025  14:00:00 UTC
Истекает            : 12/08/2026  14:00:00 UTC
Ссылка на ключ      : Нет
=============================================================================
[ErrorCode: 0x00000000]
'''
    (row,) = cryptopro.parse_certificate_list(output)
    assert (row.owner, row.serial, row.thumbprint, row.has_key) == (
        "Петров Пётр Петрович", "0077", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", False)
    assert row.valid_from == dt.datetime(2025, 5, 12, 14, 0) and "до 12.08.2026" in row.label


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("which, owner, serial", [
    ("settings", "Иванова Мария Петровна", "00C5B3A1F0"),
    ("settings512", "Варнавская Ирина Петровна", "0123ABCDEF"),
])
def test_pdf_signed_through_cryptcp_verifies_offline_with_the_gost_stamp(fake, tmp_path, work_tmp, helpers,
                                                                         which, owner, serial) -> None:  # noqa: ANN001
    settings = getattr(fake, which)
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(fixture("report.pdf"))
    target, notices = _sign_file(source, settings, reason="Утверждение")
    assert target == tmp_path / "отчёт.signed.pdf" and notices == ()
    signed = target.read_bytes()
    (status,) = pades.verify_pdf(signed, [fixture("ca.cer")])
    assert (status.verdict, status.signer, status.serial) == ("valid", owner, serial)
    from socplan.signing.certificates import certificate_info

    cert = certificate_info(cryptopro.export_certificate(settings))
    assert helpers.stamp_texts(signed) == [[
        "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", f"Сертификат: {serial}", f"Владелец: {owner}",
        f"Действителен: с {cert.valid_from:%d.%m.%Y} по {cert.valid_to:%d.%m.%Y}"]]
    sign_call = [line for line in fake.log() if line[1] == "-signf"]
    assert len(sign_call) == 1
    args = sign_call[0]
    assert args[0] == "cryptcp" and args[args.index("-thumbprint") + 1] == settings.thumbprint
    assert {"-der", "-cert", "-detached", "-strict", "-nochain"} <= set(args)
    assert list(work_tmp.iterdir()) == []  # cryptcp's work files are gone
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["отчёт.pdf", "отчёт.signed.pdf"]


def test_detached_signature_of_a_file_through_cryptcp(fake, tmp_path) -> None:  # noqa: ANN001
    data = tmp_path / "пакет.json"
    data.write_text('{"записей": 42}', encoding="utf-8")
    target, _ = _sign_file(data, fake.settings512, detached=True)
    assert target.name == "пакет.json.sig"
    status = cms.verify_detached(data.read_bytes(), target.read_bytes(), [fixture("ca.cer")])
    assert (status.verdict, status.signer) == ("valid", "Варнавская Ирина Петровна")
    changed = cms.verify_detached(b'{"records": 43}', target.read_bytes(), [fixture("ca.cer")])
    assert changed.verdict == "modified"


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("mode, phrase", [
    ("nocert", "не нашла сертификат"),
    ("wrongpin", "Неверный PIN-код"),
    ("licence", "лицензии КриптоПро CSP"),
    ("cancel", "Подписание отменено"),
    ("nofile", "файл подписи не появился"),
])
def test_each_cryptcp_error_is_a_russian_message_and_nothing_is_left(fake, tmp_path, work_tmp, mode, phrase) -> None:  # noqa: ANN001
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(fixture("report.pdf"))
    fake.mode(mode)
    with pytest.raises(CryptoProError) as caught:
        _sign_file(source, fake.settings)
    assert phrase in caught.value.message
    assert "0x" not in caught.value.message or mode == "nofile"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file() and p.suffix != ".log") == ["отчёт.pdf"]
    assert list(work_tmp.iterdir()) == []
    assert source.read_bytes() == fixture("report.pdf")


def test_error_codes_map_to_their_messages() -> None:
    assert "Неверный PIN-код" in cryptopro.error_message("0x20000135", "")
    assert "Истёк срок действия лицензии" in cryptopro.error_message("0x0000065B", "")
    assert "закрытого ключа истёк" in cryptopro.error_message("0x80090010", "")
    unknown = cryptopro.error_message("0x12345678", "CryptCP\nError: Something odd.\n[ErrorCode: 0x12345678]")
    assert unknown == "КриптоПро вернула ошибку 0x12345678: Error: Something odd.. Подпись не поставлена."


def test_certificate_not_in_the_store_is_explained(fake, tmp_path, work_tmp) -> None:  # noqa: ANN001
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(fixture("report.pdf"))
    with pytest.raises(CryptoProError) as caught:
        _sign_file(source, CryptoProSettings(fake.cryptcp, "ab" * 20))
    assert "не нашла сертификат с отпечатком abab" in caught.value.message
    assert not (tmp_path / "отчёт.signed.pdf").exists() and list(work_tmp.iterdir()) == []


def test_missing_cryptcp_is_explained(tmp_path) -> None:  # noqa: ANN001
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(fixture("report.pdf"))
    with pytest.raises(CryptoProError) as caught:
        _sign_file(source, CryptoProSettings(str(tmp_path / "нет" / "cryptcp.exe"), "ab" * 20))
    assert "Не найдена программа КриптоПро" in caught.value.message


def test_expired_certificate_is_refused_before_cryptcp_is_asked(fake, tmp_path, keys) -> None:  # noqa: ANN001
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(fixture("report.pdf"))
    with pytest.raises(SigningError) as caught:
        _sign_file(source, CryptoProSettings(fake.cryptcp, keys["expired256"]["thumbprint"]))
    assert "истёк 01.01.2021" in caught.value.message and "получите новый сертификат" in caught.value.message
    assert [line[0] for line in fake.log()] == ["certmgr"]
    assert not (tmp_path / "отчёт.signed.pdf").exists()


def test_signature_by_another_certificate_than_chosen_is_refused(fake, tmp_path, monkeypatch, keys) -> None:  # noqa: ANN001
    """CryptoPro signing with a different key than the exported certificate must not end up in the PDF."""
    from socplan.signing import gost_pdf

    with pytest.raises(SigningError) as caught:
        gost_pdf.sign_pdf_external(fixture("report.pdf"), cryptopro.export_certificate(fake.settings),
                                   lambda data: cryptopro.sign_detached(data, fake.settings512))
    assert "не тем сертификатом" in caught.value.message


# ------------------------------------------------------------------ exchange packages
def test_package_signed_through_cryptopro_is_accepted_only_for_its_territory(fake, gost_offices, tmp_path) -> None:  # noqa: ANN001
    from socplan.domain.exchange import PackageRefused
    from socplan.services.exchange import setup
    from socplan.services.exchange.export import ExportRequest, export_package
    from socplan.services.exchange.importer import preview_import
    from socplan.services.reports import gost_signing

    district, ministry, district_name, ministry_name = gost_offices
    choice = gost_signing.open_cryptopro(fake.cryptcp, fake.settings.thumbprint)
    signer, sign = gost_signing.package_signer(choice)
    out = tmp_path / "out"
    out.mkdir()
    result = export_package(district, ExportRequest(ministry_name, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), out,
                            signer, sign=sign)
    blob = result.path.read_bytes()
    setup.trust_certificate(ministry, "Большереченский муниципальный район", fixture("signer256.cer"))
    setup.trust_certificate(ministry, district_name, fixture("signer512.cer"))  # the district's other officer
    with pytest.raises(PackageRefused) as refused:
        preview_import(ministry, data=blob)
    assert "не является доверенным для территории" in refused.value.message
    setup.trust_certificate(ministry, district_name, fixture("signer256.cer"))
    preview = preview_import(ministry, data=blob)
    assert preview.manifest.sender.territory == district_name
    assert "Иванова Мария Петровна" in preview.signer


# ------------------------------------------------------------------ command line
def test_cli_choose_sign_and_verify(fake, demo_db_template, tmp_path, capsys) -> None:  # noqa: ANN001
    from socplan.cli import run as main

    db = tmp_path / "cli.sqlite"
    shutil.copyfile(demo_db_template, db)
    assert main(["reports", "cryptopro", "--cryptcp", fake.cryptcp, "--list"]) == 0
    listed = capsys.readouterr().out
    assert "1. Иванова Мария Петровна — № 00C5B3A1F0" in listed and "3. Сидоров Иван Иванович" in listed
    assert main(["reports", "cryptopro", "--choose", "2"]) == 0
    assert "Варнавская Ирина Петровна" in capsys.readouterr().out
    pdf = tmp_path / "справка.pdf"
    pdf.write_bytes(fixture("report.pdf"))
    assert main(["sign", str(pdf)]) == 1
    assert "--cryptopro" in capsys.readouterr().err
    assert main(["sign", str(pdf), "--cryptopro"]) == 0
    signed = tmp_path / "справка.signed.pdf"
    capsys.readouterr()
    assert main(["--db", str(db), "verify", str(signed), "--trust", str(FIXTURES / "ca.cer")]) == 0
    out = capsys.readouterr().out
    assert "Подпись действительна" in out and "Варнавская Ирина Петровна" in out and "0123ABCDEF" in out
    fake.mode("wrongpin")
    assert main(["sign", str(pdf), "--cryptopro", "--out", str(tmp_path / "второй.pdf")]) == 1
    assert "Неверный PIN-код" in capsys.readouterr().err
    assert not (tmp_path / "второй.pdf").exists()
