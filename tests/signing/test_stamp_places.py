"""Each signer's stamp lands in that signer's own place, read back from the signed PDF's widget annotations:
the chair's over the chair's line, the secretary's over the secretary's, the approver's inside «УТВЕРЖДАЮ» on
page 1; no stamp covers printed text or another stamp; chair then secretary in turn, both valid (CLI too)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from socplan.signing import pades
from socplan.signing.errors import SigningError


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x1: float  # PDF points, origin bottom-left (as widget /Rect)
    y1: float
    x2: float
    y2: float


def words(pdf: bytes, tmp_path: Path) -> list[Word]:
    """Every printed word with its box (pdftotext -bbox), converted to PDF coordinates."""
    import html
    import re

    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    found, page, height = [], 0, 0.0
    for line in out.splitlines():
        if m := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            page += 1
            height = float(m.group(2))
        elif m := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line):
            x1, y1, x2, y2 = (float(v) for v in m.groups()[:4])
            found.append(Word(html.unescape(m.group(5)), page, x1, height - y2, x2, height - y1))
    return found


def overlaps(a, b) -> bool:  # noqa: ANN001
    return a.page == b.page and a.x1 < b.x2 - 0.5 and b.x1 < a.x2 - 0.5 and a.y1 < b.y2 - 0.5 and b.y1 < a.y2 - 0.5


def find(found: list[Word], text: str) -> Word:
    (word,) = [w for w in found if w.text == text]
    return word


@pytest.fixture(scope="module")
def people():  # noqa: ANN201
    from socplan.signing.certificates import create_self_signed, load_pkcs12

    def make(name: str, position: str) -> tuple:
        p12 = create_self_signed(name, position, "Минтруд", 365, password="")
        return load_pkcs12(p12, ""), p12

    chair, chair_p12 = make("Елецкая Ирина Борисовна", "заместитель министра")
    secretary, secretary_p12 = make("Петрова Анна Викторовна", "консультант")
    # a certificate whose owner is not the person printed in the block, but whose title says «секретарь»
    stand_in, _ = make("Сидорова Ольга Ивановна", "секретарь")
    approver, _ = make("Варнавская Ирина Петровна", "министр")
    return {"chair": chair, "chair_p12": chair_p12, "secretary": secretary, "secretary_p12": secretary_p12,
            "stand_in": stand_in, "approver": approver}


def protocol(paragraphs: int = 14, approval: bool = False) -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Протокол заседания рабочей группы", creation_date=dt.datetime(2025, 4, 17)))
    if approval:
        doc.approval_block("Министр труда и социального развития Омской области", "И.П. Варнавская",
                           "17 апреля 2025 г.")
    doc.heading("ПРОТОКОЛ № 1")
    for i in range(paragraphs):
        doc.paragraph(f"Пункт {i + 1}. Рассмотрели вопрос о ходе реализации апробации механизмов организации "
                      "оказания муниципальных услуг в социальной сфере и приняли решение.")
    doc.signature("Председательствующий", "И.Б. Елецкая", space_before_mm=8)
    doc.signature("Секретарь", "А.В. Петрова", space_before_mm=8)
    return doc.build_bytes()


def assert_in_block(stamp, position: Word, name: Word) -> None:  # noqa: ANN001
    """Between the signer's position and name, on their baseline row (the stamp stands on the line)."""
    assert stamp.page == name.page == position.page
    assert position.x2 <= stamp.x1 and stamp.x2 <= name.x1, (stamp, position, name)
    assert stamp.y1 <= name.y2 and name.y1 <= stamp.y2 and stamp.y1 <= position.y2, (stamp, name)


def assert_covers_nothing(stamps, printed: list[Word]) -> None:  # noqa: ANN001
    for stamp in stamps:
        hit = [w for w in printed if overlaps(stamp, w)]
        assert hit == [], f"stamp {stamp} covers printed text {hit}"
    for i, a in enumerate(stamps):
        for b in stamps[i + 1:]:
            assert not overlaps(a, b), (a, b)


