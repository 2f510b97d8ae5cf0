"""Make the GOST test fixtures in ``fixtures/`` (committed; the tests need no engine to run).

Needs OpenSSL 3 with the GOST engine (Debian: ``apt-get install libengine-gost-openssl``). Run from the
repository root::

    PYTHONPATH=src python tests/signing/gost/make_fixtures.py

What it makes (all keys are throw-away test keys, committed on purpose):

- ``ca.cer`` — test root CA, GOST R 34.10-2012 512 bit (paramset A), self-signed by the engine;
- ``signer256.cer`` — «Иванова Мария Петровна», 256 bit (CryptoPro-A curve), serial 00C5B3… (leading zero byte);
- ``signer512.cer`` — «Варнавская Ирина Петровна», 512 bit (TC26 paramset A), serial 0123AB… (leading zero nibble);
- ``expired256.cer`` — «Сидоров Иван Иванович», valid 2020–2021 (dates the engine's ``x509 -req`` cannot set, so
  it is built here with asn1crypto and signed by the CA key with gostcrypto);
- ``other_ca.cer`` + ``stranger256.cer`` — a chain nobody trusts;
- ``keys.json`` — private scalars of the signers (for the stand-in cryptcp), thumbprints, file names;
- ``manifest.txt`` with ``manifest.txt.256.sig`` / ``manifest.txt.512.sig`` — detached CAdES-BES by ``openssl cms``;
- ``report.pdf`` and ``report.openssl256.pdf`` / ``report.openssl512.pdf`` — the report signed through the same
  interrupted-signing path as CryptoPro, with ``openssl cms -sign -cades`` as the external signer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "fixtures"
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "src"))

ENGINE = ["-engine", "gost"]
EXT_CA = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n"
EXT_USER = ("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
            "extendedKeyUsage=emailProtection,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")


def openssl(*args: str, data: bytes | None = None) -> bytes:
    proc = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if proc.returncode != 0:
        raise SystemExit(f"openssl {' '.join(args)} failed:\n{proc.stderr.decode(errors='replace')}")
    return proc.stdout


def new_key(tmp: Path, name: str, algorithm: str, paramset: str) -> Path:
    path = tmp / f"{name}.key"
    openssl("genpkey", *ENGINE, "-algorithm", algorithm, "-pkeyopt", f"paramset:{paramset}", "-out", str(path))
    return path


def private_scalar(key: Path) -> str:
    text = openssl("pkey", *ENGINE, "-in", str(key), "-text", "-noout").decode()
    return re.search(r"Private key:\s*([0-9A-Fa-f]+)", text).group(1).lower()


def der(pem_path: Path) -> bytes:
    return openssl("x509", "-in", str(pem_path), "-outform", "DER")


def make_ca(tmp: Path, name: str, subject: str, algorithm: str, paramset: str, md: str) -> tuple[Path, Path]:
    key = new_key(tmp, name, algorithm, paramset)
    ext = tmp / f"{name}.ext"
    ext.write_text(EXT_CA)
    cert = tmp / f"{name}.pem"
    config = tmp / "req.cnf"
    config.write_text("[req]\ndistinguished_name=dn\n[dn]\n")
    openssl("req", *ENGINE, "-x509", "-new", "-key", str(key), md, "-utf8", "-subj", subject, "-days", "7300",
            "-set_serial", "0x0A1B2C3D", "-config", str(config), "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", str(cert))
    return key, cert


def make_user(tmp: Path, name: str, subject: str, algorithm: str, paramset: str, md: str, ca: tuple[Path, Path],
              serial: str, days: int = 730, ca_md: str = "-md_gost12_512") -> tuple[Path, Path]:
    key = new_key(tmp, name, algorithm, paramset)
    csr = tmp / f"{name}.csr"
    config = tmp / "req.cnf"
    openssl("req", *ENGINE, "-new", "-key", str(key), md, "-utf8", "-subj", subject, "-config", str(config),
            "-out", str(csr))
    ext = tmp / f"{name}.ext"
    ext.write_text(EXT_USER)
    cert = tmp / f"{name}.pem"
    openssl("x509", *ENGINE, "-req", "-in", str(csr), "-CA", str(ca[1]), "-CAkey", str(ca[0]), ca_md,
            "-days", str(days), "-set_serial", serial, "-extfile", str(ext), "-out", str(cert))
    return key, cert


def make_expired(ca_cert_der: bytes, ca_scalar: int, subject_cert_der: bytes, private: int) -> bytes:
    """A 256-bit certificate valid 01.01.2020–01.01.2021, signed by the CA key (gostcrypto), same subject layout."""
    from asn1crypto import keys, x509

    from socplan.signing import gost

    ca = x509.Certificate.load(ca_cert_der)
    template = x509.Certificate.load(subject_cert_der)
    curve = gost.public_key(template.public_key).curve_oid
    x, y = gost.public_point(private, 32, curve)
    tbs = template["tbs_certificate"].copy()
    tbs["serial_number"] = 0x00E1D2C3B4
    tbs["issuer"] = ca.subject
    tbs["validity"] = x509.Validity({"not_before": x509.Time({"utc_time": dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)}),
                                     "not_after": x509.Time({"utc_time": dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)})})
    tbs["subject"] = x509.Name.build({"common_name": "Сидоров Иван Иванович", "surname": "Сидоров",
                                      "given_name": "Иван Иванович", "title": "консультант",
                                      "organization_name": "Минтруд Омской области", "country_name": "RU"},
                                     use_printable=False)
    spki = keys.PublicKeyInfo({"algorithm": template.public_key["algorithm"],
                               "public_key": keys.OctetBitString(gost.encode_public_key(x, y, 32))})
    tbs["subject_public_key_info"] = spki
    extensions = [e for e in tbs["extensions"] if e["extn_id"].native not in ("key_identifier", "authority_key_identifier")]
    tbs["extensions"] = x509.Extensions(extensions)
    signature = gost.sign(ca_scalar, 64, gost.public_key(ca.public_key).curve_oid, tbs.dump(force=True))
    cert = x509.Certificate({"tbs_certificate": tbs, "signature_algorithm": template["signature_algorithm"],
                             "signature_value": signature})
    return cert.dump(force=True)


def cms_sign(tmp: Path, data: bytes, cert: Path, key: Path, md: str) -> bytes:
    source = tmp / "content.bin"
    source.write_bytes(data)
    target = tmp / "content.sig"
    openssl("cms", *ENGINE, "-sign", "-cades", "-binary", "-nosmimecap", "-in", str(source), "-signer", str(cert),
            "-inkey", str(key), "-md", md, "-outform", "DER", "-out", str(target))
    return target.read_bytes()


def build_report() -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Отчёт о ходе исполнения плана мероприятий", author="Минтруд Омской области",
                                       subject="Тестовый документ для подписей ГОСТ",
                                       creation_date=dt.datetime(2026, 1, 15, 10, 0, 0)))
    doc.heading("ОТЧЁТ")
    doc.paragraph("Настоящий отчёт подготовлен для проверки электронных подписей ГОСТ Р 34.10-2012.")
    doc.table([["№ п/п", "Мероприятие", "Срок", "Исполнение"]],
              [[str(i), f"Мероприятие {i}", "I квартал 2026 г.", "исполнено"] for i in range(1, 11)],
              [15, 95, 35, 35], number_row=True)
    doc.signature("Главный специалист отдела", "М.П. Иванова")
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    return doc.build_bytes()


def main() -> None:
    from socplan.signing import gost_pdf

    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ca = make_ca(tmp, "ca", "/CN=Тестовый УЦ СоцПлан ГОСТ/O=СоцПлан (тест)/C=RU", "gost2012_512", "A",
                     "-md_gost12_512")
        other = make_ca(tmp, "other_ca", "/CN=Посторонний УЦ/O=Неизвестная организация/C=RU", "gost2012_256", "A",
                        "-md_gost12_256")
        s256 = make_user(tmp, "signer256", "/CN=Иванова Мария Петровна/SN=Иванова/GN=Мария Петровна"
                         "/title=главный специалист/O=Минтруд Омской области/C=RU", "gost2012_256", "A",
                         "-md_gost12_256", ca, "0x00C5B3A1F0")
        s512 = make_user(tmp, "signer512", "/CN=Варнавская Ирина Петровна/SN=Варнавская/GN=Ирина Петровна"
                         "/title=министр/O=Минтруд Омской области/C=RU", "gost2012_512", "A",
                         "-md_gost12_512", ca, "0x0123ABCDEF")
        stranger = make_user(tmp, "stranger256", "/CN=Петров Пётр Петрович/SN=Петров/GN=Пётр Петрович/C=RU",
                             "gost2012_256", "TCA", "-md_gost12_256", other, "0x77", ca_md="-md_gost12_256")
        files: dict[str, bytes] = {
            "ca.cer": der(ca[1]), "other_ca.cer": der(other[1]), "signer256.cer": der(s256[1]),
            "signer512.cer": der(s512[1]), "stranger256.cer": der(stranger[1]),
        }
        exp_key = new_key(tmp, "expired256", "gost2012_256", "B")
        files["expired256.cer"] = make_expired(files["ca.cer"], int(private_scalar(ca[0]), 16), files["signer256.cer"],
                                               int(private_scalar(exp_key), 16))
        keys = {}
        for label, key, size in (("signer256", s256[0], 32), ("signer512", s512[0], 64), ("expired256", exp_key, 32),
                                 ("stranger256", stranger[0], 32), ("ca", ca[0], 64)):
            cert = files[f"{label}.cer"]
            keys[label] = {"size": size, "d": private_scalar(key), "cert": f"{label}.cer",
                           "thumbprint": hashlib.sha1(cert).hexdigest()}
        manifest = ("СоцПлан: манифест пакета обмена (тест)\nотправитель: Азовский немецкий национальный район\n"
                    "записей: 42\n").encode("utf-8")
        files["manifest.txt"] = manifest
        files["manifest.txt.256.sig"] = cms_sign(tmp, manifest, s256[1], s256[0], "md_gost12_256")
        files["manifest.txt.512.sig"] = cms_sign(tmp, manifest, s512[1], s512[0], "md_gost12_512")
        report = build_report()
        files["report.pdf"] = report
        for label, pair, md in (("256", s256, "md_gost12_256"), ("512", s512, "md_gost12_512")):
            files[f"report.openssl{label}.pdf"] = gost_pdf.sign_pdf_external(
                report, files[f"signer{label}.cer"], lambda data, p=pair, m=md: cms_sign(tmp, data, p[1], p[0], m),
                reason="Подписание отчёта (OpenSSL GOST engine)")
    for file_name, data in files.items():
        (OUT / file_name).write_bytes(data)
    (OUT / "keys.json").write_text(json.dumps(keys, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {len(files) + 1} files to {OUT}")


if __name__ == "__main__":
    main()
