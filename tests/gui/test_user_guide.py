"""«Руководство пользователя»: Markdown chapters rendered to a PDF with the document engine, committed with the
application and opened from «Справка» (F1) offline."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QSettings

from socplan.reports.user_guide import chapters, render
from socplan.resources import resource_path
from socplan.ui.main_window import MainWindow

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide"
CHAPTERS = ["Специалист района: ввод и представление показателей",
            "Аналитик Министерства: сводные значения и приёмка форм",
            "Секретарь: заседание, протокол и контроль поручений", "Расчёт субсидий",
            "Обмен пакетами и электронные подписи"]


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


def test_guide_has_a_chapter_per_role_with_pictures_that_exist() -> None:
    names = [p.name for p in chapters(GUIDE)]
    assert len(names) == 6
    for path in chapters(GUIDE):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("!["):
                picture = GUIDE / line.split("(", 1)[1].rstrip(")")
                assert picture.exists(), f"{path.name}: нет снимка {picture.name}"
                assert picture.stat().st_size < 120_000  # modest PNGs


def test_rendered_guide_reads_in_russian_with_embedded_fonts(tmp_path) -> None:  # noqa: ANN001
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(render(GUIDE))
    text = _text(pdf)
    for title in CHAPTERS:
        assert title in text
    assert "ПРОЕКТ — расчёт не сохранён" in text and "Не показывать сегодня" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)


def test_committed_guide_is_current_and_small() -> None:
    committed = resource_path("guide", "rukovodstvo.pdf")
    assert committed.exists() and committed.stat().st_size < 1_500_000
    text = _text(committed)
    for title in CHAPTERS:
        assert title in text, "руководство не пересобрано после правки глав (python -m socplan.reports.user_guide)"


def test_help_menu_opens_the_guide(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    window = MainWindow(demo_ctx, qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    help_menu = [a.menu() for a in window.menuBar().actions() if a.text() == "&Справка"][0]
    guide = next(a for a in help_menu.actions() if a.text() == "Руководство пользователя")
    assert guide.shortcut().toString() == "F1"
    preview = window.open_user_guide()
    assert preview.page_count() >= 10
    assert "Руководство пользователя" in preview.windowTitle()
    preview.close()
