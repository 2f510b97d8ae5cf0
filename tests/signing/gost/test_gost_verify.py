"""Offline verification of GOST R 34.10-2012 signatures made by OpenSSL's GOST engine (fixtures), and every
tamper case the RSA/ECDSA verifier detects."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from socplan.signing import cms, gost, pades

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()

CA = "ca.cer"


def _verify(pdf: bytes, *trusted: str) -> list:
    return pades.verify_pdf(pdf, [fixture(name) for name in trusted])


def _modify_page(pdf: bytes, page: int = 0) -> bytes:
    """An incremental update that draws a red rectangle on a page (what a forger would do)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    ref = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q"))
    writer.add_stream_to_page(page, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fake_module():  # noqa: ANN202
    sys.path.insert(0, str(FIXTURES.parent))
    try:
        import fake_cryptcp
    finally:
        sys.path.pop(0)
    return fake_cryptcp


def _cades(data: bytes, label: str) -> bytes:
    """A CAdES-BES made with a committed test key (the stand-in cryptcp's code)."""
    from asn1crypto import x509

    entry = dict(json.loads((FIXTURES / "keys.json").read_text(encoding="utf-8"))[label])
    entry["der"] = fixture(entry["cert"])
    entry["asn1"] = x509.Certificate.load(entry["der"])
    return _fake_module().cades_bes(data, entry)


# ------------------------------------------------------------------ primitives
def test_streebog_matches_the_standard_example() -> None:
    """GOST R 34.11-2012, appendix A, example 1: M1 = «012…9012» (63 bytes); the standard prints the digest
    as a number (most significant byte first), the hash function outputs the bytes in reverse order."""
    message = b"012345678901234567890123456789012345678901234567890123456789012"
    assert gost.streebog(message, 32)[::-1].hex() == "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"
    assert gost.streebog(message, 64)[::-1].hex() == (
        "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00"
        "fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b")


@pytest.mark.parametrize("name, size, curve", [
    ("signer256.cer", 32, "1.2.643.2.2.35.1"),  # CryptoPro-A, as the engine's paramset A for 256 bit
    ("signer512.cer", 64, "1.2.643.7.1.2.1.2.1"),
    ("stranger256.cer", 32, "1.2.643.7.1.2.1.1.1"),  # TC26 paramset A
])
def test_engine_certificates_are_signed_by_their_ca_in_the_engine_byte_order(name, size, curve) -> None:  # noqa: ANN001
    from asn1crypto import x509

    from socplan.signing.gost_verify import certificate_signed_by

    cert = x509.Certificate.load(fixture(name))
    key = gost.public_key(cert.public_key)
    assert (key.size, key.curve_oid) == (size, curve)
    issuer = x509.Certificate.load(fixture("other_ca.cer" if name.startswith("stranger") else CA))
    assert certificate_signed_by(cert, issuer)
    assert not certificate_signed_by(cert, x509.Certificate.load(fixture("signer512.cer")))


def test_own_signature_verifies_and_a_changed_message_does_not(keys) -> None:  # noqa: ANN001
    from asn1crypto import x509

    key = gost.public_key(x509.Certificate.load(fixture("signer512.cer")).public_key)
    signature = gost.sign(int(keys["signer512"]["d"], 16), 64, key.curve_oid, b"protocol 7")
    assert gost.verify(key, b"protocol 7", signature)
    assert not gost.verify(key, b"protocol 8", signature)


# ------------------------------------------------------------------ every fixture
@pytest.mark.parametrize("name, owner, serial", [
    ("report.openssl256.pdf", "Иванова Мария Петровна", "00C5B3A1F0"),
    ("report.openssl512.pdf", "Варнавская Ирина Петровна", "0123ABCDEF"),
])
def test_engine_signed_pdf_is_valid_with_the_ca_trusted_and_untrusted_without(name, owner, serial) -> None:  # noqa: ANN001
    (status,) = _verify(fixture(name), CA)
    assert status.verdict == "valid", status.details
    assert status.text.startswith("Подпись действительна")
    assert (status.signer, status.serial, status.position) == (owner, serial, status.position)
    assert status.coverage == "ENTIRE_FILE" and status.modification_level == "NONE"
    assert status.issuer == "Тестовый УЦ СоцПлан ГОСТ" and status.qualified
    assert any("ГОСТ Р 34.10-2012" in d for d in status.details)
    (status,) = _verify(fixture(name))
    assert status.verdict == "untrusted"
    assert "не доходит до доверенного" in " ".join(status.details)


@pytest.mark.parametrize("sig", ["manifest.txt.256.sig", "manifest.txt.512.sig"])
def test_engine_detached_manifest_signatures_are_valid(sig) -> None:  # noqa: ANN001
    status = cms.verify_detached(fixture("manifest.txt"), fixture(sig), [fixture(CA)])
    assert status.verdict == "valid"
    assert status.signer in ("Иванова Мария Петровна", "Варнавская Ирина Петровна")
    assert status.signing_time is not None
    assert cms.verify_detached(fixture("manifest.txt"), fixture(sig), []).verdict == "untrusted"


def test_fixture_certificates_show_owner_serial_with_leading_zeros_and_validity() -> None:
    from socplan.signing.certificates import certificate_info

    info = certificate_info(fixture("signer512.cer"))
    assert (info.owner, info.serial, info.position) == ("Варнавская Ирина Петровна", "0123ABCDEF", "министр")
    expired = certificate_info(fixture("expired256.cer"))
    assert expired.serial == "00E1D2C3B4"
    assert expired.validity_text == "с 01.01.2020 по 01.01.2021"
    assert expired.state() == "expired"


# ------------------------------------------------------------------ tamper cases
def test_flipped_byte_in_signed_content_is_a_modified_document() -> None:
    signed = bytearray(fixture("report.openssl256.pdf"))
    signed[len(fixture("report.pdf")) // 3] ^= 0x01
    (status,) = _verify(bytes(signed), CA)
    assert status.verdict == "modified"
    assert "изменён после подписания" in status.text


def test_flipped_byte_in_the_signature_value_is_an_invalid_signature() -> None:
    from asn1crypto import cms as asn1_cms

    signed = fixture("report.openssl512.pdf")
    emb = pades.open_reader(signed).embedded_signatures[0]
    value = emb.signer_info["signature"].native
    contents_at = emb.byte_range[1] + 1  # the hex string /Contents starts after «<»
    der = asn1_cms.ContentInfo.load(bytes.fromhex(signed[contents_at:emb.byte_range[2] - 1].decode()))
    position = der.dump().index(value) + 10
    tampered = bytearray(signed)
    hex_at = contents_at + 2 * position
    tampered[hex_at] = ord("0") if tampered[hex_at] != ord("0") else ord("1")
    (status,) = _verify(bytes(tampered), CA)
    assert status.verdict == "invalid"
    assert "криптографическая проверка не пройдена" in status.text


def test_incremental_update_changing_page_content_is_detected() -> None:
    forged = _modify_page(fixture("report.openssl256.pdf"))
    (status,) = _verify(forged, CA)
    assert status.verdict == "modified"
    assert status.coverage == "ENTIRE_REVISION" and status.modification_level == "OTHER"
    assert "изменено содержимое документа" in status.text


def test_certificate_swapped_for_another_signers_is_an_invalid_signature() -> None:
    """«Wrong signer»: the CMS claims Варнавская's certificate, but Иванова's key made the signature."""
    from asn1crypto import cms as asn1_cms
    from asn1crypto import x509

    signed = asn1_cms.ContentInfo.load(_cades(fixture("manifest.txt"), "signer256"))
    other = x509.Certificate.load(fixture("stranger256.cer"))
    content = signed["content"]
    content["certificates"] = [other]
    info = content["signer_infos"][0]
    info["sid"] = asn1_cms.SignerIdentifier({"issuer_and_serial_number": {"issuer": other.issuer,
                                                                          "serial_number": other.serial_number}})
    status = cms.verify_detached(fixture("manifest.txt"), signed.dump(force=True), [fixture("other_ca.cer")])
    assert status.verdict == "invalid"
    assert status.signer == "Петров Пётр Петрович"


def test_signer_from_a_foreign_ca_is_not_trusted() -> None:
    status = cms.verify_detached(fixture("manifest.txt"), _cades(fixture("manifest.txt"), "stranger256"), [fixture(CA)])
    assert status.verdict == "untrusted"
    assert "Подписант не входит в доверенные" in status.text


def test_changed_manifest_is_reported_modified() -> None:
    changed = fixture("manifest.txt").replace(b"42", b"43")
    status = cms.verify_detached(changed, fixture("manifest.txt.256.sig"), [fixture(CA)])
    assert status.verdict == "modified"
    assert "изменён после подписания" in status.text


def test_signature_by_a_now_expired_certificate_is_reported_expired() -> None:
    status = cms.verify_detached(fixture("manifest.txt"), _cades(fixture("manifest.txt"), "expired256"), [fixture(CA)])
    assert status.verdict == "expired"
    assert "истёк 01.01.2021" in status.text
    assert any("не действовал на момент подписания" in d for d in status.details)


def test_signature_trusting_the_signer_certificate_itself_is_valid() -> None:
    status = cms.verify_detached(fixture("manifest.txt"), fixture("manifest.txt.512.sig"), [fixture("signer512.cer")])
    assert status.verdict == "valid"


def test_cryptopro_signature_over_an_engine_signed_pdf_keeps_both_valid(fake) -> None:  # noqa: ANN001
    from socplan.signing import cryptopro, gost_pdf

    first = fixture("report.openssl256.pdf")
    second = gost_pdf.sign_pdf_external(first, cryptopro.export_certificate(fake.settings512),
                                        lambda data: cryptopro.sign_detached(data, fake.settings512))
    statuses = _verify(second, CA)
    assert [s.verdict for s in statuses] == ["valid", "valid"]
    assert [s.signer for s in statuses] == ["Иванова Мария Петровна", "Варнавская Ирина Петровна"]
    statuses = _verify(_modify_page(second), CA)
    assert [s.verdict for s in statuses] == ["modified", "modified"]


def test_rsa_signatures_still_work_after_the_gost_names_are_registered(certs, monkeypatch) -> None:  # noqa: ANN001
    """Registering GOST OIDs must keep asn1crypto's own names. Regression: when asn1crypto had already set a class
    up (done once per class), registration emptied its reverse map and «sha256» stopped being known."""
    from asn1crypto import algos

    algos.DigestAlgorithm({"algorithm": "sha256"})  # asn1crypto sets the classes up
    algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})
    monkeypatch.setattr(gost, "_registered", False)
    gost.register_asn1()
    assert algos.DigestAlgorithm({"algorithm": "sha256"})["algorithm"].dotted == "2.16.840.1.101.3.4.2.1"
    assert algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"})["algorithm"].dotted == "1.2.840.113549.1.1.11"
    signature = cms.sign_detached(b"manifest", certs["executor"])
    assert cms.verify_detached(b"manifest", signature, [certs["executor"].certificate]).verdict == "valid"
