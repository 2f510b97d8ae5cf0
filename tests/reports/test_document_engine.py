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


# ------------------------------------------------------------------ typography and layout, read from the PDF
def bbox_words(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) in points from the top-left corner (pdftotext -bbox)."""
    import html
    import re

    path = tmp_path / "bbox.pdf"
    path.write_bytes(pdf)
    out = run("pdftotext", "-bbox", str(path), "-")
    found, page = [], 0
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        elif m := re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line):
            found.append((page, *(float(v) for v in m.groups()[:4]), html.unescape(m.group(5))))
    return found


def lines_in_column(found, x1: float, x2: float) -> list[str]:  # noqa: ANN001
    """The text lines of one table column, in reading order."""
    rows: dict[tuple[int, float], list] = {}
    for page, wx1, wy1, wx2, _wy2, word in found:
        if x1 <= wx1 and wx2 <= x2:
            rows.setdefault((page, round(wy1)), []).append((wx1, word))
    return [" ".join(w for _x, w in sorted(rows[key])) for key in sorted(rows)]


NARROW_WORDS = ["Председательствующий", "удовлетворительный", "Государственное", "казённое", "учреждение",
                "социально-экономического", "неудовлетворительно"]


def test_words_in_narrow_cells_split_only_at_syllables_with_a_hyphen(tmp_path) -> None:
    """A 24 mm column (18 mm of text at 10 pt) cannot hold «Председательствующий» (≈ 33 mm): the word wraps as
    «Председатель-» / «ствующий», never «Председательствующ» / «ий» as before."""
    doc = DocumentBuilder(DocumentSpec("Узкие графы", creation_date=FIXED))
    rows = [[str(i), " ".join(NARROW_WORDS[i:] + NARROW_WORDS[:i]), "Примечание"] for i in range(len(NARROW_WORDS))]
    doc.table([["№", "Должность участника заседания", "Прим."]], rows, [12, 24, 144], font_size=10)
    pdf = doc.build_bytes()
    mm = 72 / 25.4
    lines = lines_in_column(bbox_words(pdf, tmp_path), 32 * mm, 56 * mm + 2)
    body = [line for line in lines if line not in ("Должность", "участника за-", "седания", "2")]
    assert len(body) > 20, lines
    assert any(line.endswith("-") for line in body), "narrow cells need hyphenation here"
    assert rejoin(body) == [w for i in range(len(NARROW_WORDS)) for w in NARROW_WORDS[i:] + NARROW_WORDS[:i]], body


def rejoin(lines: list[str]) -> list[str]:
    """The words of wrapped lines: a line ending in «-» continues in the next one (a compound keeps its «-»).
    A word cut without a hyphen comes back as two pieces that are not words (the test then fails)."""
    known = set(NARROW_WORDS) | {"удовлетворительный", "неудовлетворительно"}
    tokens: list[str] = []
    carry = ""
    for line in lines:
        parts = line.split()
        if carry:
            head = parts.pop(0)
            glued = carry[:-1] + head
            stem = glued[:-1] if glued.endswith("-") else glued
            tokens_word = glued if any(k.startswith(stem) for k in known) else carry + head
            parts.insert(0, tokens_word)
            carry = ""
        if parts and parts[-1].endswith("-") and parts[-1] not in known:
            carry = parts.pop()
        tokens += parts
    return tokens + ([carry] if carry else [])


def test_too_narrow_column_is_widened_instead_of_cutting_a_syllable(tmp_path) -> None:
    from socplan.reports.typography import syllable_chunks

    assert syllable_chunks("Председательствующий") == ["Пред", "се", "да", "тель", "ству", "ю", "щий"]
    doc = DocumentBuilder(DocumentSpec("Очень узкая графа", creation_date=FIXED))
    doc.table([["№", "Ст."]], [["1", "удовлетворительный неудовлетворительно"]], [170, 6], font_size=12)
    pdf = doc.build_bytes()
    found = bbox_words(pdf, tmp_path)
    fragments = [w for *_b, w in found if w not in ("№", "Ст.", "1", "2")]
    assert len(fragments) > 4 and all(f.endswith("-") for f in fragments[:5]), fragments
    assert rejoin(fragments) == ["удовлетворительный", "неудовлетворительно"], fragments


def test_non_breaking_spaces_keep_number_initials_year_and_units_together() -> None:
    from socplan.reports.document import text
    from socplan.reports.typography import tie

    nb = "\u00a0"
    assert tie("ПРОТОКОЛ № 12 от 17.04.2025 г..") == f"ПРОТОКОЛ №{nb}12 от 17.04.2025{nb}г."
    assert tie("Председатель – И. Б. Елецкая") == f"Председатель{nb}– И.Б.{nb}Елецкая"
    assert tie("Елецкая И.Б., министр") == f"Елецкая{nb}И.Б., министр"
    assert tie("на 2024–2026 гг.: 1 234 567,89 тыс. руб., 15 %") == \
        f"на 2024–2026{nb}гг.: 1{nb}234{nb}567,89{nb}тыс. руб., 15{nb}%"
    assert text("А.В. Петрова <секретарь>") == f"А.В.{nb}Петрова &lt;секретарь&gt;"


def test_no_line_breaks_inside_number_initials_or_year(tmp_path) -> None:
    doc = DocumentBuilder(DocumentSpec("Переносы", creation_date=FIXED))
    phrase = "Протокол № 12 подписала И.О. Фамилия 17 апреля 2025 г. и выдала 15 % средств"
    rows = [[str(i), ("а " * i) + phrase] for i in range(1, 30)]
    doc.table([["№", "Текст"]], rows, [12, 40], font_size=12)
    found = bbox_words(doc.build_bytes(), tmp_path)
    mm = 72 / 25.4
    for line in lines_in_column(found, 32 * mm, 72 * mm + 2):
        words = line.split()
        assert words[-1] not in ("№", "И.О.", "г.", "15"), line
        assert words[0] not in ("12", "Фамилия", "г.", "%"), line


def test_table_text_is_at_least_10_pt(tmp_path) -> None:
    def height(size: float) -> float:
        doc = DocumentBuilder(DocumentSpec("Шрифт таблицы", creation_date=FIXED))
        doc.table([["Графа"]], [["Значение показателя"]], [100], font_size=size)
        (word,) = [w for w in bbox_words(doc.build_bytes(), tmp_path) if w[5] == "Значение"]
        return word[4] - word[2]

    # the word box grows with the font size (pdftotext: about 0,91 em); 8 pt asked → printed at 10 pt
    assert height(12) > height(10) + 1.5
    assert height(8) == pytest.approx(height(10), abs=0.01)


def test_a4_and_page_number_centred_in_the_top_margin(pdf_file, tmp_path) -> None:
    assert "x 841.89 pts (A4)" in run("pdfinfo", str(pdf_file))
    found = bbox_words(pdf_file.read_bytes(), tmp_path)
    mm = 72 / 25.4
    (number,) = [w for w in found if w[0] == 2 and w[5] == "2" and w[2] < 20 * mm]
    _page, x1, y1, x2, y2, _ = number
    assert 10 * mm <= y1 and y2 <= 20 * mm, f"the page number must sit 10–20 mm from the top edge: {y1 / mm:.1f}–{y2 / mm:.1f}"
    centre = (20 * mm + (595.28 - 10 * mm)) / 2
    assert abs((x1 + x2) / 2 - centre) < 1.5
    assert not [w for w in found if w[0] == 1 and w[2] < 20 * mm], "no number on page 1"


def test_every_font_embedded_even_when_a_chart_or_table_asks_for_helvetica(tmp_path) -> None:
    """Indicator reports embedded no font for their chart: reportlab's Helvetica is never embedded."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.platypus import Table

    doc = DocumentBuilder(DocumentSpec("Диаграмма", creation_date=FIXED))
    drawing = Drawing(400, 200)
    chart = VerticalBarChart()
    chart.data = [(80, 95, 101)]
    chart.categoryAxis.categoryNames = ["ГП", "НОК", "МСЗ"]
    drawing.add(chart)
    drawing.add(String(10, 190, "Достижение, %", fontName="Helvetica-Bold"))
    doc.flowable(drawing)
    doc.flowable(Table([["Helvetica в ячейке"]], style=[("FONTNAME", (0, 0), (-1, -1), "Times-Roman")]))
    path = tmp_path / "chart.pdf"
    path.write_bytes(doc.build_bytes())
    lines = run("pdffonts", str(path)).splitlines()[2:]
    assert lines
    for line in lines:
        assert "Helvetica" not in line and "Times" not in line, line
        assert line.split()[-5] == "yes", line
    assert "Достижение, %" in run("pdftotext", str(path), "-")


