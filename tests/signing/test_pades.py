"""PAdES signing with the visible stamp; verification verdicts for good, tampered and odd files."""

from __future__ import annotations

import io

import pytest

from socplan.signing import pades
from socplan.signing.errors import NotPdfError, SigningError


def _verify(pdf: bytes, *signers) -> list:  # noqa: ANN002
    return pades.verify_pdf(pdf, [s.certificate for s in signers])


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


def test_signed_report_is_valid_and_stamp_reads_as_required(certs, report, helpers) -> None:
    pdf, _boxes = report
    signed = pades.sign_pdf(pdf, certs["executor"], reason="Исполнитель", location="г. Омск")
    statuses = _verify(signed, certs["executor"])
    assert [s.verdict for s in statuses] == ["valid"]
    status = statuses[0]
    assert status.signer == "Иванова Мария Петровна"
    assert status.coverage == "ENTIRE_FILE" and status.modification_level == "NONE"
    assert "сертификат не квалифицированный" in status.details
    info = certs["executor"].info
    assert helpers.stamp_texts(signed) == [[
        "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", f"Сертификат: {info.serial}", "Владелец: Иванова Мария Петровна",
        f"Действителен: с {info.valid_from:%d.%m.%Y} по {info.valid_to:%d.%m.%Y}"]]


def test_unknown_signer_is_reported_as_untrusted(certs, report) -> None:
    signed = pades.sign_pdf(report[0], certs["executor"])
    (status,) = pades.verify_pdf(signed, [certs["approver"].certificate])
    assert status.verdict == "untrusted"
    assert "не входит в доверенные" in status.text


def test_two_signatures_in_sequence_both_stay_valid_and_go_to_their_boxes(certs, report, tmp_path, helpers) -> None:
    pdf, boxes = report
    # the approver signs first; her stamp must still go to her own signature block, not the first one
    first = pades.sign_pdf(pdf, certs["approver"], reason="Утверждение")
    second = pades.sign_pdf(first, certs["executor"], reason="Исполнитель")
    statuses = _verify(second, certs["executor"], certs["approver"])
    assert [s.verdict for s in statuses] == ["valid", "valid"]
    assert statuses[0].modification_level == "FORM_FILLING"
    reader = pades.open_reader(second)
    stamps = pades.existing_stamps(reader)
    # the approver's first place is inside «УТВЕРЖДАЮ» on page 1 (the document has her signature block too)
    approver_box = next(b for b in boxes if b.name == "И.П. Варнавская")
    executor_box = next(b for b in boxes if b.name == "М.П. Иванова")
    assert approver_box.page == 1
    assert len(stamps) == 2
    for box in (approver_box, executor_box):  # the widget rectangle is the place, to the whole point
        assert any(s.page == box.page and abs(s.y1 - box.y1) < 1 and abs(s.x1 - box.x1) < 1 for s in stamps), box
    # the stamps cover nothing that was printed: the unsigned page is blank where they are drawn
    (tmp_path / "plain.pdf").write_bytes(pdf)
    (tmp_path / "signed.pdf").write_bytes(second)
    dpi = 40
    for stamp in stamps:
        w, h, plain = helpers.render_gray(tmp_path / "plain.pdf", stamp.page, dpi)
        _, _, signed_pixels = helpers.render_gray(tmp_path / "signed.pdf", stamp.page, dpi)
        scale = dpi / 72
        x1, x2 = int(stamp.x1 * scale) + 1, int(stamp.x2 * scale) - 1
        y1, y2 = int(h - stamp.y2 * scale) + 1, int(h - stamp.y1 * scale) - 1
        region = [plain[y * w + x] for y in range(y1, y2) for x in range(x1, x2)]
        assert min(region) > 245, "the stamp area must be empty on the unsigned page"
        drawn = [signed_pixels[y * w + x] for y in range(y1, y2) for x in range(x1, x2)]
        assert min(drawn) < 128, "the stamp must be visible"
        # outside the stamp nothing changed on its page
        inside = set()
        for other in (s for s in stamps if s.page == stamp.page):
            for y in range(int(h - other.y2 * scale) - 2, int(h - other.y1 * scale) + 3):
                for x in range(int(other.x1 * scale) - 2, int(other.x2 * scale) + 3):
                    inside.add(y * w + x)
        changed = [i for i in range(len(plain)) if plain[i] != signed_pixels[i] and i not in inside]
        assert changed == []


def test_foreign_pdf_gets_the_stamp_in_free_space_of_the_last_page(certs, tmp_path, helpers) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from socplan.reports.fonts import register_fonts

    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)
    canvas.setFont(font, 12)
    for line in range(30):  # text down to about the middle of the page
        canvas.drawString(72, 780 - line * 14, f"Строка письма номер {line + 1}")
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    signed = pades.sign_pdf(pdf, certs["executor"])
    (stamp,) = pades.existing_stamps(pades.open_reader(signed))
    assert stamp.page == 1
    assert stamp.y2 < 780 - 29 * 14 - 3, "the stamp goes below the last line of text"
    assert [s.verdict for s in _verify(signed, certs["executor"])] == ["valid"]


