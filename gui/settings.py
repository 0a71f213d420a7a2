"""The editor's settings, read from the engine's configuration (read-only here).

Qt-free. A small adapter: if ``engine.config`` is there and loads, its
``editor`` section and ``translation.strict_mode`` are used; if it is
missing or broken, sensible defaults are, and the warnings are kept to show
in the status bar. This module only reads: Edit > Settings
(``settings_form.py``, ``settings_dialog.py``) writes the file through
``ConfigManager.save``, and ``MainWindow.apply_config`` applies it live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class EditorSettings:
    font_family: str = ""           # "" = the platform's monospace font
    font_size: int = 11
    theme: str = "system"           # system | light | dark
    autosave_interval_s: int = 5    # 0 = no autosave
    show_arrow_glyph: bool = True   # typing <- shows the arrow glyph
    tab_width: int = 4
    strict_mode: bool = False
    config: Any = None              # the engine's TranslatorConfig, for TranslationManager
    warnings: list[str] = field(default_factory=list)

    @property
    def indent_unit(self) -> str:
        return " " * max(1, self.tab_width)


def load_settings() -> EditorSettings:
    """Settings from the engine's config, or the defaults if it cannot be read."""
    settings = EditorSettings()
    try:
        from engine.config import ConfigManager
    except Exception:  # noqa: BLE001 - the config module may not exist yet, or be broken
        return settings
    try:
        manager = ConfigManager()
        config = manager.load()
    except Exception as error:  # noqa: BLE001 - a broken config must not stop the editor
        settings.warnings.append(f"Configuration not read ({error}); using the defaults.")
        return settings
    settings.config = config
    settings.warnings = [str(w) for w in getattr(manager, "warnings", [])]
    editor = getattr(config, "editor", None)
    for name in ("font_family", "font_size", "theme", "autosave_interval_s",
                 "show_arrow_glyph", "tab_width"):
        value = getattr(editor, name, None)
        if value is not None and isinstance(value, type(getattr(settings, name))):
            setattr(settings, name, value)
    translation = getattr(config, "translation", None)
    settings.strict_mode = bool(getattr(translation, "strict_mode", False))
    if settings.theme not in ("system", "light", "dark"):
        settings.theme = "system"
    settings.tab_width = min(max(settings.tab_width, 1), 16)
    settings.font_size = min(max(settings.font_size, 6), 72)
    return settings
