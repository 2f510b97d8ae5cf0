"""Issue 19: signing pays no constant cost raw pyHanko would not — the private key is not read again from DER for
each raw signature, and an unsigned document's pages are not read one by one to look for stamps — while the
signature and the stamp stay what they were."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization

from socplan.signing import pades, placement


def test_the_key_is_used_as_loaded_and_signs_byte_for_byte_as_pyhanko(certs, report, monkeypatch) -> None:
    """pyHanko's SimpleSigner loads the key from DER twice per PDF signature (≈ 50 ms each for RSA-2048). Ours
    signs with the loaded key: the same RSA signature bytes as pyHanko's (PKCS #1 v1.5 is deterministic), and a
    whole PDF signature loads no key."""
    from asn1crypto import keys
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from socplan.signing.certificates import to_asn1, to_asn1_list

    signer = certs["approver"]
    der = signer.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    plain = signers.SimpleSigner(signing_cert=to_asn1(signer.certificate), signing_key=keys.PrivateKeyInfo.load(der),
                                 cert_registry=SimpleCertificateStore.from_certs(to_asn1_list(signer.chain)))
    data = "Сведения о достижении значений показателей".encode()
    assert pades._pyhanko_signer(signer).sign_raw(data, "sha256") == plain.sign_raw(data, "sha256")

    loads = []
    load = serialization.load_der_private_key
    monkeypatch.setattr(serialization, "load_der_private_key", lambda *a, **k: loads.append(1) or load(*a, **k))
    signed = pades.sign_pdf(report[0], signer, reason="Утверждение")
    assert loads == []
    assert [s.verdict for s in pades.verify_pdf(signed, [signer.certificate])] == ["valid"]


def test_an_unsigned_document_is_not_read_page_by_page_for_stamps(certs, report, monkeypatch, helpers) -> None:
    """Looking for earlier stamps read every page of a 100-page report on every signature. A document whose form
    has no signature field has none: the pages are not read; once signed, its stamp is found as before."""
    pdf, _boxes = report
    walks = []
    page_refs = placement._page_refs
    monkeypatch.setattr(placement, "_page_refs", lambda reader: walks.append(1) or page_refs(reader))
    assert placement.existing_stamps(placement.open_reader(pdf)) == []
    assert walks == []

    signed = pades.sign_pdf(pdf, certs["approver"])
    (stamp,) = placement.existing_stamps(placement.open_reader(signed))
    assert stamp.page == 1 and stamp.x2 - stamp.x1 > 100, stamp  # the approver's place in «УТВЕРЖДАЮ»
    assert helpers.stamp_texts(signed)[0][0] == "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ"