def test_heading_never_alone_at_the_foot_of_a_page(tmp_path) -> None:
    for filler in range(30, 40):
        doc = DocumentBuilder(DocumentSpec("Заголовок", creation_date=FIXED))
        for i in range(filler):
            doc.paragraph(f"Строка {i + 1}", indent=False)
        doc.heading("ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ")
        doc.table([["№", "Мероприятие"]], [[str(i), f"Мероприятие {i}"] for i in range(1, 40)], [15, 165])
        pages = run_text(doc.build_bytes(), tmp_path)
        page = next(p for p in pages if "ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ" in p)
        after = page.split("ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ", 1)[1]
        assert "Мероприятие 1" in after, f"{filler} lines: the heading was left alone at the foot of the page"


def run_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return run("pdftotext", "-layout", str(path), "-").split("\f")


def test_signature_block_never_alone_on_the_last_page(tmp_path) -> None:
    """Over a full page's worth of table lengths some end right at the foot of a page; then the last rows move
    to the next page with the signature blocks (under the repeated header) instead of leaving them alone."""
    moved = 0
    for rows in range(20, 50):
        doc = DocumentBuilder(DocumentSpec("Расчёт", creation_date=FIXED))
        doc.heading("РАСЧЁТ")
        doc.table([["№", "Муниципальный район", "Сумма, руб."]],
                  [[str(i), f"Район {i}", "1 234,56"] for i in range(1, rows + 1)], [15, 120, 45], number_row=True)
        doc.signature("Расчёт выполнил", "М.П. Иванова")
        doc.signature("Начальник отдела", "О.И. Сидорова")
        pages = [p for p in run_text(doc.build_bytes(), tmp_path) if p.strip()]
        last = pages[-1]
        assert "М.П. Иванова" in last and "О.И. Сидорова" in last, "the two blocks stay together"
        assert f"Район {rows}" in last and "Муниципальный район" in last, f"{rows} rows: blocks alone:\n{last}"
        moved += doc.moved_to_signatures
    assert moved > 0, "the case of a table ending at the foot of a page was met"


