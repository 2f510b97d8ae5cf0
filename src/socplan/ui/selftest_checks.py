"""What ``--selftest`` checks beyond the main window: the parts a trimmed bundle could lose without noticing.

The frozen bundle leaves out most of Qt and most of ICU's data (packaging/README.md). These checks use the
application's own screens, so a missing library or plugin shows as a failed self-test with a Russian reason:

- «Справка → Руководство пользователя»: the PDF viewer (QtPdf) opens the shipped guide and renders a page;
- the same viewer prints to a PDF printer (QtPrintSupport, the path «Печать…» takes);
- an indicator card draws its chart (QtCharts with the OpenGL libraries it links);
- Russian text sorts and upper-cases through ICU (Qt's collation), as tables sorted by name do.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

RUSSIAN_ORDER = ["азбука", "еда", "ёж", "Ёлка", "ель", "Жук", "Яблоко"]


def bundle_problems(window: QWidget, folder: Path) -> list[str]:
    """Russian descriptions of what does not work; empty when everything does. ``window`` is the MainWindow."""
    problems: list[str] = []
    for check in (_guide_viewer_and_printing, _indicator_chart, _russian_collation):
        try:
            problem = check(window, folder)
        except Exception as exc:  # noqa: BLE001 - the self-test reports any failure as text
            problem = f"{check.__doc__.splitlines()[0]}: {type(exc).__name__}: {exc}"
        if problem:
            problems.append(problem)
    return problems


def _guide_viewer_and_printing(window: QWidget, folder: Path) -> str | None:
    """Просмотр и печать PDF (QtPdf, QtPrintSupport)"""
    from PySide6.QtCore import QSize
    from PySide6.QtPrintSupport import QPrinter

    dialog = window.open_user_guide()
    if dialog is None:
        return "Руководство пользователя не открылось: нет файла resources/guide/rukovodstvo.pdf."
    try:
        pages = dialog.page_count()
        image = dialog.document.render(0, QSize(200, 283))
        if pages < 2 or image.isNull():
            return f"Просмотр PDF не работает: страниц {pages}, первая страница не нарисована."
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        target = folder / "печать.pdf"
        printer.setOutputFileName(str(target))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(1, 1)
        printed = dialog.print_to(printer)
        if printed != 1 or not target.is_file() or target.stat().st_size < 1000:
            return f"Печать не работает: напечатано страниц {printed}."
        return None
    finally:
        dialog.close()


def _indicator_chart(window: QWidget, folder: Path) -> str | None:
    """График показателя (QtCharts)"""
    from socplan.services.indicators.catalogue import list_forms, list_indicators
    from socplan.ui.indicators.card import IndicatorCard

    ctx = window.env.ctx
    form = next((f for f in list_forms(ctx) if f.indicators), None)
    if form is None:
        return "В демонстрационной базе нет показателей для графика."
    code = list_indicators(ctx, form.code)[0].code
    card = IndicatorCard(window.env, form.code, code, "Омская область", window)
    try:
        card.resize(800, 600)
        card.show()
        picture = card.chart_view.grab()
        if picture.isNull() or card.chart_view.chart().series() == []:
            return f"График показателя {code} не нарисован."
        return None
    finally:
        card.close()


def _russian_collation(window: QWidget, folder: Path) -> str | None:
    """Сортировка по-русски (ICU)"""
    from PySide6.QtCore import QCollator, QLocale

    russian = QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    collator = QCollator(russian)
    shuffled = ["Яблоко", "ель", "Жук", "ёж", "азбука", "Ёлка", "еда"]
    ordered = sorted(shuffled, key=collator.sortKey)
    upper = russian.toUpper("ёлка")
    if ordered != RUSSIAN_ORDER or upper != "ЁЛКА":
        return f"Сортировка по-русски неверна: {', '.join(ordered)}; «ёлка» → «{upper}»."
    return None


__all__ = ["RUSSIAN_ORDER", "bundle_problems"]
