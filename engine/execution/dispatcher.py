"""The pool's supervisor: starts the workers, enforces deadlines, replaces the dead, stops them all.

Jobs do not pass through here: the channels (engine/execution/channel.py) take
them from the queue and resolve them. The dispatcher thread waits on every
worker's process sentinel and a wake-up pipe at once, kills a worker whose
job is past its deadline, replaces a worker that died (its job is resolved
"timeout" or "crashed", and the submitter retries or falls back), gives up
when workers cannot be started, and at shutdown stops every worker within a
bounded time. It never does blocking I/O with a worker.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections import deque
from typing import Any

from engine.execution.channel import JobQueue, WorkerSlot, run_channel
from engine.execution.tasks import POLL_S, Outcome, Status, Task, resolve
from engine.execution.worker import worker_main
from engine.telemetry import TelemetryRecorder

log = logging.getLogger(__name__)

# A worker that has not said "ready" by then is taken for dead.
WORKER_START_TIMEOUT_S = 60.0
# Workers that die before they are ready this many times in a row mean the
# pool cannot work here (a broken frozen build, no more processes ...).
MAX_CONSECUTIVE_START_FAILURES = 3
# At shutdown, idle workers get this long to exit before they are killed.
STOP_GRACE_S = 1.0


class Dispatcher:
    """The workers of one executor and the thread that looks after them.

    ``lock`` guards the queue, the slots and the flags below; ``closing`` and
    ``unavailable`` are what a submitter reads to refuse a job.
    """

    def __init__(self, *, max_workers: int, start_method: str, timeout_ms: int,
                 telemetry: TelemetryRecorder) -> None:
        self.max_workers = max_workers
        self.start_method = start_method
        self.telemetry = telemetry
        self.lock = threading.Lock()
        self.jobs = JobQueue(self.lock, timeout_ms / 1000.0, self._deadline_set)
        self.started = False
        self.closing = False
        self.unavailable: str | None = None
        self.restart_count = 0  # workers replaced after a crash or a timeout
        self.start_failures = 0
        self.thread: threading.Thread | None = None
        self._pool_started_at = 0.0
        self._init_recorded = False
        self._ctx: Any = None
        self._wake_r: Any = None
        self._wake_w: Any = None
        self._wake_lock = threading.Lock()
        self._wake_pending = False
        self._wakes_at = 0.0  # when the dispatcher's current wait ends at the latest
        self._lifeline_r: Any = None  # workers watch it: its end of file = the pool is gone
        self._lifeline_w: Any = None
        self._closed: deque[WorkerSlot] = deque()  # slots whose channel has ended

    @property
    def workers(self) -> list[WorkerSlot]:
        return self.jobs.workers

    # -- starting

    def start_locked(self) -> None:
        """Start the workers and the thread (the caller holds ``lock``)."""
        started = time.perf_counter()
        self._ctx = multiprocessing.get_context(self.start_method)
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._lifeline_r, self._lifeline_w = self._ctx.Pipe(duplex=False)
        self._pool_started_at = started
        for _ in range(self.max_workers):
            slot = self.spawn_worker(initial=True)
            if slot is not None:
                self.workers.append(slot)
        if not self.workers:
            self.close_pipes()
            raise RuntimeError("no worker process could be started")
        self.started = True
        self.thread = threading.Thread(target=self.run, daemon=True,
                                       name="pseudocode-exec-pool")
        self.thread.start()

    def spawn_worker(self, initial: bool = False) -> WorkerSlot | None:
        parent_conn, child_conn = self._ctx.Pipe(duplex=True)
        # A forked child gets copies of every descriptor; it closes the pool's ends.
        inherited = ((parent_conn.fileno(), self._lifeline_w.fileno())
                     if self.start_method == "fork" else ())
        process = self._ctx.Process(
            target=worker_main, args=(child_conn, self._lifeline_r, os.getpid(), inherited),
            name="pseudocode-pool-worker", daemon=True)
        try:
            process.start()
        except Exception as exc:
            log.warning("could not start a pool worker: %s", exc)
            parent_conn.close()
            self.start_failures += 1
            return None
        finally:
            child_conn.close()
        slot = WorkerSlot(process, parent_conn, initial)
        slot.channel = threading.Thread(
            target=run_channel, args=(slot, self.jobs, self._ready, self._channel_closed),
            daemon=True, name=f"pseudocode-pool-channel-{process.pid}")
        slot.channel.start()
        return slot

    # -- what the channels and the queue tell the dispatcher

    def _ready(self, slot: WorkerSlot, pid: int) -> None:
        with self.lock:
            slot.ready = True
            slot.pid = pid
            self.start_failures = 0
            first = slot.initial and not self._init_recorded
            self._init_recorded = self._init_recorded or first
        if first:  # the pool can take work from now on: that is its start-up time
            self.telemetry.record_duration(
                "exec_pool.init_ms", (time.perf_counter() - self._pool_started_at) * 1000.0)

    def _channel_closed(self, slot: WorkerSlot) -> None:
        self._closed.append(slot)
        self.wake()

    def deadline_set(self, deadline: float) -> None:
        """A job's deadline starts now (a hand-off): wake up sooner if it must."""
        self._deadline_set(deadline)

    def _deadline_set(self, deadline: float) -> None:
        if deadline < self._wakes_at:  # only with a timeout shorter than POLL_S
            self.wake()

    def wake(self) -> None:
        with self._wake_lock:
            if self._wake_pending or self._wake_w is None:
                return
            self._wake_pending = True
            try:
                self._wake_w.send_bytes(b"!")
            except (OSError, ValueError):
                pass

    # -- the thread

    def run(self) -> None:
        try:
            while True:
                with self.lock:
                    if self.closing:
                        break
                self.wait()
                self.check_health()
        except Exception:
            log.exception("process pool dispatcher failed; jobs fall back to in-process")
            with self.lock:
                self.unavailable = "dispatcher failed"
        finally:
            self.stop_workers()

    def wait(self) -> None:
        """Sleep until a worker ends, someone wakes us, the next deadline, or POLL_S."""
        objects: list[Any] = [self._wake_r]
        by_sentinel: dict[Any, WorkerSlot] = {}
        now = time.monotonic()
        timeout = POLL_S
        with self.lock:
            for slot in self.workers:
                if sys.platform != "win32":  # Windows waits on at most 64 handles;
                    objects.append(slot.process.sentinel)  # the channels see deaths there
                    by_sentinel[slot.process.sentinel] = slot
                if slot.task is not None:
                    timeout = min(timeout, max(0.0, slot.task.deadline - now))
            self._wakes_at = now + timeout
        ready = multiprocessing.connection.wait(objects, timeout)
        self._wakes_at = 0.0
        if self._wake_r in ready:
            with self._wake_lock:
                self._wake_pending = False
                try:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
                except (EOFError, OSError):
                    pass
        for slot in [by_sentinel[obj] for obj in ready if obj in by_sentinel]:
            self._ended(slot)
        while self._closed:
            self.worker_died(self._closed.popleft())

    def _ended(self, slot: WorkerSlot) -> None:
        """The process ended. A result it sent just before is still delivered by its
        channel, which ends now (end of file, or told to)."""
        self.jobs.stop(slot)
        if slot.channel is not None:
            slot.channel.join(timeout=1.0)
        self.worker_died(slot)

    def check_health(self) -> None:
        now = time.monotonic()
        for slot in list(self.workers):
            with self.lock:
                if slot not in self.workers:  # replaced meanwhile
                    continue
                task = slot.task
                late = task is not None and now >= task.deadline
                if late:
                    slot.task = None  # taken away: the reply, if it comes now, is dropped
            if late:
                self.kill(slot)
                self.replace(slot, Outcome(Status.TIMEOUT), task)
            elif not slot.ready and now - slot.started_at > WORKER_START_TIMEOUT_S:
                log.warning("pool worker %s did not start in %.0f s", slot.pid,
                            WORKER_START_TIMEOUT_S)
                self.kill(slot)
                self.replace(slot, Outcome(Status.CRASHED))
            elif not slot.process.is_alive():
                self._ended(slot)

    def worker_died(self, slot: WorkerSlot) -> None:
        if slot not in self.workers:
            return
        self.kill(slot)
        self.replace(slot, Outcome(Status.CRASHED))

    def kill(self, slot: WorkerSlot) -> None:
        process = slot.process
        try:
            if process.is_alive():
                process.kill()  # SIGKILL: a stopped (SIGSTOP) process dies too
            process.join(timeout=5.0)
        except Exception:
            pass

    def replace(self, slot: WorkerSlot, outcome: Outcome, task: Task | None = None) -> None:
        """Drop a dead (or killed) worker, start another, then fail the job it had
        (``task``, if the caller already took it away).

        The replacement starts first, so whoever sees the failure also sees
        the restarted pool.
        """
        with self.lock:
            self.jobs.remove_locked(slot)
            if task is None:
                task, slot.task = slot.task, None
            if not slot.ready:
                self.start_failures += 1
            closing = self.closing
        self.close_worker(slot)
        if not closing:
            if self.start_failures >= MAX_CONSECUTIVE_START_FAILURES:
                self.give_up(f"{self.start_failures} workers died before they were ready")
            else:
                new = self.spawn_worker()
                if new is not None:
                    with self.lock:
                        self.workers.append(new)
                        self.jobs.wake_all_locked()
                    self.restart_count += 1
                    self.telemetry.incr("exec_pool.worker_restart")
                elif not self.workers:
                    self.give_up("no worker process could be started")
        if task is not None:
            outcome.duration_ms = (time.monotonic() - task.dispatched_at) * 1000.0
            resolve(task, outcome)

    def give_up(self, why: str) -> None:
        log.warning("process pool disabled: %s; work runs in-process", why)
        with self.lock:
            self.unavailable = why
            pending = list(self.jobs.pending)
            self.jobs.pending.clear()
        for task in pending:
            resolve(task, Outcome(Status.UNAVAILABLE))

    def close_worker(self, slot: WorkerSlot) -> None:
        """Release a worker that has ended (its channel closes the pipe itself)."""
        self.jobs.stop(slot)  # an idle channel ends now
        try:
            slot.process.close()
        except Exception:
            pass

    def stop_workers(self) -> None:
        """Ask idle workers to stop, kill busy ones, never leave a process behind.

        Bounded: idle workers get ``STOP_GRACE_S`` to exit (a stopped one does
        not), then whatever is left is killed.
        """
        with self.lock:
            slots = list(self.workers)
            self.workers.clear()
            busy = [s for s in slots if s.task is not None or not s.ready]
        for slot in slots:
            if slot in busy:
                try:
                    slot.process.kill()
                except Exception:
                    pass
            else:
                self.jobs.stop(slot)  # the channel tells the worker to stop
        status = Status.SHUTDOWN if self.closing else Status.UNAVAILABLE
        deadline = time.monotonic() + STOP_GRACE_S
        for slot in slots:
            try:
                slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join(timeout=5.0)
            except Exception:
                pass
            with self.lock:
                task, slot.task = slot.task, None
            if task is not None:
                resolve(task, Outcome(status))
            self.close_worker(slot)
        deadline = time.monotonic() + STOP_GRACE_S
        for slot in slots:  # every process is gone: each channel sees its pipe close
            if slot.channel is not None:
                slot.channel.join(timeout=max(0.0, deadline - time.monotonic()))
        self._closed.clear()
        self.fail_pending(status)

    def fail_pending(self, status: Status) -> None:
        with self.lock:
            pending = list(self.jobs.pending)
            self.jobs.pending.clear()
        for task in pending:
            resolve(task, Outcome(status))

    def orphan_status(self) -> Status | None:
        """None while the thread runs; else what a job left behind ends with."""
        thread = self.thread
        if thread is not None and thread.is_alive():
            return None
        with self.lock:
            return Status.SHUTDOWN if self.closing else Status.UNAVAILABLE

    def close_pipes(self) -> None:
        with self._wake_lock:
            conns = (self._wake_r, self._wake_w, self._lifeline_r, self._lifeline_w)
            self._wake_r = self._wake_w = self._lifeline_r = self._lifeline_w = None
        for conn in conns:
            if conn is not None:
                try:
                    conn.close()
                except OSError:
                    pass
