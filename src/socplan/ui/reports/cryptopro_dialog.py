"""«Настройка КриптоПро»: where cryptcp is and which personal certificate signs (chosen from certmgr's list).

Nothing secret is kept: the path and the certificate's thumbprint; the PIN is asked by CryptoPro itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services.reports import gost_signing
from socplan.ui.env import UiEnv


class CryptoProDialog(QDialog):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else env.window)
        self.env = env
        self.busy = False
        self.certificates: list = []
        self.setWindowTitle("Настройка КриптоПро CSP")
        self.setMinimumWidth(680)
        saved = gost_signing.load_cryptopro_settings()
        self.path_edit = QLineEdit(saved.cryptcp or gost_signing.DEFAULT_CRYPTCP, self)
        self.path_edit.setObjectName("cryptcp")
        browse = QPushButton("Обзор…", self)
        browse.clicked.connect(self._browse)
        self.load_button = QPushButton("Показать сертификаты", self)
        self.load_button.clicked.connect(self.load_certificates)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.load_button)
        self.list = QListWidget(self)
        self.saved_thumbprint = saved.thumbprint
        self.message = QLabel("Сертификаты — из хранилища «Личное» КриптоПро (certmgr -list -store uMy).", self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Выбрать")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Программа cryptcp (КриптоПро CSP):", self))
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Программа cryptcp", self.path_edit.text(),
                                              "cryptcp (cryptcp.exe cryptcp);;Все файлы (*)")
        if path:
            self.path_edit.setText(path)

    def load_certificates(self) -> None:
        if self.busy:
            return
        path = self.path_edit.text().strip()
        self.busy = True
        self.message.setText("КриптоПро читает список сертификатов…")
        self.env.runner.run("Список сертификатов КриптоПро", lambda _p, _c: gost_signing.list_certificates(path),
                            self._loaded, self._failed, cancellable=False)

    def _loaded(self, rows: list) -> None:
        self.busy = False
        self.certificates = rows
        self.list.clear()
        for row in rows:
            text = row.label + ("" if row.has_key else " — нет закрытого ключа")
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row.thumbprint)
            if not row.has_key:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            if row.thumbprint == self.saved_thumbprint:
                self.list.setCurrentItem(item)
        self.message.setText(f"Сертификатов: {len(rows)}. Выберите свой и нажмите «Выбрать»." if rows else
                             "КриптоПро не показала личных сертификатов: установите сертификат с ключом.")

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.message.setText(exc.message if isinstance(exc, SocPlanError) else f"Ошибка: {exc}")

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.message.setText("Выберите сертификат из списка (кнопка «Показать сертификаты»).")
            return
        try:
            gost_signing.choose_certificate(item.data(Qt.ItemDataRole.UserRole), self.path_edit.text().strip())
        except SocPlanError as exc:
            self.message.setText(exc.message)
            return
        super().accept()
