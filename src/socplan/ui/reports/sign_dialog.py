"""«Подписать документ»: choose the certificate (.pfx), enter its password, reason; signing runs in the background.

The password lives only in the field and in the signing task; it is never stored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services.reports import certificates as cert_service
from socplan.services.reports import gost_signing, signatures
from socplan.ui.env import UiEnv

PFX_FILTER = "Сертификат с закрытым ключом (*.pfx *.p12);;Все файлы (*)"
CRYPTOPRO = "cryptopro"  # combo data of «КриптоПро CSP» (qualified GOST signature, PIN asked by CryptoPro)
REASONS = ("Подписание документа", "Утверждение документа", "Согласование документа", "Исполнитель документа")


class SignDialog(QDialog):
    """``on_signed(pdf, report_id, notices)`` receives the signed file."""

    def __init__(self, env: UiEnv, pdf: bytes, title: str, *, parent: QWidget | None = None,
                 on_signed: Callable[[bytes, int | None, tuple[str, ...]], None] | None = None,
                 record: bool = True) -> None:
        super().__init__(parent if parent is not None else env.window)
        self.env, self.pdf, self.title, self.on_signed, self.record = env, bytes(pdf), title, on_signed, record
        self.signed_pdf: bytes | None = None
        self.busy = False
        self.setWindowTitle("Подписать документ электронной подписью")
        self.setMinimumWidth(640)

        self.cert_combo = QComboBox(self)
        self.cert_combo.setObjectName("certificate")
        self.own = cert_service.list_certificates(env.ctx, cert_service.ROLE_OWN)
        for row in self.own:
            self.cert_combo.addItem(row.label, row.id)
        self.cert_combo.addItem("Другой файл сертификата…", None)
        self.other_index = self.cert_combo.count() - 1
        self.cert_combo.addItem("КриптоПро CSP — квалифицированная подпись ГОСТ", CRYPTOPRO)
        self.cryptopro_button = QPushButton("Настроить КриптоПро…", self)
        self.cryptopro_button.clicked.connect(self.configure_cryptopro)
        self.cert_combo.currentIndexChanged.connect(self._on_certificate)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("pkcs12_path")
        self.path_edit.setPlaceholderText("файл .pfx / .p12 с закрытым ключом")
        browse = QPushButton("Обзор…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("пароль к файлу сертификата (не сохраняется)")
        self.reason_combo = QComboBox(self)
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(REASONS)
        self.location_edit = QLineEdit("г. Омск", self)
        # sequential signing (chair, then secretary): which signature place gets this signer's stamp
        self.place_combo = QComboBox(self)
        self.place_combo.setObjectName("place")
        self.place_combo.addItem("Автоматически: по фамилии и должности в сертификате", "")
        self.sequence_label = QLabel(self)
        self.sequence_label.setWordWrap(True)
        self.sequence_label.setStyleSheet("color:#444")
        try:
            places = signatures.signature_places(self.pdf)
        except SocPlanError:
            places = signatures.SignaturePlaces(0, ())
        for number, label in enumerate(places.free, start=1):
            self.place_combo.addItem(label, str(number))
        if places.signed:
            self.sequence_label.setText(f"Документ уже подписан (подписей: {places.signed}). Новая подпись "
                                        "добавится к файлу, не нарушая прежних.")
        else:
            self.sequence_label.hide()
        self.remember = QCheckBox("Запомнить файл сертификата для следующих подписей (пароль не сохраняется)", self)
        self.remember.setChecked(True)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.info_label.setStyleSheet("color:#444")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#b00020")
        self.error_label.hide()
        url = signatures.timestamp_url()
        mode = QLabel(("Метка времени: " + url) if url else
                      "Подпись ставится без сервера меток времени (PAdES B-B), сеть не используется.", self)
        mode.setStyleSheet("color:#555")
        mode.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Сертификат:", self.cert_combo)
        form.addRow("Файл:", path_row)
        form.addRow("Пароль:", self.password_edit)
        form.addRow("Основание:", self.reason_combo)
        form.addRow("Место:", self.location_edit)
        if self.place_combo.count() > 1:
            form.addRow("Блок подписи:", self.place_combo)
        else:
            self.place_combo.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Подписать")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Документ: «{title}»", self))
        layout.addLayout(form)
        layout.addWidget(self.sequence_label)
        layout.addWidget(self.info_label)
        layout.addWidget(self.cryptopro_button)
        layout.addWidget(self.remember)
        layout.addWidget(mode)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._on_certificate(self.cert_combo.currentIndex())
        self.password_edit.setFocus()

    def _on_certificate(self, _index: int) -> None:
        cert_id = self.cert_combo.currentData()
        cryptopro = cert_id == CRYPTOPRO
        for widget in (self.path_edit, self.password_edit, self.remember):
            widget.setEnabled(not cryptopro)
        self.cryptopro_button.setVisible(cryptopro)
        if cryptopro:
            thumbprint = gost_signing.load_cryptopro_settings().thumbprint
            self.info_label.setText(
                (f"Сертификат КриптоПро с отпечатком {thumbprint}. PIN-код запросит КриптоПро." if thumbprint else
                 "Сертификат КриптоПро не выбран: нажмите «Настроить КриптоПро…» и выберите его из списка."))
            return
        row = next((r for r in self.own if r.id == cert_id), None)
        if row is None:
            self.info_label.setText("Выберите файл .pfx/.p12; после подписи его можно запомнить.")
            return
        self.path_edit.setText(row.pkcs12_path)
        text = (f"Владелец: {row.owner}. Издатель: {row.issuer}. Серийный номер: {row.serial}. "
                f"Действителен с {row.valid_from:%d.%m.%Y} по {row.valid_to:%d.%m.%Y} ({row.kind_text}).")
        if row.state != "valid":
            text += f"\nВнимание: сертификат {row.state_text} — подписывать им нельзя."
        self.info_label.setText(text)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Файл сертификата", self.path_edit.text(), PFX_FILTER)
        if path:
            self.path_edit.setText(path)
            self.cert_combo.setCurrentIndex(self.other_index)
            self.path_edit.setText(path)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def configure_cryptopro(self) -> None:
        from socplan.ui.reports.cryptopro_dialog import CryptoProDialog

        dialog = CryptoProDialog(self.env, self)
        dialog.finished.connect(lambda _r: self._on_certificate(self.cert_combo.currentIndex()))
        dialog.open()
        return dialog

    def _accept_cryptopro(self) -> None:
        reason, location = self.reason_combo.currentText().strip(), self.location_edit.text().strip()
        ctx, pdf, title, record = self.env.ctx, self.pdf, self.title, self.record
        source_sha = hashlib.sha256(pdf).hexdigest()

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runs on the worker thread
            progress(0, 2, "Сертификат КриптоПро…")
            choice = gost_signing.open_cryptopro()
            progress(1, 2, "Подписание в КриптоПро (введите PIN-код в окне КриптоПро)…")
            signed, notices = gost_signing.sign_pdf_bytes(pdf, choice, reason=reason, location=location)
            report_id = None
            if record:
                row = signatures.record_signed(ctx, signed, choice, title=title, source_sha256=source_sha)
                report_id = row.id
            progress(2, 2, "Готово")
            return signed, report_id, notices

        self.busy = True
        self.buttons.setEnabled(False)
        self.error_label.hide()
        self.env.runner.run("Подписание документа (КриптоПро)", work, self._done, self._failed, cancellable=False)

    def accept(self) -> None:
        if self.busy:
            return
        if self.cert_combo.currentData() == CRYPTOPRO:
            self._accept_cryptopro()
            return
        path, password = self.path_edit.text().strip(), self.password_edit.text()
        if not path:
            self.show_error("Выберите файл сертификата (.pfx/.p12).")
            return
        if not Path(path).exists():
            self.show_error(f"Файл «{path}» не найден. Выберите файл сертификата заново.")
            return
        reason, location = self.reason_combo.currentText().strip(), self.location_edit.text().strip()
        place = self.place_combo.currentData() or ""
        ctx, pdf, title, record = self.env.ctx, self.pdf, self.title, self.record
        remember = self.remember.isChecked() and self.cert_combo.currentData() is None
        source_sha = hashlib.sha256(pdf).hexdigest()

        def work(progress, cancelled):  # noqa: ANN001, ANN202 - runs on the worker thread
            signatures.check_signable(ctx, pdf)  # a draft is refused before the certificate is opened
            progress(0, 2, "Открытие сертификата…")
            signer = cert_service.open_signer(path, password)
            progress(1, 2, "Подписание…")
            outcome = signatures.sign_pdf_bytes(pdf, signer, reason=reason, location=location, place=place)
            report_id = None
            if record:
                row = signatures.record_signed(ctx, outcome.pdf, signer, title=title, source_sha256=source_sha)
                report_id = row.id
            if remember:
                try:
                    cert_service.register_own_certificate(ctx, path, password)
                except SocPlanError:
                    pass  # already remembered
            progress(2, 2, "Готово")
            return outcome.pdf, report_id, outcome.notices

        self.busy = True
        self.buttons.setEnabled(False)
        self.error_label.hide()
        self.env.runner.run("Подписание документа", work, self._done, self._failed, cancellable=False)

    def _done(self, result: tuple[bytes, int | None, tuple[str, ...]]) -> None:
        self.busy = False
        self.buttons.setEnabled(True)
        pdf, report_id, notices = result
        self.signed_pdf = pdf
        self.password_edit.clear()
        if self.on_signed is not None:
            self.on_signed(pdf, report_id, notices)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.buttons.setEnabled(True)
        if isinstance(exc, SocPlanError):
            self.show_error(exc.message)
        else:
            self.show_error(f"Не удалось подписать документ из-за внутренней ошибки: {exc}. Сообщите администратору.")
        self.password_edit.selectAll()
        self.password_edit.setFocus()
