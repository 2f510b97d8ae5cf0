"""In-app report preview (Qt PDF): zoom, page navigation, Save, Print, Sign.

Every capability shows its reports through :func:`show_report_preview`::

    from socplan.ui.reports.preview import show_report_preview
    dialog = show_report_preview(env, pdf_bytes, "План мероприятий …", "План НОК 2025.pdf")

The dialog is non-modal (the user can keep working), deletes itself on close and is returned so that tests
can drive it: ``save_to(path)``, ``print_to(printer)``, ``open_sign_dialog()``, ``go_to_page(n)``, ``zoom_in()``.
After signing, the preview shows the signed file and Save writes the signed bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QAction, QImage, QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QSpinBox, QToolBar,
                               QVBoxLayout, QWidget)

from socplan.ui.env import UiEnv

ZOOM_STEPS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
PDF_FILTER = "Документ PDF (*.pdf);;Все файлы (*)"


class ReportPreviewDialog(QDialog):
    def __init__(self, env: UiEnv, pdf: bytes, title: str, suggested_name: str,
                 on_saved: Callable[[Path], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else env.window)
        self.env, self.title, self.suggested_name, self.on_saved = env, title, suggested_name, on_saved
        self.pdf = bytes(pdf)
        self.saved_path: Path | None = None
        self.signed_report_id: int | None = None
        self.setWindowTitle(f"Просмотр — {title}")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(980, 860)

        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.toolbar = QToolBar(self)
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_spin.setToolTip("Номер страницы (PgUp/PgDn — листать)")
        self.page_spin.valueChanged.connect(lambda n: self.go_to_page(n))
        self.pages_label = QLabel(self)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(60)
        self.status_label = QLabel(self)
        self.status_label.setStyleSheet("color:#2e6b2e")

        self.action_save = self._action("Сохранить…", QKeySequence.StandardKey.Save, self.save_dialog)
        self.action_print = self._action("Печать…", QKeySequence.StandardKey.Print, self.print_dialog)
        self.action_sign = self._action("Подписать…", QKeySequence("Ctrl+Shift+S"), self.open_sign_dialog)
        self.toolbar.addSeparator()
        self.action_prev = self._action("◀ Назад", QKeySequence(Qt.Key.Key_PageUp), lambda: self.go_to_page(self.current_page() - 1))
        self.toolbar.addWidget(QLabel(" Стр. ", self))
        self.toolbar.addWidget(self.page_spin)
        self.toolbar.addWidget(self.pages_label)
        self.action_next = self._action("Вперёд ▶", QKeySequence(Qt.Key.Key_PageDown), lambda: self.go_to_page(self.current_page() + 1))
        self.toolbar.addSeparator()
        self.action_zoom_out = self._action("−", QKeySequence.StandardKey.ZoomOut, self.zoom_out, "Уменьшить (Ctrl+−)")
        self.toolbar.addWidget(self.zoom_label)
        self.action_zoom_in = self._action("+", QKeySequence.StandardKey.ZoomIn, self.zoom_in, "Увеличить (Ctrl++)")
        self.action_fit = self._action("По ширине", QKeySequence("Ctrl+0"), self.fit_width)
        self.action_close = QAction("Закрыть", self)
        self.action_close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.action_close.triggered.connect(self.close)
        self.addAction(self.action_close)

        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self.view.zoomFactorChanged.connect(lambda _z: self._update_zoom_label())

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self._load(self.pdf)
        self._refuse_signing_a_draft()

    # ------------------------------------------------------------------ helpers
    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], object],
                tooltip: str = "") -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tooltip or f"{text} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def _load(self, pdf: bytes) -> None:
        from socplan.domain.errors import SocPlanError
        from socplan.signing.pades import display_copy

        try:
            shown = display_copy(pdf)  # signature stamps drawn on the pages (Qt PDF draws no widgets)
        except SocPlanError:
            shown = pdf
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(shown))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        count = self.page_count()
        self.page_spin.blockSignals(True)
        self.page_spin.setMaximum(max(count, 1))
        self.page_spin.setValue(1)
        self.page_spin.blockSignals(False)
        self.pages_label.setText(f" из {count} ")
        if self.document.status() != QPdfDocument.Status.Ready:
            self.status_label.setStyleSheet("color:#b00020")
            self.status_label.setText("Файл не удалось открыть как PDF.")
        self._update_zoom_label()

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """1-based."""
        return self.view.pageNavigator().currentPage() + 1

    def go_to_page(self, number: int) -> None:
        number = max(1, min(number, self.page_count()))
        self.view.pageNavigator().jump(number - 1, QPointF(), self.view.pageNavigator().currentZoom())
        self._on_page_changed(number - 1)

    def _on_page_changed(self, index: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.action_prev.setEnabled(index > 0)
        self.action_next.setEnabled(index + 1 < self.page_count())

    def zoom_factor(self) -> float:
        return self.view.zoomFactor()

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)
        self._update_zoom_label()

    def zoom_in(self) -> None:
        current = self.zoom_factor()
        self._set_zoom(next((z for z in ZOOM_STEPS if z > current + 0.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.zoom_factor()
        self._set_zoom(next((z for z in reversed(ZOOM_STEPS) if z < current - 0.01), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_zoom_label()

    def _update_zoom_label(self) -> None:
        if self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth:
            self.zoom_label.setText(" по ширине ")
        else:
            self.zoom_label.setText(f" {round(self.zoom_factor() * 100)} % ")

    # ------------------------------------------------------------------ save / print
    def save_dialog(self) -> None:
        from socplan.ui.memory import last_folder, remember_folder

        start = str(Path(last_folder(self.env, "reports")) / self.suggested_name)
        path, _ = QFileDialog.getSaveFileName(self, "Сохранить отчёт", start, PDF_FILTER)
        if path:
            remember_folder(self.env, "reports", path)
            self.save_to(Path(path))

    def save_to(self, path: Path) -> Path | None:
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        from socplan.atomic import save_failed, write_bytes

        try:
            write_bytes(path, self.pdf)  # whole or not at all
        except OSError as exc:
            QMessageBox.warning(self, "СоцПлан", save_failed(path, exc))
            return None
        self.saved_path = path
        self.status_label.setText(f"Сохранено: {path}")
        if self.on_saved is not None:
            self.on_saved(path)
        return path

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Печать отчёта")
        dialog.setMinMax(1, max(self.page_count(), 1))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer) -> int:  # noqa: ANN001 - QPrinter (or any QPagedPaintDevice)
        """Render every page (or the printer's page range) at the printer resolution; returns pages printed."""
        from PySide6.QtPrintSupport import QPrinter

        first, last = 1, self.page_count()
        if isinstance(printer, QPrinter) and printer.printRange() == QPrinter.PrintRange.PageRange:
            first, last = max(printer.fromPage(), 1), min(printer.toPage() or last, last)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "СоцПлан", "Не удалось начать печать: принтер недоступен.")
            return 0
        printed = 0
        try:
            dpi = min(printer.resolution(), 300)
            for number in range(first, last + 1):
                if printed:
                    printer.newPage()
                size_pt = self.document.pagePointSize(number - 1)
                image: QImage = self.document.render(number - 1, QSize(int(size_pt.width() / 72 * dpi),
                                                                       int(size_pt.height() / 72 * dpi)))
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled, Qt.AspectRatioMode.KeepAspectRatio,
                                                                       Qt.TransformationMode.SmoothTransformation))
                printed += 1
        finally:
            painter.end()
        self.status_label.setText(f"Отправлено на печать страниц: {printed}")
        return printed

    # ------------------------------------------------------------------ sign
    def _refuse_signing_a_draft(self) -> None:
        """A draft (printed from an unsaved calculation) is shown and printed, never signed."""
        from socplan.domain.errors import ValidationError
        from socplan.services.reports import signatures

        try:
            signatures.check_signable(self.env.ctx, self.pdf)
        except ValidationError as exc:
            self.action_sign.setEnabled(False)
            self.action_sign.setToolTip(exc.message)
            self.status_label.setStyleSheet("color:#8a4b00; font-weight: bold;")
            self.status_label.setText(exc.message)

    def open_sign_dialog(self):  # noqa: ANN201 - SignDialog
        from socplan.ui.reports.sign_dialog import SignDialog

        dialog = SignDialog(self.env, self.pdf, self.title, parent=self, on_signed=self.replace_with_signed)
        dialog.open()
        return dialog

    def replace_with_signed(self, pdf: bytes, report_id: int | None = None, notices: tuple[str, ...] = ()) -> None:
        """Show the signed file (called by the signing dialog)."""
        page = self.current_page()
        self.pdf = bytes(pdf)
        self.signed_report_id = report_id
        stem = Path(self.suggested_name).stem
        if not stem.endswith("(подписан)"):
            self.suggested_name = f"{stem} (подписан).pdf"
        self._load(self.pdf)
        self.go_to_page(min(page, self.page_count()) if page else self.page_count())
        self.status_label.setStyleSheet("color:#2e6b2e")
        text = "Документ подписан" + (f" и записан в журнал отчётов (№ {report_id})" if report_id else "") + "."
        self.status_label.setText(" ".join([text, *notices]))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def show_report_preview(env: UiEnv, pdf: bytes, title: str, suggested_name: str,
                        on_saved: Callable[[Path], None] | None = None) -> ReportPreviewDialog:
    """Open the non-modal preview of ``pdf`` and return it."""
    dialog = ReportPreviewDialog(env, pdf, title, suggested_name, on_saved)
    dialog.show()
    return dialog
