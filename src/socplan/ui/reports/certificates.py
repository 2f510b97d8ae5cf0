"""«Сертификаты»: own signing certificates (.pfx kept by the user) and the trusted list used for verification."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QInputDialog,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox, QTabWidget, QVBoxLayout,
                               QWidget)

from socplan.domain.errors import SocPlanError, ValidationError, ValidationErrors
from socplan.services.reports import certificates as service
from socplan.services.reports.certificates import CertificateRow
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.env import UiEnv

PFX_FILTER = "Сертификат с закрытым ключом (*.pfx *.p12);;Все файлы (*)"
CER_FILTER = "Сертификат (*.cer *.crt *.pem *.der);;Все файлы (*)"

COLUMNS = [
    Column("Владелец", lambda r: r.owner, 230),
    Column("Серийный номер", lambda r: r.serial, 200),
    Column("Издатель", lambda r: r.issuer, 180),
    Column("Действует с", lambda r: r.valid_from.date(), 90),
    Column("по", lambda r: r.valid_to.date(), 90),
    Column("Состояние", lambda r: r.state_text, 120),
    Column("Вид", lambda r: r.kind_text, 150),
]


def certificate_detail(row: CertificateRow) -> str:
    fields = [("Владелец", row.owner), ("Издатель", row.issuer), ("Серийный номер", row.serial),
              ("Действителен", f"с {row.valid_from:%d.%m.%Y} по {row.valid_to:%d.%m.%Y}"),
              ("Состояние", row.state_text), ("Вид", row.kind_text), ("Отпечаток SHA-256", row.fingerprint)]
    if row.pkcs12_path:
        fields.append(("Файл с ключом", row.pkcs12_path))
    if row.note:
        fields.append(("Примечание", row.note))
    fields.append(("Добавлен", f"{row.added_at:%d.%m.%Y} {row.added_by}".strip()))
    html = detail_html(row.owner, fields)
    if row.state == "expired":
        html += f"<p style='color:#b00020'><b>Срок действия истёк {row.valid_to:%d.%m.%Y}.</b></p>"
    elif row.state == "not_yet_valid":
        html += "<p style='color:#b00020'><b>Сертификат ещё не действует.</b></p>"
    return html


class CreateCertificateDialog(QDialog):
    """A self-signed certificate «не квалифицированный» saved to a password-protected .pfx the user chooses."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.result_row: CertificateRow | None = None
        self.setWindowTitle("Создать самоподписанный сертификат")
        self.setMinimumWidth(600)
        self.name_edit = QLineEdit(env.ctx.user.name, self)
        self.position_edit = QLineEdit(env.ctx.user.position, self)
        self.org_edit = QLineEdit("Министерство труда и социального развития Омской области", self)
        self.days_spin = QSpinBox(self)
        self.days_spin.setRange(1, 3650)
        self.days_spin.setValue(365)
        self.days_spin.setSuffix(" дн.")
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password2_edit = QLineEdit(self)
        self.password2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.target_edit = QLineEdit(self)
        browse = QPushButton("Обзор…", self)
        browse.clicked.connect(self._browse)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit, 1)
        target_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("ФИО владельца:", self.name_edit)
        form.addRow("Должность:", self.position_edit)
        form.addRow("Организация:", self.org_edit)
        form.addRow("Срок действия:", self.days_spin)
        form.addRow("Пароль к файлу:", self.password_edit)
        form.addRow("Пароль ещё раз:", self.password2_edit)
        form.addRow("Сохранить в файл:", target_row)
        warn = QLabel("Сертификат будет помечен «не квалифицированный»: он подтверждает подпись только внутри "
                      "организаций, которые добавили его в доверенные. Закрытый ключ хранится только в выбранном "
                      "файле, защищённом паролем; пароль программа не сохраняет.", self)
        warn.setWordWrap(True)
        warn.setStyleSheet("color:#7a4d00")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color:#b00020")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Создать")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(warn)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        start = self.target_edit.text() or str(Path.home() / f"{self.name_edit.text().strip() or 'сертификат'}.pfx")
        path, _ = QFileDialog.getSaveFileName(self, "Файл сертификата", start, PFX_FILTER)
        if path:
            self.target_edit.setText(path)

    def accept(self) -> None:
        if self.password_edit.text() != self.password2_edit.text():
            self._error("Пароли не совпадают. Введите пароль дважды одинаково.")
            return
        try:
            self.result_row = service.create_self_signed_certificate(
                self.env.ctx, full_name=self.name_edit.text(), position=self.position_edit.text(),
                organisation=self.org_edit.text(), days=self.days_spin.value(), password=self.password_edit.text(),
                target=self.target_edit.text().strip())
        except (ValidationError, ValidationErrors, SocPlanError) as exc:
            self._error(exc.message)
            return
        super().accept()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()


