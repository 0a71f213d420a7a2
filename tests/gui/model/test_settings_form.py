"""gui.model.settings_form: pages and fields over the schema, validation as the engine's, env locks, save."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.config import (
    FIELDS,
    PAGES,
    ConfigManager,
    TranslatorConfig,
    pool_settings_changed,
    start_methods_offered,
)
from gui.model.settings_form import FORM_FIELDS, SettingsForm, choices, fields_on


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def form_for(path: Path, environ: dict | None = None, platform: str | None = None
             ) -> SettingsForm:
    manager = ConfigManager(path, environ=environ or {}, platform=platform)
    manager.load()
    return SettingsForm(manager)


def test_every_engine_field_is_on_a_page_in_the_specified_order() -> None:
    assert {f.key for f in FORM_FIELDS} == {s.key for s in FIELDS}
    execution = [f.spec.name for f in fields_on("Execution")]
    assert execution == ["process_pool_enabled", "process_pool_target",
                         "process_pool_max_workers", "process_pool_task_timeout_ms",
                         "process_pool_job_max_chars", "process_pool_start_method",
                         "process_pool_retry_on_timeout", "process_pool_retry_limit"]
    # translation.python_style (plain's Checked/Plain choice) is the newest field
    assert [f.spec.name for f in fields_on("Translation")] == ["strict_mode", "python_style",
                                                               "telemetry_enabled"]
    assert {f.spec.name for f in fields_on("Editor")} >= {
        "font_family", "font_size", "theme", "autosave_interval_s", "show_arrow_glyph"}
    assert sum(len(fields_on(p)) for p in PAGES) == len(FIELDS)
    widgets = {f.key: f.widget for f in FORM_FIELDS}
    assert widgets["execution.process_pool_max_workers"] == "auto_int"
    assert widgets["execution.process_pool_start_method"] == "choice"
    assert widgets["editor.font_family"] == "font"


def test_start_methods_are_those_the_platform_offers() -> None:
    assert start_methods_offered("win32") == ["spawn"]
    assert choices("execution.process_pool_start_method", "win32") == [
        (None, "Auto (spawn in the editor)"), ("spawn", "spawn")]
    here = [v for v, _ in choices("execution.process_pool_start_method")]
    assert here[0] is None and "spawn" in here


@pytest.mark.parametrize(("key", "raw", "words"), [
    ("execution.process_pool_task_timeout_ms", "0", "below the minimum 1"),
    ("execution.process_pool_task_timeout_ms", "abc", "is not a whole number"),
    ("execution.process_pool_max_workers", "0", "below the minimum 1"),
    ("execution.process_pool_retry_limit", "11", "above the maximum 10"),
    ("execution.process_pool_job_max_chars", "-5", "below the minimum 1"),
    ("editor.font_size", "200", "above the maximum 72"),
])
def test_the_form_refuses_what_validate_refuses(tmp_path: Path, key, raw, words) -> None:
    form = form_for(tmp_path / "config.yaml")
    form.set(key, raw)
    problems = form.problems_of(key)
    assert problems and problems[0].error and words in problems[0].message
    assert "using" not in problems[0].message  # the repair note of the loader is not shown
    assert form.has_errors()
    with pytest.raises(ValueError):
        form.result()
    # the engine agrees: the same value is an error of ExecutionConfig.validate()
    config = TranslatorConfig()
    next(f for f in FORM_FIELDS if f.key == key).spec.set(config, raw)
    assert any(e.startswith(key) for e in config.validate().errors)


def test_warnings_do_not_block_and_good_values_become_typed(tmp_path: Path) -> None:
    form = form_for(tmp_path / "config.yaml")
    form.set("execution.process_pool_task_timeout_ms", "200")
    form.set("execution.process_pool_max_workers", None)
    form.set("execution.process_pool_enabled", True)
    problems = form.problems()
    assert [p.error for p in problems] == [False] and "very short" in problems[0].message
    config = form.result()
    assert config.execution.process_pool_task_timeout_ms == 200
    assert config.execution.process_pool_max_workers is None
    assert sorted(form.changed()) == ["execution.process_pool_enabled",
                                      "execution.process_pool_task_timeout_ms"]


def test_a_start_method_the_platform_lacks_is_an_error(tmp_path: Path) -> None:
    form = form_for(tmp_path / "config.yaml", platform="win32")
    form.set("execution.process_pool_start_method", "fork")
    assert "not available on this platform" in form.problems_of(
        "execution.process_pool_start_method")[0].message


def test_env_locked_fields_cannot_change_and_are_never_saved(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml",
                 "execution:\n  process_pool_retry_limit: 3\nmy_plugin:\n  colour: blue\n")
    form = form_for(path, {"PSEUDOCODE_EXEC_POOL_ENABLED": "0"})
    key = "execution.process_pool_enabled"
    assert form.lock(key) is not None
    assert form.lock_text(key) == "Set by the environment variable PSEUDOCODE_EXEC_POOL_ENABLED=0"
    form.set(key, True)  # ignored: the environment decides
    form.set("execution.process_pool_task_timeout_ms", "2500")
    config, written = form.save()
    assert config.execution.process_pool_enabled is False
    text = Path(written).read_text(encoding="utf-8")
    assert "process_pool_enabled" not in text
    assert "process_pool_task_timeout_ms: 2500" in text
    assert "process_pool_retry_limit: 3" in text and "colour: blue" in text  # kept


def test_a_malformed_file_is_reported_with_its_line_and_backed_up_on_save(tmp_path) -> None:
    broken = "execution:\n  process_pool_enabled: true\n  process_pool_target: [oops\n"
    path = write(tmp_path / "config.yaml", broken)
    form = form_for(path)
    problem = form.file_problem()
    assert problem is not None and problem.where.startswith(f"{path}:")
    assert int(problem.where.rsplit(":", 1)[1]) >= 3
    assert "not valid YAML" in problem.message
    assert form.raw["execution.process_pool_enabled"] is False  # the defaults are shown
    form.set("editor.font_size", "14")
    form.save()
    backups = list(tmp_path.glob("config.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == broken
    assert form.last_backup == str(backups[0])  # ConfigManager.last_backup
    assert "font_size: 14" in path.read_text(encoding="utf-8")
    form.save()  # the file is valid now: no second backup, nothing to report
    assert form.last_backup == "" and len(list(tmp_path.glob("config.yaml.bak-*"))) == 1


def test_pool_rebuild_only_when_execution_or_telemetry_changed() -> None:
    old = TranslatorConfig()
    new = old.copy()
    new.translation.strict_mode = True
    new.editor.font_size = 20
    assert not pool_settings_changed(old, new)
    new.execution.process_pool_retry_limit = 2
    assert pool_settings_changed(old, new)
    assert pool_settings_changed(None, new)
