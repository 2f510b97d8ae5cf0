"""The preview (zoom, pages, save, print, sign), the «Отчёты» journal section, certificates and verification."""

from __future__ import annotations

from pathlib import Path

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


def _pdf(rows: int = 90) -> bytes:
    from socplan.reports.document import DocumentBuilder, DocumentSpec

    doc = DocumentBuilder(DocumentSpec("Отчёт об исполнении плана"))
    doc.table([["№", "Мероприятие"]], [[str(i), f"Пункт {i}"] for i in range(rows)], [15, 150], number_row=True)
    doc.signature("Главный специалист", "М.П. Иванова")
    return doc.build_bytes()


def test_preview_navigates_zooms_saves_and_prints(env, qtbot, tmp_path) -> None:
    from PySide6.QtGui import QPdfWriter

    from socplan.ui.reports.preview import show_report_preview

    saved: list[Path] = []
    dialog = show_report_preview(env, _pdf(), "Отчёт об исполнении плана", "отчёт.pdf", on_saved=saved.append)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.page_count() >= 3 and dialog.pages_label.text().strip() == f"из {dialog.page_count()}"
    dialog.go_to_page(3)
    assert dialog.current_page() == 3 and dialog.page_spin.value() == 3
    dialog.action_next.trigger()
    assert dialog.current_page() == 4 or dialog.page_count() == 3
    dialog.go_to_page(99)
    assert dialog.current_page() == dialog.page_count() and not dialog.action_next.isEnabled()
    dialog.zoom_in()
    assert dialog.zoom_label.text().strip().endswith("%")
    before = dialog.zoom_factor()
    dialog.zoom_in()
    assert dialog.zoom_factor() > before
    dialog.zoom_out()
    dialog.zoom_out()
    assert dialog.zoom_factor() < before + 0.01
    dialog.fit_width()
    assert dialog.zoom_label.text().strip() == "по ширине"
    path = dialog.save_to(tmp_path / "копия")
    assert path.name == "копия.pdf" and path.read_bytes() == dialog.pdf and saved == [path]
    writer = QPdfWriter(str(tmp_path / "printed.pdf"))
    writer.setResolution(60)  # the preview renders at the printer resolution (capped at 300 dpi)
    assert dialog.print_to(writer) == dialog.page_count()
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_sign_from_the_preview_records_the_signed_copy(env, ctx, qtbot, tmp_path) -> None:
    from socplan.signing.pades import verify_pdf
    from socplan.ui.reports.preview import show_report_preview

    pfx = tmp_path / "me.pfx"
    own = certificates.create_self_signed_certificate(ctx, full_name="Иванова Мария Петровна", position="специалист",
                                                      organisation="Минтруд", days=30, password="пароль-1",
                                                      target=pfx)
    data = _pdf(10)
    original = registry.save_report(ctx, kind="plan", title="Отчёт об исполнении плана", params={}, data=data)
    preview = show_report_preview(env, data, original.title, "отчёт.pdf")
    qtbot.addWidget(preview)
    sign = preview.open_sign_dialog()
    assert sign.cert_combo.currentData() == own.id and sign.path_edit.text() == own.pkcs12_path
    assert "не квалифицированный" in sign.info_label.text()
    sign.password_edit.setText("неверный")
    sign.accept()
    qtbot.waitUntil(lambda: not sign.busy, timeout=20000)
    assert sign.isVisible() and "Неверный пароль" in sign.error_label.text()
    sign.password_edit.setText("пароль-1")
    sign.accept()
    qtbot.waitUntil(lambda: preview.signed_report_id is not None, timeout=20000)
    assert not sign.isVisible()
    assert "подписан" in preview.status_label.text() and preview.suggested_name == "отчёт (подписан).pdf"
    signed_row = registry.get_report(ctx, preview.signed_report_id)
    assert signed_row.source_id == original.id and signed_row.signed_by
    (status,) = verify_pdf(preview.pdf, certificates.trusted_certificates(ctx))
    assert status.ok


def test_journal_section_lists_opens_and_verifies(env, ctx, qtbot) -> None:
    from socplan.ui.reports.section import create_section

    registry.save_report(ctx, kind="protocol", title="Протокол заседания № 3", params={"meeting": 3}, data=_pdf(5))
    section = create_section(env)
    qtbot.addWidget(section)
    section.show()
    rows = section.list.visible_rows()
    assert [r.title for r in rows] == ["Протокол заседания № 3"]
    assert section.list.model.index(0, 2).data() == "Протокол"
    section.list.select_where(lambda r: True)
    assert "SHA-256" in section.list.detail_view.toPlainText()
    preview = section.open_selected()
    qtbot.addWidget(preview)
    assert preview.title == "Протокол заседания № 3" and preview.page_count() >= 1
    verify = section.verify_selected()
    qtbot.addWidget(verify)
    qtbot.waitUntil(lambda: verify.report is not None, timeout=20000)
    assert "Файл не подписан" in verify.browser.toPlainText()
    section.list.search.setText("нет такого")
    assert section.list.visible_rows() == []


