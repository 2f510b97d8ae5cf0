"""PKCS#12 import (bad password, no key), self-signed certificates, detached CMS signatures."""

from __future__ import annotations

import datetime as dt

import pytest

from socplan.signing import cms
from socplan.signing.certificates import NOT_QUALIFIED, certificate_info, create_self_signed, load_pkcs12
from socplan.signing.errors import CertificateError, SigningError, WrongPasswordError


def test_self_signed_certificate_shows_owner_serial_validity_and_is_not_qualified(certs) -> None:
    info = certs["executor"].info
    assert info.owner == "Иванова Мария Петровна"
    assert info.position == "главный специалист" and info.organisation == "Минтруд"
    assert info.issuer == "Иванова Мария Петровна" and info.self_signed
    assert not info.qualified and info.kind_text == NOT_QUALIFIED
    assert (info.valid_to - info.valid_from).days == 365
    assert int(info.serial, 16) == certs["executor"].certificate.serial_number
    assert info.state() == "valid" and info.state_text() == "действителен"


def test_expired_and_future_certificates_are_flagged(certs) -> None:
    expired = certs["expired"].info
    assert expired.state() == "expired" and expired.state_text().startswith("срок действия истёк")
    future = certificate_info(load_pkcs12(create_self_signed("Будущий Б Б", "", "", 10,
                                                             not_before=dt.datetime.now() + dt.timedelta(days=5)), "").certificate)
    assert future.state() == "not_yet_valid" and "ещё не действует" in future.state_text()


def test_wrong_password_is_explained(certs) -> None:
    with pytest.raises(WrongPasswordError) as caught:
        load_pkcs12(certs["executor_p12"], "не тот пароль")
    assert "Неверный пароль" in caught.value.message


def test_container_without_private_key_is_refused(certs) -> None:
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    only_cert = pkcs12.serialize_key_and_certificates(b"cert", None, certs["executor"].certificate, None, NoEncryption())
    with pytest.raises(CertificateError) as caught:
        load_pkcs12(only_cert, "")
    assert "нет закрытого ключа" in caught.value.message


def test_not_a_pkcs12_file_is_explained(tmp_path) -> None:
    path = tmp_path / "сертификат.pfx"
    path.write_bytes(b"definitely not pkcs12")
    with pytest.raises(CertificateError) as caught:
        load_pkcs12(path, "x")
    assert "не является контейнером PKCS#12" in caught.value.message
    with pytest.raises(CertificateError) as missing:
        load_pkcs12(tmp_path / "нет.pfx", "x")
    assert "не найден" in missing.value.message


def test_detached_cms_signature_of_any_file(certs) -> None:
    data = "Пакет обмена: показатели за 2025 год".encode()
    sig = cms.sign_detached(data, certs["executor"])
    good = cms.verify_detached(data, sig, [certs["executor"].certificate])
    assert good.verdict == "valid" and good.signer == "Иванова Мария Петровна"
    assert cms.verify_detached(data, sig, []).verdict == "untrusted"
    changed = cms.verify_detached(data + b" ", sig, [certs["executor"].certificate])
    assert changed.verdict == "modified" and "изменён после подписания" in changed.text
    with pytest.raises(SigningError) as caught:
        cms.verify_detached(data, b"garbage", [])
    assert "не является подписью CMS" in caught.value.message


def test_detached_signature_with_expired_certificate_is_refused(certs) -> None:
    with pytest.raises(SigningError):
        cms.sign_detached(b"x", certs["expired"])


def test_trusted_but_expired_signer_of_a_detached_signature_is_reported_expired(certs) -> None:
    """pyHanko does not date-check trust anchors: a signature by a trusted certificate that has since
    expired must not come out «действительна»."""
    import asyncio

    from socplan.signing.pades import _pyhanko_signer

    expired = certs["expired"]
    signature = asyncio.run(_pyhanko_signer(expired).async_sign_general_data(b"data", "sha256", detached=True)).dump()
    status = cms.verify_detached(b"data", signature, trusted=[expired.certificate])
    assert status.verdict == "expired"
    assert "истёк" in status.text
