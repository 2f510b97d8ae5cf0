"""Benchmark of the reports capability: a 100-page table report built and signed, against a bare baseline.

- **Ours**: ``DocumentBuilder`` (approval block, heading, a 4-column table with wrapped Paragraph cells,
  the «1 2 3 4» row and the header repeated on every page, page numbers, PDF/A-2b metadata and output intent,
  the signature block) → ``build_bytes()``; then ``socplan.signing.pades.sign_pdf`` (PAdES, visible stamp in
  the document font placed at the signature block).
- **Baseline**: raw reportlab on the same rows (``SimpleDocTemplate`` + ``LongTable`` of plain strings, the
  same embedded TTF, header repeated) plus a raw pyHanko signature of **our** file (the same file both sides
  sign, as issue 19 measured) with a **comparable visible stamp**: ``PdfSigner`` + ``TextStampStyle`` with the
  same four lines in the same font (the stamp's prepared font file, made once before timing — ours reads it from
  its disk cache), the same leading and border, in the same box (the signature place ours finds, looked up once
  before timing), the same PAdES metadata (reason, location, signer's name, sha256). pyHanko's default stamp
  (Courier, not embedded, one line) would draw far less than ours, so it is not the same work. What ours does
  beyond it is its own: checking the certificate's dates, finding the signer's place in the document, naming the
  field. (pyHanko's ``SimpleSigner`` reads the private key again from DER for each raw signature, twice per PDF
  signature; ours signs with the key already loaded, so ours can come out below the baseline.)

Medians of ``--runs`` alternating runs; memory = tracemalloc peak of each step. Prints ratios ours/baseline.
Run: ``.venv/bin/python benchmarks/bench_reports.py [--runs 3] [--rows 3300]``
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("SOCPLAN_CONFIG_DIR", tempfile.mkdtemp(prefix="bench-reports-cfg-"))
os.environ.setdefault("SOCPLAN_DATA_DIR", tempfile.mkdtemp(prefix="bench-reports-data-"))


def make_rows(n: int) -> list[list[str]]:
    from decimal import Decimal

    from socplan.formatting import format_money

    return [[str(i), f"Мероприятие {i}: информирование населения о мерах социальной поддержки", "2025 г.",
             format_money(Decimal(i) * Decimal("1234.56"))] for i in range(1, n + 1)]


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def peak_memory(fn) -> int:  # noqa: ANN001
    """tracemalloc peak of one separate run (tracemalloc slows Python down, so it is not timed)."""
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


# ------------------------------------------------------------------ ours
def ours_build(rows: list[list[str]]) -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Отчёт об исполнении плана мероприятий", author="Минтруд Омской области"))
    doc.approval_block("Министр труда и социального развития Омской области", "И.П. Варнавская", "23 декабря 2024 года")
    doc.heading("ОТЧЁТ")
    doc.table([["№ п/п", "Мероприятие", "Срок", "Сумма, руб."]], rows, [15, 105, 25, 35], number_row=True,
              align=["center", "left", "center", "right"])
    doc.signature("Министр труда и социального развития Омской области", "И.П. Варнавская")
    return doc.build_bytes()


def ours_sign(pdf: bytes, signer) -> bytes:  # noqa: ANN001
    from socplan.signing.pades import sign_pdf

    return sign_pdf(pdf, signer, reason="Утверждение", location="г. Омск")


# ------------------------------------------------------------------ baseline
def raw_build(rows: list[list[str]]) -> bytes:
    """Bare reportlab: the same rows as wrapped Paragraph cells, the same embedded TTF at 12 pt, header repeated."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    from socplan.reports.fonts import SERIF, register_fonts

    register_fonts()
    cell = ParagraphStyle("cell", fontName=SERIF, fontSize=12, leading=13.8)
    out = io.BytesIO()
    template = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=10 * mm, topMargin=20 * mm,
                                 bottomMargin=20 * mm, initialFontName=SERIF)
    data = [[Paragraph(c, cell) for c in r] for r in [["№ п/п", "Мероприятие", "Срок", "Сумма, руб."]] + rows]
    table = LongTable(data, repeatRows=1, colWidths=[15 * mm, 105 * mm, 25 * mm, 35 * mm])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SERIF), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    template.build([table])
    return out.getvalue()


def raw_stamp(pdf: bytes, signer, folder: Path) -> tuple[Path, tuple[int, int, int, int], int]:  # noqa: ANN001
    """Made once, before timing: the stamp's font file, and the box and page our signing chooses."""
    import math

    from socplan.resources import font_path
    from socplan.signing.pades import _stamp_font_bytes, open_reader
    from socplan.signing.placement import choose_stamp_place
    from socplan.signing.stamp_font import cached_subset

    font = folder / "stamp-font.ttf"
    font.write_bytes(cached_subset(font_path("serif"), _stamp_font_bytes))
    box, _new_page = choose_stamp_place(open_reader(pdf), signer.info.owner, signer.info.position)
    return font, (math.ceil(box.x1), math.ceil(box.y1), math.floor(box.x2), math.floor(box.y2)), box.page - 1