@pytest.mark.parametrize("order", [("chair", "secretary"), ("secretary", "chair")])
def test_chair_and_secretary_stamps_land_over_their_own_lines(people, tmp_path, order) -> None:
    pdf = protocol()
    printed = words(pdf, tmp_path)
    signed = pdf
    for who in order:
        signed = pades.sign_pdf(signed, people[who])
    reader = pades.open_reader(signed)
    stamps = pades.existing_stamps(reader)
    owners = [str(e.signer_cert.subject.native["common_name"]) for e in reader.embedded_signatures]
    by_owner = dict(zip(owners, stamps))
    assert_in_block(by_owner["Елецкая Ирина Борисовна"], find(printed, "Председательствующий"), find(printed, "Елецкая"))
    assert_in_block(by_owner["Петрова Анна Викторовна"], find(printed, "Секретарь"), find(printed, "Петрова"))
    assert_covers_nothing(stamps, printed)
    statuses = pades.verify_pdf(signed, [people["chair"].certificate, people["secretary"].certificate])
    assert [s.verdict for s in statuses] == ["valid", "valid"]
    assert [s.signer for s in statuses] == [people[who].info.owner for who in order]


def test_secretary_stamp_never_covers_the_chair_line_when_the_certificate_name_differs(people, tmp_path) -> None:
    """The defect: a second signer whose surname is not printed got the first free place (the chair's)."""
    pdf = protocol()
    printed = words(pdf, tmp_path)
    first = pades.sign_pdf(pdf, people["stand_in"])  # title «секретарь» → the secretary's place, though first
    both = pades.sign_pdf(first, people["chair"])
    stand_in_stamp, chair_stamp = pades.existing_stamps(pades.open_reader(both))
    assert_in_block(stand_in_stamp, find(printed, "Секретарь"), find(printed, "Петрова"))
    assert_in_block(chair_stamp, find(printed, "Председательствующий"), find(printed, "Елецкая"))
    # an explicit place wins over everything; a place that does not exist is refused in Russian
    named = pades.sign_pdf(pdf, people["approver"], place="секретарь")
    (stamp,) = pades.existing_stamps(pades.open_reader(named))
    assert_in_block(stamp, find(printed, "Секретарь"), find(printed, "Петрова"))
    with pytest.raises(SigningError) as error:
        pades.sign_pdf(pdf, people["approver"], place="главный бухгалтер")
    assert "нет свободного места подписи «главный бухгалтер»" in error.value.message
    assert "Председательствующий — И.Б. Елецкая (стр. 2)" in error.value.message


def test_approver_stamp_goes_inside_the_approval_block_on_page_one(people, tmp_path) -> None:
    pdf = protocol(paragraphs=30, approval=True)
    printed = words(pdf, tmp_path)
    signed = pades.sign_pdf(pdf, people["approver"])
    signed = pades.sign_pdf(signed, people["chair"])
    signed = pades.sign_pdf(signed, people["secretary"])
    approver_stamp, chair_stamp, secretary_stamp = pades.existing_stamps(pades.open_reader(signed))
    word, date = find(printed, "УТВЕРЖДАЮ"), [w for w in printed if w.text == "апреля" and w.page == 1][0]
    assert approver_stamp.page == 1
    # the block: from «УТВЕРЖДАЮ» to the date line, from the block's left edge to the right margin
    assert word.x1 - 1 <= approver_stamp.x1 and approver_stamp.x2 <= 595.28 - 10 * 72 / 25.4
    assert date.y1 < approver_stamp.y1 and approver_stamp.y2 < word.y1
    name_line = [w for w in printed if w.text == "Варнавская" and w.page == 1][0]
    assert name_line.y2 <= approver_stamp.y1, "the stamp stands above «_____ И.П. Варнавская»"
    assert chair_stamp.page == secretary_stamp.page > 1
    assert_covers_nothing([approver_stamp, chair_stamp, secretary_stamp], printed)
    trusted = [people[k].certificate for k in ("approver", "chair", "secretary")]
    assert [s.verdict for s in pades.verify_pdf(signed, trusted)] == ["valid"] * 3


