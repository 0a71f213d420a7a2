"""gui.model.editor_settings: the editor's settings come from the config file, defaults otherwise."""

from __future__ import annotations

import pytest


def test_settings_come_from_the_config_file(folder, monkeypatch) -> None:
    pytest.importorskip("engine.config")
    from gui.model.editor_settings import load_settings

    config = folder / "config.yaml"
    config.write_text("editor:\n  font_size: 15\n  theme: dark\n  show_arrow_glyph: false\n"
                      "translation:\n  strict_mode: true\n")
    monkeypatch.setenv("PSEUDOCODE_CONFIG", str(config))
    settings = load_settings()
    assert (settings.font_size, settings.theme, settings.show_arrow_glyph) == (15, "dark", False)
    assert settings.strict_mode
    assert settings.config is not None


def test_settings_fall_back_to_defaults(folder, monkeypatch) -> None:
    from gui.model.editor_settings import EditorSettings, load_settings

    monkeypatch.setenv("PSEUDOCODE_CONFIG", str(folder / "missing.yaml"))
    settings = load_settings()
    defaults = EditorSettings()
    assert (settings.font_size, settings.tab_width) == (defaults.font_size, defaults.tab_width)
