"""The process pool with real ``spawn`` workers: targets, cap, timeouts, crashes, events.

Fault injection uses the executor's test seams (environment variables read
only inside workers, see docs/process_pool.md). Every test that starts
workers has a timeout mark, so a hang fails instead of blocking CI. No test
asserts on timings.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pool_fault_helpers import alive, wait_until

from engine.config import ExecutionConfig, TranslatorConfig
from engine.events import PAYLOAD_KEYS, EventDispatcher, EventRecorder, EventType
from engine.execution import seams as pp
from engine.execution.jobs import worker_parse, worker_validate
from engine.execution.process_pool import ParseValidateExecutor
from engine.execution.tasks import OffloadFallback
from engine.pipeline import parse_stage, validate_stage
from engine.telemetry import TelemetryRecorder
from engine.translator import TranslationManager

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"

PROGRAM = textwrap.dedent("""\
    DECLARE Total, I : INTEGER
    Total <- 0
    FOR I <- 1 TO 10
        Total <- Total + I
    NEXT I
    OUTPUT "Total: ", Total
""")
BROKEN = "IF TRUE THEN\n    OUTPUT 1\n"


def execution(**overrides) -> ExecutionConfig:
    values = dict(process_pool_enabled=True, process_pool_max_workers=2,
                  process_pool_start_method="spawn", process_pool_task_timeout_ms=20_000)
    values.update(overrides)
    return ExecutionConfig(**values)


def make_executor(**overrides):
    events = EventDispatcher()
    recorder = EventRecorder()
    events.subscribe(recorder)
    telemetry = TelemetryRecorder(enabled=True)
    executor = ParseValidateExecutor(execution(**overrides), events=events, telemetry=telemetry)
    return executor, recorder, telemetry


def manager_with(**overrides) -> tuple[TranslationManager, EventRecorder]:
    config = TranslatorConfig(execution=execution(**overrides), telemetry_enabled=True)
    manager = TranslationManager(config)
    recorder = EventRecorder()
    manager.events.subscribe(recorder)
    return manager, recorder


def same(result) -> tuple:
    """What must not depend on the pool: success, code and every diagnostic."""
    return (result.success, result.code, [d.to_dict() for d in result.diagnostics])


def pool_events(recorder: EventRecorder) -> list[tuple[str, dict]]:
    return [(e.type.name, dict(e.data)) for e in recorder.events
            if e.type.name.startswith("EXEC_POOL_")]


# --------------------------------------------------------------------------
# Without workers


def test_workers_resolve_from_the_cpu_count(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert ParseValidateExecutor(ExecutionConfig()).max_workers == 2
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert ParseValidateExecutor(ExecutionConfig()).max_workers == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert ParseValidateExecutor(ExecutionConfig()).max_workers == 8
    assert ParseValidateExecutor(ExecutionConfig(process_pool_max_workers=3)).max_workers == 3


def test_start_method_resolution(monkeypatch):
    assert ParseValidateExecutor(execution(process_pool_start_method="spawn")).start_method \
        == "spawn"
    default = ParseValidateExecutor(execution(process_pool_start_method=None)).start_method
    if sys.platform == "win32":
        assert default == "spawn"
    else:
        assert default == multiprocessing.get_start_method()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert ParseValidateExecutor(execution(process_pool_start_method=None)).start_method \
        == "spawn"
    assert ParseValidateExecutor(execution(process_pool_start_method="fork")).start_method \
        == "spawn"


@pytest.mark.parametrize("target,parse,validate", [
    ("parse_validate", True, True), ("parse_only", True, False), ("validate_only", False, True),
])
def test_targets_decide_what_is_offloaded(target, parse, validate):
    executor = ParseValidateExecutor(execution(process_pool_target=target))
    assert executor.offloads("parse") is parse
    assert executor.offloads("validate") is validate


def test_non_targeted_submit_is_refused_without_an_event_or_a_pool():
    executor, recorder, _ = make_executor(process_pool_target="validate_only")
    with pytest.raises(OffloadFallback) as info:
        executor.submit_parse(PROGRAM)
    assert info.value.reason == "not_targeted"
    assert recorder.events == []
    assert not executor.started


def test_job_cap_falls_back_before_starting_anything():
    executor, recorder, telemetry = make_executor(process_pool_job_max_chars=10)
    with pytest.raises(OffloadFallback) as info:
        executor.submit_parse(PROGRAM)
    assert info.value.reason == "job_too_large"
    assert pool_events(recorder) == [
        ("EXEC_POOL_FALLBACK", {"kind": "parse", "reason": "job_too_large"})]
    assert telemetry.snapshot()["counters"] == {"exec_pool.fallback": 1}
    assert not executor.started


def test_worker_functions_are_top_level_and_work_in_process():
    import pickle

    assert pickle.loads(pickle.dumps(worker_parse)) is worker_parse
    assert pickle.loads(pickle.dumps(worker_validate)) is worker_validate
    parsed = worker_parse(PROGRAM)
    assert validate_stage(parsed).diagnostics == worker_validate(parsed).diagnostics


def test_module_imports_no_qt():
    code = ("import sys; import engine.execution.process_pool, engine.translator; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'shiboken'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------
# With spawn workers


@pytest.mark.timeout(60)
def test_parse_and_validate_in_workers_with_events_in_order():
    executor, recorder, telemetry = make_executor()
    try:
        parsed = executor.submit_parse(PROGRAM).result()
        validated = executor.submit_validate(parsed, False).result()
    finally:
        executor.shutdown()
    local = validate_stage(parse_stage(PROGRAM))
    assert [d.to_dict() for d in validated.diagnostics] == \
        [d.to_dict() for d in local.diagnostics]
    events = pool_events(recorder)
    assert [name for name, _ in events] == [
        "EXEC_POOL_STARTED", "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TASK_COMPLETED",
        "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TASK_COMPLETED"]
    assert events[0][1] == {"max_workers": 2, "start_method": "spawn"}
    assert events[1][1] == {"kind": "parse", "size_chars": len(PROGRAM)}
    assert events[3][1] == {"kind": "validate", "size_chars": len(PROGRAM)}
    for event in recorder.events:
        assert set(event.data) == PAYLOAD_KEYS[event.type]
    assert events[2][1]["kind"] == "parse" and events[2][1]["duration_ms"] >= 0
    counters = telemetry.snapshot()["counters"]
    assert counters == {"exec_pool.started": 1, "exec_pool.submit": 2, "exec_pool.complete": 2}
    durations = telemetry.snapshot()["durations"]
    assert durations["exec_pool.task_ms"]["count"] == 2
    assert durations["exec_pool.init_ms"]["count"] == 1


@pytest.mark.timeout(60)
@pytest.mark.parametrize("target", ["parse_validate", "parse_only", "validate_only"])
def test_every_target_through_the_manager(target):
    manager, recorder = manager_with(process_pool_target=target)
    reference = TranslationManager(TranslatorConfig())
    try:
        for text in (PROGRAM, BROKEN):
            assert same(manager.translate(text)) == same(reference.translate(text))
    finally:
        manager.shutdown()
    kinds = [e.data["kind"] for e in recorder.of(EventType.EXEC_POOL_TASK_SUBMITTED)]
    expected = {"parse_validate": ["parse", "validate"], "parse_only": ["parse"],
                "validate_only": ["validate"]}[target]
    assert kinds == expected * 2
    assert recorder.of(EventType.EXEC_POOL_FALLBACK) == []


@pytest.mark.timeout(60)
def test_job_cap_through_the_manager_gives_the_in_process_result():
    manager, recorder = manager_with(process_pool_job_max_chars=20)
    try:
        result = manager.translate(PROGRAM)
    finally:
        manager.shutdown()
    assert same(result) == same(TranslationManager().translate(PROGRAM))
    assert pool_events(recorder) == [
        ("EXEC_POOL_FALLBACK", {"kind": "parse", "reason": "job_too_large"}),
        ("EXEC_POOL_FALLBACK", {"kind": "validate", "reason": "job_too_large"})]


@pytest.mark.timeout(60)
def test_slow_worker_times_out_retries_then_falls_back(monkeypatch):
    monkeypatch.setenv(pp.TEST_DELAY_ENV, "30000")
    monkeypatch.setenv(pp.TEST_MATCH_ENV, "SLOWJOB")
    manager, recorder = manager_with(process_pool_task_timeout_ms=400,
                                     process_pool_target="parse_only")
    text = PROGRAM + "// SLOWJOB\n"
    try:
        result = manager.translate(text)
        snapshot = manager.telemetry.snapshot()["counters"]
        restarts = manager.pool_info()["restarts"]
    finally:
        manager.shutdown()
    assert same(result) == same(TranslationManager().translate(text))
    assert pool_events(recorder) == [
        ("EXEC_POOL_STARTED", {"max_workers": 2, "start_method": "spawn"}),
        ("EXEC_POOL_TASK_SUBMITTED", {"kind": "parse", "size_chars": len(text)}),
        ("EXEC_POOL_TIMEOUT", {"kind": "parse", "timeout_ms": 400, "attempt": 1}),
        ("EXEC_POOL_TASK_SUBMITTED", {"kind": "parse", "size_chars": len(text)}),
        ("EXEC_POOL_TIMEOUT", {"kind": "parse", "timeout_ms": 400, "attempt": 2}),
        ("EXEC_POOL_FALLBACK", {"kind": "parse", "reason": "timeout"}),
    ]
    assert snapshot["exec_pool.timeout"] == 2
    assert snapshot["exec_pool.fallback"] == 1
    assert snapshot["exec_pool.submit"] == 2
    assert restarts == 2


@pytest.mark.timeout(60)
def test_no_retry_when_disabled(monkeypatch):
    monkeypatch.setenv(pp.TEST_DELAY_ENV, "30000")
    executor, recorder, _ = make_executor(process_pool_task_timeout_ms=300,
                                          process_pool_retry_on_timeout=False)
    try:
        with pytest.raises(OffloadFallback) as info:
            executor.submit_parse(PROGRAM).result()
    finally:
        executor.shutdown()
    assert info.value.reason == "timeout"
    assert [name for name, _ in pool_events(recorder)] == [
        "EXEC_POOL_STARTED", "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TIMEOUT",
        "EXEC_POOL_FALLBACK"]


@pytest.mark.timeout(60)
def test_a_crash_on_the_first_attempt_is_retried_successfully(monkeypatch, tmp_path):
    monkeypatch.setenv(pp.TEST_CRASH_ENV, "exit")
    monkeypatch.setenv(pp.TEST_ONCE_ENV, str(tmp_path / "crashed-once"))
    executor, recorder, _ = make_executor()
    try:
        parsed = executor.submit_parse(PROGRAM).result()
    finally:
        executor.shutdown()
    assert parsed.diagnostics == parse_stage(PROGRAM).diagnostics
    assert [name for name, _ in pool_events(recorder)] == [
        "EXEC_POOL_STARTED", "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TIMEOUT",
        "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TASK_COMPLETED"]
    assert executor.restart_count == 1


@pytest.mark.timeout(90)
@pytest.mark.parametrize("crash", ["exit", "segv"])
def test_crashing_jobs_do_not_take_other_jobs_down(monkeypatch, crash):
    monkeypatch.setenv(pp.TEST_CRASH_ENV, crash)
    monkeypatch.setenv(pp.TEST_MATCH_ENV, "POISON")
    texts = [PROGRAM.replace("10", str(n)) for n in range(2, 12)]
    texts.insert(3, PROGRAM + "// POISON\n")
    manager, recorder = manager_with(process_pool_target="parse_only")
    reference = TranslationManager()
    try:
        results = manager.translate_many(texts)
    finally:
        manager.shutdown()
    assert [same(r) for r in results] == [same(reference.translate(t)) for t in texts]
    fallbacks = [dict(e.data) for e in recorder.of(EventType.EXEC_POOL_FALLBACK)]
    assert fallbacks == [{"kind": "parse", "reason": "worker_crashed"}]


@pytest.mark.timeout(90)
def test_worker_killed_mid_task_restarts_and_every_job_in_flight_is_correct(monkeypatch):
    monkeypatch.setenv(pp.TEST_DELAY_ENV, "1500")
    monkeypatch.setenv(pp.TEST_MATCH_ENV, "SLOW")
    executor, recorder, telemetry = make_executor()
    texts = [PROGRAM.replace("10", str(n)) + "// SLOW\n" for n in range(2, 8)]
    try:
        handles = [executor.submit_parse(t) for t in texts]
        assert wait_until(lambda: len(executor.busy_worker_pids()) == 2)
        victim = executor.busy_worker_pids()[0]
        before = set(executor.worker_pids())
        os.kill(victim, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        parsed = [h.result() for h in handles]
        after = set(executor.worker_pids())
    finally:
        executor.shutdown()
    assert [p.diagnostics for p in parsed] == [parse_stage(t).diagnostics for t in texts]
    assert victim not in after and len(after) == 2 and after != before
    assert executor.restart_count == 1
    timeouts = [dict(e.data) for e in recorder.of(EventType.EXEC_POOL_TIMEOUT)]
    assert timeouts == [{"kind": "parse", "timeout_ms": 20_000, "attempt": 1}]
    assert recorder.of(EventType.EXEC_POOL_FALLBACK) == []
    counters = telemetry.snapshot()["counters"]
    assert counters["exec_pool.complete"] == len(texts)
    assert counters["exec_pool.submit"] == len(texts) + 1
    assert counters["exec_pool.worker_restart"] == 1


@pytest.mark.timeout(60)
def test_an_exception_in_the_worker_falls_back_with_worker_error():
    executor, recorder, _ = make_executor()
    try:
        with pytest.raises(OffloadFallback) as info:
            executor.submit_validate("not a parsed document", False, size_chars=5).result()
        # The worker survived: the next job works.
        assert executor.submit_parse(PROGRAM).result().diagnostics == \
            parse_stage(PROGRAM).diagnostics
    finally:
        executor.shutdown()
    assert info.value.reason == "worker_error"
    assert executor.restart_count == 0


@pytest.mark.timeout(60)
def test_a_job_that_cannot_be_pickled_falls_back():
    executor, recorder, _ = make_executor()
    try:
        with pytest.raises(OffloadFallback) as info:
            executor.submit_validate(lambda: None, False, size_chars=1).result()
        assert executor.submit_parse(PROGRAM).result() is not None
    finally:
        executor.shutdown()
    assert info.value.reason == "worker_error"


@pytest.mark.timeout(60)
def test_workers_that_cannot_start_make_the_pool_unavailable(monkeypatch):
    monkeypatch.setenv(pp.TEST_CRASH_ENV, "startup")
    manager, recorder = manager_with()
    try:
        first = manager.translate(PROGRAM)
        second = manager.translate(PROGRAM)
        reason = manager.pool_info()["unavailable"]
    finally:
        manager.shutdown()
    assert same(first) == same(second) == same(TranslationManager().translate(PROGRAM))
    reasons = [e.data["reason"] for e in recorder.of(EventType.EXEC_POOL_FALLBACK)]
    assert reasons and set(reasons) == {"pool_unavailable"}
    assert reason


@pytest.mark.timeout(60)
def test_shutdown_leaves_no_worker_and_later_jobs_run_in_process():
    manager, recorder = manager_with()
    manager.translate(PROGRAM)
    pids = manager.pool_info()["pids"]
    assert len(pids) == 2 and all(alive(p) for p in pids)
    manager.shutdown()
    assert not any(alive(p) for p in pids)
    # A manager that was shut down still translates (in-process, no pool).
    assert same(manager.translate(PROGRAM)) == same(TranslationManager().translate(PROGRAM))


@pytest.mark.timeout(60)
def test_shutdown_while_jobs_wait_makes_them_fall_back(monkeypatch):
    monkeypatch.setenv(pp.TEST_DELAY_ENV, "30000")
    executor, recorder, _ = make_executor()
    handles = [executor.submit_parse(PROGRAM) for _ in range(4)]
    assert wait_until(lambda: len(executor.busy_worker_pids()) == 2)
    pids = executor.worker_pids()
    executor.shutdown()
    for handle in handles:
        with pytest.raises(OffloadFallback) as info:
            handle.result()
        assert info.value.reason == "shutdown"
    assert not any(alive(p) for p in pids)


_EXIT_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {root!r})
from engine.config import ExecutionConfig
from engine.execution.process_pool import ParseValidateExecutor
if __name__ == "__main__":
    executor = ParseValidateExecutor(ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=2, process_pool_start_method="spawn"))
    executor.start()
    executor.wait_ready(60)
    print(" ".join(map(str, executor.worker_pids())), flush=True)
    if sys.argv[1] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    # "exit": leave without shutting down
"""


