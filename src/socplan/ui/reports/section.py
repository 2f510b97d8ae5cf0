"""«Отчёты»: the journal of generated reports (kind, title, who, when, SHA-256); re-open in the preview, sign,
verify a report or any file, manage certificates and the trusted list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from socplan.domain.errors import SocPlanError
from socplan.formatting import format_number
from socplan.services.reports import registry
from socplan.services.reports.registry import ReportRecordRow
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv

COLUMNS = [
    Column("№", lambda r: r.id, 50, align_right=True),
    Column("Создан", lambda r: r.created_at, 130),
    Column("Вид", lambda r: r.kind_name, 150),
    Column("Название", lambda r: r.title, 380),
    Column("Подписан", lambda r: r.signed_by or "—", 160),
    Column("Кто сформировал", lambda r: r.user_name or "—", 170),
    Column("SHA-256", lambda r: r.sha256[:16] + "…", 150, tooltip=lambda r: r.sha256),
]


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{format_number(round(size / 1024 / 1024, 1), 1)} МБ"
    return f"{format_number(max(1, round(size / 1024)), 0)} КБ"


def report_detail(row: ReportRecordRow) -> str:
    params = ", ".join(f"{k}: {v}" for k, v in row.params.items()) or "—"
    fields = [("Вид", row.kind_name), ("Создан", row.created_at), ("Кто", f"{row.user_name} {row.user_position}".strip()),
              ("Размер", _size_text(row.size)), ("SHA-256", row.sha256), ("Параметры", params)]
    if row.file_name:
        fields.append(("Имя файла", row.file_name))
    if row.signed_by:
        fields.append(("Подписи", row.signed_by))
    if row.source_id:
        fields.append(("Подписанная копия отчёта №", str(row.source_id)))
    return detail_html(row.title, fields)


class ReportsSection(QWidget):
    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.list = RecordListView(COLUMNS, report_detail, self, search_placeholder="Поиск по журналу (Ctrl+F)")
        self.list.activated.connect(lambda _row: self.open_selected())
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot, tip in (
            ("open", "Открыть", self.open_selected, "Открыть отчёт в окне просмотра (Enter)"),
            ("sign", "Подписать…", self.sign_selected, "Подписать электронной подписью (Ctrl+Shift+S)"),
            ("verify", "Проверить подписи", self.verify_selected, "Проверить подписи выбранного отчёта"),
            ("save", "Сохранить как…", self.save_selected, "Сохранить файл отчёта (Ctrl+S)"),
            ("verify_file", "Проверить файл…", self.verify_file_dialog, "Проверить подпись любого файла"),
            ("certs", "Сертификаты…", self.open_certificates, "Свои сертификаты и доверенные"),
            ("refresh", "Обновить", self.refresh, "Обновить журнал (F5)"),
        ):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, s=slot: s())
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        title = QLabel("<b>Журнал отчётов</b> — каждый сформированный документ с датой, автором и контрольной "
                       "суммой SHA-256; отсюда его можно открыть, подписать и проверить.", self)
        title.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        QShortcut(QKeySequence("F5"), self, activated=self.refresh)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, activated=self.sign_selected)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_selected)
        self.list.current_changed.connect(lambda _r: self._update_buttons())
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - reports made in other sections appear
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.list.set_rows(registry.list_reports(self.env.ctx))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.list.current_row() is not None
        for key in ("open", "sign", "verify", "save"):
            self.buttons[key].setEnabled(has)

    def _selected(self) -> ReportRecordRow | None:
        row = self.list.current_row()
        if row is None:
            QMessageBox.information(self, "Отчёты", "Выберите отчёт в журнале.")
        return row

    def _bytes(self, row: ReportRecordRow) -> bytes | None:
        try:
            return registry.get_report_bytes(self.env.ctx, row.id)
        except SocPlanError as exc:
            QMessageBox.warning(self, "Отчёты", exc.message)
            return None

    def _is_pdf(self, row: ReportRecordRow, data: bytes, action: str) -> bool:
        if b"%PDF-" in data[:1024]:
            return True
        kind = Path(row.file_name).suffix.lstrip(".").upper() or "не PDF"
        QMessageBox.information(self, "Отчёты", f"Отчёт «{row.title}» сохранён в журнале как файл {kind}; "
                                                f"{action} возможно только для PDF. Сохраните файл кнопкой "
                                                "«Сохранить как…» и откройте его в соответствующей программе.")
        return False

    def open_selected(self):  # noqa: ANN201
        from socplan.ui.reports.preview import show_report_preview

        row = self._selected()
        data = self._bytes(row) if row else None
        if data is None or not self._is_pdf(row, data, "просмотр"):
            return None
        dialog = show_report_preview(self.env, data, row.title, row.suggested_name)
        dialog.finished.connect(lambda _r: self.refresh())
        return dialog

    def sign_selected(self):  # noqa: ANN201
        from socplan.ui.reports.sign_dialog import SignDialog

        row = self._selected()
        data = self._bytes(row) if row else None
        if data is None:
            return None
        if not self._is_pdf(row, data, "подпись с видимой отметкой"):
            return None
        dialog = SignDialog(self.env, data, row.title, parent=self, on_signed=lambda *_a: self.refresh())
        dialog.open()
        return dialog

    def verify_selected(self):  # noqa: ANN201
        from socplan.ui.reports.verify_dialog import VerifyDialog

        row = self._selected()
        data = self._bytes(row) if row else None
        if data is None:
            return None
        dialog = VerifyDialog(self.env, self)
        dialog.open()
        dialog.verify_bytes(data, row.suggested_name)
        return dialog

    def save_selected(self) -> None:
        row = self._selected()
        if row is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Сохранить отчёт", str(Path.home() / row.suggested_name),
                                              "Документ PDF (*.pdf);;Все файлы (*)")
        if path:
            self.save_to(row, Path(path))

    def save_to(self, row: ReportRecordRow, path: Path) -> None:
        data = self._bytes(row)
        if data is None:
            return
        from socplan.atomic import save_failed, write_bytes

        try:
            write_bytes(path, data)  # whole or not at all
        except OSError as exc:
            QMessageBox.warning(self, "Отчёты", save_failed(path, exc))

    def verify_file_dialog(self):  # noqa: ANN201
        from socplan.ui.reports.verify_dialog import VerifyDialog

        dialog = VerifyDialog(self.env, self)
        dialog.open()
        dialog.choose_file()
        return dialog

    def open_certificates(self):  # noqa: ANN201
        from socplan.ui.reports.certificates import CertificatesDialog

        dialog = CertificatesDialog(self.env, self)
        dialog.open()
        return dialog


def create_section(env: UiEnv) -> QWidget:
    return ReportsSection(env)


__all__ = ["create_section", "ReportsSection"]
