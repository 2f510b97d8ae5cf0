"""Certificates and documents for the signing tests (built once per session: RSA keys take time)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def certs():  # noqa: ANN201
    """Two signers (executor, approver) and an expired one, as SignerMaterial; plus their PKCS#12 bytes."""
    from socplan.signing.certificates import create_self_signed, load_pkcs12

    executor_p12 = create_self_signed("Иванова Мария Петровна", "главный специалист", "Минтруд", 365, password="испол-1")
    approver_p12 = create_self_signed("Варнавская Ирина Петровна", "министр", "Минтруд", 365, password="")
    expired_p12 = create_self_signed("Сидоров Иван Иванович", "консультант", "Минтруд", 30, password="",
                                     not_before=dt.datetime.now() - dt.timedelta(days=400))
    return {
        "executor": load_pkcs12(executor_p12, "испол-1"), "executor_p12": executor_p12,
        "approver": load_pkcs12(approver_p12, ""), "expired": load_pkcs12(expired_p12, ""),
    }


def build_report(rows: int = 70) -> tuple[bytes, list]:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("План мероприятий по проведению независимой оценки качества",
                                       author="Минтруд Омской области", subject="План на 2025–2026 годы",
                                       creation_date=dt.datetime(2024, 12, 23, 10, 0, 0)))
    doc.approval_block("Министр труда и социального развития Омской области", "И.П. Варнавская", "23 декабря 2024 года")
    doc.heading("ПЛАН")
    doc.table([["№ п/п", "Мероприятие", "Срок", "Исполнитель"]],
              [[str(i), f"Мероприятие номер {i}: подготовка и размещение информации", "I квартал 2025 г.",
                "Минтруд"] for i in range(1, rows + 1)], [15, 95, 35, 35], number_row=True)
    doc.signature("Главный специалист отдела", "М.П. Иванова")
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    pdf = doc.build_bytes()
    return pdf, list(doc.signature_boxes)


@pytest.fixture(scope="session")
def report():  # noqa: ANN201
    return build_report()


def stamp_texts(pdf: bytes) -> list[list[str]]:
    """For each signature widget, the text lines of its appearance (pyHanko writes them as /ActualText)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    result = []

    def walk(stream, out: list[str]) -> None:  # noqa: ANN001
        data = stream.data
        for match in re.finditer(rb"/ActualText\s*", data):
            obj = generic.read_object(io.BytesIO(data[match.end():]), None)
            out.append(str(obj))
        xobjects = stream.get("/Resources", {}).get("/XObject", {}) if hasattr(stream, "get") else {}
        for ref in xobjects.values():
            walk(ref.get_object(), out)

    for emb in reader.embedded_signatures:
        field = emb.sig_field
        widget = field if "/AP" in field else field["/Kids"][0].get_object()
        lines: list[str] = []
        walk(widget["/AP"]["/N"].get_object(), lines)
        result.append(lines)
    return result


def render_gray(pdf_path: Path, page: int, dpi: int = 40) -> tuple[int, int, bytes]:
    """Render one page with poppler (annotations included) as 8-bit gray: (width, height, pixels)."""
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf_path)],
                         capture_output=True, check=True).stdout
    header, rest = out.split(b"\n", 1)
    assert header == b"P5"
    dims, rest = rest.split(b"\n", 1)
    w, h = (int(v) for v in dims.split())
    _maxval, pixels = rest.split(b"\n", 1)
    return w, h, pixels


@pytest.fixture
def helpers():  # noqa: ANN201
    class H:
        stamp_texts = staticmethod(stamp_texts)
        render_gray = staticmethod(render_gray)
        build_report = staticmethod(build_report)

    return H