@pytest.mark.timeout(90)
@pytest.mark.parametrize("how", ["exit", "kill"])
def test_no_orphans_when_the_parent_exits_or_is_killed(tmp_path, how):
    if how == "kill" and not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL here")
    script = tmp_path / "parent.py"
    script.write_text(_EXIT_SCRIPT.format(root=str(ROOT)))
    done = subprocess.run([sys.executable, str(script), how], capture_output=True, text=True,
                          timeout=60)
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2, done.stdout + done.stderr
    assert wait_until(lambda: not any(alive(p) for p in pids), timeout=20)


# --------------------------------------------------------------------------
# Same results with the pool on and off


def corpus() -> list[tuple[str, str]]:
    cases = sorted(CONFORMANCE.glob("*.pseudo"))
    assert cases, f"no conformance corpus in {CONFORMANCE}"
    return [(p.stem, p.read_text(encoding="utf-8")) for p in cases]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("target", ["parse_validate", "parse_only", "validate_only"])
def test_pool_on_and_off_give_identical_results_over_the_conformance_corpus(target):
    cases = corpus()
    reference = TranslationManager(TranslatorConfig())
    expected = [same(reference.translate(text)) for _, text in cases]
    manager, recorder = manager_with(process_pool_target=target)
    try:
        one_by_one = [same(manager.translate(text)) for _, text in cases]
        batch = [same(r) for r in manager.translate_many([text for _, text in cases])]
    finally:
        manager.shutdown()
    for (name, _), want, got, got_batch in zip(cases, expected, one_by_one, batch, strict=True):
        assert got == want, name
        assert got_batch == want, name
    assert recorder.of(EventType.EXEC_POOL_FALLBACK) == []
    assert recorder.of(EventType.EXEC_POOL_TASK_COMPLETED)


