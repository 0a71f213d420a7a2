"""Telemetry recorder: a no-op unless enabled; counters, durations, percentiles."""

from __future__ import annotations

import threading

from engine.config import TranslatorConfig
from engine.telemetry import TelemetryRecorder, env_enabled, get_recorder, percentile


def test_disabled_recorder_records_nothing():
    recorder = TelemetryRecorder()
    recorder.incr("exec_pool.submit")
    recorder.record_duration("exec_pool.task_ms", 3.0)
    with recorder.timer("exec_pool.init_ms"):
        pass
    assert recorder.snapshot() == {"enabled": False, "counters": {}, "durations": {}}


def test_counts_and_percentiles():
    recorder = TelemetryRecorder(enabled=True)
    for name in ("started", "submit", "submit", "complete", "timeout", "fallback"):
        recorder.incr(f"exec_pool.{name}")
    for ms in range(1, 101):
        recorder.record_duration("exec_pool.task_ms", float(ms))
    snap = recorder.snapshot()
    assert snap["counters"] == {"exec_pool.started": 1, "exec_pool.submit": 2,
                                "exec_pool.complete": 1, "exec_pool.timeout": 1,
                                "exec_pool.fallback": 1}
    task = snap["durations"]["exec_pool.task_ms"]
    assert task["count"] == 100
    assert task["p50_ms"] == 50.0
    assert task["p95_ms"] == 95.0
    assert task["max_ms"] == 100.0
    assert task["mean_ms"] == 50.5
    recorder.reset()
    assert recorder.snapshot()["counters"] == {}


def test_timer_records_a_duration():
    recorder = TelemetryRecorder(enabled=True)
    with recorder.timer("exec_pool.init_ms"):
        pass
    assert recorder.snapshot()["durations"]["exec_pool.init_ms"]["count"] == 1


def test_samples_are_bounded_but_counts_are_not():
    recorder = TelemetryRecorder(enabled=True, max_samples=10)
    for ms in range(100):
        recorder.record_duration("d", float(ms))
    d = recorder.snapshot()["durations"]["d"]
    assert d["count"] == 100
    assert d["p50_ms"] >= 90.0


def test_percentile_edges():
    assert percentile([], 95) == 0.0
    assert percentile([7.0], 50) == 7.0
    assert percentile([1.0, 2.0], 95) == 2.0


def test_enabled_by_config_or_environment():
    assert TelemetryRecorder.from_config(TranslatorConfig(), environ={}).enabled is False
    assert TelemetryRecorder.from_config(TranslatorConfig(telemetry_enabled=True),
                                         environ={}).enabled is True
    assert TelemetryRecorder.from_config(None, environ={"PSEUDOCODE_TELEMETRY": "1"}).enabled
    assert env_enabled({"PSEUDOCODE_TELEMETRY": "TRUE"})
    assert not env_enabled({"PSEUDOCODE_TELEMETRY": "0"})
    assert not env_enabled({})


def test_process_wide_recorder_is_one_object():
    assert get_recorder() is get_recorder()


def test_thread_safe_counting():
    recorder = TelemetryRecorder(enabled=True)

    def work() -> None:
        for _ in range(1000):
            recorder.incr("exec_pool.submit")
            recorder.record_duration("exec_pool.task_ms", 1.0)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    snap = recorder.snapshot()
    assert snap["counters"]["exec_pool.submit"] == 8000
    assert snap["durations"]["exec_pool.task_ms"]["count"] == 8000
