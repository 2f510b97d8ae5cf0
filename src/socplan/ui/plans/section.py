"""Section «Планы мероприятий»: plans and their events, execution control, overdue list, production calendar."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from socplan.ui.env import UiEnv
from socplan.ui.plans.calendar_tab import CalendarTab
from socplan.ui.plans.control_tab import ControlTab
from socplan.ui.plans.plans_tab import PlansTab


def create_section(env: UiEnv) -> QWidget:
    tabs = QTabWidget()
    tabs.setObjectName("plans_section")
    # the toolbars and filter rows must not force a wide main window: below this width they are clipped
    tabs.setMinimumSize(360, 300)
    tabs.plans_tab = PlansTab(env)  # type: ignore[attr-defined]
    tabs.mine_tab = ControlTab(env, mine=True)  # type: ignore[attr-defined]
    tabs.control_tab = ControlTab(env)  # type: ignore[attr-defined]
    tabs.overdue_tab = ControlTab(env, overdue_only=True)  # type: ignore[attr-defined]
    tabs.calendar_tab = CalendarTab(env.ctx)  # type: ignore[attr-defined]
    tabs.addTab(tabs.plans_tab, "Планы")
    tabs.addTab(tabs.mine_tab, "Мои мероприятия")
    tabs.addTab(tabs.control_tab, "Контроль исполнения")
    n = sum(1 for r in tabs.overdue_tab.view.model.rows if r.overdue)
    tabs.addTab(tabs.overdue_tab, f"Просроченные ({n})")
    tabs.overdue_index = tabs.indexOf(tabs.overdue_tab)  # type: ignore[attr-defined]
    tabs.addTab(tabs.calendar_tab, "Производственный календарь")

    def refresh(index: int) -> None:
        widget = tabs.widget(index)
        if isinstance(widget, ControlTab):
            widget.reload()
            if widget is tabs.overdue_tab:
                tabs.setTabText(index, f"Просроченные ({len(widget.view.model.rows)})")

    tabs.currentChanged.connect(refresh)
    return tabs