@pytest.mark.timeout(60)
def test_strict_mode_reaches_the_workers():
    text = "DECLARE X : INTEGER\nY <- 5\nOUTPUT Y\n"
    config = TranslatorConfig(execution=execution())
    config.translation.strict_mode = True
    reference_config = TranslatorConfig()
    reference_config.translation.strict_mode = True
    with TranslationManager(config) as manager:
        pooled = manager.translate(text)
        batch = manager.translate_many([text])[0]
    local = TranslationManager(reference_config).translate(text)
    assert same(pooled) == same(batch) == same(local)


@pytest.mark.timeout(90)
def test_many_threads_translating_at_once_share_the_pool():
    import threading

    texts = [PROGRAM.replace("10", str(n)) for n in range(2, 14)] + [BROKEN]
    expected = [same(TranslationManager().translate(t)) for t in texts]
    manager, recorder = manager_with()
    got: dict[int, tuple] = {}

    def work(offset: int) -> None:
        for i in range(offset, len(texts), 4):
            got[i] = same(manager.translate(texts[i]))

    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        manager.shutdown()
    assert [got[i] for i in range(len(texts))] == expected
    assert len(recorder.of(EventType.EXEC_POOL_STARTED)) == 1
    assert recorder.of(EventType.EXEC_POOL_FALLBACK) == []


