"""Issue 8: the Ministry returns a district's form «на доработку» with a remark on a value; the package reaches
the district, and the district's entry grid shows the remark on that very cell (marker, tooltip, panel)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from socplan.domain.indicators import FormState, Period
from socplan.services.exchange import remarks, setup
from socplan.services.exchange.export import ExportRequest, export_package
from socplan.services.exchange.importer import apply_import, preview_import
from socplan.services.indicators import entry
from socplan.ui.env import UiEnv
from socplan.ui.indicators.grid_model import COL_FACT, COL_PLAN, REMARK, REMARK_ROLE
from socplan.ui.indicators.section import create_section
from socplan.ui.tasks import TaskRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exchange"))  # the exchange tests' office helpers

from exchange_helpers import DISTRICT, FORM, MINISTRY, add_form, cert_der, open_office  # noqa: E402

MARCH = Period(2025, "month", 3)
REMARK_TEXT = "Значение ниже прошлого года — приложите пояснение"


def _signer(name: str):  # noqa: ANN202
    from socplan.signing.certificates import create_self_signed, load_pkcs12

    return load_pkcs12(create_self_signed(name, "главный специалист", "СоцПлан тест"), "")


def _send(ctx, signer, to: str, folder: Path) -> Path:  # noqa: ANN001
    folder.mkdir(exist_ok=True)
    return export_package(ctx, ExportRequest(to, dt.date(2025, 1, 1), dt.date(2025, 12, 31)), folder, signer).path


def _row(model, code: str, component: str = "") -> int:  # noqa: ANN001
    return next(i for i, r in enumerate(model.rows) if r.indicator.code == code and r.component == component)


def test_remark_of_the_ministry_is_shown_on_the_district_cell(qtbot, demo_db_template, tmp_path):  # noqa: ANN001
    district = open_office(demo_db_template, tmp_path / "district.sqlite")
    ministry = open_office(demo_db_template, tmp_path / "ministry.sqlite")
    try:
        d_key, m_key = _signer("Районов Иван Петрович"), _signer("Министерская Анна Сергеевна")
        setup.set_identity(district, "district", DISTRICT)
        setup.set_identity(ministry, "ministry", MINISTRY, "Минтруд")
        setup.trust_certificate(ministry, DISTRICT, cert_der(d_key))
        setup.trust_certificate(district, MINISTRY, cert_der(m_key))
        add_form(district)
        add_form(ministry, fact=False)
        # the district explains its deviations and submits March, then sends it to the Ministry
        entry.save_sheet(district, FORM, DISTRICT, MARCH, [entry.CellChange(code, "", "comment", text="Сезонность")
                                                           for code in ("1", "2")])
        assert entry.set_state(district, FORM, DISTRICT, MARCH, FormState.SUBMITTED) is FormState.SUBMITTED
        apply_import(ministry, preview_import(ministry, _send(district, d_key, MINISTRY, tmp_path / "up")))
        # the Ministry returns the form «на доработку» with a remark on indicator 2's fact
        review = remarks.values_for_review(ministry, FORM, DISTRICT, 2025, "month", 3)
        target = next(v for v in review if v.indicator.startswith("2 ") and v.kind == "факт")
        assert remarks.return_for_revision(ministry, FORM, DISTRICT, 2025, "month", 3, {target.id: REMARK_TEXT}) == 1
        preview = preview_import(district, _send(ministry, m_key, DISTRICT, tmp_path / "down"))
        assert preview.remarks == 1
        apply_import(district, preview)

        sheet = entry.load_sheet(district, FORM, DISTRICT, MARCH)
        assert sheet.state is FormState.RETURNED and sheet.remark_count == 1

        window = QMainWindow()
        qtbot.addWidget(window)
        section = create_section(UiEnv(district, TaskRunner(window), window))
        window.setCentralWidget(section)
        window.resize(1400, 700)
        window.show()
        view = section.entry
        view.select(FORM, DISTRICT, MARCH)
        model = view.model
        assert view.remarks_label.isVisible()
        assert view.remarks_label.text().startswith("Форма возвращена на доработку: 1 замечание.")

        cell = model.index(_row(model, "2"), COL_FACT)
        tooltip = cell.data(Qt.ItemDataRole.ToolTipRole)
        assert REMARK_TEXT in tooltip and "Тестов Тест Тестович" in tooltip
        assert cell.data(Qt.ItemDataRole.BackgroundRole) == REMARK
        assert [m.text for m in cell.data(REMARK_ROLE)] == [REMARK_TEXT]
        # only that cell: not the plan of the same row, not the fact of indicator 1
        for other in (model.index(_row(model, "2"), COL_PLAN), model.index(_row(model, "1"), COL_FACT)):
            assert not other.data(REMARK_ROLE)
            assert other.data(Qt.ItemDataRole.BackgroundRole) != REMARK
            assert REMARK_TEXT not in (other.data(Qt.ItemDataRole.ToolTipRole) or "")

        assert "Выберите ячейку" in view.remark_panel.text()
        view.table.setCurrentIndex(cell)
        assert view.remark_panel.isVisible()
        assert REMARK_TEXT in view.remark_panel.text() and "стр. 2, Факт" in view.remark_panel.text()
        view.table.setCurrentIndex(model.index(_row(model, "1"), COL_FACT))
        assert REMARK_TEXT not in view.remark_panel.text()
        view.table.setCurrentIndex(cell)
        qtbot.wait(50)  # let the layout give the panel its height before the screenshot
        window.grab().save(str(tmp_path / "remarks.png"))
    finally:
        district.db.close()
        ministry.db.close()
