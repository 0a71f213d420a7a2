"""translate_many's cancel, and the manager's readiness API used by the GUI."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import threading
import time

import pytest
from pool_fault_helpers import alive, wait_until

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


# --------------------------------------------------------------------------
# Issue 11: fault injection. 1,000 documents through the pool while a thread
# SIGKILLs and SIGSTOPs busy workers, and one worker stops half way through
# sending its result: every result equals the in-process one, no process is
# left, and the run ends within a bound.

FAULT_DOCS = [
    (f"DECLARE X : INTEGER\nX <- {i}\nOUTPUT X * {i % 7}\n" if i % 10 else
     f"DECLARE X : INTEGER\nX <- \"{i}\"\n")  # every tenth document has an error
    for i in range(1000)
]
FAULT_DOCS[500] = "// STOP-HERE\nOUTPUT 500\n"  # its worker stops mid-send (test seam)


def outcome(result) -> tuple:
    return (result.success, result.code, [d.to_dict() for d in result.diagnostics])


@pytest.mark.timeout(300)
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGKILL and SIGSTOP")
def test_a_thousand_documents_survive_killed_and_stopped_workers(monkeypatch, tmp_path):
    from engine.execution import batch
    from engine.execution import seams as pp

    # Three passes over the documents: the batch must last long enough for the faults
    # (the pool got faster; one pass can end in half a second, before four faults).
    docs = FAULT_DOCS + FAULT_DOCS[:500] + FAULT_DOCS[501:] + FAULT_DOCS[:500] + FAULT_DOCS[501:]
    expected = [outcome(r) for r in TranslationManager().translate_many(docs)]
    monkeypatch.setattr(batch, "BATCH_JOB_CHARS", 600)  # ~90 jobs: many to hit
    monkeypatch.setenv(pp.TEST_CRASH_ENV, "stop_mid_send")
    monkeypatch.setenv(pp.TEST_MATCH_ENV, "STOP-HERE")
    monkeypatch.setenv(pp.TEST_ONCE_ENV, str(tmp_path / "stopped-once"))
    config = pooled_config()
    config.execution.process_pool_task_timeout_ms = 1500
    manager = TranslationManager(config)
    counts: dict[str, int] = {}
    manager.events.subscribe(lambda e: counts.__setitem__(str(e.type),
                                                          counts.get(str(e.type), 0) + 1))
    assert manager.start_pool() and manager.wait_ready(60)
    pool = manager._exec_pool
    seen: set[int] = set(pool.worker_pids())
    done = threading.Event()
    faults = {"SIGKILL": 0, "SIGSTOP": 0}
    rng = random.Random(11)

    def chaos() -> None:
        while not done.wait(0.12) and sum(faults.values()) < 16:
            seen.update(pool.worker_pids())
            busy = pool.busy_worker_pids()
            if not busy:
                continue
            sig = signal.SIGKILL if rng.random() < 0.5 else signal.SIGSTOP
            try:
                os.kill(rng.choice(busy), sig)
            except ProcessLookupError:
                continue
            faults[sig.name] += 1

    thread = threading.Thread(target=chaos, daemon=True)
    started = time.monotonic()
    thread.start()
    rounds: list[list] = []
    try:
        # Rounds until the faults have happened (at most ten): how long one round lasts
        # depends on the engine's speed, and the faults must hit a running batch.
        while len(rounds) < 10 and (not rounds or sum(faults.values()) < 4):
            rounds.append(manager.translate_many(docs))
    finally:
        done.set()
        thread.join(10)
        seen.update(pool.worker_pids())
        restarts = pool.restart_count
        manager.shutdown()
    elapsed = time.monotonic() - started
    figures = {"documents": len(docs), "rounds": len(rounds), "seconds": round(elapsed, 2),
               **faults,
               "restarts": restarts, "workers_seen": len(seen),
               "timeouts": counts.get("exec_pool.timeout", 0),
               "fallbacks": counts.get("exec_pool.fallback", 0)}
    print("fault injection:", json.dumps(figures))
    for results in rounds:
        assert [outcome(r) for r in results] == expected
    assert (tmp_path / "stopped-once").exists()  # the mid-send stop did happen
    assert sum(faults.values()) >= 4, figures
    assert restarts >= 1
    assert wait_until(lambda: not any(alive(p) for p in seen), 15), figures
    assert multiprocessing.active_children() == []
    assert elapsed < 240, figures  # a hang, not a slow machine, would exceed this