def test_full_last_page_of_an_unsigned_pdf_gets_a_new_page_for_the_stamp(certs) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from socplan.reports.fonts import register_fonts

    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)
    canvas.setFont(font, 12)
    for line in range(60):
        canvas.drawString(72, 820 - line * 13.5, "Текст во всю страницу")
    canvas.showPage()
    canvas.save()
    notices: list[str] = []
    signed = pades.sign_pdf(buffer.getvalue(), certs["executor"], notices=notices)
    reader = pades.open_reader(signed)
    (stamp,) = pades.existing_stamps(reader)
    assert stamp.page == 2 and len(pades._page_refs(reader)) == 2
    assert "новую страницу" in notices[0]
    assert [s.verdict for s in _verify(signed, certs["executor"])] == ["valid"]


def test_flipped_byte_in_signed_content_is_a_modified_document(certs, report) -> None:
    signed = bytearray(pades.sign_pdf(report[0], certs["executor"]))
    position = len(report[0]) // 3  # inside the first revision's page content
    signed[position] ^= 0x01
    (status,) = _verify(bytes(signed), certs["executor"])
    assert status.verdict == "modified"
    assert "изменён после подписания" in status.text


def test_flipped_byte_in_the_signature_itself_is_an_invalid_signature(certs, report) -> None:
    signed = pades.sign_pdf(report[0], certs["executor"])
    reader = pades.open_reader(signed)
    start, length = reader.embedded_signatures[0].byte_range[1], 0
    contents_start = start + 1 + 200  # inside the hex /Contents, within the CMS structure
    tampered = bytearray(signed)
    tampered[contents_start] = ord("0") if tampered[contents_start] != ord("0") else ord("1")
    (status,) = _verify(bytes(tampered), certs["executor"])
    assert status.verdict in ("invalid", "error", "modified")
    assert not status.ok
    assert length == 0


def test_incremental_update_changing_page_content_is_detected(certs, report) -> None:
    signed = pades.sign_pdf(report[0], certs["executor"])
    forged = _modify_page(signed)
    (status,) = _verify(forged, certs["executor"])
    assert status.verdict == "modified"
    assert status.coverage == "ENTIRE_REVISION" and status.modification_level == "OTHER"
    assert "изменено содержимое документа" in status.text


def test_second_signature_over_a_modified_revision_does_not_hide_the_change(certs, report) -> None:
    first = pades.sign_pdf(report[0], certs["approver"])
    forged = _modify_page(first)
    second = pades.sign_pdf(forged, certs["executor"])
    statuses = _verify(second, certs["executor"], certs["approver"])
    assert [s.verdict for s in statuses] == ["modified", "valid"]
    assert any("изменённый после подписи № 1" in d for d in statuses[1].details)


def test_expired_certificate_is_refused_for_signing(certs, report) -> None:
    with pytest.raises(SigningError) as caught:
        pades.sign_pdf(report[0], certs["expired"])
    assert "истёк" in caught.value.message and "получите новый сертификат" in caught.value.message


def test_signature_made_with_a_now_expired_certificate_is_reported_expired(certs, report, monkeypatch) -> None:
    monkeypatch.setattr(pades, "_check_signer", lambda *_a: None)  # a signature made while it was (claimed) valid
    signed = pades.sign_pdf(report[0], certs["expired"])
    (status,) = _verify(signed, certs["expired"])
    assert status.verdict == "expired"
    assert "Срок действия сертификата подписанта истёк" in status.text


@pytest.mark.parametrize("data, words", [
    (b"PK\x03\x04 this is a zip, not a pdf", "не является документом PDF"),
    (b"%PDF-1.7\n garbage without objects", "повреждён"),
])
def test_not_a_pdf_is_explained(certs, data, words) -> None:
    with pytest.raises(NotPdfError) as caught:
        pades.verify_pdf(data, [])
    assert words in caught.value.message
    with pytest.raises(NotPdfError):
        pades.sign_pdf(data, certs["executor"])


def test_unsigned_pdf_has_no_signatures(report) -> None:
    assert pades.verify_pdf(report[0], []) == []


def test_unreachable_timestamp_server_falls_back_to_b_b_and_says_so(certs, report) -> None:
    notices: list[str] = []
    signed = pades.sign_pdf(report[0], certs["executor"], timestamp_url="http://127.0.0.1:9/tsp", notices=notices)
    assert "недоступен" in notices[0] and "B-B" in notices[0]
    (status,) = _verify(signed, certs["executor"])
    assert status.ok and not status.timestamped


def test_display_copy_draws_the_stamp_into_the_page_and_leaves_unsigned_files_alone(certs, report) -> None:
    assert pades.display_copy(report[0]) == report[0]
    signed = pades.sign_pdf(report[0], certs["executor"])
    shown = pades.display_copy(signed)
    reader = pades.open_reader(shown)
    (stamp,) = pades.existing_stamps(reader)
    page = pades._page_refs(reader)[stamp.page - 1].get_object()
    assert "/SocPlanStamp1" in page["/Resources"]["/XObject"]
