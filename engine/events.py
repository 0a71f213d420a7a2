"""Engine events: what the engine tells the GUI, the CLI and the tests.

The engine emits events from whichever thread does the work (the caller of
``translate``, or the process pool's dispatcher thread), so the dispatcher is
thread-safe and never lets a handler's exception reach the engine: a broken
chart must not break a translation. The GUI re-emits events as Qt signals
through a bridge object living in the GUI thread.

Payload keys are part of the contract (the GUI and the tests read them), so
:data:`PAYLOAD_KEYS` lists them and :meth:`EventDispatcher.emit` checks them. The
pool's ``kind`` and ``reason`` values are :class:`JobKind` and :class:`FallbackReason`
(string enums: on the wire and in payloads they are the specified strings).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

log = logging.getLogger(__name__)


class EventType(StrEnum):
    # The process pool (see docs/process_pool.md).
    EXEC_POOL_STARTED = "exec_pool.started"
    EXEC_POOL_TASK_SUBMITTED = "exec_pool.task_submitted"
    EXEC_POOL_TASK_COMPLETED = "exec_pool.task_completed"
    EXEC_POOL_TIMEOUT = "exec_pool.timeout"
    EXEC_POOL_FALLBACK = "exec_pool.fallback"
    # The life of one translation.
    TRANSLATION_STARTED = "translation.started"
    TRANSLATION_COMPLETED = "translation.completed"
    TRANSLATION_FAILED = "translation.failed"


# Exactly the keys each event's payload carries.
PAYLOAD_KEYS: Mapping[EventType, frozenset[str]] = MappingProxyType({
    EventType.EXEC_POOL_STARTED: frozenset({"max_workers", "start_method"}),
    EventType.EXEC_POOL_TASK_SUBMITTED: frozenset({"kind", "size_chars"}),
    EventType.EXEC_POOL_TASK_COMPLETED: frozenset({"kind", "duration_ms"}),
    EventType.EXEC_POOL_TIMEOUT: frozenset({"kind", "timeout_ms", "attempt"}),
    EventType.EXEC_POOL_FALLBACK: frozenset({"kind", "reason"}),
    # id: a number unique within the process, shared by the events of one
    # translation; size_chars: length of the source text.
    EventType.TRANSLATION_STARTED: frozenset({"id", "size_chars"}),
    # timings: parse_ms, validate_ms, generate_ms, total_ms (as in TranslationResult).
    EventType.TRANSLATION_COMPLETED: frozenset(
        {"id", "success", "error_count", "warning_count", "timings"}),
    # error: one line for the user (never a traceback); error_type: the exception class.
    EventType.TRANSLATION_FAILED: frozenset({"id", "error", "error_type"}),
})


class JobKind(StrEnum):
    """What a pool job does: the ``kind`` of the EXEC_POOL_* events (docs/process_pool.md).

    The values are the strings the specification names; a batch job of several
    documents has the kind of its items (``parse_validate`` when each runs the
    whole pipeline in the worker)."""

    PARSE = "parse"
    VALIDATE = "validate"
    PARSE_VALIDATE = "parse_validate"  # both stages (or the whole pipeline) in one round trip


class FallbackReason(StrEnum):
    """Why a job ran in-process instead of in the pool: the ``reason`` of EXEC_POOL_FALLBACK.

    ``text`` says it in words (tooltips, the Performance panel); ``degrades_pool``:
    the pool is not working as it should (the other reasons are by design)."""

    text: str
    degrades_pool: bool

    def __new__(cls, value: str, text: str = "", degrades_pool: bool = False
                ) -> FallbackReason:
        member = str.__new__(cls, value)
        member._value_ = value
        member.text = text
        member.degrades_pool = degrades_pool
        return member

    JOB_TOO_LARGE = ("job_too_large",
                     "the document is longer than process_pool_job_max_chars", False)
    TIMEOUT = ("timeout", "it timed out and no retry was left", True)
    WORKER_CRASHED = ("worker_crashed", "its worker died and no retry was left", True)
    WORKER_ERROR = ("worker_error", "the stage failed in the worker", True)
    POOL_UNAVAILABLE = ("pool_unavailable", "the worker processes could not be started", True)
    SHUTDOWN = ("shutdown", "the pool was shut down while the job waited", False)
    # Never in an event: the configuration does not offload this kind of job.
    NOT_TARGETED = ("not_targeted", "the configured target does not offload this stage", False)


# The reasons an EXEC_POOL_FALLBACK event can carry (in this order: the GUI codes them).
EVENT_REASONS: tuple[FallbackReason, ...] = tuple(
    r for r in FallbackReason if r is not FallbackReason.NOT_TARGETED)


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened: its type, its payload and when (``time.time()``)."""

    type: EventType
    data: Mapping[str, Any]
    timestamp: float = field(default_factory=time.time)


