"""The «Субсидии» screen: what-if editing recalculates at once, undo, save, protocol, documents, printing."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from socplan.services.subsidies import rounds
from socplan.ui.env import UiEnv
from socplan.ui.subsidies.section import create_section
from socplan.ui.tasks import TaskRunner


def make_section(qtbot, ctx):  # noqa: ANN001, ANN201
    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(ctx, TaskRunner(window), window)
    section = create_section(env)
    window.setCentralWidget(section)
    window.show()
    return section


def _cell(view, municipality: str, key: str):  # noqa: ANN001, ANN202
    row = next(i for i, a in enumerate(view.model.apps) if a.municipality == municipality)
    col = next(i for i, c in enumerate(view.model.columns) if c.key == key) + 1
    return view.model.index(row, col)


def _amount(view, municipality: str):  # noqa: ANN001, ANN202
    return next(r.amount for r in view.results_model.rows if r.municipality == municipality)


def test_what_if_edit_updates_results_undo_and_save(qtbot, demo_ctx) -> None:  # noqa: ANN001
    section = make_section(qtbot, demo_ctx)
    view = section.view
    assert view.detail.row.procedure == "app12"
    before = _amount(view, "Тарский муниципальный район")
    assert before == D("140000.00")
    # Тарский district raises its local funds: the co-financing cap (70 %) allows more
    assert view.model.setData(_cell(view, "Тарский муниципальный район", "local_funds"), "120 000")
    assert _amount(view, "Тарский муниципальный район") > before
    assert "что если" in view.status.text()
    assert view.actions["save"].isEnabled()
    view.undo.undo()
    assert _amount(view, "Тарский муниципальный район") == before
    view.undo.redo()
    assert view.save()
    stored = rounds.get_round(demo_ctx, view.detail.row.id)
    tara = next(a for a in stored.applications if a.municipality == "Тарский муниципальный район")
    assert tara.data.local_funds == D("120000.00")
    assert not view.actions["save"].isEnabled()


def test_bad_cell_value_is_refused_with_russian_message(qtbot, demo_ctx) -> None:  # noqa: ANN001
    view = make_section(qtbot, demo_ctx).view
    assert not view.model.setData(_cell(view, "город Омск", "ngo_supported"), "2,5")
    assert "количество должно быть целым числом" in view.status.text()
    assert not view.model.setData(_cell(view, "город Омск", "local_funds"), "много")
    assert "не число" in view.status.text()
    # a negative amount is accepted by the grid but the calculation refuses to run and says why
    assert view.model.setData(_cell(view, "город Омск", "local_funds"), "-5")
    assert "сумма не может быть отрицательной" in view.status.text()
    assert view.calc is None and not view.print_button.isEnabled()


def test_missing_flag_is_tristate_and_scores_zero(qtbot, demo_ctx) -> None:  # noqa: ANN001
    view = make_section(qtbot, demo_ctx).view
    index = _cell(view, "город Омск", "commission_active")
    assert view.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    score = next(r.score for r in view.results_model.rows if r.municipality == "город Омск")
    view.model.setData(index, Qt.CheckState.PartiallyChecked, Qt.ItemDataRole.CheckStateRole)
    assert view.model.data(index) == "нет сведений"
    assert next(r.score for r in view.results_model.rows if r.municipality == "город Омск") == score - 10


def test_calculate_shows_protocol_and_print_opens_preview(qtbot, demo_ctx) -> None:  # noqa: ANN001
    view = make_section(qtbot, demo_ctx).view
    view.actions["calc"].trigger()
    assert view.tabs.currentWidget() is view.protocol
    text = view.protocol.toPlainText()
    assert "Рейтинговая оценка заявок (п. 11 Порядка)" in text and "Ход расчёта" in text
    view.print_report("protocol")
    qtbot.waitUntil(lambda: getattr(view, "last_preview", None) is not None, timeout=20000)
    assert view.last_preview.page_count() >= 5


def test_documents_checklist_edit_is_undoable(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    from socplan.ui.subsidies import round_view

    view = make_section(qtbot, demo_ctx).view
    view.grid.setCurrentIndex(_cell(view, "Омский муниципальный район", "local_funds"))

    class FakeDialog:
        def __init__(self, procedure, municipality, documents, parent) -> None:  # noqa: ANN001
            self.docs = {k: v for k, v in documents.items() if k != "2"}

        def exec(self) -> int:
            return 1

        def documents(self):  # noqa: ANN201
            return self.docs

    monkeypatch.setattr(round_view, "DocumentsDialog", FakeDialog)
    view.edit_documents()
    row = next(r for r in view.results_model.rows if r.municipality == "Омский муниципальный район")
    assert not row.passed and "п. 13 подп. 1" in row.reasons
    view.undo.undo()
    assert next(r for r in view.results_model.rows if r.municipality == "Омский муниципальный район").passed


def test_outcomes_dialog_saves_results_and_refuses_bad_ones(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    from socplan.ui.subsidies import outcomes

    view = make_section(qtbot, demo_ctx).view
    view.grid.setCurrentIndex(_cell(view, "Калачинский муниципальный район", "local_funds"))
    captured = {}

    def fake_exec(dialog) -> int:  # noqa: ANN001
        captured["dialog"] = dialog
        model = dialog.model
        assert len(model.lines) == 1  # the demo result: 3 NGOs planned, 3 supported
        actual = model.index(0, [c[0] for c in outcomes.COLUMNS].index("actual"))
        assert model.setData(actual, "0")
        planned = model.index(0, [c[0] for c in outcomes.COLUMNS].index("planned"))
        assert model.setData(planned, "0")
        dialog.accept()  # S = 0 is refused by the rules
        assert "должно быть больше нуля" in dialog.error.text()
        assert model.setData(planned, "3")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(outcomes.OutcomesDialog, "exec", fake_exec)
    view.edit_outcomes()
    claw = {c.municipality: c for c in view.calc.clawbacks}["Калачинский муниципальный район"]
    # nothing achieved: D = 1, K = 1, m/n = 1 → CB = 221 666 (whole rubles, §17) × 0,1
    assert claw.amount == D("22166.60")


def test_new_app12_application_offers_only_municipal_districts(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    """App. 12 §2: only municipal districts may apply, so «Новая заявка» offers no city and no settlement."""
    from socplan.services.reference import list_territories
    from socplan.ui.subsidies import section as section_module

    offered: list[str] = []

    class _Capture:
        def __init__(self, _title, fields, *_args) -> None:  # noqa: ANN001
            offered.extend(value for value, _label in fields[0].choices)

        def exec(self) -> int:
            return 0

    monkeypatch.setattr(section_module, "FormDialog", _Capture)
    # the demo round has the city's application: remove it, so the city would be free to choose again
    app12 = next(r for r in rounds.list_rounds(demo_ctx) if r.procedure == "app12")
    city = next(a for a in rounds.get_round(demo_ctx, app12.id).applications if a.municipality == "город Омск")
    rounds.delete_application(demo_ctx, city.id)
    section = make_section(qtbot, demo_ctx)
    assert section.view.detail.row.procedure == "app12"
    section.add_application()
    kinds = {t.name: t.kind for t in list_territories(demo_ctx)}
    assert offered and {kinds[name] for name in offered} == {"district"}
    assert "город Омск" not in offered
