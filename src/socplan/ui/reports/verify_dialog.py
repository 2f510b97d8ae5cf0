"""«Проверить подпись»: each signature's verdict in Russian, coloured, with the signer's details."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QTextBrowser,
                               QVBoxLayout, QWidget)

from socplan.domain.errors import SocPlanError
from socplan.services.reports import signatures
from socplan.services.reports.signatures import VerificationReport
from socplan.ui.env import UiEnv

COLOURS = {"valid": "#1b6e1b", "untrusted": "#9a6a00", "expired": "#9a6a00"}


def report_html(report: VerificationReport) -> str:
    colour = "#1b6e1b" if report.valid else "#b00020"
    parts = [f"<h3 style='color:{colour}'>{escape(report.headline)}</h3>",
             f"<p>Файл: <b>{escape(report.file_name)}</b><br>SHA-256: <code>{report.sha256}</code></p>"]
    for number, status in enumerate(report.statuses, start=1):
        c = COLOURS.get(status.verdict, "#b00020")
        parts.append(f"<h4>Подпись № {number}: <span style='color:{c}'>{escape(status.label)}</span></h4>")
        parts.append(f"<p>{escape(status.text)}</p><table>")
        rows = [("Подписант", status.signer + (f", {status.position}" if status.position else "")),
                ("Организация", status.organisation), ("Сертификат", status.serial), ("Издатель", status.issuer)]
        if status.valid_from and status.valid_to:
            rows.append(("Действителен", f"с {status.valid_from:%d.%m.%Y} по {status.valid_to:%d.%m.%Y}"))
        if status.signing_time:
            rows.append(("Время подписания", f"{status.signing_time:%d.%m.%Y %H:%M} UTC"
                         + (" (метка времени)" if status.timestamped else " (по часам подписанта)")))
        if status.coverage:
            rows.append(("Охват (pyHanko)", f"{status.coverage} / {status.modification_level or '—'}"))
        for label, value in rows:
            if value:
                parts.append(f"<tr><td style='color:#555;padding-right:10px'>{escape(label)}</td>"
                             f"<td>{escape(value)}</td></tr>")
        parts.append("</table>")
        if status.details:
            parts.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in status.details) + "</ul>")
    for row in report.journal:
        parts.append(f"<p style='color:#555'>Файл есть в журнале отчётов: № {row.id} «{escape(row.title)}» "
                     f"от {row.created_at:%d.%m.%Y %H:%M}.</p>")
    return "".join(parts)


class VerifyDialog(QDialog):
    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else env.window)
        self.env = env
        self.report: VerificationReport | None = None
        self.setWindowTitle("Проверка электронной подписи")
        self.resize(760, 620)
        self.browser = QTextBrowser(self)
        hint = QLabel("Проверка выполняется без сети. Для файла, подписанного отдельно (.sig), выберите сам файл — "
                      "подпись «ФАЙЛ.sig» рядом с ним найдётся автоматически.", self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("Выбрать файл…", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(self.choose_file)
        close = buttons.addButton("Закрыть", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Файл для проверки", "", "Документ PDF (*.pdf);;Все файлы (*)")
        if path:
            self.verify_path(Path(path))

    def verify_path(self, path: Path, sig: Path | None = None) -> None:
        ctx = self.env.ctx

        def work(progress, cancelled):  # noqa: ANN001, ANN202
            progress(0, 1, "Проверка подписей…")
            return signatures.verify_file(ctx, path, sig)

        self.browser.setHtml(f"<p>Проверяется «{escape(path.name)}»…</p>")
        self.env.runner.run("Проверка подписи", work, self.show_report, self._failed, cancellable=False)

    def verify_bytes(self, data: bytes, name: str) -> None:
        ctx = self.env.ctx
        self.env.runner.run("Проверка подписи", lambda p, c: signatures.verify_bytes(ctx, data, file_name=name),
                            self.show_report, self._failed, cancellable=False)

    def show_report(self, report: VerificationReport) -> None:
        self.report = report
        self.browser.setHtml(report_html(report))

    def _failed(self, exc: BaseException) -> None:
        text = exc.message if isinstance(exc, SocPlanError) else f"Внутренняя ошибка: {exc}"
        self.browser.setHtml(f"<h3 style='color:#b00020'>Проверка невозможна</h3><p>{escape(text)}</p>")
        if not isinstance(exc, SocPlanError):
            QMessageBox.warning(self, "СоцПлан", text)