Handler = Callable[[Event], object]


class Subscription:
    """What :meth:`EventDispatcher.subscribe` returns; ``cancel()`` unsubscribes."""

    __slots__ = ("_dispatcher", "_token")

    def __init__(self, dispatcher: EventDispatcher, token: int) -> None:
        self._dispatcher = dispatcher
        self._token = token

    def cancel(self) -> None:
        self._dispatcher._remove(self._token)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


class EventDispatcher:
    """Delivers events to subscribed handlers, synchronously, on the emitting thread.

    Handlers are called outside the lock (a handler may subscribe, unsubscribe
    or emit), in subscription order. A handler that raises is logged and
    skipped; the emitter never sees the exception.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)
        # token -> (handler, types or None for all)
        self._handlers: dict[int, tuple[Handler, frozenset[EventType] | None]] = {}

    def subscribe(self, handler: Handler,
                  types: EventType | Iterable[EventType] | None = None) -> Subscription:
        """Call ``handler(event)`` for every event (or only for ``types``)."""
        if isinstance(types, EventType):
            wanted: frozenset[EventType] | None = frozenset({types})
        else:
            wanted = None if types is None else frozenset(EventType(t) for t in types)
        with self._lock:
            token = next(self._tokens)
            self._handlers[token] = (handler, wanted)
        return Subscription(self, token)

    def unsubscribe(self, handler: Handler) -> bool:
        """Remove every subscription of ``handler``; True if there was one."""
        with self._lock:
            tokens = [t for t, (h, _) in self._handlers.items() if h == handler]
            for token in tokens:
                del self._handlers[token]
        return bool(tokens)

    def _remove(self, token: int) -> None:
        with self._lock:
            self._handlers.pop(token, None)

    def handler_count(self) -> int:
        with self._lock:
            return len(self._handlers)

    def emit(self, type: EventType, data: Mapping[str, Any] | None = None) -> Event:
        """Build the event and deliver it; returns it (handy in tests)."""
        payload = dict(data or {})
        expected = PAYLOAD_KEYS.get(type)
        if expected is not None and set(payload) != expected:
            # A programming error in the engine, not the user's problem: keep going.
            log.error("event %s has keys %s, expected %s", type, sorted(payload), sorted(expected))
        event = Event(EventType(type), MappingProxyType(payload))
        self.dispatch(event)
        return event

    def dispatch(self, event: Event) -> None:
        with self._lock:
            handlers = list(self._handlers.values())
        for handler, wanted in handlers:
            if wanted is not None and event.type not in wanted:
                continue
            try:
                handler(event)
            except Exception:  # a handler must never break the engine
                log.exception("event handler %r failed on %s", handler, event.type)


class EventRecorder:
    """A handler that keeps every event it gets; for tests and the benchmark."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def types(self) -> list[EventType]:
        with self._lock:
            return [e.type for e in self.events]

    def of(self, type: EventType) -> list[Event]:
        with self._lock:
            return [e for e in self.events if e.type is type]

    def clear(self) -> None:
        with self._lock:
            self.events.clear()
