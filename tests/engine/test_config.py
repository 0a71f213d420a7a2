"""Configuration: defaults < file < environment, lenient and strict validation, saving."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from engine.config import (
    CONFIG_PATH_ENV,
    CONFIG_VERSION,
    EXEC_POOL_ENV_VARS,
    Config,
    ConfigError,
    ConfigManager,
    EditorConfig,
    ExecutionConfig,
    TranslatorConfig,
    default_config_path,
    render_config_show,
)

# variable -> (field, value in the file, value in the environment, expected from env)
EIGHT = {
    "PSEUDOCODE_EXEC_POOL_ENABLED": ("process_pool_enabled", True, "off", False),
    "PSEUDOCODE_EXEC_POOL_MAX_WORKERS": ("process_pool_max_workers", 3, "5", 5),
    "PSEUDOCODE_EXEC_POOL_TARGET": ("process_pool_target", "parse_only", "VALIDATE_ONLY",
                                    "validate_only"),
    "PSEUDOCODE_EXEC_POOL_TIMEOUT_MS": ("process_pool_task_timeout_ms", 3000, "750", 750),
    "PSEUDOCODE_EXEC_POOL_JOB_MAX_CHARS": ("process_pool_job_max_chars", 1000, "2000", 2000),
    "PSEUDOCODE_EXEC_POOL_RETRY_ON_TIMEOUT": ("process_pool_retry_on_timeout", False, "Yes", True),
    "PSEUDOCODE_EXEC_POOL_RETRY_LIMIT": ("process_pool_retry_limit", 2, "0", 0),
    "PSEUDOCODE_EXEC_POOL_START_METHOD": ("process_pool_start_method", "spawn", "", None),
}
DEFAULTS = {
    "process_pool_enabled": False,
    "process_pool_max_workers": None,
    "process_pool_target": "parse_validate",
    "process_pool_task_timeout_ms": 5000,
    "process_pool_job_max_chars": 50000,
    "process_pool_start_method": None,
    "process_pool_retry_on_timeout": True,
    "process_pool_retry_limit": 1,
}


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def file_with_all_eight(tmp_path):
    body = {"execution": {field: file_value for field, file_value, _, _ in EIGHT.values()}}
    return write(tmp_path / "config.yaml", yaml.safe_dump(body))


def test_defaults_match_the_specification():
    config = ExecutionConfig()
    assert {name: getattr(config, name) for name in DEFAULTS} == DEFAULTS
    assert set(EXEC_POOL_ENV_VARS) == set(EIGHT)
    full = TranslatorConfig()
    assert full.translation.strict_mode is False
    assert full.telemetry_enabled is False
    assert full.editor == EditorConfig("", 11, "system", 5, True, 4)


def test_defaults_when_there_is_no_file(tmp_path):
    manager = ConfigManager(tmp_path / "absent.yaml", environ={})
    config = manager.load()
    assert config == TranslatorConfig()
    assert manager.file_state == "missing"
    assert manager.warnings == []
    assert set(manager.sources().values()) == {"default"}


def test_file_over_defaults_for_all_eight(tmp_path):
    manager = ConfigManager(file_with_all_eight(tmp_path), environ={})
    config = manager.load()
    for field, file_value, _, _ in EIGHT.values():
        assert getattr(config.execution, field) == file_value, field
        assert manager.sources()[f"execution.{field}"] == "file"
    assert manager.warnings == []


@pytest.mark.parametrize("variable", sorted(EIGHT))
def test_env_over_file_for_each_variable(tmp_path, variable):
    field, _, env_value, expected = EIGHT[variable]
    manager = ConfigManager(file_with_all_eight(tmp_path), environ={variable: env_value})
    config = manager.load()
    assert getattr(config.execution, field) == expected
    assert manager.sources()[f"execution.{field}"] == f"env:{variable}"
    lock = manager.env_locked()[f"execution.{field}"]
    assert (lock.variable, lock.raw, lock.value) == (variable, env_value, expected)
    # The other seven still come from the file.
    for other, (other_field, file_value, _, _) in EIGHT.items():
        if other != variable:
            assert getattr(config.execution, other_field) == file_value


def test_env_over_defaults_all_eight_at_once(tmp_path):
    environ = {variable: env for variable, (_, _, env, _) in EIGHT.items()}
    manager = ConfigManager(tmp_path / "absent.yaml", environ=environ)
    config = manager.load()
    for variable, (field, _, _, expected) in EIGHT.items():
        assert getattr(config.execution, field) == expected
        assert manager.sources()[f"execution.{field}"] == f"env:{variable}"


@pytest.mark.parametrize("text,expected", [
    ("1", True), ("0", False), ("true", True), ("FALSE", False), ("Yes", True), ("no", False),
    ("ON", True), ("off", False), (" true ", True),
])
def test_boolean_words(tmp_path, text, expected):
    manager = ConfigManager(tmp_path / "absent.yaml",
                            environ={"PSEUDOCODE_EXEC_POOL_ENABLED": text})
    assert manager.load().execution.process_pool_enabled is expected
    assert manager.warnings == []


@pytest.mark.parametrize("variable,raw", [
    ("PSEUDOCODE_EXEC_POOL_ENABLED", "maybe"),
    ("PSEUDOCODE_EXEC_POOL_MAX_WORKERS", "many"),
    ("PSEUDOCODE_EXEC_POOL_TARGET", "everything"),
    ("PSEUDOCODE_EXEC_POOL_TIMEOUT_MS", "5s"),
    ("PSEUDOCODE_EXEC_POOL_JOB_MAX_CHARS", "1.5"),
    ("PSEUDOCODE_EXEC_POOL_RETRY_ON_TIMEOUT", "2"),
    ("PSEUDOCODE_EXEC_POOL_RETRY_LIMIT", "once"),
    ("PSEUDOCODE_EXEC_POOL_START_METHOD", "teleport"),
])
def test_bad_env_value_falls_back_to_the_file_and_names_the_variable(tmp_path, variable, raw):
    field, file_value, _, _ = EIGHT[variable]
    other = ("PSEUDOCODE_EXEC_POOL_JOB_MAX_CHARS"
             if variable != "PSEUDOCODE_EXEC_POOL_JOB_MAX_CHARS"
             else "PSEUDOCODE_EXEC_POOL_TIMEOUT_MS")
    environ = {variable: raw, other: "4000"}
    manager = ConfigManager(file_with_all_eight(tmp_path), environ=environ)
    config = manager.load()
    assert getattr(config.execution, field) == file_value
    assert manager.sources()[f"execution.{field}"] == "file"
    assert len(manager.warnings) == 1
    assert variable in str(manager.warnings[0])
    # The rest of the environment still applies.
    assert manager.sources()[Config._normalize_override_key(other)] == f"env:{other}"


def test_bad_file_values_name_file_and_line_and_fall_back_one_by_one(tmp_path):
    path = write(tmp_path / "config.yaml", (
        "config_version: 1\n"
        "execution:\n"
        "  process_pool_enabled: true\n"
        "  process_pool_max_workers: lots\n"
        "  process_pool_target: sideways\n"
        "  process_pool_task_timeout_ms: 2500\n"
        "editor:\n"
        "  theme: neon\n"
        "  font_size: 14\n"
    ))
    manager = ConfigManager(path, environ={})
    config = manager.load()
    assert config.execution.process_pool_enabled is True
    assert config.execution.process_pool_max_workers is None
    assert config.execution.process_pool_target == "parse_validate"
    assert config.execution.process_pool_task_timeout_ms == 2500
    assert config.editor.theme == "system"
    assert config.editor.font_size == 14
    messages = [str(w) for w in manager.warnings]
    assert len(messages) == 3
    assert messages[0].startswith(f"{path}:4: execution.process_pool_max_workers")
    assert messages[1].startswith(f"{path}:5: execution.process_pool_target")
    assert messages[2].startswith(f"{path}:8: editor.theme")


def test_out_of_range_numbers_are_clamped_with_a_warning(tmp_path):
    path = write(tmp_path / "config.yaml", (
        "execution:\n"
        "  process_pool_max_workers: 0\n"
        "  process_pool_retry_limit: -3\n"
        "editor:\n"
        "  font_size: 500\n"
        "  tab_width: 0\n"
    ))
    manager = ConfigManager(path, environ={}, platform="linux")
    config = manager.load()
    assert config.execution.process_pool_max_workers == 1
    assert config.execution.process_pool_retry_limit == 0
    assert config.editor.font_size == 72
    assert config.editor.tab_width == 1
    assert len(manager.warnings) == 4
    assert all(str(w).startswith(str(path)) for w in manager.warnings)


def test_windows_caps_workers_at_61(tmp_path, monkeypatch):
    # Issue 11: the bound is 4 workers per CPU, and 61 on Windows; a 64-CPU machine here.
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    manager = ConfigManager(tmp_path / "absent.yaml", platform="win32",
                            environ={"PSEUDOCODE_EXEC_POOL_MAX_WORKERS": "100"})
    assert manager.load().execution.process_pool_max_workers == 61
    assert "61" in str(manager.warnings[0])
    linux = ConfigManager(tmp_path / "absent.yaml", platform="linux",
                          environ={"PSEUDOCODE_EXEC_POOL_MAX_WORKERS": "100"})
    assert linux.load().execution.process_pool_max_workers == 100


def test_fork_is_refused_on_windows():
    config = ExecutionConfig(process_pool_start_method="fork")
    issues = config.validate(platform="win32")
    assert config.process_pool_start_method is None
    assert "fork" in issues.errors[0]


def test_validate_lenient_fixes_and_reports():
    config = ExecutionConfig(process_pool_target="nope", process_pool_task_timeout_ms=-5,
                             process_pool_enabled="yes")  # type: ignore[arg-type]
    issues = config.validate()
    assert config.process_pool_target == "parse_validate"
    assert config.process_pool_task_timeout_ms == 1
    assert config.process_pool_enabled is True  # normalised, not an error
    assert len(issues.errors) == 2
    assert any("very short" in w for w in issues.warnings)


def test_validate_strict_raises_and_changes_nothing():
    config = ExecutionConfig(process_pool_target="nope", process_pool_retry_limit=99)
    with pytest.raises(ConfigError) as info:
        config.validate(strict=True)
    assert len(info.value.problems) == 2
    assert config.process_pool_target == "nope"
    whole = TranslatorConfig(editor=EditorConfig(theme="neon"))
    with pytest.raises(ConfigError):
        whole.validate(strict=True)


def test_valid_config_has_no_issues():
    assert not TranslatorConfig().validate(strict=True).errors


def test_strict_manager_raises_on_any_bad_value(tmp_path):
    path = write(tmp_path / "config.yaml", "execution:\n  process_pool_target: x\n")
    with pytest.raises(ConfigError) as info:
        ConfigManager(path, environ={"PSEUDOCODE_EXEC_POOL_TIMEOUT_MS": "z"}, strict=True).load()
    assert len(info.value.problems) == 2


def test_malformed_yaml_reports_line_uses_defaults_keeps_file_and_backs_up_on_save(tmp_path):
    text = "execution:\n  process_pool_enabled: true\n  bad: [unclosed\nother: 1\n"
    path = write(tmp_path / "config.yaml", text)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    assert config == TranslatorConfig()
    assert manager.file_state == "malformed"
    assert len(manager.warnings) == 1
    warning = str(manager.warnings[0])
    assert warning.startswith(f"{path}:")
    assert int(warning.split(":")[1]) in (3, 4, 5)
    assert path.read_text() == text  # untouched by loading
    config.execution.process_pool_enabled = True
    manager.save(config)
    backups = list(tmp_path.glob("config.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text() == text
    again = ConfigManager(path, environ={})
    assert again.load().execution.process_pool_enabled is True
    assert again.warnings == []


def test_top_level_must_be_a_mapping(tmp_path):
    path = write(tmp_path / "config.yaml", "- a\n- b\n")
    manager = ConfigManager(path, environ={})
    assert manager.load() == TranslatorConfig()
    assert manager.file_state == "malformed"


def test_save_is_atomic_versioned_keeps_unknown_keys_and_skips_env_values(tmp_path):
    path = write(tmp_path / "config.yaml", (
        "# my comment\n"
        "execution:\n"
        "  process_pool_target: parse_only\n"
        "  future_knob: 7\n"
        "plugins:\n"
        "  spell: true\n"
    ))
    environ = {"PSEUDOCODE_EXEC_POOL_ENABLED": "1", "PSEUDOCODE_EXEC_POOL_TIMEOUT_MS": "900"}
    manager = ConfigManager(path, environ=environ)
    config = manager.load()
    assert config.execution.process_pool_enabled is True
    config.editor.theme = "dark"
    manager.save(config)
    saved = yaml.safe_load(path.read_text())
    assert saved["config_version"] == CONFIG_VERSION
    assert list(saved)[0] == "config_version"
    assert saved["plugins"] == {"spell": True}
    assert saved["execution"]["future_knob"] == 7
    assert saved["execution"]["process_pool_target"] == "parse_only"
    assert "process_pool_enabled" not in saved["execution"]
    assert "process_pool_task_timeout_ms" not in saved["execution"]
    assert saved["editor"] == {"theme": "dark"}
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]  # no temp file left
    # Saving again without the environment does not invent values either.
    assert ConfigManager(path, environ={}).load().execution.process_pool_enabled is False


def test_save_keeps_the_files_own_value_of_an_env_locked_field(tmp_path):
    path = write(tmp_path / "config.yaml", "execution:\n  process_pool_task_timeout_ms: 1234\n")
    manager = ConfigManager(path, environ={"PSEUDOCODE_EXEC_POOL_TIMEOUT_MS": "900"})
    config = manager.load()
    assert config.execution.process_pool_task_timeout_ms == 900
    manager.save()
    assert yaml.safe_load(path.read_text())["execution"]["process_pool_task_timeout_ms"] == 1234


def test_save_creates_the_folder(tmp_path):
    path = tmp_path / "new" / "dir" / "config.yaml"
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.execution.process_pool_enabled = True
    manager.save(config)
    assert yaml.safe_load(path.read_text()) == {
        "config_version": CONFIG_VERSION, "execution": {"process_pool_enabled": True}}
    assert manager.sources()["execution.process_pool_enabled"] == "file"


def test_save_replaces_atomically(tmp_path, monkeypatch):
    path = write(tmp_path / "config.yaml", "execution:\n  process_pool_enabled: true\n")
    manager = ConfigManager(path, environ={})
    manager.load()
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((os.path.dirname(src), os.fspath(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    manager.save()
    assert calls == [(str(tmp_path), str(path))]


def test_pseudocode_config_points_at_another_file(tmp_path):
    other = write(tmp_path / "elsewhere.yaml", "execution:\n  process_pool_enabled: true\n")
    environ = {CONFIG_PATH_ENV: str(other)}
    assert default_config_path(environ) == other
    manager = ConfigManager(environ=environ)
    assert manager.path == other
    assert manager.load().execution.process_pool_enabled is True


def test_default_path_is_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert default_config_path({}) == tmp_path / ".pseudocode_translator" / "config.yaml"


def test_normalize_override_key():
    assert Config._normalize_override_key("PSEUDOCODE_EXEC_POOL_TIMEOUT_MS") == \
        "execution.process_pool_task_timeout_ms"
    assert Config._normalize_override_key("pseudocode_exec_pool_enabled") == \
        "execution.process_pool_enabled"
    assert Config._normalize_override_key("timeout-ms") == "execution.process_pool_task_timeout_ms"
    assert Config._normalize_override_key("execution.process_pool_target") == \
        "execution.process_pool_target"
    assert Config._normalize_override_key("PSEUDOCODE_SOMETHING_ELSE") is None


def test_collect_env_overrides_only_takes_known_names():
    environ = {"PSEUDOCODE_EXEC_POOL_TARGET": "parse_only", "PSEUDOCODE_EXEC_POOL_NOPE": "1",
               "PATH": "/bin"}
    assert Config._collect_env_overrides(environ) == {"PSEUDOCODE_EXEC_POOL_TARGET": "parse_only"}


def test_telemetry_variable_is_an_override_too(tmp_path):
    manager = ConfigManager(tmp_path / "absent.yaml", environ={"PSEUDOCODE_TELEMETRY": "1"})
    assert manager.load().telemetry_enabled is True
    assert manager.sources()["telemetry_enabled"] == "env:PSEUDOCODE_TELEMETRY"


def test_unknown_setting_in_a_known_section_is_a_gentle_warning(tmp_path):
    path = write(tmp_path / "config.yaml", "execution:\n  proces_pool_enabled: true\n")
    manager = ConfigManager(path, environ={})
    manager.load()
    assert "proces_pool_enabled" in str(manager.warnings[0])
    assert ":2:" in str(manager.warnings[0])


def test_newer_config_version_still_loads(tmp_path):
    path = write(tmp_path / "config.yaml",
                 "config_version: 99\nexecution:\n  process_pool_enabled: true\n")
    manager = ConfigManager(path, environ={})
    assert manager.load().execution.process_pool_enabled is True
    assert "newer" in str(manager.warnings[0])


def test_config_show_json_is_flat_with_sources(tmp_path):
    path = write(tmp_path / "config.yaml", "execution:\n  process_pool_target: parse_only\n")
    manager = ConfigManager(path, environ={"PSEUDOCODE_EXEC_POOL_ENABLED": "true"})
    manager.load()
    data = json.loads(render_config_show(manager, "json"))
    assert data["execution.process_pool_enabled"] == {
        "value": True, "source": "env:PSEUDOCODE_EXEC_POOL_ENABLED"}
    assert data["execution.process_pool_target"] == {"value": "parse_only", "source": "file"}
    assert data["execution.process_pool_task_timeout_ms"] == {"value": 5000, "source": "default"}
    assert data["editor.theme"] == {"value": "system", "source": "default"}
    assert len(data) == 17  # translation.python_style is the 17th


def test_config_show_yaml_parses_back_to_the_values(tmp_path):
    manager = ConfigManager(tmp_path / "absent.yaml",
                            environ={"PSEUDOCODE_EXEC_POOL_MAX_WORKERS": "3"})
    manager.load()
    text = render_config_show(manager, "yaml")
    assert "process_pool_max_workers: 3  # env:PSEUDOCODE_EXEC_POOL_MAX_WORKERS" in text
    assert yaml.safe_load(text) == manager.config.to_dict()


def test_the_shipped_default_config_is_the_defaults(tmp_path):
    shipped = Path(__file__).resolve().parents[2] / "resources" / "default_config.yaml"
    manager = ConfigManager(shipped, environ={}, strict=True)
    assert manager.load() == TranslatorConfig()
    assert manager.warnings == []


def _cli(*args: str, env: dict[str, str]):
    import subprocess

    root = Path(__file__).resolve().parents[2]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PSEUDOCODE_")}
    environ.update(env)
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=60, cwd=root, env=environ)


def test_cli_config_show_json_and_yaml(tmp_path):
    path = write(tmp_path / "config.yaml",
                 "execution:\n  process_pool_target: parse_only\n  process_pool_retry_limit: x\n")
    env = {"PSEUDOCODE_CONFIG": str(path), "PSEUDOCODE_EXEC_POOL_ENABLED": "on"}
    done = _cli("config", "show", "--format", "json", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["execution.process_pool_enabled"] == {
        "value": True, "source": "env:PSEUDOCODE_EXEC_POOL_ENABLED"}
    assert data["execution.process_pool_target"] == {"value": "parse_only", "source": "file"}
    assert data["execution.process_pool_retry_limit"] == {"value": 1, "source": "default"}
    assert f"{path}:3" in done.stderr and "Traceback" not in done.stderr
    text = _cli("config", "show", env=env)
    assert text.returncode == 0
    assert "process_pool_enabled: true  # env:PSEUDOCODE_EXEC_POOL_ENABLED" in text.stdout
    where = _cli("config", "path", env=env)
    assert where.stdout.strip() == str(path)


def test_cli_config_show_survives_a_broken_file(tmp_path):
    path = write(tmp_path / "config.yaml", "execution: [\n")
    done = _cli("config", "show", env={"PSEUDOCODE_CONFIG": str(path)})
    assert done.returncode == 0
    assert str(path) in done.stderr and "Traceback" not in done.stderr
    assert path.read_text() == "execution: [\n"


def test_save_without_load_keeps_the_file_and_skips_env(tmp_path):
    path = write(tmp_path / "config.yaml", "plugins:\n  x: 1\neditor:\n  tab_width: 2\n")
    manager = ConfigManager(path, environ={"PSEUDOCODE_EXEC_POOL_ENABLED": "1"})
    config = TranslatorConfig()
    config.editor.theme = "light"
    config.execution.process_pool_enabled = True  # as the environment says: not written
    manager.save(config)
    saved = yaml.safe_load(path.read_text())
    assert saved["plugins"] == {"x": 1}
    assert saved["editor"] == {"tab_width": 4, "theme": "light"}
    assert "execution" not in saved
