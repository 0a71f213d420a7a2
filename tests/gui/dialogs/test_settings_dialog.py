"""Edit > Settings: the YAML file it writes, env locks, validation as you type,
a malformed file, and the live apply (the pool restarted, the chart told). HOME and the
config path are a temporary folder (the ``isolated_home`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from gui_helpers import open_settings, retype
from PySide6.QtCore import Qt

from engine.config import ExecutionConfig, TranslatorConfig
from gui.model.pool_status import PoolState


def config_path(home: Path) -> Path:
    return home / "config.yaml"  # PSEUDOCODE_CONFIG of the isolated_home fixture


@pytest.fixture
def close_dialogs(window):
    yield
    if window.settings_commands.dialog is not None:
        window.settings_commands.dialog.wait_saved()
        window.settings_commands.dialog.reject()


@pytest.mark.timeout(120)
def test_turning_the_pool_on_writes_the_yaml_starts_a_pool_and_the_chart_sees_it(
        qtbot, window, isolated_home, monkeypatch) -> None:
    monkeypatch.delenv("PSEUDOCODE_CONFIG")  # the default place: in the (temporary) HOME
    home_config = isolated_home / ".pseudocode_translator" / "config.yaml"
    panel = window.performance.show()
    assert window.status_bar.pool.text() == "Pool: Off"
    dialog = open_settings(qtbot, window)
    assert str(home_config) in dialog.path_label.text()
    assert "created when you save" in dialog.path_label.text()
    qtbot.mouseClick(dialog.editor("execution.process_pool_enabled"), Qt.MouseButton.LeftButton,
                     pos=dialog.editor("execution.process_pool_enabled").rect().center())
    assert dialog.editor("execution.process_pool_enabled").isChecked()
    dialog.rows["execution.process_pool_max_workers"].auto.setChecked(False)
    retype(qtbot, dialog.editor("execution.process_pool_max_workers"), "1")
    method = dialog.editor("execution.process_pool_start_method")
    method.setCurrentIndex(method.findData("spawn"))
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignals([window.settingsApplied, window.engine.bridge.poolStarted],
                           timeout=60000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "process_pool_enabled: true" in home_config.read_text(encoding="utf-8")
    data = yaml.safe_load(home_config.read_text(encoding="utf-8"))
    assert data["config_version"] == 1
    assert data["execution"]["process_pool_enabled"] is True
    assert data["execution"]["process_pool_max_workers"] == 1
    assert data["execution"]["process_pool_start_method"] == "spawn"
    assert "process_pool_retry_limit" not in data["execution"]  # untouched defaults
    qtbot.waitUntil(lambda: window.settings_commands.dialog is None, timeout=5000)  # OK closed it
    qtbot.waitUntil(lambda: panel.plotted_points()["pool_starts"] == 1, timeout=5000)
    assert window.performance.model.start_label(window.performance.model.starts.rows()[0]) == \
        "pool: 1 worker, spawn"
    qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=60000)
    assert window.status_bar.pool.text() == "Pool: Ready (1 worker, spawn)"
    assert window.engine.manager.pool_info()["started"]
    # and translations now go through it (the tabs were translated again)
    with qtbot.waitSignal(window.engine.bridge.poolTaskCompleted, timeout=30000):
        window.current_tab().editor.setPlainText('OUTPUT "through the pool"\n')


@pytest.mark.timeout(120)
def test_apply_restarts_a_running_pool_with_the_new_settings(qtbot, make_window,
                                                              isolated_home) -> None:
    config_path(isolated_home).write_text(
        "execution:\n  process_pool_enabled: true\n  process_pool_max_workers: 1\n"
        "  process_pool_start_method: spawn\n", encoding="utf-8")
    config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=1, process_pool_start_method="spawn"))
    window = make_window(config=config)
    panel = window.performance.show()
    qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=60000)
    first = window.engine.manager
    old_pids = first.pool_info()["pids"]
    dialog = open_settings(qtbot, window)
    retype(qtbot, dialog.editor("execution.process_pool_task_timeout_ms"), "4000")
    with qtbot.waitSignal(window.engine.bridge.poolStarted, timeout=60000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert window.settings_commands.dialog is dialog and dialog.isVisible()  # Apply keeps it open
    assert window.engine.manager is not first
    qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=60000)
    info = window.engine.manager.pool_info()
    assert info["started"] and set(info["pids"]).isdisjoint(old_pids)
    assert window.engine.manager.config.execution.process_pool_task_timeout_ms == 4000
    qtbot.waitUntil(lambda: panel.plotted_points()["pool_starts"] == 2, timeout=5000)
    qtbot.waitUntil(lambda: not first.pool_info()["started"] or first._closed, timeout=30000)
    dialog.reject()


def test_an_env_locked_field_is_shown_locked_and_never_written(
        qtbot, window, isolated_home, monkeypatch, close_dialogs) -> None:
    monkeypatch.setenv("PSEUDOCODE_EXEC_POOL_ENABLED", "0")
    config_path(isolated_home).write_text("execution:\n  process_pool_retry_limit: 2\n",
                                          encoding="utf-8")
    dialog = open_settings(qtbot, window)
    box = dialog.editor("execution.process_pool_enabled")
    lock = dialog.rows["execution.process_pool_enabled"].lock_label
    assert not box.isEnabled() and not box.isChecked()
    assert lock.isVisible()
    assert lock.text() == "Set by the environment variable PSEUDOCODE_EXEC_POOL_ENABLED=0"
    assert "never written" in lock.toolTip()
    box.setChecked(True)  # even if the widget were changed, the form keeps the env's value
    retype(qtbot, dialog.editor("execution.process_pool_task_timeout_ms"), "2500")
    with qtbot.waitSignal(window.settingsApplied, timeout=10000) as blocker:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].execution.process_pool_enabled is False
    text = config_path(isolated_home).read_text(encoding="utf-8")
    assert "process_pool_enabled" not in text
    data = yaml.safe_load(text)
    assert data["execution"] == {"process_pool_retry_limit": 2,
                                 "process_pool_task_timeout_ms": 2500}
    assert window.status_bar.pool.text() == "Pool: Off"
    assert not window.engine.manager.pool_info()["started"]


def test_values_are_checked_as_you_type(qtbot, window, close_dialogs) -> None:
    dialog = open_settings(qtbot, window)
    edit = dialog.editor("execution.process_pool_task_timeout_ms")
    problem = dialog.rows["execution.process_pool_task_timeout_ms"].problem_label
    retype(qtbot, edit, "0")
    assert problem.isVisible() and "below the minimum 1" in problem.text()
    assert not dialog.ok_button.isEnabled() and not dialog.apply_button.isEnabled()
    retype(qtbot, edit, "12x")
    assert "is not a whole number" in problem.text()
    retype(qtbot, edit, "200")  # valid, but the engine warns about it
    assert problem.isVisible() and "very short" in problem.text()
    assert dialog.ok_button.isEnabled()
    retype(qtbot, edit, "3000")
    assert not problem.isVisible() and dialog.ok_button.isEnabled()
    workers = dialog.rows["execution.process_pool_max_workers"]
    assert workers.auto.isChecked() and not workers.editor.isEnabled()
    workers.auto.setChecked(False)
    retype(qtbot, workers.editor, "0")
    assert "below the minimum 1" in workers.problem_label.text()
    workers.auto.setChecked(True)  # Automatic: no number needed
    assert not workers.problem_label.isVisible() and dialog.ok_button.isEnabled()
    dialog.show_page("Editor")
    size = dialog.editor("editor.font_size")
    retype(qtbot, size, "100")
    assert "above the maximum 72" in dialog.rows["editor.font_size"].problem_label.text()
    methods = [dialog.editor("execution.process_pool_start_method").itemData(i)
               for i in range(dialog.editor("execution.process_pool_start_method").count())]
    import multiprocessing

    assert methods[0] is None
    assert set(methods[1:]) <= set(multiprocessing.get_all_start_methods())


def test_a_malformed_file_is_reported_and_backed_up_before_it_is_overwritten(
        qtbot, window, isolated_home, close_dialogs) -> None:
    broken = ("# my settings\nexecution:\n  process_pool_enabled: true\n"
              "  process_pool_target: [parse_only\neditor:\n  font_size: 13\n")
    path = config_path(isolated_home)
    path.write_text(broken, encoding="utf-8")
    dialog = open_settings(qtbot, window)
    assert dialog.banner.isVisible()
    banner = dialog.banner.text()
    assert f"{path}:" in banner and "not valid YAML" in banner
    line = int(banner.split(f"{path}:", 1)[1].split(":", 1)[0])
    assert 4 <= line <= 6
    assert "cannot be read" in dialog.path_label.text()
    assert path.read_text(encoding="utf-8") == broken  # opening never touches it
    dialog.show_page("Editor")
    retype(qtbot, dialog.editor("editor.font_size"), "15")
    with qtbot.waitSignal(window.settingsApplied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    backups = list(isolated_home.glob("config.yaml.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == broken
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["editor"]["font_size"] == 15
    assert dialog.form.manager.last_backup == backups[0]  # what the dialog reports
    assert str(backups[0]) in dialog.status.text() and str(backups[0]) in dialog.banner.text()
    # a second save does not back up the (now valid) file again, nor report one
    retype(qtbot, dialog.editor("editor.font_size"), "14")
    with qtbot.waitSignal(window.settingsApplied, timeout=10000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert len(list(isolated_home.glob("config.yaml.bak-*"))) == 1
    assert dialog.form.manager.last_backup is None
    assert "broken file" not in dialog.status.text() and not dialog.banner.isVisible()


def test_translation_and_editor_settings_apply_live(qtbot, window, isolated_home,
                                                   close_dialogs) -> None:
    manager = window.engine.manager
    dialog = open_settings(qtbot, window, "Translation")
    assert dialog.pages.currentIndex() == 1
    dialog.editor("translation.strict_mode").setChecked(True)
    dialog.show_page("Editor")
    retype(qtbot, dialog.editor("editor.font_size"), "16")
    dialog.editor("editor.show_arrow_glyph").setChecked(False)
    theme = dialog.editor("editor.theme")
    theme.setCurrentIndex(theme.findData("dark"))
    with qtbot.waitSignal(window.settingsApplied, timeout=10000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.engine.manager is manager  # the pool settings did not change: no rebuild
    assert window.engine.manager.strict
    assert window.settings.font_size == 16 and window.appearance.font_size == 16
    assert window.current_tab().editor.font().pointSize() == 16
    assert not window.current_tab().editor.arrow_glyph and not window.act.arrow.isChecked()
    assert window.theme.dark
    data = yaml.safe_load(config_path(isolated_home).read_text(encoding="utf-8"))
    assert data["translation"] == {"strict_mode": True}
    assert data["editor"] == {"font_size": 16, "theme": "dark", "show_arrow_glyph": False}


def test_cancel_writes_nothing(qtbot, window, isolated_home) -> None:
    dialog = open_settings(qtbot, window)
    dialog.editor("execution.process_pool_enabled").setChecked(True)
    dialog.reject()
    qtbot.waitUntil(lambda: window.settings_commands.dialog is None, timeout=5000)
    assert not config_path(isolated_home).exists()
    assert window.status_bar.pool.text() == "Pool: Off"


def test_ctrl_comma_opens_the_settings_once(qtbot, window, close_dialogs) -> None:
    assert window.act.settings.shortcut().toString() == "Ctrl+,"
    assert window.act.settings in window.menuBar().actions()[1].menu().actions()
    with qtbot.waitSignal(window.settingsOpened, timeout=10000):
        window.act.settings.trigger()
    dialog = window.settings_commands.dialog
    window.settings_commands.open_settings("Editor")  # already open: shown again, on that page
    assert window.settings_commands.dialog is dialog and dialog.pages.currentIndex() == 2


def test_a_refused_save_shows_the_reason_not_the_exception_class(
        qtbot, window, isolated_home, close_dialogs) -> None:
    path = config_path(isolated_home)
    path.write_text("editor:\n  font_size: 13\n", encoding="utf-8")
    path.chmod(0o444)
    try:
        dialog = open_settings(qtbot, window, "Editor")
        retype(qtbot, dialog.editor("editor.font_size"), "15")
        with qtbot.waitSignal(dialog.saveFailed, timeout=10000) as blocker:
            qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        banner = dialog.banner.text()
        assert dialog.banner.isVisible() and banner == blocker.args[0]
        assert banner.startswith(f"{path} is read-only; the settings were not saved")
        assert "ConfigSaveError" not in banner and banner.count(str(path)) == 1
        assert path.read_text(encoding="utf-8") == "editor:\n  font_size: 13\n"
    finally:
        path.chmod(0o644)


def test_an_unexpected_save_failure_still_names_its_kind() -> None:
    from engine.config import ConfigSaveError
    from gui.dialogs.settings_dialog import refusal_text

    assert refusal_text(ConfigSaveError("/x/config.yaml is read-only"), "/x/config.yaml") \
        == "/x/config.yaml is read-only"
    assert refusal_text(ValueError("boom"), "/x/config.yaml") == \
        "The settings could not be saved to /x/config.yaml: ValueError: boom"