def test_certificates_dialog_imports_and_trusts(env, ctx, qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from socplan.signing.certificates import certificate_der, create_self_signed, load_pkcs12
    from socplan.ui.reports.certificates import CertificatesDialog

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    p12 = create_self_signed("Петров Пётр Петрович", "министр", "Минтруд", 30, password="пароль-2")
    pfx = tmp_path / "petrov.pfx"
    pfx.write_bytes(p12)
    dialog = CertificatesDialog(env)
    qtbot.addWidget(dialog)
    assert dialog.import_pfx(pfx, "ошибка") is None and "Неверный пароль" in warnings[-1]
    row = dialog.import_pfx(pfx, "пароль-2")
    assert [r.owner for r in dialog.own_view.visible_rows()] == ["Петров Пётр Петрович"]
    assert "не квалифицированный" in dialog.own_view.detail_view.toPlainText()
    dialog.own_view.select_where(lambda r: r.id == row.id)
    dialog.trust_selected()
    assert [r.owner for r in dialog.trusted_view.visible_rows()] == ["Петров Пётр Петрович"]
    expired = load_pkcs12(create_self_signed("Старый С С", "", "", 1, not_before=__import__("datetime").datetime(2020, 1, 1)), "")
    cer = tmp_path / "old.cer"
    cer.write_bytes(certificate_der(expired.certificate))
    dialog.add_trusted(cer)
    assert "истёк" in warnings[-1]
    dialog.trusted_view.select_where(lambda r: r.owner == "Старый С С")
    dialog.remove_selected(dialog.trusted_view, confirm=False)
    assert [r.owner for r in dialog.trusted_view.visible_rows()] == ["Петров Пётр Петрович"]
    not_cert = tmp_path / "note.cer"
    not_cert.write_text("не сертификат")
    assert dialog.add_trusted(not_cert) is None and "не является сертификатом" in warnings[-1]


def test_signed_file_shows_its_stamp_in_the_preview(env, qtbot) -> None:
    from PySide6.QtCore import QSize

    from socplan.signing.certificates import create_self_signed, load_pkcs12
    from socplan.signing.pades import existing_stamps, open_reader, sign_pdf
    from socplan.ui.reports.preview import show_report_preview

    signer = load_pkcs12(create_self_signed("Иванова Мария Петровна", "", "", 30), "")
    signed = sign_pdf(_pdf(10), signer)
    (stamp,) = existing_stamps(open_reader(signed))
    preview = show_report_preview(env, signed, "Подписанный отчёт", "отчёт.pdf")
    qtbot.addWidget(preview)
    assert preview.pdf == signed  # Save writes the signed file itself, not the display copy
    size = preview.document.pagePointSize(stamp.page - 1)
    image = preview.document.render(stamp.page - 1, QSize(int(size.width()), int(size.height())))
    h = image.height()
    dark = sum(1 for y in range(int(h - stamp.y2) + 2, int(h - stamp.y1) - 2)
               for x in range(int(stamp.x1) + 2, int(stamp.x2) - 2) if image.pixelColor(x, y).lightness() < 128)
    assert dark > 50, "the stamp text and frame are drawn on the previewed page"


def test_timestamp_server_is_configured_in_the_certificates_dialog(env, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from socplan.services.reports.signatures import timestamp_url
    from socplan.ui.reports.certificates import CertificatesDialog

    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text))
    dialog = CertificatesDialog(env)
    qtbot.addWidget(dialog)
    assert timestamp_url() == ""
    dialog.save_timestamp_url("ftp://tsa")
    assert timestamp_url() == "" and "http://" in warnings[-1]
    dialog.save_timestamp_url(" http://tsa.example.ru/tsp ")
    assert timestamp_url() == "http://tsa.example.ru/tsp"


def _warnings(monkeypatch) -> list[str]:  # noqa: ANN001
    shown: list[str] = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda _parent, _title, text, *a, **k: shown.append(text))
    return shown


def test_saving_the_preview_into_a_folder_it_cannot_write_says_so_and_leaves_no_file(env, qtbot, tmp_path,
                                                                                    monkeypatch) -> None:
    """«Сохранить» into a path whose «folder» is a file, then onto a disk that fills up in the middle of the file
    (a file size limit of 4 KB, the PDF is larger): a Russian message each time and nothing in the folder — no
    half PDF, no «.tmp» — while the preview stays open."""
    import resource
    import signal

    from socplan.ui.reports.preview import show_report_preview

    shown = _warnings(monkeypatch)
    saved: list[Path] = []
    dialog = show_report_preview(env, _pdf(), "Отчёт", "отчёт.pdf", on_saved=saved.append)
    qtbot.addWidget(dialog)
    (tmp_path / "не папка").write_text("файл")
    assert dialog.save_to(tmp_path / "не папка" / "отчёт.pdf") is None
    assert shown and "Не удалось сохранить файл" in shown[-1] and "в пути есть файл вместо папки" in shown[-1]

    folder = tmp_path / "диск"
    folder.mkdir()
    assert len(dialog.pdf) > 4096
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        result = dialog.save_to(folder / "отчёт.pdf")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert result is None and saved == []
    assert "Не удалось сохранить файл" in shown[-1] and "Файл не создан" in shown[-1]
    assert list(folder.iterdir()) == []
    assert dialog.isVisible() and dialog.saved_path is None
