"""A one-page Cyrillic PDF for the bundle's ``--selftest``."""

from __future__ import annotations

from pathlib import Path


def write_selftest_pdf(target: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from socplan.reports.fonts import register_fonts

    font = register_fonts()
    canvas = Canvas(str(target), pagesize=A4, initialFontName=font, initialFontSize=14)
    canvas.setTitle("СоцПлан — самопроверка")
    canvas.setFont(font, 14)
    canvas.drawString(85, 760, "СоцПлан: самопроверка сборки пройдена.")
    canvas.drawString(85, 740, "Кириллица, шрифт встроен: Министерство труда и социального развития.")
    canvas.showPage()
    canvas.save()
    return target
