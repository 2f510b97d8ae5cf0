"""Issue 14: each printed document reproduces its seed — every row, word for word (tests/data/documents/).

The comparison reads the PDF's text in drawing order (``pdftotext -raw``: a table is drawn cell by cell, row by
row) and looks for each seed row — its cells joined in order — in it. Both sides are normalised the same way:
no whitespace, no hyphens or dashes (a word broken at a line end, «области- министр» vs «области – министр»),
«ё» as «е», HTML fragments and Word bookmarks of the extraction left out. A missing row, a changed word or a cell out of its column
order fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "documents"


def norm(value: str) -> str:
    value = re.sub(r"<[^>]+>|\[bookmark: [^\]]*\]", " ", value).replace("\u00ad", "").replace("ё", "е").replace("Ё", "Е")
    return re.sub(r"[\s\-–—\u00a0]+", "", value)


def raw_text(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _find_cell(cell: str, flat: str, start: int) -> int:
    """Where ``cell`` starts in ``flat`` at or after ``start``: whole, or cut once where a row continues on the next
    page (its first lines at the page foot, the rest under the repeated header); -1 when it is not there."""
    at = flat.find(cell, start)
    if at >= 0:
        return at
    for k in range(len(cell) - 1, 3, -1):
        head = flat.find(cell[:k], start)
        tail = flat.find(cell[k:], head + k) if head >= 0 else -1
        if head >= 0 and 0 <= tail - head < 4000:  # the rest on the next page, after the other cells' heads, the header
            return head
    return -1


def missing_rows(rows: list[list[str]], text: str) -> list[str]:
    """Rows whose text is not in the PDF: the row's cells in order, each whole or cut at a page break."""
    flat = norm(text)
    missing = []
    for r in rows:
        if norm("".join(r)) in flat:
            continue
        at = 0
        for cell in (norm(c) for c in r):
            at = _find_cell(cell, flat, at) if cell else at
            if at < 0:
                missing.append(" | ".join(r)[:160])
                break
    return missing


def tab_rows(lines: list[str], width: int) -> list[list[str]]:
    """Tab-separated table rows (seeds 001, 004): a row with an empty first cell continues the one above (a page
    break in the original); header rows and «1 2 3 …» rows are left out."""
    rows: list[list[str]] = []
    for line in lines:
        cells = line.rstrip("\n").split("\t")
        if len(cells) < width:
            continue
        cells = [c.strip() for c in cells[:width]]
        if cells[0] in ("№", "№ п/п") or all(c.isdigit() for c in cells if c):
            continue
        if not cells[0] and rows:
            rows[-1] = [(a + " " + b).strip() for a, b in zip(rows[-1], cells)]
        elif any(cells):
            rows.append(cells)
    return rows


# ---------------------------------------------------------------- seed 001: the НОК plan


def _plan(ctx, word: str):  # noqa: ANN001, ANN202
    from socplan.services.plans import plans

    return next(p for p in plans.list_plans(ctx) if word in p.title)


