"""Issue 14: the subsidy protocol on paper — the rules' notation (МБ with a subscript i, as seed 003 prints
Appendix 12 §15), table text of at least 10 pt, who calculated by position and «И.О. Фамилия», and the signature
block never alone on the last page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from socplan.reports.subsidies_tables import notation_markup, notation_plain
from socplan.services.subsidies.reports import generate
from socplan.services.subsidies.rounds import calculate_round, list_rounds


def test_notation_of_the_rules() -> None:
    assert notation_markup("MB_i/РБО_i·B_i") == "МБ<sub>i</sub>/РБО<sub>i</sub>·B<sub>i</sub>"
    assert notation_markup("Dср / РБО_i") == "D<sub>ср</sub> / РБО<sub>i</sub>"
    assert notation_plain("Σ(MB_j/РБО_j·B_j)") == "Σ(МБ\u00a0j/РБО\u00a0j·B\u00a0j)"
    assert notation_plain("applications[0].fiscal_capacity") == "applications[0].fiscal_capacity"


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in out.replace("\u00a0", " ").split("\f") if p.strip()]


def _font_sizes(pdf: Path) -> set[float]:
    """Font sizes of the words (pdftotext -bbox: a word's box height ≈ its size in points); subscript indexes
    (one or two letters) are left out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out)
    return {round(float(b) - float(a), 1) for a, b, word in found if len(word) > 2}


def test_protocol_pdf_for_every_round(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.context import User

    demo_ctx.user = User("Петрова Анна Сергеевна", "главный специалист отдела социальной поддержки")
    for r in list_rounds(demo_ctx):
        calc = calculate_round(demo_ctx, r.id)
        for kind in ("protocol", "efficiency", "clawback") + (("rating",) if calc.result12 else ()):
            pdf = tmp_path / f"{r.id}-{kind}.pdf"
            pdf.write_bytes(generate(demo_ctx, calc, kind, round_id=r.id).data)
            pages = _pages(pdf)
            text = " ".join(" ".join(p.split()) for p in pages)
            for code_word in ("MB_", "V_i", "РБО_i", "C_i", "_i "):
                assert code_word not in text, (kind, code_word)
            last = pages[-1]
            assert "А.С. Петрова" in last, kind
            assert "Главный специалист отдела социальной поддержки" in " ".join(last.split()), kind
            # the last page holds more than the signature: rows of the table or the closing lines come with it
            body = [x for x in last.splitlines() if x.strip() and not x.strip().isdigit()]
            assert len(body) >= 5, (kind, body)
            # ≥ 10 pt: a 10-pt word box is 9,09 pt high (bold 8,93), a 9-pt one 8,18 — 8 pt (7,3) was used before
            assert min(_font_sizes(pdf)) >= 8.8, kind
            if kind == "protocol":
                assert "Расчёт выполнил" in last
