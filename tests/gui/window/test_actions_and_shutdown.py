"""The action table becomes the menus and toolbar; the shutdown registry runs in its order."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from gui.window.actions import ACTIONS, ActionSpec, MenuSlot, _slot, action_specs
from gui.window.shutdown import Shutdown, Stage


def _menu_layout(window) -> dict[str, list[str]]:
    """Each menu's entries as the table places them: an action's id, a slot's items, "-"."""
    slots = {"recent": ["Open &Recent"], "examples": ["&Examples"], "theme": ["&Theme"],
             "docks": ["Python", "Problems", "Console", "Performance"]}
    layout: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for entry in ACTIONS:
        items = layout.setdefault(entry.menu, [])
        if entry.menu in last and last[entry.menu] != entry.section:
            items.append("-")
        last[entry.menu] = entry.section
        if isinstance(entry, ActionSpec):
            items.append(window.act[entry.id].text())
        else:
            items.extend(slots[entry.id])
    return layout


def test_every_spec_is_an_action_with_its_text_shortcut_and_tip(window) -> None:
    for spec in action_specs():
        action = window.act[spec.id]
        assert action.text() == spec.text and action.objectName() == f"act_{spec.id}"
        if isinstance(spec.shortcut, str):
            assert action.shortcut() == QKeySequence(spec.shortcut)
        if spec.tip:
            assert action.statusTip() == spec.tip and action.toolTip() == spec.tip
        assert action in window.actions()  # the shortcut works wherever the focus is
    assert window.act.run.shortcut().toString() == "F5"
    assert [k.toString() for k in window.act.zoom_in.shortcuts()][1] == "Ctrl+="
    assert not window.act.stop.isEnabled() and window.act.arrow.isCheckable()


def test_the_menus_follow_the_table(window) -> None:
    expected = _menu_layout(window)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == ["&File", "&Edit", "&View", "&Run", "&Help"]
    for title, items in expected.items():
        shown = ["-" if a.isSeparator() else a.text() for a in menus[title].actions()]
        assert shown[:len(items)] == items, title  # Run and View: debug_ui adds more after


def test_the_toolbar_follows_the_table(window) -> None:
    texts = ["-" if a.isSeparator() else a.text() for a in window.toolbar.actions()]
    assert texts[:6] == ["&New", "&Open\u2026", "&Save", "-", "&Run", "&Stop"]
    assert all(isinstance(e, ActionSpec | MenuSlot) for e in ACTIONS)


def test_an_action_calls_its_handler(window, dialogs) -> None:
    window.act.about.trigger()
    assert dialogs.names() == ["show_info"]
    size = window.appearance.font_size
    window.act.zoom_in.trigger()
    assert window.appearance.font_size == size + 1


def test_a_misspelt_handler_fails_when_the_window_is_built(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    with pytest.raises(AttributeError):
        _slot(window, ActionSpec("broken", "Broken", "file_commands.nope"))
    with pytest.raises(TypeError, match="not callable"):
        _slot(window, ActionSpec("broken", "Broken", "windowTitle.__doc__"))


def test_shutdown_runs_by_stage_then_registration_once() -> None:
    shutdown, ran = Shutdown(), []
    shutdown.register(Stage.ENGINE, "engine", lambda: ran.append("engine"))
    shutdown.register(Stage.PROGRAM, "program", lambda: ran.append("program"))
    shutdown.register(Stage.ENGINE, "engine 2", lambda: ran.append("engine 2"))
    assert not shutdown.started and shutdown.names() == ["program", "engine", "engine 2"]
    shutdown.run()
    shutdown.run()
    assert ran == ["program", "engine", "engine 2"] and shutdown.started


def test_the_window_closes_its_parts_in_the_old_close_order(window) -> None:
    assert window.shutdown.names() == [
        "stop the program", "remember the zoom", "save the session",
        "write the settings file", "keep or remove the recovery files",
        "stop the tabs' translations", "close the language reference",
        "close the settings dialog", "let the folder batch finish",
        "stop the translator and its pool", "say the window closed unattended"]
