"""A pool job as its submitter sees it: the task, how an attempt ended, the retry loop.

``TaskHandle.step()`` / ``result()`` turn an attempt's :class:`Outcome` into
the value, a retry (a new attempt queued) or an :class:`OffloadFallback`, and
send the events of docs/process_pool.md on the thread that waits (never on
one of the pool's own threads). The executor is seen through the small
:class:`Executor` protocol, so this module imports neither the executor nor
multiprocessing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError
from concurrent.futures import wait as _futures_wait
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from engine.events import EventType, FallbackReason, JobKind
from engine.telemetry import TelemetryRecorder

log = logging.getLogger(__name__)

# Waiting threads look this often whether the pool's dispatcher is still there.
POLL_S = 0.5


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


class Status(StrEnum):
    """How one attempt ended."""

    OK = "ok"
    ERROR = "error"              # the job raised in the worker, or would not pickle
    TIMEOUT = "timeout"          # past its deadline: the worker was killed
    CRASHED = "crashed"          # the worker died
    UNAVAILABLE = "unavailable"  # the pool cannot work (workers do not start, dispatcher gone)
    SHUTDOWN = "shutdown"        # the executor was shut down


class Outcome:
    """How one attempt ended (what a task's future is resolved with)."""

    __slots__ = ("status", "value", "duration_ms", "detail")

    def __init__(self, status: Status, value: Any = None, duration_ms: float = 0.0,
                 detail: str = "") -> None:
        self.status = status
        self.value = value
        self.duration_ms = duration_ms
        self.detail = detail


@dataclass(eq=False)
class Task:
    """One attempt of a job. ``affinity``: the pid of the worker that keeps what the job
    needs (a parsed tree), which takes it when it is free."""

    id: int
    kind: JobKind
    func: Callable[..., Any]
    args: tuple[Any, ...]
    size_chars: int
    attempt: int
    future: Future[Outcome]
    affinity: int | None = None
    dispatched_at: float = 0.0
    deadline: float = 0.0
    handed_off: bool = False  # written to the worker by its submitter (channel.py)


def resolve(task: Task, outcome: Outcome) -> bool:
    """Finish ``task``'s attempt with ``outcome``, unless it is finished already."""
    try:
        task.future.set_result(outcome)
    except InvalidStateError:
        return False
    return True


class Executor(Protocol):
    """What a handle needs of the executor (engine.execution.process_pool gives it)."""

    telemetry: TelemetryRecorder
    timeout_ms: int
    retry_on_timeout: bool
    retry_limit: int

    def wait_outcome(self, task: Task, timeout: float | None = None) -> Outcome | None: ...

    def resolve_if_orphaned(self, task: Task) -> bool: ...

    def emit(self, type: EventType, **data: Any) -> None: ...

    def fallback(self, kind: JobKind, reason: FallbackReason,
                 cause: BaseException | None = None) -> OffloadFallback: ...

    def resubmit(self, task: Task) -> Task: ...


class TaskHandle:
    """One job as seen by its submitter; ``result()`` holds the retry loop."""

    def __init__(self, executor: Executor, task: Task) -> None:
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
    def future(self) -> Future[Outcome]:
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
        outcome = ex.wait_outcome(task, timeout)
        if outcome is None:
            return False
        kind = task.kind
        if outcome.status is Status.OK:
            ex.telemetry.incr("exec_pool.complete")
            ex.telemetry.record_duration("exec_pool.task_ms", outcome.duration_ms)
            ex.emit(EventType.EXEC_POOL_TASK_COMPLETED, kind=kind,
                    duration_ms=round(outcome.duration_ms, 3))
            self._final = (True, outcome.value)
            return True
        if outcome.status in (Status.TIMEOUT, Status.CRASHED):
            ex.telemetry.incr("exec_pool.timeout")
            ex.emit(EventType.EXEC_POOL_TIMEOUT, kind=kind, timeout_ms=ex.timeout_ms,
                    attempt=task.attempt)
            if ex.retry_on_timeout and task.attempt <= ex.retry_limit:
                try:
                    self._task = ex.resubmit(task)
                except OffloadFallback as fallback:  # the event is already sent
                    self._final = (False, fallback)
                    return True
                return False
            reason = FallbackReason.TIMEOUT if outcome.status is Status.TIMEOUT \
                else FallbackReason.WORKER_CRASHED
            self._final = (False, ex.fallback(kind, reason))
            return True
        if outcome.status is Status.ERROR:
            cause = outcome.value if isinstance(outcome.value, BaseException) else None
            log.debug("pool job failed in the worker: %s\n%s", outcome.value, outcome.detail)
            self._final = (False, ex.fallback(kind, FallbackReason.WORKER_ERROR, cause))
            return True
        reason = FallbackReason.SHUTDOWN if outcome.status is Status.SHUTDOWN \
            else FallbackReason.POOL_UNAVAILABLE
        self._final = (False, ex.fallback(kind, reason))
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


def wait_any(handles: Iterable[TaskHandle], timeout: float | None = None) -> list[TaskHandle]:
    """The handles whose current attempt is finished (waits for at least one)."""
    handles = list(handles)
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        ready = [h for h in handles if h.done()]
        if ready or not handles:
            return ready
        slice_s = POLL_S if end is None else max(0.0, min(POLL_S, end - time.monotonic()))
        _futures_wait([h.future for h in handles], timeout=slice_s, return_when=FIRST_COMPLETED)
        for h in handles:
            h._executor.resolve_if_orphaned(h._task)
        if end is not None and time.monotonic() >= end:
            return [h for h in handles if h.done()]
