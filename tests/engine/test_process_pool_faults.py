"""The pool under faults, with real workers under spawn, fork and forkserver.

- a worker stopped half way through sending its result blocks only itself:
  the other worker's jobs go on, the stopped one's job times out and is
  retried, and ``shutdown()`` is quick and leaves no process;
- workers stay up under every start method (forkserver workers used to exit
  a second after they started, their parent being the fork server);
- workers never outlive the pool's process, under every start method;
- ``max_workers`` is bounded by the machine.

Every test that starts workers has a timeout mark, so a hang fails instead of
blocking CI. Timings are printed, never asserted, except generous bounds
that only a hang could exceed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pool_fault_helpers as helpers
import pytest
from pool_fault_helpers import alive, wait_until

from engine.config import ConfigManager, ExecutionConfig, max_pool_workers
from engine.events import FallbackReason, JobKind
from engine.execution.process_pool import ParseValidateExecutor
from engine.execution.tasks import OffloadFallback

ROOT = Path(__file__).resolve().parents[2]
METHODS = [m for m in ("spawn", "fork", "forkserver")
           if m in multiprocessing.get_all_start_methods()]
posix_only = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP")


def make_executor(method: str, **overrides) -> ParseValidateExecutor:
    values = dict(process_pool_enabled=True, process_pool_max_workers=2,
                  process_pool_start_method=method, process_pool_task_timeout_ms=3000)
    values.update(overrides)
    return ParseValidateExecutor(ExecutionConfig(**values))


def submit(executor: ParseValidateExecutor, func, *args):
    return executor._submit_checked(JobKind.PARSE, func, args, 10)


def stopped(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "T"
    except OSError:
        return False


@posix_only
@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_a_worker_stopped_mid_send_blocks_neither_the_pool_nor_shutdown(method, tmp_path):
    executor = make_executor(method)
    executor.start()
    assert executor.wait_ready(60)
    first_pids = set(executor.worker_pids())
    marker = str(tmp_path / "stopped-once")
    big = "x" * 300_000  # larger than a pipe's buffer: the send really is cut in half
    stuck = submit(executor, helpers.stop_mid_send_once, marker, big)
    assert wait_until(lambda: any(stopped(p) for p in first_pids), 30)
    victim = next(p for p in first_pids if stopped(p))
    # The other worker goes on serving jobs while the stopped one holds half a result.
    others = [submit(executor, helpers.echo, n) for n in range(20)]
    assert [h.result() for h in others] == list(range(20))
    # The stuck job times out, its worker is killed and replaced, the retry succeeds.
    assert stuck.result() == big
    assert executor.restart_count >= 1
    assert wait_until(lambda: not alive(victim), 10)
    pids = executor.worker_pids()
    started = time.monotonic()
    executor.shutdown()
    elapsed = time.monotonic() - started
    print(f"{method}: shutdown took {elapsed:.3f} s")
    assert elapsed < 5.0  # it used to take 10 s (the dispatcher was stuck in recv)
    assert wait_until(lambda: not any(alive(p) for p in pids), 10)


@posix_only
@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_shutdown_with_a_worker_stopped_mid_send_is_quick_and_leaves_no_process(
        method, tmp_path):
    executor = make_executor(method, process_pool_task_timeout_ms=60_000)
    executor.start()
    assert executor.wait_ready(60)
    pids = executor.worker_pids()
    stuck = submit(executor, helpers.stop_mid_send_once, str(tmp_path / "once"), "y" * 300_000)
    assert wait_until(lambda: any(stopped(p) for p in pids), 30)
    started = time.monotonic()
    executor.shutdown()
    elapsed = time.monotonic() - started
    print(f"{method}: shutdown with a stopped worker took {elapsed:.3f} s")
    assert elapsed < 5.0
    assert wait_until(lambda: not any(alive(p) for p in pids), 10)
    with pytest.raises(OffloadFallback) as caught:
        stuck.result()
    assert caught.value.reason == FallbackReason.SHUTDOWN


@posix_only
@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_a_stopped_worker_that_is_continued_in_time_delivers_its_result(method, tmp_path):
    executor = make_executor(method, process_pool_task_timeout_ms=60_000)
    try:
        executor.start()
        assert executor.wait_ready(60)
        pids = executor.worker_pids()
        payload = list(range(50_000))
        handle = submit(executor, helpers.stop_mid_send_once, str(tmp_path / "once"), payload)
        assert wait_until(lambda: any(stopped(p) for p in pids), 30)
        victim = next(p for p in pids if stopped(p))
        assert [submit(executor, helpers.echo, "a").result() for _ in range(3)] == ["a"] * 3
        os.kill(victim, signal.SIGCONT)
        assert handle.result() == payload
        assert executor.restart_count == 0
    finally:
        executor.shutdown()


@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_workers_stay_up_under_every_start_method(method):
    executor = make_executor(method)
    try:
        executor.start()
        assert executor.wait_ready(60)
        pids = sorted(executor.worker_pids())
        time.sleep(2.5)  # forkserver workers used to exit after about one second
        assert executor.restart_count == 0
        assert sorted(executor.worker_pids()) == pids
        assert all(alive(p) for p in pids)
        assert submit(executor, helpers.echo, 7).result() == 7
        assert executor.restart_count == 0
    finally:
        executor.shutdown()


_ORPHAN_SCRIPT = """\
import os, signal, sys
sys.path.insert(0, {root!r})
from engine.config import ExecutionConfig
from engine.execution.process_pool import ParseValidateExecutor

