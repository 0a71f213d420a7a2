"""GUI test fixtures: an isolated home, fake dialogs, windows.

The windows translate with the engine's real ``TranslationManager`` (through their
own ``EngineService``), as the app does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui_helpers import FakeDialogs


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tests never read or write the real user's settings, config or recovery files."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.setenv(name, str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("PSEUDOCODE_CONFIG", str(home / "config.yaml"))
    return home


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


# ----------------------------------------------------------------------------- window
@pytest.fixture
def make_window(qtbot, tmp_path: Path, dialogs: FakeDialogs):
    """Build main windows that share one settings file and one recovery folder."""
    from PySide6.QtCore import QSettings

    from gui.model.editor_settings import EditorSettings
    from gui.model.recovery import RecoveryStore
    from gui.window.main_window import MainWindow

    made = []

    def make(files: list[str] | None = None, restore: bool = True, **settings: Any):
        state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
        recovery = RecoveryStore(tmp_path / "recovery")
        recovery.open()
        options = {"theme": "light", "autosave_interval_s": 0} | settings
        window = MainWindow(EditorSettings(**options), state, recovery, dialogs)
        qtbot.addWidget(window)
        if restore:
            window.session.restore_session(files or [])
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        try:
            if window.runner.is_running():
                window.runner.stop()
            window.batch.wait(30000)
            window.engine.shutdown(wait=True)  # no pool worker outlives its test
        except RuntimeError:
            pass


@pytest.fixture
def window(make_window):
    return make_window()
