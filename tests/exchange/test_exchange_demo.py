"""The demo database is the Ministry's for exchange: «Обмен» shows who it is and lets a package be formed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from socplan.services.exchange.setup import get_identity
from socplan.ui.env import UiEnv
from socplan.ui.exchange.section import create_section
from socplan.ui.tasks import TaskRunner


def test_demo_database_is_the_ministry(qtbot, demo_ctx):  # noqa: ANN001
    me = get_identity(demo_ctx)
    assert me is not None and (me.role, me.territory, me.organisation) == ("ministry", "Омская область", "Минтруд")
    window = QWidget()
    qtbot.addWidget(window)
    section = create_section(UiEnv(demo_ctx, TaskRunner(window), window))
    qtbot.addWidget(section)
    section.show()
    text = section.identity_label.text()
    assert "Не указано" not in text
    assert "Минтруд (Омская область)" in text and "Министерство" in text
    assert section.export_button.isEnabled() and section.import_button.isEnabled()
    assert section.return_button.isVisible()