def raw_sign(pdf: bytes, signer, stamp: tuple[Path, tuple[int, int, int, int], int]) -> bytes:  # noqa: ANN001
    """Raw pyHanko: the same stamp text, font, leading, border and box as ours; the same PAdES metadata."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    from socplan.signing.pades import _pyhanko_signer, stamp_lines

    font, box, page = stamp
    style = TextStampStyle(stamp_text="\n".join(stamp_lines(signer)).replace("%", "%%"),
                           text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font), font_size=10),
                                                       leading=13), border_width=1, background=None)
    meta = signers.PdfSignatureMetadata(field_name="Подпись1", md_algorithm="sha256", reason="Утверждение",
                                        location="г. Омск", subfilter=fields.SigSeedSubFilter.PADES,
                                        name=signer.info.owner)
    pdf_signer = signers.PdfSigner(meta, signer=_pyhanko_signer_plain(signer), stamp_style=style,
                                   new_field_spec=fields.SigFieldSpec("Подпись1", on_page=page, box=box))
    out = io.BytesIO()
    asyncio.run(pdf_signer.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False), output=out))
    return out.getvalue()


def _pyhanko_signer_plain(signer):  # noqa: ANN001, ANN202
    """pyHanko's own ``SimpleSigner`` of the same key and certificates, as a pyHanko user builds it."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from socplan.signing.certificates import to_asn1, to_asn1_list

    der = signer.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    return signers.SimpleSigner(signing_cert=to_asn1(signer.certificate), signing_key=keys.PrivateKeyInfo.load(der),
                                cert_registry=SimpleCertificateStore.from_certs(to_asn1_list(signer.chain)))


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(pdf)
    try:
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    except (OSError, StopIteration, ValueError):
        from pyhanko.pdf_utils.reader import PdfFileReader

        return int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
    finally:
        Path(f.name).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2000, help="table rows (the default gives ≈100 pages)")
    args = parser.parse_args(argv)

    from socplan.signing.certificates import create_self_signed, load_pkcs12
    from socplan.signing.pades import _stamp_font_bytes, verify_pdf

    signer = load_pkcs12(create_self_signed("Варнавская Ирина Петровна", "министр", "Минтруд", 365), "")
    rows = make_rows(args.rows)
    # one-off costs reported separately: font registration (both sides), stamp font preparation (ours)
    _, first_font = timed(lambda: raw_build(rows[:10]))
    _, stamp_font = timed(_stamp_font_bytes)

    samples: dict[str, list[float]] = {k: [] for k in ("ours_build", "ours_sign", "raw_build", "raw_sign")}
    ours_pdf = raw_pdf = signed_ours = signed_raw = b""
    stamp = None
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    for n in range(args.runs):  # alternating, so machine load hits both sides alike
        ours_pdf, t = timed(lambda: ours_build(rows))
        samples["ours_build"].append(t)
        raw_pdf, t = timed(lambda: raw_build(rows))
        samples["raw_build"].append(t)
        stamp = stamp or raw_stamp(ours_pdf, signer, folder)  # our file's signature place, once
        for side in (("ours", "raw") if n % 2 == 0 else ("raw", "ours")):
            if side == "ours":
                signed_ours, t = timed(lambda: ours_sign(ours_pdf, signer))
                samples["ours_sign"].append(t)
            else:
                signed_raw, t = timed(lambda: raw_sign(ours_pdf, signer, stamp))
                samples["raw_sign"].append(t)
    memory = {"ours_build": peak_memory(lambda: ours_build(rows)), "raw_build": peak_memory(lambda: raw_build(rows)),
              "ours_sign": peak_memory(lambda: ours_sign(ours_pdf, signer)),
              "raw_sign": peak_memory(lambda: raw_sign(ours_pdf, signer, stamp))}

    assert [s.verdict for s in verify_pdf(signed_ours, [signer.certificate])] == ["valid"]
    assert [s.verdict for s in verify_pdf(signed_raw, [signer.certificate])] == ["valid"]
    med = {k: (statistics.median(v), memory[k]) for k, v in samples.items()}
    p_ours, p_raw = pages(ours_pdf), pages(raw_pdf)

    def row(label: str, ours: float, raw: float, unit: str = "s") -> str:
        ratio = ours / raw if raw else float("nan")
        if unit == "MB":
            return f"{label:<34} {ours / 1e6:>10.1f} MB {raw / 1e6:>10.1f} MB {ratio:>8.2f} ×"
        return f"{label:<34} {ours:>11.3f} s {raw:>11.3f} s {ratio:>8.2f} ×"

    print(f"Отчёт: {args.rows} строк таблицы; страниц: наш {p_ours}, базовый {p_raw}; прогонов {args.runs} (медианы)")
    print(f"{'':<34} {'СоцПлан':>13} {'база':>13} {'отношение':>10}")
    print(row("построение PDF", med["ours_build"][0], med["raw_build"][0]))
    print(row("подпись (видимая отметка)", med["ours_sign"][0], med["raw_sign"][0]))
    print(row("построение + подпись", med["ours_build"][0] + med["ours_sign"][0],
              med["raw_build"][0] + med["raw_sign"][0]))
    print(row("на страницу (построение)", med["ours_build"][0] / p_ours, med["raw_build"][0] / p_raw))
    print(row("пик памяти, построение", med["ours_build"][1], med["raw_build"][1], "MB"))
    print(row("пик памяти, подпись", med["ours_sign"][1], med["raw_sign"][1], "MB"))
    print(f"размер файла: наш {len(signed_ours) / 1e6:.2f} MB, базовый {len(signed_raw) / 1e6:.2f} MB")
    print(f"разовые затраты: регистрация шрифтов {first_font:.3f} s, подготовка шрифта отметки {stamp_font:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
