"""«Обмен»: form a signed package, load one (preview with per-record accept), the journal, remarks, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget, QVBoxLayout,
                               QWidget)

from socplan.domain.exchange import EXTENSION
from socplan.services.exchange import journal, remarks, setup
from socplan.services.exchange.export import export_package, load_signer
from socplan.services.exchange.importer import apply_import, preview_import, reject_import
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv
from socplan.ui.exchange.dialogs import ExportDialog, SettingsDialog
from socplan.ui.exchange.import_dialog import ImportPreviewDialog
from socplan.ui.exchange.return_dialog import ReturnDialog

JOURNAL_COLUMNS = (
    Column("Когда", lambda r: r.processed_at, 120),
    Column("Пакет", lambda r: r.direction_label, 90),
    Column("№", lambda r: r.sequence, 50, align_right=True),
    Column("Отправитель", lambda r: r.sender, 220),
    Column("Получатель", lambda r: r.recipient, 220),
    Column("Период", lambda r: r.period, 160),
    Column("Результат", lambda r: r.result_label, 120),
    Column("Кто", lambda r: r.user_name, 160),
    Column("Содержимое", lambda r: r.contents),
)

REMARK_COLUMNS = (
    Column("Территория", lambda r: r.territory, 240),
    Column("Значение", lambda r: r.cell, 300),
    Column("Замечание", lambda r: r.text, 380),
    Column("Автор", lambda r: r.author, 180),
    Column("Дата", lambda r: r.created_at, 120),
)


def journal_detail(r: Any) -> str:
    return detail_html(f"Пакет № {r.sequence} ({r.direction_label})", [
        ("Отправитель", r.sender), ("Получатель", r.recipient), ("Период", r.period), ("Файл", r.file_name),
        ("SHA-256", r.sha256), ("Размер, байт", r.size), ("Подписант", r.signer), ("Кто обработал", r.user_name),
        ("Когда (UTC)", r.processed_at), ("Результат", f"{r.result_label}: {r.result_text}"),
        ("Содержимое", r.contents), ("Документы", "\n".join(r.documents) or "нет"),
    ])


class ExchangeSection(QWidget):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.identity_label = QLabel(self)
        self.export_button = QPushButton("Сформировать пакет…", self)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip("Ctrl+E")
        self.import_button = QPushButton("Загрузить пакет…", self)
        self.import_button.setShortcut(QKeySequence("Ctrl+L"))
        self.import_button.setToolTip("Ctrl+L")
        self.settings_button = QPushButton("Настройки обмена…", self)
        self.certificates_button = QPushButton("Сертификаты обмена…", self)
        self.certificates_button.setToolTip("Выгрузить свой сертификат, доверять сертификату района, отозвать доверие")
        self.certificates_button.clicked.connect(lambda: self.certificates())
        self.return_button = QPushButton("Вернуть на доработку…", self)
        self.return_button.setToolTip("Министерство: замечания к значениям представленной формы и возврат району")
        self.return_button.clicked.connect(self.return_form)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.load)
        self.settings_button.clicked.connect(self.settings)
        self.journal = RecordListView(JOURNAL_COLUMNS, journal_detail, self)
        self.remarks = RecordListView(REMARK_COLUMNS, lambda r: detail_html(r.cell, [
            ("Территория", r.territory), ("Замечание", r.text), ("Автор", r.author), ("Дата", r.created_at),
            ("Источник", "получено в пакете" if r.received else "записано здесь")]), self)
        self.document_button = QPushButton("Открыть документ пакета", self)
        self.document_button.setToolTip("Подписанный отчёт, полученный вместе с пакетом (как получен)")
        self.document_button.clicked.connect(self.open_document)
        self.journal.toolbar_layout.addWidget(self.document_button)
        self.journal.current_changed.connect(lambda row: self.document_button.setEnabled(bool(row and row.documents)))
        self.document_button.setEnabled(False)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.journal, "Журнал пакетов")
        self.tabs.addTab(self.remarks, "Замечания к значениям")
        top = QHBoxLayout()
        # the identity on its own line: beside five buttons it would widen the window past 1280 px
        self.identity_label.setWordWrap(True)
        for b in (self.export_button, self.import_button, self.return_button, self.settings_button,
                  self.certificates_button):
            top.addWidget(b)
        top.addStretch(1)
        self.status = QLabel(self)
        self.last_message: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.identity_label)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.refresh()

    def notify(self, title: str, text: str) -> QMessageBox:
        """The outcome, in the status line and in a (non-blocking) message box."""
        self.status.setText(text.splitlines()[0])
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        box.open()
        self.last_message = box
        return box

    def certificates(self):  # noqa: ANN201 - ExchangeCertificatesDialog
        """Own certificate export, trusting a district's certificate, the trusted list, revoking trust."""
        from socplan.ui.exchange.certificates_dialog import ExchangeCertificatesDialog

        dialog = ExchangeCertificatesDialog(self.env.ctx, self.env.window, self)
        dialog.open()
        self.certificates_dialog = dialog
        return dialog

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        me = setup.get_identity(self.env.ctx)
        if me is None:
            self.identity_label.setText("Не указано, чья это база для обмена — откройте «Настройки обмена».")
        else:
            self.identity_label.setText(f"Эта база: <b>{me.party.text}</b> ({me.role_label})")
        self.export_button.setEnabled(me is not None)
        self.return_button.setVisible(me is not None and me.role == "ministry")
        self.import_button.setEnabled(me is not None)
        self.journal.set_rows(journal.list_journal(self.env.ctx))
        self.remarks.set_rows(remarks.list_remarks(self.env.ctx))

    def settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.env.ctx, self)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    def open_document(self) -> Any:
        row = self.journal.current_row()
        if row is None or not row.documents:
            return None
        name = row.documents[0]
        if len(row.documents) > 1:
            from PySide6.QtWidgets import QInputDialog

            name, ok = QInputDialog.getItem(self, "Документы пакета", "Открыть документ:", list(row.documents), 0, False)
            if not ok:
                return None
        from socplan.ui.reports.preview import show_report_preview

        data = journal.document_bytes(self.env.ctx, row.id, name)
        return show_report_preview(self.env, data, f"{name} (пакет № {row.sequence} от {row.sender})", name)

    def return_form(self) -> ReturnDialog:
        dialog = ReturnDialog(self.env.ctx, self)

        def finished(result: int) -> None:
            self.refresh()
            if result == ReturnDialog.DialogCode.Accepted:
                self.notify("Возврат на доработку", f"Форма возвращена на доработку, замечаний: {dialog.count}. "
                            "Они будут отправлены району со следующим пакетом.")

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ export
    def export_dialog(self) -> ExportDialog | None:
        me = setup.get_identity(self.env.ctx)
        if me is None:
            self.settings()
            return None
        return ExportDialog(self.env.ctx, me, self)

    def export(self) -> None:
        dialog = self.export_dialog()
        if dialog is None or dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        request, pfx, password, folder = dialog.request(), dialog.pfx.text(), dialog.password.text(), dialog.folder.text()
        ctx, cryptopro = self.env.ctx, dialog.cryptopro.isChecked()

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            if cryptopro:  # the manifest signed by CryptoPro CSP (GOST)
                from socplan.services.reports import gost_signing

                signer, sign = gost_signing.package_signer(gost_signing.open_cryptopro())
                return export_package(ctx, request, Path(folder), signer, progress, cancelled, sign=sign)
            return export_package(ctx, request, Path(folder), load_signer(pfx, password), progress, cancelled)

        def done(result: Any) -> None:
            self.refresh()
            self.notify("Пакет сформирован",
                        f"Пакет № {result.sequence} записан:\n{result.path}\n\nСодержимое: {result.summary}")

        self.env.runner.run("Формирование пакета обмена", work, done)

    # ------------------------------------------------------------------ import
    def load(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Пакет обмена", str(Path.home()),
                                              f"Пакеты обмена СоцПлан (*{EXTENSION})")
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        ctx = self.env.ctx
        self.env.runner.run("Проверка пакета обмена",
                            lambda progress, cancelled: preview_import(ctx, path, progress=progress, cancelled=cancelled),
                            self.show_preview)

    def show_preview(self, preview: Any) -> ImportPreviewDialog:
        dialog = ImportPreviewDialog(preview, self)
        dialog.finished.connect(lambda _r: self._decided(preview, dialog.decision))
        dialog.open()
        return dialog

    def _decided(self, preview: Any, decision: tuple[str, Any] | None) -> None:
        if decision is None:
            return
        ctx = self.env.ctx
        action, arg = decision
        if action == "reject":
            fn = lambda progress, cancelled: reject_import(ctx, preview, arg)  # noqa: E731
        else:
            fn = lambda progress, cancelled: apply_import(ctx, preview, arg, progress, cancelled)  # noqa: E731

        def done(result: Any) -> None:
            self.refresh()
            text = result.text + ("\n\nНе применено:\n" + "\n".join(result.problems[:20]) if result.problems else "")
            self.notify("Загрузка пакета", text)

        self.env.runner.run("Загрузка пакета обмена", fn, done)


def create_section(env: UiEnv) -> QWidget:
    return ExchangeSection(env)