@pytest.mark.timeout(60)
def test_a_failing_dispatcher_never_hangs_a_job_nor_leaves_workers(monkeypatch):
    monkeypatch.setenv(pp.TEST_DELAY_ENV, "30000")
    executor, recorder, _ = make_executor()
    handle = executor.submit_parse(PROGRAM)
    assert wait_until(lambda: len(executor.busy_worker_pids()) == 1)
    pids = executor.worker_pids()

    def broken() -> None:
        raise RuntimeError("dispatcher bug")

    monkeypatch.setattr(executor._dispatcher, "check_health", broken)
    executor._dispatcher.wake()
    with pytest.raises(OffloadFallback) as info:
        handle.result()
    assert info.value.reason == "pool_unavailable"
    with pytest.raises(OffloadFallback) as later:
        executor.submit_parse(PROGRAM)
    assert later.value.reason == "pool_unavailable"
    executor.shutdown()
    assert not any(alive(p) for p in pids)


@pytest.mark.timeout(90)
def test_the_match_seam_picks_validate_jobs_by_their_pseudocode(monkeypatch):
    """PSEUDOCODE_TEST_WORKER_MATCH reads a validate job's text (ParsedDocument.pseudocode):
    the validation of the marked program crashes its worker, the other one does not."""
    monkeypatch.setenv(pp.TEST_CRASH_ENV, "exit")
    monkeypatch.setenv(pp.TEST_KIND_ENV, "validate")
    monkeypatch.setenv(pp.TEST_MATCH_ENV, "POISON")
    executor, recorder, _ = make_executor(process_pool_retry_limit=0)
    try:
        clean = executor.submit_validate(parse_stage(PROGRAM), False).result()
        with pytest.raises(OffloadFallback) as info:
            executor.submit_validate(parse_stage(PROGRAM + "// POISON\n"), False).result()
    finally:
        executor.shutdown()
    assert clean.diagnostics == validate_stage(parse_stage(PROGRAM)).diagnostics
    assert (info.value.kind, info.value.reason) == ("validate", "worker_crashed")
    assert executor.restart_count == 1


def test_a_validate_job_knows_its_source_text():
    from engine.execution.jobs import source_text_of

    assert source_text_of(parse_stage(PROGRAM)) == PROGRAM
    assert source_text_of("not a parsed document") == ""
