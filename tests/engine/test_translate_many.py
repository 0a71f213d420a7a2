"""translate_many's cancel, and the manager's readiness API used by the GUI."""

from __future__ import annotations

import threading

import pytest

from engine.config import ExecutionConfig, TranslatorConfig
from engine.translator import TranslationManager

DOCS = [f'DECLARE X : INTEGER\nX <- {i}\nOUTPUT X * 2\n' for i in range(40)]


def pooled_config() -> TranslatorConfig:
    config = TranslatorConfig()
    config.execution = ExecutionConfig(process_pool_enabled=True, process_pool_max_workers=2,
                                       process_pool_start_method="spawn",
                                       process_pool_task_timeout_ms=30_000)
    return config


def cancel_after(count: int, cancel: threading.Event):
    def progress(done: int, total: int) -> None:
        if done >= count:
            cancel.set()
    return progress


def test_cancel_in_process_stops_after_the_current_document() -> None:
    cancel = threading.Event()
    results = TranslationManager().translate_many(DOCS, progress=cancel_after(3, cancel),
                                                  cancel=cancel)
    assert len(results) == len(DOCS)
    assert [r.cancelled for r in results[:3]] == [False] * 3
    assert all(r.success and "X * 2" in r.code for r in results[:3])
    assert all(r.cancelled and not r.success and not r.code for r in results[3:])


def test_uncancelled_batch_translates_everything() -> None:
    results = TranslationManager().translate_many(DOCS[:5], cancel=threading.Event())
    assert [r.success for r in results] == [True] * 5
    assert not any(r.cancelled for r in results)


@pytest.mark.timeout(120)
def test_cancel_with_the_spawn_pool_leaves_the_rest_untranslated() -> None:
    cancel = threading.Event()
    with TranslationManager(pooled_config()) as manager:
        assert manager.start_pool()
        assert manager.wait_ready(60)
        assert manager.pool_info()["ready_workers"] == 2
        many = DOCS * 10
        results = manager.translate_many(many, progress=cancel_after(5, cancel),
                                         cancel=cancel)
    assert len(results) == len(many)
    done = [r for r in results if not r.cancelled]
    assert 5 <= len(done) < len(many)
    assert all(r.success for r in done)
    for index, result in enumerate(results):
        if not result.cancelled:
            assert f"X = {index % 40}" in result.code


def test_wait_ready_is_false_without_a_pool() -> None:
    manager = TranslationManager()
    assert manager.wait_ready(0.01) is False
    assert manager.pool_info()["ready_workers"] == 0


def test_save_reports_the_backup_of_a_malformed_file(tmp_path, monkeypatch) -> None:
    from engine.config import ConfigManager

    path = tmp_path / "config.yaml"
    path.write_text("execution: [unclosed\n", encoding="utf-8")
    manager = ConfigManager(path)
    manager.load()
    manager.save()
    assert manager.last_backup is not None and manager.last_backup.exists()
    assert manager.last_backup.read_text(encoding="utf-8") == "execution: [unclosed\n"
    manager.save()
    assert manager.last_backup is None
