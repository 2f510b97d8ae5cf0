"""Issue 14: a protocol is printed for signing only with its requisites (DOCUMENTS.md §3); otherwise a draft
with «ПРОЕКТ» across it. The Word copy is A4 with GOST margins, Times New Roman and page numbers, whatever the
length of the body's name."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from socplan.services.protocols import meetings, printing


def _flat(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\u00a0", " ").split())


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _meeting(ctx, body_word: str):  # noqa: ANN001, ANN202
    return next(m for m in meetings.list_meetings(ctx) if body_word.casefold() in m.body_short.casefold())


def test_final_protocol_without_requisites_is_refused_in_russian(demo_ctx, tmp_path: Path) -> None:
    # seed 000 gives only the date and the decisions of the council's meetings: no number, chair, attendance
    council = _meeting(demo_ctx, "Координационный")
    with pytest.raises(printing.ProtocolIncomplete) as refused:
        printing.protocol_document(demo_ctx, council.id, tmp_path / "p.pdf")
    message = str(refused.value)
    for words in ("нельзя сформировать для подписания", "номер протокола", "председательствующий", "секретарь",
                  "присутствовавшие члены", "«ПРОЕКТ»"):
        assert words in message, words
    assert not (tmp_path / "p.pdf").exists()
    with pytest.raises(printing.ProtocolIncomplete):
        printing.protocol_document(demo_ctx, council.id, tmp_path / "p.docx", "docx")


def test_draft_prints_with_the_mark_and_blanks(demo_ctx, tmp_path: Path) -> None:
    council = _meeting(demo_ctx, "Координационный")
    pdf = printing.protocol_document(demo_ctx, council.id, tmp_path / "p.pdf", draft=True)
    flat = _flat(pdf)
    assert flat.count("ПРОЕКТ") == _pages(pdf)  # top right of every page
    assert "Вопрос № " not in flat  # the agenda shows a blank to fill in, not a made-up title
    assert "(наименование вопроса не внесено)" in flat
    assert "Секретарь – ____" in flat and "Председательствующий – ____" in flat


def test_complete_meeting_prints_for_signing_without_blanks(demo_ctx, tmp_path: Path) -> None:
    group = _meeting(demo_ctx, "абочая группа")
    assert printing.protocol_missing(demo_ctx, group.id) == []
    flat = _flat(printing.protocol_document(demo_ctx, group.id, tmp_path / "p.pdf"))
    for placeholder in ("№ ____", "Вопрос № ", "ПРОЕКТ", "___"):
        assert placeholder not in flat, placeholder
    for expected in ("ПРОТОКОЛ № 1", "Председатель – И.Б. Елецкая", "Секретарь – Т.Н. Шлегель", "Присутствовали:",
                     "ПОВЕСТКА ДНЯ:", "1. О ходе апробации механизмов", "СЛУШАЛИ:", "РЕШИЛИ:",
                     "за – 8, против – 0, воздержались – 0"):
        assert expected in flat, expected


def test_docx_is_a4_with_gost_margins_font_page_numbers_and_any_title_length(demo_ctx, tmp_path: Path) -> None:
    """The NOK public council's name makes a 255+ character title (python-docx refused it before)."""
    from docx import Document
    from docx.shared import Mm

    council = _meeting(demo_ctx, "Общественный")
    out = printing.protocol_document(demo_ctx, council.id, tmp_path / "p.docx", "docx", draft=True)
    document = Document(str(out))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    margins = [round(x / Mm(1)) for x in (section.left_margin, section.right_margin, section.top_margin,
                                          section.bottom_margin)]
    assert margins == [20, 10, 20, 20]
    assert document.styles["Normal"].font.name == "Times New Roman"
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and section.different_first_page_header_footer  # numbers from page 2
    assert "ПРОЕКТ" in header_xml
    texts = [p.text for p in document.paragraphs]
    assert any("за счет бюджетных ассигнований областного бюджета" in t for t in texts)  # the full name printed
    assert len(document.core_properties.title) <= 255
