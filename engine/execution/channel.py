"""The pool's side of one worker: its slot, its channel thread, and the queue channels take from.

Each worker's pipe is read only by its *channel*, a thread of the pool's
process: it takes the next job from the :class:`JobQueue` itself, sends it,
waits for the reply and resolves the job's future, so a job goes from the
submitting thread to the worker and back with no other thread in between (the
dispatcher only watches deadlines and deaths). A worker that stops half way
through sending a result blocks only its own channel, until the job's
deadline kills the worker; never the pool.

A small job for an idle worker is written by the submitting thread itself
(*hand-off*, POSIX only): it fits in the socket's buffer whatever the worker
does, so the write never waits for the worker, and the channel, woken at the
same time, only reads the reply: one thread wake-up less on the job's way.
"""

from __future__ import annotations

import logging
import os
import pickle
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from typing import Any

from engine.execution.jobs import portable_exception
from engine.execution.tasks import Outcome, Status, Task, resolve

log = logging.getLogger(__name__)


class WorkerSlot:
    """One worker process and the pool's side of it (guarded by the queue's lock).

    ``task`` is the attempt the worker is running; whoever takes it away (the
    channel with the reply, the dispatcher at the deadline or when the worker
    dies) under the lock is the one that resolves it.
    """

    __slots__ = ("process", "conn", "pid", "ready", "task", "started_at", "initial",
                 "stopping", "channel", "wakeup", "handoff_limit", "writing")

    def __init__(self, process: Any, conn: Any, initial: bool) -> None:
        self.process = process
        self.conn = conn
        self.pid: int | None = process.pid
        self.ready = False
        self.task: Task | None = None
        self.started_at = time.monotonic()
        self.initial = initial
        self.stopping = False  # the channel tells the worker to stop and ends
        self.channel: threading.Thread | None = None
        self.wakeup: threading.Condition | None = None  # its channel waits on it for a job
        self.handoff_limit = handoff_limit(conn)  # largest job a submitter may write itself
        self.writing = False  # a submitter is writing a job: the pipe must stay open

    def idle(self) -> bool:
        return self.ready and self.task is None and not self.stopping