class CertificatesDialog(QDialog):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else env.window)
        self.env = env
        self.setWindowTitle("Сертификаты электронной подписи")
        self.resize(1000, 600)
        self.own_view = RecordListView(COLUMNS, certificate_detail, self)
        self.trusted_view = RecordListView(COLUMNS, certificate_detail, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._tab(self.own_view, [
            ("Добавить из файла .pfx…", self.import_pfx_dialog), ("Создать самоподписанный…", self.create_dialog),
            ("Сделать доверенным", self.trust_selected), ("Убрать из списка", lambda: self.remove_selected(self.own_view)),
        ]), "Мои сертификаты (для подписи)")
        self.tabs.addTab(self._tab(self.trusted_view, [
            ("Добавить сертификат…", self.add_trusted_dialog),
            ("Убрать из доверенных", lambda: self.remove_selected(self.trusted_view)),
        ]), "Доверенные (для проверки)")
        note = QLabel("Пароли к файлам сертификатов не сохраняются. Проверка подписей выполняется без сети: "
                      "подпись признаётся действительной, только если сертификат подписанта (или его удостоверяющего "
                      "центра) есть в списке доверенных.", self)
        note.setWordWrap(True)
        note.setStyleSheet("color:#555")
        from socplan.services.reports.signatures import timestamp_url

        self.tsa_edit = QLineEdit(timestamp_url(), self)
        self.tsa_edit.setPlaceholderText("не задан — подпись без метки времени (PAdES B-B), сеть не используется")
        tsa_save = QPushButton("Сохранить", self)
        tsa_save.clicked.connect(lambda: self.save_timestamp_url(self.tsa_edit.text()))
        tsa_row = QHBoxLayout()
        tsa_row.addWidget(QLabel("Сервер меток времени (TSP):", self))
        tsa_row.addWidget(self.tsa_edit, 1)
        tsa_row.addWidget(tsa_save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(tsa_row)
        layout.addWidget(note)
        layout.addWidget(close)
        self.refresh()

    def _tab(self, view: RecordListView, actions: list) -> QWidget:
        widget = QWidget(self)
        row = QHBoxLayout()
        for text, slot in actions:
            button = QPushButton(text, widget)
            button.clicked.connect(lambda _c=False, s=slot: s())
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(widget)
        layout.addLayout(row)
        layout.addWidget(view, 1)
        return widget

    def save_timestamp_url(self, url: str) -> None:
        """Stored in the settings file; used for PAdES B-T when the server answers (else B-B)."""
        from socplan.services.settings import load_settings, save_settings

        url = url.strip()
        if url and not url.startswith(("http://", "https://")):
            self._warn("Адрес сервера меток времени должен начинаться с http:// или https://.")
            return
        settings = load_settings()
        settings.extra["timestamp_url"] = url
        save_settings(settings)

    def refresh(self) -> None:
        self.own_view.set_rows(service.list_certificates(self.env.ctx, service.ROLE_OWN))
        self.trusted_view.set_rows(service.list_certificates(self.env.ctx, service.ROLE_TRUSTED))

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, "Сертификаты", text)

    # ---- own
    def import_pfx_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Файл сертификата с закрытым ключом", "", PFX_FILTER)
        if not path:
            return
        password, ok = QInputDialog.getText(self, "Пароль", "Пароль к файлу сертификата (не сохраняется):",
                                            QLineEdit.EchoMode.Password)
        if ok:
            self.import_pfx(path, password)

    def import_pfx(self, path: str | Path, password: str) -> CertificateRow | None:
        try:
            row = service.register_own_certificate(self.env.ctx, path, password)
        except SocPlanError as exc:
            self._warn(exc.message)
            return None
        self.refresh()
        self.own_view.select_where(lambda r: r.id == row.id)
        if row.state != "valid":
            self._warn(f"Сертификат добавлен, но {row.state_text}: подписывать им нельзя.")
        return row

    def create_dialog(self) -> None:
        dialog = CreateCertificateDialog(self.env, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def trust_selected(self) -> None:
        row = self.own_view.current_row()
        if row is None:
            self._warn("Выберите сертификат в списке.")
            return
        try:
            service.trust_own(self.env.ctx, row.id)
        except SocPlanError as exc:
            self._warn(exc.message)
        self.refresh()

    # ---- trusted
    def add_trusted_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Сертификат для списка доверенных", "", CER_FILTER)
        if path:
            self.add_trusted(path)

    def add_trusted(self, path: str | Path) -> CertificateRow | None:
        try:
            row = service.add_trusted_file(self.env.ctx, path)
        except SocPlanError as exc:
            self._warn(exc.message)
            return None
        self.refresh()
        self.tabs.setCurrentIndex(1)
        self.trusted_view.select_where(lambda r: r.id == row.id)
        if row.state == "expired":
            self._warn(f"Сертификат добавлен, но срок его действия истёк {row.valid_to:%d.%m.%Y}.")
        return row

    def remove_selected(self, view: RecordListView, *, confirm: bool = True) -> None:
        row = view.current_row()
        if row is None:
            self._warn("Выберите сертификат в списке.")
            return
        if confirm and QMessageBox.question(self, "Сертификаты", f"Убрать сертификат {row.owner} № {row.serial} "
                                            "из списка? Файл с ключом не удаляется.") != QMessageBox.StandardButton.Yes:
            return
        try:
            service.remove_certificate(self.env.ctx, row.id)
        except SocPlanError as exc:
            self._warn(exc.message)
        self.refresh()
