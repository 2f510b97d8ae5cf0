"""The preview signs a protocol twice: the chair, then the secretary (who picks her place when the certificate's
name is not the one printed); the second signature keeps the first valid and both stamps sit in their places."""

from __future__ import annotations

import datetime as dt

import pytest

from socplan.services.reports import certificates, registry


@pytest.fixture
def env(ctx, qtbot):  # noqa: ANN001, ANN201
    from PySide6.QtWidgets import QMainWindow

    from socplan.ui.env import UiEnv
    from socplan.ui.tasks import TaskRunner

    window = QMainWindow()
    qtbot.addWidget(window)
    return UiEnv(ctx, TaskRunner(window), window)


def _protocol() -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Протокол заседания", creation_date=dt.datetime(2025, 4, 17)))
    doc.heading("ПРОТОКОЛ № 1")
    doc.paragraph("Рассмотрели вопрос и приняли решение.")
    doc.signature("Председательствующий", "И.Б. Елецкая", space_before_mm=8)
    doc.signature("Секретарь", "А.В. Петрова", space_before_mm=8)
    return doc.build_bytes()


def _sign(sign, qtbot, preview, password: str, before: int) -> None:  # noqa: ANN001
    sign.password_edit.setText(password)
    sign.accept()
    qtbot.waitUntil(lambda: preview.signed_report_id is not None and preview.signed_report_id != before,
                    timeout=30000)


def test_chair_then_secretary_sign_in_the_preview(env, ctx, qtbot, tmp_path) -> None:
    from socplan.signing.pades import existing_stamps, open_reader, recorded_boxes, verify_pdf
    from socplan.ui.reports.preview import show_report_preview

    chair = certificates.create_self_signed_certificate(ctx, full_name="Елецкая Ирина Борисовна", position="",
                                                        organisation="Минтруд", days=30, password="пароль-1",
                                                        target=tmp_path / "chair.pfx")
    data = _protocol()
    original = registry.save_report(ctx, kind="protocol", title="Протокол заседания", params={}, data=data)
    preview = show_report_preview(env, data, original.title, "протокол.pdf")
    qtbot.addWidget(preview)
    sign = preview.open_sign_dialog()
    assert sign.cert_combo.currentData() == chair.id
    assert [sign.place_combo.itemText(i) for i in range(sign.place_combo.count())][1:] == [
        "Председательствующий — И.Б. Елецкая (стр. 1)", "Секретарь — А.В. Петрова (стр. 1)"]
    assert sign.sequence_label.isHidden()
    _sign(sign, qtbot, preview, "пароль-1", -1)
    first_id = preview.signed_report_id

    # the secretary's certificate carries another name: she chooses her place in the dialog
    stand_in = certificates.create_self_signed_certificate(ctx, full_name="Сидорова Ольга Ивановна", position="",
                                                           organisation="Минтруд", days=30, password="пароль-2",
                                                           target=tmp_path / "secretary.pfx")
    sign = preview.open_sign_dialog()
    sign.cert_combo.setCurrentIndex(sign.cert_combo.findData(stand_in.id))
    assert "уже подписан (подписей: 1)" in sign.sequence_label.text()
    labels = [sign.place_combo.itemText(i) for i in range(sign.place_combo.count())]
    assert labels[1:] == ["Секретарь — А.В. Петрова (стр. 1)"], "the chair's place is taken"
    sign.place_combo.setCurrentIndex(1)
    _sign(sign, qtbot, preview, "пароль-2", first_id)

    statuses = verify_pdf(preview.pdf, certificates.trusted_certificates(ctx))
    assert [s.signer for s in statuses] == ["Елецкая Ирина Борисовна", "Сидорова Ольга Ивановна"]
    assert all(s.ok for s in statuses), [s.verdict for s in statuses]
    reader = open_reader(preview.pdf)
    chair_place, secretary_place = recorded_boxes(reader)
    chair_stamp, secretary_stamp = existing_stamps(reader)
    assert abs(chair_stamp.y1 - chair_place.y1) < 1 and abs(secretary_stamp.y1 - secretary_place.y1) < 1
    assert registry.get_report(ctx, preview.signed_report_id).signed_by.count(",") == 1
