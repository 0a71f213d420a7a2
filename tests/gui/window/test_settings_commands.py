"""SettingsCommands with a fake view: apply_config, the Python style, the settings dialog."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from gui_helpers import FakeDialogs
from PySide6.QtCore import QThreadPool

from engine.config import ConfigManager, TranslatorConfig
from gui.widgets.python_style_switch import PythonStyleSwitch
from gui.window import settings_commands
from gui.window.settings_commands import SettingsCommands, python_style
from gui.window.shutdown import Shutdown


class FakeEngine:
    def __init__(self) -> None:
        self.applied: list[object] = []

    def apply(self, config: object) -> None:
        self.applied.append(config)


@pytest.fixture
def parts(view, dialogs: FakeDialogs):
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    engine, shutdown = FakeEngine(), Shutdown()
    switch = PythonStyleSwitch(view.holder, python_style(view.settings))
    commands = SettingsCommands(view, dialogs, view.settings, engine, switch,  # type: ignore[arg-type]
                                pool, shutdown, view.holder)
    yield SimpleNamespace(commands=commands, engine=engine, shutdown=shutdown, switch=switch,
                          pool=pool)
    pool.waitForDone(10000)


def test_python_style_is_checked_unless_the_config_says_plain(view) -> None:
    assert python_style(view.settings) == "checked"  # no config yet
    config = TranslatorConfig()
    view.settings.config = config
    config.translation.python_style = "plain"
    assert python_style(view.settings) == "plain"
    config.translation.python_style = "fancy"
    assert python_style(view.settings) == "checked"


def test_apply_config_copies_every_editor_field_and_tells_the_parts(qtbot, view, parts) -> None:
    tab = view.new_document()
    config = TranslatorConfig()
    config.editor = dataclasses.replace(config.editor, font_family="Courier", font_size=17,
                                        theme="dark", autosave_interval_s=42,
                                        show_arrow_glyph=False, tab_width=7)
    config.translation.strict_mode = True
    old_theme = view.settings.theme
    changed: list[str] = []
    parts.commands.editorSettingsChanged.connect(changed.append)
    with qtbot.waitSignal(parts.commands.applied) as applied:
        parts.commands.apply_config(config)
    settings = view.settings
    assert (settings.font_family, settings.font_size, settings.theme,
            settings.autosave_interval_s, settings.show_arrow_glyph, settings.tab_width,
            settings.strict_mode) == ("Courier", 17, "dark", 42, False, 7, True)
    assert settings.config is config and applied.args == [config]
    assert changed == [old_theme] and parts.engine.applied == [config]
    assert view.statuses == ["Settings applied"]
    assert not tab.up_to_date  # translated again (strict mode may change the result)


def test_the_style_switch_uses_the_style_at_once_and_saves_it(qtbot, view, parts) -> None:
    view.new_document()
    with qtbot.waitSignal(parts.commands.styleChanged) as changed:
        parts.switch.buttons["plain"].click()
    assert changed.args == ["plain"] and parts.commands.python_style == "plain"
    assert parts.engine.applied[-1].translation.python_style == "plain"
    qtbot.waitUntil(lambda: ConfigManager().load().translation.python_style == "plain",
                    timeout=10000)  # the config file of the isolated home
    parts.commands.set_python_style("plain")  # already: nothing new
    assert len(parts.engine.applied) == 1


def test_a_style_that_cannot_be_saved_is_said_in_the_status_bar(qtbot, view, parts,
                                                                monkeypatch) -> None:
    def refuse(style: str) -> object:
        raise OSError("read-only")

    monkeypatch.setattr(settings_commands, "_save_python_style", refuse)
    parts.commands.set_python_style("plain")
    qtbot.waitUntil(lambda: bool(view.statuses), timeout=5000)
    assert view.statuses == ["Python style not saved in the settings: read-only"]
    assert parts.commands.python_style == "plain"  # used all the same


def test_the_dialog_opens_once_and_closes_with_the_window(qtbot, view, parts) -> None:
    with qtbot.waitSignal(parts.commands.opened, timeout=10000) as opened:
        parts.commands.open_settings("Editor")
    dialog = opened.args[0]
    assert parts.commands.dialog is dialog and dialog.isVisible()
    parts.commands.open_settings("Execution")  # shown again, not a second one
    assert parts.commands.dialog is dialog
    parts.shutdown.run()
    assert not dialog.isVisible()


def test_a_config_that_cannot_be_read_is_a_message(qtbot, view, parts, dialogs,
                                                   monkeypatch) -> None:
    def broken() -> object:
        raise ValueError("no such section")

    monkeypatch.setattr(settings_commands, "_load_config_manager", broken)
    parts.commands.open_settings()
    qtbot.waitUntil(lambda: bool(dialogs.calls), timeout=5000)
    assert dialogs.texts("show_error") == ["The configuration could not be read: no such section"]
    assert parts.commands.dialog is None