def test_a_row_taller_than_a_page_continues_on_the_next_page_without_losing_a_word(tmp_path) -> None:
    """Form «РМ» failed with a LayoutError: one cell's text was taller than the page under the header."""
    words = [f"слово{i}" for i in range(900)]
    doc = DocumentBuilder(DocumentSpec("Высокая строка", landscape=True, creation_date=FIXED))
    doc.table([["№", "Наименование показателя", "Ед. изм."]],
              [["1", "Короткая строка", "ед."], ["2", " ".join(words), "процентов"], ["3", "После неё", "ед."]],
              [15, 60, 30], number_row=True)
    pages = [p for p in run_text(doc.build_bytes(), tmp_path) if p.strip()]
    assert len(pages) >= 3
    printed = [w for page in pages for w in page.split() if w.startswith("слово")]
    assert printed == words, "every word once, in order"
    assert "После неё" in pages[-1] and all("Наименование показателя" in p for p in pages)


@pytest.mark.parametrize("form", ["ГП", "РМ"])
def test_indicator_reports_print_with_embedded_fonts_and_numbered_pages(demo_db_template, tmp_path, form) -> None:
    """The indicator reports embedded no font (their chart asked for Helvetica) and form «РМ» did not print at all
    (a LayoutError: a row taller than the page)."""
    import shutil

    from socplan.app import main

    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db_template, db)
    out = tmp_path / f"{form}.pdf"
    assert main(["--db", str(db), "indicators", "report", "--form", form, "--period", "2024", "-o", str(out)]) == 0
    fonts = run("pdffonts", str(out)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    info = run("pdfinfo", str(out))
    assert "(A4)" in info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    if pages > 1:
        mm = 72 / 25.4
        found = bbox_words(out.read_bytes(), tmp_path)
        assert [w for w in found if w[0] == 2 and w[5] == "2" and 10 * mm <= w[2] and w[4] <= 20 * mm]


def test_signature_block_takes_the_last_lines_of_a_long_paragraph_with_it(tmp_path) -> None:
    moved = 0
    for filler in range(20, 40):
        doc = DocumentBuilder(DocumentSpec("Справка", creation_date=FIXED))
        doc.paragraph("Вводная часть справки. " * filler)
        doc.paragraph("Основная часть справки о ходе исполнения плана мероприятий, последний абзац. " * 30)
        doc.signature("Начальник отдела", "О.И. Сидорова")
        pages = [p for p in run_text(doc.build_bytes(), tmp_path) if p.strip()]
        last = [line.strip() for line in pages[-1].splitlines() if line.strip()]
        text_lines = [line for line in last if not line.isdigit() and "Сидорова" not in line]
        assert "О.И. Сидорова" in pages[-1] and len(text_lines) >= 2, (filler, last)
        assert "Вводная" in pages[0], "no page left empty"
        moved += doc.moved_to_signatures
    assert moved > 0


def test_a_row_that_does_not_fit_at_the_foot_is_cut_there_not_moved(tmp_path) -> None:
    """A tall row (the name of an event, 30 lines) after rows that fill most of page 1: its first lines fill the
    page's foot and the rest goes on on page 2 under the repeated header — page 1 is not left half empty (before,
    the whole row moved to page 2). Every word once, in order."""
    words = [f"слово{i}" for i in range(60)]
    doc = DocumentBuilder(DocumentSpec("Перечень", creation_date=FIXED))
    doc.table([["№", "Наименование мероприятия", "Сумма, руб."]],
              [[str(i), f"Мероприятие {i}", "1 000,00"] for i in range(1, 30)] + [["30", " ".join(words), "5 000,00"]],
              [15, 40, 45], number_row=True, align=["center", "left", "right"])
    pages = [p for p in run_text(doc.build_bytes(), tmp_path) if p.strip()]
    assert len(pages) == 2
    first = [w for w in pages[0].split() if w.startswith("слово")]
    assert len(first) >= 10, "the row's first lines stay at the foot of page 1"
    printed = [w for page in pages for w in page.split() if w.startswith("слово")]
    assert printed == words
    assert "Наименование" in pages[1] and "Сумма, руб." in pages[1], "the header repeats above the rest"


def test_signature_page_holds_three_lines_of_the_document(tmp_path) -> None:
    """A table that ends at a page foot, then one short closing line and the signature: the page of the signature
    would hold only that line; the table's last rows go over with them (subsidy clawback table before the fix)."""
    met = 0
    for rows in range(24, 44):
        doc = DocumentBuilder(DocumentSpec("Возврат", creation_date=FIXED))
        doc.heading("ОБЪЁМ СРЕДСТВ, ПОДЛЕЖАЩИЙ ВОЗВРАТУ")
        doc.table([["№", "Муниципальный район", "Сумма, руб."]],
                  [[str(i), f"Район {i}", "1 234,56"] for i in range(1, rows + 1)], [15, 120, 45], number_row=True)
        doc.paragraph("Сформировано 1 декабря 2026 г.", size=12, indent=False, align="left")
        doc.signature("Главный специалист", "А.С. Петрова")
        pages = [p for p in run_text(doc.build_bytes(), tmp_path) if p.strip()]
        last = pages[-1]
        assert f"Район {rows}" in last, f"{rows} rows: the signature page holds only the closing line:\n{last}"
        met += doc.moved_to_signatures > 0 and f"Район {rows}" not in pages[-2]
    assert met, "the case of a table ending at the foot of a page was met"
