"""«Обмен» as a user sees it (offscreen): preview with per-record accept, the journal, export dialog."""

from __future__ import annotations

import datetime as dt

from exchange_helpers import DISTRICT, MINISTRY, add_form
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from socplan.domain.exchange import Change
from socplan.services.exchange.export import ExportRequest, export_package
from socplan.services.exchange.importer import preview_import
from socplan.ui.env import UiEnv
from socplan.ui.exchange.import_dialog import ImportPreviewDialog
from socplan.ui.exchange.section import create_section
from socplan.ui.tasks import TaskRunner


def test_preview_accept_per_record_then_journal(qtbot, offices, tmp_path):  # noqa: ANN001
    district, ministry = offices["district"], offices["ministry"]
    add_form(district.ctx)
    add_form(ministry.ctx, fact=False)
    path = export_package(district.ctx, ExportRequest(MINISTRY, dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
                          tmp_path, district.signer).path
    window = QWidget()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    section = create_section(UiEnv(ministry.ctx, runner, window))
    qtbot.addWidget(section)
    section.resize(1200, 600)
    section.show()
    assert "Минтруд (Омская область)" in section.identity_label.text()
    assert section.journal.model.rowCount() == 0

    preview = preview_import(ministry.ctx, path)
    dialog = section.show_preview(preview)
    qtbot.addWidget(dialog)
    model = dialog.model
    new_rows = [r for r in range(model.rowCount()) if model.items[r].change is Change.NEW]
    assert len(new_rows) == 6 and len(dialog.selected_indexes()) == 6
    assert "Отмечено к приёму: 6" in dialog.count.text()
    # the user unticks all but the first new record (Space on a row toggles it too)
    for r in new_rows[1:]:
        model.setData(model.index(r, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert dialog.selected_indexes() == [model.items[new_rows[0]].index]
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData(Change.NEW.value))
    assert dialog.proxy.rowCount() == 6
    dialog.table.setCurrentIndex(dialog.proxy.index(0, 3))
    assert "Значение" in dialog.detail.toPlainText() and "90,1" in dialog.detail.toPlainText()
    dialog.grab().save(str(tmp_path / "preview.png"))
    dialog.accept_button.click()
    assert runner.wait(30000)
    qtbot.waitUntil(lambda: section.journal.model.rowCount() == 1, timeout=10000)
    row = section.journal.model.row_at(0)
    assert row.result_label == "принят частично" and row.applied == 1
    assert "Принято записей: 1" in row.result_text


def test_export_dialog_builds_the_request(qtbot, offices):  # noqa: ANN001
    from socplan.services.exchange.setup import get_identity
    from socplan.ui.exchange.dialogs import ExportDialog

    ctx = offices["district"].ctx
    dialog = ExportDialog(ctx, get_identity(ctx))
    qtbot.addWidget(dialog)
    assert dialog.recipient.currentText() == MINISTRY
    assert DISTRICT not in [dialog.recipient.itemText(i) for i in range(dialog.recipient.count())]
    dialog.forms.setText("ОБМ-1, ОБМ-2")
    dialog.kinds["control_point"].setChecked(False)
    request = dialog.request()
    assert request.forms == ("ОБМ-1", "ОБМ-2") and "control_point" not in request.kinds
    assert "indicator_value" in request.kinds
    dialog._ok()  # no key chosen: the dialog stays open and says why
    assert "ключа подписи" in dialog.error.text() and not dialog.result()


def test_ministry_returns_a_form_with_remarks(qtbot, offices, tmp_path):  # noqa: ANN001
    from sqlalchemy import select

    from socplan.db.models.indicators import FormSubmission, IndicatorForm
    from socplan.db.models.reference import Territory
    from socplan.services.exchange.remarks import list_remarks

    ministry = offices["ministry"].ctx
    add_form(ministry)
    with ministry.uow() as s:
        form = s.scalar(select(IndicatorForm).where(IndicatorForm.code == "ОБМ-1"))
        t = s.scalar(select(Territory).where(Territory.name == DISTRICT))
        s.add(FormSubmission(form_id=form.id, territory_id=t.id, year=2025, period_kind="month", period_no=2,
                             state="submitted"))
        s.commit()
    window = QWidget()
    qtbot.addWidget(window)
    section = create_section(UiEnv(ministry, TaskRunner(window), window))
    qtbot.addWidget(section)
    assert section.return_button.isVisibleTo(section)
    dialog = section.return_form()
    qtbot.addWidget(dialog)
    dialog.territory.setCurrentIndex(dialog.territory.findData(DISTRICT))
    dialog.form_period.setCurrentIndex(dialog.form_period.findData("ОБМ-1\t2025\tmonth\t2"))
    assert dialog.model.rowCount() == 4  # 2 indicators × plan/fact for February
    fact = next(r for r in range(4) if dialog.model.rows[r].kind == "факт")
    dialog.model.setData(dialog.model.index(fact, 5), "Проверьте: ниже плана на 10 %")
    dialog.model.setData(dialog.model.index(fact, 5), "опечатка")
    dialog.undo.undo()  # Ctrl+Z brings the first wording back
    assert dialog.model.written() == {dialog.model.rows[fact].id: "Проверьте: ниже плана на 10 %"}
    dialog.grab().save(str(tmp_path / "return.png"))
    dialog.return_form()
    assert dialog.result() == dialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: section.remarks.model.rowCount() == 1, timeout=5000)
    assert list_remarks(ministry)[0].text == "Проверьте: ниже плана на 10 %"
    assert "возвращена на доработку" in section.status.text()


def test_a_received_report_opens_in_the_preview(qtbot, offices, tmp_path):  # noqa: ANN001
    from socplan.reports.document import DocumentBuilder, DocumentSpec
    from socplan.services.exchange.importer import apply_import

    district, ministry = offices["district"], offices["ministry"]
    add_form(district.ctx)
    builder = DocumentBuilder(DocumentSpec(title="Отчёт района", author="Районов И.П."))
    builder.paragraph("Отчёт о значениях показателей.")
    pdf = tmp_path / "Отчёт района.pdf"
    pdf.write_bytes(builder.build_bytes())
    path = export_package(district.ctx, ExportRequest(MINISTRY, dt.date(2025, 1, 1), dt.date(2025, 12, 31),
                                                      report_files=(pdf,)), tmp_path, district.signer).path
    apply_import(ministry.ctx, preview_import(ministry.ctx, path))
    window = QWidget()
    qtbot.addWidget(window)
    section = create_section(UiEnv(ministry.ctx, TaskRunner(window), window))
    qtbot.addWidget(section)
    section.journal.select_where(lambda r: r.documents)
    assert section.document_button.isEnabled()
    preview = section.open_document()
    qtbot.addWidget(preview)
    assert preview.pdf == pdf.read_bytes() and "Отчёт района.pdf" in preview.windowTitle()
