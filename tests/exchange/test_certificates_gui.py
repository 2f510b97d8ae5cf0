"""«Сертификаты обмена» in the window: export my certificate, see a district's certificate (owner, serial,
validity, fingerprint) before trusting it, the trusted list, revoking trust."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from socplan.services.exchange import setup
from socplan.signing.certificates import create_self_signed
from socplan.ui.env import UiEnv
from socplan.ui.exchange.section import create_section
from socplan.ui.tasks import TaskRunner

TARA = "Тарский муниципальный район"


@pytest.fixture
def dialog(qtbot, demo_ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    section = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    window.setCentralWidget(section)
    window.show()
    return section.certificates()


def test_export_my_certificate_for_the_ministry(dialog, tmp_path) -> None:  # noqa: ANN001
    pfx = tmp_path / "район.pfx"
    pfx.write_bytes(create_self_signed("Районов Иван Петрович", "специалист", "Управление", password="секрет"))
    dialog.pfx.setText(str(pfx))
    assert dialog.export_own(tmp_path / "мой.cer", "неверный") is None
    assert "парол" in dialog.message.text().lower()
    preview = dialog.export_own(tmp_path / "мой.cer", "секрет")
    assert preview.owner == "Районов Иван Петрович"
    assert setup.inspect_certificate(tmp_path / "мой.cer").fingerprint == preview.fingerprint
    assert preview.fingerprint_text[:5] in dialog.own_info.text()
    assert "b00020" not in dialog.message.styleSheet()


def test_district_certificate_is_shown_before_trusting_then_listed_and_revoked(dialog, qtbot, demo_ctx,  # noqa: ANN001
                                                                             tmp_path) -> None:
    pfx = tmp_path / "район.pfx"
    pfx.write_bytes(create_self_signed("Районов Иван Петрович", "специалист", "Управление", password="секрет"))
    cer = tmp_path / "район.cer"
    cer.write_bytes(setup.own_certificate_der(pfx, "секрет"))
    expected = setup.inspect_certificate(cer)
    seen: dict = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not hasattr(box, "trust_button"):
            QTimer.singleShot(20, answer)
            return
        seen.update({k: v.text() for k, v in box.values.items()})
        box.territory.setCurrentText(TARA)
        box.trust_button.click()

    QTimer.singleShot(0, answer)
    row = dialog.trust_file(cer)
    assert seen["Владелец"].startswith("Районов Иван Петрович")
    assert seen["Серийный номер"] == expected.serial
    assert seen["Отпечаток SHA-256"] == expected.fingerprint_text
    assert seen["Срок действия"].startswith("действителен с ")
    assert row is not None and row.territory == TARA
    assert [(r.owner, r.territory) for r in setup.list_trusted(demo_ctx)] == [("Районов Иван Петрович", TARA)]
    assert dialog.trusted.model.rowCount() == 1
    dialog.trusted.table.selectRow(0)
    assert dialog.revoke(confirm=False)
    assert setup.list_trusted(demo_ctx) == [] and dialog.trusted.model.rowCount() == 0
    assert "отозвано" in dialog.message.text()


def test_cancelled_preview_trusts_nothing(dialog, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    pfx = tmp_path / "район.pfx"
    pfx.write_bytes(create_self_signed("Районов Иван Петрович", "специалист", "Управление", password=""))
    cer = tmp_path / "район.cer"
    cer.write_bytes(setup.own_certificate_der(pfx, ""))

    def cancel() -> None:
        box = QApplication.activeModalWidget()
        if box is None or not hasattr(box, "trust_button"):
            QTimer.singleShot(20, cancel)
            return
        box.reject()

    QTimer.singleShot(0, cancel)
    assert dialog.trust_file(cer) is None
    assert setup.list_trusted(demo_ctx) == []


def test_not_a_certificate_is_refused_in_russian(dialog, tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "письмо.cer"
    bad.write_text("не сертификат")
    assert dialog.trust_file(bad) is None
    assert "сертификат" in dialog.message.text().lower()
