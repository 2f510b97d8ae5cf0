"""Tampered signed PDFs: each is reported in Russian as not valid (never «Подпись действительна», never an English
library text), verification writes nothing, and a signature removed by a later incremental update is named as
such instead of «Файл не подписан»."""

from __future__ import annotations

import io
import re

import pytest
from hardening_helpers import content_fingerprint

from socplan.services.reports.signatures import verify_bytes

pytestmark = pytest.mark.sqlite_only(reason="the command line on a database file, and SQLite file behaviour (locks, journal, page count); the server is tested in tests/postgres")



@pytest.fixture(scope="module")
def signed():  # noqa: ANN201
    from socplan.reports.document import DocumentBuilder, DocumentSpec
    from socplan.signing import pades
    from socplan.signing.certificates import certificate_der, create_self_signed, load_pkcs12

    doc = DocumentBuilder(DocumentSpec("Отчёт о ходе исполнения плана"))
    doc.heading("ОТЧЁТ")
    doc.paragraph("Выполнено 3 из 11 мероприятий.")
    doc.signature("Министр", "И.П. Варнавская")
    pdf = doc.build_bytes()
    signer = load_pkcs12(create_self_signed("Варнавская Ирина Петровна", "министр", "Минтруд", 365), "")
    stranger = load_pkcs12(create_self_signed("Чужой Пётр Петрович", "специалист", "Иное", 365), "")
    return {"pdf": pdf, "signed": pades.sign_pdf(pdf, signer), "der": certificate_der(signer.certificate),
            "by_stranger": pades.sign_pdf(pdf, stranger), "signer": signer}


def _incremental(pdf: bytes, change) -> bytes:  # noqa: ANN001
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def draw_on_page(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils import generic

    def change(writer) -> None:  # noqa: ANN001
        ref = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q"))
        writer.add_stream_to_page(0, ref)
    return _incremental(pdf, change)


def remove_signature(pdf: bytes) -> bytes:
    """What a forger does to pass a changed document off as never signed: drop the field and its widget."""
    from pyhanko.pdf_utils import generic

    def change(writer) -> None:  # noqa: ANN001
        root = writer.root
        root["/AcroForm"] = generic.DictionaryObject({generic.NameObject("/Fields"): generic.ArrayObject()})
        writer.update_root()
        for page_ref in _pages(writer):
            page = page_ref.get_object()
            if "/Annots" in page:
                del page["/Annots"]
                writer.update_container(page)
    return _incremental(pdf, change)


def _pages(writer) -> list:  # noqa: ANN001
    kids = writer.root["/Pages"]["/Kids"]
    return [k for k in kids]


def flip_byte(pdf: bytes) -> bytes:
    out = bytearray(pdf)
    pos = pdf.index(b"stream", len(pdf) // 4) + 20
    out[pos] ^= 0x20
    return bytes(out)


def zero_signature(pdf: bytes) -> bytes:
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    return pdf[:start] + b"0" * 64 + pdf[start + 64:]


def truncate(pdf: bytes) -> bytes:
    return pdf[: len(pdf) * 2 // 3]


TAMPERED = {
    "flip_byte": (flip_byte, "изменён"),
    "draw_on_page": (draw_on_page, "изменён после подписания"),
    "remove_signature": (remove_signature, "более ранняя редакция файла была подписана"),
    "zero_signature": (zero_signature, "недействительна"),
    "truncate": (truncate, ""),
}


def _english(text: str) -> set[str]:
    return set(re.findall(r"\b[A-Za-z]{4,}\b", text)) - {"SHA", "ENTIRE", "FILE", "PAdES", "PDF", "CMS"}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_each_tampered_pdf_is_not_valid_and_said_in_russian(demo_ctx, signed, case):  # noqa: ANN001
    from socplan.domain.errors import SocPlanError

    tamper, phrase = TAMPERED[case]
    before = content_fingerprint(demo_ctx.db.path)
    try:
        report = verify_bytes(demo_ctx, tamper(signed["signed"]), file_name="отчёт.pdf", extra_trusted=[signed["der"]])
    except SocPlanError as exc:  # unreadable at all: a Russian refusal is the right answer too
        text = exc.message
        assert "PDF" in text and re.search(r"[а-я]{5,}", text), text
    else:
        text = report.text()
        assert not report.valid, text
        assert "Подпись действительна" not in text and "Все подписи действительны" not in text, text
        assert phrase in text, text
    assert not _english(text.replace("отчёт.pdf", "")), text
    assert content_fingerprint(demo_ctx.db.path) == before


def test_the_untouched_file_is_valid(demo_ctx, signed):  # noqa: ANN001
    report = verify_bytes(demo_ctx, signed["signed"], file_name="отчёт.pdf", extra_trusted=[signed["der"]])
    assert report.valid and report.headline == "Подпись действительна."


def test_an_unsigned_file_is_still_just_unsigned(demo_ctx, signed):  # noqa: ANN001
    """The control case of the removed signature: a file never signed is «не подписан», not «подпись удалена»."""
    report = verify_bytes(demo_ctx, signed["pdf"], file_name="отчёт.pdf")
    assert report.headline.startswith("Файл не подписан") and not report.signature_removed


def test_a_signature_by_an_untrusted_key_is_not_valid(demo_ctx, signed):  # noqa: ANN001
    report = verify_bytes(demo_ctx, signed["by_stranger"], file_name="отчёт.pdf", extra_trusted=[signed["der"]])
    assert not report.valid and "не входит в доверенные" in report.text()


def test_a_detached_signature_over_changed_data_is_not_valid(demo_ctx, signed):  # noqa: ANN001
    from socplan.signing.cms import sign_detached

    data = "Протокол заседания № 7".encode()
    sig = sign_detached(data, signed["signer"])
    report = verify_bytes(demo_ctx, data + " (исправлено)".encode(), file_name="протокол.txt", sig=sig,
                          extra_trusted=[signed["der"]])
    assert not report.valid and "изменён после подписания" in report.text(), report.text()
