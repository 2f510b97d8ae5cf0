"""«Сформировать пакет» and «Настройки обмена» (who this database is, trusted certificates by territory)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services import reference
from socplan.services.context import AppContext
from socplan.services.exchange import setup
from socplan.services.exchange.export import DEFAULT_KINDS, ExportRequest
from socplan.services.exchange.kinds import KIND_BY_NAME
from socplan.ui.common.table import Column, RecordListView

TRUSTED_COLUMNS = (
    Column("Территория", lambda r: r.territory, 260),
    Column("Владелец", lambda r: r.owner, 200),
    Column("Серийный номер", lambda r: r.serial, 140),
    Column("Срок", lambda r: r.state_text),
)


def _date_edit(parent: QWidget, value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day), parent)
    edit.setDisplayFormat("dd.MM.yyyy")
    edit.setCalendarPopup(True)
    return edit


def _py(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


class ExportDialog(QDialog):
    """Recipient, period, what to send, signed reports, the key and its password. ``request()`` builds the request."""

    def __init__(self, ctx: AppContext, identity: setup.IdentityRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Сформировать пакет обмена")
        self.setMinimumWidth(640)
        self.identity = identity
        direction = "to_district" if identity.role == "ministry" else "to_ministry"
        self.recipient = QComboBox(self)
        territories = [t for t in reference.list_territories(ctx) if t.name != identity.territory]
        for t in territories:
            self.recipient.addItem(t.name, t.name)
        if direction == "to_ministry":
            self.recipient.setCurrentIndex(max(self.recipient.findData("Омская область"), 0))
        self.recipient.setEditable(True)
        self.recipient.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        year = dt.date.today().year
        self.period_from = _date_edit(self, dt.date(year, 1, 1))
        self.period_to = _date_edit(self, dt.date(year, 12, 31))
        self.forms = QLineEdit(self)
        self.forms.setPlaceholderText("все формы; или коды через запятую")
        self.kinds: dict[str, QCheckBox] = {}
        kinds_box = QGroupBox("Что отправить", self)
        grid = QGridLayout(kinds_box)
        for n, name in enumerate(DEFAULT_KINDS[direction]):
            box = QCheckBox(KIND_BY_NAME[name].label, kinds_box)
            box.setChecked(True)
            self.kinds[name] = box
            grid.addWidget(box, n // 2, n % 2)
        self.reports = QListWidget(self)
        self.reports.setMaximumHeight(80)
        add_report = QPushButton("Добавить подписанный PDF…", self)
        add_report.clicked.connect(self._add_report)
        self.pfx = QLineEdit(identity.pkcs12_path, self)
        browse = QPushButton("Выбрать…", self)
        browse.clicked.connect(self._browse_pfx)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.folder = QLineEdit(str(Path.home()), self)
        browse_folder = QPushButton("Папка…", self)
        browse_folder.clicked.connect(self._browse_folder)
        self.error = QLabel(self)
        self.error.setStyleSheet("color:#b00020")
        self.error.setWordWrap(True)

        form = QFormLayout()
        sender = QLabel(f"{identity.party.text} ({identity.role_label})", self)
        sender.setWordWrap(True)
        form.addRow("Отправитель:", sender)
        form.addRow("&Получатель:", self.recipient)
        period = QHBoxLayout()
        period.addWidget(QLabel("с", self))
        period.addWidget(self.period_from)
        period.addWidget(QLabel("по", self))
        period.addWidget(self.period_to)
        period.addStretch(1)
        form.addRow("Период:", period)
        form.addRow("&Формы показателей:", self.forms)
        reports = QHBoxLayout()
        reports.addWidget(self.reports, 1)
        reports.addWidget(add_report, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow("Документы:", reports)
        key = QHBoxLayout()
        key.addWidget(self.pfx, 1)
        key.addWidget(browse)
        form.addRow("Ключ подписи (.pfx):", key)
        form.addRow("Пар&оль к ключу:", self.password)
        self.cryptopro = QCheckBox("Подписать квалифицированной подписью через КриптоПро CSP "
                                   "(сертификат из настройки КриптоПро; PIN-код запросит КриптоПро)", self)
        self.cryptopro.toggled.connect(lambda on: (self.pfx.setEnabled(not on), self.password.setEnabled(not on)))
        form.addRow("", self.cryptopro)
        folder = QHBoxLayout()
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse_folder)
        form.addRow("Сохранить в папку:", folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Сформировать")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Отмена")
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(kinds_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _add_report(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Подписанные отчёты", str(Path.home()), "PDF (*.pdf)")
        for f in files:
            self.reports.addItem(QListWidgetItem(f))

    def _browse_pfx(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Ключ подписи", self.pfx.text() or str(Path.home()),
                                              "Сертификат с ключом (*.pfx *.p12)")
        if path:
            self.pfx.setText(path)

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Папка для пакета", self.folder.text())
        if path:
            self.folder.setText(path)

    def request(self) -> ExportRequest:
        return ExportRequest(
            recipient_territory=self.recipient.currentText().strip(),
            period_from=_py(self.period_from.date()), period_to=_py(self.period_to.date()),
            kinds=tuple(name for name, box in self.kinds.items() if box.isChecked()),
            forms=tuple(p.strip() for p in self.forms.text().split(",") if p.strip()),
            report_files=tuple(Path(self.reports.item(i).text()) for i in range(self.reports.count())))

    def _ok(self) -> None:
        problems = []
        if not self.recipient.currentText().strip():
            problems.append("Выберите получателя.")
        if self.period_to.date() < self.period_from.date():
            problems.append("Окончание периода раньше начала.")
        if not any(b.isChecked() for b in self.kinds.values()) and not self.reports.count():
            problems.append("Отметьте, что отправить.")
        if not self.pfx.text().strip() and not self.cryptopro.isChecked():
            problems.append("Выберите файл ключа подписи (.pfx/.p12).")
        if not Path(self.folder.text()).is_dir():
            problems.append("Папка для пакета не найдена. Выберите существующую папку.")
        if problems:
            self.error.setText(" ".join(problems))
            return
        self.accept()


class SettingsDialog(QDialog):
    """Who this database is in exchanges, and the certificates trusted for each territory."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Настройки обмена")
        self.setMinimumWidth(680)
        me = setup.get_identity(ctx)
        self.role = QComboBox(self)
        for key, label in setup.ROLES.items():
            self.role.addItem(label, key)
        self.territory = QComboBox(self)
        self.organisation = QComboBox(self)
        self.organisation.addItem("—", "")
        for t in reference.list_territories(ctx):
            self.territory.addItem(t.name, t.name)
        for o in reference.list_organisations(ctx):
            self.organisation.addItem(o.short_name, o.short_name)
        self.pfx = QLineEdit(self)
        if me:
            self.role.setCurrentIndex(max(self.role.findData(me.role), 0))
            self.territory.setCurrentIndex(max(self.territory.findData(me.territory), 0))
            self.organisation.setCurrentIndex(max(self.organisation.findData(me.organisation), 0))
            self.pfx.setText(me.pkcs12_path)
        self.trusted = RecordListView(TRUSTED_COLUMNS, None, self, search_placeholder="Поиск сертификата")
        add = QPushButton("Доверять сертификату…", self)
        remove = QPushButton("Исключить", self)
        add.clicked.connect(self._add_certificate)
        remove.clicked.connect(self._remove_certificate)
        form = QFormLayout()
        form.addRow("&Роль этой базы:", self.role)
        form.addRow("&Территория:", self.territory)
        form.addRow("&Организация:", self.organisation)
        form.addRow("&Ключ подписи по умолчанию:", self.pfx)
        trusted_box = QGroupBox("Доверенные сертификаты отправителей (по территориям)", self)
        tl = QVBoxLayout(trusted_box)
        tl.addWidget(self.trusted)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        tl.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Сохранить")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Закрыть")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(trusted_box, 1)
        layout.addWidget(buttons)
        self._load_trusted()

    def _load_trusted(self) -> None:
        self.trusted.set_rows(setup.list_trusted(self.ctx))

    def _add_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Сертификат отправителя", str(Path.home()),
                                              "Сертификаты (*.cer *.crt *.pem *.der)")
        if not path:
            return
        from socplan.ui.exchange.certificates_dialog import TrustPreviewDialog

        preview = self._run(lambda: setup.inspect_certificate(Path(path)))
        if preview is None:
            return
        names = [self.territory.itemText(i) for i in range(self.territory.count())]
        dialog = TrustPreviewDialog(preview, names, "", self)  # owner, serial, validity, fingerprint first
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(lambda: setup.trust_certificate(self.ctx, dialog.territory.currentText(), Path(path)))
            self._load_trusted()

    def _remove_certificate(self) -> None:
        row = self.trusted.current_row()
        if row is None:
            return
        if QMessageBox.question(self, "Исключить сертификат",
                                f"Исключить из доверенных сертификат «{row.owner}» для территории «{row.territory}»?") \
                == QMessageBox.StandardButton.Yes:
            self._run(lambda: setup.remove_trusted(self.ctx, row.id))
            self._load_trusted()

    def _run(self, fn: Any) -> Any:
        try:
            return fn()
        except SocPlanError as exc:
            QMessageBox.warning(self, "СоцПлан", exc.message)
            return None

    def _save(self) -> None:
        if self._run(lambda: setup.set_identity(self.ctx, self.role.currentData(), self.territory.currentData(),
                                                 self.organisation.currentData() or "", self.pfx.text().strip())):
            self.accept()