def test_seed_001_plan_rows_and_wording(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.plans.reports import plan_document

    seed = (DATA / "seed_001_nok_plan.txt").read_text(encoding="utf-8").splitlines()
    split = next(i for i, x in enumerate(seed) if x.strip() == "2. План")
    targets, events = tab_rows(seed[:split], 6), tab_rows(seed[split:], 5)
    assert len(targets) == 16 and len(events) >= 30  # the seed as copied: 16 indicators, the numbered events
    text = raw_text(plan_document(demo_ctx, _plan(demo_ctx, "независимой оценки").id).pdf, tmp_path)
    assert missing_rows(targets, text) == []
    assert missing_rows(events, text) == []
    flat = norm(text)
    for words in ("УТВЕРЖДАЮ", "Министр труда и социального развития Омской области", "И.П. Варнавская",
                  "декабря 2024 года", "ПЛАН", "1. Целевые показатели реализации Плана", "2. План",
                  "Министерства труда и социального развития Омской области (далее – Министерство) по организации "
                  "проведения независимой оценки качества условий оказания услуг организациями, оказывающими услуги "
                  "в сфере социального обслуживания, на 2025 – 2026 годы",
                  "№ Целевые показатели 2023 г. (факт) 2024 г. (факт) 2025 г. 2026 г.",
                  "№ Мероприятия Форма реализации Сроки исполнения Ответственные исполнители"):
        assert norm(words) in flat, words


# ---------------------------------------------------------------- seed 002: the approbation plan


def seed_002_rows() -> list[list[str]]:
    """Appendix 2 of seed 002: a row ends with a line holding only a tab; its cells start with a tab; a stage
    («1.» and its name) is printed once, on the row of its first event."""
    text = (DATA / "seed_002_approbation_plan.txt").read_text(encoding="utf-8")
    body = text.split("\t6\n", 1)[1]  # after the «1 2 3 4 5 6» row
    rows = []
    for block in re.split(r"\n\t\n\n", body):
        cells = [c.strip() for c in re.split(r"\n\t", "\n" + block.strip("\n"))]
        if sum(1 for c in cells if c) >= 3:
            rows.append([c for c in cells if c])
    return rows


def test_seed_002_approbation_plan_rows_and_wording(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.plans.reports import plan_document

    rows = seed_002_rows()
    assert len(rows) == 22  # the 22 events of the seven stages
    text = raw_text(plan_document(demo_ctx, _plan(demo_ctx, "апробации").id).pdf, tmp_path)
    assert missing_rows(rows, text) == []
    flat = norm(text)
    for words in ("Приложение № 2 к постановлению Администрации города Омска",
                  "№ п/п Этап апробации Мероприятие Срок исполнения Результат Ответственные исполнители",
                  "ПЛАН", "апробации механизмов организации оказания муниципальных услуг в социальной сфере"):
        assert norm(words) in flat, words


# ---------------------------------------------------------------- seed 004: the campaign plan


def test_seed_004_campaign_plan_rows_and_wording(demo_ctx, tmp_path: Path) -> None:
    from socplan.services.plans.reports import plan_document

    seed = (DATA / "seed_004_campaign_plan.txt").read_text(encoding="utf-8").splitlines()
    rows = [r for r in tab_rows(seed, 4) if r[0].isdigit()]
    assert len(rows) == 12
    text = raw_text(plan_document(demo_ctx, _plan(demo_ctx, "информационной кампании").id).pdf, tmp_path)
    assert missing_rows(rows, text) == []
    flat = norm(text)
    for words in ("УТВЕРЖДАЮ", "Заместитель председателя Правительства Астраханской области- министр социального "
                  "развития и труда Астраханской области", "О.А. Петелин", "«28» декабря 2016",
                  "№ п/п Мероприятие Дата проведения/ периодичность Ответственный исполнитель",
                  "проведения информационной кампании по поддержке деятельности социально ориентированных "
                  "некоммерческих организаций"):
        assert norm(words) in flat, words


# ---------------------------------------------------------------- seed 000: the control-of-execution report


def seed_000_rows() -> tuple[list[str], list[list[str]]]:
    """Group captions and the nine rows (number, point, content, responsibles, execution info) of seed 000."""
    body = (DATA / "seed_000_execution_report.txt").read_text(encoding="utf-8").split("Информация об исполнении", 1)[1]
    cells = re.split(r"\n ?\t", body)[1:]
    captions, rows, i = [], [], 0
    while i < len(cells):
        if cells[i].strip().startswith("Протокол заседания"):
            captions.append(cells[i].strip())
            i += 1
            continue
        rows.append([c.strip() for c in cells[i:i + 5]])
        i += 5
    return captions, rows


def test_seed_000_execution_report_rows_and_wording(demo_ctx, tmp_path: Path) -> None:
    """The report's rows are laid out line by line (a tall row continues on the next page), so each column is
    read on its own (pdftotext cropped to the column) and every seed cell is found in its column, in order."""
    from socplan.reports.protocols_documents import EXECUTION_WIDTHS
    from socplan.services.protocols.bodies import find_body
    from socplan.services.protocols.printing import build_execution_report

    captions, rows = seed_000_rows()
    assert len(rows) == 9 and len(captions) == 4
    body = find_body(demo_ctx, "Координационный совет")
    path = tmp_path / "report.pdf"
    path.write_bytes(build_execution_report(demo_ctx, body.id).data)
    whole = norm(subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                                check=True).stdout)
    for words in ["ИНФОРМАЦИЯ", "об исполнении решений Координационного совета по обеспечению доступа "
                  "негосударственных организаций к предоставлению социальных услуг в Омской области "
                  "(далее – Координационный совет)", "№ п/п", "Пункт протокола", "Содержание поручения",
                  "Ответственные", "Информация об исполнении"] + captions:
        assert norm(words) in whole, words
    pt = 72 / 25.4
    scale = min(1.0, (297 - 20 - 15) / sum(EXECUTION_WIDTHS))
    x, columns = 20.0, []
    headers = ("№ п/п", "Пункт протокола", "Содержание поручения", "Ответственные", "Информация об исполнении")
    for width, header in zip(EXECUTION_WIDTHS, headers):
        w = width * scale
        # below the page number (top margin), the repeated header row taken out
        crop = ["-x", str(int(x * pt) + 1), "-y", "45", "-W", str(int(w * pt) - 2), "-H", "550"]
        columns.append(norm(subprocess.run(["pdftotext", "-raw", *crop, str(path), "-"], capture_output=True,
                                           text=True, check=True).stdout).replace(norm(header), ""))
        x += w
    for c, column in enumerate(columns):
        at = 0
        for r in rows:
            found = column.find(norm(r[c]), at)
            assert found >= 0, (c, r[0], r[c][:80])
            at = found + len(norm(r[c]))


@pytest.mark.parametrize("name", ["seed_000_execution_report.txt", "seed_001_nok_plan.txt",
                                  "seed_002_approbation_plan.txt", "seed_004_campaign_plan.txt"])
def test_seed_excerpts_are_in_the_repository(name: str) -> None:
    assert (DATA / name).stat().st_size > 5000
