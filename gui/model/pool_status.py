"""(Qt-free) The state of the process pool, as the status bar shows it.

Off -> Starting (method) -> Ready (N workers, method) -> Degraded (after
fallbacks). The engine sends EXEC_POOL_STARTED when the worker processes
exist; they are ready once ``TranslationManager.wait_ready()`` says so (the
engine service then calls :meth:`PoolStatus.set_ready` with
``pool_info()["ready_workers"]``) or once a job came back. Fallbacks that
are part of the design (``job_too_large``, ``shutdown``: see
``engine.events.FallbackReason.degrades_pool``) do not degrade the pool.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any

from engine.events import EVENT_REASONS, Event, EventType, FallbackReason

# Reasons that say the pool is not working as it should (the others are by design).
DEGRADING_REASONS = frozenset(r for r in FallbackReason if r.degrades_pool)

# Each reason in words (what the tooltip and the Performance panel say).
REASON_TEXT: dict[str, str] = {r: r.text for r in EVENT_REASONS}


class PoolState(StrEnum):
    OFF = "off"
    STARTING = "starting"
    READY = "ready"
    DEGRADED = "degraded"
    UNAVAILABLE = "unavailable"


class PoolStatus:
    def __init__(self) -> None:
        self.state = PoolState.OFF
        self.workers = 0
        self.ready_workers = 0  # the workers that said they are ready (set_ready)
        self.method = ""
        self.fallbacks = 0      # degrading fallbacks since the pool started
        self.timeouts = 0
        self._last_event: Event | None = None    # the latest pool event
        self._last_problem: Event | None = None  # ... timeout or fallback
        self.reason = ""        # why the pool is unavailable

    def set_off(self) -> None:
        self.state = PoolState.OFF
        self.workers, self.method, self.fallbacks, self.timeouts = 0, "", 0, 0
        self.ready_workers = 0

    def set_starting(self) -> None:
        self.state = PoolState.STARTING
        self.fallbacks = self.timeouts = 0

    def set_ready(self, workers: int, method: str, ready: int | None = None) -> None:
        """The pool's start returned; ``ready``: how many workers said they are ready
        (all of them unless told)."""
        self.workers, self.method = workers, method or self.method
        self.ready_workers = workers if ready is None else max(0, min(ready, workers))
        if self.state in (PoolState.STARTING, PoolState.OFF, PoolState.UNAVAILABLE):
            self.state = PoolState.READY

    def set_unavailable(self, reason: str) -> None:
        self.state = PoolState.UNAVAILABLE
        self.reason = reason

    @property
    def last_event(self) -> str:
        return describe_event(self._last_event) if self._last_event is not None else ""

    @property
    def last_problem(self) -> str:
        return describe_event(self._last_problem) if self._last_problem is not None else ""

    def feed(self, event: Event) -> bool:
        """Take one engine event; True if the label changed (the tooltip is made on demand)."""
        if not event.type.name.startswith("EXEC_POOL_"):
            return False
        before = self.label()
        self._last_event = event
        data = event.data
        if event.type is EventType.EXEC_POOL_STARTED:
            self.state = PoolState.STARTING
            self.workers = int(data.get("max_workers") or 0)
            self.method = str(data.get("start_method") or "")
            self.fallbacks = self.timeouts = 0
            self._last_problem = None
        elif event.type is EventType.EXEC_POOL_TASK_COMPLETED:
            if self.state is PoolState.STARTING:
                self.state = PoolState.READY
                self.ready_workers = self.workers
        elif event.type is EventType.EXEC_POOL_TIMEOUT:
            self.timeouts += 1
            self._last_problem = event
        elif event.type is EventType.EXEC_POOL_FALLBACK:
            reason = str(data.get("reason"))
            self._last_problem = event
            if reason == FallbackReason.POOL_UNAVAILABLE:
                self.set_unavailable(FallbackReason.POOL_UNAVAILABLE.text)
            elif reason in DEGRADING_REASONS and self.state is not PoolState.OFF:
                self.fallbacks += 1
                self.state = PoolState.DEGRADED
        return self.label() != before

    def label(self) -> str:
        if self.state is PoolState.OFF:
            return "Pool: Off"
        if self.state is PoolState.STARTING:
            return f"Pool: Starting ({self.method})" if self.method else "Pool: Starting"
        if self.state is PoolState.READY:
            plural = "s" if self.workers != 1 else ""
            if self.ready_workers < self.workers:
                return (f"Pool: Ready ({self.ready_workers} of {self.workers} worker{plural}, "
                        f"{self.method})")
            return f"Pool: Ready ({self.workers} worker{plural}, {self.method})"
        if self.state is PoolState.DEGRADED:
            plural = "s" if self.fallbacks != 1 else ""
            return f"Pool: Degraded ({self.fallbacks} fallback{plural})"
        return "Pool: Unavailable"

    def tooltip(self) -> str:
        lines = {
            PoolState.OFF: "The process pool is off: everything is translated in this process.",
            PoolState.STARTING: "The worker processes are starting.",
            PoolState.READY: "Parse and validate jobs go to the worker processes.",
            PoolState.DEGRADED: "Some jobs timed out or failed in a worker and ran in-process "
                                "instead (the results are the same, only slower).",
            PoolState.UNAVAILABLE: f"The pool could not be used ({self.reason}); everything is "
                                   "translated in this process.",
        }
        text = [lines[self.state]]
        if self.state is PoolState.READY and self.ready_workers < self.workers:
            text.append(f"Only {self.ready_workers} of the {self.workers} worker processes "
                        "said they are ready in time; the others take jobs once they are.")
        if self.timeouts:
            text.append(f"Timeouts since the pool started: {self.timeouts}")
        if self._last_event is not None:
            text.append(f"Latest event: {self.last_event}")
        if self._last_problem is not None and self._last_problem is not self._last_event:
            text.append(f"Latest problem: {self.last_problem}")
        text.append("Click to change the process pool settings.")
        return "\n".join(text)


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def describe_event(event: Event) -> str:
    """One line for a tooltip: what the event says, in words."""
    data = event.data
    when = time.strftime("%H:%M:%S", time.localtime(event.timestamp))
    kind = data.get("kind", "")
    if event.type is EventType.EXEC_POOL_STARTED:
        text = f"pool started: {data.get('max_workers')} workers, {data.get('start_method')}"
    elif event.type is EventType.EXEC_POOL_TASK_SUBMITTED:
        text = f"{kind} job sent to the pool ({data.get('size_chars')} characters)"
    elif event.type is EventType.EXEC_POOL_TASK_COMPLETED:
        text = f"{kind} job done in {_number(data.get('duration_ms')):.1f} ms"
    elif event.type is EventType.EXEC_POOL_TIMEOUT:
        text = (f"timeout: a {kind} job ran over {data.get('timeout_ms')} ms "
                f"(attempt {data.get('attempt')})")
    elif event.type is EventType.EXEC_POOL_FALLBACK:
        reason = str(data.get("reason"))
        text = f"fallback: a {kind} job ran in-process ({reason}: " \
               f"{REASON_TEXT.get(reason, 'no detail')})"
    elif event.type is EventType.TRANSLATION_COMPLETED:
        total = _number((data.get("timings") or {}).get("total_ms"))
        text = f"translation {data.get('id')} done in {total:.1f} ms"
    elif event.type is EventType.TRANSLATION_FAILED:
        text = f"translation {data.get('id')} failed: {data.get('error')}"
    else:
        text = f"translation {data.get('id')} started"
    return f"{when}  {text}"
