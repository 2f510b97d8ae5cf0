"""GUI: the secretary records «ВЫСТУПИЛИ» of a question from the keyboard — add from those present, add an
invited person, refuse someone not at the meeting, change, move, remove — and takes each step back with Ctrl+Z."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from socplan.services.protocols import meetings
from socplan.ui.env import UiEnv
from socplan.ui.tasks import TaskRunner


def _tab(qtbot, ctx):  # noqa: ANN001, ANN202
    from socplan.ui.protocols.section import create_section

    window = QMainWindow()
    qtbot.addWidget(window)
    env = UiEnv(ctx, TaskRunner(window), window)
    section = create_section(env)
    window.setCentralWidget(section)
    window.resize(1400, 900)
    window.show()
    tab = section.meetings
    tab.body_combo.setCurrentIndex(tab.body_combo.findText("Рабочая группа", Qt.MatchFlag.MatchStartsWith))
    tab.meetings.select_where(lambda m: m.number == "1" and m.quorum.present)
    tab.agenda.select_where(lambda a: a.number == 2)
    return window, tab


def _names(panel) -> list[str]:  # noqa: ANN001
    return [r.name.replace("\u00a0", " ") for r in panel.model.rows]


def _saved(ctx, tab) -> list[str]:  # noqa: ANN001
    detail = meetings.meeting_detail(ctx, tab.detail.meeting.id)
    return [x.name.replace("\u00a0", " ") for x in detail.agenda[1].speeches]


def test_speakers_from_the_keyboard_with_undo(qtbot, demo_ctx, tmp_path) -> None:  # noqa: ANN001
    window, tab = _tab(qtbot, demo_ctx)
    panel = tab.speeches
    assert _names(panel) == ["С.Р. Хаиржанова"]  # the demo meeting's question 2
    panel.table.setFocus()
    panel.table.selectRow(0)

    qtbot.keyClick(panel.table, Qt.Key.Key_Insert)  # add: a member present, chosen from the list
    dialog = panel.last_dialog
    assert dialog is not None and dialog.isVisible()
    labels = [dialog.speaker.itemText(i) for i in range(dialog.speaker.count())]
    assert any(x.startswith("Д.И. Зданович – директор департамента") for x in labels)
    assert "И.И. Иванова – главный специалист Департамента финансов Администрации города Омска (приглашённый)" in labels
    dialog.speaker.setCurrentIndex(next(i for i, x in enumerate(labels) if x.startswith("Д.И. Зданович")))
    assert dialog.position.text().startswith("директор департамента по делам молодежи")
    dialog.gist.setPlainText("о сроках подготовки материалов")
    dialog.accept()
    assert _saved(demo_ctx, tab) == ["С.Р. Хаиржанова", "Д.И. Зданович"]

    dialog = panel.add_speech()  # a name typed by hand that is not among those present or invited: refused
    dialog.speaker.setCurrentIndex(dialog.speaker.count() - 1)
    assert dialog.name.isEnabled()
    dialog.name.setText("Петров П.П.")
    dialog.gist.setPlainText("о бюджете")
    dialog.accept()
    assert dialog.isVisible() and "«Петров П.П.» не отмечен среди присутствовавших или приглашённых" in dialog.error.text()
    dialog.name.setText("Иванова И.И.")  # the invited person, typed
    dialog.position.setText("главный специалист Департамента финансов")
    dialog.accept()
    assert not dialog.isVisible()
    assert _names(panel) == ["С.Р. Хаиржанова", "Д.И. Зданович", "И.И. Иванова"]
    window.grab().save(str(tmp_path / "speeches.png"))

    panel.select(panel.model.rows[2].id)  # Ctrl+↑ twice: the invited person spoke first
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert _saved(demo_ctx, tab) == ["И.И. Иванова", "С.Р. Хаиржанова", "Д.И. Зданович"]
    assert panel.current_row().name.replace("\u00a0", " ") == "И.И. Иванова"

    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # Enter: change the gist
    dialog = panel.last_dialog
    assert dialog.name.text() == "И.И. Иванова" and dialog.speaker.currentText().startswith("И.И. Иванова")
    dialog.gist.setPlainText("о финансовом обеспечении")
    dialog.accept()
    assert meetings.meeting_detail(demo_ctx, tab.detail.meeting.id).agenda[1].speeches[0].gist == \
        "о финансовом обеспечении"

    panel.select(panel.model.rows[1].id)
    panel.remove(panel.current_row())  # what «Удалить» / Delete does after «Да»
    assert _saved(demo_ctx, tab) == ["И.И. Иванова", "Д.И. Зданович"]

    tab.undo_stack.undo()  # the removed speaker comes back in her place
    assert _saved(demo_ctx, tab) == ["И.И. Иванова", "С.Р. Хаиржанова", "Д.И. Зданович"]
    tab.undo_stack.undo()  # the gist as it was
    assert meetings.meeting_detail(demo_ctx, tab.detail.meeting.id).agenda[1].speeches[0].gist != \
        "о финансовом обеспечении"
    tab.undo_stack.undo()
    tab.undo_stack.undo()  # both moves taken back
    assert _saved(demo_ctx, tab) == ["С.Р. Хаиржанова", "Д.И. Зданович", "И.И. Иванова"]
    tab.undo_stack.undo()
    tab.undo_stack.undo()  # both additions taken back
    assert _saved(demo_ctx, tab) == ["С.Р. Хаиржанова"]
    for _ in range(6):
        tab.undo_stack.redo()
    assert _saved(demo_ctx, tab) == ["И.И. Иванова", "Д.И. Зданович"]  # and everything redone, removal included
    assert _names(panel) == ["И.И. Иванова", "Д.И. Зданович"]


def test_delete_key_asks_and_removes(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    window, tab = _tab(qtbot, demo_ctx)
    panel = tab.speeches
    panel.table.setFocus()
    panel.select(panel.model.rows[0].id)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert asked and "Хаиржанова" in asked[0]
    assert _saved(demo_ctx, tab) == [] and panel.empty.isVisible()
    assert not panel.buttons["remove"].isEnabled() and panel.buttons["add"].isEnabled()


def test_other_roles_see_the_speakers_but_cannot_change_them(qtbot, demo_ctx, monkeypatch) -> None:  # noqa: ANN001
    """An analyst reads «ВЫСТУПИЛИ»; the buttons are greyed and a key press gets the service's Russian refusal."""
    from socplan.domain.roles import Role
    from socplan.services.context import AppContext, User
    from socplan.ui.protocols import speeches_panel

    analyst = AppContext(demo_ctx.db, User("Аналитиков Андрей Андреевич", "консультант", role=Role.ANALYST))
    window, tab = _tab(qtbot, analyst)
    panel = tab.speeches
    assert _names(panel) == ["С.Р. Хаиржанова"]
    assert not any(b.isEnabled() for b in panel.buttons.values())
    shown = []
    monkeypatch.setattr(speeches_panel, "show_error", lambda _parent, exc: shown.append(str(exc)))
    panel.table.setFocus()
    panel.select(panel.model.rows[0].id)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert shown and "изменять коллегиальные органы, заседания и протоколы" in shown[0]
    assert _saved(demo_ctx, tab) == ["С.Р. Хаиржанова"]