def test_stamp_shows_the_serial_as_in_the_certificate_with_leading_zeros() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from socplan.signing.certificates import certificate_info

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Петрова Анна Викторовна")])

    def cert(serial: int):  # noqa: ANN202
        now = dt.datetime.now(dt.timezone.utc)
        return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(serial).not_valid_before(now).not_valid_after(now + dt.timedelta(days=30))
                .sign(key, hashes.SHA256()))

    # DER integer octets: 0A 12 … (a leading zero nibble) and 00 A3 … (a sign octet before a high bit)
    assert certificate_info(cert(0x0A12_3456_789A)).serial == "0A123456789A"
    assert certificate_info(cert(0xA3F1_0000_0001)).serial == "00A3F100000001"


def test_stamp_text_carries_the_full_serial(people) -> None:
    lines = pades.stamp_lines(people["chair"])
    serial = people["chair"].info.serial
    assert lines[1] == f"Сертификат: {serial}"
    assert len(serial) % 2 == 0, "whole octets, as the certificate holds them"


@pytest.fixture
def cli_db(demo_db_template, tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "cli.sqlite"
    shutil.copyfile(demo_db_template, path)
    return str(path)


def test_cli_chair_then_secretary_sign_in_turn_and_verify_lists_both(people, cli_db, tmp_path, capsys,
                                                                     monkeypatch) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    from socplan.app import main

    pdf = tmp_path / "протокол.pdf"
    pdf.write_bytes(protocol())
    (tmp_path / "chair.pfx").write_bytes(people["chair_p12"])
    (tmp_path / "secretary.pfx").write_bytes(people["secretary_p12"])
    for who in ("chair", "secretary"):
        (tmp_path / f"{who}.cer").write_bytes(people[who].certificate.public_bytes(Encoding.PEM))
    monkeypatch.setenv("SOCPLAN_CERT_PASSWORD", "")
    assert main(["sign", str(pdf), "--cert", str(tmp_path / "chair.pfx"), "--no-timestamp"]) == 0
    signed = tmp_path / "протокол.signed.pdf"
    first_revision = signed.read_bytes()
    capsys.readouterr()
    # signing the unsigned original again would replace the chair's signed copy: refused, nothing written
    assert main(["sign", str(pdf), "--cert", str(tmp_path / "secretary.pfx"), "--no-timestamp"]) == 1
    assert "уже есть и подписан" in capsys.readouterr().err
    assert signed.read_bytes() == first_revision
    # the secretary signs the signed file: same name, the chair's revision kept byte for byte in front
    assert main(["sign", str(signed), "--cert", str(tmp_path / "secretary.pfx"), "--no-timestamp"]) == 0
    assert "подписей в файле: 2" in capsys.readouterr().out
    both = signed.read_bytes()
    assert both.startswith(first_revision) and len(both) > len(first_revision)
    assert main(["--db", cli_db, "verify", str(signed), "--json", "--trust", str(tmp_path / "chair.cer"),
                 "--trust", str(tmp_path / "secretary.cer")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] is True
    assert [s["signer"] for s in out["signatures"]] == ["Елецкая Ирина Борисовна", "Петрова Анна Викторовна"]
    assert [s["verdict"] for s in out["signatures"]] == ["valid", "valid"]
    assert main(["--db", cli_db, "verify", str(signed), "--trust", str(tmp_path / "chair.cer"),
                 "--trust", str(tmp_path / "secretary.cer")]) == 0
    text = capsys.readouterr().out
    assert "Подпись № 1" in text and "Подпись № 2" in text and "Все подписи действительны." in text
