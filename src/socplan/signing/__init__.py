"""Electronic signatures: PKCS#12 certificates, PAdES signing with the visible stamp, detached CMS, verification.

Nothing here uses the network unless a timestamp server URL is given explicitly to :func:`pades.sign_pdf`.
pyHanko and cryptography are imported lazily by the submodules that need them.

- :mod:`socplan.signing.certificates` — ``load_pkcs12``, ``create_self_signed``, ``certificate_info``.
- :mod:`socplan.signing.pades` — ``sign_pdf``, ``verify_pdf``, ``signature_fields``.
- :mod:`socplan.signing.cms` — ``sign_detached``, ``verify_detached``.
- :mod:`socplan.signing.status` — ``SignatureStatus`` (verdict + Russian explanation).
"""
