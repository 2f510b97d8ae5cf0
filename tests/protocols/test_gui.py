"""GUI: a secretary records a meeting of the working group end to end, prints it, controls execution."""

from __future__ import annotations

import pytest

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMainWindow

from socplan.domain import protocols as rules
from socplan.services.protocols import control
from socplan.ui.env import UiEnv
from socplan.ui.tasks import TaskRunner


def _section(qtbot, ctx):  # noqa: ANN001, ANN202
    from socplan.ui.protocols.section import create_section

    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(ctx, TaskRunner(window), window)
    section = create_section(env)
    window.setCentralWidget(section)
    window.show()
    return window, env, section


def test_record_a_meeting_end_to_end(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    window, env, section = _section(qtbot, demo_ctx)
    tab = section.meetings
    tab.body_combo.setCurrentIndex(tab.body_combo.findText("рабочая группа", Qt.MatchFlag.MatchStartsWith))
    before = tab.meetings.model.rowCount()  # the demonstration meeting of the demo data

    dialog = tab.add_meeting()
    dialog.date.setDate(QDate(2023, 6, 15))
    dialog.number.setText("1")
    dialog.time.setText("10:00")
    members = dialog.attendance.members()
    assert len(members) == 12
    for m in members[:5]:
        dialog.attendance.set_present(m.person_id, True)
    assert dialog.quorum_label.text().startswith("Кворума нет: присутствуют 5 из 12")
    dialog.attendance.set_present(members[5].person_id, True)
    assert dialog.quorum_label.text().startswith("Кворум есть: присутствуют 6 из 12")
    dialog.invited.setPlainText("Петров П.П. – эксперт")
    assert dialog.presiding.currentText().startswith("Елецкая Инна Борисовна")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert tab.meetings.model.rowCount() == before + 1
    assert "Кворум есть" in tab.quorum.text()

    question = tab.add_question()
    question.editors["title"].setPlainText("О плане апробации механизмов")
    question.editors["speakers"].setText("Бикмаев И.А.")
    question.editors["heard"].setPlainText("Бикмаев И.А. – о ходе апробации")
    question.accept()
    assert tab.agenda.model.rowCount() == 1

    decision = tab.add_decision()
    decision.text.setPlainText("Подготовить предложения по показателям")
    decision.responsibles.setText("Администрация города Омска")
    decision.deadline.setText("в течение 10 рабочих дней со дня проведения заседания")
    assert "контроль: 29.06.2023" in decision.deadline_hint.text()
    decision.voted.setChecked(True)
    decision.votes[0].setValue(4)
    decision.votes[1].setValue(2)
    assert decision.outcome.text().startswith("Принято")
    decision.votes[0].setValue(9)
    assert "Проголосовало 11, а присутствуют только 6" in decision.outcome.text()
    decision.accept()
    assert decision.error.isVisible()  # refused, nothing saved
    decision.votes[0].setValue(3)
    decision.votes[1].setValue(3)
    decision.presiding_vote.setCurrentIndex(decision.presiding_vote.findData(rules.VOTE_FOR))
    assert "решающий голос председателя — «за»" in decision.outcome.text()
    decision.accept()
    assert decision.result_row is not None and decision.result_row.control_status == rules.STATUS_ON_CONTROL
    assert tab.decisions.model.rowCount() == 1

    tab.print_pdf()
    qtbot.waitUntil(lambda: getattr(tab, "last_preview", None) is not None, timeout=15000)
    assert tab.last_preview.pdf.startswith(b"%PDF")
    tab.last_preview.close()

    # control of execution: the new assignment, a status change and its undo
    section.tabs.setCurrentWidget(section.control)
    ctl = section.control
    assert any(r.id == decision.result_row.id for r in ctl.list.model.rows)
    ctl.list.select_where(lambda r: r.id == decision.result_row.id)
    edit = ctl.edit_status()
    edit.editors["status"].setCurrentIndex(edit.editors["status"].findData(rules.STATUS_DONE))
    edit.editors["execution_info"].setPlainText("Предложения направлены")
    edit.editors["execution_date"].setText("28.06.2023")
    edit.accept()
    assert control.get_decision(demo_ctx, decision.result_row.id).control_status == rules.STATUS_DONE
    ctl.undo_stack.undo()
    assert control.get_decision(demo_ctx, decision.result_row.id).control_status == rules.STATUS_ON_CONTROL
    ctl.undo_stack.redo()
    assert control.get_decision(demo_ctx, decision.result_row.id).execution_info == "Предложения направлены"


def test_startup_reminders(qtbot, demo_ctx) -> None:  # noqa: ANN001
    from socplan.services.protocols import bodies, meetings
    from socplan.ui.protocols.reminders import show_startup_reminders

    window, env, section = _section(qtbot, demo_ctx)
    window.ctx = demo_ctx
    assert show_startup_reminders(window, dt.date(2022, 4, 1)) is None  # everything of seed 000 is done
    body = bodies.find_body(demo_ctx, "Координационный совет")
    m = meetings.save_meeting(demo_ctx, meetings.MeetingInput(body.id, dt.date(2024, 3, 1)))
    item = meetings.save_agenda_item(demo_ctx, m.id, meetings.AgendaInput(1, "Вопрос"))
    meetings.save_decision(demo_ctx, item.id, meetings.DecisionInput(
        1, "В срок до 1 апреля 2024 года направить информацию",
        responsibles=meetings.parse_responsibles(demo_ctx, "Минтруд")))
    box = show_startup_reminders(window, dt.date(2024, 4, 5))
    assert box is not None and "Просрочено поручений: 1" in box.informativeText()
    box.close()


def test_decision_edits_can_be_undone(qtbot, demo_ctx) -> None:  # noqa: ANN001
    from socplan.services.protocols import bodies, meetings

    window, env, section = _section(qtbot, demo_ctx)
    tab = section.meetings
    tab.body_combo.setCurrentIndex(tab.body_combo.findText("Координационный совет", Qt.MatchFlag.MatchStartsWith))
    tab.meetings.select_where(lambda r: r.date == dt.date(2022, 3, 30))
    tab.agenda.select_where(lambda r: r.number == 1)
    tab.decisions.select_where(lambda r: r.point == 3)
    original = tab.decisions.current_row()
    edit = tab.edit_decision()
    edit.text.setPlainText("Изменённый текст")
    edit.accept()
    changed = next(d for d in meetings.meeting_detail(demo_ctx, original.meeting_id).agenda[0].decisions if d.point == 3)
    assert changed.text == "Изменённый текст"
    tab.undo_stack.undo()
    restored = next(d for d in meetings.meeting_detail(demo_ctx, original.meeting_id).agenda[0].decisions if d.point == 3)
    assert restored.text == original.text and restored.due_date == original.due_date
    assert restored.control_status == original.control_status and restored.execution_info == original.execution_info
    tab.remove_decision(restored)
    assert len(meetings.meeting_detail(demo_ctx, original.meeting_id).agenda[0].decisions) == 1
    tab.undo_stack.undo()
    back = next(d for d in meetings.meeting_detail(demo_ctx, original.meeting_id).agenda[0].decisions if d.point == 3)
    assert back.responsibles_text == original.responsibles_text and back.execution_info == original.execution_info
    assert bodies.find_body(demo_ctx, "Координационный совет").id == original.body_id


@pytest.mark.sqlite_only(reason="the command line given the database file; the server's command line is tested in tests/postgres")
def test_protocol_without_requisites_prints_as_a_draft_on_request(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    """Issue 14: a meeting of seed 000 (no number, chair, secretary, attendance) — the secretary is told what is
    missing and may print the draft, which carries «ПРОЕКТ»; «Нет» prints nothing."""
    import subprocess

    from PySide6.QtWidgets import QMessageBox

    window, env, section = _section(qtbot, demo_ctx)
    tab = section.meetings
    tab.body_combo.setCurrentIndex(tab.body_combo.findText("Координационный совет", Qt.MatchFlag.MatchStartsWith))
    tab.meetings.select_where(lambda m: m.date == dt.date(2021, 6, 30))
    qtbot.waitUntil(lambda: tab.detail is not None and tab.detail.meeting.date == dt.date(2021, 6, 30), timeout=5000)
    asked: list[str] = []

    def answer(choice):  # noqa: ANN001, ANN202
        def question(_parent, _title, text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            asked.append(text)
            return choice
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    tab.print_pdf()
    assert "номер протокола" in asked[-1] and "«ПРОЕКТ»" in asked[-1]
    assert getattr(tab, "last_preview", None) is None
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    tab.print_pdf()
    qtbot.waitUntil(lambda: getattr(tab, "last_preview", None) is not None, timeout=15000)
    path = env.ctx.db.path.parent / "draft.pdf"
    path.write_bytes(tab.last_preview.pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "ПРОЕКТ" in text
    tab.last_preview.close()
