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

This module never imports Qt, and everything a worker runs is a top-level
function, so it works with ``spawn`` (and in frozen Windows builds).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import queue
import sys
import threading
import time
import traceback
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as _futures_wait
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from typing import Any

from engine.config import ALLOWED_TARGETS, ExecutionConfig, max_pool_workers
from engine.events import EventDispatcher, EventType, FallbackReason, JobKind
from engine.execution import seams
from engine.execution.jobs import (  # noqa: F401 - re-exported: tests and tools name them here
    portable_exception,
    source_text_of,
    worker_batch,
    worker_parse,
    worker_parse_validate,
    worker_translate,
    worker_validate,
)
from engine.execution.seams import (  # noqa: F401 - re-exported (docs/process_pool.md)
    TEST_CRASH_ENV,
    TEST_DELAY_ENV,
    TEST_KIND_ENV,
    TEST_MATCH_ENV,
    TEST_ONCE_ENV,
)
from engine.telemetry import TelemetryRecorder

log = logging.getLogger(__name__)


# A worker that has not said "ready" by then is taken for dead.
WORKER_START_TIMEOUT_S = 60.0
# Workers that die before they are ready this many times in a row mean the
# pool cannot work here (a broken frozen build, no more processes ...).
MAX_CONSECUTIVE_START_FAILURES = 3
# The dispatcher wakes at least this often to check the workers' health.
_POLL_S = 0.5
# At shutdown, idle workers get this long to exit before they are killed.
STOP_GRACE_S = 1.0


# --------------------------------------------------------------------------
# Worker side: top-level, picklable functions (never a closure or a lambda).

