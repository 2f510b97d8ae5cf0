"""The sign dialog with «КриптоПро CSP»: choosing the certificate from certmgr's list, signing, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def env(ctx, qtbot):  # noqa: ANN001, ANN201
    from PySide6.QtWidgets import QMainWindow

    from socplan.ui.env import UiEnv
    from socplan.ui.tasks import TaskRunner

    window = QMainWindow()
    qtbot.addWidget(window)
    return UiEnv(ctx, TaskRunner(window), window)


def test_sign_dialog_chooses_a_cryptopro_certificate_and_signs(env, ctx, qtbot, fake, keys) -> None:  # noqa: ANN001
    from socplan.services.reports import gost_signing, registry
    from socplan.signing.pades import verify_pdf
    from socplan.ui.reports.sign_dialog import CRYPTOPRO, SignDialog

    gost_signing.save_cryptopro_settings(cryptcp=fake.cryptcp)
    pdf = (FIXTURES / "report.pdf").read_bytes()
    original = registry.save_report(ctx, kind="plan", title="Отчёт о ходе исполнения", params={}, data=pdf)
    signed: list[bytes] = []
    dialog = SignDialog(env, pdf, original.title, on_signed=lambda data, _id, _n: signed.append(data))
    qtbot.addWidget(dialog)
    dialog.cert_combo.setCurrentIndex(dialog.cert_combo.findData(CRYPTOPRO))
    assert "не выбран" in dialog.info_label.text() and not dialog.password_edit.isEnabled()
    setup = dialog.configure_cryptopro()
    qtbot.addWidget(setup)
    assert setup.path_edit.text() == fake.cryptcp
    setup.load_certificates()
    qtbot.waitUntil(lambda: setup.list.count() == 3, timeout=20000)
    assert setup.list.item(1).text().startswith("Варнавская Ирина Петровна — № 0123ABCDEF")
    setup.list.setCurrentRow(1)
    setup.accept()
    assert not setup.isVisible()
    assert gost_signing.load_cryptopro_settings().thumbprint == keys["signer512"]["thumbprint"]
    assert keys["signer512"]["thumbprint"] in dialog.info_label.text()
    dialog.accept()
    qtbot.waitUntil(lambda: bool(signed), timeout=30000)
    (status,) = verify_pdf(signed[0], [(FIXTURES / "ca.cer").read_bytes()])
    assert (status.verdict, status.signer, status.serial) == ("valid", "Варнавская Ирина Петровна", "0123ABCDEF")
    rows = [r for r in registry.list_reports(ctx) if r.source_id == original.id]
    assert [r.signed_by for r in rows] == ["И.П.\u00a0Варнавская"]


def test_cryptopro_error_is_shown_in_the_dialog_and_nothing_is_recorded(env, ctx, qtbot, fake) -> None:  # noqa: ANN001
    from socplan.services.reports import gost_signing, registry
    from socplan.ui.reports.sign_dialog import CRYPTOPRO, SignDialog

    gost_signing.save_cryptopro_settings(cryptcp=fake.cryptcp, thumbprint=fake.settings.thumbprint)
    fake.mode("cancel")
    dialog = SignDialog(env, (FIXTURES / "report.pdf").read_bytes(), "Отчёт")
    qtbot.addWidget(dialog)
    dialog.cert_combo.setCurrentIndex(dialog.cert_combo.findData(CRYPTOPRO))
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30000)
    assert "Подписание отменено" in dialog.error_label.text() and dialog.signed_pdf is None
    assert registry.list_reports(ctx) == []


def test_exchange_export_dialog_signs_the_package_through_cryptopro(qtbot, fake, gost_offices, tmp_path,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QMessageBox, QWidget

    from socplan.services.exchange import setup
    from socplan.services.exchange.importer import preview_import
    from socplan.services.reports import gost_signing
    from socplan.ui.env import UiEnv
    from socplan.ui.exchange.dialogs import ExportDialog
    from socplan.ui.exchange.section import create_section
    from socplan.ui.tasks import TaskRunner

    district, ministry, district_name, _ministry_name = gost_offices
    gost_signing.save_cryptopro_settings(cryptcp=fake.cryptcp, thumbprint=fake.settings.thumbprint)
    window = QWidget()
    qtbot.addWidget(window)
    section = create_section(UiEnv(district, TaskRunner(window), window))
    qtbot.addWidget(section)
    made: list[ExportDialog] = []
    original = section.export_dialog

    def dialog_with_cryptopro():  # noqa: ANN202
        dialog = original()
        dialog.pfx.setText("")
        dialog.cryptopro.setChecked(True)
        dialog.folder.setText(str(tmp_path))
        dialog.period_from.setDate(QDate(2025, 1, 1))
        dialog.period_to.setDate(QDate(2025, 12, 31))
        dialog._ok()  # the form accepts no .pfx when CryptoPro signs
        assert dialog.result() == ExportDialog.DialogCode.Accepted and not dialog.pfx.isEnabled()
        made.append(dialog)
        return dialog

    monkeypatch.setattr(section, "export_dialog", dialog_with_cryptopro)
    monkeypatch.setattr(ExportDialog, "exec", lambda self: ExportDialog.DialogCode.Accepted)
    monkeypatch.setattr(section, "notify", lambda *_a, **_k: None)
    failures: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: failures.append(self.text() + (self.detailedText() or "")))
    section.export()
    qtbot.waitUntil(lambda: any(tmp_path.glob("*.spkg")) or bool(failures), timeout=30000)
    assert not failures
    (package,) = tmp_path.glob("*.spkg")
    setup.trust_certificate(ministry, district_name, (FIXTURES / "signer256.cer").read_bytes())
    preview = preview_import(ministry, data=package.read_bytes())
    assert "Иванова Мария Петровна" in preview.signer and made
