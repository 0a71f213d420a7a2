"""The editor's settings, read from the engine's configuration (read-only here).

Qt-free. ``EditorSettings`` is ``engine.config.EditorConfig`` (the schema's fields
and defaults, one definition) plus the translation's strict mode, the loaded config
itself and its warnings. If the file is broken, the defaults are used and the
warnings are kept to show in the status bar. This module only reads: Edit >
Settings (``settings_form.py``, ``settings_dialog.py``) writes the file through
``ConfigManager.save``, and ``SettingsCommands.apply_config``
(gui/window/settings_commands.py) applies it live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.config import EditorConfig, check, coerce, fields_in
from engine.config.values import BadValue

EDITOR_FIELDS = tuple(spec.name for spec in fields_in("editor"))


@dataclass(slots=True)
class EditorSettings(EditorConfig):
    """The configuration's editor section (its fields and defaults are the schema's),
    plus what the window needs beside it."""

    strict_mode: bool = False
    config: Any = None              # the engine's TranslatorConfig, for TranslationManager
    warnings: list[str] = field(default_factory=list)

    @property
    def indent_unit(self) -> str:
        return " " * max(1, self.tab_width)


def load_settings() -> EditorSettings:
    """Settings from the engine's config, or the defaults if it cannot be read."""
    settings = EditorSettings()
    from engine.config import ConfigManager

    try:
        manager = ConfigManager()
        config = manager.load()
    except Exception as error:  # noqa: BLE001 - a broken config must not stop the editor
        settings.warnings.append(f"Configuration not read ({error}); using the defaults.")
        return settings
    settings.config = config
    settings.warnings = [str(w) for w in getattr(manager, "warnings", [])]
    editor = getattr(config, "editor", None)
    for name in EDITOR_FIELDS:
        value = getattr(editor, name, None)
        if value is not None and isinstance(value, type(getattr(settings, name))):
            setattr(settings, name, value)
    translation = getattr(config, "translation", None)
    settings.strict_mode = bool(getattr(translation, "strict_mode", False))
    for spec in fields_in("editor"):  # the schema's ranges and choices, whatever was read
        try:
            value, _problem = check(spec, coerce(spec, getattr(settings, spec.name)))
        except BadValue:
            value = spec.default
        setattr(settings, spec.name, value)
    return settings
