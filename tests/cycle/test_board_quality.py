"""Issue 16: data-quality warnings at entry and on the board, extensions of due dates, the board's exports,
and a database of the previous version opening with its data kept."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select, text

from socplan.db.database import open_database
from socplan.db.models.indicators import IndicatorValue
from socplan.domain.errors import SocPlanError, ValidationError
from socplan.domain.indicators import FormState, Period
from socplan.domain.roles import Role
from socplan.services.cycle import board, clock, completeness, due
from socplan.services.cycle.export import export_board_pdf, export_board_xlsx
from socplan.services.indicators import entry

from cycle_helpers import DISTRICT, FORM, add_monthly_form, register_roles, reporting

MARCH = Period(2026, "month", 3)


def test_a_value_far_from_other_districts_needs_a_comment(demo_db) -> None:  # noqa: ANN001
    """Twelve districts enter 100…111 for row 1: median 105,5, absolute deviations 0,5 0,5 1,5 1,5 … 5,5 5,5,
    MAD = (2,5 + 3,5) / 2 = 3. The officer types 1 000: z = 0,6745 × 894,5 / 3 = 603,34025 / 3 = 201,113… → 201,11."""
    add_monthly_form(demo_db)
    roles = register_roles(demo_db)
    admin, district = roles[Role.ADMINISTRATOR], roles[Role.DISTRICT]
    others = [t for t in reporting(demo_db) if t not in (DISTRICT, "город Омск")][:12]
    for n, t in enumerate(others):
        entry.save_sheet(admin, FORM, t, MARCH, [entry.CellChange(str(k), "", "fact", D(100 + n)) for k in (1, 2, 3)])
    saved = entry.save_sheet(district, FORM, DISTRICT, MARCH, [entry.CellChange("1", "", "fact", D(1000)),
                                                               entry.CellChange("2", "", "fact", D(104)),
                                                               entry.CellChange("3", "", "fact", D(106))])
    assert len(saved.quality) == 1 and saved.quality[0].startswith("Стр. 1: значение 1\u00a0000")  # at entry
    found = completeness.submission_blockers(district, FORM, DISTRICT, MARCH)
    assert [b.kind for b in found] == ["quality"]
    assert found[0].text == ("Стр. 1: значение 1\u00a0000 сильно отличается от других территорий за этот период "
                             "(медиана 105,5, устойчивая z-оценка 201,11) — проверьте значение и поясните его в "
                             "комментарии.")
    with pytest.raises(SocPlanError, match="Что мешает представлению:\n1. Стр. 1: значение 1\u00a0000"):
        entry.set_state(district, FORM, DISTRICT, MARCH, FormState.SUBMITTED)
    due.set_due_rule(admin, FORM, "месяц", "до 10-го числа месяца, следующего за отчётным периодом")
    cell = board.board(admin, MARCH, today=dt.date(2026, 4, 1)).cell(DISTRICT, FORM)
    assert cell.flags == 1 and cell.state.label == "черновик"
    entry.save_sheet(district, FORM, DISTRICT, MARCH, [entry.CellChange("1", "", "comment",
                                                                        text="Открыт новый центр: приём вырос")])
    assert entry.set_state(district, FORM, DISTRICT, MARCH, FormState.SUBMITTED) is FormState.SUBMITTED


def test_extension_asked_granted_moves_the_due_date(demo_db, monkeypatch) -> None:  # noqa: ANN001
    add_monthly_form(demo_db)
    roles = register_roles(demo_db)
    analyst, district = roles[Role.ANALYST], roles[Role.DISTRICT]
    due.set_due_rule(analyst, FORM, "месяц", "до 10-го числа месяца, следующего за отчётным периодом")
    assert due.due_date(analyst, FORM, DISTRICT, MARCH) == dt.date(2026, 4, 10)
    with pytest.raises(ValidationError, match="позже действующего 10.04.2026"):
        due.request_extension(district, FORM, DISTRICT, MARCH, dt.date(2026, 4, 9), "Болезнь")
    first = due.request_extension(district, FORM, DISTRICT, MARCH, dt.date(2026, 4, 17), "Болезнь специалиста")
    with pytest.raises(ValidationError, match="причину отказа"):
        due.decide_extension(analyst, first.id, grant=False)
    assert due.decide_extension(analyst, first.id, grant=False, note="Срок установлен соглашением").status_label \
        == "отказано"
    second = due.request_extension(district, FORM, DISTRICT, MARCH, dt.date(2026, 4, 20), "Отключение электроэнергии")
    assert due.decide_extension(analyst, second.id, grant=True).status_label == "разрешено"
    assert due.due_date(analyst, FORM, DISTRICT, MARCH) == dt.date(2026, 4, 20)
    entry.save_sheet(district, FORM, DISTRICT, MARCH, [entry.CellChange(str(k), "", "fact", D(5)) for k in (1, 2, 3)])
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 4, 15, 12, 0))
    entry.set_state(district, FORM, DISTRICT, MARCH, FormState.SUBMITTED)
    cell = board.board(analyst, MARCH, today=dt.date(2026, 4, 30)).cell(DISTRICT, FORM)
    assert (cell.due, cell.submitted, cell.on_time, cell.days_late) == (dt.date(2026, 4, 20), dt.date(2026, 4, 15),
                                                                        True, 0)
    with demo_db.session() as s:  # both decisions are in the audit log, with the analyst's name
        reasons = s.scalars(text("select reason from audit_log where entity = 'cycle_extension' and "
                                 "action = 'update' and user_name = :u"), {"u": analyst.user.name}).all()
    assert any("Срок сдачи не продлён: Срок установлен соглашением" in r for r in reasons)
    assert any(r == "Срок сдачи продлён" for r in reasons)


def test_board_of_the_demo_exports_to_xlsx_and_pdf(demo_ctx, tmp_path) -> None:  # noqa: ANN001
    """The demo's programme form (due «до 15-го числа месяца, следующего за отчётным периодом» → 15.01.2025 for
    2024): 25 accepted, 6 submitted, 2 drafts now overdue by 01.03.2025 − 15.01.2025 = 45 days."""
    from openpyxl import load_workbook

    b = board.board(demo_ctx, Period(2024), today=dt.date(2025, 3, 1))
    assert {s.value: n for s, n in b.counts().items()} == {"accepted": 25, "submitted": 6, "overdue": 2}
    assert b.percent_complete == D("93.9")
    wb = load_workbook(export_board_xlsx(b, tmp_path / "board.xlsx"))
    ws = wb["Сводка"]
    overdue = [row for row in ws.iter_rows(min_row=6) if row[1].value and row[1].value.startswith("просрочен")]
    assert len(overdue) == 2 and overdue[0][1].value == "просрочен, 45 дн."
    assert overdue[0][1].fill.fgColor.rgb == "00F5B7B1"
    pdf = export_board_pdf(b, tmp_path / "board.pdf", "Аналитикова А. С.")
    page = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Сведения о сдаче отчётности территориями за 2024 год" in page
    assert "Сдано: 31 (93,9 %); в срок: 25 (75,8 %)" in page.replace("\u00a0", " ")
    assert page.count("просрочен, 45 дн.") == 2


def test_database_of_the_previous_version_opens_and_keeps_its_data(demo_db_template, tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "old.sqlite"
    shutil.copyfile(demo_db_template, path)
    db = open_database(path)
    with db.engine.begin() as conn:  # as the previous version left it: no users and cycle tables, old heads
        for table in ("cycle_explanation", "cycle_reopen", "cycle_extension", "cycle_step", "cycle_due_rule",
                      "app_user"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        # users_0001 sits on indicators_0001, which another branch (server_*) already implies: dropping the
        # head is how a database of the previous version looks now
        conn.exec_driver_sql("DELETE FROM alembic_version WHERE version_num = 'users_0001'")
    with db.session() as s:
        values = s.scalar(select(func.count()).select_from(IndicatorValue))
    db.close()
    db = open_database(path)
    try:
        assert "users_0001" in db.revisions()
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(IndicatorValue)) == values
            assert s.execute(text("select count(*) from app_user")).scalar() == 0
    finally:
        db.close()


def test_a_violated_control_ratio_is_explained_then_the_form_goes(demo_db) -> None:  # noqa: ANN001
    from socplan.db.models.indicators import ControlRatioRule, IndicatorForm
    from socplan.domain.errors import ConflictError

    add_monthly_form(demo_db)
    with demo_db.session(user_name="тест") as s:
        form_id = s.scalar(select(IndicatorForm.id).where(IndicatorForm.code == FORM))
        s.add(ControlRatioRule(code="МОН.1", form_id=form_id, title="стр. 1 ≥ стр. 2", left="[1]", op=">=",
                               right="[2]", severity="ошибка"))
        s.commit()
    district = register_roles(demo_db)[Role.DISTRICT]
    entry.save_sheet(district, FORM, DISTRICT, MARCH, [entry.CellChange("1", "", "fact", D(5)),
                                                       entry.CellChange("2", "", "fact", D(10)),
                                                       entry.CellChange("3", "", "fact", D(1))])
    found = completeness.submission_blockers(district, FORM, DISTRICT, MARCH)
    assert [(b.kind, b.code) for b in found] == [("ratio", "МОН.1")]
    assert "socplan cycle explain --rule МОН.1" in found[0].text
    with pytest.raises(ValidationError, match="выполняется или не относится"):
        completeness.explain_ratio(district, FORM, DISTRICT, MARCH, "МОН.9", "нет такого")
    completeness.explain_ratio(district, FORM, DISTRICT, MARCH, "МОН.1", "Получатели стр. 2 учтены дважды — уточняется")
    assert completeness.submission_blockers(district, FORM, DISTRICT, MARCH) == []
    assert entry.set_state(district, FORM, DISTRICT, MARCH, FormState.SUBMITTED) is FormState.SUBMITTED
    with pytest.raises(ConflictError, match="«представлено»"):
        completeness.explain_ratio(district, FORM, DISTRICT, MARCH, "МОН.1", "")
