"""How the pool hands out jobs: channels take them from one queue, a job that needs a tree
goes to the worker that keeps it, the plain style comes back made, the worker's job loop.

The rest of the pool's behaviour (events, faults, shutdown) is in test_process_pool.py
and test_process_pool_faults.py; here the dispatch itself, with real spawn workers where
processes are involved.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
import time
from concurrent.futures import Future

import pool_fault_helpers as helpers
import pytest

from engine import pipeline
from engine.config import ExecutionConfig, TranslatorConfig
from engine.events import JobKind
from engine.execution.channel import JobQueue, WorkerSlot, handoff_limit
from engine.execution.process_pool import ParseValidateExecutor
from engine.execution.tasks import Outcome, Status, Task
from engine.execution.worker import run_job
from engine.translator import TranslationManager

PROGRAM = """\
DECLARE Marks : ARRAY[1:5] OF INTEGER
DECLARE K : INTEGER
FOR K <- 1 TO 5
    Marks[K] <- K * K
NEXT K
OUTPUT "Last: ", Marks[5]
"""

class _Process:
    def __init__(self, pid: int) -> None:
        self.pid = pid


def _slot(pid: int, busy: bool = False) -> WorkerSlot:
    slot = WorkerSlot(_Process(pid), conn=None, initial=True)
    slot.ready = True
    if busy:
        slot.task = _task(0)
    return slot


def _task(ident: int, affinity: int | None = None) -> Task:
    return Task(ident, JobKind.VALIDATE, helpers.echo, (ident,), 1, 1, Future(),
                affinity=affinity)


def _queue(*slots: WorkerSlot) -> JobQueue:
    deadlines: list[float] = []
    queue = JobQueue(threading.Lock(), 5.0, deadlines.append)
    queue.workers.extend(slots)
    return queue


def test_a_job_waits_for_the_free_worker_that_keeps_its_tree() -> None:
    keeper, other = _slot(101), _slot(202)
    queue = _queue(keeper, other)
    with queue.lock:
        queue.put_locked(_task(1, affinity=101))
        queue.put_locked(_task(2))
    taken = queue.take(other)  # the other worker leaves task 1 to its keeper
    assert taken is not None and taken.id == 2 and other.task is taken
    assert taken.deadline - taken.dispatched_at == pytest.approx(5.0)
    mine = queue.take(keeper)
    assert mine is not None and mine.id == 1
    assert not queue.pending


def test_a_job_whose_keeper_is_busy_or_gone_goes_to_any_worker() -> None:
    keeper, other = _slot(101, busy=True), _slot(202)
    queue = _queue(keeper, other)
    with queue.lock:
        queue.put_locked(_task(1, affinity=101))
        queue.put_locked(_task(2, affinity=999))  # that worker was replaced
    first, second = queue.take(other), None
    other.task = None
    second = queue.take(other)
    assert (first.id, second.id) == (1, 2)


def test_a_reply_resolves_only_the_task_its_worker_still_has() -> None:
    slot = _slot(7)
    queue = _queue(slot)
    task = _task(1)
    with queue.lock:
        queue.put_locked(task)
    assert queue.take(slot) is task
    queue.finish(slot, task, Outcome(Status.OK, "value"))
    assert task.future.result().value == "value" and slot.task is None
    late = _task(2)
    queue.finish(slot, late, Outcome(Status.OK, "dropped"))  # not this worker's task any more
    assert not late.future.done()
    queue.stop(slot)
    assert queue.take(slot) is None


def test_the_job_loop_pauses_the_collector_and_reports_errors() -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        seen: list[bool] = []
        assert run_job(3, lambda: seen.append(gc.isenabled()) or 42, ()) == (3, "ok", 42, "")
        assert seen == [False] and gc.isenabled()
        task_id, status, error, detail = run_job(4, lambda: 1 / 0, ())
        assert (task_id, status, type(error)) == (4, "error", ZeroDivisionError)
        assert "ZeroDivisionError" in detail and gc.isenabled()
    finally:
        if not was:
            gc.disable()


def _ready_executor() -> ParseValidateExecutor:
    """Two spawn workers, started and ready."""
    executor = ParseValidateExecutor(ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=2,
        process_pool_start_method="spawn", process_pool_task_timeout_ms=20_000))
    executor.start()
    assert executor.wait_ready(60)
    return executor


@pytest.mark.timeout(90)
def test_a_job_with_affinity_runs_on_that_worker() -> None:
    executor = _ready_executor()
    try:
        pids = executor.worker_pids()
        ran = [executor._submit_checked(JobKind.VALIDATE, helpers.own_pid, (None,), 1,
                                        affinity=pid).result()
               for pid in pids * 5]
    finally:
        executor.shutdown()
    assert ran == pids * 5


@pytest.mark.timeout(90)
def test_the_plain_style_through_the_pool_never_parses_in_the_parent(monkeypatch) -> None:
    config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=2,
        process_pool_start_method="spawn", process_pool_task_timeout_ms=20_000))
    config.translation.python_style = "plain"
    reference_config = TranslatorConfig()
    reference_config.translation.python_style = "plain"
    expected = TranslationManager(reference_config).translate(PROGRAM)
    parsed_here: list[str] = []
    real_parse = pipeline.parse_stage

    def counting(text: str) -> pipeline.ParsedDocument:
        parsed_here.append(text)
        return real_parse(text)

    with TranslationManager(config) as manager:
        manager.start_pool(wait_ready=60)
        monkeypatch.setattr(pipeline, "parse_stage", counting)
        result = manager.translate(PROGRAM)
    assert parsed_here == []
    assert (result.code, result.plain_code, result.plain_line_map) == \
        (expected.code, expected.plain_code, expected.plain_line_map)
    assert result.plain_code and result.plain_code != result.code


def _wait_for(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return False


def test_a_new_job_wakes_one_waiting_channel_the_keeper_first() -> None:
    first, keeper = _slot(101), _slot(202)
    queue = _queue(first, keeper)
    got: dict[int, Task | None] = {}

    def channel(slot: WorkerSlot) -> None:
        got[slot.pid] = queue.take(slot)

    threads = [threading.Thread(target=channel, args=(s,), daemon=True) for s in (first, keeper)]
    threads[0].start()
    assert _wait_for(lambda: queue.waiting == [first])
    threads[1].start()
    assert _wait_for(lambda: queue.waiting == [first, keeper])
    with queue.lock:
        queue.put_locked(_task(1, affinity=202))  # first waited longer; the keeper is woken
    threads[1].join(10)
    assert got[202].id == 1 and queue.waiting == [first] and 101 not in got
    with queue.lock:
        queue.put_locked(_task(2))
    threads[0].join(10)
    assert got[101].id == 2 and queue.waiting == []


def test_a_small_job_for_a_waiting_worker_is_handed_off_a_large_one_is_queued() -> None:
    slot = _slot(101)
    slot.handoff_limit = 1000
    queue = _queue(slot)
    got: list[Task | None] = []
    thread = threading.Thread(target=lambda: got.append(queue.take(slot)), daemon=True)
    thread.start()
    assert _wait_for(lambda: queue.waiting == [slot])
    large = _task(1)
    with queue.lock:
        assert queue.put_locked(large, b"x" * 1001) is None  # too large for the pipe's buffer
    thread.join(10)
    assert got == [large] and not large.handed_off
    slot.task = None
    thread = threading.Thread(target=lambda: got.append(queue.take(slot)), daemon=True)
    thread.start()
    assert _wait_for(lambda: queue.waiting == [slot])
    small = _task(2)
    with queue.lock:
        assert queue.put_locked(small, b"x" * 1000) is slot
    assert small.handed_off and slot.task is small and slot.writing
    thread.join(10)
    assert got[-1] is small  # its channel only reads the reply


def test_hand_off_is_posix_only_and_bounded_by_the_pipe_buffer() -> None:
    assert handoff_limit(None) == 0
    ours, theirs = multiprocessing.Pipe(duplex=True)
    try:
        limit = handoff_limit(ours)
    finally:
        ours.close()
        theirs.close()
    if sys.platform == "win32":
        assert limit == 0
    else:
        assert 0 < limit <= 32 * 1024


@pytest.mark.timeout(90)
def test_small_jobs_are_written_by_their_submitter_and_still_come_back() -> None:
    executor = _ready_executor()
    try:
        small = executor._submit_checked(JobKind.PARSE, helpers.echo, ("small",), 5)
        assert small.result() == "small"
        large = executor._submit_checked(JobKind.PARSE, helpers.echo, ("large",), 50_000,
                                         check_size=False)
        assert large.result() == "large"
    finally:
        executor.shutdown()
    assert small._task.handed_off == (sys.platform != "win32")
    assert not large._task.handed_off
