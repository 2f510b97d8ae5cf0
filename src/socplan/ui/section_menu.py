"""«Действия»: the menu that lists every command of the section on screen, with its keys.

Nothing is reachable only from a tool bar or a button: when the menu opens it is filled from what the current
section shows — the actions of its tool bars (the same QAction objects, so keys, state and icon are shared)
and its push buttons and tool buttons (a menu item that presses the button; a button with a menu becomes a
submenu). Tabs that are not on screen contribute nothing until they are shown.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QDialogButtonBox, QMenu, QPushButton, QTabBar, QToolBar, QToolButton,
                               QWidget)

from socplan.ui.icons import decorate


def toolbar_actions(section: QWidget) -> list[QAction]:
    """The commands on the section's visible tool bars (not separators, not embedded widgets)."""
    out: list[QAction] = []
    for bar in section.findChildren(QToolBar):
        if not bar.isVisibleTo(section) or bar.window() is not section.window():
            continue
        for act in bar.actions():
            if act.isSeparator() or not act.isVisible() or not act.text().strip():
                continue
            if bar.widgetForAction(act) is not None and not isinstance(bar.widgetForAction(act), QToolButton):
                continue  # an embedded field (a spin box, a label), not a command
            out.append(act)
    return out


def _buttons(section: QWidget) -> list[QAbstractButton]:
    out = []
    for button in section.findChildren(QAbstractButton):
        if not isinstance(button, (QPushButton, QToolButton)) or not button.text().strip():
            continue
        if not button.isVisibleTo(section) or button.window() is not section.window():
            continue
        parent = button.parentWidget()
        if isinstance(parent, (QToolBar, QDialogButtonBox, QTabBar)) or button.objectName().startswith("qt_"):
            continue
        out.append(button)
    return out


def _press_item(menu: QMenu, button: QAbstractButton) -> QAction:
    text = button.text().replace("\n", " ")
    keys = button.shortcut().toString(QKeySequence.SequenceFormat.NativeText) if not button.shortcut().isEmpty() else ""
    act = menu.addAction(button.icon(), f"{text}\t{keys}" if keys else text)
    act.setEnabled(button.isEnabled())
    act.setToolTip(button.toolTip())
    act.setProperty("pressesButton", True)
    act.triggered.connect(lambda _c=False, b=button: b.click())
    decorate(act)
    return act


def fill_actions_menu(menu: QMenu, section: QWidget | None) -> None:
    """Rebuild ``menu`` from what ``section`` shows now."""
    menu.clear()
    if section is None:
        return
    seen: set[int] = set()
    for act in toolbar_actions(section):
        if id(act) not in seen:
            seen.add(id(act))
            menu.addAction(decorate(act))
    buttons = _buttons(section)
    if buttons and menu.actions():
        menu.addSeparator()
    for button in buttons:
        default = button.defaultAction() if isinstance(button, QToolButton) else None
        if default is not None:
            if id(default) not in seen:
                seen.add(id(default))
                menu.addAction(decorate(default))
            continue
        if button.menu() is not None:
            sub = menu.addMenu(button.text().replace("&", "&&"))
            sub.setIcon(button.icon())
            sub.setEnabled(button.isEnabled())
            for act in button.menu().actions():
                sub.addAction(decorate(act))
            continue
        _press_item(menu, button)
    if not menu.actions():
        menu.addAction("В этом разделе нет команд").setEnabled(False)


def menu_bar_actions(window) -> list[QAction]:  # noqa: ANN001 - QMainWindow
    """Every action reachable from the window's menu bar (submenus included)."""
    out: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for act in menu.actions():
            out.append(act)
            if act.menu() is not None:
                walk(act.menu())

    for top in window.menuBar().actions():
        if top.menu() is not None:
            top.menu().aboutToShow.emit()
            walk(top.menu())
    return out


def decorate_section(section: QWidget) -> None:
    """Icons and key tool tips on every command of a newly built section; tool bars show icon and text."""
    from PySide6.QtCore import Qt

    for bar in section.findChildren(QToolBar):
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in bar.actions():
            decorate(act)
    for button in section.findChildren(QAbstractButton):
        if isinstance(button, QToolButton) and button.defaultAction() is not None:
            decorate(button.defaultAction())
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    # push buttons in rows keep their text only: an icon widens every row of buttons past a 1280 px screen
