"""Opt-in process pool that runs the parse and validate stages on other cores.

Why a pool of our own and not ``ProcessPoolExecutor``: there, one worker that
dies or has to be killed after a timeout breaks the whole pool and every job
queued in it. Here each worker is a process with its own pipe and one job at
a time, so a crash or a hang costs only the job on that worker: the worker is
replaced ("the pool is restarted"), that job is retried, and every other job
goes on undisturbed. Whatever happens, every job gets its result: when the
pool cannot give it, the caller runs the stage in-process (a *fallback*).

The rules of docs/process_pool.md, in one place:

- the pool starts lazily, on the first job; ``max_workers`` resolves to
  ``max(2, os.cpu_count() or 2)`` when unset; the start method comes from the
  config, else ``spawn`` on Windows, else the platform's default;
- only the configured target (``parse_validate``, ``parse_only``,
  ``validate_only``) is offloaded; a job larger than
  ``process_pool_job_max_chars`` runs in-process (FALLBACK ``job_too_large``);
- the per-task timeout counts from the moment a worker takes the job (time
  spent queued behind other jobs does not count);
- on a timeout or a dead worker: TIMEOUT event, the worker is replaced, and
  the job is retried up to ``process_pool_retry_limit`` times when
  ``process_pool_retry_on_timeout``; after that, FALLBACK and in-process;
- a worker never outlives the executor: ``shutdown()``, interpreter exit
  and the death of the parent process all end it.

This module is the facade (configuration, submission, events, shutdown). The
parts: engine/execution/tasks.py (a job as its submitter sees it, the retry
loop), channel.py (a worker's pipe and the queue its channel takes jobs
from), dispatcher.py (deadlines, dead workers, start and stop), worker.py
(the worker process), jobs.py (what a worker runs).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import pickle
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from multiprocessing.reduction import ForkingPickler
from typing import Any

from engine.config import ALLOWED_TARGETS, ExecutionConfig, max_pool_workers
from engine.config.auto import automatic_workers, resolve_start_method
from engine.events import EventDispatcher, EventType, FallbackReason, JobKind
from engine.execution.dispatcher import Dispatcher
from engine.execution.jobs import (
    source_text_of,
    worker_batch,
    worker_parse,
    worker_parse_validate,
    worker_translate,
    worker_validate,
)
from engine.execution.tasks import (
    POLL_S,
    OffloadFallback,
    Outcome,
    Status,
    Task,
    TaskHandle,
    resolve,
    wait_any,
)
from engine.telemetry import TelemetryRecorder

log = logging.getLogger(__name__)

_LIVE_EXECUTORS: weakref.WeakSet[ParseValidateExecutor] = weakref.WeakSet()


@atexit.register
def _shutdown_all_at_exit() -> None:
    for executor in list(_LIVE_EXECUTORS):
        try:
            executor.shutdown(wait=True, timeout=2.0)
        except Exception:
            pass


# Jobs of documents longer than this are never written by their submitter (channel.py).
_HANDOFF_MAX_CHARS = 16_000


def encode_small_job(task: Task) -> bytes | None:
    """The job's message, pickled, if it is small enough to hand off; None otherwise (its
    channel pickles it, and reports what will not pickle)."""
    if task.size_chars > _HANDOFF_MAX_CHARS:
        return None
    try:
        return bytes(ForkingPickler.dumps((task.id, task.func, task.args),
                                          pickle.HIGHEST_PROTOCOL))
    except Exception:
        return None


class ParseValidateExecutor:
    """Runs ``worker_parse`` / ``worker_validate`` jobs in worker processes.

    ``submit_*`` returns a :class:`TaskHandle` (or raises :class:`OffloadFallback`
    when the job must run in-process); ``handle.result()`` waits, retries and
    finally raises :class:`OffloadFallback` if the pool could not do the job.
    Thread-safe: any thread may submit and wait.
    """

    def __init__(self, config: ExecutionConfig | None = None, *,
                 events: EventDispatcher | None = None,
                 telemetry: TelemetryRecorder | None = None) -> None:
        self.config = config if config is not None else ExecutionConfig(process_pool_enabled=True)
        self.events = events
        self.telemetry = telemetry if telemetry is not None else TelemetryRecorder(False)
        self.max_workers = self._resolve_max_workers()
        self.start_method = self._resolve_start_method()
        self.target = (self.config.process_pool_target
                       if self.config.process_pool_target in ALLOWED_TARGETS else "parse_validate")
        timeout_ms = self.config.process_pool_task_timeout_ms
        self.timeout_ms = timeout_ms if isinstance(timeout_ms, int) and timeout_ms > 0 else 5000
        self.job_max_chars = max(1, int(self.config.process_pool_job_max_chars or 1))
        self.retry_on_timeout = bool(self.config.process_pool_retry_on_timeout)
        self.retry_limit = max(0, int(self.config.process_pool_retry_limit or 0))
        self._ids = itertools.count(1)
        self._dispatcher = Dispatcher(max_workers=self.max_workers,
                                      start_method=self.start_method,
                                      timeout_ms=self.timeout_ms, telemetry=self.telemetry)

    # -- resolution of the configuration

    def _resolve_max_workers(self) -> int:
        """The configured number, bounded by the machine (see ``max_pool_workers``)."""
        configured = self.config.process_pool_max_workers
        if isinstance(configured, int) and not isinstance(configured, bool) and configured >= 1:
            workers = configured
        else:
            workers = automatic_workers()
        bound = max_pool_workers()
        if workers > bound:
            log.warning("process_pool_max_workers=%d is more than this machine can use "
                        "(%d CPUs); using %d workers", workers, os.cpu_count() or 1, bound)
            workers = bound
        return workers

    def _resolve_start_method(self) -> str:
        """The config's method if available here; else spawn on Windows; else the default
        (``engine.config.auto.resolve_start_method``)."""
        return resolve_start_method(self.config.process_pool_start_method)

    def offloads(self, kind: JobKind) -> bool:
        """Whether the target sends this kind of job (``parse``/``validate``) to the pool."""
        if kind == JobKind.PARSE:
            return self.target in ("parse_validate", "parse_only")
        if kind == JobKind.VALIDATE:
            return self.target in ("parse_validate", "validate_only")
        if kind == JobKind.PARSE_VALIDATE:
            return self.target == "parse_validate"
        return False

    # -- events and telemetry

    def emit(self, type: EventType, **data: Any) -> None:
        if self.events is not None:
            self.events.emit(type, data)

    def fallback(self, kind: JobKind, reason: FallbackReason,
                 cause: BaseException | None = None) -> OffloadFallback:
        """Count and announce a fallback; the marker to raise."""
        self.telemetry.incr("exec_pool.fallback")
        self.emit(EventType.EXEC_POOL_FALLBACK, kind=kind, reason=reason)
        return OffloadFallback(kind, reason, cause)

    # -- submission

    def submit_parse(self, text: str, keep_tree: bool = False) -> TaskHandle:
        """Parse ``text`` in a worker (raises OffloadFallback to mean "do it here").

        ``keep_tree``: a validation job follows, so the worker keeps the tree and only
        the diagnostics come back (``engine.pipeline.pool_parse_stage``)."""
        return self._submit_checked(JobKind.PARSE, worker_parse, (text, keep_tree), len(text))

    def submit_validate(self, parsed: Any, strict: bool = False,
                        size_chars: int | None = None, *, plain: bool = False) -> TaskHandle:
        """Validate a parsed document in a worker (same contract as submit_parse).

        A document whose tree a worker kept goes to that worker when it is free.
        ``plain``: the worker makes the plain style's code too (translation.python_style)."""
        if size_chars is None:
            size_chars = getattr(parsed, "source_chars", 0) or len(source_text_of(parsed))
        key = getattr(parsed, "tree_key", None)
        affinity = key[0] if isinstance(key, tuple) and key and isinstance(key[0], int) else None
        return self._submit_checked(JobKind.VALIDATE, worker_validate, (parsed, strict, plain),
                                    size_chars, affinity=affinity)

    def submit_batch(self, kind: JobKind, items: Sequence[tuple[Any, ...]], size_chars: int,
                     *, whole_pipeline: bool = False) -> TaskHandle:
        """Several documents' jobs of one kind as one task; result: a list of outcomes.

        Each outcome is ``("ok", value, ms)`` or ``("error", exception, traceback)``
        (see :func:`worker_batch`). Used by the manager's batch API so that
        small documents do not pay one round trip each. ``whole_pipeline``
        (kind ``parse_validate`` only) runs :func:`worker_translate` per item.
        The caller keeps each item within the size cap.
        """
        if kind == JobKind.PARSE_VALIDATE:
            func: Callable[..., Any] = worker_translate if whole_pipeline \
                else worker_parse_validate
        else:
            func = {JobKind.PARSE: worker_parse, JobKind.VALIDATE: worker_validate}[kind]
        return self._submit_checked(kind, worker_batch, (func, list(items)), size_chars,
                                    check_size=False)

    def _submit_checked(self, kind: JobKind, func: Callable[..., Any], args: tuple[Any, ...],
                        size_chars: int, check_size: bool = True,
                        affinity: int | None = None) -> TaskHandle:
        if not self.offloads(kind):
            raise OffloadFallback(kind, FallbackReason.NOT_TARGETED)
        if check_size and size_chars > self.job_max_chars:
            raise self.fallback(kind, FallbackReason.JOB_TOO_LARGE)
        task = self._new_task(kind, func, args, size_chars, attempt=1, affinity=affinity)
        self._enqueue(task)
        return TaskHandle(self, task)

    def _new_task(self, kind: JobKind, func: Callable[..., Any], args: tuple[Any, ...],
                  size_chars: int, attempt: int, affinity: int | None = None) -> Task:
        return Task(next(self._ids), kind, func, args, size_chars, attempt, Future(),
                    affinity=affinity)

    def resubmit(self, task: Task) -> Task:
        """The next attempt of ``task`` (a retry), queued; raises OffloadFallback if the
        pool cannot take it any more. The worker that kept its tree is gone: no affinity."""
        retry = self._new_task(task.kind, task.func, task.args, task.size_chars,
                               attempt=task.attempt + 1)
        self._enqueue(retry)
        return retry

    def _enqueue(self, task: Task) -> None:
        """Start the pool if needed, queue the task (or write it to an idle worker at once,
        see ``channel.py``), and say so (SUBMITTED)."""
        pool = self._dispatcher
        payload = encode_small_job(task)
        handed_to = None
        just_started = False
        with pool.lock:
            if pool.closing:
                reason: FallbackReason | None = FallbackReason.SHUTDOWN
            elif pool.unavailable is not None:
                reason = FallbackReason.POOL_UNAVAILABLE
            else:
                reason = None
                if not pool.started:
                    try:
                        pool.start_locked()
                        just_started = True
                    except Exception as exc:
                        log.warning("process pool could not start: %s", exc)
                        pool.unavailable = f"start failed: {exc}"
                        reason = FallbackReason.POOL_UNAVAILABLE
            if reason is None:
                handed_to = pool.jobs.put_locked(task, payload)
        if handed_to is not None and payload is not None:
            pool.jobs.hand_off(handed_to, payload)
            pool.deadline_set(task.deadline)
        if just_started:
            self._announce_start()
        if reason is not None:
            raise self.fallback(task.kind, reason)
        self.telemetry.incr("exec_pool.submit")
        self.emit(EventType.EXEC_POOL_TASK_SUBMITTED, kind=task.kind, size_chars=task.size_chars)

    def start(self) -> None:
        """Start the workers now instead of on the first job (e.g. at app start-up)."""
        pool = self._dispatcher
        with pool.lock:
            if pool.started or pool.closing:
                return
            pool.start_locked()
        self._announce_start()

    def _announce_start(self) -> None:
        # Outside the lock: a handler may submit work of its own.
        _LIVE_EXECUTORS.add(self)
        self.telemetry.incr("exec_pool.started")
        self.emit(EventType.EXEC_POOL_STARTED, max_workers=self.max_workers,
                  start_method=self.start_method)

    # -- waiting

    def wait_outcome(self, task: Task, timeout: float | None = None) -> Outcome | None:
        """The attempt's outcome (None if ``timeout`` passed first).

        Never waits forever on a dispatcher that is gone: its jobs are then
        resolved as "unavailable" (or "shutdown") and fall back.
        """
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            slice_s = POLL_S if end is None else max(0.0, min(POLL_S, end - time.monotonic()))
            try:
                return task.future.result(timeout=slice_s)
            except TimeoutError:
                pass
            if self.resolve_if_orphaned(task):
                return task.future.result()
            if end is not None and time.monotonic() >= end:
                return None

    def resolve_if_orphaned(self, task: Task) -> bool:
        """If no dispatcher will ever finish ``task``, finish it now; True if done."""
        status = self._dispatcher.orphan_status()
        if status is None:
            return task.future.done()
        resolve(task, Outcome(status))
        return True

    def wait_any(self, handles: Iterable[TaskHandle], timeout: float | None = None
                 ) -> list[TaskHandle]:
        """:func:`wait_any`, as a method: what the batch scheduler's Pool protocol names."""
        return wait_any(handles, timeout)

    # -- shutdown

    def shutdown(self, wait: bool = True, timeout: float = 10.0) -> None:
        """Stop every worker. Jobs still running or queued fall back to in-process."""
        pool = self._dispatcher
        with pool.lock:
            already, pool.closing = pool.closing, True
        if not already:
            pool.wake()
        thread = pool.thread
        if thread is not None and wait and thread is not threading.current_thread():
            thread.join(timeout)
        if thread is None:  # never started: nothing else will resolve what is queued
            pool.fail_pending(Status.SHUTDOWN)
        if thread is None or not thread.is_alive():
            pool.close_pipes()
        _LIVE_EXECUTORS.discard(self)

    def __enter__(self) -> ParseValidateExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- for tests and the statistics panel

    @property
    def started(self) -> bool:
        return self._dispatcher.started

    @property
    def unavailable_reason(self) -> str | None:
        return self._dispatcher.unavailable

    @property
    def restart_count(self) -> int:
        """Workers replaced after a crash or a timeout."""
        return self._dispatcher.restart_count

    def worker_pids(self) -> list[int]:
        return [w.pid for w in list(self._dispatcher.workers) if w.pid is not None]

    def busy_worker_pids(self) -> list[int]:
        return [w.pid for w in list(self._dispatcher.workers)
                if w.task is not None and w.pid is not None]

    def ready_count(self) -> int:
        """How many workers have said they are ready."""
        return sum(1 for w in list(self._dispatcher.workers) if w.ready)

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until every worker said ready (tests, warm-up)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            workers = list(self._dispatcher.workers)
            if workers and len(workers) == self.max_workers and all(w.ready for w in workers):
                return True
            time.sleep(0.02)
        return False

    def queued(self) -> int:
        with self._dispatcher.lock:
            return len(self._dispatcher.jobs.pending)