if __name__ == "__main__":
    executor = ParseValidateExecutor(ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=2,
        process_pool_start_method=sys.argv[1]))
    executor.start()
    executor.wait_ready(60)
    print(" ".join(map(str, executor.worker_pids())), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@posix_only
@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_no_orphans_when_the_pool_process_is_killed_under_every_start_method(tmp_path, method):
    script = tmp_path / "parent.py"
    script.write_text(_ORPHAN_SCRIPT.format(root=str(ROOT)))
    done = subprocess.run([sys.executable, str(script), method], capture_output=True,
                          text=True, timeout=60)
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2, done.stdout + done.stderr
    assert wait_until(lambda: not any(alive(p) for p in pids), timeout=20)


# --------------------------------------------------------------------------
# max_workers is bounded by the machine


def test_max_workers_is_bounded_by_the_machine_with_a_warning(caplog):
    bound = max_pool_workers()
    assert bound == max(2, 4 * (os.cpu_count() or 1)) or sys.platform == "win32"
    with caplog.at_level(logging.WARNING, logger="engine.execution.process_pool"):
        executor = ParseValidateExecutor(ExecutionConfig(process_pool_enabled=True,
                                                         process_pool_max_workers=1024))
    assert executor.max_workers == bound
    assert any("1024" in r.getMessage() and f"using {bound}" in r.getMessage()
               for r in caplog.records)
    small = ParseValidateExecutor(ExecutionConfig(process_pool_enabled=True,
                                                  process_pool_max_workers=2))
    assert small.max_workers == 2


def test_max_workers_bound_follows_the_cpu_count_and_windows(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert max_pool_workers("linux") == 8
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert max_pool_workers("linux") == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert max_pool_workers("linux") == 256
    assert max_pool_workers("win32") == 61


def test_config_clamps_max_workers_to_the_machine_naming_the_value(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    path = tmp_path / "config.yaml"
    path.write_text("execution:\n  process_pool_max_workers: 1024\n")
    manager = ConfigManager(path, environ={}, platform="linux")
    assert manager.load().execution.process_pool_max_workers == 8
    message = str(manager.warnings[0])
    assert message.startswith(f"{path}:2:") and "1024" in message and "using 8" in message


@posix_only
@pytest.mark.timeout(90)
@pytest.mark.parametrize("method", METHODS)
def test_a_worker_stopped_before_it_reads_a_large_job_does_not_block_the_pool(method):
    # One worker, stopped while idle; the job (larger than any pipe buffer) cannot be
    # written to it. The send used to happen on the dispatcher, which then waited forever.
    executor = make_executor(method, process_pool_max_workers=1,
                             process_pool_task_timeout_ms=2000)
    try:
        executor.start()
        assert executor.wait_ready(60)
        (victim,) = executor.worker_pids()
        os.kill(victim, signal.SIGSTOP)
        assert wait_until(lambda: stopped(victim), 10)
        big = "z" * 4_000_000
        assert submit(executor, helpers.echo, big).result() == big  # retried on a new worker
        assert executor.restart_count == 1
        assert wait_until(lambda: not alive(victim), 10)
    finally:
        executor.shutdown()
