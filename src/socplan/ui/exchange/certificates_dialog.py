"""«Сертификаты обмена»: export this office's certificate for the Ministry, trust a district's certificate after
seeing its owner, serial, validity and fingerprint, list the trusted certificates, revoke trust.

The window only calls services (socplan.services.exchange.setup)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
                               QInputDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services import reference
from socplan.services.context import AppContext
from socplan.services.exchange import setup
from socplan.ui.common.table import Column, RecordListView, detail_html
from socplan.ui.icons import icon
from socplan.ui.memory import last_folder, remember_folder

CER_FILTER = "Сертификат (*.cer *.crt *.pem *.der);;Все файлы (*)"
PFX_FILTER = "Ключ подписи (*.pfx *.p12);;Все файлы (*)"

TRUSTED_COLUMNS = [
    Column("Территория", lambda r: r.territory, 200),
    Column("Владелец", lambda r: r.owner, 200),
    Column("Организация", lambda r: r.organisation, 160),
    Column("Серийный номер", lambda r: r.serial, 150),
    Column("Срок", lambda r: r.state_text, 150),
]


def trusted_detail(r: setup.TrustedCertificateRow) -> str:
    fingerprint = " ".join(r.fingerprint.upper()[i:i + 2] for i in range(0, len(r.fingerprint), 2))
    return detail_html(r.owner, [("Территория", r.territory), ("Организация", r.organisation),
                                 ("Серийный номер", r.serial),
                                 ("Действителен", f"с {r.valid_from:%d.%m.%Y} по {r.valid_to:%d.%m.%Y}"),
                                 ("Отпечаток SHA-256", fingerprint),
                                 ("Добавлен", f"{r.added_at:%d.%m.%Y} {r.added_by}".strip())])


def preview_fields(p: setup.CertificatePreview) -> list[tuple[str, str]]:
    return [("Владелец", p.owner + (f", {p.position}" if p.position else "")), ("Организация", p.organisation),
            ("Издатель", p.issuer + (" (самоподписанный)" if p.self_signed else "")), ("Серийный номер", p.serial),
            ("Срок действия", p.state_text), ("Отпечаток SHA-256", p.fingerprint_text)]


class TrustPreviewDialog(QDialog):
    """The certificate as read from the file, the territory it will speak for, and «Доверять» / «Отмена»."""

    def __init__(self, preview: setup.CertificatePreview, territories: list[str], default: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Доверять сертификату района?")
        self.setMinimumWidth(620)
        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in preview_fields(preview):
            shown = QLabel(value, self)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{label}:", shown)
            self.values[label] = shown
        if preview.state != "valid":
            self.values["Срок действия"].setStyleSheet("color: #b00020; font-weight: bold;")
        self.territory = QComboBox(self)
        self.territory.addItems(territories)
        if default in territories:
            self.territory.setCurrentText(default)
        form.addRow("Подпись говорит за территорию:", self.territory)
        hint = QLabel("Сверьте отпечаток с отправителем по телефону: совпадение всех пар цифр и букв означает, что "
                      "файл не подменён. Ключ района подписывает пакеты только своей территории.", self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.trust_button = buttons.addButton("Доверять", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Отмена", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)


class ExchangeCertificatesDialog(QDialog):
    def __init__(self, ctx: AppContext, env_window: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.env_window = ctx, env_window
        self.setWindowTitle("Сертификаты обмена")
        self.resize(900, 600)
        me = setup.get_identity(ctx)
        own = QGroupBox("Мой сертификат (передать в Министерство или району для списка доверенных)", self)
        self.pfx = QLineEdit(me.pkcs12_path if me else "", self)
        self.pfx.setPlaceholderText("Файл ключа подписи .pfx")
        browse = QPushButton("Выбрать…", self)
        browse.clicked.connect(self._browse_pfx)
        self.export_button = QPushButton(icon("export"), "Выгрузить мой сертификат…", self)
        self.export_button.clicked.connect(lambda: self.export_own())
        self.own_info = QLabel(self)
        self.own_info.setWordWrap(True)
        self.own_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.pfx, 1)
        row.addWidget(browse)
        row.addWidget(self.export_button)
        ol = QVBoxLayout(own)
        ol.addLayout(row)
        ol.addWidget(self.own_info)

        trusted = QGroupBox("Доверенные сертификаты отправителей (по территориям)", self)
        self.trusted = RecordListView(TRUSTED_COLUMNS, trusted_detail, self, search_placeholder="Поиск сертификата")
        self.trust_button = QPushButton(icon("trust"), "Доверять сертификату района…", self)
        self.revoke_button = QPushButton(icon("revoke"), "Отозвать доверие", self)
        self.trust_button.clicked.connect(lambda: self.trust_file())
        self.revoke_button.clicked.connect(lambda: self.revoke())
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.trust_button)
        buttons_row.addWidget(self.revoke_button)
        buttons_row.addStretch(1)
        tl = QVBoxLayout(trusted)
        tl.addWidget(self.trusted, 1)
        tl.addLayout(buttons_row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(own)
        layout.addWidget(trusted, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        rows = setup.list_trusted(self.ctx)
        self.trusted.set_rows(rows)
        self.revoke_button.setEnabled(bool(rows))

    def _say(self, text: str, problem: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if problem else "")
        self.message.setText(text)

    def _browse_pfx(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Ключ подписи", last_folder(self.env_window, "certificates"),
                                              PFX_FILTER)
        if path:
            remember_folder(self.env_window, "certificates", path)
            self.pfx.setText(path)

    # ------------------------------------------------------------ my certificate
    def export_own(self, out: Path | None = None, password: str | None = None) -> setup.CertificatePreview | None:
        pfx = self.pfx.text().strip()
        if not pfx:
            self._say("Выберите файл своего ключа подписи (.pfx): сертификат берётся из него.", problem=True)
            return None
        if password is None:
            password, ok = QInputDialog.getText(self, "Пароль ключа", f"Пароль файла «{Path(pfx).name}»:",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return None
        if out is None:
            me = setup.get_identity(self.ctx)
            name = f"Сертификат {me.territory if me else 'отправителя'}.cer"
            chosen, _ = QFileDialog.getSaveFileName(self, "Куда записать сертификат",
                                                    str(Path(last_folder(self.env_window, "certificates")) / name),
                                                    CER_FILTER)
            if not chosen:
                return None
            out = Path(chosen)
            remember_folder(self.env_window, "certificates", out)
        try:
            preview = setup.export_own_certificate(Path(pfx), password, Path(out))
        except SocPlanError as exc:
            self._say(exc.message, problem=True)
            return None
        self.own_info.setText(f"Записан «{out}». Владелец: {preview.owner}; серийный номер {preview.serial}; "
                              f"{preview.state_text}. Отпечаток SHA-256 (продиктуйте получателю): "
                              f"{preview.fingerprint_text}")
        self._say(f"Сертификат записан в «{Path(out).name}». Передайте файл получателю.")
        return preview

    # ------------------------------------------------------------ trusted list
    def trust_file(self, path: Path | None = None, territory: str | None = None) -> setup.TrustedCertificateRow | None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Сертификат района",
                                                    last_folder(self.env_window, "certificates"), CER_FILTER)
            if not chosen:
                return None
            path = Path(chosen)
            remember_folder(self.env_window, "certificates", path)
        try:
            preview = setup.inspect_certificate(Path(path))
        except SocPlanError as exc:
            self._say(exc.message, problem=True)
            return None
        territories = [t.name for t in reference.list_territories(self.ctx)]
        dialog = TrustPreviewDialog(preview, territories, territory or "", self)
        self.last_preview = dialog
        if territory is None:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self._say("Сертификат не добавлен.")
                return None
            territory = dialog.territory.currentText()
        try:
            row = setup.trust_certificate(self.ctx, territory, Path(path))
        except SocPlanError as exc:
            self._say(exc.message, problem=True)
            return None
        self.reload()
        self.trusted.select_where(lambda r: r.id == row.id)
        self._say(f"Подписи «{row.owner}» доверены для территории «{row.territory}».")
        return row

    def revoke(self, confirm: bool = True) -> bool:
        row = self.trusted.current_row()
        if row is None:
            self._say("Выберите сертификат в списке.", problem=True)
            return False
        if confirm and QMessageBox.question(
                self, "Отозвать доверие", f"Больше не принимать пакеты, подписанные «{row.owner}», для территории "
                f"«{row.territory}»?") != QMessageBox.StandardButton.Yes:
            return False
        try:
            setup.remove_trusted(self.ctx, row.id)
        except SocPlanError as exc:
            self._say(exc.message, problem=True)
            return False
        self.reload()
        self._say(f"Доверие сертификату «{row.owner}» ({row.territory}) отозвано.")
        return True