# The job functions live in engine.execution.jobs and the test seams in
# engine.execution.seams; both are re-exported here for the code that names them here.
def _watch_parent(lifeline: Any, pool_pid: int) -> None:
    """Exit the worker when the pool's process is gone (never an orphan).

    ``lifeline`` is the read end of a pipe whose only write end the pool's
    process holds and never writes to: it becomes readable (end of file) when
    that process ends, however the worker was started (spawn, fork or
    forkserver, whose workers are children of the fork server, not of the
    pool). ``pool_pid`` is a second check on POSIX, for the rare case of a
    stranger process that inherited the write end.
    """
    while True:
        try:
            if lifeline.poll(1.0):
                os._exit(0)
        except (EOFError, OSError, ValueError):
            os._exit(0)
        if pool_pid and sys.platform != "win32":
            try:
                os.kill(pool_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the number now belongs to someone else's process
                os._exit(0)


def _send_reply(conn: multiprocessing.connection.Connection, reply: Any) -> None:
    """Send one reply; a result that will not pickle becomes an error reply."""
    try:
        payload = bytes(ForkingPickler.dumps(reply, pickle.HIGHEST_PROTOCOL))
    except Exception as exc:
        payload = bytes(ForkingPickler.dumps((reply[0], "error", RuntimeError(
            f"the result could not be sent back: {type(exc).__name__}: {exc}"), "")))
    if seams.STOP_MID_SEND and sys.platform != "win32":  # test seam, see TEST_CRASH_ENV
        seams.STOP_MID_SEND = False
        import signal
        import struct
        half = len(payload) // 2
        # Connection's own framing on POSIX: a 4-byte big-endian length, then the bytes.
        os.write(conn.fileno(), struct.pack("!i", len(payload)) + payload[:half])
        os.kill(os.getpid(), signal.SIGSTOP)
        os.write(conn.fileno(), payload[half:])
        return
    conn.send_bytes(payload)


def _worker_main(conn: multiprocessing.connection.Connection, lifeline: Any = None,
                 pool_pid: int = 0, inherited_fds: Sequence[int] = ()) -> None:
    """A worker's whole life: say ready, then run jobs until told to stop.

    ``inherited_fds`` (fork only) are the pool's ends of this worker's pipes,
    copied into the child by ``fork``: closed at once, so that only the pool's
    process keeps them open and their end of file means what it should.
    """
    seams.IN_WORKER = True
    for fd in inherited_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    except (ImportError, ValueError, OSError):
        pass
    if lifeline is not None:
        threading.Thread(target=_watch_parent, args=(lifeline, pool_pid), daemon=True,
                         name="parent-watch").start()
    if os.environ.get(TEST_CRASH_ENV) == "startup":  # test seam: a worker that never starts
        os._exit(4)
    try:
        import engine.pipeline  # noqa: F401 - warm up, so the first job is not slower
    except Exception:
        pass  # the job will report the problem
    try:
        conn.send(("ready", os.getpid()))
        while True:
            message = conn.recv()
            if message is None:
                break
            task_id, func, args = message
            try:
                reply = (task_id, "ok", func(*args), "")
            except Exception as exc:
                reply = (task_id, "error", portable_exception(exc), traceback.format_exc())
            _send_reply(conn, reply)
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


# --------------------------------------------------------------------------
# Parent side


def _unpickle_message(data: bytes, task_id: int | None) -> Any:
    """A worker's message; one that cannot be unpickled here becomes an error reply."""
    try:
        return pickle.loads(data)
    except Exception as exc:
        if task_id is None:
            raise OSError(f"unreadable message from a worker: {exc}") from exc
        return (task_id, "error", portable_exception(exc), f"cannot read the result: {exc}")


class OffloadFallback(Exception):
    """The internal marker: run this stage in-process (the FALLBACK event, if any, is sent).

    ``reason`` is a :class:`FallbackReason`; ``NOT_TARGETED`` when the
    configuration does not offload this kind of job (no event then).
    """

    def __init__(self, kind: JobKind, reason: FallbackReason,
                 cause: BaseException | None = None) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
        self.cause = cause


class _Outcome:
    """How one attempt ended (what a task's future is resolved with)."""

    __slots__ = ("status", "value", "duration_ms", "detail")

    def __init__(self, status: str, value: Any = None, duration_ms: float = 0.0,
                 detail: str = "") -> None:
        self.status = status  # ok | error | timeout | crashed | unavailable | shutdown
        self.value = value
        self.duration_ms = duration_ms
        self.detail = detail


@dataclass(eq=False)
class _Task:
    id: int
    kind: JobKind
    func: Callable[..., Any]
    args: tuple[Any, ...]
    size_chars: int
    attempt: int
    future: Future[_Outcome]
    dispatched_at: float = 0.0
    deadline: float = 0.0


class _Worker:
    """One worker process and the pool's side of it.

    ``jobs`` feeds the worker's *channel*, a thread of the pool's process that
    alone does the blocking reads and writes on the worker's pipe: the
    dispatcher only ever hands it a job and reads what it has posted, so a
    worker that stops half way through sending a result blocks only its own
    channel (until the job's deadline kills the worker), never the pool.
    """

    __slots__ = ("process", "conn", "pid", "ready", "task", "started_at", "initial", "jobs",
                 "channel")

    def __init__(self, process: Any, conn: Any, initial: bool) -> None:
        self.process = process
        self.conn = conn
        self.pid: int | None = process.pid
        self.ready = False
        self.task: _Task | None = None
        self.started_at = time.monotonic()
        self.initial = initial
        self.jobs: queue.SimpleQueue[tuple[int, Any, Any] | None] = queue.SimpleQueue()
        self.channel: threading.Thread | None = None


# What a channel posts when its pipe is closed (the worker is gone).
_CHANNEL_CLOSED = ("channel-closed",)


_LIVE_EXECUTORS: weakref.WeakSet[ParseValidateExecutor] = weakref.WeakSet()


@atexit.register
def _shutdown_all_at_exit() -> None:
    for executor in list(_LIVE_EXECUTORS):
        try:
            executor.shutdown(wait=True, timeout=2.0)
        except Exception:
            pass


class ParseValidateExecutor:
    """Runs ``worker_parse`` / ``worker_validate`` jobs in worker processes.

    ``submit_*`` returns a :class:`_TaskHandle` (or raises :class:`OffloadFallback`
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
        self.restart_count = 0  # workers replaced after a crash or a timeout

        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._started = False
        self._closing = False
        self._unavailable: str | None = None
        self._start_failures = 0
        self._pool_started_at = 0.0
        self._init_recorded = False
        self._ctx: Any = None
        self._thread: threading.Thread | None = None
        self._wake_r: Any = None
        self._wake_w: Any = None
        self._wake_lock = threading.Lock()
        self._wake_pending = False
        self._lifeline_r: Any = None  # workers watch it: its end of file = the pool is gone
        self._lifeline_w: Any = None
        self._inbox: deque[tuple[_Worker, Any]] = deque()  # what the channels posted

    # -- resolution of the configuration

    def _resolve_max_workers(self) -> int:
        """The configured number, bounded by the machine (see ``max_pool_workers``)."""
        configured = self.config.process_pool_max_workers
        if isinstance(configured, int) and not isinstance(configured, bool) and configured >= 1:
            workers = configured
        else:
            workers = max(2, os.cpu_count() or 2)
        bound = max_pool_workers()
        if workers > bound:
            log.warning("process_pool_max_workers=%d is more than this machine can use "
                        "(%d CPUs); using %d workers", workers, os.cpu_count() or 1, bound)
            workers = bound
        return workers

    def _resolve_start_method(self) -> str:
        """The config's method if available here; else spawn on Windows; else the default."""
        available = multiprocessing.get_all_start_methods()
        configured = self.config.process_pool_start_method
        if configured and configured in available:
            return configured
        if sys.platform == "win32":
            return "spawn"
        return multiprocessing.get_start_method(allow_none=True) or available[0]

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

    def _emit(self, type: EventType, **data: Any) -> None:
        if self.events is not None:
            self.events.emit(type, data)

    def _fallback(self, kind: JobKind, reason: FallbackReason, cause: BaseException | None = None
                  ) -> OffloadFallback:
        self.telemetry.incr("exec_pool.fallback")
        self._emit(EventType.EXEC_POOL_FALLBACK, kind=kind, reason=reason)
        return OffloadFallback(kind, reason, cause)

    # -- submission

    def submit_parse(self, text: str, keep_tree: bool = False) -> _TaskHandle:
        """Parse ``text`` in a worker (raises OffloadFallback to mean "do it here").

        ``keep_tree``: a validation job follows, so the worker keeps the tree and only
        the diagnostics come back (``engine.pipeline.pool_parse_stage``)."""
        return self._submit_checked(JobKind.PARSE, worker_parse, (text, keep_tree), len(text))

    def submit_validate(self, parsed: Any, strict: bool = False,
                        size_chars: int | None = None) -> _TaskHandle:
        """Validate a parsed document in a worker (same contract as submit_parse)."""
        if size_chars is None:
            size_chars = getattr(parsed, "source_chars", 0) or len(source_text_of(parsed))
        size = size_chars
        return self._submit_checked(JobKind.VALIDATE, worker_validate, (parsed, strict), size)

    def submit_batch(self, kind: JobKind, items: Sequence[tuple[Any, ...]], size_chars: int,
                     *, whole_pipeline: bool = False) -> _TaskHandle:
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
                        size_chars: int, check_size: bool = True) -> _TaskHandle:
        if not self.offloads(kind):
            raise OffloadFallback(kind, FallbackReason.NOT_TARGETED)
        if check_size and size_chars > self.job_max_chars:
            raise self._fallback(kind, FallbackReason.JOB_TOO_LARGE)
        task = self._new_task(kind, func, args, size_chars, attempt=1)
        self._enqueue(task)
        return _TaskHandle(self, task)

    def _new_task(self, kind: JobKind, func: Callable[..., Any], args: tuple[Any, ...],
                  size_chars: int, attempt: int) -> _Task:
        return _Task(next(self._ids), kind, func, args, size_chars, attempt, Future())

    def _enqueue(self, task: _Task) -> None:
        """Start the pool if needed, queue the task, and say so (SUBMITTED)."""
        just_started = False
        with self._lock:
            if self._closing:
                reason = FallbackReason.SHUTDOWN
            elif self._unavailable is not None:
                reason = FallbackReason.POOL_UNAVAILABLE
            else:
                reason = ""
                if not self._started:
                    try:
                        self._start_locked()
                        just_started = True
                    except Exception as exc:
                        log.warning("process pool could not start: %s", exc)
                        self._unavailable = f"start failed: {exc}"
                        reason = FallbackReason.POOL_UNAVAILABLE
            if not reason:
                self._pending.append(task)
        if just_started:
            self._announce_start()
        if reason:
            raise self._fallback(task.kind, reason)
        self.telemetry.incr("exec_pool.submit")
        self._emit(EventType.EXEC_POOL_TASK_SUBMITTED, kind=task.kind, size_chars=task.size_chars)
        self._wake()

    def start(self) -> None:
        """Start the workers now instead of on the first job (e.g. at app start-up)."""
        with self._lock:
            if self._started or self._closing:
                return
            self._start_locked()
        self._announce_start()

    def _start_locked(self) -> None:
        started = time.perf_counter()
        self._ctx = multiprocessing.get_context(self.start_method)
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._lifeline_r, self._lifeline_w = self._ctx.Pipe(duplex=False)
        self._pool_started_at = started
        for _ in range(self.max_workers):
            worker = self._spawn_worker(initial=True)
            if worker is not None:
                self._workers.append(worker)
        if not self._workers:
            self._close_wake_pipe()
            raise RuntimeError("no worker process could be started")
        self._started = True
        self._thread = threading.Thread(target=self._dispatch_loop, daemon=True,
                                        name="pseudocode-exec-pool")
        self._thread.start()
        _LIVE_EXECUTORS.add(self)

    def _announce_start(self) -> None:
        # Outside the lock: a handler may submit work of its own.
        self.telemetry.incr("exec_pool.started")
        self._emit(EventType.EXEC_POOL_STARTED, max_workers=self.max_workers,
                   start_method=self.start_method)

    def _spawn_worker(self, initial: bool = False) -> _Worker | None:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        # A forked child gets copies of every descriptor; it closes the pool's ends.
        inherited = ((parent_conn.fileno(), self._lifeline_w.fileno())
                     if self.start_method == "fork" else ())
        process = self._ctx.Process(
            target=_worker_main, args=(child_conn, self._lifeline_r, os.getpid(), inherited),
            name="pseudocode-pool-worker", daemon=True)
        try:
            process.start()
        except Exception as exc:
            log.warning("could not start a pool worker: %s", exc)
            parent_conn.close()
            self._start_failures += 1
            return None
        finally:
            child_conn.close()
        worker = _Worker(process, parent_conn, initial)
        worker.channel = threading.Thread(target=self._channel, args=(worker,), daemon=True,
                                          name=f"pseudocode-pool-channel-{process.pid}")
        worker.channel.start()
        return worker

    def _wake(self) -> None:
        with self._wake_lock:
            if self._wake_pending or self._wake_w is None:
                return
            self._wake_pending = True
            try:
                self._wake_w.send_bytes(b"!")
            except (OSError, ValueError):
                pass

    # -- a worker's channel: the only code that reads or writes its pipe.

    def _channel(self, worker: _Worker) -> None:
        """Send the worker its jobs and post what it answers, until its pipe closes.

        Blocking here is harmless: only this worker's messages wait. The
        channel closes the pipe itself when it ends (closing a descriptor
        another thread is reading is never safe).
        """
        conn = worker.conn
        try:
            self._post(worker, _unpickle_message(conn.recv_bytes(), None))  # "ready"
            while True:
                job = worker.jobs.get()
                if job is None:
                    try:
                        conn.send(None)
                    except (OSError, ValueError):
                        pass
                    return
                try:
                    payload = ForkingPickler.dumps(job, pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # the job's data would not pickle; the worker is fine
                    self._post(worker, (job[0], "error", portable_exception(exc),
                                        f"cannot send the job: {exc}"))
                    continue
                conn.send_bytes(payload)
                self._post(worker, _unpickle_message(conn.recv_bytes(), job[0]))
        except (EOFError, OSError, ValueError):
            pass
        except Exception:  # never let a channel die silently: the worker is replaced
            log.exception("pool channel of worker %s failed", worker.pid)
        finally:
            self._post(worker, _CHANNEL_CLOSED)
            try:
                conn.close()
            except OSError:
                pass

    def _post(self, worker: _Worker, message: Any) -> None:
        self._inbox.append((worker, message))
        self._wake()

    # -- the dispatcher thread: hands jobs to idle workers, collects results,
    #    enforces deadlines and replaces dead workers. It never does blocking
    #    I/O with a worker (that is the channels' job).

    def _dispatch_loop(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closing:
                        break
                self._assign()
                self._wait_and_collect()
                self._check_health()
        except Exception:
            log.exception("process pool dispatcher failed; jobs fall back to in-process")
            with self._lock:
                self._unavailable = "dispatcher failed"
        finally:
            self._stop_workers()

    def _assign(self) -> None:
        for worker in list(self._workers):
            if not worker.ready or worker.task is not None:
                continue
            with self._lock:
                if not self._pending:
                    return
                task = self._pending.popleft()
            if task.future.done():  # cancelled by a shutdown
                continue
            task.dispatched_at = time.monotonic()
            task.deadline = task.dispatched_at + self.timeout_ms / 1000.0
            worker.task = task
            worker.jobs.put((task.id, task.func, task.args))

    def _wait_and_collect(self) -> None:
        objects: list[Any] = [self._wake_r]
        by_sentinel: dict[Any, _Worker] = {}
        if sys.platform != "win32":  # Windows waits on at most 64 handles; channels see deaths
            for worker in self._workers:
                objects.append(worker.process.sentinel)
                by_sentinel[worker.process.sentinel] = worker
        timeout = _POLL_S
        now = time.monotonic()
        for worker in self._workers:
            if worker.task is not None:
                timeout = min(timeout, max(0.0, worker.task.deadline - now))
        ready = multiprocessing.connection.wait(objects, timeout)
        if self._wake_r in ready:
            with self._wake_lock:
                self._wake_pending = False
                try:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                except (EOFError, OSError):
                    pass
        ended = [by_sentinel[obj] for obj in ready if obj in by_sentinel]
        for worker in ended:
            # The process ended. A result it sent just before may still be on
            # its way through the channel, which ends now that the pipe is closed.
            worker.jobs.put(None)
            if worker.channel is not None:
                worker.channel.join(timeout=1.0)
        self._collect()
        for worker in ended:
            if worker in self._workers:
                self._worker_died(worker)

    def _collect(self) -> None:
        """Handle everything the channels posted."""
        while self._inbox:
            worker, message = self._inbox.popleft()
            if worker not in self._workers:
                continue  # the late words of a worker already replaced
            if message is _CHANNEL_CLOSED:
                self._worker_died(worker)
            else:
                self._handle_message(worker, message)

    def _handle_message(self, worker: _Worker, message: Any) -> None:
        if message[0] == "ready":
            worker.ready = True
            worker.pid = message[1]
            self._start_failures = 0
            if worker.initial and not self._init_recorded:
                # The pool can take work from now on: that is its start-up time.
                self._init_recorded = True
                self.telemetry.record_duration(
                    "exec_pool.init_ms", (time.perf_counter() - self._pool_started_at) * 1000.0)
            return
        task_id, status, value, extra = message
        task, worker.task = worker.task, None
        if task is None or task.id != task_id or task.future.done():
            return
        duration_ms = (time.monotonic() - task.dispatched_at) * 1000.0
        if status == "ok":
            task.future.set_result(_Outcome("ok", value, duration_ms))
        else:
            task.future.set_result(_Outcome("error", value, duration_ms, detail=str(extra)))

    def _check_health(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            if worker not in self._workers:  # replaced meanwhile
                continue
            if worker.task is not None and now >= worker.task.deadline:
                # Last chance: the result may have arrived at the deadline.
                self._collect()
                if worker not in self._workers or worker.task is None:
                    continue
                self._kill(worker)
                self._replace(worker, _Outcome("timeout"))
            elif not worker.ready and now - worker.started_at > WORKER_START_TIMEOUT_S:
                log.warning("pool worker %s did not start in %.0f s", worker.pid,
                            WORKER_START_TIMEOUT_S)
                self._kill(worker)
                self._replace(worker, _Outcome("crashed"))
            elif not worker.process.is_alive():
                worker.jobs.put(None)
                if worker.channel is not None:
                    worker.channel.join(timeout=1.0)
                self._collect()
                self._worker_died(worker)

    def _worker_died(self, worker: _Worker) -> None:
        if worker not in self._workers:
            return
        self._kill(worker)
        self._replace(worker, _Outcome("crashed"))

    def _kill(self, worker: _Worker) -> None:
        process = worker.process
        try:
            if process.is_alive():
                process.kill()  # SIGKILL: a stopped (SIGSTOP) process dies too
            process.join(timeout=5.0)
        except Exception:
            pass

    def _replace(self, worker: _Worker, outcome: _Outcome) -> None:
        """Drop a dead (or killed) worker, start another, then fail the job it had.

        The replacement starts first, so whoever sees the failure also sees
        the restarted pool.
        """
        if worker in self._workers:
            self._workers.remove(worker)
        task, worker.task = worker.task, None
        if not worker.ready:
            self._start_failures += 1
        self._close_worker(worker)
        with self._lock:
            closing = self._closing
        if not closing:
            if self._start_failures >= MAX_CONSECUTIVE_START_FAILURES:
                self._give_up(f"{self._start_failures} workers died before they were ready")
            else:
                new = self._spawn_worker()
                if new is not None:
                    self._workers.append(new)
                    self.restart_count += 1
                    self.telemetry.incr("exec_pool.worker_restart")
                elif not self._workers:
                    self._give_up("no worker process could be started")
        if task is not None and not task.future.done():
            outcome.duration_ms = (time.monotonic() - task.dispatched_at) * 1000.0
            task.future.set_result(outcome)

    def _give_up(self, why: str) -> None:
        log.warning("process pool disabled: %s; work runs in-process", why)
        with self._lock:
            self._unavailable = why
            pending = list(self._pending)
            self._pending.clear()
        for task in pending:
            if not task.future.done():
                task.future.set_result(_Outcome("unavailable"))

    def _close_worker(self, worker: _Worker) -> None:
        """Release a worker that has ended (its channel closes the pipe itself)."""
        worker.jobs.put(None)  # an idle channel ends now
        try:
            worker.process.close()
        except Exception:
            pass

    def _stop_workers(self) -> None:
        """Ask idle workers to stop, kill busy ones, never leave a process behind.

        Bounded: idle workers get ``STOP_GRACE_S`` to exit (a stopped one does
        not), then whatever is left is killed.
        """
        workers, self._workers = list(self._workers), []
        for worker in workers:
            if worker.task is not None or not worker.ready:
                try:
                    worker.process.kill()
                except Exception:
                    pass
            else:
                worker.jobs.put(None)  # the channel tells the worker to stop
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in workers:
            try:
                worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
                if worker.process.is_alive():
                    worker.process.kill()
                    worker.process.join(timeout=5.0)
            except Exception:
                pass
            task, worker.task = worker.task, None
            if task is not None and not task.future.done():
                task.future.set_result(_Outcome("shutdown" if self._closing else "unavailable"))
            self._close_worker(worker)
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in workers:  # every process is gone: each channel sees its pipe close
            if worker.channel is not None:
                worker.channel.join(timeout=max(0.0, deadline - time.monotonic()))
        self._inbox.clear()
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
            status = "shutdown" if self._closing else "unavailable"
        for task in pending:
            if not task.future.done():
                task.future.set_result(_Outcome(status))

    # -- waiting

    def _wait_outcome(self, task: _Task, timeout: float | None = None) -> _Outcome | None:
        """The attempt's outcome (None if ``timeout`` passed first).

        Never waits forever on a dispatcher that is gone: its jobs are then
        resolved as "unavailable" (or "shutdown") and fall back.
        """
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            slice_s = _POLL_S if end is None else max(0.0, min(_POLL_S, end - time.monotonic()))
            try:
                return task.future.result(timeout=slice_s)
            except TimeoutError:
                pass
            if self._resolve_if_orphaned(task):
                return task.future.result()
            if end is not None and time.monotonic() >= end:
                return None

    def _resolve_if_orphaned(self, task: _Task) -> bool:
        """If no dispatcher will ever finish ``task``, finish it now; True if done."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            return task.future.done()
        if not task.future.done():
            with self._lock:
                status = "shutdown" if self._closing else "unavailable"
            try:
                task.future.set_result(_Outcome(status))
            except Exception:  # set by someone else meanwhile
                pass
        return True

    # -- shutdown

    def shutdown(self, wait: bool = True, timeout: float = 10.0) -> None:
        """Stop every worker. Jobs still running or queued fall back to in-process."""
        with self._lock:
            if self._closing:
                already = True
            else:
                already = False
                self._closing = True
        if not already:
            self._wake()
        thread = self._thread
        if thread is not None and wait and thread is not threading.current_thread():
            thread.join(timeout)
        if thread is None:
            with self._lock:
                pending = list(self._pending)
                self._pending.clear()
            for task in pending:
                if not task.future.done():
                    task.future.set_result(_Outcome("shutdown"))
        if thread is None or not thread.is_alive():
            self._close_wake_pipe()
        _LIVE_EXECUTORS.discard(self)

    def _close_wake_pipe(self) -> None:
        with self._wake_lock:
            conns = (self._wake_r, self._wake_w, self._lifeline_r, self._lifeline_w)
            self._wake_r = self._wake_w = self._lifeline_r = self._lifeline_w = None
        for conn in conns:
            if conn is not None:
                try:
                    conn.close()
                except OSError:
                    pass

    def __enter__(self) -> ParseValidateExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # -- for tests and the statistics panel

    @property
    def started(self) -> bool:
        return self._started

    @property
    def unavailable_reason(self) -> str | None:
        return self._unavailable

    def worker_pids(self) -> list[int]:
        return [w.pid for w in list(self._workers) if w.pid is not None]

    def busy_worker_pids(self) -> list[int]:
        return [w.pid for w in list(self._workers) if w.task is not None and w.pid is not None]

    def ready_count(self) -> int:
        """How many workers have said they are ready."""
        return sum(1 for w in list(self._workers) if w.ready)

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until every worker said ready (tests, warm-up)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            workers = list(self._workers)
            if workers and len(workers) == self.max_workers and all(w.ready for w in workers):
                return True
            time.sleep(0.02)
        return False

    def queued(self) -> int:
        with self._lock:
            return len(self._pending)

    def wait_any(self, handles: Iterable[_TaskHandle], timeout: float | None = None
                 ) -> list[_TaskHandle]:
        """:func:`wait_any`, as a method: what the batch scheduler's Pool protocol names."""
        return wait_any(handles, timeout)


class _TaskHandle:
    """One job as seen by its submitter; ``result()`` holds the retry loop."""

    def __init__(self, executor: ParseValidateExecutor, task: _Task) -> None:
        self._executor = executor
        self._task = task
        self._final: tuple[bool, Any] | None = None  # (ok, value or OffloadFallback)

    @property
    def kind(self) -> JobKind:
        return self._task.kind

    @property
    def attempt(self) -> int:
        return self._task.attempt

    @property
    def future(self) -> Future[_Outcome]:
        """The current attempt's future (it changes when the job is retried)."""
        return self._task.future

    def done(self) -> bool:
        """Whether ``step()`` would not wait."""
        return self._final is not None or self._task.future.done()

    def step(self, timeout: float | None = None) -> bool:
        """Handle the current attempt's outcome; True once the job is final.

        A failed attempt is retried (a new attempt is queued) and False is
        returned, so a batch can go on with other jobs meanwhile.
        """
        if self._final is not None:
            return True
        ex = self._executor
        task = self._task
        outcome = ex._wait_outcome(task, timeout)
        if outcome is None:
            return False
        kind = task.kind
        if outcome.status == "ok":
            ex.telemetry.incr("exec_pool.complete")
            ex.telemetry.record_duration("exec_pool.task_ms", outcome.duration_ms)
            ex._emit(EventType.EXEC_POOL_TASK_COMPLETED, kind=kind,
                     duration_ms=round(outcome.duration_ms, 3))
            self._final = (True, outcome.value)
            return True
        if outcome.status in ("timeout", "crashed"):
            ex.telemetry.incr("exec_pool.timeout")
            ex._emit(EventType.EXEC_POOL_TIMEOUT, kind=kind, timeout_ms=ex.timeout_ms,
                     attempt=task.attempt)
            if ex.retry_on_timeout and task.attempt <= ex.retry_limit:
                retry = ex._new_task(kind, task.func, task.args, task.size_chars,
                                     attempt=task.attempt + 1)
                try:
                    ex._enqueue(retry)
                except OffloadFallback as fallback:  # the event is already sent
                    self._final = (False, fallback)
                    return True
                self._task = retry
                return False
            reason = FallbackReason.TIMEOUT if outcome.status == "timeout" else FallbackReason.WORKER_CRASHED
            self._final = (False, ex._fallback(kind, reason))
            return True
        if outcome.status == "error":
            cause = outcome.value if isinstance(outcome.value, BaseException) else None
            log.debug("pool job failed in the worker: %s\n%s", outcome.value, outcome.detail)
            self._final = (False, ex._fallback(kind, FallbackReason.WORKER_ERROR, cause))
            return True
        reason = FallbackReason.SHUTDOWN if outcome.status == "shutdown" else FallbackReason.POOL_UNAVAILABLE
        self._final = (False, ex._fallback(kind, reason))
        return True

    def result(self) -> Any:
        """The job's value; raises OffloadFallback when it must run in-process."""
        while not self.step():
            pass
        assert self._final is not None
        ok, value = self._final
        if ok:
            return value
        raise value


def wait_any(handles: Iterable[_TaskHandle], timeout: float | None = None) -> list[_TaskHandle]:
    """The handles whose current attempt is finished (waits for at least one)."""
    handles = list(handles)
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        ready = [h for h in handles if h.done()]
        if ready or not handles:
            return ready
        slice_s = _POLL_S if end is None else max(0.0, min(_POLL_S, end - time.monotonic()))
        _futures_wait([h.future for h in handles], timeout=slice_s, return_when=FIRST_COMPLETED)
        for h in handles:
            h._executor._resolve_if_orphaned(h._task)
        if end is not None and time.monotonic() >= end:
            return [h for h in handles if h.done()]
