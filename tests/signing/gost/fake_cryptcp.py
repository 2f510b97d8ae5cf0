"""A stand-in for CryptoPro's ``cryptcp`` and ``certmgr`` (CryptoPro cannot be installed on a test machine).

Same arguments, output layout and «[ErrorCode: 0x…]» lines as the real tools (CryptoPro CSP 5.0 documentation
and their published outputs); it signs for real — GOST R 34.10-2012 with the committed test keys
(``fixtures/keys.json``) through gostcrypto — producing a detached CAdES-BES CMS like ``cryptcp -signf``.

Run through the launchers ``bin/cryptcp`` and ``bin/certmgr``. Environment:

- ``FAKE_CRYPTCP_MODE``: ``ok`` (default) | ``nocert`` | ``wrongpin`` | ``licence`` | ``cancel`` | ``nofile`` —
  the way ``cryptcp`` fails (after writing a partial ``.sgn``, as an interrupted run may);
- ``FAKE_CRYPTCP_STORE``: comma-separated key labels «installed» in the uMy store
  (default ``signer256,signer512,expired256``);
- ``FAKE_CRYPTCP_LOG``: a file to which each command line is appended (one JSON list per line).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

CRYPTCP_BANNER = 'CryptCP 5.0 (c) "Crypto-Pro", 2002-2022.\nCommand prompt Utility for file signature and encryption.\n'
CERTMGR_BANNER = 'Certmgr 1.1 (c) "Crypto-Pro",  2007-2022.\nprogram for managing certificates, CRLs and stores\n'
RULE = "=" * 77

FAILURES = {
    "nocert": ("0x2000012d", "The certificates are not found.\nCertificates are not found."),
    "wrongpin": ("0x8010006b", "Error: The card cannot be accessed because the wrong PIN was presented."),
    "licence": ("0x20000325", "Error: The license has expired.\nЛицензия на КриптоПро CSP просрочена."),
    "cancel": ("0x8010006e", "Error: The action was cancelled by the user."),
}
DN_NAMES = {"common_name": "CN", "surname": "SN", "given_name": "G", "title": "T", "organization_name": "O",
            "organizational_unit_name": "OU", "country_name": "C", "locality_name": "L",
            "state_or_province_name": "S", "email_address": "E"}


def finish(code: str, text: str = "") -> None:
    if text:
        print(text)
    print(f"[ErrorCode: {code}]")
    sys.exit(0 if int(code, 16) == 0 else 1)


def store() -> dict[str, dict]:
    from asn1crypto import x509

    from socplan.signing import gost

    gost.register_asn1()
    keys = json.loads((HERE / "fixtures" / "keys.json").read_text(encoding="utf-8"))
    labels = os.environ.get("FAKE_CRYPTCP_STORE", "signer256,signer512,expired256").split(",")
    result = {}
    for label in filter(None, labels):
        entry = dict(keys[label])
        entry["der"] = (HERE / "fixtures" / entry["cert"]).read_bytes()
        entry["asn1"] = x509.Certificate.load(entry["der"])
        result[entry["thumbprint"]] = entry
    return result


def dn(name) -> str:  # noqa: ANN001
    parts = []
    for rdn in reversed(list(name.chosen)):
        for atv in rdn:
            key = DN_NAMES.get(atv["type"].native, atv["type"].dotted)
            value = str(atv["value"].native)
            parts.append(f'{key}="{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ',"=') else
                         f"{key}={value}")
    return ", ".join(parts)


def certmgr(args: list[str]) -> None:
    print(CERTMGR_BANNER)
    certs = store()
    if args[:1] == ["-list"]:
        if "-store" not in args:
            finish("0x200000cd", "A required key is not specified (-store).")
        print(RULE)
        for number, (thumb, entry) in enumerate(certs.items(), start=1):
            cert = entry["asn1"]
            validity = cert["tbs_certificate"]["validity"]
            size = "256" if entry["size"] == 32 else "512"
            print(f"{number}-------")
            print(f"Issuer              : {dn(cert.issuer)}")
            print(f"Subject             : {dn(cert.subject)}")
            print(f"Serial              : 0x{cert['tbs_certificate']['serial_number'].contents.hex().upper()}")
            print(f"SHA1 Hash           : {thumb}")
            print(f"Signature Algorithm : ГОСТ Р 34.11-2012/34.10-2012 {size} бит")
            print(f"PublicKey Algorithm : ГОСТ Р 34.10-2012 ({size} bits)")
            print(f"Not valid before    : {validity['not_before'].native:%d/%m/%Y  %H:%M:%S} UTC")
            print(f"Not valid after     : {validity['not_after'].native:%d/%m/%Y  %H:%M:%S} UTC")
            print("PrivateKey Link     : Yes")
            print(f"Container           : HDIMAGE\\\\{entry['cert'][:8]}.000\\1A2B")
            print("Provider Name       : Crypto-Pro GOST R 34.10-2012 KC1 CSP")
        print(RULE)
        finish("0x00000000")
    if args[:1] == ["-export"]:
        thumb = args[args.index("-thumbprint") + 1].lower() if "-thumbprint" in args else ""
        dest = args[args.index("-dest") + 1] if "-dest" in args else ""
        if not dest:
            finish("0x200000d1", "Output file is not specified.")
        if thumb not in certs:
            finish("0x80092004", "Cannot find object or property.")
        data = certs[thumb]["der"]
        if "-base64" in args:
            data = base64.encodebytes(data)
        Path(dest).write_bytes(data)
        finish("0x00000000")
    finish("0x200000cc", "The command is not specified.")


def cades_bes(data: bytes, entry: dict) -> bytes:
    from asn1crypto import algos, cms, tsp, x509

    from socplan.signing import gost

    size, cert = entry["size"], entry["asn1"]
    key = gost.public_key(cert.public_key)
    digest_name = "streebog256" if size == 32 else "streebog512"
    digest_algorithm = algos.DigestAlgorithm({"algorithm": digest_name})
    ess = tsp.SigningCertificateV2({"certs": [{
        "hash_algorithm": digest_algorithm, "cert_hash": gost.streebog(entry["der"], size),
        "issuer_serial": {"issuer": [x509.GeneralName(name="directory_name", value=cert.issuer)],
                          "serial_number": cert.serial_number}}]})
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time",
                          "values": [cms.Time({"utc_time": dt.datetime.now(dt.timezone.utc).replace(microsecond=0)})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [gost.streebog(data, size)]}),
        cms.CMSAttribute({"type": "signing_certificate_v2", "values": [ess]}),
    ])
    signature = gost.sign(int(entry["d"], 16), size, key.curve_oid, attrs.dump())
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {"issuer": cert.issuer,
                                                                  "serial_number": cert.serial_number}}),
        "digest_algorithm": digest_algorithm,
        "signed_attrs": attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "gost2012_256" if size == 32 else "gost2012_512"}),
        "signature": signature,
    })
    signed = cms.SignedData({"version": "v1", "digest_algorithms": [digest_algorithm],
                             "encap_content_info": {"content_type": "data"}, "certificates": [cert],
                             "signer_infos": [signer]})
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()


def cryptcp(args: list[str]) -> None:
    print(CRYPTCP_BANNER)
    known_flags = {"-signf", "-der", "-strict", "-cert", "-detached", "-nochain", "-norev", "-cadesbes", "-yes"}
    with_value = {"-dir", "-thumbprint", "-pin", "-hashalg"}
    options: dict[str, str] = {}
    files: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in with_value:
            if i + 1 >= len(args):
                finish("0x200000cb", f"The parameter is not specified for the key {arg}.")
            options[arg] = args[i + 1]
            i += 2
            continue
        if arg.startswith("-"):
            if arg not in known_flags:
                finish("0x200000c9", f"Unknown key: {arg}")
            options[arg] = ""
        else:
            files.append(arg)
        i += 1
    if "-signf" not in options:
        finish("0x200000cc", "The command is not specified.")
    if not files:
        finish("0x200000d0", "The input file is not specified.")
    mode = os.environ.get("FAKE_CRYPTCP_MODE", "ok")
    thumb = options.get("-thumbprint", "").lower()
    certs = store()
    source = Path(files[0])
    folder = Path(options.get("-dir") or source.parent)
    target = folder / (source.name + ".sgn")
    print(f"Folder '{folder}':")
    print(f"{source}... Signing the data...")
    if mode in FAILURES or mode == "nofile":
        target.write_bytes(b"\x30\x82\x05")  # an interrupted run may leave a stub: the caller must not keep it
        if mode == "nofile":
            target.unlink()
            finish("0x00000000")
        finish(*FAILURES[mode])
    if thumb not in certs:
        finish(*FAILURES["nocert"])
    try:
        data = source.read_bytes()
    except OSError:
        finish("0x20000065", "Failed to open the file.")
    signature = cades_bes(data, certs[thumb])
    target.write_bytes(signature if "-der" in options else base64.encodebytes(signature))
    print("Signed message is created.")
    finish("0x00000000")


def main() -> None:
    tool, args = sys.argv[1], sys.argv[2:]
    log = os.environ.get("FAKE_CRYPTCP_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps([tool, *args], ensure_ascii=False) + "\n")
    (certmgr if tool == "certmgr" else cryptcp)(args)


if __name__ == "__main__":
    main()
