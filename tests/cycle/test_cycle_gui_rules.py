"""Issue 16 in the window (second part): the Ministry edits a form's due rule with a preview of the next due dates;
a district officer explains a violated control ratio from the entry view's «Что мешает представлению» list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

from PySide6.QtWidgets import QMainWindow
from sqlalchemy import select

from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Role
from socplan.services.cycle import clock, due
from socplan.services.indicators import entry
from socplan.ui.cycle.section import CycleSection
from socplan.ui.env import UiEnv
from socplan.ui.tasks import TaskRunner

from cycle_helpers import DISTRICT, FORM, add_monthly_form, register_roles

MONTHLY = "до 10-го числа месяца, следующего за отчётным периодом"
SHOTS = Path("/tmp/i16b")


def _window(qtbot, make):  # noqa: ANN001, ANN202
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = make(window)
    window.setCentralWidget(widget)
    window.resize(1300, 760)
    window.show()
    return widget


def test_ministry_sets_a_due_rule_with_a_preview_of_the_next_dates(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    """On 20.04.2026 the monthly rule «до 10-го числа …» gives: March 2026 → 10.04 (already past, not shown);
    April → 10.05.2026 is a Sunday and 11.05 a day off (9 May fell on a Saturday) → Tuesday 12.05.2026;
    May → 10.06.2026 (Wednesday); June → 10.07.2026 (Friday); July → 10.08.2026 (Monday)."""
    add_monthly_form(demo_db)
    contexts = register_roles(demo_db)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 4, 20, 6, 0))
    analyst = contexts[Role.ANALYST]
    section = _window(qtbot, lambda w: CycleSection(UiEnv(analyst, TaskRunner(w), w)))
    view = section.due_rules
    assert view is not None and section.tabs.tabText(section.tabs.indexOf(view)) == "Сроки сдачи"
    section.tabs.setCurrentWidget(view)
    row = next(i for i, r in enumerate(view.model.rows) if r.form == FORM)
    assert view.model.index(row, 3).data() == "не установлен"
    view.select_row(row)
    view.kind_combo.setCurrentIndex(view.kind_combo.findData("month"))
    view.rule_edit.setText("когда-нибудь")
    assert "Непонятный срок сдачи «когда-нибудь»" in view.preview.text()
    assert not view.save_button.isEnabled()
    view.rule_edit.setText("до 10 числа месяца, следующего за отчётным периодом")
    lines = view.preview.text().splitlines()
    assert lines[0] == f"Будет записано: «{MONTHLY}»."
    assert lines[1:5] == ["апрель 2026 г. — до 12.05.2026 (вт)", "май 2026 г. — до 10.06.2026 (ср)",
                          "июнь 2026 г. — до 10.07.2026 (пт)", "июль 2026 г. — до 10.08.2026 (пн)"]
    assert view.save_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(50)  # the preview's new lines laid out before the picture
    section.window().grab().save(str(SHOTS / "due_rules.png"))
    view.save_button.click()
    assert view.message.text() == f"Срок сдачи формы «{FORM}» (месяц): {MONTHLY}."
    assert view.model.index(row, 3).data() == MONTHLY and view.model.index(row, 2).data() == "месяц"
    assert [(r.form, r.text) for r in due.list_due_rules(analyst) if r.form == FORM] == [(FORM, MONTHLY)]
    assert due.due_date(analyst, FORM, DISTRICT, Period(2026, "month", 4)) == dt.date(2026, 5, 12)


def test_due_rules_screen_is_the_ministrys(qtbot, demo_db) -> None:  # noqa: ANN001
    contexts = register_roles(demo_db)
    for role in (Role.DISTRICT, Role.SECRETARY):
        section = _window(qtbot, lambda w, r=role: CycleSection(UiEnv(contexts[r], TaskRunner(w), w)))
        assert section.due_rules is None
        assert "Сроки сдачи" not in [section.tabs.tabText(i) for i in range(section.tabs.count())]


def test_district_explains_a_violated_ratio_from_the_blockers_list(qtbot, demo_db) -> None:  # noqa: ANN001
    from socplan.db.models.indicators import ControlRatioRule, IndicatorForm
    from socplan.ui.indicators.section import create_section

    add_monthly_form(demo_db)
    with demo_db.session(user_name="тест") as s:
        form_id = s.scalar(select(IndicatorForm.id).where(IndicatorForm.code == FORM))
        s.add(ControlRatioRule(code="МОН.1", form_id=form_id, title="стр. 1 ≥ стр. 2", left="[1]", op=">=",
                               right="[2]", severity="ошибка"))
        s.commit()
    district = register_roles(demo_db)[Role.DISTRICT]
    march = Period(2026, "month", 3)
    entry.save_sheet(district, FORM, DISTRICT, march, [entry.CellChange("1", "", "fact", D(5)),
                                                       entry.CellChange("2", "", "fact", D(10)),
                                                       entry.CellChange("3", "", "fact", D(1))])
    section = _window(qtbot, lambda w: create_section(UiEnv(district, TaskRunner(w), w)))
    view = section.entry
    view.select(FORM, DISTRICT, march)
    panel = view.blockers
    assert panel.isHidden()
    view.change_state(FormState.SUBMITTED)
    assert entry.load_sheet(district, FORM, DISTRICT, march).state is FormState.DRAFT  # refused, nothing changed
    assert panel.isVisible()
    assert view.message.toPlainText().startswith("Форму нельзя представить. Что мешает представлению:\n1. ")
    assert panel.title.text().endswith(f"форма {FORM}, март 2026 г.")
    first = panel.list.item(0).text()
    assert first.startswith("1. Контрольное соотношение: [ошибка] стр. 1 ≥ стр. 2: 5 ≥ 10 — не выполняется")
    assert first.endswith("исправьте значения или дайте пояснение") and "socplan" not in first
    assert panel.explain_edit.isEnabled() and panel.hint.text() == "Пояснение к контрольному соотношению МОН.1:"
    panel.explain_button.click()  # empty: nothing saved
    assert panel.status.text() == "Напишите пояснение: почему соотношение не выполняется."
    panel.explain_edit.setPlainText("Получатели стр. 2 учтены дважды — уточняется")
    SHOTS.mkdir(exist_ok=True)
    qtbot.wait(50)
    view.window().grab().save(str(SHOTS / "blockers.png"))
    panel.explain_button.click()
    assert panel.status.text() == "Пояснение к соотношению МОН.1 сохранено."
    assert panel.list.item(0).text() == "Ничего не мешает: форму можно представить."
    assert view.message.toPlainText() == "Пояснение сохранено; список «Что мешает представлению» обновлён."
    assert not panel.explain_edit.isEnabled()
    view.window().grab().save(str(SHOTS / "blockers_done.png"))
    view.change_state(FormState.SUBMITTED)
    assert entry.load_sheet(district, FORM, DISTRICT, march).state is FormState.SUBMITTED
    assert panel.isHidden()