def handoff_limit(conn: Any) -> int:
    """The largest job (bytes) that fits in the pipe's buffer with room to spare: what
    a submitter may write without ever waiting for the worker (0: never, on Windows)."""
    if sys.platform == "win32" or conn is None:
        return 0
    try:
        with socket.socket(fileno=os.dup(conn.fileno())) as sock:
            buffer = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    except (OSError, ValueError, AttributeError):
        return 0
    return min(32 * 1024, buffer // 2)


class JobQueue:
    """The queued attempts, taken by the channels.

    A new attempt wakes one waiting channel, not all of them (each wake-up is a
    thread switch, and on a busy machine a wait for a core): the channel of the
    worker that keeps the attempt's tree if it is waiting, else the one that has
    waited longest.
    """

    def __init__(self, lock: threading.Lock, timeout_s: float,
                 on_deadline: Callable[[float], None]) -> None:
        self.lock = lock
        self.pending: deque[Task] = deque()
        self.workers: list[WorkerSlot] = []
        self.waiting: list[WorkerSlot] = []  # channels blocked in take(), longest first
        self.timeout_s = timeout_s
        self.on_deadline = on_deadline  # a deadline was set (the dispatcher may wake sooner)

    def put_locked(self, task: Task, payload: bytes | None = None) -> WorkerSlot | None:
        """Queue an attempt (the caller holds the lock). With the job's ``payload`` (its
        pickled message), an idle worker whose pipe holds it takes it at once: returned,
        the caller then writes it (:meth:`hand_off`) after releasing the lock."""
        target = None
        if task.affinity is not None:
            target = next((w for w in self.waiting if w.pid == task.affinity), None)
        if target is None and self.waiting:
            target = self.waiting[0]
        if target is not None and payload is not None and target.idle() and \
                len(payload) <= target.handoff_limit:
            self._assign_locked(target, task)
            task.handed_off = True
            target.writing = True
            self._wake_locked(target)  # its channel goes straight to reading the reply
            return target
        self.pending.append(task)
        if target is not None:
            self._wake_locked(target)
        return None

    def hand_off(self, slot: WorkerSlot, payload: bytes) -> None:
        """Write a job claimed by :meth:`put_locked` (outside the lock). A worker that died
        meanwhile makes the write fail; its channel sees the pipe close, the job fails."""
        try:
            slot.conn.send_bytes(payload)
        except (OSError, ValueError):
            pass
        finally:
            with self.lock:
                slot.writing = False
                if slot.wakeup is not None:
                    slot.wakeup.notify()  # a channel that waits to close the pipe

    def _assign_locked(self, slot: WorkerSlot, task: Task) -> None:
        now = time.monotonic()
        task.dispatched_at = now
        task.deadline = now + self.timeout_s
        slot.task = task

    def close_when_written(self, slot: WorkerSlot) -> None:
        """Wait until no submitter writes on ``slot``'s pipe (its channel is about to close
        it: a descriptor closed under a writer could be reused by another file)."""
        with self.lock:
            while slot.writing:
                if slot.wakeup is None:
                    slot.wakeup = threading.Condition(self.lock)
                slot.wakeup.wait(0.1)

    def wake_all_locked(self) -> None:
        """Every waiting channel looks at the queue again (the workers changed)."""
        for slot in list(self.waiting):
            self._wake_locked(slot)

    def _wake_locked(self, slot: WorkerSlot) -> None:
        self.waiting.remove(slot)
        if slot.wakeup is not None:
            slot.wakeup.notify()

    def take(self, slot: WorkerSlot) -> Task | None:
        """The next attempt for ``slot``'s worker (blocks); None when the worker must stop."""
        with self.lock:
            if slot.wakeup is None:
                slot.wakeup = threading.Condition(self.lock)
            while True:
                if slot.task is not None:  # handed off by its submitter
                    task = slot.task
                    break
                if slot.stopping:
                    return None
                task = self._pick_locked(slot)
                if task is not None:
                    self._assign_locked(slot, task)
                    break
                if slot not in self.waiting:
                    self.waiting.append(slot)
                slot.wakeup.wait()
        self.on_deadline(task.deadline)
        return task

    def _pick_locked(self, slot: WorkerSlot) -> Task | None:
        skipped: list[Task] = []
        chosen = None
        while self.pending:
            task = self.pending.popleft()
            if task.future.done():  # resolved meanwhile (a shutdown)
                continue
            if task.affinity is not None and task.affinity != slot.pid and any(
                    w.pid == task.affinity and w.idle() for w in self.workers):
                skipped.append(task)  # the worker that keeps its tree is free: it takes it
                continue
            chosen = task
            break
        self.pending.extendleft(reversed(skipped))
        return chosen

    def finish(self, slot: WorkerSlot, task: Task, outcome: Outcome) -> None:
        """The reply came back: resolve the attempt unless the dispatcher took it away."""
        with self.lock:
            if slot.task is not task:
                return  # timed out meanwhile: the dispatcher resolved it
            slot.task = None
        outcome.duration_ms = (time.monotonic() - task.dispatched_at) * 1000.0
        resolve(task, outcome)

    def remove_locked(self, slot: WorkerSlot) -> None:
        """Drop a worker that is gone (the caller holds the lock); tasks that waited for it
        go to the others."""
        if slot in self.workers:
            self.workers.remove(slot)
        slot.stopping = True
        self.wake_all_locked()

    def stop(self, slot: WorkerSlot) -> None:
        """Tell ``slot``'s channel to stop its worker and end (when it is idle)."""
        with self.lock:
            slot.stopping = True
            if slot in self.waiting:
                self._wake_locked(slot)


def unpickle_message(data: bytes, task_id: int | None) -> Any:
    """A worker's message; one that cannot be unpickled here becomes an error reply."""
    try:
        return pickle.loads(data)
    except Exception as exc:
        if task_id is None:
            raise OSError(f"unreadable message from a worker: {exc}") from exc
        return (task_id, "error", portable_exception(exc), f"cannot read the result: {exc}")


def outcome_of(reply: Any) -> Outcome:
    _task_id, status, value, detail = reply
    if status == "ok":
        return Outcome(Status.OK, value)
    return Outcome(Status.ERROR, value, detail=str(detail))


def run_channel(slot: WorkerSlot, jobs: JobQueue, on_ready: Callable[[WorkerSlot, int], None],
                on_closed: Callable[[WorkerSlot], None]) -> None:
    """A channel thread: the worker's "ready", then its jobs, until the pipe closes.

    Blocking here is harmless: only this worker's jobs wait. The channel
    closes the pipe itself when it ends (closing a descriptor another thread
    is reading is never safe), then says so (``on_closed``).
    """
    conn = slot.conn
    try:
        message = unpickle_message(conn.recv_bytes(), None)
        if message[0] == "ready":
            on_ready(slot, int(message[1]))
        while True:
            task = jobs.take(slot)
            if task is None:
                try:
                    conn.send(None)
                except (OSError, ValueError):
                    pass
                return
            if task.handed_off:  # its submitter writes it
                reply = unpickle_message(conn.recv_bytes(), task.id)
                if reply[0] == task.id:
                    jobs.finish(slot, task, outcome_of(reply))
                continue
            try:
                payload = ForkingPickler.dumps((task.id, task.func, task.args),
                                               pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # the job's data would not pickle; the worker is fine
                jobs.finish(slot, task, Outcome(Status.ERROR, portable_exception(exc),
                                                detail=f"cannot send the job: {exc}"))
                continue
            conn.send_bytes(payload)
            reply = unpickle_message(conn.recv_bytes(), task.id)
            if reply[0] == task.id:
                jobs.finish(slot, task, outcome_of(reply))
    except (EOFError, OSError, ValueError):
        pass
    except Exception:  # never let a channel die silently: the worker is replaced
        log.exception("pool channel of worker %s failed", slot.pid)
    finally:
        jobs.close_when_written(slot)
        try:
            conn.close()
        except OSError:
            pass
        on_closed(slot)
