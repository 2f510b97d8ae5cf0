"""The document engine: embedded fonts only, PDF/A-2b identification and output intent, reproducible bytes,
page numbers from page 2 at the top, repeated header, metadata, recorded signature places."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from socplan.reports.document import DocumentBuilder, DocumentSpec
from socplan.reports.pdfa import srgb_icc_profile

FIXED = dt.datetime(2024, 12, 23, 10, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=6)))


def build(creation_date: dt.datetime | None = FIXED, rows: int = 80) -> tuple[bytes, DocumentBuilder]:
    doc = DocumentBuilder(DocumentSpec("План мероприятий на 2025 год", author="Минтруд Омской области",
                                       subject="Независимая оценка качества", keywords="план, НОК",
                                       creation_date=creation_date))
    doc.approval_block("Министр труда и социального развития Омской области", "И.П. Варнавская", "23 декабря 2024 года")
    doc.heading("ПЛАН")
    doc.table([["№ п/п", "Наименование мероприятия", "Сумма, руб."]],
              [[str(i), f"Мероприятие {i}", "128 622 499 874,82"] for i in range(1, rows + 1)], [15, 120, 45],
              number_row=True, align=["center", "left", "right"])
    doc.footnote("* Суммы указаны с учётом софинансирования.")
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    return doc.build_bytes(), doc


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:  # noqa: ANN001
    path = tmp_path_factory.mktemp("engine") / "plan.pdf"
    path.write_bytes(build()[0])
    return path


def run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def test_only_embedded_fonts(pdf_file) -> None:
    lines = run("pdffonts", str(pdf_file)).splitlines()[2:]
    assert lines, "the document uses fonts"
    for line in lines:
        assert "Helvetica" not in line
        emb = line.split()[-5]
        assert emb == "yes", line


def test_pdfa_identification_output_intent_and_metadata(pdf_file) -> None:
    data = pdf_file.read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data and b"<pdfaid:conformance>B</pdfaid:conformance>" in data
    assert b"/OutputIntents" in data and b"/GTS_PDFA1" in data and b"(sRGB IEC61966-2.1)" in data
    info = run("pdfinfo", str(pdf_file))
    assert "Title:           План мероприятий на 2025 год" in info
    assert "Author:          Минтруд Омской области" in info
    assert "Subject:         Независимая оценка качества" in info
    assert "Metadata Stream: yes" in info
    assert "Creator:         СоцПлан" in info
    assert "CreationDate:    Mon Dec 23 04:30:00 2024 UTC" in info  # 10:30 at UTC+6
    assert "<xmp:CreateDate>2024-12-23T10:30:00+06:00</xmp:CreateDate>" in data.decode("latin-1")


def test_generated_icc_profile_is_a_valid_srgb_display_profile() -> None:
    profile = srgb_icc_profile()
    assert int.from_bytes(profile[:4], "big") == len(profile)
    assert profile[12:16] == b"mntr" and profile[16:20] == b"RGB " and profile[36:40] == b"acsp"
    tag_count = int.from_bytes(profile[128:132], "big")
    tags = {profile[132 + 12 * i:136 + 12 * i] for i in range(tag_count)}
    assert {b"desc", b"cprt", b"wtpt", b"rXYZ", b"gXYZ", b"bXYZ", b"rTRC", b"gTRC", b"bTRC"} <= tags


def test_same_data_gives_the_same_bytes_and_changed_data_does_not() -> None:
    first, _ = build()
    second, _ = build()
    assert first == second
    other, _ = build(rows=81)
    assert other != first


def test_without_a_fixed_date_the_creation_date_is_now(tmp_path) -> None:
    data, _ = build(creation_date=None, rows=3)
    path = tmp_path / "now.pdf"
    path.write_bytes(data)
    year = dt.datetime.now().year
    assert f"{year}" in [l for l in run("pdfinfo", str(path)).splitlines() if l.startswith("CreationDate")][0]


def test_page_numbers_from_page_two_at_top_and_header_repeated(pdf_file) -> None:
    pages = run("pdftotext", "-layout", str(pdf_file), "-").split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    first_lines = [p.strip().splitlines()[0].strip() for p in pages]
    assert first_lines[0] == "УТВЕРЖДАЮ" or "УТВЕРЖДАЮ" in pages[0].splitlines()[0]
    for number, line in enumerate(first_lines[1:], start=2):
        assert line == str(number)
    for page in pages[1:]:
        assert "Наименование мероприятия" in page  # the header row repeats
    assert "128 622 499 874,82" in pages[0]


def test_signature_places_are_recorded_in_the_file(pdf_file) -> None:
    from socplan.signing.pades import open_reader, recorded_boxes

    data, doc = build()
    approval, box = recorded_boxes(open_reader(data))
    _, expected = doc.signature_boxes
    assert box.page == expected.page and box.name == "И.П. Варнавская"
    assert box.position == "Министр труда и социального развития Омской области"
    assert abs(box.x1 - expected.x1) < 0.01 and abs(box.y2 - expected.y2) < 0.01
    assert box.page == len([p for p in run("pdftotext", str(pdf_file), "-").split("\f") if p.strip()])
    assert approval.page == 1 and approval.name == "И.П. Варнавская"  # the «УТВЕРЖДАЮ» block's place


def test_output_intent_carries_the_icc_profile(pdf_file) -> None:
    from socplan.signing.pades import open_reader

    reader = open_reader(pdf_file.read_bytes())
    (intent,) = reader.root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.data == srgb_icc_profile()
    metadata = reader.root["/Metadata"].get_object()
    assert "/Filter" not in metadata and metadata["/Subtype"] == "/XML"
